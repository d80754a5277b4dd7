/** The saved presets (named sets of settings), a mirror of main's. */
import { create } from 'zustand';
import type { PresetT } from '../../../shared/ipc/contract';
import { client } from '../../app/client';

interface PresetsState {
  list: PresetT[];
  loaded: boolean;
  load(): Promise<void>;
  /** throws StudioClientError (e.g. no name) */
  save(name: string, values: Record<string, string | number | boolean>): Promise<void>;
  remove(name: string): Promise<void>;
}

export const usePresets = create<PresetsState>()((set) => ({
  list: [],
  loaded: false,
  async load() {
    try {
      set({ list: await client.presets.list(), loaded: true });
    } catch {
      set({ loaded: true });
    }
  },
  async save(name, values) {
    set({ list: await client.presets.save({ name, values }), loaded: true });
  },
  async remove(name) {
    set({ list: await client.presets.remove({ name }) });
  },
}));

export function resetPresets(): void {
  usePresets.setState({ list: [], loaded: false });
}
