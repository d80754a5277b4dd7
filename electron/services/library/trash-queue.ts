/**
 * Deleting photos with an undo. Electron can move a file to the system trash but not bring it
 * back, so the undo is the app's own: a deletion hides the photos at once and moves them to the
 * trash only when its undo window closes (or the app quits). The order makes a crash harmless:
 *
 * 1. the deletion is written to `.sseelfie/pending-deletions.json` (durable) BEFORE anything is
 *    hidden; hiding is in memory only, so after a crash nothing stays hidden by accident;
 * 2. undo removes it from that file first, then shows the photos again;
 * 3. when the window closes, the files go to the trash first, then run.json is rewritten without
 *    them (./library.ts `deletePhotos`), and only then is the deletion removed from the file.
 *
 * When the library opens again after a crash (`open()`): a deletion whose undo window had not
 * closed is restored (its photos are shown again: the person may have been about to undo); one
 * whose window had closed is carried out now (the person let it happen; a file already gone
 * counts as done); one the trash had refused is restored (nobody is there to answer the question).
 *
 * A refusal of the system trash (a OneDrive placeholder, a file open elsewhere) leaves the photos
 * hidden and the deletion `failed` with the reason; the person then undoes it or deletes those
 * files permanently.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StudioError } from '../../../shared/errors';
import type { DeletionEventT, DeletionT } from '../../../shared/ipc/contract';
import { readJson, writeJsonAtomic } from '../fs/atomic';
import { GalleryIndex } from './gallery-index';
import { diskError, type Library } from './library';

export interface TrashClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: TrashClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface TrashQueueOptions {
  library: Library;
  /** the system trash (main.ts: shell.trashItem) */
  trashItem: (p: string) => Promise<void>;
  /** a permanent delete, after the trash refused */
  removePermanently?: (p: string) => Promise<void>;
  /** how long a deletion can be undone */
  undoMs?: number;
  clock?: TrashClock;
  onEvent?: (e: DeletionEventT) => void;
  /** the library's photos changed (hidden, shown again or deleted) */
  onChanged?: () => void;
  log?: (level: 'info' | 'warn', msg: string) => void;
}

interface PendingPhoto {
  runId: string;
  index: number;
  file: string;
}

interface Entry {
  token: string;
  createdAt: number;
  undoUntil: number;
  state: 'pending' | 'failed';
  reason?: string;
  photos: PendingPhoto[];
}

export const UNDO_MS = 10_000;
const FILE = 'pending-deletions.json';

/** What the system trash's refusal means, in words (shown after "Could not move to the trash:"). */
export function trashReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EBUSY') return 'the file is in use by another app';
  if (code === 'EPERM' || code === 'EACCES')
    return 'the system did not allow it (the file may be open in another app, or kept online only by OneDrive)';
  if (code === 'EROFS') return 'the folder is read-only';
  const msg = e instanceof Error ? e.message : String(e);
  return msg ? `the system said “${msg}”` : 'the system refused';
}

const keys = (photos: readonly PendingPhoto[]) => photos.map((p) => GalleryIndex.key(p.runId, p.index));

export class TrashQueue {
  private entries = new Map<string, Entry>();
  private timers = new Map<string, unknown>();
  /** tokens being carried out right now (too late to undo) */
  private running = new Map<string, Promise<void>>();
  private fileChain: Promise<unknown> = Promise.resolve();
  private readonly clock: TrashClock;
  private readonly undoMs: number;

  constructor(private readonly o: TrashQueueOptions) {
    this.clock = o.clock ?? realClock;
    this.undoMs = o.undoMs ?? UNDO_MS;
  }

  private get file() {
    return path.join(this.o.library.appDir, FILE);
  }

  /** Picks up what a crash left (see the top of this file). */
  async open(): Promise<{ restored: number; carriedOut: number }> {
    let stored: Entry[] = [];
    try {
      const raw = await readJson<{ entries?: Entry[] }>(this.file);
      stored = Array.isArray(raw?.entries)
        ? raw.entries.filter((e) => e && typeof e.token === 'string' && Array.isArray(e.photos))
        : [];
    } catch {
      // A damaged file: nothing was hidden (hiding is in memory), so nothing is lost by starting afresh.
      this.o.log?.('warn', 'pending deletions file was damaged; no photo was deleted');
    }
    const now = this.clock.now();
    let restored = 0;
    const due: Entry[] = [];
    for (const e of stored) {
      if (e.state === 'pending' && e.undoUntil <= now) due.push(e);
      else restored += e.photos.length;
    }
    for (const e of due) this.entries.set(e.token, e);
    await this.save();
    if (due.length) {
      await this.o.library.index.load();
      for (const e of due) this.o.library.index.hide(keys(e.photos));
    }
    let carriedOut = 0;
    for (const e of due) {
      carriedOut += e.photos.length;
      await this.commit(e.token);
    }
    if (restored) this.o.log?.('info', `${restored} photo(s) whose deletion had not been carried out were shown again`);
    return { restored, carriedOut };
  }

  /** The rejected photos of these runs (or of the whole library) to the queue; null when there are none. */
  async deleteRejected(runIds?: readonly string[]): Promise<DeletionT | null> {
    const index = this.o.library.index;
    await index.load();
    const runs = runIds ? runIds.map((id) => index.get(id)).filter((r) => !!r) : index.runsNewestFirst();
    const photos: PendingPhoto[] = [];
    for (const r of runs)
      for (const im of r.images)
        if (im.flag === 'reject' && !index.isHidden(r.id, im.index))
          photos.push({ runId: r.id, index: im.index, file: im.file });
    if (!photos.length) return null;
    return this.enqueue(photos);
  }

  /** A whole run to the queue (the run page's Delete). */
  async deleteRun(runId: string): Promise<DeletionT> {
    const index = this.o.library.index;
    await index.load();
    const run = index.get(runId);
    const photos =
      run?.images
        .filter((im) => !index.isHidden(runId, im.index))
        .map((im) => ({ runId, index: im.index, file: im.file })) ?? [];
    if (!run || (run.images.length && !photos.length))
      throw new StudioError('not_found', 'This run is no longer in the library (its folder was moved or deleted).');
    if (!photos.length) {
      // A run without photos has nothing to hide or undo: its folder goes to the trash now.
      await this.o.library.deletePhotos(runId, [], [], this.o.trashItem);
      this.o.onChanged?.();
      const token = newToken();
      return { token, state: 'pending', photos: 0, runs: 1, undoUntil: this.clock.now() };
    }
    return this.enqueue(photos);
  }

  private async enqueue(photos: PendingPhoto[]): Promise<DeletionT> {
    const now = this.clock.now();
    const entry: Entry = { token: newToken(), createdAt: now, undoUntil: now + this.undoMs, state: 'pending', photos };
    this.entries.set(entry.token, entry);
    try {
      await this.save(); // written before anything is hidden
    } catch (e) {
      this.entries.delete(entry.token);
      throw diskError(e, 'your library', 'Nothing was deleted. Free some space or check the library folder.');
    }
    this.o.library.index.hide(keys(photos));
    this.timers.set(
      entry.token,
      this.clock.setTimeout(
        () => void this.commit(entry.token).catch((e) => this.o.log?.('warn', `deletion failed: ${String(e)}`)),
        this.undoMs,
      ),
    );
    this.o.onChanged?.();
    this.o.onEvent?.({ token: entry.token, state: 'pending', photos: photos.length, undoUntil: entry.undoUntil });
    return view(entry);
  }

  /** Shows the photos again (a pending deletion, or one the trash refused). */
  async undo(token: string): Promise<void> {
    const e = this.entries.get(token);
    if (this.running.has(token))
      throw new StudioError('invalid_input', 'Too late to undo: these photos are already going to the trash.');
    if (!e)
      throw new StudioError(
        'not_found',
        'There is nothing to undo: these photos were already deleted (look in the system trash).',
      );
    this.clearTimer(token);
    this.entries.delete(token);
    try {
      await this.save(); // removed from the file first: a crash now can no longer delete them
    } catch (err) {
      this.entries.set(token, e);
      throw diskError(err, 'your library', 'The photos were not restored; try again.');
    }
    this.o.library.index.unhide(keys(e.photos));
    this.o.onChanged?.();
    this.o.onEvent?.({ token, state: 'restored', photos: e.photos.length });
  }

  /** After the trash refused: deletes those files for good. */
  async deletePermanently(token: string): Promise<void> {
    const e = this.entries.get(token);
    if (!e) throw new StudioError('not_found', 'These photos are no longer waiting to be deleted.');
    if (e.state !== 'failed')
      throw new StudioError(
        'invalid_input',
        'These photos are still going to the system trash; a permanent delete is only offered when the trash refuses.',
      );
    await this.commit(token, this.o.removePermanently ?? ((p) => fs.rm(p, { recursive: true, force: true })));
  }

  /** Carries out every pending deletion now (on quit). A refusal stays `failed` and is shown again on the next start. */
  async flush(): Promise<void> {
    await Promise.all([...this.running.values()]);
    for (const e of [...this.entries.values()])
      if (e.state === 'pending') await this.commit(e.token).catch(() => undefined);
  }

  /** Resolves when no deletion is being carried out. */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  list(): DeletionT[] {
    return [...this.entries.values()].map(view);
  }

  dispose(): void {
    for (const t of this.timers.keys()) this.clearTimer(t);
  }

  /** Moves a deletion's photos out (to the trash by default); what is refused stays, `failed`. */
  commit(token: string, remove: (p: string) => Promise<void> = this.o.trashItem): Promise<void> {
    const busy = this.running.get(token);
    if (busy) return busy;
    const work = this.carryOut(token, remove).finally(() => this.running.delete(token));
    this.running.set(token, work);
    return work;
  }

  private async carryOut(token: string, remove: (p: string) => Promise<void>): Promise<void> {
    const e = this.entries.get(token);
    if (!e) return;
    this.clearTimer(token);
    const byRun = new Map<string, PendingPhoto[]>();
    for (const p of e.photos) (byRun.get(p.runId) ?? byRun.set(p.runId, []).get(p.runId)!).push(p);
    const failed: PendingPhoto[] = [];
    let reason = '';
    for (const [runId, photos] of byRun) {
      try {
        await this.o.library.deletePhotos(
          runId,
          photos.map((p) => p.index),
          photos.map((p) => p.file),
          remove,
        );
      } catch (err) {
        failed.push(...photos);
        reason ||= trashReason(err);
        this.o.log?.(
          'warn',
          `could not remove photos of ${runId}: ${(err as NodeJS.ErrnoException)?.code ?? String(err)}`,
        );
      }
    }
    const done = e.photos.length - failed.length;
    if (failed.length) {
      this.entries.set(token, { ...e, state: 'failed', reason, photos: failed });
    } else {
      this.entries.delete(token);
    }
    await this.save().catch((err) => this.o.log?.('warn', `pending deletions not saved: ${String(err)}`));
    this.o.onChanged?.();
    const permanent = remove !== this.o.trashItem;
    if (done) this.o.onEvent?.({ token, state: permanent ? 'deleted' : 'trashed', photos: done });
    if (failed.length) this.o.onEvent?.({ token, state: 'failed', photos: failed.length, reason });
  }

  private clearTimer(token: string): void {
    const t = this.timers.get(token);
    if (t !== undefined) this.clock.clearTimeout(t);
    this.timers.delete(token);
  }

  /** The file follows the entries in memory, one write at a time, durable. */
  private save(): Promise<void> {
    const write = this.fileChain.then(() =>
      writeJsonAtomic(this.file, { version: 1, entries: [...this.entries.values()] }),
    );
    this.fileChain = write.catch(() => undefined);
    return write;
  }
}

function newToken(): string {
  return `del_${randomBytes(8).toString('hex')}`;
}

function view(e: Entry): DeletionT {
  return {
    token: e.token,
    state: e.state,
    photos: e.photos.length,
    runs: new Set(e.photos.map((p) => p.runId)).size,
    undoUntil: e.undoUntil,
    ...(e.reason ? { reason: e.reason } : {}),
  };
}
