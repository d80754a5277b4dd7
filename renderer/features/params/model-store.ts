/** The model's input schema (main reads and caches it); the form is built from its fields. */
import { create } from 'zustand';
import type { ModelInfoT } from '../../../shared/ipc/contract';
import type { Req } from '../../../shared/ipc/contract';
import { asClientError, client, type StudioClientError } from '../../app/client';

interface ModelState {
  info: ModelInfoT | null;
  loading: boolean;
  error: StudioClientError | null;
  /** the default model the current info was asked for (to reload when Settings change it) */
  requestedFor: string | null;
  /** ref defaults to the settings' default model (main decides) */
  load(opts?: { ref?: string; refresh?: boolean; forDefault?: string }): Promise<void>;
}

export const useModel = create<ModelState>()((set, get) => ({
  info: null,
  loading: false,
  error: null,
  requestedFor: null,
  async load(opts = {}) {
    set({ loading: true, error: null, ...(opts.forDefault !== undefined ? { requestedFor: opts.forDefault } : {}) });
    try {
      const req: Req<'models:get'> = {};
      if (opts.ref) req.ref = opts.ref;
      if (opts.refresh) req.refresh = true;
      const info = await client.models.get(req);
      set({ info, loading: false });
    } catch (e) {
      set({ error: asClientError(e), loading: false, info: get().info });
    }
  },
}));

export function resetModel(): void {
  useModel.setState({ info: null, loading: false, error: null, requestedFor: null });
}
