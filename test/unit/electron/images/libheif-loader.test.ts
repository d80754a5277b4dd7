/**
 * The fast HEVC inverse transform put into libheif (libheif-loader.ts, idct/) must be libde265's
 * transform exactly: every size, sparse and dense blocks, coefficients at the 16-bit limits (the
 * first stage clips), predictions near 0 and 255 (the add clips). Whole photos decoded with it are
 * compared pixel for pixel with stock libheif in heic.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { instantiateLibheif, loadLibheif } from '../../../../electron/services/images/libheif-loader';

const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures');

/** Small deterministic PRNG (mulberry32): failures must be reproducible. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('libheif with the fast inverse transform', () => {
  it('is what the app loads (libheif-js 1.23.2, the build it was made for)', async () => {
    const loaded = await loadLibheif();
    expect(loaded.fastIdct).toBe(true);
  });

  it.each([4, 8, 16, 32])('%i-point blocks: the same pixels as libde265’s own transform, block after block', async (N) => {
    const { lib, idct } = await loadLibheif();
    expect(idct).toBeDefined();
    const name = `idct${N}` as 'idct4' | 'idct8' | 'idct16' | 'idct32';
    const stride = N + 13; // not the block width, as in a real picture
    const coeffs = lib._malloc(N * N * 2);
    const dstA = lib._malloc(stride * N);
    const dstB = lib._malloc(stride * N);
    const random = rng(N * 7919);
    try {
      for (let block = 0; block < 1500; block++) {
        // a mix of what an encoder produces: DC only, a few low frequencies, dense, and extremes
        const kind = block % 5;
        const c = new Int16Array(N * N);
        if (kind === 0) c[0] = Math.round((random() - 0.5) * 4000);
        else if (kind === 1) for (let k = 0; k < 4; k++) c[Math.floor(random() * Math.min(16, N * N))] = Math.round((random() - 0.5) * 600);
        else if (kind === 2) for (let k = 0; k < N * N; k++) c[k] = random() < 0.3 ? Math.round((random() - 0.5) * 200) : 0;
        else if (kind === 3) for (let k = 0; k < N * N; k++) c[k] = Math.round((random() - 0.5) * 65534);
        else for (let k = 0; k < N * N; k++) c[k] = random() < 0.1 ? (random() < 0.5 ? -32768 : 32767) : 0;
        const pred = new Uint8Array(stride * N);
        for (let k = 0; k < pred.length; k++) pred[k] = kind === 4 ? (random() < 0.5 ? 0 : 255) : Math.floor(random() * 256);
        const heap16 = new Int16Array(lib.HEAPU8.buffer);
        heap16.set(c, coeffs >> 1);
        lib.HEAPU8.set(pred, dstA);
        lib.HEAPU8.set(pred, dstB);
        idct!.stock[name](dstA, coeffs, stride);
        new Int16Array(lib.HEAPU8.buffer).set(c, coeffs >> 1);
        idct!.fast[name](dstB, coeffs, stride);
        const a = lib.HEAPU8.slice(dstA, dstA + stride * N);
        const b = lib.HEAPU8.slice(dstB, dstB + stride * N);
        if (Buffer.compare(a, b) !== 0) {
          const at = a.findIndex((v, i) => v !== b[i]);
          expect.fail(`block ${block} (kind ${kind}) differs at byte ${at}: stock ${a[at]}, fast ${b[at]}`);
        }
      }
    } finally {
      lib._free(coeffs);
      lib._free(dstA);
      lib._free(dstB);
    }
  });

  it('a transform that gives other pixels is refused at load, and libheif runs as shipped', async () => {
    const { IDCT_WASM_BASE64 } = await import('../../../../electron/services/images/idct/idct-wasm');
    const good = Buffer.from(IDCT_WASM_BASE64, 'base64');
    // the same module with its 4×4 and 8×8 exports swapped: each slot now gets the wrong transform
    const wrong = Buffer.from(good);
    const swap = (from: string, to: string) => {
      for (let at = wrong.indexOf(from); at >= 0; at = wrong.indexOf(from, at + 1)) wrong.write(to, at);
    };
    swap('idct4', 'idctX');
    swap('idct8', 'idct4');
    swap('idctX', 'idct8');
    expect(Buffer.compare(wrong, good)).not.toBe(0);
    const refused = await instantiateLibheif({ idctModule: wrong });
    expect(refused.fastIdct).toBe(false);
    expect(refused.idct).toBeUndefined();
    const accepted = await instantiateLibheif({ idctModule: good });
    expect(accepted.fastIdct).toBe(true);
  });

  it('asked for stock libheif, it is left as shipped, and decodes the same picture', async () => {
    const stock = await instantiateLibheif({ fastIdct: false });
    expect(stock.fastIdct).toBe(false);
    expect(stock.idct).toBeUndefined();
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, 'selfie.heic')));
    const decodeWith = (L: typeof stock.lib) => {
      const s = L._malloc(64);
      const d = L._malloc(bytes.byteLength);
      L.HEAPU8.set(bytes, d);
      const ctx = L._heif_context_alloc();
      const u32 = (p: number) => new DataView(L.HEAPU8.buffer).getUint32(p, true);
      try {
        L._heif_context_read_from_memory_without_copy(s, ctx, d, bytes.byteLength, 0);
        L._heif_context_get_primary_image_handle(s, ctx, s + 16);
        const h = u32(s + 16);
        L._heif_decode_image(s, h, s + 20, 1, 10, 0);
        const img = u32(s + 20);
        const plane = L._heif_image_get_plane_readonly(img, 10, s + 24);
        const stride = u32(s + 24);
        const out = Buffer.alloc(600 * 800 * 3);
        for (let y = 0; y < 800; y++) out.set(L.HEAPU8.subarray(plane + y * stride, plane + y * stride + 600 * 3), y * 600 * 3);
        L._heif_image_release(img);
        L._heif_image_handle_release(h);
        return out;
      } finally {
        L._heif_context_free(ctx);
        L._free(d);
        L._free(s);
      }
    };
    const fast = await loadLibheif();
    expect(Buffer.compare(decodeWith(stock.lib), decodeWith(fast.lib))).toBe(0);
  });
});
