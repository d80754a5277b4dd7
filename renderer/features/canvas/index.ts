/** Public API of the mask canvas feature. */
export { MaskCanvas, useMaskShortcuts, type MaskCanvasProps, type MaskShortcutOptions } from './MaskCanvas';
export { MaskPainter, type MaskPainterOptions, type ExportedMask, type SetImageOptions, type MaskImageSource } from './mask-painter';
export {
  MaskDoc,
  makeStroke,
  simplifyPoints,
  simplifyTolerance,
  type MaskOp,
  type StrokeOp,
  type MaskMode,
  type MaskDocChange,
} from './mask-doc';
export { rasterizeMask, MaskRaster, maskCoverage } from './rasterize';
export { useCanvasStore, createCanvasSlice, type CanvasSlice } from './canvas-store';
export { handleMaskShortcut } from './shortcuts';
export type { MaskTool, MaskPainterState } from './types';
