/**
 * The library folder: one folder per run (`runs/<runId>/`) with its images, the prepared inputs
 * and `run.json`. Files on disk are the truth; `.sseelfie/index.json` is only a cache for fast
 * listing and is rebuilt from the `run.json` files whenever it disagrees with the folders.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StudioError } from '../../../shared/errors';
import type { RunDetailT, RunSummaryT } from '../../../shared/ipc/contract';
import { readJson, writeJsonAtomic } from '../fs/atomic';

export interface RunImageRecord {
  index: number;
  file: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
}

export interface RunRecord {
  schema: 1;
  id: string;
  label: string;
  prompt: string;
  modelRef: string;
  version: string | null;
  predictionId: string | null;
  mode: 'txt2img' | 'img2img' | 'inpaint';
  /** the input as sent, with files replaced by their names in this folder */
  input: Record<string, unknown>;
  seed: number | null;
  predictTime: number | null;
  timings: { createdAt: number; submittedAt?: number; startedAt?: number; completedAt?: number; savedAt: number };
  images: RunImageRecord[];
  /** indexes of the images the person kept (marked as the best) */
  kept?: number[];
  source: { file: string; width: number; height: number; from?: string } | null;
  mask: { file: string; width: number; height: number } | null;
  warnings: string[];
}

export const APP_DIR = '.sseelfie';
/** a run folder's name: `<yyyymmdd>-<hhmmss>-<random>` */
export const RUN_ID_PATTERN = /^[0-9]{8}-[0-9]{6}-[a-z0-9]{4,8}$/;
const RUN_ID = RUN_ID_PATTERN;

export function newRunId(now = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Turns fs errors into words: full disk, read-only or forbidden folder. */
export function diskError(e: unknown, where: string, then = 'Free some space or choose another library folder in Settings.'): StudioError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why =
    code === 'ENOSPC' ? 'the disk is full' :
    code === 'EROFS' ? 'the folder is read-only' :
    code === 'EACCES' || code === 'EPERM' ? 'the app is not allowed to write there' :
    code === 'ENOENT' ? 'the folder no longer exists (was a drive disconnected?)' :
    `the system said ${code ?? String(e)}`;
  return new StudioError('disk', `Could not save to ${where}: ${why}. ${then}`, { cause: e });
}

function summary(r: RunRecord): RunSummaryT {
  return {
    id: r.id,
    createdAt: r.timings.createdAt,
    prompt: r.prompt,
    label: r.label,
    modelRef: r.modelRef,
    mode: r.mode,
    seed: r.seed,
    images: r.images.map((im) => ({ id: `runs/${r.id}/${im.file}`, width: im.width, height: im.height, index: im.index, format: im.format, kept: !!r.kept?.includes(im.index) })),
    warnings: r.warnings,
  };
}

export class Library {
  private index: Map<string, RunSummaryT> | null = null;

  constructor(readonly root: string) {}

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

  async readRun(runId: string): Promise<RunRecord | null> {
    try {
      return await readJson<RunRecord>(path.join(this.runDir(runId), 'run.json'));
    } catch {
      return null; // damaged run.json: skipped from the listing rather than breaking it
    }
  }

  async saveRun(record: RunRecord): Promise<void> {
    try {
      await writeJsonAtomic(path.join(this.runDir(record.id), 'run.json'), record);
    } catch (e) {
      throw diskError(e, 'your library');
    }
    const idx = await this.loadIndex();
    idx.set(record.id, summary(record));
    await this.persistIndex();
  }

  private indexFile() {
    return path.join(this.appDir, 'index.json');
  }

  private async loadIndex(): Promise<Map<string, RunSummaryT>> {
    if (this.index) return this.index;
    let cached: RunSummaryT[] | null = null;
    try {
      cached = await readJson<RunSummaryT[]>(this.indexFile());
    } catch {
      cached = null;
    }
    const map = new Map<string, RunSummaryT>();
    for (const s of Array.isArray(cached) ? cached : []) if (s && typeof s.id === 'string') map.set(s.id, s);
    // Reconcile with the folders: the folders win.
    let dirs: string[] = [];
    try {
      dirs = (await fs.readdir(this.runsDir)).filter((d) => RUN_ID.test(d));
    } catch {
      dirs = [];
    }
    const onDisk = new Set(dirs);
    let changed = !Array.isArray(cached);
    for (const id of [...map.keys()]) if (!onDisk.has(id)) { map.delete(id); changed = true; }
    for (const id of dirs) {
      if (map.has(id)) continue;
      const rec = await this.readRun(id);
      if (rec) { map.set(id, summary(rec)); changed = true; }
    }
    this.index = map;
    if (changed) await this.persistIndex();
    return map;
  }

  private async persistIndex(): Promise<void> {
    if (!this.index) return;
    const list = [...this.index.values()].sort((a, b) => b.createdAt - a.createdAt);
    // A cache rebuilt from run.json files: atomic but not fsynced, and failing to write it is harmless.
    await writeJsonAtomic(this.indexFile(), list, { durable: false }).catch(() => {});
  }

  /** Forget the cached index (e.g. after another process wrote runs). */
  invalidate(): void {
    this.index = null;
  }

  async list(opts: { query?: string; limit?: number; before?: number; keptOnly?: boolean } = {}): Promise<RunSummaryT[]> {
    const idx = await this.loadIndex();
    const q = opts.query?.trim().toLowerCase();
    let out = [...idx.values()].sort((a, b) => b.createdAt - a.createdAt);
    if (opts.before !== undefined) out = out.filter((r) => r.createdAt < opts.before!);
    if (q) out = out.filter((r) => r.prompt.toLowerCase().includes(q) || r.label.toLowerCase().includes(q) || r.modelRef.toLowerCase().includes(q));
    if (opts.keptOnly) out = out.filter((r) => r.images.some((im) => im.kept));
    return out.slice(0, opts.limit ?? 500);
  }

  async get(runId: string): Promise<RunDetailT> {
    const rec = await this.readRun(runId);
    if (!rec) throw new StudioError('not_found', 'This run is no longer in the library (its folder was moved or deleted).');
    const base = `runs/${rec.id}/`;
    return {
      ...summary(rec),
      input: rec.input,
      version: rec.version,
      predictionId: rec.predictionId,
      predictTime: rec.predictTime,
      source: rec.source ? { id: base + rec.source.file, width: rec.source.width, height: rec.source.height } : null,
      mask: rec.mask ? { id: base + rec.mask.file, width: rec.mask.width, height: rec.mask.height } : null,
    };
  }

  /**
   * Prediction ids of the runs saved since `t` (read from their run.json: the index does not carry
   * them). Used when looking for a lost create, so a saved run's prediction is never adopted twice.
   */
  async predictionIdsSince(t: number): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const s of (await this.loadIndex()).values()) {
      if (s.createdAt < t) continue;
      const rec = await this.readRun(s.id);
      if (rec?.predictionId) ids.add(rec.predictionId);
    }
    return ids;
  }

  /** Marks an image as kept (or not); run.json stays the truth, the index follows. */
  async setKept(runId: string, index: number, kept: boolean): Promise<RunSummaryT> {
    const rec = await this.readRun(runId);
    if (!rec || !rec.images.some((im) => im.index === index)) throw new StudioError('not_found', 'This photo is no longer in the library.');
    const set = new Set(rec.kept ?? []);
    if (kept) set.add(index);
    else set.delete(index);
    rec.kept = [...set].sort((a, b) => a - b);
    await this.saveRun(rec);
    return summary(rec);
  }

  async remove(runId: string, trash?: (p: string) => Promise<void>): Promise<void> {
    const dir = this.runDir(runId);
    if (trash) await trash(dir);
    else await fs.rm(dir, { recursive: true, force: true });
    const idx = await this.loadIndex();
    idx.delete(runId);
    await this.persistIndex();
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
      if (!st?.isDirectory()) throw new StudioError('not_found', 'This run is no longer in the library (its folder was moved or deleted).');
      return dir;
    }
    const img = index === undefined ? undefined : rec.images.find((im) => im.index === index);
    if (img) {
      const file = path.join(dir, path.basename(img.file));
      if (await fs.stat(file).then((s) => s.isFile(), () => false)) return file;
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
