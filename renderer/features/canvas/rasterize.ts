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
 *
 * Where each part lives: raster-geometry.ts (grid, rects, stroke bounds),
 * rasterize-stroke.ts (the scanline stroke fill), raster-ops.ts (whole ops,
 * replay, export), mask-raster.ts (the checkpointed raster). This file only
 * re-exports them, so callers keep one import.
 */

// The rasterizer's public face: callers import from here; each concern lives in its own file.
export {
  docBoxToRect,
  gridForSize,
  imageClipRect,
  intersectRect,
  rectIsEmpty,
  strokeDocBounds,
  unionRect,
  type DocBox,
  type RasterGrid,
  type Rect,
} from './raster-geometry';
export { rasterizeStroke } from './rasterize-stroke';
export { applyOp, maskCoverage, rasterizeMask, renderOps, replayStart } from './raster-ops';
export { MaskRaster, type MaskRasterOptions } from './mask-raster';
