/**
 * The library folder: one folder per run (`runs/<runId>/`) with its images, the prepared inputs
 * and `run.json`. Files on disk are the truth; the gallery index (./gallery-index.ts, kept in
 * memory and in `.sseelfie/index.json`) is a cache of the run.json files for fast listing.
 * Every change to a run.json goes through `exclusive()`, one at a time, so a flag set while a
 * photo is being deleted never writes over the other change.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StudioError } from '../../../shared/errors';
import type { GalleryPageT, GalleryQueryT, PhotoRefT, RunDetailT, RunSummaryT } from '../../../shared/ipc/contract';
import { readJson, writeJsonAtomic } from '../fs/atomic';
import { GalleryIndex, RUN_ID, indexedRun } from './gallery-index';
import { foldText } from './gallery-query';
import { readRunRecord, type Flag, type RunImageRecord, type RunRecord } from './run-record';

export type { RunImageRecord, RunRecord } from './run-record';

export const APP_DIR = '.sseelfie';

export function newRunId(now = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Turns fs errors into words: full disk, read-only or forbidden folder. */
export function diskError(
  e: unknown,
  where: string,
  then = 'Free some space or choose another library folder in Settings.',
): StudioError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EROFS'
        ? 'the folder is read-only'
        : code === 'EACCES' || code === 'EPERM'
          ? 'the app is not allowed to write there'
          : code === 'ENOENT'
            ? 'the folder no longer exists (was a drive disconnected?)'
            : `the system said ${code ?? String(e)}`;
  return new StudioError('disk', `Could not save to ${where}: ${why}. ${then}`, { cause: e });
}

export class Library {
  readonly index: GalleryIndex;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly root: string) {
    this.index = new GalleryIndex(root, this.runsDir, path.join(this.appDir, 'index.json'));
  }

  get appDir() {
    return path.join(this.root, APP_DIR);
  }
  get runsDir() {
    return path.join(this.root, 'runs');
  }
  runDir(runId: string) {
    if (!RUN_ID.test(runId)) throw new StudioError('invalid_input', 'Unknown run.');
    return path.join(this.runsDir, runId);
  }

  /** Creates the folders; reports a read-only or missing library in words. */
  async ensure(): Promise<void> {
    try {
      await fs.mkdir(this.runsDir, { recursive: true });
      await fs.mkdir(this.appDir, { recursive: true });
      const probe = path.join(this.appDir, `.probe-${process.pid}`);
      await fs.writeFile(probe, '');
      await fs.rm(probe, { force: true });
    } catch (e) {
      throw diskError(e, `your library folder (${this.root})`);
    }
  }

  /** One change to the run.json files at a time (flags, ratings, deletions, saves). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The run as stored (an older run.json read into the current shape); null if missing or damaged. */
  async readRun(runId: string): Promise<RunRecord | null> {
    try {
      return readRunRecord(await readJson(path.join(this.runDir(runId), 'run.json')))?.record ?? null;
    } catch {
      return null; // damaged run.json: skipped from the listing rather than breaking it
    }
  }

  async saveRun(record: RunRecord): Promise<void> {
    await this.exclusive(() => this.writeRun(record));
  }

  /** Writes run.json (atomic, durable) and puts it in the index with the file's new stamp. */
  private async writeRun(record: RunRecord): Promise<void> {
    const file = path.join(this.runDir(record.id), 'run.json');
    let stamp;
    try {
      await writeJsonAtomic(file, record);
      const st = await fs.stat(file);
      stamp = { mtimeMs: st.mtimeMs, size: st.size };
    } catch (e) {
      throw diskError(e, 'your library');
    }
    await this.index.load();
    this.index.put(indexedRun(record, stamp));
  }

  /** Re-reads the run.json files that changed behind the app's back; true when something did. */
  async verifyIndex(): Promise<boolean> {
    return this.index.verify();
  }

  /** Forget the index in memory (e.g. after another process wrote runs). */
  invalidate(): void {
    this.index.reset();
  }

  /** Writes a pending index.json now (on quit). */
  flush(): Promise<void> {
    return this.index.flush();
  }

  async list(
    opts: { query?: string; limit?: number; before?: number; picksOnly?: boolean } = {},
  ): Promise<RunSummaryT[]> {
    await this.index.load();
    const terms = opts.query ? foldText(opts.query).split(/\s+/).filter(Boolean) : [];
    const out: RunSummaryT[] = [];
    const limit = opts.limit ?? 500;
    for (const run of this.index.runsNewestFirst()) {
      if (out.length >= limit) break;
      if (opts.before !== undefined && run.createdAt >= opts.before) continue;
      if (terms.length) {
        const text = foldText(`${run.prompt}\n${run.label}\n${run.modelRef}`);
        if (!terms.every((t) => text.includes(t))) continue;
      }
      const s = this.index.summary(run);
      if (!s) continue;
      if (opts.picksOnly && !s.images.some((im) => im.flag === 'pick')) continue;
      out.push(s);
    }
    return out;
  }

  /** The gallery: the photos of a filter, in order, with the counts of each filter value. */
  async query(req: GalleryQueryT = {}): Promise<GalleryPageT> {
    await this.index.load();
    return this.index.query(req);
  }

  /** The records of the runs on screen (from memory; no run.json is read). */
  async records(runIds: readonly string[]): Promise<RunSummaryT[]> {
    await this.index.load();
    return this.index.records(runIds);
  }

  async get(runId: string): Promise<RunDetailT> {
    const rec = await this.readRun(runId);
    const hidden = (i: number) => this.index.isHidden(runId, i);
    if (!rec || (rec.images.length && rec.images.every((im) => hidden(im.index)))) {
      throw new StudioError('not_found', 'This run is no longer in the library (its folder was moved or deleted).');
    }
    const base = `runs/${rec.id}/`;
    return {
      ...this.summaryOf(rec),
      input: rec.input,
      version: rec.version,
      predictionId: rec.predictionId,
      predictTime: rec.predictTime,
      source: rec.source ? { id: base + rec.source.file, width: rec.source.width, height: rec.source.height } : null,
      mask: rec.mask ? { id: base + rec.mask.file, width: rec.mask.width, height: rec.mask.height } : null,
    };
  }

  /** The run as the renderer sees it, without photos waiting in the trash queue (one shape, made by the index). */
  private summaryOf(rec: RunRecord): RunSummaryT {
    const s = this.index.summary(indexedRun(rec, { mtimeMs: 0, size: 0 }));
    if (!s) throw new StudioError('not_found', 'This run is no longer in the library (its photos are being deleted).');
    return s;
  }

  /**
   * Prediction ids of the runs saved since `t`. Used when looking for a lost create, so a saved
   * run's prediction is never adopted twice.
   */
  async predictionIdsSince(t: number): Promise<Set<string>> {
    await this.index.load();
    const ids = new Set<string>();
    for (const r of this.index.runsNewestFirst()) {
      if (r.createdAt < t) break; // newest first
      if (r.predictionId) ids.add(r.predictionId);
    }
    return ids;
  }

  /** Flags photos (Pick, Reject, or null to unflag): one atomic write per run.json. */
  setFlag(items: readonly PhotoRefT[], flag: Flag | null): Promise<RunSummaryT[]> {
    return this.updatePhotos(items, (im) => {
      if (flag) im.flag = flag;
      else delete im.flag;
    });
  }

  /** Rates photos 0–5 stars: one atomic write per run.json. */
  setRating(items: readonly PhotoRefT[], rating: number): Promise<RunSummaryT[]> {
    return this.updatePhotos(items, (im) => {
      if (rating) im.rating = rating;
      else delete im.rating;
    });
  }

  /**
   * Applies a change to photos of several runs. Every photo is checked first, so a selection
   * with one photo that is gone changes nothing; then each run.json is written once (atomic).
   */
  private updatePhotos(items: readonly PhotoRefT[], apply: (im: RunImageRecord) => void): Promise<RunSummaryT[]> {
    return this.exclusive(async () => {
      const byRun = new Map<string, Set<number>>();
      for (const { runId, index } of items) (byRun.get(runId) ?? byRun.set(runId, new Set()).get(runId)!).add(index);
      const records: RunRecord[] = [];
      for (const [runId, indexes] of byRun) {
        const rec = await this.readRun(runId);
        const missing =
          !rec || [...indexes].some((i) => this.index.isHidden(runId, i) || !rec.images.some((im) => im.index === i));
        if (missing) {
          throw new StudioError(
            'not_found',
            byRun.size > 1 || indexes.size > 1
              ? 'One of these photos is no longer in the library; nothing was changed.'
              : 'This photo is no longer in the library.',
          );
        }
        records.push(rec);
      }
      await this.index.load();
      const out: RunSummaryT[] = [];
      for (const rec of records) {
        const indexes = byRun.get(rec.id)!;
        for (const im of rec.images) if (indexes.has(im.index)) apply(im);
        await this.writeRun(rec);
        out.push(this.summaryOf(rec));
      }
      return out;
    });
  }

  /**
   * Deletes photos of a run with `remove` (the system trash, or a permanent delete): the files
   * first, then run.json without them, so a refusal leaves the run as it was. When no photo is
   * left, the whole run folder goes. A file already gone counts as removed (a retry after a
   * crash half-way). Returns whether the run folder went.
   */
  deletePhotos(
    runId: string,
    indexes: readonly number[],
    files: readonly string[],
    remove: (p: string) => Promise<void>,
  ): Promise<{ runGone: boolean }> {
    return this.exclusive(async () => {
      const dir = this.runDir(runId);
      const rec = await this.readRun(runId);
      const drop = new Set(indexes);
      const left = rec ? rec.images.filter((im) => !drop.has(im.index)) : [];
      await this.index.load();
      if (!left.length) {
        if (await exists(dir)) await remove(dir);
        this.index.delete(runId);
        this.index.unhide(indexes.map((i) => GalleryIndex.key(runId, i)));
        return { runGone: true };
      }
      for (const f of files) {
        const p = path.join(dir, path.basename(f));
        if (await exists(p)) await remove(p);
      }
      rec!.images = left;
      await this.writeRun(rec!);
      this.index.unhide(indexes.map((i) => GalleryIndex.key(runId, i)));
      return { runGone: false };
    });
  }

  /**
   * What "Show in folder" selects: the photo at `index` when the run still has it on disk, else
   * the run's folder (its files are what the person wants, never run.json).
   */
  async revealPath(runId: string, index?: number): Promise<string> {
    const dir = this.runDir(runId);
    const rec = await this.readRun(runId);
    if (!rec) {
      const st = await fs.stat(dir).catch(() => null);
      if (!st?.isDirectory())
        throw new StudioError('not_found', 'This run is no longer in the library (its folder was moved or deleted).');
      return dir;
    }
    const img = index === undefined ? undefined : rec.images.find((im) => im.index === index);
    if (img) {
      const file = path.join(dir, path.basename(img.file));
      if (
        await fs.stat(file).then(
          (s) => s.isFile(),
          () => false,
        )
      )
        return file;
    }
    return dir;
  }

  /** Maps an asset id (`runs/<id>/<file>`) to a file inside the library, or null. */
  resolveAsset(id: string): string | null {
    const parts = id.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..')) return null;
    const full = path.resolve(this.root, ...parts);
    const rel = path.relative(this.root, full);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel) || rel.startsWith(APP_DIR)) return null;
    return full;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
