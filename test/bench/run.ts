/**
 * `npm run bench`: runs every benchmark group and prints one Markdown table (figure, value, target,
 * pass). It is a report, not a test: a missed target still exits 0; a group that crashes (or cannot
 * be loaded) is shown as a failed row and makes the exit code 1.
 *
 *   npm run bench                      Markdown table on stdout, progress on stderr
 *   npm run bench -- --json            only a JSON array of rows on stdout
 *   npm run bench -- --only engine     one group (repeat --only, or separate with commas, for more)
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ERROR_UNIT, markdownTable, type Row } from './table';

/** Loaded lazily, each on its own: a missing or broken group must not stop the others. */
const GROUPS = {
  engine: { file: './engine.ts', fn: 'benchEngine' },
  completion: { file: './completion.ts', fn: 'benchCompletion' },
  images: { file: './images.ts', fn: 'benchImages' },
  painter: { file: './painter.ts', fn: 'benchPainter' },
  export: { file: './export.ts', fn: 'benchExport' },
  'export-faces': { file: './export-faces.ts', fn: 'benchExportFaces' },
  'training-check': { file: './training-check.ts', fn: 'benchTrainingCheck' },
  gallery: { file: './gallery-index.ts', fn: 'benchGalleryIndex' },
  'gallery-ui': { file: './gallery-ui.ts', fn: 'benchGalleryUi' },
} as const;
type Group = keyof typeof GROUPS;
const GROUP_TIMEOUT_MS = 5 * 60_000;

function usage(msg: string): never {
  process.stderr.write(`${msg}\nusage: tsx test/bench/run.ts [--json] [--only ${Object.keys(GROUPS).join('|')}]...\n`);
  process.exit(1);
}

let args: { json?: boolean; only?: string[] };
try {
  ({ values: args } = parseArgs({
    options: { json: { type: 'boolean' }, only: { type: 'string', multiple: true } },
    strict: true,
    allowPositionals: false,
  }));
} catch (e) {
  usage((e as Error).message);
}
const selected: Group[] = args.only?.length
  ? [
      ...new Set(
        args.only
          .flatMap((s) => s.split(','))
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ].map((g) => (g in GROUPS ? (g as Group) : usage(`unknown group "${g}"`)))
  : (Object.keys(GROUPS) as Group[]);

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

/** Groups that returned rows with a non-string target (see toRow). */
const warned = new Set<Group>();

/**
 * A row as the group returned it, checked. A numeric target is read as an upper bound ("< N unit")
 * and a null one as "no target" (test/bench/painter.ts declares `target: number | null` with that
 * meaning); anything else that is not a Row fails the group.
 */
function toRow(r: unknown, group: Group): Row | null {
  const o = r as Record<string, unknown>;
  if (
    !o ||
    typeof o !== 'object' ||
    typeof o.name !== 'string' ||
    typeof o.value !== 'number' ||
    typeof o.unit !== 'string' ||
    typeof o.pass !== 'boolean'
  )
    return null;
  let target: string;
  if (typeof o.target === 'string') target = o.target;
  else if (typeof o.target === 'number')
    target = `< ${o.target}${/^[%×x]$/.test(o.unit) ? '' : ' '}${o.unit}`.trimEnd();
  else if (o.target === null || o.target === undefined) target = '— (info)';
  else return null;
  if (typeof o.target !== 'string') warned.add(group);
  return { name: o.name, value: o.value, unit: o.unit, target, pass: o.pass };
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
}

function failedRow(group: Group, e: unknown): Row {
  return {
    name: `${group}: group failed: ${errorText(e)}`,
    value: 0,
    unit: ERROR_UNIT,
    target: 'runs without error',
    pass: false,
  };
}

// Errors nobody awaited (a stray promise in a group) are charged to the group running at the time.
let current: Group | null = null;
const stray = new Map<Group, unknown[]>();
const onStray = (e: unknown) => {
  log(`error outside the awaited work${current ? ` of ${current}` : ''}: ${e instanceof Error ? e.stack : String(e)}`);
  if (current) (stray.get(current) ?? stray.set(current, []).get(current)!).push(e);
  else strayOutside = true;
};
let strayOutside = false;
process.on('unhandledRejection', onStray);
process.on('uncaughtException', onStray);

async function runGroup(group: Group): Promise<{ rows: Row[]; crashed: boolean }> {
  const { file, fn } = GROUPS[group];
  const t0 = performance.now();
  current = group;
  let timer: NodeJS.Timeout | undefined;
  try {
    const mod = (await import(new URL(file, import.meta.url).href)) as Record<string, unknown>;
    const bench = mod[fn];
    if (typeof bench !== 'function') throw new Error(`${file} does not export ${fn}()`);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${GROUP_TIMEOUT_MS / 1000} s`)), GROUP_TIMEOUT_MS);
    });
    const out: unknown = await Promise.race([(bench as () => Promise<unknown>)(), timeout]);
    if (!Array.isArray(out)) throw new Error(`${fn}() did not return an array of rows`);
    const rows = out.map((r) => toRow(r, group));
    const bad = rows.findIndex((r) => r === null);
    if (bad >= 0)
      throw new Error(
        `${fn}() row ${bad + 1} is not a Row { name: string; value: number; unit: string; target: string; pass: boolean }: ${JSON.stringify(out[bad])}`,
      );
    if (warned.has(group))
      log(`${group}: some rows have a non-string target; shown as "< N unit" (number) or "— (info)" (null)`);
    const late = stray.get(group);
    if (late?.length) return { rows: [...(rows as Row[]), failedRow(group, late[0])], crashed: true };
    return { rows: rows as Row[], crashed: false };
  } catch (e) {
    log(`${group} failed: ${e instanceof Error ? e.stack : String(e)}`);
    return { rows: [failedRow(group, e)], crashed: true };
  } finally {
    clearTimeout(timer);
    current = null;
    log(`${group} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

// In --json mode stdout carries the JSON array and nothing else: whatever a group prints goes to stderr.
const stdoutWrite = process.stdout.write.bind(process.stdout);
if (args.json) {
  process.stdout.write = ((
    chunk: string | Uint8Array,
    encoding?: BufferEncoding | ((err?: Error | null) => void),
    cb?: (err?: Error | null) => void,
  ) =>
    typeof encoding === 'function'
      ? process.stderr.write(chunk, encoding)
      : process.stderr.write(chunk, encoding, cb)) as typeof process.stdout.write;
}

const started = new Date();
const rows: Row[] = [];
let crashed = false;
for (const group of selected) {
  log(`running ${group}…`);
  const r = await runGroup(group);
  rows.push(...r.rows);
  crashed ||= r.crashed;
}
crashed ||= strayOutside;
process.stdout.write = stdoutWrite;

const cpus = os.cpus();
const header = `Sseelfie Studio benchmarks — ${started.toISOString()} · Node ${process.version} · ${os.availableParallelism()} CPU${os.availableParallelism() === 1 ? '' : 's'} (${cpus[0]?.model.trim() ?? 'unknown CPU'}) · ${process.platform} ${process.arch}`;
const text = args.json ? `${JSON.stringify(rows, null, 2)}\n` : `${header}\n\n${markdownTable(rows)}\n`;
// Exit explicitly once written: a group may leave a handle open (a server, a timer), and the
// report must not hang on it.
stdoutWrite(text, () => process.exit(crashed ? 1 : 0));
