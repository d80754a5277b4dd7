/** The library's runs for the gallery (refreshed on `library:changed`, wired in app/connect-studio.ts). */
import { create } from 'zustand';
import type { RunSummaryT } from '../../../shared/ipc/contract';
import { asClientError, client, type StudioClientError } from '../../app/client';

interface LibraryState {
  runs: RunSummaryT[];
  loaded: boolean;
  query: string;
  /** list only runs with a picked (starred) photo (the gallery's "Kept only" filter) */
  keptOnly: boolean;
  error: StudioClientError | null;
  refresh(): Promise<void>;
  setQuery(q: string): Promise<void>;
  setKeptOnly(on: boolean): Promise<void>;
  remove(runId: string): Promise<void>;
}

let libraryRequest = 0;
export const useLibrary = create<LibraryState>()((set, get) => ({
  runs: [],
  loaded: false,
  query: '',
  keptOnly: false,
  error: null,
  async refresh() {
    const mine = ++libraryRequest;
    try {
      const q = get().query.trim();
      const keptOnly = get().keptOnly;
      const runs = await client.library.list(
        q || keptOnly ? { ...(q ? { query: q } : {}), ...(keptOnly ? { picksOnly: true } : {}) } : undefined,
      );
      if (mine === libraryRequest) set({ runs, loaded: true, error: null });
    } catch (e) {
      if (mine === libraryRequest) set({ error: asClientError(e), loaded: true });
    }
  },
  async setQuery(q) {
    set({ query: q });
    await get().refresh();
  },
  async setKeptOnly(on) {
    set({ keptOnly: on });
    await get().refresh();
  },
  async remove(runId) {
    await client.library.remove({ runId });
    set((s) => ({ runs: s.runs.filter((r) => r.id !== runId) }));
  },
}));

export function resetLibrary(): void {
  useLibrary.setState({ runs: [], loaded: false, query: '', keptOnly: false, error: null });
}
