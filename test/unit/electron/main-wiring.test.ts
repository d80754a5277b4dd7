import { rmSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../mocks/electron'));

import * as electron from '../../mocks/electron';
import { INVOKE_CHANNELS } from '../../../shared/ipc/channels';
import { CSP, registerProtocols, safeJoin } from '../../../electron/window';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

rmSync('/tmp/sseelfie-electron-mock', { recursive: true, force: true });

async function bootMain() {
  await import('../../../electron/main');
  for (let i = 0; i < 200 && electron.ipcMainHandlers.size < INVOKE_CHANNELS.length; i++)
    await new Promise((r) => setTimeout(r, 10));
  for (let i = 0; i < 200 && electron.BrowserWindow.all.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
}

describe('electron/main.ts wiring (Electron mocked)', () => {
  it('sandboxes every renderer before ready, registers privileged schemes once, and every channel', async () => {
    await bootMain();
    expect(electron.app.enableSandbox).toHaveBeenCalledTimes(1);
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    const schemes = electron.protocol.registerSchemesAsPrivileged.mock.calls[0]![0] as Array<{
      scheme: string;
      privileges: { secure: boolean; standard: boolean };
    }>;
    expect(schemes.map((s) => s.scheme).sort()).toEqual(['app', 'studio-asset']);
    expect(schemes.every((s) => s.privileges.secure && s.privileges.standard)).toBe(true);
    expect([...electron.ipcMainHandlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalled();
  });

  it('opens a sandboxed, isolated window on app://bundle with the CJS preload', async () => {
    await bootMain();
    const win = electron.BrowserWindow.all[0]!;
    const prefs = (win.options as { webPreferences: Record<string, unknown> }).webPreferences;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      navigateOnDragDrop: false,
    });
    expect(String(prefs.preload)).toMatch(/preload\.cjs$/);
    expect(win.loaded).toBe('app://bundle/index.html');
  });

  it('blocks navigation away from app://, new windows, webviews and permission requests', async () => {
    await bootMain();
    const wc = new electron.WebContentsMock();
    electron.app.emit('web-contents-created', {}, wc);
    const nav = wc.listeners.get('will-navigate')!;
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://bundle.evil/x',
      'studio-asset://asset/x',
    ]) {
      const e = { preventDefault: vi.fn() };
      nav(e, url);
      expect(e.preventDefault, url).toHaveBeenCalled();
    }
    const ok = { preventDefault: vi.fn() };
    nav(ok, 'app://bundle/index.html#/settings');
    expect(ok.preventDefault).not.toHaveBeenCalled();

    expect(wc.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
    expect(wc.openHandler!({ url: 'https://replicate.com/account/api-tokens' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://replicate.com/account/api-tokens');

    const attach = { preventDefault: vi.fn() };
    wc.listeners.get('will-attach-webview')!(attach);
    expect(attach.preventDefault).toHaveBeenCalled();

    const cb = vi.fn();
    electron.sessionState.permissionRequest!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(electron.sessionState.permissionCheck!()).toBe(false);
  });

  it('serves the UI with the strict CSP, refuses path escapes and file://', async () => {
    await bootMain();
    const app = electron.protocolHandlers.get('app')!;
    const res = (await app({ url: 'app://bundle/index.html' })) as Response;
    expect(res.headers.get('Content-Security-Policy')).toBe(CSP);
    expect(CSP).not.toMatch(/unsafe-eval|https?:/);
    expect(((await app({ url: 'app://bundle/..%2f..%2fetc/passwd' })) as Response).status).toBe(404);
    expect(((await app({ url: 'app://other/index.html' })) as Response).status).toBe(404);
    expect(((await electron.protocolHandlers.get('file')!({ url: 'file:///etc/passwd' })) as Response).status).toBe(
      403,
    );
    const asset = (await electron.protocolHandlers.get('studio-asset')!({
      url: 'studio-asset://asset/..%2F.sseelfie/lock',
    })) as Response;
    expect(asset.status).toBe(404);
  });

  it('serves the real files of the renderer folder through app:// although file: itself is blocked', async () => {
    // The mock's net.fetch calls intercepted handlers as Electron does, so a handler that fetched
    // file: without bypassing them would be answered by the 403 "Blocked" handler here.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sseelfie-renderer-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Sseelfie Studio</title>');
    writeFileSync(path.join(dir, 'app.js'), 'console.log(1)');
    registerProtocols(dir, async () => new Response('', { status: 404 }));
    const app = electron.protocolHandlers.get('app')!;
    const page = (await app(new Request('app://bundle/index.html'))) as Response;
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html><title>Sseelfie Studio</title>');
    expect(page.headers.get('Content-Type')).toMatch(/text\/html/);
    expect(page.headers.get('Content-Security-Policy')).toBe(CSP);
    const root = (await app(new Request('app://bundle/'))) as Response;
    expect(await root.text()).toContain('Sseelfie Studio');
    expect(await ((await app(new Request('app://bundle/app.js'))) as Response).text()).toBe('console.log(1)');
    expect(((await app(new Request('app://bundle/missing.js'))) as Response).status).toBe(404);
    // and file: from web content stays blocked
    expect(((await electron.net.fetch('file://' + path.join(dir, 'index.html'))) as Response).status).toBe(403);
  });

  it('refuses IPC from a window showing another origin', async () => {
    await bootMain();
    const win = electron.BrowserWindow.all[0]!;
    win.webContents.mainFrame = { url: 'https://evil.example/' };
    const res = await electron.ipcMainHandlers.get('token:status')!(
      { sender: win.webContents, senderFrame: win.webContents.mainFrame },
      undefined,
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    win.webContents.mainFrame = { url: 'app://bundle/index.html' };
    const ok = await electron.ipcMainHandlers.get('token:status')!(
      { sender: win.webContents, senderFrame: win.webContents.mainFrame },
      undefined,
    );
    expect(ok).toMatchObject({ ok: true, value: { hasToken: false } });
  });

  it('safeJoin keeps requests inside the renderer folder', () => {
    expect(safeJoin('/r', '/')).toBe('/r/index.html');
    expect(safeJoin('/r', '/assets/a.js')).toBe('/r/assets/a.js');
    expect(safeJoin('/r', '/../etc/passwd')).toBeNull();
    expect(safeJoin('/r', '/%2e%2e/etc/passwd')).toBeNull();
  });
});
