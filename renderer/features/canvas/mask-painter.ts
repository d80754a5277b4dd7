/**
 * MaskPainter: the imperative, framework-free mask painting surface, and the one object its
 * callers (MaskCanvas, the toolbar, shortcuts, the bench) talk to. It is a facade: it builds the
 * layers, holds the settings (tool, brush, overlay) and the doc, and wires the parts, each of
 * which owns its own state:
 *   view-controller.ts   zoom, pan, device-pixel ratio, fit, screen ↔ image;
 *   overlay-renderer.ts  what the mask overlay redraws and when (the time-sliced scheduler);
 *   overlay-surface.ts   the overlay canvases and their pixels;
 *   stroke-input.ts      pointer and wheel input (strokes, panning, pen pressure);
 *   brush-cursor.ts      the brush outline;
 *   base-image.ts        the photo under the mask.
 *
 * Layers inside the container (electron-practice.md §6.2): 1. the base image, positioned with a
 * CSS transform; 2. the committed mask canvas and 3. the live-stroke canvas, both at screen
 * resolution (CSS size × devicePixelRatio) in one group whose CSS opacity is the overlay
 * opacity; 4. the DOM brush cursor.
 *
 * The MaskDoc (image coordinates) is the source of truth. The screen canvases are rasterized
 * from it (rasterize.ts) on a grid that maps canvas pixels to image coordinates; exports
 * rasterize the doc at the requested (prepared image) size. A finished stroke is committed to
 * the doc as ONE op (one undo step, one doc change). Nothing here touches React: pointer samples
 * are drawn once per animation frame and only discrete changes reach `onChange`.
 */

import type { MaskBitmap } from '../../../shared/images';
import { BaseImage, type MaskImageSource } from './base-image';
import { BrushCursor, type CursorState } from './brush-cursor';
import { strokePoints, type LiveStroke } from './live-stroke';
import { MaskDoc } from './mask-doc';
import { OverlayRenderer, type FrameKind, type RenderClock } from './overlay-renderer';
import { OverlaySurface } from './overlay-surface';
import { rasterizeMask } from './rasterize';
import { StrokeInput, type StrokeInputHost } from './stroke-input';
import type { MaskPainterState, MaskTool } from './types';
import type { FitPadding, ViewState } from './view';
import { clampDpr, ViewController, watchContainerSize, type ViewChange } from './view-controller';

export { parseColor } from './overlay-surface';
export type { FrameKind, RenderClock } from './overlay-renderer';
export type { MaskImageSource } from './base-image';

export const MIN_BRUSH_SIZE = 1;
export const MAX_BRUSH_SIZE = 4096;

/** What exportMask returns: the shared mask bitmap (1 byte per pixel, 0 keep, 255 repaint). */
export type ExportedMask = MaskBitmap;

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

function clampBrush(size: number): number {
  if (!Number.isFinite(size)) return MIN_BRUSH_SIZE;
  return Math.max(MIN_BRUSH_SIZE, Math.min(MAX_BRUSH_SIZE, Math.round(size)));
}

function getComputedStyleSafe(el: HTMLElement, prop: string): string {
  try {
    return el.ownerDocument.defaultView?.getComputedStyle(el).getPropertyValue(prop) || el.style.getPropertyValue(prop) || 'static';
  } catch {
    return 'static';
  }
}

export class MaskPainter {
  private readonly container: HTMLElement;
  private readonly root: HTMLDivElement;
  private readonly vc: ViewController;
  private readonly surface: OverlaySurface;
  private readonly renderer: OverlayRenderer;
  private readonly cursor: BrushCursor;
  private readonly input: StrokeInput;
  private base: BaseImage | null = null;

  private _doc: MaskDoc | null = null;
  private docUnsub: (() => void) | null = null;

  private _tool: MaskTool;
  private _brushSize: number;
  private _overlayColor: string;
  private _overlayOpacity: number;
  private _maskVisible: boolean;
  private readonly usePressureDefault: boolean;

  private imageToken = 0;
  private destroyed = false;
  private readonly listeners = new Set<(s: MaskPainterState) => void>();
  private readonly stopWatchingSize: () => void;

  constructor(container: HTMLElement, options: MaskPainterOptions = {}) {
    this.container = container;
    this._tool = options.tool ?? 'brush';
    this._brushSize = clampBrush(options.brushSize ?? 64);
    this._overlayColor = options.overlayColor ?? '#ff2d6f';
    this._overlayOpacity = Math.max(0, Math.min(1, options.overlayOpacity ?? 0.5));
    this._maskVisible = options.maskVisible ?? true;
    this.usePressureDefault = options.usePressure ?? true;
    if (options.onChange) this.listeners.add(options.onChange);

    const doc = container.ownerDocument;
    this.root = doc.createElement('div');
    this.root.className = 'mask-painter';
    Object.assign(this.root.style, {
      position: 'absolute',
      inset: '0',
      overflow: 'hidden',
      touchAction: 'none',
      userSelect: 'none',
      webkitUserSelect: 'none',
      cursor: 'none',
      outline: 'none',
    } satisfies Partial<CSSStyleDeclaration>);
    if (getComputedStyleSafe(container, 'position') === 'static') container.style.position = 'relative';

    this.vc = new ViewController(options.fitPadding ?? 16);
    this.surface = new OverlaySurface(doc);
    this.renderer = new OverlayRenderer(this.vc, this.surface, {
      syncViewRenderMs: options.syncViewRenderMs,
      checkpointBytes: options.checkpointBytes,
      onFrame: options.onFrame,
      clock: options.clock,
    });
    this.cursor = new BrushCursor(this.root);
    this.root.append(this.surface.element, this.cursor.element);
    container.append(this.root);
    this.surface.setStyle(this._overlayOpacity, this._maskVisible);
    this.surface.setColor(this._overlayColor);

    this.input = new StrokeInput(this.root, this.inputHost);
    this.stopWatchingSize = watchContainerSize(this.root, this.handleResize);
    this.handleResize();
  }

  // -------------------------------------------------------------------------
  // Public API

  get doc(): MaskDoc | null {
    return this._doc;
  }
  get view(): ViewState {
    return this.vc.view;
  }
  get zoom(): number {
    return this.vc.zoom;
  }
  get tool(): MaskTool {
    return this._tool;
  }
  get brushSize(): number {
    return this._brushSize;
  }
  get overlayColor(): string {
    return this._overlayColor;
  }
  get overlayOpacity(): number {
    return this._overlayOpacity;
  }
  get maskVisible(): boolean {
    return this._maskVisible;
  }
  /** True while a stroke is being drawn. */
  get isDrawing(): boolean {
    return this.input.isDrawing;
  }

  getState(): MaskPainterState {
    const doc = this._doc;
    return {
      tool: this._tool,
      brushSize: this._brushSize,
      overlayColor: this._overlayColor,
      overlayOpacity: this._overlayOpacity,
      maskVisible: this._maskVisible,
      canUndo: doc?.canUndo() ?? false,
      canRedo: doc?.canRedo() ?? false,
      isEmpty: doc?.isEmpty() ?? true,
      zoom: this.vc.zoom,
      version: doc?.version ?? 0,
      imageSize: doc ? { width: doc.width, height: doc.height } : null,
    };
  }

  /** Subscribes to discrete state changes (tool, size, history, zoom, …); returns unsubscribe. */
  onChange(listener: (state: MaskPainterState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Shows an image and starts a mask for it. With `width`/`height` (the
   * prepared image size) the doc is ready synchronously; otherwise the
   * source's natural size is awaited. A later call supersedes a pending one.
   */
  async setImage(source: MaskImageSource, options: SetImageOptions = {}): Promise<void> {
    this.assertAlive();
    const token = ++this.imageToken;
    const base = new BaseImage(this.container.ownerDocument, source, options.alt);
    let w = options.width ?? options.doc?.width;
    let h = options.height ?? options.doc?.height;
    if (!(w && h)) {
      const size = await base.naturalSize();
      if (token !== this.imageToken || this.destroyed) return;
      w = size.width;
      h = size.height;
    }
    if (!(w! > 0 && h! > 0)) throw new Error('MaskPainter.setImage: unknown image size');
    const doc = options.doc ?? new MaskDoc(w!, h!, { usePressure: this.usePressureDefault });
    if (doc.width !== Math.round(w!) || doc.height !== Math.round(h!)) {
      throw new Error(`MaskPainter.setImage: doc is ${doc.width}x${doc.height}, image is ${w}x${h}`);
    }
    this.cancelStroke();
    this.vc.showImage(doc.width, doc.height);
    this.installBase(base, doc.width, doc.height);
    this.attachDoc(doc);
    this.updateCursor();
    this.emitChange();
  }

  /** Removes the image and its mask (the painter stays usable). */
  clearImage(): void {
    if (this.destroyed) return;
    this.imageToken++;
    this.cancelStroke();
    this.base?.remove();
    this.base = null;
    this.docUnsub?.();
    this.docUnsub = null;
    this._doc = null;
    this.vc.clearImage();
    this.renderer.clear();
    this.updateCursor();
    this.emitChange();
  }

  /** Replaces the doc (same size as the current image, or sets the size when no image is shown). */
  setDoc(doc: MaskDoc): void {
    this.assertAlive();
    this.cancelStroke();
    if (!this._doc || this._doc.width !== doc.width || this._doc.height !== doc.height) {
      this.vc.showImage(doc.width, doc.height);
      this.applyBaseTransform();
    }
    this.attachDoc(doc);
    this.emitChange();
  }

  setTool(tool: MaskTool): void {
    if (tool === this._tool) return;
    this._tool = tool;
    this.updateCursor();
    this.emitChange();
  }
  toggleTool(): void {
    this.setTool(this._tool === 'brush' ? 'eraser' : 'brush');
  }

  /** Brush diameter in image px. */
  setBrushSize(size: number): void {
    const s = clampBrush(size);
    if (s === this._brushSize) return;
    this._brushSize = s;
    this.updateCursor();
    this.emitChange();
  }
  /** `]`: +1 px below 10, else ×1.2. */
  growBrush(): void {
    const s = this._brushSize;
    this.setBrushSize(s < 10 ? s + 1 : Math.max(s + 1, s * 1.2));
  }
  /** `[`: −1 px below 10, else ÷1.2. */
  shrinkBrush(): void {
    const s = this._brushSize;
    this.setBrushSize(s <= 10 ? s - 1 : Math.min(s - 1, s / 1.2));
  }

  setOverlayColor(color: string): void {
    if (color === this._overlayColor) return;
    this._overlayColor = color;
    this.surface.setColor(color);
    this.renderer.repaintAll();
    this.emitChange();
  }
  setOverlayOpacity(opacity: number): void {
    const o = Math.max(0, Math.min(1, opacity));
    if (o === this._overlayOpacity) return;
    this._overlayOpacity = o;
    this.surface.setStyle(this._overlayOpacity, this._maskVisible);
    this.emitChange();
  }
  setMaskVisible(visible: boolean): void {
    if (visible === this._maskVisible) return;
    this._maskVisible = visible;
    this.surface.setStyle(this._overlayOpacity, this._maskVisible);
    this.emitChange();
  }
  toggleMaskVisible(): void {
    this.setMaskVisible(!this._maskVisible);
  }
  setUsePressure(use: boolean): void {
    if (this._doc) this._doc.usePressure = use;
  }

  /** Space held: left-drag pans instead of painting. */
  setPanMode(on: boolean): void {
    this.input.setPanMode(on);
  }

  undo(): void {
    // Undo while drawing cancels the stroke in progress (nothing else is undone).
    if (this.input.isDrawing) {
      this.cancelStroke();
      return;
    }
    this._doc?.undo();
  }
  redo(): void {
    if (this.input.isDrawing) return;
    this._doc?.redo();
  }
  canUndo(): boolean {
    return this._doc?.canUndo() ?? false;
  }
  canRedo(): boolean {
    return this._doc?.canRedo() ?? false;
  }
  /** Clears the mask (one undo step; a no-op when already empty). */
  clear(): void {
    this.cancelStroke();
    if (this._doc && !this._doc.isEmpty()) this._doc.push({ kind: 'clear' });
  }
  /** Marks the whole image for repainting (one undo step). */
  fill(): void {
    this.cancelStroke();
    this._doc?.push({ kind: 'fill' });
  }
  /** Inverts the mask (one undo step). */
  invert(): void {
    this.cancelStroke();
    this._doc?.push({ kind: 'invert' });
  }

  /** The committed mask at `width` × `height` (default: the doc size = prepared image size). */
  exportMask(width?: number, height?: number): MaskBitmap {
    const doc = this._doc;
    if (!doc) throw new Error('MaskPainter.exportMask: no image');
    const w = Math.max(1, Math.round(width ?? doc.width));
    const h = Math.max(1, Math.round(height ?? doc.height));
    return { width: w, height: h, data: rasterizeMask(doc, w, h) };
  }

  /** Changes the fit margins (e.g. floating toolbars resized); refits unless the person moved the view. */
  setFitPadding(padding: FitPadding): void {
    this.viewChanged(this.vc.setFitPadding(padding));
  }

  fit(): void {
    this.viewChanged(this.vc.fit());
  }
  /** Sets the zoom about a container point (default: the view centre). */
  setZoom(zoom: number, atX?: number, atY?: number): void {
    this.viewChanged(this.vc.setZoom(zoom, atX, atY));
  }
  zoomBy(factor: number, atX?: number, atY?: number): void {
    this.viewChanged(this.vc.zoomBy(factor, atX, atY));
  }
  zoomIn(): void {
    this.zoomBy(1.25);
  }
  zoomOut(): void {
    this.zoomBy(1 / 1.25);
  }
  panBy(dx: number, dy: number): void {
    this.viewChanged(this.vc.panBy(dx, dy));
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.imageToken++;
    this.input.destroy();
    this.stopWatchingSize();
    this.docUnsub?.();
    this.docUnsub = null;
    this.renderer.dispose();
    this.listeners.clear();
    this.root.remove();
  }

  // -------------------------------------------------------------------------
  // Image and doc

  private assertAlive(): void {
    if (this.destroyed) throw new Error('MaskPainter: destroyed');
  }

  private installBase(base: BaseImage, w: number, h: number): void {
    this.base?.remove();
    this.base = base;
    base.install(this.root, this.surface.element, w, h);
    this.applyBaseTransform();
  }

  private attachDoc(doc: MaskDoc): void {
    this.docUnsub?.();
    this._doc = doc;
    this.docUnsub = doc.subscribe(this.onDocChange);
    this.renderer.setDoc(doc);
  }

  private readonly onDocChange = (): void => {
    if (this.destroyed) return;
    this.renderer.docChanged();
    this.emitChange();
  };

  // -------------------------------------------------------------------------
  // View

  /** Follows a view change: moves the image and the rendered overlay, schedules the re-render. */
  private viewChanged(change: ViewChange): void {
    if (!change.changed) return;
    this.applyBaseTransform();
    this.renderer.viewChanged();
    this.updateCursor();
    if (change.zoomChanged) this.emitChange();
  }

  private applyBaseTransform(): void {
    this.base?.place(this.vc.imageTransform(), this.vc.zoom);
  }

  private readonly handleResize = (): void => {
    if (this.destroyed) return;
    const win = this.container.ownerDocument.defaultView;
    if (!this.vc.resize(this.root.clientWidth, this.root.clientHeight, clampDpr(win?.devicePixelRatio))) return;
    this.applyBaseTransform();
    this.renderer.resized();
    this.emitChange();
  };

  // -------------------------------------------------------------------------
  // Strokes (StrokeInput collects them; the renderer draws them; the doc stores them)

  private readonly inputHost: StrokeInputHost = {
    hasImage: () => this._doc !== null,
    brush: () => ({ mode: this._tool === 'eraser' ? 'erase' : 'paint', radius: this._brushSize / 2 }),
    toImage: (x, y) => this.vc.screenToImage(x, y),
    strokeWillStart: () => {
      this.renderer.settle();
      if (!this._maskVisible) this.setMaskVisible(true);
    },
    strokeStarted: (s) => this.renderer.beginLive(s),
    samplesAdded: () => this.renderer.requestFrame(),
    strokeEnded: (s, keep) => (keep ? this.commitStroke(s) : this.renderer.dropLive(s)),
    panBy: (dx, dy) => this.panBy(dx, dy),
    zoomBy: (f, x, y) => this.zoomBy(f, x, y),
    pointerAt: (x, y) => this.cursor.moveTo(x, y, this.cursorState()),
    pointerLeft: () => this.cursor.setInside(false, this.cursorState()),
    inputChanged: () => this.updateCursor(),
  };

  /** Draws the stroke's last samples and stores it in the doc as one op. */
  private commitStroke(s: LiveStroke): void {
    const doc = this._doc;
    const push = doc && s.count > 0 ? () => doc.push({ kind: 'stroke', mode: s.mode, radius: s.radius, points: strokePoints(s), pen: s.pen }) : null;
    this.renderer.commitLive(s, push);
  }

  /** Discards the stroke in progress, if any (e.g. on Escape). */
  cancelStroke(): void {
    this.input.cancel();
  }

  // -------------------------------------------------------------------------
  // Cursor and change reports

  private cursorState(): CursorState {
    return {
      hasImage: this._doc !== null,
      panMode: this.input.panMode,
      panning: this.input.isPanning,
      tool: this._tool,
      brushSize: this._brushSize,
      zoom: this.vc.zoom,
    };
  }

  private updateCursor(): void {
    this.cursor.render(this.cursorState());
  }

  private emitChange(): void {
    if (this.destroyed || this.listeners.size === 0) return;
    const s = this.getState();
    for (const l of [...this.listeners]) l(s);
  }
}
