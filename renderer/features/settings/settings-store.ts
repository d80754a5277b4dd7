/** The settings, a mirror of main's (kept fresh by `settings:changed`, wired in app/connect-studio.ts). */
import { create } from 'zustand';
import type { SettingsViewT } from '../../../shared/ipc/contract';
import type { Req } from '../../../shared/ipc/contract';
import { asClientError, client, type StudioClientError } from '../../app/client';
import { useToken } from '../welcome/token-store';

interface SettingsState {
  settings: SettingsViewT | null;
  error: StudioClientError | null;
  load(): Promise<void>;
  /** throws StudioClientError with `fields` for inline messages */
  update(patch: Req<'settings:update'>): Promise<SettingsViewT>;
  chooseLibrary(): Promise<SettingsViewT>;
  useDefaultLibrary(): Promise<SettingsViewT>;
  receive(view: SettingsViewT): void;
}

export const useSettings = create<SettingsState>()((set) => ({
  settings: null,
  error: null,
  async load() {
    try {
      set({ settings: await client.settings.get(), error: null });
    } catch (e) {
      set({ error: asClientError(e) });
    }
  },
  async update(patch) {
    const view = await client.settings.update(patch);
    set({ settings: view });
    // The token is bound to the address it was checked with: a new address can change whether there is one.
    if (patch.apiBaseUrl !== undefined) void useToken.getState().refresh();
    return view;
  },
  async chooseLibrary() {
    const view = await client.settings.chooseLibrary();
    set({ settings: view });
    return view;
  },
  async useDefaultLibrary() {
    const view = await client.settings.useDefaultLibrary();
    set({ settings: view });
    return view;
  },
  receive(view) {
    set({ settings: view });
  },
}));

export function resetSettings(): void {
  useSettings.setState({ settings: null, error: null });
}
