/**
 * The preload: `window.studio`, one function per message of the shared contract, nothing else.
 * Listeners never see the IpcRendererEvent (Electron security checklist #20), and every
 * subscription returns its unsubscribe. Bundled to CJS because sandboxed preloads cannot use ESM.
 * Only channel names are imported, so this bundle carries no zod.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  EVENT_CHANNELS,
  FILE_CHANNELS,
  INVOKE_CHANNELS,
  MAX_IMPORT_BYTES,
  eventMethod,
  splitChannel,
  ASSET_SCHEME,
} from '../shared/ipc/channels';
import type { FileTransfer } from '../shared/ipc/api';

/**
 * Files the person chose cross as their bytes (read here, in the page's own sandbox), never as
 * paths: main cannot tell a path from a drop from one a compromised page made up. A file too large
 * to import is not read; only its size goes, so main can say so by name.
 */
export async function toTransfers(files: File[]): Promise<FileTransfer[]> {
  return Promise.all(
    files.map(async (f) =>
      f.size > MAX_IMPORT_BYTES
        ? { name: f.name, size: f.size }
        : { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) },
    ),
  );
}

export function buildStudioApi(): Record<string, unknown> {
  const api: Record<string, Record<string, unknown>> = {};
  for (const ch of INVOKE_CHANNELS) {
    const [d, v] = splitChannel(ch);
    (api[d] ??= {})[v] = (FILE_CHANNELS as readonly string[]).includes(ch)
      ? async (req: { files: File[] }) =>
          ipcRenderer.invoke(ch, { files: await toTransfers(Array.from(req?.files ?? [])) })
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
