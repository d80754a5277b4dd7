/** Shared types of the mask canvas feature (no runtime code). */

export type MaskTool = 'brush' | 'eraser';

/** What MaskPainter reports to React on every discrete change (never per pointer move). */
export interface MaskPainterState {
  readonly tool: MaskTool;
  /** Brush diameter in image pixels. */
  readonly brushSize: number;
  readonly overlayColor: string;
  /** 0..1 */
  readonly overlayOpacity: number;
  readonly maskVisible: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** Nothing painted is visible (see MaskDoc.isEmpty). */
  readonly isEmpty: boolean;
  /** CSS px per image px. */
  readonly zoom: number;
  /** MaskDoc.version; changes on every mask edit, undo and redo. */
  readonly version: number;
  /** Image (and mask) size in image px, or null before an image is set. */
  readonly imageSize: { readonly width: number; readonly height: number } | null;
}
