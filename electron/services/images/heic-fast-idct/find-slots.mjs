#!/usr/bin/env node
/**
 * Finds, in a libheif.wasm (libheif-js's WebAssembly build), the function-table slots of libde265's
 * four 8-bit inverse transforms (transform_idct_{4x4,8x8,16x16,32x32}_8_fallback) that patch.ts
 * replaces, and writes them with the file's SHA-256 to target.ts:
 *
 *   node electron/services/images/heic-fast-idct/find-slots.mjs [path/to/libheif.wasm] [--write]
 *
 * (default: the installed libheif-js/libheif-wasm/libheif.wasm; without --write it only prints).
 *
 * How, with no number found by hand:
 *  1. Parse the module (wasmparser): types, functions, the table's element segments, the data
 *     segments, and for every function body its constants, memory offsets and direct calls.
 *  2. Find the HEVC transform matrix (libde265's `mat_dct[32][32]`, as int8 or int16) in the data.
 *  3. Candidates: table entries of type (i32, i32, i32) -> () whose code, or code it calls (two
 *     levels down), addresses that matrix. In libheif-js 1.23.2 these are 8 functions: the four
 *     8-bit transforms (`(dst, coeffs, stride)`) and four that write 32-bit residuals instead.
 *  4. Run each candidate in a bare instance of the module (every import a stub that throws; a
 *     fresh instance for each candidate and size) on test blocks of each size, and compare with
 *     the reference transform (hevc.mjs). A candidate is the N×N transform only if every block
 *     comes out byte for byte as the reference's and no byte around the block changed.
 * Exactly one function must remain for each size (it may sit in several slots), or the script stops
 * and says what it saw. Static signs choose whom to run; running decides.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import wasmparser from 'wasmparser';
import { idctAddReference, testBlocks, transMatrix } from './hevc.mjs';

const { BinaryReader, BinaryReaderState: S, OperatorCode: Op, ExternalKind } = wasmparser;
const here = path.dirname(fileURLToPath(import.meta.url));

export const SIZES = [4, 8, 16, 32];
const NAMES = { 4: 'idct4', 8: 'idct8', 16: 'idct16', 32: 'idct32' };
const I32 = -1; // wasmparser's TypeKind.i32
/** how far down direct calls a candidate may reach the matrix (a wrapper, then the generic transform) */
const CALL_DEPTH = 2;
const BLOCKS = 30;
const STRIDE = 48;

/** The parts of the module the search needs. */
export function parseModule(bytes) {
  const reader = new BinaryReader();
  reader.setData(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const m = { types: [], funcTypes: [], imports: [], importedFuncs: 0, elements: [], data: [], bodies: [] };
  let seg = null;
  let body = null;
  while (reader.read()) {
    const x = reader.result;
    switch (reader.state) {
      case S.ERROR:
        throw x;
      case S.TYPE_SECTION_ENTRY:
        m.types.push(x);
        break;
      case S.IMPORT_SECTION_ENTRY:
        m.imports.push({
          module: Buffer.from(x.module).toString(),
          name: Buffer.from(x.field).toString(),
          kind: x.kind,
          type: x.type,
        });
        if (x.kind === ExternalKind.Function) {
          m.funcTypes.push(x.funcTypeIndex);
          m.importedFuncs++;
        }
        break;
      case S.FUNCTION_SECTION_ENTRY:
        m.funcTypes.push(x.typeIndex);
        break;
      case S.BEGIN_ELEMENT_SECTION_ENTRY:
        seg = { kind: 'elem', active: x.mode === 0, table: x.tableIndex ?? 0, offset: null, funcs: [] };
        break;
      case S.BEGIN_DATA_SECTION_ENTRY:
        seg = { kind: 'data', active: x.mode === 0, offset: null, bytes: null };
        break;
      case S.OFFSET_EXPRESSION_OPERATOR:
        if (x.code === Op.i32_const) seg.offset = x.literal;
        break;
      case S.INIT_EXPRESSION_OPERATOR: // wasmparser gives every element item as an expression: ref.func N
        if (seg?.kind === 'elem' && x.code === Op.ref_func) seg.funcs.push(x.funcIndex);
        break;
      case S.END_ELEMENT_SECTION_ENTRY:
        if (seg.active && seg.offset !== null) m.elements.push(seg);
        seg = null;
        break;
      case S.DATA_SECTION_ENTRY_BODY:
        seg.bytes = x.data;
        break;
      case S.END_DATA_SECTION_ENTRY:
        if (seg.active && seg.offset !== null) m.data.push(seg);
        seg = null;
        break;
      case S.BEGIN_FUNCTION_BODY:
        body = { consts: new Set(), offsets: new Set(), calls: new Set() };
        break;
      case S.CODE_OPERATOR:
        if (x.code === Op.i32_const) body.consts.add(x.literal);
        else if (x.code === Op.call) body.calls.add(x.funcIndex);
        if (x.memoryAddress) body.offsets.add(x.memoryAddress.offset);
        break;
      case S.END_FUNCTION_BODY:
        m.bodies.push(body);
        body = null;
        break;
    }
  }
  return m;
}

/** Where the transform matrix lies in the module's data: [{ address, bytes, element }]. */
export function findMatrix(m) {
  const values = transMatrix();
  const layouts = [
    { element: 'int8', needle: Buffer.from(Int8Array.from(values).buffer) },
    { element: 'int16', needle: Buffer.from(Int16Array.from(values).buffer) },
  ];
  const found = [];
  for (const d of m.data) {
    const hay = Buffer.from(d.bytes);
    for (const { element, needle } of layouts) {
      for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1))
        found.push({ address: d.offset + at, bytes: needle.length, element });
    }
  }
  return found;
}

/** Table slot(s) of each function the active element segments of table 0 put there. */
function tableSlots(m) {
  const slots = new Map();
  for (const e of m.elements) {
    if (e.table !== 0) continue;
    e.funcs.forEach((f, i) => {
      const list = slots.get(f) ?? [];
      list.push(e.offset + i);
      slots.set(f, list);
    });
  }
  return slots;
}

/** Table functions of type (i32, i32, i32) -> () whose code, or code it calls, addresses the matrix. */
export function staticCandidates(m, matrices) {
  const inMatrix = (v) => typeof v === 'number' && matrices.some((x) => v >= x.address && v < x.address + x.bytes);
  const touches = (f, depth) => {
    if (f < m.importedFuncs) return false;
    const b = m.bodies[f - m.importedFuncs];
    if (!b) return false;
    if ([...b.consts].some(inMatrix) || [...b.offsets].some(inMatrix)) return true;
    return depth > 0 && [...b.calls].some((g) => touches(g, depth - 1));
  };
  const threeI32 = (f) => {
    const t = m.types[m.funcTypes[f]];
    return !!t && t.params?.length === 3 && t.params.every((p) => p.kind === I32) && (t.returns?.length ?? 0) === 0;
  };
  const out = [];
  for (const [func, slots] of tableSlots(m)) if (threeI32(func) && touches(func, CALL_DEPTH)) out.push({ func, slots });
  return out.sort((a, b) => a.func - b.func);
}

/** A bare instance of the module: each import a stub that throws (memory and tables are made). */
export function bareInstance(module, m) {
  const imports = {};
  for (const i of WebAssembly.Module.imports(module)) {
    const spec = m.imports.find((x) => x.module === i.module && x.name === i.name);
    let value;
    if (i.kind === 'function')
      value = () => {
        throw new Error(`import ${i.module}.${i.name} called`);
      };
    else if (i.kind === 'memory')
      value = new WebAssembly.Memory({
        initial: spec.type.limits.initial,
        maximum: spec.type.limits.maximum,
        shared: !!spec.type.shared,
      });
    else if (i.kind === 'table')
      value = new WebAssembly.Table({ element: 'anyfunc', initial: spec.type.limits.initial });
    else
      throw new Error(
        `this libheif.wasm imports a ${i.kind} (${i.module}.${i.name}); find-slots.mjs makes only memories and tables`,
      );
    (imports[i.module] ??= {})[i.name] = value;
  }
  const instance = new WebAssembly.Instance(module, imports);
  const all = [...Object.values(instance.exports), ...Object.values(imports).flatMap((o) => Object.values(o))];
  const memory = all.find((v) => v instanceof WebAssembly.Memory);
  const table = all.find((v) => v instanceof WebAssembly.Table);
  if (!memory || !table)
    throw new Error(
      'the module shares no memory or no function table with JavaScript: the loader could not patch it either',
    );
  return { instance, memory, table };
}

/**
 * Whether the function in `slot` is the n×n inverse transform plus add: every test block as the
 * reference, nothing around the block touched. Returns null, or why not.
 */
function differsFromReference(module, m, slot, func, n) {
  let bare;
  try {
    bare = bareInstance(module, m);
  } catch (e) {
    return `no instance: ${e.message}`;
  }
  const fn = bare.table.get(slot);
  if (typeof fn !== 'function') return 'empty slot';
  // the loader recognises the function in a slot by its name, which the JS API makes its index
  if (fn.name !== String(func)) return `slot ${slot} holds function "${fn.name}", not ${func}`;
  const rows = 34; // rows below the block must stay as they were
  const top = bare.memory.buffer.byteLength - 64 * 1024; // far above libheif's data and stack
  const coeffsAt = top;
  const dstAt = top + 4096;
  for (const [b, { coeffs, pred }] of testBlocks(n, BLOCKS, n * 104729 + func, STRIDE, rows).entries()) {
    const heap = new Uint8Array(bare.memory.buffer);
    heap.fill(0, top, top + 32 * 1024);
    new Int16Array(bare.memory.buffer, coeffsAt, n * n).set(coeffs);
    heap.set(pred, dstAt);
    try {
      fn(dstAt, coeffsAt, STRIDE);
    } catch (e) {
      return `${n}×${n} block ${b}: ${e.message}`;
    }
    const want = idctAddReference(n, coeffs, Uint8Array.from(pred), STRIDE);
    const got = new Uint8Array(bare.memory.buffer, dstAt, rows * STRIDE);
    const at = got.findIndex((v, i) => v !== want[i]);
    if (at >= 0) return `${n}×${n} block ${b}: byte ${at} is ${got[at]}, the reference's ${want[at]}`;
  }
  return null;
}

/**
 * The slots of the four transforms in `bytes` (a libheif.wasm):
 * `{ sha256, matrix, transforms: { idct4: { function, slots }, ... }, rejected: [...] }`.
 * Throws, saying what it found, unless each size has exactly one function.
 */
export async function findIdctSlots(bytes) {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const sha256 = createHash('sha256').update(data).digest('hex');
  // wasmparser can throw a bare null on input that is not a module at all: say it plainly first.
  if (!WebAssembly.validate(data)) throw new Error('this file is not a valid WebAssembly module');
  const m = parseModule(data);
  const matrices = findMatrix(m);
  if (!matrices.length)
    throw new Error(
      'the HEVC transform matrix (libde265 mat_dct) is not in the data segments: not a libde265 build, or it computes the matrix differently',
    );
  const candidates = staticCandidates(m, matrices);
  if (!candidates.length)
    throw new Error(
      `no function of type (i32, i32, i32) in the table reaches the matrix at ${matrices.map((x) => x.address).join(', ')}`,
    );
  const module = await WebAssembly.compile(data);
  const found = {};
  const rejected = [];
  for (const c of candidates) {
    const why = [];
    for (const n of SIZES) {
      const d = differsFromReference(module, m, c.slots[0], c.func, n);
      if (d === null) {
        (found[NAMES[n]] ??= []).push(c);
        why.length = 0;
        break;
      }
      why.push(d);
    }
    if (why.length) rejected.push({ function: c.func, slots: c.slots, why: `matches no size (${why[0]})` });
  }
  const transforms = {};
  const problems = [];
  for (const n of SIZES) {
    const list = found[NAMES[n]] ?? [];
    if (list.length !== 1)
      problems.push(
        `${n}×${n}: ${list.length ? `${list.length} functions (${list.map((c) => c.func).join(', ')})` : 'none'}`,
      );
    else transforms[NAMES[n]] = { function: list[0].func, slots: list[0].slots };
  }
  if (problems.length) {
    const seen = rejected.map((r) => `  function ${r.function} (slots ${r.slots.join(', ')}): ${r.why}`).join('\n');
    throw new Error(
      `not exactly one transform per size: ${problems.join('; ')}\ncandidates that did not match:\n${seen || '  none'}`,
    );
  }
  return { sha256, matrix: matrices[0], transforms, rejected };
}

/** target.ts, as patch.ts reads it. */
export function targetSource(found, libheifJs) {
  const t = Object.entries(found.transforms)
    .map(([name, v]) => `    ${name}: { function: ${v.function}, slots: [${v.slots.join(', ')}] },`)
    .join('\n');
  return `// GENERATED by find-slots.mjs from libheif-js ${libheifJs}'s libheif-wasm/libheif.wasm: do not edit; re-run it (README.md).
/** The libheif build the fast transform is put into, and where its four transforms are. */
export const TARGET = {
  libheifJs: '${libheifJs}',
  /** SHA-256 of libheif.wasm */
  sha256: '${found.sha256}',
  /** each transform's function index (what the JS API names it) and its slots in the function table */
  transforms: {
${t}
  },
} as const;
`;
}

/** The libheif-js version a libheif.wasm belongs to, when it sits in its package. */
function packageVersion(wasmPath) {
  const pkg = path.join(path.dirname(wasmPath), '..', 'package.json');
  if (!existsSync(pkg)) return 'unknown';
  const j = JSON.parse(readFileSync(pkg, 'utf8'));
  return j.name === 'libheif-js' ? j.version : 'unknown';
}

async function main(argv) {
  const write = argv.includes('--write');
  const file =
    argv.find((a) => !a.startsWith('--')) ??
    createRequire(import.meta.url).resolve('libheif-js/libheif-wasm/libheif.wasm');
  const found = await findIdctSlots(readFileSync(file));
  const version = packageVersion(path.resolve(file));
  process.stderr.write(
    `${file} (libheif-js ${version})\n  SHA-256 ${found.sha256}\n  transform matrix at ${found.matrix.address} (${found.matrix.element})\n` +
      Object.entries(found.transforms)
        .map(([k, v]) => `  ${k}: function ${v.function}, table slot ${v.slots.join(', ')}\n`)
        .join('') +
      found.rejected.map((r) => `  not one of them: function ${r.function}, ${r.why}\n`).join(''),
  );
  process.stdout.write(
    JSON.stringify({ libheifJs: version, sha256: found.sha256, transforms: found.transforms }, null, 2) + '\n',
  );
  if (write) {
    writeFileSync(path.join(here, 'target.ts'), targetSource(found, version));
    process.stderr.write(`wrote ${path.join(here, 'target.ts')}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`find-slots: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
