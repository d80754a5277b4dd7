/**
 * View transform for the mask canvas: pure math, no DOM.
 *
 *   screen = image × zoom + pan        (screen = CSS px relative to the container)
 *   image  = (screen − pan) / zoom
 *
 * `zoom` is CSS pixels per image pixel, clamped to [MIN_ZOOM, MAX_ZOOM].
 */

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 32;

export interface ViewState {
  readonly zoom: number;
  readonly panX: number;
  readonly panY: number;
}

export interface Point {
  x: number;
  y: number;
}

export const IDENTITY_VIEW: ViewState = { zoom: 1, panX: 0, panY: 0 };

export function clampZoom(zoom: number, min = MIN_ZOOM, max = MAX_ZOOM): number {
  if (!Number.isFinite(zoom)) return zoom > 0 ? max : min;
  return zoom < min ? min : zoom > max ? max : zoom;
}

export function screenToImage(view: ViewState, sx: number, sy: number): Point {
  return { x: (sx - view.panX) / view.zoom, y: (sy - view.panY) / view.zoom };
}

export function imageToScreen(view: ViewState, ix: number, iy: number): Point {
  return { x: ix * view.zoom + view.panX, y: iy * view.zoom + view.panY };
}

/** Sets the zoom while keeping the image point under screen point (sx, sy) fixed. */
export function zoomTo(view: ViewState, zoom: number, sx: number, sy: number): ViewState {
  const z = clampZoom(zoom);
  if (z === view.zoom) return view;
  const ix = (sx - view.panX) / view.zoom;
  const iy = (sy - view.panY) / view.zoom;
  return { zoom: z, panX: sx - ix * z, panY: sy - iy * z };
}

/** Multiplies the zoom by `factor` about screen point (sx, sy). */
export function zoomAt(view: ViewState, factor: number, sx: number, sy: number): ViewState {
  return zoomTo(view, view.zoom * factor, sx, sy);
}

export function panBy(view: ViewState, dx: number, dy: number): ViewState {
  return { zoom: view.zoom, panX: view.panX + dx, panY: view.panY + dy };
}

/** Space kept free around the image when fitting: one number for every side, or per side. */
export type FitPadding =
  number | { readonly top: number; readonly right: number; readonly bottom: number; readonly left: number };

/**
 * Zoom and pan that fit the whole image inside the view with `padding` CSS px
 * on each side (per side: e.g. room for floating toolbars), centred in what is
 * left. Zoom is clamped (a huge image in a tiny view may not fit).
 */
export function fitView(
  imageWidth: number,
  imageHeight: number,
  viewWidth: number,
  viewHeight: number,
  padding: FitPadding = 0,
): ViewState {
  let p = typeof padding === 'number' ? { top: padding, right: padding, bottom: padding, left: padding } : padding;
  // Too little room for the asked padding: fall back to a small even margin.
  if (typeof padding !== 'number' && (viewWidth - p.left - p.right < 32 || viewHeight - p.top - p.bottom < 32)) {
    const m = Math.max(0, Math.min(8, viewWidth / 8, viewHeight / 8));
    p = { top: m, right: m, bottom: m, left: m };
  }
  const aw = Math.max(1, viewWidth - p.left - p.right);
  const ah = Math.max(1, viewHeight - p.top - p.bottom);
  const zoom = clampZoom(Math.min(aw / Math.max(1, imageWidth), ah / Math.max(1, imageHeight)));
  return {
    zoom,
    panX: p.left + (aw - imageWidth * zoom) / 2,
    panY: p.top + (ah - imageHeight * zoom) / 2,
  };
}

/** DOM WheelEvent.deltaMode values. */
export const WHEEL_DELTA_PIXEL = 0;
export const WHEEL_DELTA_LINE = 1;
export const WHEEL_DELTA_PAGE = 2;

/**
 * Zoom factor for one wheel event. Trackpad pinch arrives as wheel events with
 * `ctrlKey` and small pixel deltas, so it gets a stronger gain; a mouse notch
 * (~100 px or 3 lines) zooms by about 1.2×.
 */
export function wheelZoomFactor(deltaY: number, deltaMode = WHEEL_DELTA_PIXEL, ctrlKey = false): number {
  let px = deltaY;
  if (deltaMode === WHEEL_DELTA_LINE) px *= 16;
  else if (deltaMode === WHEEL_DELTA_PAGE) px *= 400;
  const gain = ctrlKey ? 0.01 : 0.0018;
  const clamped = Math.max(-200, Math.min(200, px));
  return Math.exp(-clamped * gain);
}

/**
 * Keeps at least `margin` CSS px of the image inside the view, so the image
 * can't be panned out of reach.
 */
export function constrainView(
  view: ViewState,
  imageWidth: number,
  imageHeight: number,
  viewWidth: number,
  viewHeight: number,
  margin = 48,
): ViewState {
  const w = imageWidth * view.zoom;
  const h = imageHeight * view.zoom;
  const mx = Math.min(margin, w);
  const my = Math.min(margin, h);
  const panX = Math.min(viewWidth - mx, Math.max(mx - w, view.panX));
  const panY = Math.min(viewHeight - my, Math.max(my - h, view.panY));
  return panX === view.panX && panY === view.panY ? view : { zoom: view.zoom, panX, panY };
}

export function viewsEqual(a: ViewState, b: ViewState): boolean {
  return a.zoom === b.zoom && a.panX === b.panX && a.panY === b.panY;
}
