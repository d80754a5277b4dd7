/**
 * Pixel measures for the training-set check, on plain arrays (no decoder here: the photo is
 * opened by ImagePipeline and arrives as an RGB raster already oriented and downscaled).
 */

export interface RgbRaster {
  width: number;
  height: number;
  /** width × height × 3 bytes, rows packed */
  data: Uint8Array;
}

/** Luma (BT.601 weights, as a grey copy of a JPEG would have). */
export function toGrey(rgb: RgbRaster): Float32Array {
  const { width, height, data } = rgb;
  const out = new Float32Array(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += 3)
    out[i] = 0.299 * data[j]! + 0.587 * data[j + 1]! + 0.114 * data[j + 2]!;
  return out;
}

/** Variance of the 4-neighbour Laplacian over the pixels of [x0, x1) × [y0, y1) that have all four neighbours. */
function laplacianVariance(
  g: Float32Array,
  width: number,
  height: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): number {
  let n = 0;
  let sum = 0;
  let sq = 0;
  const yEnd = Math.min(y1, height - 1);
  const xEnd = Math.min(x1, width - 1);
  for (let y = Math.max(1, y0); y < yEnd; y++) {
    const row = y * width;
    for (let x = Math.max(1, x0); x < xEnd; x++) {
      const i = row + x;
      const l = g[i - 1]! + g[i + 1]! + g[i - width]! + g[i + width]! - 4 * g[i]!;
      sum += l;
      sq += l * l;
      n++;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sq / n - mean * mean;
}

export const SHARPNESS_GRID = 8;

/**
 * How sharp the sharpest part of the photo is: the Laplacian's variance on each tile of an 8×8
 * grid, and the 90th percentile of those (the 7th-highest tile). A portrait with a soft
 * background still has its face in focus, which a whole-image variance would drown out; a
 * single noisy or high-contrast tile does not decide it either.
 */
export function sharpness(grey: Float32Array, width: number, height: number): number {
  const tiles: number[] = [];
  for (let ty = 0; ty < SHARPNESS_GRID; ty++) {
    for (let tx = 0; tx < SHARPNESS_GRID; tx++) {
      const x0 = Math.floor((tx * width) / SHARPNESS_GRID);
      const x1 = Math.floor(((tx + 1) * width) / SHARPNESS_GRID);
      const y0 = Math.floor((ty * height) / SHARPNESS_GRID);
      const y1 = Math.floor(((ty + 1) * height) / SHARPNESS_GRID);
      tiles.push(laplacianVariance(grey, width, height, x0, y0, x1, y1));
    }
  }
  tiles.sort((a, b) => a - b);
  return tiles[Math.floor(tiles.length * 0.9)] ?? 0;
}

/** The naive measure (whole-image Laplacian variance at whatever size it is given), for the bench. */
export function wholeImageLaplacianVariance(grey: Float32Array, width: number, height: number): number {
  return laplacianVariance(grey, width, height, 0, 0, width, height);
}

/** Box-average `grey` down to w × h (area sampling, so the result does not alias). */
export function shrink(grey: Float32Array, width: number, height: number, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy0 = Math.floor((y * height) / h);
    const sy1 = Math.max(sy0 + 1, Math.floor(((y + 1) * height) / h));
    for (let x = 0; x < w; x++) {
      const sx0 = Math.floor((x * width) / w);
      const sx1 = Math.max(sx0 + 1, Math.floor(((x + 1) * width) / w));
      let s = 0;
      for (let yy = sy0; yy < sy1; yy++) for (let xx = sx0; xx < sx1; xx++) s += grey[yy * width + xx]!;
      out[y * w + x] = s / ((sy1 - sy0) * (sx1 - sx0));
    }
  }
  return out;
}

/**
 * A 64-bit difference hash (dHash) as 16 hex digits: the grey picture at 9 × 8, one bit per
 * horizontal neighbour pair (is the left one brighter). The same picture at another size or
 * JPEG quality keeps almost every bit; another photo, even of the same person, flips many.
 */
export function dHash(grey: Float32Array, width: number, height: number): string {
  const small = shrink(grey, width, height, 9, 8);
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) byte = (byte << 1) | (small[y * 9 + x]! > small[y * 9 + x + 1]! ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** How many of two hashes' bits differ. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let d = 0;
  for (let i = 0; i < a.length; i += 2) {
    let x = parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

export function euclidean(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - (b[i] ?? 0)) ** 2;
  return Math.sqrt(s);
}
