/**
 * MaskPainter: the imperative, framework-free mask painting surface.
 *
 * Layers inside the container (electron-practice.md §6.2):
 *  1. the base image (`<img>` or a canvas), positioned with a CSS transform;
 *  2. the committed mask canvas, at SCREEN resolution (CSS size × devicePixelRatio);
 *  3. the live-stroke canvas (the stroke being drawn);
 *  4. a DOM brush cursor showing the real brush size at the current zoom.
 * Layers 2 and 3 sit in one group whose CSS opacity is the overlay opacity, so
 * overlapping live/committed pixels don't darken each other.
 *
 * The MaskDoc (image coordinates) is the source of truth. The screen canvases
 * are rasterized from it with rasterize.ts on a grid that maps canvas pixels to
 * image coordinates (`MaskRaster`: incremental on new strokes, dirty-rect undo
 * from checkpoints, full replay only after zoom/pan/resize). Exports rasterize
 * the doc at the requested (prepared image) size.
 *
 * Input (§6.1): Pointer Events with setPointerCapture, `getCoalescedEvents?.()`
 * (falling back to `[e]`), `touch-action: none`, primary button only, pen
 * pressure when `pointerType === 'pen'` (mouse stores 0.5). Samples are queued
 * and drawn once per animation frame; the queue is flushed on pointerup and
 * lostpointercapture, and the finished stroke is committed to the doc as ONE
 * op (one undo step, one doc change). Nothing here touches React.
 */

import { strokePoints, type LiveStroke } from './live-stroke';
import { StrokeInput, type StrokeInputHost } from './stroke-input';
import { BrushCursor, type CursorState } from './brush-cursor';
import { MaskDoc, type MaskDocChange, type MaskMode } from './mask-doc';
import {
  MaskRaster,
  rasterizeMask,
  rasterizeStroke,
  rectIsEmpty,
  replayStart,
  unionRect,
  type RasterGrid,
  type Rect,
} from './rasterize';
import type { MaskPainterState, MaskTool } from './types';
import type { FitPadding, ViewState } from './view';
import { clampDpr, ViewController, watchContainerSize, type ViewChange } from './view-controller';

export const MIN_BRUSH_SIZE = 1;
export const MAX_BRUSH_SIZE = 4096;

export type MaskImageSource = string | HTMLImageElement | HTMLCanvasElement | ImageBitmap;

export interface SetImageOptions {
  /** Mask/doc size in image px (the prepared image's size). Defaults to the source's natural size. */
  width?: number;
  height?: number;
  /** Restore an existing doc (must match the size) instead of starting empty. */
  doc?: MaskDoc;
  /** Text alternative of the base image (default '': decorative). */
  alt?: string;
}

export interface ExportedMask {
  width: number;
  height: number;
  /** 1 byte per pixel, row-major, 0 (keep) or 255 (repaint). */
  data: Uint8Array;
}

export type FrameKind = 'live' | 'view';

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
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([0x01020304]).buffer)[0] === 0x04;

function packRGBA(r: number, g: number, b: number, a: number): number {
  return LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

/** Parses #rgb, #rrggbb, #rrggbbaa and rgb()/rgba(); returns null otherwise. */
export function parseColor(color: string): [number, number, number] | null {
  const s = color.trim().toLowerCase();
  let m = /^#([0-9a-f]{3})$/.exec(s);
  if (m) {
    const h = m[1]!;
    return [parseInt(h[0]! + h[0]!, 16), parseInt(h[1]! + h[1]!, 16), parseInt(h[2]! + h[2]!, 16)];
  }
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(s);
  if (m) {
    const h = m[1]!;
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(s);
  if (m) return [m[1], m[2], m[3]].map((v) => Math.max(0, Math.min(255, Math.round(Number(v))))) as [number, number, number];
  return null;
}

function clampBrush(size: number): number {
  if (!Number.isFinite(size)) return MIN_BRUSH_SIZE;
  return Math.max(MIN_BRUSH_SIZE, Math.min(MAX_BRUSH_SIZE, Math.round(size)));
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

export class MaskPainter {
  private readonly container: HTMLElement;
  private readonly root: HTMLDivElement;
  private readonly overlay: HTMLDivElement;
  private readonly committedCanvas: HTMLCanvasElement;
  private readonly liveCanvas: HTMLCanvasElement;
  private readonly cursor: BrushCursor;
  private readonly committedCtx: CanvasRenderingContext2D | null;
  private readonly liveCtx: CanvasRenderingContext2D | null;
  private baseEl: HTMLImageElement | HTMLCanvasElement | null = null;

  private _doc: MaskDoc | null = null;
  private docUnsub: (() => void) | null = null;
  private raster: MaskRaster | null = null;
  private committedImg: ImageData | null = null;
  private committedPx: Uint32Array | null = null;
  private liveMask: Uint8Array = new Uint8Array(0);
  private liveImg: ImageData | null = null;
  private livePx: Uint32Array | null = null;
  private readonly lut = new Uint32Array(256);

  private readonly vc: ViewController;
  /** View the committed canvas was rasterized for (null: never). */
  private renderedView: ViewState | null = null;
  private viewDirty = false;
  private lastViewChange = 0;
  /** Script time of the last full re-render (sync or summed over slices). */
  private lastFullRenderMs = 0;
  private viewTimer: ReturnType<typeof setTimeout> | null = null;
  /** Grid of what the canvases currently show (the raster's grid once settled). */
  private displayGrid: RasterGrid | null = null;
  /** A time-sliced re-render in progress (raster.grid is already the new grid). */
  private job: { view: ViewState; saveFrom: number; ms: number } | null = null;

  private _tool: MaskTool;
  private _brushSize: number;
  private _overlayColor: string;
  private _overlayOpacity: number;
  private _maskVisible: boolean;
  private readonly usePressureDefault: boolean;
  private readonly checkpointBytes: number;
  private readonly syncViewRenderMs: number;

  private readonly input: StrokeInput;
  /** The stroke the overlay shows live (set from its first sample until it is committed or dropped). */
  private live: LiveStroke | null = null;
  /** Screen rect of the live stroke being committed, repainted with the doc change. */
  private commitExtra: Rect | null = null;
  private raf = 0;
  private imageToken = 0;
  private destroyed = false;
  private readonly listeners = new Set<(s: MaskPainterState) => void>();
  private readonly onFrameCb: MaskPainterOptions['onFrame'];
  private readonly stopWatchingSize: () => void;

  constructor(container: HTMLElement, options: MaskPainterOptions = {}) {
    this.container = container;
    this._tool = options.tool ?? 'brush';
    this._brushSize = clampBrush(options.brushSize ?? 64);
    this._overlayColor = options.overlayColor ?? '#ff2d6f';
    this._overlayOpacity = Math.max(0, Math.min(1, options.overlayOpacity ?? 0.5));
    this._maskVisible = options.maskVisible ?? true;
    this.usePressureDefault = options.usePressure ?? true;
    this.vc = new ViewController(options.fitPadding ?? 16);
    this.checkpointBytes = options.checkpointBytes ?? 64 * 1024 * 1024;
    this.syncViewRenderMs = options.syncViewRenderMs ?? 8;
    this.onFrameCb = options.onFrame;
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

    this.overlay = doc.createElement('div');
    Object.assign(this.overlay.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      width: '100%',
      height: '100%',
      pointerEvents: 'none',
      transformOrigin: '0 0',
    } satisfies Partial<CSSStyleDeclaration>);

    const makeCanvas = (name: string): HTMLCanvasElement => {
      const c = doc.createElement('canvas');
      c.dataset.layer = name;
      Object.assign(c.style, {
        position: 'absolute',
        left: '0',
        top: '0',
        width: '100%',
        height: '100%',
        pointerEvents: 'none',
      } satisfies Partial<CSSStyleDeclaration>);
      return c;
    };
    this.committedCanvas = makeCanvas('mask-committed');
    this.liveCanvas = makeCanvas('mask-live');
    this.committedCtx = safeContext(this.committedCanvas);
    this.liveCtx = safeContext(this.liveCanvas);
    this.overlay.append(this.committedCanvas, this.liveCanvas);

    this.cursor = new BrushCursor(this.root);
    this.root.append(this.overlay, this.cursor.element);
    container.append(this.root);
    this.applyOverlayStyle();
    this.updateLut();

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
    const el = this.createBaseElement(source);
    if (options.alt && el.tagName === 'IMG') (el as HTMLImageElement).alt = options.alt;
    let w = options.width ?? options.doc?.width;
    let h = options.height ?? options.doc?.height;
    if (!(w && h)) {
      const size = await naturalSize(source, el);
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
    this.installBase(el, doc.width, doc.height);
    this.attachDoc(doc);
    this.updateCursor();
    this.emitChange();
  }

  /** Removes the image and its mask (the painter stays usable). */
  clearImage(): void {
    if (this.destroyed) return;
    this.imageToken++;
    this.cancelStroke();
    this.baseEl?.remove();
    this.baseEl = null;
    this.docUnsub?.();
    this.docUnsub = null;
    this._doc = null;
    this.vc.clearImage();
    this.raster?.dispose();
    this.raster = null;
    this.job = null;
    this.displayGrid = null;
    this.committedCtx?.clearRect(0, 0, this.vc.pxWidth, this.vc.pxHeight);
    this.liveCtx?.clearRect(0, 0, this.vc.pxWidth, this.vc.pxHeight);
    this.committedPx?.fill(0);
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
    this.updateLut();
    this.repaintAll();
    this.emitChange();
  }
  setOverlayOpacity(opacity: number): void {
    const o = Math.max(0, Math.min(1, opacity));
    if (o === this._overlayOpacity) return;
    this._overlayOpacity = o;
    this.applyOverlayStyle();
    this.emitChange();
  }
  setMaskVisible(visible: boolean): void {
    if (visible === this._maskVisible) return;
    this._maskVisible = visible;
    this.applyOverlayStyle();
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
  exportMask(width?: number, height?: number): ExportedMask {
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
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
    if (this.viewTimer) clearTimeout(this.viewTimer);
    this.viewTimer = null;
    this.input.destroy();
    this.stopWatchingSize();
    this.docUnsub?.();
    this.docUnsub = null;
    this.raster?.dispose();
    this.raster = null;
    this.job = null;
    this.live = null;
    this.listeners.clear();
    this.root.remove();
    this.committedImg = this.liveImg = null;
    this.committedPx = this.livePx = null;
    this.liveMask = new Uint8Array(0);
  }

  // -------------------------------------------------------------------------
  // Image and doc

  private assertAlive(): void {
    if (this.destroyed) throw new Error('MaskPainter: destroyed');
  }

  private createBaseElement(source: MaskImageSource): HTMLImageElement | HTMLCanvasElement {
    const doc = this.container.ownerDocument;
    if (typeof source === 'string' || isImageElement(source)) {
      const img = doc.createElement('img');
      img.decoding = 'async';
      img.draggable = false;
      img.alt = '';
      img.src = typeof source === 'string' ? source : source.currentSrc || source.src;
      return img;
    }
    const c = doc.createElement('canvas');
    c.width = source.width;
    c.height = source.height;
    safeContext(c)?.drawImage(source, 0, 0);
    return c;
  }

  private installBase(el: HTMLImageElement | HTMLCanvasElement, w: number, h: number): void {
    el.dataset.layer = 'base-image';
    Object.assign(el.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      width: `${w}px`,
      height: `${h}px`,
      maxWidth: 'none',
      maxHeight: 'none',
      transformOrigin: '0 0',
      pointerEvents: 'none',
      userSelect: 'none',
    } satisfies Partial<CSSStyleDeclaration>);
    this.baseEl?.remove();
    this.baseEl = el;
    this.root.insertBefore(el, this.overlay);
    this.applyBaseTransform();
  }

  private attachDoc(doc: MaskDoc): void {
    this.docUnsub?.();
    this._doc = doc;
    this.docUnsub = doc.subscribe(this.onDocChange);
    if (this.raster) this.raster.setDoc(doc);
    else this.raster = new MaskRaster(doc, this.vc.gridFor(), { maxCheckpointBytes: this.checkpointBytes });
    this.renderedView = null;
    this.viewDirty = true;
    this.renderView();
  }

  private readonly onDocChange = (change: MaskDocChange): void => {
    void change;
    if (this.destroyed) return;
    const extra = this.commitExtra;
    this.commitExtra = null;
    if (this.viewDirty || this.job || !this.renderedView) this.settle();
    else this.renderCommitted(extra);
    this.emitChange();
  };

  // -------------------------------------------------------------------------
  // View

  /** Follows a view change: moves the image and the rendered overlay, schedules the re-render. */
  private viewChanged(change: ViewChange): void {
    if (!change.changed) return;
    this.applyBaseTransform();
    this.viewDirty = true;
    this.lastViewChange = now();
    this.applyOverlayTransform();
    this.updateCursor();
    this.requestFrame();
    if (change.zoomChanged) this.emitChange();
  }

  private applyBaseTransform(): void {
    const el = this.baseEl;
    if (!el) return;
    el.style.transform = this.vc.imageTransform();
    el.style.imageRendering = this.vc.zoom >= 2 ? 'pixelated' : 'auto';
  }

  /** Moves the already-rendered overlay with the image until it is re-rasterized. */
  private applyOverlayTransform(): void {
    this.overlay.style.transform = this.vc.overlayTransform(this.renderedView);
  }

  private readonly handleResize = (): void => {
    if (this.destroyed) return;
    const win = this.container.ownerDocument.defaultView;
    if (!this.vc.resize(this.root.clientWidth, this.root.clientHeight, clampDpr(win?.devicePixelRatio))) return;
    const pxW = this.vc.pxWidth;
    const pxH = this.vc.pxHeight;
    this.committedCanvas.width = this.liveCanvas.width = pxW;
    this.committedCanvas.height = this.liveCanvas.height = pxH;
    this.committedImg = this.liveImg = null;
    this.committedPx = this.livePx = null;
    this.liveMask = new Uint8Array(pxW * pxH);
    if (pxW > 0 && pxH > 0) {
      if (this.committedCtx) {
        this.committedImg = this.committedCtx.createImageData(pxW, pxH);
        this.committedPx = new Uint32Array(this.committedImg.data.buffer);
      }
      if (this.liveCtx) {
        this.liveImg = this.liveCtx.createImageData(pxW, pxH);
        this.livePx = new Uint32Array(this.liveImg.data.buffer);
      }
    }
    this.renderedView = null;
    this.applyBaseTransform();
    if (this.live) this.live.drawn = 0;
    this.viewDirty = true;
    this.renderView();
    this.emitChange();
  };

  // -------------------------------------------------------------------------
  // Rendering

  private requestFrame(): void {
    if (this.raf || this.destroyed) return;
    this.raf = requestAnimationFrame(this.onAnimationFrame);
  }

  private readonly onAnimationFrame = (): void => {
    this.raf = 0;
    if (this.destroyed) return;
    // View work waits while a stroke is drawn: the stroke keeps the grid the
    // canvases show (CSS-transformed meanwhile) and the doc change at its end settles.
    if (!this.live && (this.viewDirty || this.job)) this.stepView();
    if (this.live && this.live.count > this.live.drawn) {
      const t0 = now();
      this.drawLive();
      this.onFrameCb?.(now() - t0, 'live');
    }
  };

  /**
   * After zoom/pan/resize the overlay is re-rasterized for the new grid. If the
   * last full render was cheap this happens right away; otherwise once the
   * gesture pauses (60 ms), in slices of ~6 ms per frame so input stays
   * responsive. Until then the old render is shown with a CSS transform.
   */
  private stepView(): void {
    const t0 = now();
    if (this.viewDirty) {
      if (!this.renderedView || this.lastFullRenderMs <= this.syncViewRenderMs) {
        this.renderView();
        this.onFrameCb?.(now() - t0, 'view');
        return;
      }
      const idle = t0 - this.lastViewChange;
      if (idle < 60) {
        if (!this.viewTimer) {
          this.viewTimer = setTimeout(() => {
            this.viewTimer = null;
            this.requestFrame();
          }, 60 - idle);
        }
        return;
      }
      this.startJob();
    }
    this.continueJob(t0 + 6);
    this.onFrameCb?.(now() - t0, 'view');
  }

  private startJob(): void {
    const raster = this.raster;
    const doc = this._doc;
    this.viewDirty = false;
    if (!raster || !doc || this.vc.pxWidth === 0 || this.vc.pxHeight === 0) {
      this.renderView();
      return;
    }
    const t0 = now();
    raster.setGrid(this.vc.gridFor());
    this.job = { view: this.vc.view, saveFrom: doc.index - 40, ms: 0 };
    raster.render(replayStart(doc.ops, doc.index).start, this.job.saveFrom);
    this.job.ms += now() - t0;
  }

  /** Applies ops until `deadline` (performance.now() time); finishes the job when done. */
  private continueJob(deadline: number): void {
    const job = this.job;
    const raster = this.raster;
    const doc = this._doc;
    if (!job || !raster || !doc) {
      this.job = null;
      return;
    }
    const t0 = now();
    if (raster.renderedIndex < 0 || raster.renderedIndex > doc.index) raster.render(replayStart(doc.ops, doc.index).start, job.saveFrom);
    while (raster.renderedIndex < doc.index && now() < deadline) raster.render(raster.renderedIndex + 1, job.saveFrom);
    job.ms += now() - t0;
    if (raster.renderedIndex === doc.index) {
      this.job = null;
      this.lastFullRenderMs = job.ms;
      this.showRendered(job.view);
    } else {
      this.requestFrame();
    }
  }

  /** Makes the raster match what the canvases show (finishing or redoing view work now). */
  private settle(): void {
    if (this.job && !this.viewDirty) this.continueJob(Infinity);
    if (this.viewDirty || this.job || !this.renderedView || (this.raster && this.raster.grid !== this.displayGrid)) this.renderView();
  }

  /** Full synchronous re-rasterization of both canvases for the current view. */
  private renderView(): void {
    this.viewDirty = false;
    this.job = null;
    const raster = this.raster;
    if (!raster || !this._doc || this.vc.pxWidth === 0 || this.vc.pxHeight === 0) {
      this.renderedView = this.vc.view;
      this.displayGrid = raster?.grid ?? null;
      this.applyOverlayTransform();
      return;
    }
    const t0 = now();
    raster.setGrid(this.vc.gridFor());
    raster.render();
    this.lastFullRenderMs = now() - t0;
    this.showRendered(this.vc.view);
  }

  /** The raster is complete for `view`: show it (and redraw the live stroke on its grid). */
  private showRendered(view: ViewState): void {
    const raster = this.raster!;
    this.displayGrid = raster.grid;
    this.renderedView = view;
    this.applyOverlayTransform();
    const s = this.live;
    if (s) {
      this.liveMask.fill(0);
      s.drawn = 0;
      s.bbox = null;
      this.livePx?.fill(0);
      this.drawLive(false);
      if (this.liveImg) this.liveCtx?.putImageData(this.liveImg, 0, 0);
    } else if (this.liveCtx) {
      this.liveCtx.clearRect(0, 0, this.vc.pxWidth, this.vc.pxHeight);
    }
    this.paintCommitted({ x0: 0, y0: 0, x1: this.vc.pxWidth, y1: this.vc.pxHeight });
  }

  /** Brings the committed raster to the doc's index and repaints what changed (plus `extra`). */
  private renderCommitted(extra: Rect | null): void {
    const raster = this.raster;
    if (!raster || this.vc.pxWidth === 0) return;
    const dirty = unionRect(raster.render(), extra);
    if (dirty) this.paintCommitted(dirty);
  }

  private repaintAll(): void {
    if (this.vc.pxWidth === 0 || !this.raster) return;
    if (this.viewDirty || this.job) {
      this.settle();
      return;
    }
    const full = { x0: 0, y0: 0, x1: this.vc.pxWidth, y1: this.vc.pxHeight };
    this.paintCommitted(full);
    if (this.live && this.live.mode === 'paint') this.paintLive(full);
  }

  /** committed RGBA[r] = colour where mask (minus the live eraser stroke), else transparent. */
  private paintCommitted(r: Rect): void {
    const raster = this.raster;
    const px = this.committedPx;
    const ctx = this.committedCtx;
    if (!raster || !px || !ctx || !this.committedImg || rectIsEmpty(r)) return;
    const mask = raster.data;
    const lut = this.lut;
    const W = this.vc.pxWidth;
    const live = this.live && this.live.mode === 'erase' ? this.liveMask : null;
    for (let y = r.y0; y < r.y1; y++) {
      const row = y * W;
      const end = row + r.x1;
      if (live) for (let i = row + r.x0; i < end; i++) px[i] = lut[mask[i]! & ~live[i]! & 255]!;
      else for (let i = row + r.x0; i < end; i++) px[i] = lut[mask[i]!]!;
    }
    ctx.putImageData(this.committedImg, 0, 0, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
  }

  private paintLive(r: Rect): void {
    const px = this.livePx;
    const ctx = this.liveCtx;
    if (!px || !ctx || !this.liveImg || rectIsEmpty(r)) return;
    const live = this.liveMask;
    const lut = this.lut;
    const W = this.vc.pxWidth;
    for (let y = r.y0; y < r.y1; y++) {
      const row = y * W;
      const end = row + r.x1;
      for (let i = row + r.x0; i < end; i++) px[i] = lut[live[i]!]!;
    }
    ctx.putImageData(this.liveImg, 0, 0, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
  }

  /** Rasterizes the not-yet-drawn live points (on the rendered grid) and paints them. */
  private drawLive(paint = true): void {
    const s = this.live;
    const raster = this.raster;
    if (!s || !raster || this.vc.pxWidth === 0 || s.count === s.drawn) return;
    const doc = this._doc;
    const rect = rasterizeStroke(
      this.liveMask,
      raster.grid,
      s.pts.subarray(0, s.count * 3),
      s.radius,
      s.pen && (doc?.usePressure ?? true),
      255,
      raster.imageRect,
      s.drawn,
    );
    s.drawn = s.count;
    if (!rect) return;
    s.bbox = unionRect(s.bbox, rect);
    if (!paint) {
      if (s.mode === 'paint' && this.livePx) {
        const px = this.livePx;
        const live = this.liveMask;
        const lut = this.lut;
        const W = this.vc.pxWidth;
        for (let y = rect.y0; y < rect.y1; y++) for (let i = y * W + rect.x0, e = y * W + rect.x1; i < e; i++) px[i] = lut[live[i]!]!;
      }
      return;
    }
    if (s.mode === 'paint') this.paintLive(rect);
    else this.paintCommitted(rect);
  }

  private clearLive(bbox: Rect | null): void {
    if (!bbox || rectIsEmpty(bbox)) return;
    const W = this.vc.pxWidth;
    for (let y = bbox.y0; y < bbox.y1; y++) {
      this.liveMask.fill(0, y * W + bbox.x0, y * W + bbox.x1);
      this.livePx?.fill(0, y * W + bbox.x0, y * W + bbox.x1);
    }
    this.liveCtx?.clearRect(bbox.x0, bbox.y0, bbox.x1 - bbox.x0, bbox.y1 - bbox.y0);
  }

  private updateLut(): void {
    let rgb = parseColor(this._overlayColor);
    if (!rgb && this.committedCtx) {
      // Let the browser normalise named colours etc. to #rrggbb.
      this.committedCtx.fillStyle = '#000000';
      this.committedCtx.fillStyle = this._overlayColor;
      rgb = parseColor(String(this.committedCtx.fillStyle));
    }
    const [r, g, b] = rgb ?? [255, 45, 111];
    this.lut.fill(0);
    this.lut[255] = packRGBA(r, g, b, 255);
  }

  private applyOverlayStyle(): void {
    this.overlay.style.opacity = String(this._overlayOpacity);
    this.overlay.style.visibility = this._maskVisible ? 'visible' : 'hidden';
  }

  // -------------------------------------------------------------------------
  // Strokes (StrokeInput collects them; the painter draws and commits them)

  private readonly inputHost: StrokeInputHost = {
    hasImage: () => this._doc !== null,
    brush: () => ({ mode: this._tool === 'eraser' ? 'erase' : 'paint', radius: this._brushSize / 2 }),
    toImage: (x, y) => this.vc.screenToImage(x, y),
    strokeWillStart: () => {
      this.settle();
      if (!this._maskVisible) this.setMaskVisible(true);
    },
    strokeStarted: (s) => {
      this.live = s;
      this.requestFrame();
    },
    samplesAdded: () => this.requestFrame(),
    strokeEnded: (s, keep) => (keep ? this.commitStroke(s) : this.dropStroke(s)),
    panBy: (dx, dy) => this.panBy(dx, dy),
    zoomBy: (f, x, y) => this.zoomBy(f, x, y),
    pointerAt: (x, y) => this.cursor.moveTo(x, y, this.cursorState()),
    pointerLeft: () => this.cursor.setInside(false, this.cursorState()),
    inputChanged: () => this.updateCursor(),
  };

  /** Draws pending samples and commits the stroke to the doc (one op). */
  private commitStroke(s: LiveStroke): void {
    this.drawLive();
    this.live = null;
    const doc = this._doc;
    const bbox = s.bbox;
    this.clearLive(bbox);
    if (!doc || s.count === 0) {
      if (bbox) this.paintCommitted(bbox);
      return;
    }
    // onDocChange repaints the stroke's rect (and the live bbox) from the committed raster.
    this.commitExtra = bbox;
    const stored = doc.push({ kind: 'stroke', mode: s.mode, radius: s.radius, points: strokePoints(s), pen: s.pen });
    this.commitExtra = null;
    if (!stored && bbox) this.paintCommitted(bbox);
  }

  private dropStroke(s: LiveStroke): void {
    this.live = null;
    this.clearLive(s.bbox);
    if (s.bbox) this.paintCommitted(s.bbox);
    if (this.viewDirty) this.requestFrame();
  }

  /** Discards the stroke in progress, if any (e.g. on Escape). */
  cancelStroke(): void {
    this.input.cancel();
  }

  // -------------------------------------------------------------------------
  // Cursor

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

  // -------------------------------------------------------------------------

  private emitChange(): void {
    if (this.destroyed || this.listeners.size === 0) return;
    const s = this.getState();
    for (const l of [...this.listeners]) l(s);
  }
}

function safeContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  try {
    return canvas.getContext('2d');
  } catch {
    return null;
  }
}

function getComputedStyleSafe(el: HTMLElement, prop: string): string {
  try {
    return el.ownerDocument.defaultView?.getComputedStyle(el).getPropertyValue(prop) || el.style.getPropertyValue(prop) || 'static';
  } catch {
    return 'static';
  }
}

function isImageElement(v: unknown): v is HTMLImageElement {
  return typeof v === 'object' && v !== null && (v as { tagName?: string }).tagName === 'IMG';
}

async function naturalSize(source: MaskImageSource, el: HTMLImageElement | HTMLCanvasElement): Promise<{ width: number; height: number }> {
  if (typeof source !== 'string' && !isImageElement(source)) return { width: source.width, height: source.height };
  const img = el as HTMLImageElement;
  if (!(img.complete && img.naturalWidth > 0)) {
    await new Promise<void>((resolve, reject) => {
      img.addEventListener('load', () => resolve(), { once: true });
      img.addEventListener('error', () => reject(new Error(`MaskPainter: failed to load image ${img.src.slice(0, 120)}`)), { once: true });
    });
  }
  return { width: img.naturalWidth, height: img.naturalHeight };
}
