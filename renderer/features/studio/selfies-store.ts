/** The selfie shelf, a mirror of main's, and the imports onto it. */
import { create } from 'zustand';
import type { ImportResultT, SelfieViewT } from '../../../shared/ipc/contract';
import { asClientError, client, type StudioClientError } from '../../app/client';

interface SelfiesState {
  list: SelfieViewT[];
  loaded: boolean;
  error: StudioClientError | null;
  /** files being imported now (0: idle); imports started meanwhile wait their turn */
  importing: boolean;
  importingCount: number;
  /** what the imports since the last dismissal did: added selfies, files already on the shelf, per-file problems in `errors` */
  lastImport: ImportResultT | null;
  importError: StudioClientError | null;
  load(): Promise<void>;
  /** main copies the files, applies orientation and strips metadata; never throws */
  importFiles(files: File[]): Promise<void>;
  clearImport(): void;
  remove(id: string): Promise<boolean>;
}

let importChain: Promise<void> = Promise.resolve();

export const useSelfies = create<SelfiesState>()((set, get) => ({
  list: [],
  loaded: false,
  error: null,
  importing: false,
  importingCount: 0,
  lastImport: null,
  importError: null,
  async load() {
    try {
      set({ list: await client.selfies.list(), loaded: true, error: null });
    } catch (e) {
      set({ error: asClientError(e), loaded: true });
    }
  },
  importFiles(files) {
    if (!files.length) return Promise.resolve();
    // A fresh batch starts a fresh report; files dropped while importing join the running one.
    if (!get().importing) set({ lastImport: null, importError: null });
    set((s) => ({ importing: true, importingCount: s.importingCount + files.length }));
    const run = async () => {
      try {
        const r = await client.selfies.import({ files });
        set((s) => ({
          lastImport: {
            imported: [...(s.lastImport?.imported ?? []), ...r.imported],
            duplicates: [...(s.lastImport?.duplicates ?? []), ...r.duplicates],
            errors: [...(s.lastImport?.errors ?? []), ...r.errors],
          },
        }));
        await get().load();
      } catch (e) {
        set({ importError: asClientError(e) });
      } finally {
        set((s) => {
          const importingCount = Math.max(0, s.importingCount - files.length);
          return { importingCount, importing: importingCount > 0 };
        });
      }
    };
    importChain = importChain.then(run, run);
    return importChain;
  },
  clearImport() {
    set({ lastImport: null, importError: null });
  },
  async remove(id) {
    try {
      await client.selfies.remove({ id });
      set((s) => ({ list: s.list.filter((x) => x.id !== id), error: null }));
      return true;
    } catch (e) {
      set({ error: asClientError(e) });
      return false;
    }
  },
}));

export function resetSelfies(): void {
  useSelfies.setState({
    list: [],
    loaded: false,
    error: null,
    importing: false,
    importingCount: 0,
    lastImport: null,
    importError: null,
  });
  importChain = Promise.resolve();
}
