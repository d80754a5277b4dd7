/**
 * The one view state every photo in the comparison shares (issue 11, Compare): how far in, and
 * which point of the photo is in the middle of its pane, in image-normalised coordinates (0..1
 * across and down). Photos of different sizes therefore stay aligned: the same normalised point
 * is centred in every pane, at the same zoom relative to each photo's own fit.
 *
 * `actual` is 1:1 (one image pixel per device pixel), which is a different fit-relative zoom for
 * each photo size, so it is kept as a mode rather than a number. Pure functions only: the
 * compare view keeps the state in a ref and applies transforms directly (the hot path).
 */
export interface Size {
  width: number;
  height: number;
}

export interface ViewState {
  /** relative to fit: 1 shows the whole photo */
  zoom: number;
  /** the normalised image point at the middle of the pane */
  cx: number;
  cy: number;
  /** 1:1 for each photo (zoom is ignored while on) */
  actual: boolean;
}

/** Where an image is drawn in its pane: top-left corner and CSS pixels per image pixel. */
export interface Layout {
  x: number;
  y: number;
  scale: number;
}

export const FIT: ViewState = { zoom: 1, cx: 0.5, cy: 0.5, actual: false };

/** The closest a photo can be looked at: 8 device pixels per image pixel (or fit, if larger). */
export const MAX_DEVICE_PX_PER_IMAGE_PX = 8;

export function fitScale(img: Size, box: Size): number {
  if (img.width <= 0 || img.height <= 0 || box.width <= 0 || box.height <= 0) return 1;
  return Math.min(box.width / img.width, box.height / img.height);
}

/** CSS pixels per image pixel for this photo in this pane. */
export function displayScale(s: ViewState, img: Size, box: Size, dpr: number): number {
  return s.actual ? 1 / dpr : fitScale(img, box) * s.zoom;
}

function maxZoom(img: Size, box: Size, dpr: number): number {
  return Math.max(1, MAX_DEVICE_PX_PER_IMAGE_PX / dpr / fitScale(img, box));
}

/** A centre coordinate that keeps the photo filling the pane along that axis (or centred when it is smaller). */
function clampAxis(c: number, visible: number): number {
  if (visible >= 1) return 0.5;
  return Math.min(1 - visible / 2, Math.max(visible / 2, c));
}

/** The state, with its centre kept inside what this photo can show. */
export function clampCentre(s: ViewState, img: Size, box: Size, dpr: number): ViewState {
  const k = displayScale(s, img, box, dpr);
  const cx = clampAxis(s.cx, box.width / (img.width * k));
  const cy = clampAxis(s.cy, box.height / (img.height * k));
  return cx === s.cx && cy === s.cy ? s : { ...s, cx, cy };
}

/**
 * Not clamped per photo: the state is kept inside the photo a gesture is made on, and every other
 * photo shows the very same normalised point in its middle, even if that shows its pane's
 * background past an edge (a photo of another aspect ratio). Aligned beats filled.
 */
export function layout(s: ViewState, img: Size, box: Size, dpr: number): Layout {
  const scale = displayScale(s, img, box, dpr);
  const c = s.zoom === 1 && !s.actual ? FIT : s;
  return { scale, x: box.width / 2 - c.cx * img.width * scale, y: box.height / 2 - c.cy * img.height * scale };
}

/** The normalised image point under a pane point (pane pixels from its top-left). */
export function pointAt(
  s: ViewState,
  img: Size,
  box: Size,
  dpr: number,
  px: number,
  py: number,
): { u: number; v: number } {
  const l = layout(s, img, box, dpr);
  return { u: (px - l.x) / (img.width * l.scale), v: (py - l.y) / (img.height * l.scale) };
}

/**
 * Zoom by `factor` keeping the image point under (px, py) where it is, measured on `img` (the photo
 * the pointer is over). Below fit it stops at fit; past 8 device px per image px it stops.
 */
export function zoomAbout(
  s: ViewState,
  factor: number,
  img: Size,
  box: Size,
  dpr: number,
  px = box.width / 2,
  py = box.height / 2,
): ViewState {
  if (!(factor > 0) || !Number.isFinite(factor)) return s;
  const fit = fitScale(img, box);
  const here = layout(s, img, box, dpr);
  const from = here.scale / fit;
  const zoom = Math.min(maxZoom(img, box, dpr), Math.max(1, from * factor));
  if (zoom === 1) return FIT;
  const { u, v } = pointAt(s, img, box, dpr, px, py);
  const scale = fit * zoom;
  const next: ViewState = {
    zoom,
    actual: false,
    cx: u - (px - box.width / 2) / (img.width * scale),
    cy: v - (py - box.height / 2) / (img.height * scale),
  };
  return clampCentre(next, img, box, dpr);
}

/** Move the view by a drag of (dx, dy) pane pixels over `img`: the photo follows the pointer. */
export function pan(s: ViewState, dx: number, dy: number, img: Size, box: Size, dpr: number): ViewState {
  const here = clampCentre(s, img, box, dpr);
  const k = displayScale(here, img, box, dpr);
  return clampCentre(
    { ...here, cx: here.cx - dx / (img.width * k), cy: here.cy - dy / (img.height * k) },
    img,
    box,
    dpr,
  );
}

/** 1:1 keeps the point in the middle; from 1:1, Z goes back to fit (Lightroom's toggle). */
export function toggleActual(s: ViewState): ViewState {
  return s.actual ? FIT : { ...s, actual: true };
}

/** Zoomed in far enough that some of this photo is out of its pane. */
export function isZoomed(s: ViewState, img: Size, box: Size, dpr: number): boolean {
  const k = displayScale(s, img, box, dpr);
  return img.width * k > box.width + 0.5 || img.height * k > box.height + 0.5;
}

/** What the zoom readout says for a photo: "Fit", "1:1" or the device-pixel percentage. */
export function zoomLabel(s: ViewState, img: Size, box: Size, dpr: number): string {
  if (s.actual) return '1:1';
  if (s.zoom === 1) return 'Fit';
  return `${Math.round(displayScale(s, img, box, dpr) * dpr * 100)}%`;
}

/** Wipe position (0..1 across the pane) after a key or a drag, kept inside the pane. */
export function clampWipe(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0.5;
}
