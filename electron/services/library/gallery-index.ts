/**
 * The gallery index: every run of the library in memory (ids, prompts, flags, ratings, sizes), so
 * a filter over 20,000 photos is answered without touching the disk, and records load only for
 * the runs on screen. It is a cache of the run.json files, never the truth:
 *
 * - persisted to `.sseelfie/index.json` (atomic, not fsynced: losing it costs a rebuild);
 * - rebuilt from run.json when that file is missing, damaged, of another version or was written
 *   for another folder (a library copied to another computer or moved);
 * - reconciled with the folders on every load (a run folder deleted or added while the app was
 *   closed), and `verify()` re-reads every run.json whose mtime or size differs from what was
 *   indexed (a file edited or synced from elsewhere);
 * - updated in place on save, flag, rating and delete.
 *
 * Photos waiting in the trash queue are hidden: never listed, counted or returned as records.
 * That state is in memory only, so after a crash nothing stays hidden (./trash-queue.ts).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { GalleryPageT, GalleryQueryT, RunSummaryT } from '../../../shared/ipc/contract';
import { writeFileAtomic } from '../fs/atomic';
import { runQuery, type IndexedRun, type QueryRun } from './gallery-query';
import { readRunRecord, type Flag, type RunRecord } from './run-record';

const FORMAT = 'sseelfie-gallery-index';
const VERSION = 2;
/** run folder names: `YYYYMMDD-HHMMSS-xxxx` */
export const RUN_ID = /^[0-9]{8}-[0-9]{6}-[a-z0-9]{4,8}$/;
/** run.json files read at once on a rebuild: enough to keep the disk busy, few enough for file handles */
const READ_CONCURRENCY = 32;

/** A photo in index.json: `[index, file, width, height, format, flag (0 = none), rating]`, compact so the file parses fast. */
type StoredImage = [number, string, number, number, string, Flag | 0, number];
type StoredRun = Omit<IndexedRun, 'images'> & { images: StoredImage[] };

interface IndexFile {
  format: typeof FORMAT;
  version: number;
  /** the library folder it was built for: another one (a copy, a move) rebuilds */
  root: string;
  runs: StoredRun[];
}

const toStored = (r: IndexedRun): StoredRun => ({
  ...r,
  images: r.images.map((im) => [im.index, im.file, im.width, im.height, im.format, im.flag ?? 0, im.rating]),
});

function fromStored(r: StoredRun): IndexedRun | null {
  if (!r || typeof r.id !== 'string' || !RUN_ID.test(r.id) || !Array.isArray(r.images) || !r.stamp) return null;
  const images = r.images.map(([index, file, width, height, format, flag, rating]) => ({
    index,
    file,
    width,
    height,
    format,
    flag: flag || null,
    rating,
  }));
  return { ...r, images };
}

export type Stamp = IndexedRun['stamp'];

export function indexedRun(r: RunRecord, stamp: Stamp): IndexedRun {
  return {
    id: r.id,
    createdAt: r.timings.createdAt,
    prompt: r.prompt ?? '',
    label: r.label ?? '',
    modelRef: r.modelRef ?? '',
    mode: r.mode,
    seed: r.seed ?? null,
    predictionId: r.predictionId ?? null,
    warnings: r.warnings ?? [],
    images: r.images.map((im) => ({
      index: im.index,
      file: im.file,
      width: im.width,
      height: im.height,
      format: im.format,
      flag: im.flag ?? null,
      rating: im.rating ?? 0,
    })),
    stamp,
  };
}

const toQueryRun = (run: IndexedRun): QueryRun => ({ run });

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface LoadReport {
  /** cache: index.json was used (and reconciled); rebuilt: every run.json was read */
  source: 'cache' | 'rebuilt';
  /** why it was rebuilt */
  reason?: 'missing' | 'damaged' | 'other-version' | 'other-folder';
  runs: number;
}

export class GalleryIndex {
  private runs: Map<string, QueryRun> | null = null;
  private sorted: QueryRun[] | null = null;
  private hidden = new Set<string>();
  private loading: Promise<LoadReport> | null = null;
  private persistTimer: NodeJS.Timeout | null = null;
  private persisting: Promise<void> = Promise.resolve();
  lastLoad: LoadReport | null = null;

  constructor(
    private readonly root: string,
    private readonly runsDir: string,
    readonly file: string,
    /** how long index.json changes are gathered before one write (a burst of flags writes once) */
    private readonly persistDelayMs = 250,
  ) {}

  /** Loads once (concurrent callers share the load). */
  load(): Promise<LoadReport> {
    this.loading ??= this.doLoad().catch((e) => {
      this.loading = null;
      throw e;
    });
    return this.loading;
  }

  private async doLoad(): Promise<LoadReport> {
    let cached: IndexedRun[] | null = null;
    let reason: LoadReport['reason'];
    // The folder listing is read while index.json is parsed.
    const listing = this.runFolders();
    try {
      const parsed = JSON.parse(await fs.readFile(this.file, 'utf8')) as Partial<IndexFile>;
      if (!parsed || parsed.format !== FORMAT || !Array.isArray(parsed.runs)) reason = 'other-version';
      else if (parsed.version !== VERSION) reason = 'other-version';
      else if (parsed.root !== path.resolve(this.root)) reason = 'other-folder';
      else cached = parsed.runs.map(fromStored).filter((r): r is IndexedRun => !!r);
    } catch (e) {
      reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'damaged';
    }
    const map = new Map<string, QueryRun>();
    for (const r of cached ?? []) map.set(r.id, toQueryRun(r));
    // The folders win: runs deleted while the app was closed go, new ones are read.
    const dirs = await listing;
    const onDisk = new Set(dirs);
    let changed = !cached;
    for (const id of [...map.keys()])
      if (!onDisk.has(id)) {
        map.delete(id);
        changed = true;
      }
    const fresh = await mapLimit(
      dirs.filter((id) => !map.has(id)),
      READ_CONCURRENCY,
      (id) => this.readIndexed(id),
    );
    for (const r of fresh)
      if (r) {
        map.set(r.id, toQueryRun(r));
        changed = true;
      }
    this.runs = map;
    this.sorted = null;
    if (changed) this.persistSoon();
    this.lastLoad = cached
      ? { source: 'cache', runs: map.size }
      : { source: 'rebuilt', reason: reason ?? 'damaged', runs: map.size };
    return this.lastLoad;
  }

  private async runFolders(): Promise<string[]> {
    try {
      return (await fs.readdir(this.runsDir)).filter((d) => RUN_ID.test(d));
    } catch {
      return [];
    }
  }

  /** Reads one run.json for the index; null when it is missing or damaged (left out, not fatal). */
  async readIndexed(runId: string): Promise<IndexedRun | null> {
    const file = path.join(this.runsDir, runId, 'run.json');
    try {
      const st = await fs.stat(file);
      const read = readRunRecord(JSON.parse(await fs.readFile(file, 'utf8')));
      if (!read || read.record.id !== runId) return null;
      return indexedRun(read.record, { mtimeMs: st.mtimeMs, size: st.size });
    } catch {
      return null;
    }
  }

  /**
   * Re-reads every run.json that changed since it was indexed (mtime or size); true when the
   * index changed. Run after load, off the path to the first screen.
   */
  async verify(): Promise<boolean> {
    await this.load();
    const ids = [...this.runs!.keys()];
    let changed = false;
    await mapLimit(ids, READ_CONCURRENCY, async (id) => {
      const known = this.runs!.get(id);
      if (!known) return;
      const st = await fs.stat(path.join(this.runsDir, id, 'run.json')).catch(() => null);
      if (st && st.mtimeMs === known.run.stamp.mtimeMs && st.size === known.run.stamp.size) return;
      const again = st ? await this.readIndexed(id) : null;
      // Only if nothing else replaced it meanwhile (a save during the check wins).
      if (this.runs!.get(id) !== known) return;
      if (again) this.runs!.set(id, toQueryRun(again));
      else this.runs!.delete(id);
      changed = true;
    });
    if (changed) {
      this.sorted = null;
      this.persistSoon();
    }
    return changed;
  }

  /** Forgets what is in memory; the next use loads again (after another process wrote runs). */
  reset(): void {
    this.runs = null;
    this.sorted = null;
    this.loading = null;
  }

  put(run: IndexedRun): void {
    if (!this.runs) return; // not loaded yet: the load reads it from disk
    this.runs.set(run.id, toQueryRun(run));
    this.sorted = null;
    this.persistSoon();
  }

  delete(runId: string): void {
    if (!this.runs?.delete(runId)) return;
    this.sorted = null;
    this.persistSoon();
  }

  get(runId: string): IndexedRun | undefined {
    return this.runs?.get(runId)?.run;
  }

  /** Newest first (ties: the later id first, so the order never flickers). */
  private ordered(): QueryRun[] {
    this.sorted ??= [...(this.runs?.values() ?? [])].sort(
      (a, b) => b.run.createdAt - a.run.createdAt || (a.run.id < b.run.id ? 1 : -1),
    );
    return this.sorted;
  }

  runsNewestFirst(): IndexedRun[] {
    return this.ordered().map((q) => q.run);
  }

  // ---------- hidden photos (the trash queue) ----------
  static key(runId: string, index: number): string {
    return `${runId}:${index}`;
  }
  isHidden(runId: string, index: number): boolean {
    return this.hidden.has(GalleryIndex.key(runId, index));
  }
  hide(keys: Iterable<string>): void {
    for (const k of keys) this.hidden.add(k);
  }
  unhide(keys: Iterable<string>): void {
    for (const k of keys) this.hidden.delete(k);
  }

  // ---------- answers ----------
  query(req: GalleryQueryT = {}): GalleryPageT {
    return runQuery({
      runs: this.ordered(),
      hidden: (runId, index) => this.hidden.size > 0 && this.hidden.has(GalleryIndex.key(runId, index)),
      filter: req.filter ?? {},
      sort: req.sort ?? 'newest',
      offset: req.offset ?? 0,
      limit: req.limit ?? Number.MAX_SAFE_INTEGER,
    });
  }

  /** The run as the renderer sees it, without its hidden photos; null when every photo is hidden. */
  summary(run: IndexedRun): RunSummaryT | null {
    const images = run.images.filter((im) => !this.isHidden(run.id, im.index));
    if (run.images.length && !images.length) return null;
    return {
      id: run.id,
      createdAt: run.createdAt,
      prompt: run.prompt,
      label: run.label,
      modelRef: run.modelRef,
      mode: run.mode,
      seed: run.seed,
      images: images.map((im) => ({
        id: `runs/${run.id}/${im.file}`,
        width: im.width,
        height: im.height,
        index: im.index,
        format: im.format,
        flag: im.flag,
        rating: im.rating,
      })),
      warnings: run.warnings,
    };
  }

  /** Records of the runs on screen, in the order asked; unknown or fully hidden runs are left out. */
  records(runIds: readonly string[]): RunSummaryT[] {
    const out: RunSummaryT[] = [];
    for (const id of runIds) {
      const run = this.get(id);
      const s = run && this.summary(run);
      if (s) out.push(s);
    }
    return out;
  }

  // ---------- index.json ----------
  private persistSoon(): void {
    if (this.persistTimer) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = null;
      void this.persistNow();
    }, this.persistDelayMs);
    this.persistTimer.unref?.();
  }

  private persistNow(): Promise<void> {
    const runs = this.runs;
    if (!runs) return this.persisting;
    this.persisting = this.persisting.then(async () => {
      const body: IndexFile = {
        format: FORMAT,
        version: VERSION,
        root: path.resolve(this.root),
        runs: this.ordered().map((q) => toStored(q.run)),
      };
      // A cache: atomic (never half a file) but not fsynced; failing to write it is harmless.
      await writeFileAtomic(this.file, JSON.stringify(body), { durable: false }).catch(() => {});
    });
    return this.persisting;
  }

  /** Writes a pending change now (on quit, and in tests). */
  async flush(): Promise<void> {
    if (this.persistTimer) {
      clearTimeout(this.persistTimer);
      this.persistTimer = null;
      await this.persistNow();
    }
    await this.persisting;
  }
}
