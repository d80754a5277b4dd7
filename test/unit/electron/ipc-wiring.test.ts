import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../mocks/electron'));

import * as electron from '../../mocks/electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS, eventMethod, splitChannel } from '../../../shared/ipc/channels';
import { invokeContract, eventContract } from '../../../shared/ipc/contract';
import { isTrustedSender, registerIpc, createEventSender } from '../../../electron/ipc';
import type { Handlers } from '../../../electron/ipc-dispatch';
import { bridgeKeys } from '../../e2e/bridge-api';

function fakeHandlers(): Handlers {
  return Object.fromEntries(INVOKE_CHANNELS.map((c) => [c, vi.fn(async () => null)])) as unknown as Handlers;
}

describe('the IPC contract', () => {
  it('names exactly the channels of channels.ts, each domain:verb', () => {
    expect(Object.keys(invokeContract).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(eventContract).sort()).toEqual([...EVENT_CHANNELS].sort());
    for (const c of [...INVOKE_CHANNELS, ...EVENT_CHANNELS]) expect(c).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });
});

describe('main: registerIpc and sender validation', () => {
  let win: electron.BrowserWindow;
  const ours = new Set<number>();
  beforeEach(() => {
    electron.ipcMainHandlers.clear();
    electron.BrowserWindow.all.length = 0;
    win = new electron.BrowserWindow({});
    ours.clear();
    ours.add(win.id);
  });

  it('registers one handler per contract channel', () => {
    registerIpc(fakeHandlers(), ours);
    expect([...electron.ipcMainHandlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  const event = (over: Partial<{ sender: unknown; senderFrame: unknown }> = {}) => ({
    sender: win.webContents,
    senderFrame: win.webContents.mainFrame,
    ...over,
  });

  it('accepts our window, main frame, app:// origin', () => {
    expect(isTrustedSender(event() as never, ours)).toBe(true);
  });

  it.each([
    ['a frame that navigated away (senderFrame null)', () => ({ senderFrame: null })],
    ['a sub-frame', () => ({ senderFrame: { url: 'app://bundle/index.html' } })],
    [
      'another origin',
      () => {
        win.webContents.mainFrame = { url: 'https://evil.example/' };
        return {};
      },
    ],
    [
      'a look-alike host',
      () => {
        win.webContents.mainFrame = { url: 'app://bundle.evil/' };
        return {};
      },
    ],
    [
      'file://',
      () => {
        win.webContents.mainFrame = { url: 'file:///etc/passwd' };
        return {};
      },
    ],
    [
      'a window that is not ours',
      () => {
        ours.clear();
        return {};
      },
    ],
    ['a webContents with no window', () => ({ sender: new electron.WebContentsMock() })],
  ])('refuses %s before calling the handler', async (_name, tweak) => {
    const handlers = fakeHandlers();
    registerIpc(handlers, ours);
    const over = tweak();
    const ev = event(over);
    const res = await electron.ipcMainHandlers.get('settings:get')!(ev, undefined);
    expect(res).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    expect(handlers['settings:get']).not.toHaveBeenCalled();
  });

  it('validates arguments of every channel: malformed input never reaches a handler', async () => {
    const handlers = fakeHandlers();
    registerIpc(handlers, ours);
    const bad: unknown[] = [{ evil: true }, 'string', 42, [1, 2], { token: 5 }, { jobId: '../../etc' }];
    for (const ch of INVOKE_CHANNELS) {
      for (const arg of bad) {
        const schema = invokeContract[ch].request;
        if (schema.safeParse(arg).success) continue; // (only undefined-request channels accept nothing)
        const res = (await electron.ipcMainHandlers.get(ch)!(event(), arg)) as {
          ok: boolean;
          error?: { code: string };
        };
        expect(res.ok, `${ch} accepted ${JSON.stringify(arg)}`).toBe(false);
        expect(res.error?.code).toMatch(/invalid_input/);
      }
      expect(handlers[ch], ch).not.toHaveBeenCalled();
    }
  });

  it('turns a handler crash into {code, message} without a stack', async () => {
    const handlers = fakeHandlers();
    (handlers['settings:get'] as unknown as ReturnType<typeof vi.fn>).mockRejectedValue(
      new Error('boom at /secret/path.ts:12'),
    );
    const logged: string[] = [];
    registerIpc(handlers, ours, { onInternalError: (ch) => logged.push(ch) });
    const res = (await electron.ipcMainHandlers.get('settings:get')!(event(), undefined)) as {
      ok: boolean;
      error: { code: string; message: string };
    };
    expect(res.ok).toBe(false);
    expect(res.error.code).toBe('internal');
    expect(res.error).not.toHaveProperty('stack');
    expect(logged).toEqual(['settings:get']);
  });

  it('events are validated and sent only as contract payloads', () => {
    const wc = new electron.WebContentsMock();
    const emit = createEventSender(() => [wc as never]);
    emit('library:changed', { reason: 'added', runId: 'r1', extra: 'dropped' } as never);
    expect(wc.sent).toEqual([['library:changed', { reason: 'added', runId: 'r1' }]]);
    expect(() => emit('library:changed', { reason: 'nope' } as never)).toThrow();
  });
});

describe('preload: window.studio', () => {
  it('sends the bytes of every file the person chose, never a path; a too-large one only as its size', async () => {
    await import('../../../electron/preload');
    const api = electron.exposed.studio as Record<string, Record<string, (r: unknown) => Promise<unknown>>>;
    const dropped = {
      name: 'me.heic',
      size: 3,
      fakePath: '/Users/me/me.heic',
      arrayBuffer: async () => new Uint8Array([9, 8, 7]).buffer,
    };
    const pasted = { name: 'image.png', size: 3, arrayBuffer: async () => new Uint8Array([1, 2, 3]).buffer };
    let readHuge = false;
    const huge = {
      name: 'scan.tif',
      size: 300 * 1024 * 1024,
      fakePath: '/Users/me/scan.tif',
      arrayBuffer: async () => ((readHuge = true), new ArrayBuffer(0)),
    };
    await api.selfies!.import!({ files: [dropped, pasted, huge] });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('selfies:import', {
      files: [
        { name: 'me.heic', bytes: new Uint8Array([9, 8, 7]) },
        { name: 'image.png', bytes: new Uint8Array([1, 2, 3]) },
        { name: 'scan.tif', size: 300 * 1024 * 1024 },
      ],
    });
    expect(readHuge).toBe(false);
    expect(electron.webUtils.getPathForFile).not.toHaveBeenCalled();
  });

  it('exposes one function per invoke channel and an unsubscribing listener per event', async () => {
    await import('../../../electron/preload');
    const api = electron.exposed.studio as Record<string, Record<string, unknown>>;
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledWith('studio', expect.any(Object));
    const keys = exposedKeys(api);
    const expected = [
      ...INVOKE_CHANNELS.map((c) => splitChannel(c).join('.')),
      ...EVENT_CHANNELS.map((c) => eventMethod(c).join('.')),
    ].sort();
    expect(keys).toEqual(expected);
    expect(typeof api.assetBase).toBe('string');
    // parity: preload == main registration (the contract) == the Playwright test bridge
    expect(bridgeKeys().filter((k) => k.includes('.'))).toEqual(keys);
    expect(bridgeKeys()).toEqual(expect.arrayContaining(['assetBase', 'platform']));

    await (api.settings!.update as (r: unknown) => Promise<unknown>)({ theme: 'dark' });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('settings:update', { theme: 'dark' });

    const seen: unknown[] = [];
    const off = (api.jobs!.onProgress as (cb: (p: unknown) => void) => () => void)((p) => seen.push(p));
    const listener = [...electron.rendererListeners.get('jobs:progress')!][0]!;
    listener({ sender: 'IpcRendererEvent must not leak' }, { id: 'j' });
    expect(seen).toEqual([{ id: 'j' }]);
    off();
    expect(electron.rendererListeners.get('jobs:progress')!.size).toBe(0);
  });
});

/** `domain.verb` for every function in a studio api object (the parity test's common currency). */
export function exposedKeys(api: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [d, v] of Object.entries(api)) {
    if (v && typeof v === 'object')
      for (const [k, f] of Object.entries(v)) if (typeof f === 'function') out.push(`${d}.${k}`);
  }
  return out.sort();
}
