/**
 * Mask rasterizer: MaskDoc ops → 1 byte per pixel (0 or 255). Pure TS, no DOM,
 * so the same code makes the full-resolution export (prepared image size), the
 * screen-resolution preview in MaskPainter, and runs in Node for tests/benches.
 *
 * Coverage rule: output pixel (x, y) samples the doc point
 *   (offsetX + (x + 0.5) * scaleX, offsetY + (y + 0.5) * scaleY)
 * and is covered by a stroke when that point lies in the union of the stroke's
 * segment hulls. A segment from (x0, y0, r0) to (x1, y1, r1) sweeps a disc whose
 * radius varies linearly, which is exactly the convex hull of its two end discs
 * (round caps and joins for free). Radius = op.radius × pressureFactor(p) for
 * pen strokes when the doc uses pressure, else op.radius.
 *
 * Speed: strokes are filled with scanline spans. For every output row inside a
 * segment's bounding box the covered interval is computed in closed form (two
 * disc chords and the two outer tangent edges), and spans are merged per row
 * across the whole stroke before a single `TypedArray.fill` per merged span.
 * Clear/fill/invert are O(n) typed-array ops, and replay starts at the last
 * clear/fill. `MaskRaster` adds checkpoints and dirty-rect undo.
 */

import { isPenStroke, pressureFactor, type MaskDocLike, type MaskOp, type StrokeOp } from './mask-doc';

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

// ---------------------------------------------------------------------------
// Span accumulation (per output row, merged across a whole stroke)

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
    let e1x0 = 0, e1x1 = 0, e1y0 = 0, e1k = 0, e1ymin = 0, e1ymax = -1;
    let e2x0 = 0, e2x1 = 0, e2y0 = 0, e2k = 0, e2ymin = 0, e2ymax = -1;
    let e3x0 = 0, e3x1 = 0, e3y0 = 0, e3k = 0, e3ymin = 0, e3ymax = -1;
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
      const a1x = px + pr * n1x, a1y = py + pr * n1y;
      const b1x = qx + qr * n1x, b1y = qy + qr * n1y;
      const a2x = px + pr * n2x, a2y = py + pr * n2y;
      const b2x = qx + qr * n2x, b2y = qy + qr * n2y;
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

// ---------------------------------------------------------------------------
// Whole ops

function isFullRect(r: Rect, grid: RasterGrid): boolean {
  return r.x0 === 0 && r.y0 === 0 && r.x1 === grid.width && r.y1 === grid.height;
}

function fillRect(data: Uint8Array, grid: RasterGrid, r: Rect, value: number): void {
  if (rectIsEmpty(r)) return;
  if (isFullRect(r, grid)) {
    data.fill(value);
    return;
  }
  const W = grid.width;
  if (r.x0 === 0 && r.x1 === W) {
    data.fill(value, r.y0 * W, r.y1 * W);
    return;
  }
  for (let y = r.y0; y < r.y1; y++) data.fill(value, y * W + r.x0, y * W + r.x1);
}

function invertRect(data: Uint8Array, grid: RasterGrid, r: Rect): void {
  if (rectIsEmpty(r)) return;
  const W = grid.width;
  if (r.x0 === 0 && r.x1 === W) {
    // Contiguous rows: flip 4 bytes at a time where aligned.
    let s = data.byteOffset + r.y0 * W;
    let e = data.byteOffset + r.y1 * W;
    const bytes = new Uint8Array(data.buffer);
    while (s < e && (s & 3) !== 0) bytes[s] = bytes[s++]! ^ 255;
    while (e > s && (e & 3) !== 0) {
      e--;
      bytes[e] = bytes[e]! ^ 255;
    }
    const words = new Uint32Array(data.buffer, s, (e - s) >> 2);
    for (let i = 0; i < words.length; i++) words[i] = ~words[i]!;
    return;
  }
  for (let y = r.y0; y < r.y1; y++) {
    const row = y * W;
    for (let i = row + r.x0, end = row + r.x1; i < end; i++) data[i] = data[i]! ^ 255;
  }
}

/** Applies one op to `data` inside `clip` (which must lie inside the image clip rect). */
export function applyOp(data: Uint8Array, grid: RasterGrid, op: MaskOp, usePressure: boolean, clip: Rect): void {
  switch (op.kind) {
    case 'clear':
      fillRect(data, grid, clip, 0);
      return;
    case 'fill':
      fillRect(data, grid, clip, 255);
      return;
    case 'invert':
      invertRect(data, grid, clip);
      return;
    case 'stroke':
      if (rectIsEmpty(docBoxToRect(strokeDocBounds(op), grid, clip))) return; // off-screen
      rasterizeStroke(data, grid, op.points, op.radius, usePressure && isPenStroke(op), op.mode === 'erase' ? 0 : 255, clip);
      return;
  }
}

/** Index of the first op to replay to reach State(upTo): one past the last clear/fill, else 0. */
export function replayStart(ops: readonly MaskOp[], upTo: number): { start: number; base: number } {
  for (let i = upTo - 1; i >= 0; i--) {
    const k = ops[i]!.kind;
    if (k === 'clear') return { start: i + 1, base: 0 };
    if (k === 'fill') return { start: i + 1, base: 255 };
  }
  return { start: 0, base: 0 };
}

/**
 * Rasterizes `doc` (ops [0, upToIndex)) at width × height (1 byte/px, 0 or 255),
 * scaling from doc coordinates when the size differs from the doc's.
 */
export function rasterizeMask(
  doc: MaskDocLike,
  width: number = doc.width,
  height: number = doc.height,
  upToIndex: number = doc.index,
): Uint8Array {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  const grid = gridForSize(doc.width, doc.height, w, h);
  const data = new Uint8Array(w * h);
  renderOps(data, grid, doc, Math.min(upToIndex, doc.ops.length));
  return data;
}

/** Renders State(upTo) of `doc` into `data` (fully overwritten inside the image clip rect). */
export function renderOps(data: Uint8Array, grid: RasterGrid, doc: MaskDocLike, upTo: number, clip?: Rect): void {
  const c = clip ?? imageClipRect(grid, doc.width, doc.height);
  const ops = doc.ops;
  const { start, base } = replayStart(ops, upTo);
  fillRect(data, grid, c, base);
  for (let i = start; i < upTo; i++) applyOp(data, grid, ops[i]!, doc.usePressure, c);
}

/** Fraction of covered pixels (0..1). */
export function maskCoverage(data: Uint8Array): number {
  if (data.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) n++;
  return n / data.length;
}

// ---------------------------------------------------------------------------
// Checkpointed raster (fast undo/redo)

export interface MaskRasterOptions {
  /** Save a checkpoint every N ops (default 20). */
  checkpointInterval?: number;
  /** Memory budget for checkpoints in bytes (default 128 MiB, at least 2 checkpoints). */
  maxCheckpointBytes?: number;
}

interface Checkpoint {
  index: number;
  /** ops[index - 1] when saved; a different object there means the branch was truncated. */
  tail: MaskOp;
  data: Uint8Array;
  usePressure: boolean;
}

/**
 * Keeps `data` equal to State(index) of a doc on a fixed grid and moves it
 * between history indices cheaply:
 *  - forward (new op / redo): applies only the new ops;
 *  - backward (undo): the pixels that can change are inside the union of the
 *    undone strokes' bounds, so only that rect is restored from the nearest
 *    checkpoint (or the last clear/fill) and re-rendered, clipped;
 *  - anything else (grid change, truncated branch, pressure toggle): full
 *    replay from the best start.
 * Checkpoints are full copies saved every `checkpointInterval` ops; when over
 * the memory budget the one farthest from the current index is dropped.
 */
export class MaskRaster {
  private _grid: RasterGrid;
  private _data: Uint8Array;
  private doc: MaskDocLike;
  private clip: Rect;
  private current = -1; // -1: invalid
  private currentTail: MaskOp | null = null;
  private currentPressure = true;
  private checkpoints: Checkpoint[] = [];
  private spare: Uint8Array[] = [];
  private readonly interval: number;
  private readonly budget: number;
  private checkpointFrom = 0;

  constructor(doc: MaskDocLike, grid: RasterGrid, options: MaskRasterOptions = {}) {
    this.doc = doc;
    this._grid = grid;
    this._data = new Uint8Array(grid.width * grid.height);
    this.clip = imageClipRect(grid, doc.width, doc.height);
    this.interval = Math.max(1, options.checkpointInterval ?? 20);
    this.budget = options.maxCheckpointBytes ?? 128 * 1024 * 1024;
  }

  /** The raster (State(renderedIndex)); do not mutate. */
  get data(): Uint8Array {
    return this._data;
  }
  get grid(): RasterGrid {
    return this._grid;
  }
  /** The rect of output pixels inside the image. */
  get imageRect(): Rect {
    return this.clip;
  }
  get renderedIndex(): number {
    return this.current;
  }
  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  setDoc(doc: MaskDocLike): void {
    if (doc === this.doc) return;
    this.doc = doc;
    this.clip = imageClipRect(this._grid, doc.width, doc.height);
    this.invalidate();
  }

  /** Changes the output grid (e.g. zoom/pan/resize). Drops every cached raster. */
  setGrid(grid: RasterGrid): void {
    const g = this._grid;
    if (
      g.width === grid.width &&
      g.height === grid.height &&
      g.scaleX === grid.scaleX &&
      g.scaleY === grid.scaleY &&
      g.offsetX === grid.offsetX &&
      g.offsetY === grid.offsetY
    ) {
      return;
    }
    const sameSize = g.width === grid.width && g.height === grid.height;
    this._grid = grid;
    this.clip = imageClipRect(grid, this.doc.width, this.doc.height);
    if (!sameSize) {
      this._data = new Uint8Array(grid.width * grid.height);
      this.spare = [];
      this.checkpoints = [];
    }
    this.invalidate();
  }

  /** Forgets the current raster and all checkpoints (the next render is a full replay). */
  invalidate(): void {
    this.current = -1;
    this.currentTail = null;
    for (const c of this.checkpoints) this.spare.push(c.data);
    this.checkpoints = [];
    this.trimSpare();
  }

  private maxCheckpoints(): number {
    return Math.max(2, Math.floor(this.budget / Math.max(1, this._data.length)));
  }

  /** Keeps freed checkpoint buffers for reuse, within the checkpoint budget. */
  private trimSpare(): void {
    const size = this._data.length;
    this.spare = this.spare.filter((b) => b.length === size);
    const max = this.maxCheckpoints() - this.checkpoints.length;
    if (this.spare.length > max) this.spare.length = Math.max(0, max);
  }

  dispose(): void {
    this.invalidate();
    this.spare = [];
    this._data = new Uint8Array(0);
  }

  private isValidAt(index: number, tail: MaskOp | null): boolean {
    const ops = this.doc.ops;
    if (index < 0 || index > ops.length) return false;
    if (index === 0) return true;
    return ops[index - 1] === tail;
  }

  /**
   * Brings `data` to State(index) (default: the doc's current index).
   * Returns the rect of output pixels that may have changed, or null if none.
   * Checkpoints are only saved at indices >= `checkpointFrom`; a full replay
   * saves just the two boundaries below the target (the ones undo needs first).
   */
  render(index: number = this.doc.index, checkpointFrom = 0): Rect | null {
    const doc = this.doc;
    const ops = doc.ops;
    const target = Math.max(0, Math.min(index, ops.length));
    const grid = this._grid;
    const full: Rect = { x0: 0, y0: 0, x1: grid.width, y1: grid.height };
    const valid =
      this.current >= 0 && this.currentPressure === doc.usePressure && this.isValidAt(this.current, this.currentTail);

    this.checkpointFrom = checkpointFrom;
    if (!valid) {
      this.rebuild(full, target, true);
      return full;
    }
    if (target === this.current) return null;

    if (target > this.current) {
      let dirty: Rect | null = null;
      for (let i = this.current; i < target; i++) {
        const op = ops[i]!;
        applyOp(this._data, grid, op, doc.usePressure, this.clip);
        dirty = unionRect(dirty, this.opRect(op));
        this.maybeCheckpoint(i + 1, op);
      }
      this.setCurrent(target);
      return dirty;
    }

    // Backward: only the undone ops' pixels can differ.
    let dirty: Rect | null = null;
    for (let i = target; i < this.current; i++) {
      dirty = unionRect(dirty, this.opRect(ops[i]!));
      if (dirty && this.coversClip(dirty)) break;
    }
    if (!dirty) {
      this.setCurrent(target);
      return null;
    }
    this.rebuild(dirty, target, this.coversClip(dirty));
    return dirty;
  }

  private coversClip(r: Rect): boolean {
    const c = this.clip;
    return r.x0 <= c.x0 && r.y0 <= c.y0 && r.x1 >= c.x1 && r.y1 >= c.y1;
  }

  private opRect(op: MaskOp): Rect {
    if (op.kind === 'stroke') return docBoxToRect(strokeDocBounds(op), this._grid, this.clip);
    return { ...this.clip };
  }

  /** Re-renders `region` of data as State(target) from the best available start. */
  private rebuild(region: Rect, target: number, fullRegion: boolean): void {
    const doc = this.doc;
    const ops = doc.ops;
    const grid = this._grid;
    const data = this._data;
    const { start: resetStart, base } = replayStart(ops, target);
    let start = resetStart;
    let cp: Checkpoint | null = null;
    for (const c of this.checkpoints) {
      if (c.index <= target && c.index > start && c.usePressure === doc.usePressure && this.isValidAt(c.index, c.tail)) {
        start = c.index;
        cp = c;
      }
    }
    const clip = intersectRect(region, this.clip);
    if (fullRegion) {
      if (cp) data.set(cp.data);
      else {
        data.fill(0);
        fillRect(data, grid, this.clip, base);
      }
    } else if (cp) {
      const W = grid.width;
      for (let y = clip.y0; y < clip.y1; y++) {
        const s = y * W + clip.x0;
        data.set(cp.data.subarray(s, y * W + clip.x1), s);
      }
    } else {
      fillRect(data, grid, clip, base);
    }
    const saveFrom = Math.max(this.checkpointFrom, target - 2 * this.interval);
    for (let i = start; i < target; i++) {
      const op = ops[i]!;
      applyOp(data, grid, op, doc.usePressure, clip);
      if (fullRegion && i + 1 >= saveFrom) this.maybeCheckpoint(i + 1, op);
    }
    this.setCurrent(target);
  }

  private setCurrent(index: number): void {
    this.current = index;
    this.currentTail = index > 0 ? this.doc.ops[index - 1]! : null;
    this.currentPressure = this.doc.usePressure;
  }

  private maybeCheckpoint(index: number, tail: MaskOp): void {
    if (index % this.interval !== 0 || index < this.checkpointFrom) return;
    const existing = this.checkpoints.find((c) => c.index === index);
    if (existing && existing.tail === tail && existing.usePressure === this.doc.usePressure) return;
    const size = this._data.length;
    const maxCount = this.maxCheckpoints();
    // Drop stale checkpoints first.
    this.checkpoints = this.checkpoints.filter((c) => {
      const keep = c !== existing && this.isValidAt(c.index, c.tail);
      if (!keep) this.spare.push(c.data);
      return keep;
    });
    while (this.checkpoints.length >= maxCount) {
      let far = 0;
      for (let i = 1; i < this.checkpoints.length; i++) {
        if (Math.abs(this.checkpoints[i]!.index - index) > Math.abs(this.checkpoints[far]!.index - index)) far = i;
      }
      this.spare.push(this.checkpoints[far]!.data);
      this.checkpoints.splice(far, 1);
    }
    let buf = this.spare.pop();
    if (!buf || buf.length !== size) buf = new Uint8Array(size);
    buf.set(this._data);
    this.checkpoints.push({ index, tail, data: buf, usePressure: this.doc.usePressure });
  }
}
