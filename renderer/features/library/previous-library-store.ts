/**
 * The previous library as main describes it (`library:previous`: the folder the person left while
 * it still holds photos) and the move of its photos into the current library: live progress from
 * `library:moveProgress`, then the outcome, kept on screen until dismissed. Wired in
 * `connectStudio()` (renderer/app/connect-studio.ts): loaded at start and after every library switch.
 */
import { create } from 'zustand';
import type { MoveProgressT, PreviousLibraryViewT } from '../../../shared/ipc/contract';
import { asClientError, client } from '../../app/client';

interface PreviousLibraryState {
  previous: PreviousLibraryViewT | null;
  /** the move under way, or how the last one ended (until dismissed) */
  progress: MoveProgressT | null;
  error: string | null;
  load(): Promise<void>;
  /** after a switch: an older move's outcome is about another library */
  reset(): void;
  move(): Promise<void>;
  cancel(): Promise<void>;
  open(): Promise<void>;
  /** forgets the previous library (main stops mentioning it) and the last outcome */
  dismiss(): Promise<void>;
  receive(p: MoveProgressT): void;
}

let loads = 0;

export const usePreviousLibrary = create<PreviousLibraryState>()((set, get) => ({
  previous: null,
  progress: null,
  error: null,
  async load() {
    const mine = ++loads;
    try {
      const previous = await client.library.previous();
      if (mine !== loads) return;
      // A move started elsewhere (another window, or before a reload) shows as it goes.
      set((s) => ({ previous, progress: previous?.move ?? (s.progress?.state === 'moving' ? null : s.progress) }));
    } catch (e) {
      if (mine === loads) set({ error: asClientError(e).message });
    }
  },
  reset() {
    set({ previous: null, progress: null, error: null });
  },
  async move() {
    const prev = get().previous;
    if (!prev || get().progress?.state === 'moving') return;
    set({
      error: null,
      progress: {
        state: 'moving',
        from: prev.dir,
        total: prev.runs + prev.selfies,
        done: 0,
        runsMoved: 0,
        selfiesMoved: 0,
        skipped: [],
      },
    });
    try {
      const end = await client.library.movePrevious();
      set({ progress: end });
    } catch (e) {
      set({ error: asClientError(e).message, progress: null });
    }
    await get().load();
  },
  async cancel() {
    try {
      await client.library.cancelMove();
    } catch (e) {
      set({ error: asClientError(e).message });
    }
  },
  async open() {
    set({ error: null });
    try {
      await client.library.openPrevious();
    } catch (e) {
      set({ error: asClientError(e).message });
    }
  },
  async dismiss() {
    const had = get().previous;
    set({ previous: null, progress: null, error: null });
    if (!had) return;
    try {
      await client.library.forgetPrevious();
    } catch (e) {
      set({ previous: had, error: asClientError(e).message });
    }
  },
  receive(p) {
    set((s) => (s.progress && s.progress.state !== 'moving' && p.state === 'moving' ? s : { progress: p }));
  },
}));

export function resetPreviousLibrary(): void {
  loads++;
  usePreviousLibrary.setState({ previous: null, progress: null, error: null });
}
