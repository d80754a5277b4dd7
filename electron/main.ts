/**
 * Composition root: lifecycle, Electron adapters, services, IPC, window. No logic lives here.
 */
import {
  app,
  BrowserWindow,
  ClipboardItem,
  Menu,
  clipboard,
  dialog,
  nativeImage,
  net,
  shell,
  webContents,
} from 'electron';
import path from 'node:path';
import { createAppServices, type AppServices } from './app-services';
import { createHeicWorkerDecoder } from './services/images/heic-worker-decoder';
import { createEventSender, registerIpc } from './ipc';
import { buildMenu } from './menu';
import { SafeStorageCipher } from './platform/safe-storage-cipher';
import { openElectronStore } from './platform/electron-store-kv';
import { createMainWindow, hardenContents, registerProtocols, registerSchemes } from './window';

const here = import.meta.dirname;
const RENDERER_DIR = path.join(here, '../dist/renderer');
const PRELOAD = path.join(here, 'preload.cjs');

app.enableSandbox();
registerSchemes();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const windows = new Set<number>();
  let services: AppServices | null = null;
  let main: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (main) {
      if (main.isMinimized()) main.restore();
      main.focus();
    }
  });

  app.whenReady().then(async () => {
    hardenContents();
    const emit = createEventSender(() => BrowserWindow.getAllWindows().map((w) => w.webContents));
    services = await createAppServices({
      userDataDir: app.getPath('userData'),
      defaultLibraryDir: path.join(app.getPath('pictures'), 'Sseelfie Studio'),
      cipher: new SafeStorageCipher(),
      emit,
      fetch: (input, init) => net.fetch(input as string, init), // honours the system proxy and certificates
      env: process.env,
      appVersion: app.getVersion(),
      platform: process.platform,
      openStore: openElectronStore,
      heicDecoder: createHeicWorkerDecoder(new URL(/* @vite-ignore */ './heic-worker.js', import.meta.url)),
      setCheckWorker: new URL(/* @vite-ignore */ './set-check-worker.js', import.meta.url),
      openExternal: (url) => shell.openExternal(url),
      openPath: async (p) => {
        await shell.openPath(p);
      },
      showItemInFolder: (p) => shell.showItemInFolder(p),
      trashItem: (p) => shell.trashItem(p),
      // Asked here, in main, so a page cannot answer for the person.
      confirmApiHost: async ({ host, origin }) => {
        const opts = {
          type: 'warning' as const,
          buttons: ['Cancel', `Use ${host}`],
          defaultId: 0,
          cancelId: 0,
          noLink: true,
          message: `Send your Replicate API token to ${host}?`,
          detail: `Every request will carry your API token to ${origin}. Only continue for a server you trust, such as the Replicate simulator on this computer or your company's proxy.`,
        };
        const r = main ? await dialog.showMessageBox(main, opts) : await dialog.showMessageBox(opts);
        return r.response === 1;
      },
      chooseDirectory: async (current, opts) => {
        const r = await dialog.showOpenDialog({
          defaultPath: current,
          properties: ['openDirectory', 'createDirectory'],
          title: opts?.title ?? 'Choose the library folder',
        });
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
      chooseImageFile: async ({ title }) => {
        const r = await dialog.showOpenDialog({
          title,
          properties: ['openFile'],
          filters: [{ name: 'Images', extensions: ['png', 'jpg', 'jpeg', 'webp'] }],
        });
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
      // Electron 45's clipboard takes W3C ClipboardItems (writeImage is gone); PNG is what every platform pastes.
      copyImageToClipboard: (png) =>
        clipboard.write([new ClipboardItem({ 'image/png': new Blob([png], { type: 'image/png' }) })]),
      // Bound to the window that asked: the drag starts where the person's pointer is.
      startDrag: (senderId, { file, icon }) => {
        const wc = senderId === undefined ? null : webContents.fromId(senderId);
        if (wc && !wc.isDestroyed()) wc.startDrag({ file, icon: nativeImage.createFromBuffer(Buffer.from(icon)) });
      },
    });
    const svc = services;
    registerProtocols(RENDERER_DIR, (id) => svc.serveAsset(id));
    registerIpc(svc.handlers, windows, {
      onInternalError: (ch, e) =>
        svc.logger.write('error', `${ch}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    });
    Menu.setApplicationMenu(
      buildMenu({
        showLogs: () => void shell.openPath(svc.logger.dir),
        openDocs: () => void shell.openExternal('https://replicate.com/docs'),
      }),
    );
    const open = () => {
      main = createMainWindow(PRELOAD);
      windows.add(main.id);
      const id = main.id;
      main.on('closed', () => {
        windows.delete(id);
        main = null;
      });
    };
    open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Quitting waits for dispose: photos whose undo window is still open go to the trash first.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !services) return;
    quitting = true;
    event.preventDefault();
    void services.dispose().finally(() => app.quit());
  });
}
