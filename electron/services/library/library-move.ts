/**
 * Moves the photos of one library into another: every saved run folder (`runs/<id>/` with its
 * run.json) and every selfie folder (`selfies/<id>/`), whole. A folder without its run.json is an
 * unfinished job of the old library (its journal is there) and stays.
 *
 * - Same volume: one `rename` per folder, atomic: the folder is in one library or the other.
 * - Another volume (`EXDEV`): copied file by file (each fsynced) into `<new>/runs/.incoming-<id>`,
 *   which no listing reads, then renamed into place, and only then removed at the source. A crash
 *   leaves the run whole in the old library (and a leftover `.incoming-*`, removed by the next
 *   move), or whole in both: the next move sees the same run already there and finishes by
 *   removing the old copy.
 * - A folder name already taken in the new library by another run is never overwritten: it is
 *   skipped and said.
 * - Cancel (an AbortSignal) is looked at before each folder and between files; a copy canceled
 *   half-way is removed, so no half run is left anywhere.
 *
 * Who may write where (one writer per library, docs/architecture.md) is the caller's part:
 * PreviousLibrary holds the LibraryLock of both libraries around `run()`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { RUN_ID as RUN_ID_PATTERN } from './gallery-index';
import { SELFIE_ID_PATTERN } from './selfie-shelf';

export type MoveKind = 'run' | 'selfie';

export interface MoveSkip {
  kind: MoveKind;
  id: string;
  reason: string;
}

export interface MoveProgress {
  state: 'moving' | 'done' | 'canceled' | 'failed';
  /** the library the photos come from */
  from: string;
  /** folders to move, and how many have been dealt with (moved or skipped) */
  total: number;
  done: number;
  runsMoved: number;
  selfiesMoved: number;
  skipped: MoveSkip[];
  /** what stopped a failed move, in words */
  error?: string;
}

export interface MoveOptions {
  /** fs.rename, replaceable so tests can play two volumes */
  rename?: (from: string, to: string) => Promise<void>;
  copyFile?: (from: string, to: string) => Promise<void>;
  onProgress?: (p: MoveProgress) => void;
}

const INCOMING = '.incoming-';

class Canceled extends Error {}

async function isDir(p: string): Promise<boolean> {
  return fs.stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function listIds(dir: string, pattern: RegExp, marker: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names) {
    if (!pattern.test(n)) continue;
    if (
      await fs.stat(path.join(dir, n, marker)).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      out.push(n);
  }
  // newest first (run ids start with their date): the photos a person looks for first arrive first
  return out.sort().reverse();
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const dh = await fs.open(dir, 'r').catch(() => null);
  if (dh)
    await dh
      .sync()
      .catch(() => {})
      .finally(() => dh.close());
}

/** Same files, same bytes: a copy an interrupted move left in place. */
async function sameTree(a: string, b: string): Promise<boolean> {
  const [ea, eb] = await Promise.all([
    fs.readdir(a, { withFileTypes: true }),
    fs.readdir(b, { withFileTypes: true }).catch(() => null),
  ]);
  if (!eb || ea.length !== eb.length) return false;
  const names = new Set(eb.map((e) => e.name));
  for (const e of ea) {
    if (!names.has(e.name)) return false;
    const pa = path.join(a, e.name);
    const pb = path.join(b, e.name);
    if (e.isDirectory()) {
      if (!(await sameTree(pa, pb))) return false;
      continue;
    }
    const [sa, sb] = await Promise.all([fs.stat(pa), fs.stat(pb)]);
    if (sa.size !== sb.size) return false;
    const [ba, bb] = await Promise.all([fs.readFile(pa), fs.readFile(pb)]);
    if (!ba.equals(bb)) return false;
  }
  return true;
}

export class LibraryMove {
  private readonly rename: (a: string, b: string) => Promise<void>;
  private readonly copyFile: (a: string, b: string) => Promise<void>;

  constructor(
    private readonly from: string,
    private readonly to: string,
    private readonly opts: MoveOptions = {},
  ) {
    this.rename = opts.rename ?? ((a, b) => fs.rename(a, b));
    this.copyFile = opts.copyFile ?? ((a, b) => fs.copyFile(a, b));
  }

  /** What a library holds that a move would take: saved runs and selfies (ids, newest first). */
  static async survey(root: string): Promise<{ runs: string[]; selfies: string[] }> {
    const [runs, selfies] = await Promise.all([
      listIds(path.join(root, 'runs'), RUN_ID_PATTERN, 'run.json'),
      listIds(path.join(root, 'selfies'), SELFIE_ID_PATTERN, 'selfie.json'),
    ]);
    return { runs, selfies };
  }

  async run(signal?: AbortSignal): Promise<MoveProgress> {
    const { runs, selfies } = await LibraryMove.survey(this.from);
    const items: Array<{ kind: MoveKind; id: string }> = [
      ...runs.map((id) => ({ kind: 'run' as const, id })),
      ...selfies.map((id) => ({ kind: 'selfie' as const, id })),
    ];
    const p: MoveProgress = {
      state: 'moving',
      from: this.from,
      total: items.length,
      done: 0,
      runsMoved: 0,
      selfiesMoved: 0,
      skipped: [],
    };
    const report = () => this.opts.onProgress?.({ ...p, skipped: [...p.skipped] });
    report();
    try {
      for (const kind of ['run', 'selfie'] as const) await this.clearIncoming(this.parent(this.to, kind));
      for (const item of items) {
        if (signal?.aborted) throw new Canceled();
        const moved = await this.moveOne(item.kind, item.id, p, signal);
        if (moved) {
          if (item.kind === 'run') p.runsMoved++;
          else p.selfiesMoved++;
        }
        p.done++;
        report();
      }
      p.state = 'done';
    } catch (e) {
      if (e instanceof Canceled) p.state = 'canceled';
      else {
        p.state = 'failed';
        p.error = failure(e);
      }
    }
    report();
    return { ...p, skipped: [...p.skipped] };
  }

  private parent(root: string, kind: MoveKind) {
    return path.join(root, kind === 'run' ? 'runs' : 'selfies');
  }

  /** Leftovers of a copy a crash interrupted: never a whole run, always safe to remove. */
  private async clearIncoming(dir: string): Promise<void> {
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const n of names) if (n.startsWith(INCOMING)) await fs.rm(path.join(dir, n), { recursive: true, force: true });
  }

  /** true: moved (or an earlier move of it finished); false: skipped, with the reason in `p.skipped`. */
  private async moveOne(kind: MoveKind, id: string, p: MoveProgress, signal?: AbortSignal): Promise<boolean> {
    const src = path.join(this.parent(this.from, kind), id);
    const destDir = this.parent(this.to, kind);
    const dest = path.join(destDir, id);
    await fs.mkdir(destDir, { recursive: true });
    if (await isDir(dest)) {
      if (await sameTree(src, dest)) {
        await fs.rm(src, { recursive: true, force: true });
        return true;
      }
      p.skipped.push({
        kind,
        id,
        reason:
          kind === 'run'
            ? `A different run named ${id} is already in this library; this one stays in the previous library.`
            : `A different selfie named ${id} is already on this shelf; this one stays in the previous library.`,
      });
      return false;
    }
    try {
      await this.rename(src, dest);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    }
    const tmp = path.join(destDir, `${INCOMING}${id}`);
    await fs.rm(tmp, { recursive: true, force: true });
    try {
      await this.copyTree(src, tmp, signal);
      await syncDir(tmp);
      await this.rename(tmp, dest);
    } catch (e) {
      await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
      throw e;
    }
    await syncDir(destDir);
    // Only now, with the copy whole and on disk in the new library, does the old one go.
    await fs.rm(src, { recursive: true, force: true });
    return true;
  }

  private async copyTree(src: string, dest: string, signal?: AbortSignal): Promise<void> {
    await fs.mkdir(dest, { recursive: true });
    for (const e of await fs.readdir(src, { withFileTypes: true })) {
      if (signal?.aborted) throw new Canceled();
      const a = path.join(src, e.name);
      const b = path.join(dest, e.name);
      if (e.isDirectory()) {
        await this.copyTree(a, b, signal);
      } else if (e.isFile()) {
        await this.copyFile(a, b);
        const fh = await fs.open(b, 'r+');
        await fh.sync().finally(() => fh.close());
      }
    }
    if (signal?.aborted) throw new Canceled();
  }
}

/** Why a move stopped, in words (full disk, no permission, a drive that went away). */
function failure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const why =
    code === 'ENOSPC'
      ? 'the disk of this library is full'
      : code === 'EROFS'
        ? 'a folder is read-only'
        : code === 'EACCES' || code === 'EPERM'
          ? 'the app is not allowed to move files there'
          : code === 'ENOENT'
            ? 'a folder disappeared (was a drive disconnected?)'
            : `the system said ${code ?? (e instanceof Error ? e.message : String(e))}`;
  return `The move stopped: ${why}. Every photo is whole in one library or the other; nothing was lost.`;
}
