/**
 * One stroke → pixels with scanline spans: for every output row inside a segment's bounding box
 * the covered interval is computed in closed form (two disc chords and the two outer tangent
 * edges), and spans are merged per row across the whole stroke before one `TypedArray.fill` per
 * merged span. Separate because it is the hot path (the live stroke on screen and every stroke of
 * a replay) and the one piece of maths here worth reading on its own.
 */

import { pressureFactor } from './mask-doc';
import { rectIsEmpty, type RasterGrid, type Rect } from './raster-geometry';

const EMPTY = 0x7fffffff;
let rowLo = new Int32Array(0);
let rowHi = new Int32Array(0);

function ensureRows(height: number): void {
  if (rowLo.length >= height) return;
  rowLo = new Int32Array(height).fill(EMPTY);
  rowHi = new Int32Array(height);
}

/**
 * Rasterizes one stroke into `data` (row stride = grid.width), writing `value`
 * (255 paint, 0 erase) inside `clip`. Points from `fromPoint` on are drawn
 * (a segment joins fromPoint-1 → fromPoint when fromPoint > 0), so a live
 * stroke can be rasterized incrementally.
 * Returns the touched rows/cols as a rect, or null.
 */
export function rasterizeStroke(
  data: Uint8Array,
  grid: RasterGrid,
  points: Float32Array,
  radius: number,
  factorFromPressure: boolean,
  value: number,
  clip: Rect,
  fromPoint = 0,
): Rect | null {
  const n = Math.floor(points.length / 3);
  if (n === 0 || !(radius > 0) || rectIsEmpty(clip)) return null;
  const W = grid.width;
  ensureRows(grid.height);
  const lo = rowLo;
  const hi = rowHi;
  const sx = grid.scaleX;
  const sy = grid.scaleY;
  const isx = 1 / sx;
  const isy = 1 / sy;
  const ox = grid.offsetX;
  const oy = grid.offsetY;
  const cx0 = clip.x0;
  const cx1 = clip.x1 - 1;
  const cy0 = clip.y0;
  const cy1 = clip.y1 - 1;
  let touchMin = EMPTY;
  let touchMax = -1;
  let colMin = EMPTY;
  let colMax = -1;

  // When zoomed out (several doc px per output px), skip points closer than
  // ~0.35 output px to the previous drawn one: invisible at this scale and it
  // keeps the row work proportional to the output size.
  const skip = Math.min(sx, sy) * 0.35;
  const skip2 = skip > 0.75 ? skip * skip : 0;

  // Walk segments; `prev*` is the start point of the next segment.
  let start = fromPoint > 0 ? fromPoint - 1 : 0;
  if (start >= n) start = n - 1;
  let px = points[start * 3]!;
  let py = points[start * 3 + 1]!;
  let pr = radius * (factorFromPressure ? pressureFactor(points[start * 3 + 2]!) : 1);
  let first = fromPoint === 0 || n === 1;

  for (let i = first ? start : start + 1; i < n; i++) {
    let qx: number, qy: number, qr: number;
    if (first) {
      qx = px;
      qy = py;
      qr = pr;
    } else {
      qx = points[i * 3]!;
      qy = points[i * 3 + 1]!;
      if (skip2 > 0 && i < n - 1) {
        const ddx = qx - px;
        const ddy = qy - py;
        if (ddx * ddx + ddy * ddy < skip2) continue;
      }
      qr = radius * (factorFromPressure ? pressureFactor(points[i * 3 + 2]!) : 1);
    }

    // Segment (px,py,pr) -> (qx,qy,qr). Its hull = disc P ∪ disc Q ∪ the
    // quad between the outer tangent edges. Disc P was already drawn (it is
    // the previous segment's end disc, or the first point's disc), so per row
    // we compute the chord of Q, the two tangent-edge crossings and the
    // crossing of P's tangent chord; the hull of those values is a sub-interval
    // of the segment's row interval that, merged with P's span, equals it.
    const dx = qx - px;
    const dy = qy - py;
    const d = Math.sqrt(dx * dx + dy * dy);
    const dr = pr - qr;
    let hasEdges = false;
    // Edges 1, 2 (tangents) and 3 (P's tangent chord): start x/y, inverse slope, y range.
    // A horizontal edge (k = NaN) contributes both end x values on its exact row.
    let e1x0 = 0,
      e1x1 = 0,
      e1y0 = 0,
      e1k = 0,
      e1ymin = 0,
      e1ymax = -1;
    let e2x0 = 0,
      e2x1 = 0,
      e2y0 = 0,
      e2k = 0,
      e2ymin = 0,
      e2ymax = -1;
    let e3x0 = 0,
      e3x1 = 0,
      e3y0 = 0,
      e3k = 0,
      e3ymin = 0,
      e3ymax = -1;
    let ymin = qy - qr;
    let ymax = qy + qr;
    if (first) {
      first = false;
    } else if (d <= Math.abs(dr)) {
      // One disc contains the other: nothing new unless Q is the larger one.
      if (qr <= pr) {
        px = qx;
        py = qy;
        pr = qr;
        continue;
      }
    } else {
      hasEdges = true;
      const ux = dx / d;
      const uy = dy / d;
      const c = dr / d;
      const s = Math.sqrt(Math.max(0, 1 - c * c));
      const n1x = ux * c - uy * s;
      const n1y = uy * c + ux * s;
      const n2x = ux * c + uy * s;
      const n2y = uy * c - ux * s;
      const a1x = px + pr * n1x,
        a1y = py + pr * n1y;
      const b1x = qx + qr * n1x,
        b1y = qy + qr * n1y;
      const a2x = px + pr * n2x,
        a2y = py + pr * n2y;
      const b2x = qx + qr * n2x,
        b2y = qy + qr * n2y;
      e1x0 = a1x;
      e1x1 = b1x;
      e1y0 = a1y;
      e1k = b1y !== a1y ? (b1x - a1x) / (b1y - a1y) : NaN;
      e1ymin = a1y < b1y ? a1y : b1y;
      e1ymax = a1y < b1y ? b1y : a1y;
      e2x0 = a2x;
      e2x1 = b2x;
      e2y0 = a2y;
      e2k = b2y !== a2y ? (b2x - a2x) / (b2y - a2y) : NaN;
      e2ymin = a2y < b2y ? a2y : b2y;
      e2ymax = a2y < b2y ? b2y : a2y;
      e3x0 = a1x;
      e3x1 = a2x;
      e3y0 = a1y;
      e3k = a2y !== a1y ? (a2x - a1x) / (a2y - a1y) : NaN;
      e3ymin = a1y < a2y ? a1y : a2y;
      e3ymax = a1y < a2y ? a2y : a1y;
      if (e1ymin < ymin) ymin = e1ymin;
      if (e2ymin < ymin) ymin = e2ymin;
      if (e1ymax > ymax) ymax = e1ymax;
      if (e2ymax > ymax) ymax = e2ymax;
    }
    const qr2 = qr * qr;
    let yStart = Math.ceil((ymin - oy) * isy - 0.5);
    let yEnd = Math.floor((ymax - oy) * isy - 0.5);
    if (yStart < cy0) yStart = cy0;
    if (yEnd > cy1) yEnd = cy1;
    if (yStart <= yEnd) {
      // Skip segments whose hull lies left or right of the clip (zoomed-in views).
      const xmin = Math.min(px - pr, qx - qr);
      const xmax = Math.max(px + pr, qx + qr);
      if (Math.floor((xmax - ox) * isx - 0.5) < cx0 || Math.ceil((xmin - ox) * isx - 0.5) > cx1) yEnd = yStart - 1;
    }
    for (let y = yStart; y <= yEnd; y++) {
      const Y = oy + (y + 0.5) * sy;
      let a = Infinity;
      let b = -Infinity;
      const t = Y - qy;
      const q = qr2 - t * t;
      if (q >= 0) {
        const h = Math.sqrt(q);
        a = qx - h;
        b = qx + h;
      }
      if (hasEdges) {
        if (Y >= e1ymin && Y <= e1ymax) {
          if (e1k === e1k) {
            const x = e1x0 + (Y - e1y0) * e1k;
            if (x < a) a = x;
            if (x > b) b = x;
          } else {
            if (e1x0 < a) a = e1x0;
            if (e1x0 > b) b = e1x0;
            if (e1x1 < a) a = e1x1;
            if (e1x1 > b) b = e1x1;
          }
        }
        if (Y >= e2ymin && Y <= e2ymax) {
          if (e2k === e2k) {
            const x = e2x0 + (Y - e2y0) * e2k;
            if (x < a) a = x;
            if (x > b) b = x;
          } else {
            if (e2x0 < a) a = e2x0;
            if (e2x0 > b) b = e2x0;
            if (e2x1 < a) a = e2x1;
            if (e2x1 > b) b = e2x1;
          }
        }
        if (Y >= e3ymin && Y <= e3ymax) {
          if (e3k === e3k) {
            const x = e3x0 + (Y - e3y0) * e3k;
            if (x < a) a = x;
            if (x > b) b = x;
          } else {
            if (e3x0 < a) a = e3x0;
            if (e3x0 > b) b = e3x0;
            if (e3x1 < a) a = e3x1;
            if (e3x1 > b) b = e3x1;
          }
        }
      }
      if (!(a <= b)) continue;
      let xs = Math.ceil((a - ox) * isx - 0.5);
      let xe = Math.floor((b - ox) * isx - 0.5);
      if (xs < cx0) xs = cx0;
      if (xe > cx1) xe = cx1;
      if (xs > xe) continue;
      // Merge into the row's pending span, or flush it.
      const l = lo[y]!;
      if (l === EMPTY) {
        lo[y] = xs;
        hi[y] = xe;
        if (y < touchMin) touchMin = y;
        if (y > touchMax) touchMax = y;
      } else {
        const h = hi[y]!;
        if (xs <= h + 1 && xe >= l - 1) {
          if (xs < l) lo[y] = xs;
          if (xe > h) hi[y] = xe;
        } else {
          const row = y * W;
          data.fill(value, row + l, row + h + 1);
          if (l < colMin) colMin = l;
          if (h > colMax) colMax = h;
          lo[y] = xs;
          hi[y] = xe;
        }
      }
    }
    px = qx;
    py = qy;
    pr = qr;
  }

  if (touchMax < 0) return null;
  for (let y = touchMin; y <= touchMax; y++) {
    const l = lo[y]!;
    if (l === EMPTY) continue;
    const h = hi[y]!;
    data.fill(value, y * W + l, y * W + h + 1);
    if (l < colMin) colMin = l;
    if (h > colMax) colMax = h;
    lo[y] = EMPTY;
  }
  return { x0: colMin, y0: touchMin, x1: colMax + 1, y1: touchMax + 1 };
}
