/**
 * Loads libheif (libheif-js's WebAssembly build) and, when it is exactly the build we measured,
 * swaps its HEVC inverse transform for the fast one in ./idct.
 *
 * libde265, libheif's HEVC decoder, has fast inverse transforms only as x86 SSE code; its WebAssembly
 * build runs the generic C fallback, a direct matrix product, and that is 65 % of decoding a HEIC.
 * libde265 calls the transform through a table of function pointers, which in WebAssembly is the
 * module's function table: emscripten's `instantiateWasm` hook lets us instantiate libheif ourselves
 * and replace those four entries (4×4 to 32×32) before anything runs. ./idct/idct.c computes the
 * same integer sums regrouped as butterflies, so decoded pixels are identical (tests compare every
 * pixel with the untouched build); decoding is ~1.7× faster.
 *
 * Guarded three times: the patch is applied only to the libheif.wasm whose SHA-256 it was made for,
 * only when all four entries are found where that build has them, and it is taken out again if a
 * few blocks of each size come out differently at load. Otherwise libheif runs as shipped.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { IDCT_WASM_BASE64 } from './idct/idct-wasm';

/** The part of libheif's C API (emscripten exports) heic.ts uses. */
export interface Libheif {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _heif_context_alloc(): number;
  _heif_context_free(ctx: number): void;
  _heif_context_read_from_memory_without_copy(err: number, ctx: number, mem: number, size: number, options: number): void;
  _heif_context_get_primary_image_handle(err: number, ctx: number, outHandle: number): void;
  _heif_image_handle_release(handle: number): void;
  _heif_image_handle_get_width(handle: number): number;
  _heif_image_handle_get_height(handle: number): number;
  _heif_image_handle_has_alpha_channel(handle: number): number;
  _heif_image_handle_get_ispe_width(handle: number): number;
  _heif_image_handle_get_ispe_height(handle: number): number;
  _heif_image_handle_get_image_tiling(err: number, handle: number, processTransformations: number, outTiling: number): void;
  _heif_image_handle_decode_image_tile(err: number, handle: number, outImg: number, colorspace: number, chroma: number, options: number, tileX: number, tileY: number): void;
  _heif_decode_image(err: number, handle: number, outImg: number, colorspace: number, chroma: number, options: number): void;
  _heif_image_get_width(img: number, channel: number): number;
  _heif_image_get_height(img: number, channel: number): number;
  _heif_image_get_plane_readonly(img: number, channel: number, outStride: number): number;
  _heif_image_release(img: number): void;
}

/**
 * The parts of the WebAssembly JS API used here. TypeScript declares them only in its DOM library,
 * which code that runs in the main process and in worker threads does not load.
 */
interface WasmTable {
  readonly length: number;
  get(index: number): unknown;
  set(index: number, fn: unknown): void;
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
type WasmExports = Record<string, unknown>;
interface WasmGlobal {
  value: number;
}
const Wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: object) => WasmInstance;
      Memory: abstract new (...args: never[]) => object;
      Table: abstract new (...args: never[]) => WasmTable;
    };
  }
).WebAssembly;

/** SHA-256 of libheif-js 1.23.2's libheif-wasm/libheif.wasm. */
const PATCHED_BUILD = 'e4aa8333fbe55ec7c6c776f735236f40bed9103188498f8131d4e52b73cdfee8';
/**
 * In that build, the function indices of libde265's transform_idct_{4x4,8x8,16x16,32x32}_8
 * fallbacks (each `(dst, coeffs, stride)`, calling the generic transform with nT = 4…32), and the
 * export of ./idct that replaces each.
 */
const IDCT_SLOTS: Record<string, IdctName> = { '1912': 'idct4', '1911': 'idct8', '1910': 'idct16', '1909': 'idct32' };
type IdctName = 'idct4' | 'idct8' | 'idct16' | 'idct32';
/** the fast transform's shadow stack (its largest frame is under 5 kB) */
const IDCT_STACK = 64 * 1024;

type IdctExports = Record<IdctName, (dst: number, coeffs: number, stride: number) => void> & { __stack_pointer: WasmGlobal };

export interface LoadedLibheif {
  lib: Libheif;
  /** whether the fast inverse transform is in */
  fastIdct: boolean;
  /** the transform functions as libheif's table now holds them, and as it held them before (for tests) */
  idct?: { fast: IdctExports; stock: Record<IdctName, (dst: number, coeffs: number, stride: number) => void> };
}

type Factory = (options: { instantiateWasm(imports: object, receive: (i: WasmInstance, m: object) => void): WasmExports }) => Promise<Libheif>;

/**
 * A new libheif instance; `fastIdct: false` gives libheif exactly as shipped. `idctModule` replaces
 * the compiled transform (tests use it to check that a wrong one is refused).
 */
export async function instantiateLibheif(opts: { fastIdct?: boolean; idctModule?: Uint8Array } = {}): Promise<LoadedLibheif> {
  const require = createRequire(import.meta.url);
  const factory = require('libheif-js/libheif-wasm/libheif.js') as Factory;
  const bytes = readFileSync(require.resolve('libheif-js/libheif-wasm/libheif.wasm'));
  let patch: ReturnType<typeof patchIdct> = null;
  const lib = await factory({
    instantiateWasm(imports, receive) {
      const module = new Wasm.Module(bytes);
      const instance = new Wasm.Instance(module, imports);
      if (opts.fastIdct !== false) {
        try {
          patch = patchIdct(instance, bytes, opts.idctModule ?? Buffer.from(IDCT_WASM_BASE64, 'base64'));
        } catch {
          patch = null; // e.g. an engine without WebAssembly SIMD: libheif as shipped still decodes
        }
      }
      receive(instance, module);
      return instance.exports;
    },
  });
  const applied = patch as ReturnType<typeof patchIdct>;
  if (!applied) return { lib, fastIdct: false };
  // its stack lives in a block of libheif's own heap, so it never touches memory libheif uses
  const stack = lib._malloc(IDCT_STACK);
  if (!stack) {
    applied.restore();
    return { lib, fastIdct: false };
  }
  applied.fast.__stack_pointer.value = stack + IDCT_STACK;
  const idct = { fast: applied.fast, stock: applied.stock };
  if (idctMismatch(lib, idct, { blocks: 24, seed: 12345 }) !== null) {
    applied.restore(); // never expected; but a decoder that is wrong is worse than a slow one
    return { lib, fastIdct: false };
  }
  return { lib, fastIdct: true, idct };
}

export type IdctSize = 4 | 8 | 16 | 32;
const IDCT_NAMES: Record<IdctSize, IdctName> = { 4: 'idct4', 8: 'idct8', 16: 'idct16', 32: 'idct32' };

/**
 * Runs `blocks` varied blocks of each size through the stock and the fast transform and returns
 * the first difference, or null when every byte agrees. The blocks mix what an encoder produces and
 * what stresses the arithmetic: DC only, a few low frequencies, dense small values, 16-bit extremes
 * (the first stage clips), and predictions at 0 and 255 (the add clips). Deterministic from `seed`.
 * Used at load (a few blocks, about a millisecond) and by the tests (thousands).
 */
export function idctMismatch(lib: Libheif, idct: NonNullable<LoadedLibheif['idct']>, opts: { blocks: number; seed: number; sizes?: IdctSize[] }): string | null {
  const stride = 40; // wider than any block, as in a real picture
  const coeffs = lib._malloc(32 * 32 * 2);
  const a = lib._malloc(32 * stride);
  const b = lib._malloc(32 * stride);
  let seed = opts.seed >>> 0;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  try {
    if (!coeffs || !a || !b) return 'no memory for the check';
    for (const n of opts.sizes ?? ([4, 8, 16, 32] as const)) {
      const name = IDCT_NAMES[n];
      for (let block = 0; block < opts.blocks; block++) {
        const kind = block % 5;
        const c = new Int16Array(n * n).map((_, k) => {
          if (kind === 0) return k === 0 ? Math.round((next() - 0.5) * 4000) : 0;
          if (kind === 1) return k < 12 && next() < 0.5 ? Math.round((next() - 0.5) * 800) : 0;
          if (kind === 2) return next() < 0.4 ? Math.round((next() - 0.5) * 120) : 0;
          if (kind === 3) return next() < 0.08 ? (next() < 0.5 ? -32768 : 32767) : 0;
          return Math.round((next() - 0.5) * 65534);
        });
        const pred = new Uint8Array(n * stride).map(() => (kind === 4 ? (next() < 0.5 ? 0 : 255) : Math.floor(next() * 256)));
        new Int16Array(lib.HEAPU8.buffer).set(c, coeffs >> 1);
        lib.HEAPU8.set(pred, a);
        lib.HEAPU8.set(pred, b);
        idct.stock[name](a, coeffs, stride);
        new Int16Array(lib.HEAPU8.buffer).set(c, coeffs >> 1); // as libde265 would hand it over again
        idct.fast[name](b, coeffs, stride);
        const x = lib.HEAPU8.subarray(a, a + n * stride);
        const y = lib.HEAPU8.subarray(b, b + n * stride);
        if (Buffer.compare(x, y) !== 0) {
          const at = x.findIndex((v, i) => v !== y[i]);
          return `${n}×${n} block ${block} (kind ${kind}) differs at byte ${at}: stock ${x[at]}, fast ${y[at]}`;
        }
      }
    }
    return null;
  } finally {
    for (const p of [coeffs, a, b]) if (p) lib._free(p);
  }
}

function patchIdct(instance: WasmInstance, bytes: Uint8Array, idctModule: Uint8Array) {
  if (createHash('sha256').update(bytes).digest('hex') !== PATCHED_BUILD) return null;
  const exported = Object.values(instance.exports);
  const memory = exported.find((v) => v instanceof Wasm.Memory);
  const table = exported.find((v): v is WasmTable => v instanceof Wasm.Table);
  if (!memory || !table) return null;
  const slots: Array<{ index: number; name: IdctName; original: (dst: number, coeffs: number, stride: number) => void }> = [];
  for (let i = 0; i < table.length; i++) {
    const f = table.get(i) as ((dst: number, coeffs: number, stride: number) => void) | null;
    const name = f ? IDCT_SLOTS[f.name] : undefined;
    if (f && name) slots.push({ index: i, name, original: f });
  }
  if (new Set(slots.map((s) => s.name)).size !== 4) return null;
  const fast = new Wasm.Instance(new Wasm.Module(idctModule), { env: { memory } }).exports as unknown as IdctExports;
  for (const s of slots) table.set(s.index, fast[s.name]);
  const stock = Object.fromEntries(slots.map((s) => [s.name, s.original])) as Record<IdctName, (dst: number, coeffs: number, stride: number) => void>;
  return {
    fast,
    stock,
    restore: () => {
      for (const s of slots) table.set(s.index, s.original);
    },
  };
}

let shared: Promise<LoadedLibheif> | null = null;

/** The libheif instance this thread decodes with (loaded on first use). */
export function loadLibheif(): Promise<LoadedLibheif> {
  shared ??= instantiateLibheif().catch((e) => {
    shared = null; // a failed load is retried next time
    throw e;
  });
  return shared;
}
