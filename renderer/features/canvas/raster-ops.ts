/**
 * Whole ops and whole docs: clear/fill/invert as typed-array fills, one op applied inside a clip,
 * where a replay may start (the last clear/fill), and a doc rendered or exported at any size.
 * Separate from the stroke scanliner (which it calls) and from MaskRaster (which keeps a replay
 * current across undo/redo): this is the stateless "doc → pixels" step.
 */

import { isPenStroke, type BitmapOp, type MaskDocLike, type MaskOp } from './mask-doc';
import {
  docBoxToRect,
  gridForSize,
  imageClipRect,
  rectIsEmpty,
  strokeDocBounds,
  type RasterGrid,
  type Rect,
} from './raster-geometry';
import { rasterizeStroke } from './rasterize-stroke';

function isFullRect(r: Rect, grid: RasterGrid): boolean {
  return r.x0 === 0 && r.y0 === 0 && r.x1 === grid.width && r.y1 === grid.height;
}

export function fillRect(data: Uint8Array, grid: RasterGrid, r: Rect, value: number): void {
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
    case 'bitmap':
      drawBitmap(data, grid, op, clip);
      return;
    case 'stroke':
      if (rectIsEmpty(docBoxToRect(strokeDocBounds(op), grid, clip))) return; // off-screen
      rasterizeStroke(
        data,
        grid,
        op.points,
        op.radius,
        usePressure && isPenStroke(op),
        op.mode === 'erase' ? 0 : 255,
        clip,
      );
      return;
  }
}

/**
 * A bitmap op's pixels on the grid: each output pixel takes the mask pixel under its sample point
 * (nearest neighbour, the same rule as the strokes' coverage), so at 1:1 it is the mask exactly.
 */
function drawBitmap(data: Uint8Array, grid: RasterGrid, op: BitmapOp, clip: Rect): void {
  if (rectIsEmpty(clip)) return;
  const W = grid.width;
  const bw = op.width;
  const cols = new Int32Array(clip.x1 - clip.x0);
  for (let x = clip.x0; x < clip.x1; x++) {
    const dx = Math.floor(grid.offsetX + (x + 0.5) * grid.scaleX);
    cols[x - clip.x0] = dx < 0 ? 0 : dx >= bw ? bw - 1 : dx;
  }
  for (let y = clip.y0; y < clip.y1; y++) {
    let dy = Math.floor(grid.offsetY + (y + 0.5) * grid.scaleY);
    dy = dy < 0 ? 0 : dy >= op.height ? op.height - 1 : dy;
    const src = dy * bw;
    const row = y * W;
    for (let x = clip.x0; x < clip.x1; x++) data[row + x] = op.data[src + cols[x - clip.x0]!]!;
  }
}

/**
 * Index of the first op to replay to reach State(upTo): one past the last clear/fill, or the last
 * bitmap itself (it is drawn, over a cleared raster); else 0.
 */
export function replayStart(ops: readonly MaskOp[], upTo: number): { start: number; base: number } {
  for (let i = upTo - 1; i >= 0; i--) {
    const k = ops[i]!.kind;
    if (k === 'clear') return { start: i + 1, base: 0 };
    if (k === 'fill') return { start: i + 1, base: 255 };
    if (k === 'bitmap') return { start: i, base: 0 };
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
