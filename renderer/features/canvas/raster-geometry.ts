/**
 * Raster geometry: the grid that maps output pixels to image coordinates, half-open pixel
 * rectangles, and a stroke's conservative bounds. Shared by the stroke scanliner, the whole-op
 * replay and the checkpointed raster; separate because it is the vocabulary they all speak and
 * has no pixels of its own.
 */

import type { StrokeOp } from './mask-doc';

/** Maps output pixels to doc (image) coordinates. */
export interface RasterGrid {
  /** Output size in pixels. */
  readonly width: number;
  readonly height: number;
  /** Doc units per output pixel. */
  readonly scaleX: number;
  readonly scaleY: number;
  /** Doc coordinate of the output's left/top edge. */
  readonly offsetX: number;
  readonly offsetY: number;
}

/** A rectangle in output pixels, half-open: [x0, x1) × [y0, y1). */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Grid covering the whole doc at `width` × `height` output pixels. */
export function gridForSize(docWidth: number, docHeight: number, width: number, height: number): RasterGrid {
  return { width, height, scaleX: docWidth / width, scaleY: docHeight / height, offsetX: 0, offsetY: 0 };
}

/** The output pixels whose sample point lies inside the doc (image) rectangle. */
export function imageClipRect(grid: RasterGrid, docWidth: number, docHeight: number): Rect {
  const x0 = clampInt(Math.ceil(-grid.offsetX / grid.scaleX - 0.5), 0, grid.width);
  const x1 = clampInt(Math.ceil((docWidth - grid.offsetX) / grid.scaleX - 0.5), 0, grid.width);
  const y0 = clampInt(Math.ceil(-grid.offsetY / grid.scaleY - 0.5), 0, grid.height);
  const y1 = clampInt(Math.ceil((docHeight - grid.offsetY) / grid.scaleY - 0.5), 0, grid.height);
  return { x0, y0, x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
}

function clampInt(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

export function rectIsEmpty(r: Rect): boolean {
  return r.x1 <= r.x0 || r.y1 <= r.y0;
}

export function intersectRect(a: Rect, b: Rect): Rect {
  const x0 = Math.max(a.x0, b.x0);
  const y0 = Math.max(a.y0, b.y0);
  return { x0, y0, x1: Math.max(x0, Math.min(a.x1, b.x1)), y1: Math.max(y0, Math.min(a.y1, b.y1)) };
}

export function unionRect(a: Rect | null, b: Rect | null): Rect | null {
  if (!a || rectIsEmpty(a)) return b && !rectIsEmpty(b) ? b : null;
  if (!b || rectIsEmpty(b)) return a;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

/** Doc-space bounding box of a stroke, including its radius (largest pressure factor). */
export interface DocBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

const boxCache = new WeakMap<StrokeOp, DocBox>();

/** Conservative doc-space bounds of a stroke (cached per op object). */
export function strokeDocBounds(op: StrokeOp): DocBox {
  let b = boxCache.get(op);
  if (b) return b;
  const p = op.points;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 2 < p.length; i += 3) {
    const x = p[i]!;
    const y = p[i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const r = op.radius; // pressure factor <= 1
  b = { minX: minX - r, minY: minY - r, maxX: maxX + r, maxY: maxY + r };
  boxCache.set(op, b);
  return b;
}

/** Output-pixel rect (conservative) touched by a doc-space box, clipped to `clip`. */
export function docBoxToRect(box: DocBox, grid: RasterGrid, clip: Rect): Rect {
  const r: Rect = {
    x0: Math.floor((box.minX - grid.offsetX) / grid.scaleX - 0.5),
    y0: Math.floor((box.minY - grid.offsetY) / grid.scaleY - 0.5),
    x1: Math.ceil((box.maxX - grid.offsetX) / grid.scaleX - 0.5) + 1,
    y1: Math.ceil((box.maxY - grid.offsetY) / grid.scaleY - 0.5) + 1,
  };
  return intersectRect(r, clip);
}
