/**
 * Loads libheif (libheif-js's WebAssembly build) and, when it is exactly the build that
 * ./heic-fast-idct was made for, swaps its HEVC inverse transform for the fast one there.
 *
 * libde265, libheif's HEVC decoder, has fast inverse transforms only as x86 SSE code; its WebAssembly
 * build runs the generic C fallback, a direct matrix product, and that is 65 % of decoding a HEIC.
 * libde265 calls the transform through a table of function pointers, which in WebAssembly is the
 * module's function table: emscripten's `instantiateWasm` hook lets us instantiate libheif ourselves
 * and replace those four entries (4×4 to 32×32) before anything runs. heic-fast-idct/idct.c computes
 * the same integer sums regrouped as butterflies, so decoded pixels are identical (tests compare
 * every pixel with the untouched build); decoding is ~1.7× faster.
 *
 * Guarded (heic-fast-idct/patch.ts): the patch is applied only to the libheif.wasm whose SHA-256
 * it was made for, only when the four table slots hold the functions find-slots.mjs found there,
 * only when SSEELFIE_STOCK_HEIC is not set, and it is taken out again if a few blocks of each size
 * come out differently at load. Otherwise libheif runs as shipped. Which one is in use, and why, is
 * `heicTransformStatus()` (the app writes it to its log).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  checkPatch,
  patchInstance,
  probeFastIdct,
  Wasm,
  type HeicTransformStatus,
  type IdctPair,
  type Patch,
  type PatchOptions,
  type WasmInstance,
  type WasmTable,
} from './heic-fast-idct/patch';

export { idctMismatch, STOCK_HEIC_ENV, type HeicTransformStatus, type IdctSize } from './heic-fast-idct/patch';

/** The part of libheif's C API (emscripten exports) heic.ts uses. */
export interface Libheif {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _heif_context_alloc(): number;
  _heif_context_free(ctx: number): void;
  _heif_context_read_from_memory_without_copy(
    err: number,
    ctx: number,
    mem: number,
    size: number,
    options: number,
  ): void;
  _heif_context_get_primary_image_handle(err: number, ctx: number, outHandle: number): void;
  _heif_image_handle_release(handle: number): void;
  _heif_image_handle_get_width(handle: number): number;
  _heif_image_handle_get_height(handle: number): number;
  _heif_image_handle_has_alpha_channel(handle: number): number;
  _heif_image_handle_get_ispe_width(handle: number): number;
  _heif_image_handle_get_ispe_height(handle: number): number;
  _heif_image_handle_get_image_tiling(
    err: number,
    handle: number,
    processTransformations: number,
    outTiling: number,
  ): void;
  _heif_image_handle_decode_image_tile(
    err: number,
    handle: number,
    outImg: number,
    colorspace: number,
    chroma: number,
    options: number,
    tileX: number,
    tileY: number,
  ): void;
  _heif_decode_image(
    err: number,
    handle: number,
    outImg: number,
    colorspace: number,
    chroma: number,
    options: number,
  ): void;
  _heif_image_get_width(img: number, channel: number): number;
  _heif_image_get_height(img: number, channel: number): number;
  _heif_image_get_plane_readonly(img: number, channel: number, outStride: number): number;
  _heif_image_release(img: number): void;
}

type WasmExports = Record<string, unknown>;

export interface LoadedLibheif {
  lib: Libheif;
  /** whether the fast inverse transform is in */
  fastIdct: boolean;
  /** which transform is in, and why */
  status: HeicTransformStatus;
  /** the transform functions as libheif's table now holds them, and as it held them before (for tests) */
  idct?: IdctPair;
  /** libheif's function table (tests look at what the transform slots hold) */
  table?: WasmTable;
}

type Factory = (options: {
  instantiateWasm(imports: object, receive: (i: WasmInstance, m: object) => void): WasmExports;
}) => Promise<Libheif>;

const libheifRequire = () => createRequire(import.meta.url);
const WASM_PATH = () => libheifRequire().resolve('libheif-js/libheif-wasm/libheif.wasm');

/**
 * A new libheif instance. `env` (default: process.env) is where SSEELFIE_STOCK_HEIC is read;
 * `wasm`, `idctModule` and `target` replace the installed libheif.wasm, the compiled transform and
 * target.ts (tests use them to check that each guard refuses).
 */
export async function instantiateLibheif(opts: PatchOptions & { wasm?: Uint8Array } = {}): Promise<LoadedLibheif> {
  const factory = libheifRequire()('libheif-js/libheif-wasm/libheif.js') as Factory;
  const bytes = opts.wasm ?? readFileSync(WASM_PATH());
  let patch: Patch | null = null;
  const lib = await factory({
    instantiateWasm(imports, receive) {
      const module = new Wasm.Module(bytes);
      const instance = new Wasm.Instance(module, imports);
      patch = patchInstance(instance, bytes, { ...opts, env: opts.env ?? process.env });
      receive(instance, module);
      return instance.exports;
    },
  });
  const p = patch as Patch | null;
  if (!p) throw new Error('libheif did not instantiate through instantiateWasm');
  const status = checkPatch(lib, p);
  const fastIdct = status.transform === 'fast';
  return {
    lib,
    fastIdct,
    status,
    ...(fastIdct && p.applied ? { idct: p.idct } : {}),
    ...(p.table ? { table: p.table } : {}),
  };
}

let shared: Promise<LoadedLibheif> | null = null;

/** The libheif instance this thread decodes with (loaded on first use). */
export function loadLibheif(): Promise<LoadedLibheif> {
  shared ??= instantiateLibheif().then(
    (loaded) => {
      noteHeicTransformStatus(loaded.status);
      return loaded;
    },
    (e) => {
      shared = null; // a failed load is retried next time
      throw e;
    },
  );
  return shared;
}

// ---- which transform HEIC decoding in this process uses, for the log

let current: HeicTransformStatus | null = null;
let probing: Promise<HeicTransformStatus> | null = null;
const listeners = new Set<(s: HeicTransformStatus) => void>();

/**
 * Records what a thread decodes with: this thread's own load, or a worker's report (its replies
 * carry it; heic-worker-decoder.ts passes it here). Listeners hear of every change.
 */
export function noteHeicTransformStatus(s: HeicTransformStatus): void {
  if (current && current.transform === s.transform && current.cause === s.cause && current.reason === s.reason) return;
  current = { transform: s.transform, cause: s.cause, reason: s.reason };
  for (const l of listeners) {
    try {
      l(current);
    } catch {
      // a listener's failure is its own
    }
  }
}

/**
 * Which inverse transform HEIC decoding in this process uses, and why. Once libheif has loaded in
 * this thread, or a worker has answered, that is what they use; before (the main process at start:
 * its HEIC decoding runs in workers it starts on demand) the very checks a load makes are run on a
 * bare instance of the same libheif.wasm (probeFastIdct: no emscripten runtime, ~20 ms, once), so
 * the answer is known without loading libheif.
 */
export function heicTransformStatus(): Promise<HeicTransformStatus> {
  if (current) return Promise.resolve(current);
  probing ??= (async () => {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(WASM_PATH());
    } catch (e) {
      return {
        transform: 'stock',
        cause: 'module',
        reason: `libheif.wasm cannot be read: ${e instanceof Error ? e.message : String(e)}`,
      } as const;
    }
    return probeFastIdct(bytes, { env: process.env });
  })().then((s) => {
    if (!current) noteHeicTransformStatus(s); // a load that ended meanwhile knows better
    return current ?? s;
  });
  return probing;
}

/**
 * Calls `listener` with the status (at once when known, else as soon as the probe has decided) and
 * again whenever it changes (a thread's load came to another decision). Returns a function that
 * stops it.
 */
export function onHeicTransformStatus(listener: (s: HeicTransformStatus) => void): () => void {
  listeners.add(listener);
  if (current) listener(current);
  else void heicTransformStatus();
  return () => {
    listeners.delete(listener);
  };
}
