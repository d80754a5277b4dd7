/**
 * The fast HEVC inverse transform put into libheif (libheif-loader.ts, heic-fast-idct/) must be
 * libde265's transform exactly: every size, sparse and dense blocks, coefficients at the 16-bit
 * limits (the first stage clips), predictions near 0 and 255 (the add clips). Whole photos decoded
 * with it are compared pixel for pixel with stock libheif in heic.test.ts.
 * Each guard refuses on its own and says why; SSEELFIE_STOCK_HEIC=1 decodes with libheif as shipped;
 * the main process knows the decision without loading libheif (the probe makes the same checks).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  idctMismatch,
  instantiateLibheif,
  loadLibheif,
  type HeicTransformStatus,
  type LoadedLibheif,
} from '../../../../electron/services/images/libheif-loader';
import { probeFastIdct, type PatchOptions } from '../../../../electron/services/images/heic-fast-idct/patch';
import { IDCT_WASM_BASE64 } from '../../../../electron/services/images/heic-fast-idct/idct-wasm';
import { TARGET } from '../../../../electron/services/images/heic-fast-idct/target';

const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures');
const WASM = new Uint8Array(
  readFileSync(createRequire(import.meta.url).resolve('libheif-js/libheif-wasm/libheif.wasm')),
);
const GOOD_IDCT = Buffer.from(IDCT_WASM_BASE64, 'base64');

/** The fast module with its 4×4 and 8×8 exports swapped: each slot then gets the wrong transform. */
function swappedIdct(): Buffer {
  const wrong = Buffer.from(GOOD_IDCT);
  const swap = (from: string, to: string) => {
    for (let at = wrong.indexOf(from); at >= 0; at = wrong.indexOf(from, at + 1)) wrong.write(to, at);
  };
  swap('idct4', 'idctX');
  swap('idct8', 'idct4');
  swap('idctX', 'idct8');
  return wrong;
}

/** libheif.wasm with a custom section appended: the same program, another SHA-256. */
const OTHER_BUILD = new Uint8Array([...WASM, 0, 6, 5, ...Buffer.from('other')]);

/** Decodes fixtures/selfie.heic (600×800) to RGB with libheif's C API. */
function decodeSelfie(L: LoadedLibheif['lib']): Buffer {
  const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, 'selfie.heic')));
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
    for (let y = 0; y < 800; y++)
      out.set(L.HEAPU8.subarray(plane + y * stride, plane + y * stride + 600 * 3), y * 600 * 3);
    L._heif_image_release(img);
    L._heif_image_handle_release(h);
    return out;
  } finally {
    L._heif_context_free(ctx);
    L._free(d);
    L._free(s);
  }
}

/** What each transform slot of the loaded libheif holds: 'stock' (libde265's own), 'fast', or 'other'. */
function slotContents(loaded: LoadedLibheif): string[] {
  return Object.entries(TARGET.transforms).flatMap(([name, t]) =>
    t.slots.map((slot) => {
      const f = loaded.table!.get(slot) as { name: string };
      if (f.name === String(t.function)) return 'stock';
      return loaded.idct && f === loaded.idct.fast[name as keyof typeof TARGET.transforms] ? 'fast' : 'other';
    }),
  );
}

describe('libheif with the fast inverse transform', () => {
  it('is what the app loads (libheif-js 1.23.2, the build it was made for), and says why', async () => {
    const loaded = await loadLibheif();
    expect(loaded.fastIdct).toBe(true);
    expect(loaded.status).toMatchObject({ transform: 'fast', cause: 'fast' });
    expect(loaded.status.reason).toMatch(/libheif-js 1\.23\.2.*load-time check passed/);
    expect(slotContents(loaded)).toEqual(['fast', 'fast', 'fast', 'fast']);
  });

  it.each([4, 8, 16, 32] as const)(
    '%i-point blocks: the same pixels as libde265’s own transform, block after block',
    async (n) => {
      const { lib, idct } = await loadLibheif();
      expect(idct).toBeDefined();
      // other blocks than the check at load makes (another seed, 60× as many)
      expect(idctMismatch(lib, idct!, { blocks: 1500, seed: n * 7919, sizes: [n] })).toBeNull();
    },
  );

  it('a transform that gives other pixels is refused at load, and libheif runs as shipped', async () => {
    const wrong = swappedIdct();
    expect(Buffer.compare(wrong, GOOD_IDCT)).not.toBe(0);
    const refused = await instantiateLibheif({ idctModule: wrong });
    expect(refused.fastIdct).toBe(false);
    expect(refused.idct).toBeUndefined();
    expect(refused.status).toMatchObject({ transform: 'stock', cause: 'check' });
    expect(refused.status.reason).toMatch(/load-time check found a block that differs.*4×4 block/);
    expect(slotContents(refused)).toEqual(['stock', 'stock', 'stock', 'stock']);
    const accepted = await instantiateLibheif({ idctModule: GOOD_IDCT });
    expect(accepted.fastIdct).toBe(true);
  });
});

describe('SSEELFIE_STOCK_HEIC=1: libheif exactly as shipped', () => {
  const saved = process.env.SSEELFIE_STOCK_HEIC;
  afterEach(() => {
    if (saved === undefined) delete process.env.SSEELFIE_STOCK_HEIC;
    else process.env.SSEELFIE_STOCK_HEIC = saved;
  });

  it('set in the environment, the table keeps libde265’s transforms, and the photo decodes to the same pixels', async () => {
    process.env.SSEELFIE_STOCK_HEIC = '1';
    const stock = await instantiateLibheif();
    expect(stock.fastIdct).toBe(false);
    expect(stock.idct).toBeUndefined();
    expect(stock.status).toEqual({ transform: 'stock', cause: 'env', reason: 'SSEELFIE_STOCK_HEIC=1 is set' });
    expect(slotContents(stock)).toEqual(['stock', 'stock', 'stock', 'stock']);
    const fast = await loadLibheif();
    expect(fast.fastIdct).toBe(true);
    expect(Buffer.compare(decodeSelfie(stock.lib), decodeSelfie(fast.lib))).toBe(0);
  });

  it.each([['0'], ['false'], ['']])('SSEELFIE_STOCK_HEIC=%j does not force it', async (v) => {
    const loaded = await instantiateLibheif({ env: { SSEELFIE_STOCK_HEIC: v } });
    expect(loaded.status.cause).toBe('fast');
  });
});

describe('every guard refuses on its own, says why, and the probe (no libheif loaded) decides the same', () => {
  const cases: Array<[string, PatchOptions & { wasm?: Uint8Array }, HeicTransformStatus['cause'], RegExp]> = [
    ['the targeted build', {}, 'fast', /load-time check passed/],
    ['the switch set', { env: { SSEELFIE_STOCK_HEIC: '1' } }, 'env', /^SSEELFIE_STOCK_HEIC=1 is set$/],
    [
      'another libheif.wasm',
      { wasm: OTHER_BUILD },
      'hash',
      /not the build the fast transform was made for.*libheif-js 1\.23\.2.*re-target/,
    ],
    [
      'slots that hold other functions',
      {
        target: {
          ...TARGET,
          transforms: {
            ...TARGET.transforms,
            idct16: { function: TARGET.transforms.idct16.function, slots: [TARGET.transforms.idct8.slots[0]!] },
          },
        },
      },
      'slots',
      /table slot \d+ does not hold libde265's 16×16 transform/,
    ],
    [
      'a fast module that does not build',
      { idctModule: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]) },
      'module',
      /fast transform's WebAssembly does not build here/,
    ],
    [
      'a fast module that gives other pixels',
      { idctModule: swappedIdct() },
      'check',
      /load-time check found a block that differs/,
    ],
  ];

  it.each(cases)('%s', async (_name, opts, cause, reason) => {
    const loaded = await instantiateLibheif({ env: {}, ...opts });
    expect(loaded.status.cause).toBe(cause);
    expect(loaded.status.transform).toBe(cause === 'fast' ? 'fast' : 'stock');
    expect(loaded.status.reason).toMatch(reason);
    expect(loaded.fastIdct).toBe(cause === 'fast');
    expect(slotContents(loaded)).toEqual(Array(4).fill(cause === 'fast' ? 'fast' : 'stock'));
    if (cause === 'fast')
      expect(
        Buffer.compare(
          decodeSelfie(loaded.lib),
          decodeSelfie((await instantiateLibheif({ env: { SSEELFIE_STOCK_HEIC: '1' } })).lib),
        ),
      ).toBe(0);
    const { wasm, ...rest } = opts;
    expect(await probeFastIdct(wasm ?? WASM, { env: {}, ...rest })).toEqual(loaded.status);
  });
});

describe('heicTransformStatus: what the process decodes with, for the log', () => {
  afterEach(() => {
    vi.resetModules();
  });

  it('is known before libheif is loaded (the probe), is what a load then finds, and listeners hear of each change', async () => {
    vi.resetModules(); // a loader that has not loaded libheif in this thread yet
    const fresh = await import('../../../../electron/services/images/libheif-loader');
    const heard: HeicTransformStatus[] = [];
    const stop = fresh.onHeicTransformStatus((s) => heard.push(s));
    const atStart = await fresh.heicTransformStatus();
    expect(atStart).toMatchObject({ transform: 'fast', cause: 'fast' });
    expect(heard).toEqual([atStart]);
    // the load decides the same: nothing new to say
    expect((await fresh.loadLibheif()).status).toEqual(atStart);
    expect(heard).toHaveLength(1);
    // a worker that came to another decision (as heic-worker-decoder.ts passes its replies on)
    const other: HeicTransformStatus = {
      transform: 'stock',
      cause: 'check',
      reason: 'no memory for the fast transform’s stack',
    };
    fresh.noteHeicTransformStatus(other);
    fresh.noteHeicTransformStatus({ ...other });
    expect(heard).toEqual([atStart, other]);
    expect(await fresh.heicTransformStatus()).toEqual(other);
    // a listener that subscribes late hears the current one at once
    const late: HeicTransformStatus[] = [];
    fresh.onHeicTransformStatus((s) => late.push(s))();
    expect(late).toEqual([other]);
    stop();
    fresh.noteHeicTransformStatus(atStart);
    expect(heard).toHaveLength(2);
  });

  it('with the switch set, the probe says stock without compiling libheif', async () => {
    vi.resetModules();
    const saved = process.env.SSEELFIE_STOCK_HEIC;
    process.env.SSEELFIE_STOCK_HEIC = '1';
    const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } })
      .WebAssembly;
    const compile = vi.spyOn(wasmApi, 'compile');
    try {
      const fresh = await import('../../../../electron/services/images/libheif-loader');
      expect(await fresh.heicTransformStatus()).toEqual({
        transform: 'stock',
        cause: 'env',
        reason: 'SSEELFIE_STOCK_HEIC=1 is set',
      });
      expect(compile).not.toHaveBeenCalled();
      // (without it, it does compile: the spy sees it)
      expect((await probeFastIdct(WASM, { env: {} })).cause).toBe('fast');
      expect(compile).toHaveBeenCalledTimes(1);
    } finally {
      compile.mockRestore();
      if (saved === undefined) delete process.env.SSEELFIE_STOCK_HEIC;
      else process.env.SSEELFIE_STOCK_HEIC = saved;
    }
  });
});
