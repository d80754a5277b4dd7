/**
 * A stand-in for the `electron` module (the binary cannot run here), in the spirit of Electron
 * Fiddle's tests/mocks/electron.ts: enough surface for main.ts, ipc.ts, window.ts and preload.ts
 * to be imported and their wiring observed.
 */
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

export const ipcMainHandlers = new Map<string, Listener>();
export const ipcMain = {
  // electron-store registers its own sync 'electron-store-get-data' listener (userData path + version)
  on: vi.fn(),
  handle: vi.fn((ch: string, fn: Listener) => void ipcMainHandlers.set(ch, fn)),
  removeHandler: vi.fn((ch: string) => void ipcMainHandlers.delete(ch)),
};

export const rendererListeners = new Map<string, Set<Listener>>();
export const ipcRenderer = {
  invoke: vi.fn(async (ch: string, arg: unknown) => ({ ok: true, value: { ch, arg } })),
  on: vi.fn(
    (ch: string, l: Listener) =>
      void (rendererListeners.get(ch) ?? rendererListeners.set(ch, new Set()).get(ch)!).add(l),
  ),
  removeListener: vi.fn((ch: string, l: Listener) => void rendererListeners.get(ch)?.delete(l)),
};

export const exposed: Record<string, unknown> = {};
export const contextBridge = { exposeInMainWorld: vi.fn((key: string, api: unknown) => void (exposed[key] = api)) };
export const webUtils = { getPathForFile: vi.fn((f: { name: string; fakePath?: string }) => f.fakePath ?? '') };

export class WebContentsMock {
  static nextId = 1;
  id = WebContentsMock.nextId++;
  mainFrame: { url: string } = { url: 'app://bundle/index.html' };
  listeners = new Map<string, Listener>();
  openHandler: Listener | null = null;
  sent: Array<[string, unknown]> = [];
  on(ev: string, l: Listener) {
    this.listeners.set(ev, l);
    return this;
  }
  setWindowOpenHandler(h: Listener) {
    this.openHandler = h;
  }
  send(ch: string, payload: unknown) {
    this.sent.push([ch, payload]);
  }
  drags: unknown[] = [];
  startDrag(item: unknown) {
    this.drags.push(item);
  }
  isDestroyed() {
    return false;
  }
}

export class BrowserWindow {
  static all: BrowserWindow[] = [];
  static nextId = 1;
  id = BrowserWindow.nextId++;
  webContents = new WebContentsMock();
  options: unknown;
  loaded: string | null = null;
  constructor(options: unknown) {
    this.options = options;
    BrowserWindow.all.push(this);
  }
  static fromWebContents = vi.fn((wc: unknown) => BrowserWindow.all.find((w) => w.webContents === wc) ?? null);
  static getAllWindows = () => BrowserWindow.all;
  once() {}
  on() {}
  show() {}
  loadURL(u: string) {
    this.loaded = u;
    return Promise.resolve();
  }
}

const appListeners = new Map<string, Listener[]>();
export const app = {
  enableSandbox: vi.fn(),
  requestSingleInstanceLock: vi.fn(() => true),
  whenReady: vi.fn(() => Promise.resolve()),
  on: vi.fn((ev: string, l: Listener) => void (appListeners.get(ev) ?? appListeners.set(ev, []).get(ev)!).push(l)),
  emit: (ev: string, ...args: unknown[]) => (appListeners.get(ev) ?? []).forEach((l) => l(...args)),
  getPath: vi.fn((name: string) => `/tmp/sseelfie-electron-mock/${name}`),
  getVersion: () => '0.1.0-test',
  quit: vi.fn(),
};

export const protocolHandlers = new Map<string, Listener>();
export const protocol = {
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn((scheme: string, h: Listener) => void protocolHandlers.set(scheme, h)),
};

export const sessionState = {
  permissionRequest: null as Listener | null,
  permissionCheck: null as Listener | null,
  headers: null as Listener | null,
};
export const session = {
  defaultSession: {
    setPermissionRequestHandler: vi.fn((h: Listener) => void (sessionState.permissionRequest = h)),
    setPermissionCheckHandler: vi.fn((h: Listener) => void (sessionState.permissionCheck = h)),
    webRequest: { onHeadersReceived: vi.fn((h: Listener) => void (sessionState.headers = h)) },
  },
};

export const shell = {
  openExternal: vi.fn(async () => {}),
  openPath: vi.fn(async () => ''),
  showItemInFolder: vi.fn(),
  trashItem: vi.fn(async () => {}),
};
export const dialog = {
  showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })),
  showMessageBox: vi.fn(async () => ({ response: 0, checkboxChecked: false })),
};
/** nativeImage: a buffer-backed image that says whether it decoded (Electron reads PNG and JPEG, not WebP). */
export class NativeImageMock {
  constructor(readonly buffer: Buffer) {}
  isEmpty() {
    const b = this.buffer;
    const png = b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
    const jpeg = b[0] === 0xff && b[1] === 0xd8;
    return !(png || jpeg);
  }
}
export const nativeImage = { createFromBuffer: vi.fn((b: Buffer) => new NativeImageMock(b)) };
/** Electron 45's clipboard: W3C-style ClipboardItems, each a map of MIME type → Blob. */
export class ClipboardItem {
  readonly types: string[];
  constructor(readonly items: Record<string, unknown>) {
    this.types = Object.keys(items);
  }
  async getType(t: string) {
    return this.items[t];
  }
}
export const clipboard = { write: vi.fn(async (_items: ClipboardItem[]) => {}) };
export const webContents = {
  fromId: vi.fn((id: number) => BrowserWindow.all.map((w) => w.webContents).find((wc) => wc.id === id) ?? null),
};
export const Menu = { buildFromTemplate: vi.fn((t: unknown) => ({ template: t })), setApplicationMenu: vi.fn() };
export const nativeTheme = { shouldUseDarkColors: false };
/**
 * Like Electron's net.fetch: a scheme with a handler registered through protocol.handle (including
 * an intercepted `file:`) is answered by that handler unless `bypassCustomProtocolHandlers` is set;
 * otherwise `file:` URLs are read from disk (404 when missing), as Chromium's file loader does.
 */
export const net = {
  fetch: vi.fn(
    async (input: string | URL | Request, init?: RequestInit & { bypassCustomProtocolHandlers?: boolean }) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
      const scheme = url.protocol.replace(/:$/, '');
      const handler = protocolHandlers.get(scheme);
      if (handler && !init?.bypassCustomProtocolHandlers)
        return (await handler(new Request(url.toString()))) as Response;
      if (scheme !== 'file') throw new TypeError(`net.fetch mock: no network for ${url}`);
      const { readFile } = await import('node:fs/promises');
      const { fileURLToPath } = await import('node:url');
      try {
        const body = await readFile(fileURLToPath(url));
        const type = /\.html$/.test(url.pathname)
          ? 'text/html'
          : /\.js$/.test(url.pathname)
            ? 'text/javascript'
            : /\.css$/.test(url.pathname)
              ? 'text/css'
              : 'application/octet-stream';
        return new Response(body, { status: 200, headers: { 'Content-Type': type } });
      } catch {
        return new Response('', { status: 404 });
      }
    },
  ),
};
export const safeStorage = {
  isAsyncEncryptionAvailable: vi.fn(async () => true),
  getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
  encryptStringAsync: vi.fn(async (s: string) => Buffer.from('x' + s)),
  decryptStringAsync: vi.fn(async (b: Buffer) => ({ result: b.toString().slice(1), shouldReEncrypt: false })),
};

const electron = {
  ipcMain,
  ipcRenderer,
  contextBridge,
  webUtils,
  BrowserWindow,
  app,
  protocol,
  session,
  shell,
  dialog,
  Menu,
  nativeTheme,
  net,
  safeStorage,
  nativeImage,
  clipboard,
  ClipboardItem,
  webContents,
};
export default electron;
