/**
 * The window and everything that keeps it a closed box (Electron's security checklist):
 * sandbox + context isolation, UI from the privileged `app://bundle/` scheme (not file://),
 * a strict CSP header, navigation / new windows / webviews / permissions denied, external
 * links only to the allowlist, images only through `studio-asset://` by opaque id.
 */
import { app, BrowserWindow, net, protocol, session, shell, nativeTheme } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_HOST, APP_SCHEME, ASSET_SCHEME } from '../shared/ipc/channels';
import { isAllowedExternal } from './app-services';

export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const CSP =
  "default-src 'self'; img-src 'self' studio-asset: blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-src 'none'; form-action 'none'";

/** Must run before `ready`, once. `secure` matters: getCoalescedEvents() needs a secure context. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    { scheme: ASSET_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Resolves a request path inside `root`, refusing escapes (Electron protocol.md example). */
export function safeJoin(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null; // a malformed % escape names no file
  }
  const full = path.resolve(root, '.' + (decoded === '/' ? '/index.html' : decoded));
  const rel = path.relative(root, full);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? full : null;
}

export function isAppUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

export function registerProtocols(rendererDir: string, serveAsset: (id: string) => Promise<Response>): void {
  protocol.handle(APP_SCHEME, async (req) => {
    const url = new URL(req.url);
    const file = url.host === APP_HOST ? safeJoin(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    // `file:` is intercepted below (answered 403). net.fetch goes through intercepted handlers
    // unless told otherwise, so without the bypass every app://bundle/* request would come back
    // "Blocked" and the packaged window would stay empty (Electron net.md, "bypassCustomProtocolHandlers").
    const res = await net.fetch(pathToFileURL(file).toString(), { bypassCustomProtocolHandlers: true });
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
  protocol.handle(ASSET_SCHEME, (req) => {
    const url = new URL(req.url);
    if (url.host !== 'asset') return new Response('Not found', { status: 404 });
    return serveAsset(url.pathname.replace(/^\/+/, ''));
  });
  // No file:// for web content: everything is served by the schemes above.
  protocol.handle('file', () => new Response('Blocked', { status: 403 }));
}

/** Applies to every webContents the app ever creates. */
export function hardenContents(): void {
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!isAppUrl(url)) e.preventDefault();
    });
    contents.on('will-frame-navigate', (e) => {
      if (!isAppUrl(e.url)) e.preventDefault();
    });
    contents.on('will-redirect', (e, url) => {
      if (!isAppUrl(url)) e.preventDefault();
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternal(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

export function createMainWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: 'Sseelfie Studio',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#18181b' : '#f4f4f6', // the renderer's own background: no flash
    titleBarStyle: process.platform === 'darwin' ? 'hiddenInset' : 'default',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
