/**
 * The one place main touches raw IPC (with ./preload.ts on the other side).
 *
 * Every invoke goes through `registerIpc`: the sender is checked synchronously, before any await
 * (Electron 33+: `senderFrame` is null after the page navigates), the arguments are validated with
 * the shared zod contract, and failures come back as `{code, message}` data, never as thrown
 * Electron errors that would lose their code. Model: VS Code's validatedIpcMain, Fiddle's ipc.ts.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { INVOKE_CHANNELS, APP_SCHEME, APP_HOST, type EventChannel } from '../shared/ipc/channels';
import { eventContract, type EventPayload } from '../shared/ipc/contract';
import { dispatch, type DispatchHooks, type Handlers } from './ipc-dispatch';

/** A window of ours, its main frame, showing our app:// origin. */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  ourWindows: ReadonlySet<number>,
): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  const win = BrowserWindow.fromWebContents(event.sender);
  if (!win || !ourWindows.has(win.id)) return false;
  if (frame !== event.sender.mainFrame) return false; // no iframes
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
}

export function registerIpc(
  handlers: Handlers,
  ourWindows: ReadonlySet<number>,
  hooks: DispatchHooks = {},
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, arg: unknown) => {
      if (!isTrustedSender(event, ourWindows)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: 'This request did not come from the Sseelfie Studio window.' },
        };
      }
      return dispatch(handlers, channel, arg, hooks, { senderId: event.sender.id });
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** Sends a validated event to every live window of ours. */
export function createEventSender(windows: () => Iterable<WebContents>) {
  return function emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void {
    const parsed = eventContract[channel].parse(payload);
    for (const wc of windows()) if (!wc.isDestroyed()) wc.send(channel, parsed);
  };
}
