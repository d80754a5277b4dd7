/**
 * ViewController: where the image sits on screen. It owns the view (zoom and pan), the
 * container's size in CSS px and in device px (the device-pixel ratio), the fit margins, and
 * whether the person moved the view (then a resize keeps their view instead of refitting). It
 * answers the coordinate questions: screen ↔ image, and the raster grid the overlay canvases map
 * to. Pure state and maths (view.ts holds the formulas); `watchContainerSize` at the bottom is the
 * only DOM code: it reports size and devicePixelRatio changes. Separate from the painter because
 * every other part asks it where things are, and it can be tested without a browser.
 */

import type { RasterGrid } from './rasterize';
import {
  constrainView,
  fitView,
  IDENTITY_VIEW,
  screenToImage,
  viewsEqual,
  zoomAt,
  zoomTo,
  type FitPadding,
  type Point,
  type ViewState,
} from './view';

/** What a view change did, so the painter knows what to redraw and whether to report it. */
export interface ViewChange {
  readonly changed: boolean;
  readonly zoomChanged: boolean;
}

const UNCHANGED: ViewChange = { changed: false, zoomChanged: false };

/** The device-pixel ratio used for the canvases: the window's, kept to a sane range. */
export function clampDpr(dpr: number | undefined): number {
  return Math.max(0.5, Math.min(4, dpr || 1));
}

export function fitPaddingEqual(a: FitPadding, b: FitPadding): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return a.top === b.top && a.right === b.right && a.bottom === b.bottom && a.left === b.left;
}

export class ViewController {
  private _view: ViewState = IDENTITY_VIEW;
  private _cssW = 0;
  private _cssH = 0;
  private _pxW = 0;
  private _pxH = 0;
  private _fitPadding: FitPadding;
  /** The image size in image px, or null while no image is shown. */
  private image: { width: number; height: number } | null = null;
  private userMoved = false;

  constructor(fitPadding: FitPadding = 16) {
    this._fitPadding = fitPadding;
  }

  get view(): ViewState {
    return this._view;
  }
  get zoom(): number {
    return this._view.zoom;
  }
  /** Container size in CSS px. */
  get cssWidth(): number {
    return this._cssW;
  }
  get cssHeight(): number {
    return this._cssH;
  }
  /** Canvas size in device px (CSS size × devicePixelRatio). */
  get pxWidth(): number {
    return this._pxW;
  }
  get pxHeight(): number {
    return this._pxH;
  }
  get fitPadding(): FitPadding {
    return this._fitPadding;
  }
  /** True once the person zoomed or panned since the last fit. */
  get userMovedView(): boolean {
    return this.userMoved;
  }

  /** A new image (or a doc of another size): forget the person's view and fit it. */
  showImage(width: number, height: number): void {
    this.image = { width, height };
    this.userMoved = false;
    this._view = this.fitted();
  }

  /** No image: the view stays where it was but is no longer kept on an image. */
  clearImage(): void {
    this.image = null;
  }

  /**
   * Sets the view, keeping part of the image reachable. `byUser` marks the view as the
   * person's (a resize then keeps it instead of refitting).
   */
  setView(v: ViewState, byUser: boolean): ViewChange {
    const img = this.image;
    const next =
      img && this._cssW > 0 && this._cssH > 0 ? constrainView(v, img.width, img.height, this._cssW, this._cssH) : v;
    if (byUser) this.userMoved = true;
    if (viewsEqual(next, this._view)) return UNCHANGED;
    const zoomChanged = next.zoom !== this._view.zoom;
    this._view = next;
    return { changed: true, zoomChanged };
  }

  /** Fits the image (no-op without one). */
  fit(): ViewChange {
    if (!this.image) return UNCHANGED;
    this.userMoved = false;
    return this.setView(this.fitted(), false);
  }

  /** Sets the zoom about a container point (default: the view centre). */
  setZoom(zoom: number, atX = this._cssW / 2, atY = this._cssH / 2): ViewChange {
    return this.setView(zoomTo(this._view, zoom, atX, atY), true);
  }
  zoomBy(factor: number, atX = this._cssW / 2, atY = this._cssH / 2): ViewChange {
    return this.setView(zoomAt(this._view, factor, atX, atY), true);
  }
  panBy(dx: number, dy: number): ViewChange {
    const v = this._view;
    return this.setView({ zoom: v.zoom, panX: v.panX + dx, panY: v.panY + dy }, true);
  }

  /** New fit margins; refits unless the person moved the view. */
  setFitPadding(padding: FitPadding): ViewChange {
    if (fitPaddingEqual(this._fitPadding, padding)) return UNCHANGED;
    this._fitPadding = padding;
    if (this.image && !this.userMoved) return this.setView(this.fitted(), false);
    return UNCHANGED;
  }

  /**
   * The container is now `cssW × cssH` CSS px at `dpr`. Returns false when nothing changed.
   * Without a view of the person's own the image is refitted; otherwise the image point at
   * the old centre stays in the centre.
   */
  resize(cssW: number, cssH: number, dpr: number): boolean {
    const pxW = Math.max(0, Math.round(cssW * dpr));
    const pxH = Math.max(0, Math.round(cssH * dpr));
    if (cssW === this._cssW && cssH === this._cssH && pxW === this._pxW && pxH === this._pxH) return false;
    const centreX = this._cssW / 2;
    const centreY = this._cssH / 2;
    this._cssW = cssW;
    this._cssH = cssH;
    this._pxW = pxW;
    this._pxH = pxH;
    if (this.image && !this.userMoved) {
      this._view = this.fitted();
    } else if (this.image) {
      const v = this._view;
      this._view = { zoom: v.zoom, panX: v.panX + (cssW / 2 - centreX), panY: v.panY + (cssH / 2 - centreY) };
    }
    return true;
  }

  /** Container CSS point → image point under the current view. */
  screenToImage(x: number, y: number): Point {
    return screenToImage(this._view, x, y);
  }

  /** The grid mapping canvas (device) pixels to image coordinates for view `v`. */
  gridFor(v: ViewState = this._view): RasterGrid {
    const w = Math.max(1, this._pxW);
    const h = Math.max(1, this._pxH);
    const sx = this._cssW > 0 ? this._pxW / this._cssW : 1;
    const sy = this._cssH > 0 ? this._pxH / this._cssH : 1;
    return {
      width: w,
      height: h,
      scaleX: 1 / (sx * v.zoom),
      scaleY: 1 / (sy * v.zoom),
      offsetX: -v.panX / v.zoom,
      offsetY: -v.panY / v.zoom,
    };
  }

  /** CSS transform placing the base image (image px → container px). */
  imageTransform(): string {
    const v = this._view;
    return `translate(${v.panX}px, ${v.panY}px) scale(${v.zoom})`;
  }

  /**
   * CSS transform that moves an overlay rendered for `rendered` to the current view (''
   * when it already matches), so the mask follows the image until it is re-rasterized.
   */
  overlayTransform(rendered: ViewState | null): string {
    const v = this._view;
    if (!rendered || viewsEqual(rendered, v)) return '';
    const s = v.zoom / rendered.zoom;
    return `translate(${v.panX - rendered.panX * s}px, ${v.panY - rendered.panY * s}px) scale(${s})`;
  }

  private fitted(): ViewState {
    const img = this.image!;
    return fitView(img.width, img.height, this._cssW, this._cssH, this._fitPadding);
  }
}

/**
 * Calls `onResize` when `el` changes size or the window's devicePixelRatio changes (a window
 * moved to another monitor does not resize the element). Returns the unsubscribe.
 */
export function watchContainerSize(el: HTMLElement, onResize: () => void): () => void {
  const win = el.ownerDocument.defaultView;
  let stopped = false;
  let resizeObserver: ResizeObserver | null = null;
  if (win && typeof win.ResizeObserver === 'function') {
    resizeObserver = new win.ResizeObserver(() => onResize());
    resizeObserver.observe(el);
  } else {
    win?.addEventListener('resize', onResize);
  }
  let dprQuery: MediaQueryList | null = null;
  const watchDpr = (): void => {
    dprQuery?.removeEventListener('change', onDprChange);
    dprQuery = null;
    if (stopped || !win || typeof win.matchMedia !== 'function') return;
    try {
      dprQuery = win.matchMedia(`(resolution: ${win.devicePixelRatio || 1}dppx)`);
      dprQuery.addEventListener('change', onDprChange);
    } catch {
      dprQuery = null;
    }
  };
  function onDprChange(): void {
    onResize();
    watchDpr();
  }
  watchDpr();
  return () => {
    stopped = true;
    resizeObserver?.disconnect();
    dprQuery?.removeEventListener('change', onDprChange);
    dprQuery = null;
    win?.removeEventListener('resize', onResize);
  };
}
