/**
 * The HEVC inverse DCT plus add, 8-bit, exactly as the standard (H.265 §8.6.4.2) and libde265's
 * generic fallback (fallback-dct.cc, transform_idct_add<uint8_t>) compute it. Shared by build.mjs
 * (which writes its constants into the fast version) and find-slots.mjs (which recognises libde265's
 * own functions in a libheif.wasm by running them against this).
 */

/**
 * transMatrix: the coefficient of row k, column n of the 32-point inverse DCT is ±C[(2n+1)k mod 128]
 * folded into 0..32; row 0 is 64. The 4/8/16-point matrices are its rows 8k, 4k, 2k.
 */
export const C = [
  64, 90, 90, 90, 89, 88, 87, 85, 83, 82, 80, 78, 75, 73, 70, 67, 64, 61, 57, 54, 50, 46, 43, 38, 36, 31, 25, 22, 18,
  13, 9, 4, 0,
];

export function T(k, n) {
  if (k === 0) return 64;
  const a = ((2 * n + 1) * k) % 128;
  if (a <= 32) return C[a];
  if (a <= 64) return -C[64 - a];
  if (a <= 96) return -C[a - 64];
  return C[128 - a];
}

/** The 32×32 matrix row by row (libde265's `mat_dct[32][32]`). */
export function transMatrix() {
  return Array.from({ length: 32 * 32 }, (_, i) => T(i >> 5, i & 31));
}

const clip16 = (v) => (v < -32768 ? -32768 : v > 32767 ? 32767 : v);
const clip8 = (v) => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * `dst` (n rows of `stride` bytes, the prediction) plus the inverse transform of `coeffs` (n×n,
 * row-major): stage 1 down the columns, (sum + 64) >> 7 clipped to 16 bits; stage 2 along the rows,
 * (sum + 2048) >> 12 added, clipped to 0..255. Writes into `dst` (a Uint8Array).
 */
export function idctAddReference(n, coeffs, dst, stride) {
  const f = 32 / n;
  const g = new Int32Array(n * n);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += T(f * j, i) * coeffs[c + j * n];
      g[c + i * n] = clip16((sum + 64) >> 7);
    }
  }
  for (let y = 0; y < n; y++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += T(f * j, i) * g[y * n + j];
      dst[y * stride + i] = clip8(dst[y * stride + i] + ((sum + 2048) >> 12));
    }
  }
  return dst;
}

/**
 * Deterministic test blocks for size n: DC only, a few low frequencies, dense small values, 16-bit
 * extremes (the first stage clips) and dense full-range values over predictions at 0 and 255 (the
 * add clips). Each is `{ coeffs: Int16Array(n*n), pred: Uint8Array(rows*stride) }`.
 */
export function testBlocks(n, count, seed, stride, rows = n) {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: count }, (_, block) => {
    const kind = block % 5;
    const coeffs = new Int16Array(n * n).map((_, k) => {
      if (kind === 0) return k === 0 ? Math.round((next() - 0.5) * 4000) : 0;
      if (kind === 1) return k < 12 && next() < 0.5 ? Math.round((next() - 0.5) * 800) : 0;
      if (kind === 2) return next() < 0.4 ? Math.round((next() - 0.5) * 120) : 0;
      if (kind === 3) return next() < 0.08 ? (next() < 0.5 ? -32768 : 32767) : 0;
      return Math.round((next() - 0.5) * 65534);
    });
    const pred = new Uint8Array(rows * stride).map(() =>
      kind === 4 ? (next() < 0.5 ? 0 : 255) : Math.floor(next() * 256),
    );
    return { coeffs, pred };
  });
}
