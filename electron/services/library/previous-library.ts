/**
 * The library the person left when they chose another folder: remembered (in the settings store,
 * so it survives a restart) while it still holds photos, described for the window's notice ("Your
 * photos are in the previous library …: 12 runs"), and moved into the current library on request
 * (LibraryMove), one move at a time, cancellable.
 *
 * One writer per library (docs/architecture.md, "The lock"): a move holds the current library's
 * lock (the app's own) and takes the previous library's for as long as it runs, so a CLI or
 * another window working there refuses it, in words, before a file moves. A move refuses while
 * photos are being made: their runs are written into the current library as they arrive.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import type { KeyValueStore } from '../settings/kv';
import { APP_DIR } from './library';
import { LibraryLock } from './library-lock';
import { LibraryMove, type MoveOptions, type MoveProgress } from './library-move';

const KEY = 'library.previous';

export interface PreviousLibraryView {
  dir: string;
  runs: number;
  selfies: number;
  /** the move under way, if any */
  move: MoveProgress | null;
}

interface Lock {
  acquire(): Promise<void>;
  release(): Promise<void>;
}

export interface PreviousLibraryOptions {
  kv: KeyValueStore;
  /** the current library's folder */
  current(): string;
  /** takes the current library's lock (the app's own; held already unless someone else has it) */
  acquireCurrent(): Promise<void>;
  /** photos being made right now */
  activeJobs(): number;
  onProgress(p: MoveProgress): void;
  /** after a move changed the current library (its listing is stale) */
  afterMove(): void | Promise<void>;
  who: string;
  lockFor?: (appDir: string) => Lock;
  move?: Pick<MoveOptions, 'rename' | 'copyFile'>;
}

export class PreviousLibrary {
  private active: { abort: AbortController; progress: MoveProgress } | null = null;

  constructor(private readonly o: PreviousLibraryOptions) {}

  get moving(): boolean {
    return !!this.active;
  }

  dir(): string | null {
    const v = this.o.kv.get(KEY);
    return typeof v === 'string' && v ? v : null;
  }

  /**
   * The person switched from `left` to the current library. A library with photos becomes the
   * previous one; an empty one does not replace one that still has photos (A → empty B → C still
   * points at A's photos), and the library switched back to is no longer "previous".
   */
  async switched(left: string): Promise<void> {
    const now = path.resolve(this.o.current());
    const { runs, selfies } = await LibraryMove.survey(left);
    if (path.resolve(left) !== now && (runs.length || selfies.length)) this.o.kv.set(KEY, path.resolve(left));
    else if (this.dir() && path.resolve(this.dir()!) === now) this.forget();
  }

  forget(): void {
    this.o.kv.delete(KEY);
  }

  /** What the notice shows, or null when there is nothing left to say (an emptied or vanished library is forgotten). */
  async view(): Promise<PreviousLibraryView | null> {
    const dir = this.dir();
    if (!dir) return null;
    if (path.resolve(dir) === path.resolve(this.o.current())) {
      this.forget();
      return null;
    }
    // A drive that is not plugged in now: nothing to show, but its photos are not forgotten.
    if (
      !(await fs.stat(dir).then(
        (st) => st.isDirectory(),
        () => false,
      ))
    )
      return null;
    const { runs, selfies } = await LibraryMove.survey(dir);
    if (!runs.length && !selfies.length && !this.active) {
      this.forget();
      return null;
    }
    return { dir, runs: runs.length, selfies: selfies.length, move: this.active ? { ...this.active.progress } : null };
  }

  /** Moves the previous library's photos into the current one; resolves with how it ended. */
  async moveHere(): Promise<MoveProgress> {
    const from = this.dir();
    if (!from) throw new StudioError('invalid_input', 'There is no previous library to move photos from.');
    if (this.active) throw new StudioError('invalid_input', 'The photos are being moved already.');
    const busy = this.o.activeJobs();
    if (busy) {
      throw new StudioError(
        'invalid_input',
        `${busy === 1 ? 'A photo is' : 'Photos are'} still being made. Wait for ${busy === 1 ? 'it' : 'them'} to finish (or cancel ${busy === 1 ? 'it' : 'them'}), then move your photos.`,
      );
    }
    const abort = new AbortController();
    const to = this.o.current();
    this.active = {
      abort,
      progress: { state: 'moving', from, total: 0, done: 0, runsMoved: 0, selfiesMoved: 0, skipped: [] },
    };
    const lock = (this.o.lockFor ?? ((d) => LibraryLock.for(d, this.o.who)))(path.join(from, APP_DIR));
    try {
      await this.o.acquireCurrent();
      try {
        await lock.acquire();
      } catch (e) {
        const why = e instanceof StudioError ? e.message : String(e);
        throw new StudioError('locked', `Nothing was moved: the previous library (${from}) is in use. ${why}`);
      }
      const result = await new LibraryMove(from, to, {
        ...this.o.move,
        onProgress: (p) => {
          if (this.active) this.active.progress = p;
          this.o.onProgress(p);
        },
      }).run(abort.signal);
      const left = await LibraryMove.survey(from);
      if (!left.runs.length && !left.selfies.length) this.forget();
      return result;
    } finally {
      await lock.release().catch(() => {});
      this.active = null;
      await this.o.afterMove();
    }
  }

  /** Stops the move after the folder being moved (a copy half-way is undone). */
  cancel(): void {
    this.active?.abort.abort();
  }
}
