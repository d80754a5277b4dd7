/** Shared types of the mask canvas feature (no runtime code). */

import type { MaskDoc } from './mask-doc';
import type { FrameKind, RenderClock } from './overlay-renderer';
import type { FitPadding } from './view';

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

/**
 * The painter's settings, all changed through `MaskPainter.set(patch)` (one call may change
 * several; the painter reports one change).
 */
export interface PainterSettings {
  readonly tool: MaskTool;
  /** Brush diameter in image px (rounded, kept to 1..4096). */
  readonly brushSize: number;
  /** Any CSS colour. */
  readonly overlayColor: string;
  /** 0..1 (clamped). */
  readonly overlayOpacity: number;
  readonly maskVisible: boolean;
  /** Scale pen strokes by pressure (a setting of the current doc). */
  readonly usePressure: boolean;
  /** Space held: left-drag pans instead of painting. */
  readonly panMode: boolean;
  /** Room kept free around the image when fitting; refits unless the person moved the view. */
  readonly fitPadding: FitPadding;
}

export interface SetImageOptions {
  /** Mask/doc size in image px (the prepared image's size). Defaults to the source's natural size. */
  width?: number;
  height?: number;
  /** Restore an existing doc (must match the size) instead of starting empty. */
  doc?: MaskDoc;
  /** Text alternative of the base image (default '': decorative). */
  alt?: string;
}

export interface MaskPainterOptions {
  tool?: MaskTool;
  /** Brush diameter in image px (default 64). */
  brushSize?: number;
  /** Any CSS colour (default '#ff2d6f'). */
  overlayColor?: string;
  /** 0..1 (default 0.5). */
  overlayOpacity?: number;
  maskVisible?: boolean;
  /** Scale the radius by pen pressure (default true). */
  usePressure?: boolean;
  /** CSS px of margin around the image when fitting, for every side or per side (default 16). */
  fitPadding?: FitPadding;
  /** Memory budget of the screen-resolution undo checkpoints (default 64 MiB). */
  checkpointBytes?: number;
  /**
   * After zoom/pan, re-render synchronously when the last full render took at
   * most this many ms (default 8); otherwise re-render in ~6 ms slices per
   * frame once the gesture pauses. A negative value always slices.
   */
  syncViewRenderMs?: number;
  onChange?: (state: MaskPainterState) => void;
  /** Called after each animation-frame draw with its script time in ms (benchmarks). */
  onFrame?: (ms: number, kind: FrameKind) => void;
  /** Time, frames and timers of the overlay scheduler (default: the browser's). */
  clock?: RenderClock;
}
