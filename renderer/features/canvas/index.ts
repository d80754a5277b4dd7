/** Public API of the mask canvas feature. */
export { MaskCanvas, useMaskShortcuts, type MaskCanvasProps, type MaskShortcutOptions } from './MaskCanvas';
export {
  MaskPainter,
  type MaskPainterOptions,
  type ExportedMask,
  type SetImageOptions,
  type MaskImageSource,
} from './mask-painter';
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
export { useCanvasStore, createCanvasSlice, type CanvasSlice, type CanvasSettings } from './canvas-store';
export { handleMaskShortcut } from './shortcuts';
export type { MaskTool, MaskPainterState, PainterSettings } from './types';
export {
  registerMaskSession,
  refreshMaskSession,
  currentMask,
  currentMaskSession,
  useMaskSession,
  maskDocFor,
  forgetMaskDocs,
  maskHasPaint,
  resetMaskSession,
  type MaskSession,
  type MaskPayload,
} from './mask-session';
export { MaskToolbar, type MaskToolbarProps } from './MaskToolbar';
export {
  strengthWords,
  preparedSize,
  brushRange,
  defaultBrushSize,
  sliderToBrush,
  brushToSlider,
  zoomLabel,
  comboKeys,
  comboText,
  shortcutGroups,
  SHORTCUTS,
  type StrengthWords,
} from './editor-logic';
export type { FitPadding } from './view';
