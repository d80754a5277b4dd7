/**
 * Puts the fast HEVC inverse transform (idct.c, compiled to idct-wasm.ts) into libheif's
 * WebAssembly in place of libde265's generic one, or decides not to and says why (README.md here).
 *
 * libheif-loader.ts calls `patchInstance` in emscripten's instantiateWasm hook, before anything in
 * libheif has run, and `checkPatch` once libheif's heap is usable. The fast transform is used only
 * when all of these hold, and libheif runs exactly as shipped otherwise:
 *   - SSEELFIE_STOCK_HEIC is not set (to anything but 0/false/no);
 *   - libheif.wasm's SHA-256 is the one in target.ts (written by find-slots.mjs for that build);
 *   - each table slot target.ts names holds the function it names;
 *   - the fast module builds here (it needs WebAssembly SIMD);
 *   - at load, blocks of each size through both transforms come out identical (`idctMismatch`).
 * `probeFastIdct` makes the same decision for a thread that has not loaded libheif (the main
 * process, whose HEIC decoding runs in worker threads), on a bare instance of the same bytes.
 */
import { createHash } from 'node:crypto';
import { IDCT_WASM_BASE64 } from './idct-wasm';
import { TARGET } from './target';

/** Set to 1 to decode HEIC with libheif exactly as shipped (also in worker threads, which inherit it). */
export const STOCK_HEIC_ENV = 'SSEELFIE_STOCK_HEIC';

export type IdctName = 'idct4' | 'idct8' | 'idct16' | 'idct32';
export type IdctSize = 4 | 8 | 16 | 32;
export type IdctFn = (dst: number, coeffs: number, stride: number) => void;
const IDCT_NAMES: Record<IdctSize, IdctName> = { 4: 'idct4', 8: 'idct8', 16: 'idct16', 32: 'idct32' };
const SIZE_OF: Record<IdctName, IdctSize> = { idct4: 4, idct8: 8, idct16: 16, idct32: 32 };

/**
 * Which inverse transform libheif decodes with, and why. `cause`: 'fast' (the build matched and
 * the load-time check passed), or why stock: 'env' (the switch is set), 'hash' (another
 * libheif.wasm), 'slots' (the table does not hold the transforms where target.ts says),
 * 'module' (a module failed to build), 'check' (the load-time check failed).
 */
export interface HeicTransformStatus {
  transform: 'fast' | 'stock';
  cause: 'fast' | 'env' | 'hash' | 'slots' | 'module' | 'check';
  reason: string;
}

/** What target.ts holds (find-slots.mjs writes it). */
export interface Target {
  libheifJs: string;
  sha256: string;
  transforms: Record<IdctName, { function: number; slots: readonly number[] }>;
}

export type Env = Record<string, string | undefined>;

export interface PatchOptions {
  env?: Env;
  /** replaces the compiled fast transform (tests: a wrong one must be refused) */
  idctModule?: Uint8Array;
  /** replaces target.ts (tests: slots that do not hold the transforms) */
  target?: Target;
}

/**
 * The parts of the WebAssembly JS API used here. TypeScript declares them only in its DOM library,
 * which code that runs in the main process and in worker threads does not load.
 */
export interface WasmTable {
  readonly length: number;
  get(index: number): unknown;
  set(index: number, fn: unknown): void;
}
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmGlobal {
  value: number;
}
export const Wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: (new (bytes: Uint8Array) => object) & {
        imports(module: object): Array<{ module: string; name: string; kind: string }>;
      };
      Instance: new (module: object, imports: object) => WasmInstance;
      Memory: abstract new (...args: never[]) => WasmMemory;
      Table: abstract new (...args: never[]) => WasmTable;
      compile(bytes: Uint8Array): Promise<object>;
    };
  }
).WebAssembly;

export type FastExports = Record<IdctName, IdctFn> & { __stack_pointer: WasmGlobal };
/** The transform functions as libheif's table holds them now, and as it held them before. */
export interface IdctPair {
  fast: FastExports;
  stock: Record<IdctName, IdctFn>;
}

/** libheif's heap as the check needs it: emscripten's exports, or a bare instance's (probe). */
export interface Heap {
  readonly HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
}

export type Patch =
  | { applied: true; idct: IdctPair; table: WasmTable; target: Target; restore(): void }
  | { applied: false; status: HeicTransformStatus; table?: WasmTable };

/** the fast transform's shadow stack (its largest frame is under 5 kB) */
const IDCT_STACK = 64 * 1024;

const stock = (cause: HeicTransformStatus['cause'], reason: string): HeicTransformStatus => ({
  transform: 'stock',
  cause,
  reason,
});

/** Whether the environment switch asks for stock libheif (set, and not 0/false/no). */
export function stockForced(env: Env): string | null {
  const v = env[STOCK_HEIC_ENV]?.trim();
  return v && !/^(0|false|no)$/i.test(v) ? v : null;
}

const hashes = new WeakMap<Uint8Array, string>();
function sha256(bytes: Uint8Array): string {
  let h = hashes.get(bytes);
  if (!h) hashes.set(bytes, (h = createHash('sha256').update(bytes).digest('hex')));
  return h;
}

/** The decisions that need only the bytes: the switch, then the hash. */
function beforeInstance(bytes: Uint8Array, opts: PatchOptions): HeicTransformStatus | null {
  const target = opts.target ?? TARGET;
  const forced = stockForced(opts.env ?? {});
  if (forced) return stock('env', `${STOCK_HEIC_ENV}=${forced} is set`);
  const h = sha256(bytes);
  if (h !== target.sha256)
    return stock(
      'hash',
      `libheif.wasm is not the build the fast transform was made for (SHA-256 ${h.slice(0, 12)}…; made for libheif-js ${target.libheifJs}, ${target.sha256.slice(0, 12)}…): re-target it (electron/services/images/heic-fast-idct/README.md)`,
    );
  return null;
}

/**
 * Step 1, on a fresh instance of libheif.wasm before anything in it has run: checks the switch,
 * the hash and the slots, builds the fast module on libheif's memory and puts its four functions
 * into the slots. Never throws: whatever goes wrong leaves libheif as shipped.
 */
export function patchInstance(instance: WasmInstance, bytes: Uint8Array, opts: PatchOptions = {}): Patch {
  const target = opts.target ?? TARGET;
  const exported = Object.values(instance.exports);
  const table = exported.find((v): v is WasmTable => v instanceof Wasm.Table);
  const early = beforeInstance(bytes, opts);
  if (early) return { applied: false, status: early, table };
  const memory = exported.find((v) => v instanceof Wasm.Memory);
  if (!memory || !table)
    return { applied: false, status: stock('slots', 'libheif exports no function table or memory'), table };
  const slots: Array<{ index: number; name: IdctName; original: IdctFn }> = [];
  for (const [name, { function: func, slots: at }] of Object.entries(target.transforms) as Array<
    [IdctName, Target['transforms'][IdctName]]
  >) {
    for (const index of at) {
      const f = index < table.length ? table.get(index) : undefined;
      // the JS API names a module's exported function by its index in the module
      if (typeof f !== 'function' || f.name !== String(func)) {
        const n = SIZE_OF[name];
        return {
          applied: false,
          status: stock(
            'slots',
            `table slot ${index} does not hold libde265's ${n}×${n} transform (function ${func}): re-run find-slots.mjs`,
          ),
          table,
        };
      }
      slots.push({ index, name, original: f as IdctFn });
    }
  }
  let fast: FastExports;
  try {
    fast = new Wasm.Instance(new Wasm.Module(opts.idctModule ?? Buffer.from(IDCT_WASM_BASE64, 'base64')), {
      env: { memory },
    }).exports as unknown as FastExports;
    for (const name of Object.keys(SIZE_OF) as IdctName[])
      if (typeof fast[name] !== 'function') throw new Error(`it exports no ${name}`);
    if (typeof fast.__stack_pointer?.value !== 'number') throw new Error('it exports no __stack_pointer');
  } catch (e) {
    // e.g. an engine without WebAssembly SIMD
    return {
      applied: false,
      status: stock(
        'module',
        `the fast transform's WebAssembly does not build here: ${e instanceof Error ? e.message : String(e)}`,
      ),
      table,
    };
  }
  for (const s of slots) table.set(s.index, fast[s.name]);
  const stockFns = Object.fromEntries(slots.map((s) => [s.name, s.original])) as Record<IdctName, IdctFn>;
  return {
    applied: true,
    idct: { fast, stock: stockFns },
    table,
    target,
    restore: () => {
      for (const s of slots) table.set(s.index, s.original);
    },
  };
}

/**
 * Step 2, once `heap` (libheif's) can allocate: gives the fast module its stack, then compares the
 * two transforms on a few blocks of each size (about a millisecond) and takes the patch out again
 * if any byte differs. Returns the decision.
 */
export function checkPatch(heap: Heap, patch: Patch): HeicTransformStatus {
  if (!patch.applied) return patch.status;
  // its stack lives in a block of libheif's own heap, so it never touches memory libheif uses
  const stack = heap._malloc(IDCT_STACK);
  if (!stack) {
    patch.restore();
    return stock('check', 'no memory for the fast transform’s stack');
  }
  patch.idct.fast.__stack_pointer.value = stack + IDCT_STACK;
  const mismatch = idctMismatch(heap, patch.idct, { blocks: 24, seed: 12345 });
  if (mismatch !== null) {
    patch.restore(); // never expected; but a decoder that is wrong is worse than a slow one
    heap._free(stack);
    return stock('check', `the load-time check found a block that differs from libde265’s: ${mismatch}`);
  }
  return {
    transform: 'fast',
    cause: 'fast',
    reason: `libheif.wasm is libheif-js ${patch.target.libheifJs}’s build (SHA-256 and table slots as targeted) and the load-time check passed`,
  };
}

/**
 * The decision `patchInstance` + `checkPatch` make when libheif loads, made in a thread that has
 * not loaded libheif: on a bare instance of the same bytes (no emscripten runtime; every import a
 * stub that throws, which the transforms never call), with the same checks, blocks and seed. The
 * switch and the hash are decided without compiling; otherwise about 20 ms. Never throws.
 */
export async function probeFastIdct(bytes: Uint8Array, opts: PatchOptions = {}): Promise<HeicTransformStatus> {
  const early = beforeInstance(bytes, opts);
  if (early) return early;
  try {
    const module = await Wasm.compile(bytes);
    const imports: Record<string, Record<string, () => never>> = {};
    for (const i of Wasm.Module.imports(module)) {
      if (i.kind !== 'function') throw new Error(`it imports a ${i.kind}`);
      (imports[i.module] ??= {})[i.name] = () => {
        throw new Error(`import ${i.module}.${i.name} called`);
      };
    }
    const instance = new Wasm.Instance(module, imports);
    const patch = patchInstance(instance, bytes, opts);
    if (!patch.applied) return patch.status;
    const memory = Object.values(instance.exports).find((v): v is WasmMemory => v instanceof Wasm.Memory)!;
    // a bump allocator in the top 256 kB of the initial memory, far above libheif's data and stack
    const end = memory.buffer.byteLength;
    let next = end - 256 * 1024;
    const heap: Heap = {
      get HEAPU8() {
        return new Uint8Array(memory.buffer);
      },
      _malloc(size) {
        if (next + size > end) return 0;
        const p = next;
        next += (size + 15) & ~15;
        return p;
      },
      _free() {},
    };
    return checkPatch(heap, patch);
  } catch (e) {
    return stock(
      'module',
      `libheif.wasm could not be checked in this thread: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/**
 * Runs `blocks` varied blocks of each size through the stock and the fast transform and returns
 * the first difference, or null when every byte agrees. The blocks mix what an encoder produces and
 * what stresses the arithmetic: DC only, a few low frequencies, dense small values, 16-bit extremes
 * (the first stage clips), and predictions at 0 and 255 (the add clips). Deterministic from `seed`.
 * Used at load (a few blocks, about a millisecond) and by the tests (thousands).
 */
export function idctMismatch(
  lib: Heap,
  idct: IdctPair,
  opts: { blocks: number; seed: number; sizes?: IdctSize[] },
): string | null {
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
        const pred = new Uint8Array(n * stride).map(() =>
          kind === 4 ? (next() < 0.5 ? 0 : 255) : Math.floor(next() * 256),
        );
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
