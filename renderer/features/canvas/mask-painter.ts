/**
 * MaskPainter: the imperative, framework-free mask painting surface, and the one object its
 * callers (MaskCanvas, the toolbar, the shortcuts, the bench) talk to. A facade: it builds the
 * layers, holds the settings (`set()`) and the doc, and wires the parts, each owning its state:
 *   view-controller.ts   zoom, pan, device-pixel ratio, fit, screen ↔ image;
 *   overlay-renderer.ts  what the mask overlay redraws and when (the time-sliced scheduler);
 *   overlay-surface.ts   the overlay canvases and their pixels;
 *   stroke-input.ts      pointer and wheel input (strokes, panning, pen pressure);
 *   brush-cursor.ts      the brush outline;       base-image.ts   the photo under the mask.
 * Layers (electron-practice.md §6.2): base image; committed and live mask canvases at screen
 * resolution in one group whose CSS opacity is the overlay opacity; the brush cursor.
 * The MaskDoc (image coordinates) is the source of truth; the screen is rasterized from it and
 * exports rasterize it at the prepared image size. A finished stroke is ONE doc op (one undo
 * step). Nothing here touches React: samples are drawn once per animation frame, and only
 * discrete changes reach `onChange`.
 */

import type { MaskBitmap } from '../../../shared/images';
import { BaseImage, type MaskImageSource } from './base-image';
import { BrushCursor, type CursorState } from './brush-cursor';
import { strokePoints, type LiveStroke } from './live-stroke';
import { MaskDoc } from './mask-doc';
import { OverlayRenderer } from './overlay-renderer';
import { OverlaySurface } from './overlay-surface';
import { largerBrush, SettingsState, smallerBrush } from './painter-settings';
import { rasterizeMask } from './rasterize';
import { StrokeInput, type StrokeInputHost } from './stroke-input';
import type { MaskPainterOptions, MaskPainterState, MaskTool, PainterSettings, SetImageOptions } from './types';
import type { ViewState } from './view';
import { clampDpr, ViewController, watchContainerSize, type ViewChange } from './view-controller';

export { parseColor } from './overlay-surface';
export type { FrameKind, RenderClock } from './overlay-renderer';
export type { MaskImageSource } from './base-image';
export type { MaskPainterOptions, SetImageOptions } from './types';

export { MAX_BRUSH_SIZE, MIN_BRUSH_SIZE } from './painter-settings';

/** What exportMask returns: the shared mask bitmap (1 byte per pixel, 0 keep, 255 repaint). */
export type ExportedMask = MaskBitmap;

function getComputedStyleSafe(el: HTMLElement, prop: string): string {
  try {
    return (
      el.ownerDocument.defaultView?.getComputedStyle(el).getPropertyValue(prop) ||
      el.style.getPropertyValue(prop) ||
      'static'
    );
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

  private readonly settings: SettingsState;
  private readonly usePressureDefault: boolean;

  private imageToken = 0;
  private destroyed = false;
  private readonly listeners = new Set<(s: MaskPainterState) => void>();
  private readonly stopWatchingSize: () => void;

  constructor(container: HTMLElement, options: MaskPainterOptions = {}) {
    this.container = container;
    this.settings = new SettingsState(options);
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
    this.surface.setStyle(this.overlayOpacity, this.maskVisible);
    this.surface.setColor(this.overlayColor);

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
    return this.settings.values.tool;
  }
  get brushSize(): number {
    return this.settings.values.brushSize;
  }
  get overlayColor(): string {
    return this.settings.values.overlayColor;
  }
  get overlayOpacity(): number {
    return this.settings.values.overlayOpacity;
  }
  get maskVisible(): boolean {
    return this.settings.values.maskVisible;
  }
  /** True while a stroke is being drawn. */
  get isDrawing(): boolean {
    return this.input.isDrawing;
  }

  getState(): MaskPainterState {
    const doc = this._doc;
    return {
      ...this.settings.values,
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

  /**
   * Changes any of the settings (tool, brush, overlay, pressure, pan mode, fit margins); values
   * are normalised (brush size rounded and clamped, opacity clamped) and unchanged ones ignored.
   * One report to onChange however many changed.
   */
  set(patch: Partial<PainterSettings>): void {
    const changed = this.settings.apply(patch);
    if (changed.has('overlayColor')) {
      this.surface.setColor(this.overlayColor);
      this.renderer.repaintAll();
    }
    if (changed.has('overlayOpacity') || changed.has('maskVisible'))
      this.surface.setStyle(this.overlayOpacity, this.maskVisible);
    if (patch.usePressure !== undefined && this._doc) this._doc.usePressure = patch.usePressure;
    if (patch.panMode !== undefined) this.input.setPanMode(patch.panMode);
    if (patch.fitPadding !== undefined) this.viewChanged(this.vc.setFitPadding(patch.fitPadding));
    if (changed.size > 0) {
      this.updateCursor();
      this.emitChange();
    }
  }

  toggleTool(): void {
    this.set({ tool: this.tool === 'brush' ? 'eraser' : 'brush' });
  }
  /** `]`: one step larger. */
  growBrush(): void {
    this.set({ brushSize: largerBrush(this.brushSize) });
  }
  /** `[`: one step smaller. */
  shrinkBrush(): void {
    this.set({ brushSize: smallerBrush(this.brushSize) });
  }
  toggleMaskVisible(): void {
    this.set({ maskVisible: !this.maskVisible });
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
    brush: () => ({ mode: this.tool === 'eraser' ? 'erase' : 'paint', radius: this.brushSize / 2 }),
    toImage: (x, y) => this.vc.screenToImage(x, y),
    strokeWillStart: () => {
      this.renderer.settle();
      if (!this.maskVisible) this.set({ maskVisible: true });
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
    const push =
      doc && s.count > 0
        ? () => doc.push({ kind: 'stroke', mode: s.mode, radius: s.radius, points: strokePoints(s), pen: s.pen })
        : null;
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
      tool: this.tool,
      brushSize: this.brushSize,
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
