/**
 * The Train view's state: the training set as main keeps it (electron/services/training/
 * training-set.ts), the running check's progress, and what the last add said. Main is the truth;
 * every action answers with the whole set, which replaces ours.
 */
import { create } from 'zustand';
import type { TrainingSetAddResultT, TrainingSetProgressT, TrainingSetViewT } from '../../../shared/ipc/contract';
import { asClientError, client, events } from '../../store/client';

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
  check(): Promise<void>;
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
        set({ set: await client.trainingSet.list(), loaded: true, error: null });
      } catch (e) {
        set({ loaded: true, error: asClientError(e).message });
      }
    },
    async addFiles(files) {
      if (!files.length) return;
      set((s) => ({ adding: s.adding + files.length, error: null }));
      let added = 0;
      try {
        const r = await client.trainingSet.add({ files });
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
    async check() {
      const s = get();
      if (s.checking || !s.set?.photos.length) return;
      set({ checking: { setId: s.set.id, done: 0, total: s.set.photos.length, loadingModel: false }, error: null });
      try {
        const view = await client.trainingSet.check();
        set({ set: view });
      } catch (e) {
        const err = asClientError(e);
        if (err.code !== 'canceled') set({ error: err.message });
      } finally {
        set({ checking: null });
      }
    },
    async cancel() {
      try {
        await client.trainingSet.cancel();
      } catch (e) {
        set({ error: asClientError(e).message });
      }
    },
    setIncluded: (id, included) => apply(() => client.trainingSet.setIncluded({ id, included })),
    setCaption: (id, caption) => apply(() => client.trainingSet.setCaption({ id, caption })),
    remove: (id) => apply(() => client.trainingSet.remove({ id })),
    receiveProgress(p) {
      if (get().checking) set({ checking: p });
    },
    dismissAdd: () => set({ lastAdd: null }),
  };
});

/** Progress events from main while a check runs; returns the unsubscribe. */
export function connectTraining(): () => void {
  return events().trainingSet.onProgress((p) => useTraining.getState().receiveProgress(p));
}

export function resetTraining(): void {
  useTraining.setState(INITIAL);
}
