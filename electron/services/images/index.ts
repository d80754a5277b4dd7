export * from './formats';
export * from './image-pipeline';
export * from './embed-metadata';
