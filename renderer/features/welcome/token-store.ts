/**
 * The token status, a mirror of main's (main keeps the token itself; the renderer never sees it).
 */
import { create } from 'zustand';
import type { TokenStatusT } from '../../../shared/ipc/contract';
import type { Req } from '../../../shared/ipc/contract';
import { asClientError, client, type StudioClientError } from '../../app/client';

interface TokenState {
  status: TokenStatusT | null;
  /** the first status call failed: the app cannot start without it */
  error: StudioClientError | null;
  refresh(): Promise<void>;
  /** throws StudioClientError (bad token, network…); the status is left as it was */
  set(token: string, allowPlaintext?: boolean): Promise<TokenStatusT>;
  clear(): Promise<TokenStatusT>;
}

export const useToken = create<TokenState>()((set) => ({
  status: null,
  error: null,
  async refresh() {
    try {
      set({ status: await client.token.status(), error: null });
    } catch (e) {
      set({ error: asClientError(e) });
    }
  },
  async set(token, allowPlaintext) {
    const req: Req<'token:set'> = allowPlaintext ? { token, allowPlaintext: true } : { token };
    const status = await client.token.set(req);
    set({ status, error: null });
    return status;
  },
  async clear() {
    const status = await client.token.clear();
    set({ status });
    return status;
  },
}));

export function resetToken(): void {
  useToken.setState({ status: null, error: null });
}
