/**
 * The preload: `window.studio`, one function per message of the shared contract, nothing else.
 * Listeners never see the IpcRendererEvent (Electron security checklist #20), and every
 * subscription returns its unsubscribe. Bundled to CJS because sandboxed preloads cannot use ESM.
 * Only channel names are imported, so this bundle carries no zod.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENT_CHANNELS, FILE_CHANNELS, INVOKE_CHANNELS, eventMethod, splitChannel, ASSET_SCHEME } from '../shared/ipc/channels';
import type { FileTransfer } from '../shared/ipc/api';

/** Dropped/picked files cross as paths; pasted ones (no path) as bytes. */
export async function toTransfers(files: File[]): Promise<FileTransfer[]> {
  return Promise.all(
    files.map(async (f) => {
      const path = webUtils.getPathForFile(f);
      return path ? { name: f.name, path } : { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) };
    }),
  );
}

export function buildStudioApi(): Record<string, unknown> {
  const api: Record<string, Record<string, unknown>> = {};
  for (const ch of INVOKE_CHANNELS) {
    const [d, v] = splitChannel(ch);
    (api[d] ??= {})[v] = (FILE_CHANNELS as readonly string[]).includes(ch)
      ? async (req: { files: File[] }) => ipcRenderer.invoke(ch, { files: await toTransfers(Array.from(req?.files ?? [])) })
      : (req?: unknown) => ipcRenderer.invoke(ch, req);
  }
  for (const ch of EVENT_CHANNELS) {
    const [d, m] = eventMethod(ch);
    (api[d] ??= {})[m] = (cb: (payload: unknown) => void) => {
      const listener = (_e: unknown, payload: unknown) => cb(payload);
      ipcRenderer.on(ch, listener);
      return () => ipcRenderer.removeListener(ch, listener);
    };
  }
  return { ...api, assetBase: `${ASSET_SCHEME}://asset/`, platform: process.platform };
}

contextBridge.exposeInMainWorld('studio', buildStudioApi());
