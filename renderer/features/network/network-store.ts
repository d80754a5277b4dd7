/**
 * Whether main can reach Replicate, mirrored from `network:changed`. Main decides (one probe for
 * the whole app, electron/services/replicate/connectivity.ts); the renderer only shows it.
 */
import { create } from 'zustand';
import type { NetworkStateT } from '../../../shared/ipc/contract';
import { client } from '../../app/client';

interface NetworkStore {
  state: NetworkStateT;
  load(): Promise<void>;
  receive(s: NetworkStateT): void;
}

export const useNetwork = create<NetworkStore>()((set) => ({
  state: { online: true, since: 0 },
  async load() {
    try {
      set({ state: await client.network.status() });
    } catch {
      // the banner is a courtesy: without an answer, assume online (jobs still say what they wait for)
    }
  },
  receive(state) {
    set({ state });
  },
}));

export function resetNetwork(): void {
  useNetwork.setState({ state: { online: true, since: 0 } });
}
