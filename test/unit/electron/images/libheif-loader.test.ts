/**
 * The fast HEVC inverse transform put into libheif (libheif-loader.ts, idct/) must be libde265's
 * transform exactly: every size, sparse and dense blocks, coefficients at the 16-bit limits (the
 * first stage clips), predictions near 0 and 255 (the add clips). Whole photos decoded with it are
 * compared pixel for pixel with stock libheif in heic.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { idctMismatch, instantiateLibheif, loadLibheif } from '../../../../electron/services/images/libheif-loader';

const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures');

describe('libheif with the fast inverse transform', () => {
  it('is what the app loads (libheif-js 1.23.2, the build it was made for)', async () => {
    const loaded = await loadLibheif();
    expect(loaded.fastIdct).toBe(true);
  });

  it.each([4, 8, 16, 32] as const)('%i-point blocks: the same pixels as libde265’s own transform, block after block', async (n) => {
    const { lib, idct } = await loadLibheif();
    expect(idct).toBeDefined();
    // other blocks than the check at load makes (another seed, 60× as many)
    expect(idctMismatch(lib, idct!, { blocks: 1500, seed: n * 7919, sizes: [n] })).toBeNull();
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
