/**
 * The Train view's state: the training set as main keeps it (electron/services/training/
 * training-set.ts), the running check's progress, and what the last add said. Main is the truth;
 * every action answers with the whole set, which replaces ours.
 */
import { create } from 'zustand';
import type { TrainingSetAddResultT, TrainingSetProgressT, TrainingSetViewT } from '../../../shared/ipc/contract';
import { asClientError, client, events } from '../../app/client';

interface TrainingState {
  set: TrainingSetViewT | null;
  loaded: boolean;
  adding: number;
  /** the running check (null: none) */
  checking: TrainingSetProgressT | { done: number; total: number; loadingModel: boolean; setId: string } | null;
  lastAdd: Pick<TrainingSetAddResultT, 'added' | 'alreadyIn' | 'errors'> | null;
  error: string | null;
  load(): Promise<void>;
  addFiles(files: File[]): Promise<void>;
  /** `followUp`: this is the re-check for photos added meanwhile (made at most once) */
  check(followUp?: boolean): Promise<void>;
  cancel(): Promise<void>;
  setIncluded(id: string, included: boolean): Promise<void>;
  setCaption(id: string, caption: string): Promise<void>;
  remove(id: string): Promise<void>;
  receiveProgress(p: TrainingSetProgressT): void;
  dismissAdd(): void;
}

const INITIAL = { set: null, loaded: false, adding: 0, checking: null, lastAdd: null, error: null };

export const useTraining = create<TrainingState>()((set, get) => {
  /** runs one call that answers with the set; its error is shown, never thrown at a click handler */
  async function apply(fn: () => Promise<TrainingSetViewT>) {
    try {
      set({ set: await fn(), error: null });
    } catch (e) {
      set({ error: asClientError(e).message });
    }
  }
  return {
    ...INITIAL,
    async load() {
      try {
        set({ set: await client.trainingset.list(), loaded: true, error: null });
      } catch (e) {
        set({ loaded: true, error: asClientError(e).message });
      }
    },
    async addFiles(files) {
      if (!files.length) return;
      set((s) => ({ adding: s.adding + files.length, error: null }));
      let added = 0;
      try {
        const r = await client.trainingset.add({ files });
        added = r.added.length;
        set({ set: r.set, lastAdd: { added: r.added, alreadyIn: r.alreadyIn, errors: r.errors } });
      } catch (e) {
        set({ error: asClientError(e).message });
      } finally {
        set((s) => ({ adding: Math.max(0, s.adding - files.length) }));
      }
      // new photos change every verdict that compares photos (duplicates, the other person): check at once
      if (added) await get().check();
    },
    async check(followUp = false) {
      const s = get();
      if (s.checking || !s.set?.photos.length) return;
      set({ checking: { setId: s.set.id, done: 0, total: s.set.photos.length, loadingModel: false }, error: null });
      let again = false;
      try {
        const view = await client.trainingset.check();
        set({ set: view });
        // photos dropped while it ran are not in this check: check them (and the set with them) now
        again = !followUp && view.summary.unchecked > 0;
      } catch (e) {
        const err = asClientError(e);
        if (err.code !== 'canceled') set({ error: err.message });
      } finally {
        set({ checking: null });
      }
      if (again) await get().check(true);
    },
    async cancel() {
      try {
        await client.trainingset.cancel();
      } catch (e) {
        set({ error: asClientError(e).message });
      }
    },
    setIncluded: (id, included) => apply(() => client.trainingset.setIncluded({ id, included })),
    setCaption: (id, caption) => apply(() => client.trainingset.setCaption({ id, caption })),
    remove: (id) => apply(() => client.trainingset.remove({ id })),
    receiveProgress(p) {
      if (get().checking) set({ checking: p });
    },
    dismissAdd: () => set({ lastAdd: null }),
  };
});

/** Progress events from main while a check runs; returns the unsubscribe. */
export function connectTraining(): () => void {
  return events().trainingset.onProgress((p) => useTraining.getState().receiveProgress(p));
}

export function resetTraining(): void {
  useTraining.setState(INITIAL);
}
