/** main.ts's thin Electron pieces for export, with Electron mocked: the dialogs, the clipboard, the drag. */
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../../mocks/electron'));

import * as electron from '../../../mocks/electron';
import { INVOKE_CHANNELS } from '../../../../shared/ipc/channels';
import { makeLibrary, tmpDir } from './helpers';

const RUN = '20261203-100000-ffff01';

async function boot() {
  // A library of its own (main-wiring.test.ts clears the mock's shared folder when it starts)
  const { root } = await makeLibrary([{ id: RUN, width: 640, height: 480, format: 'webp', images: 1 }]);
  const base = tmpDir('sseelfie-main-export-');
  electron.app.getPath.mockImplementation((name: string) => path.join(base, name));
  // main.ts puts the library in <pictures>/Sseelfie Studio: move ours there
  const { mkdirSync, renameSync } = await import('node:fs');
  mkdirSync(path.join(base, 'pictures'));
  const lib = path.join(base, 'pictures', 'Sseelfie Studio');
  renameSync(root, lib);
  await import('../../../../electron/main');
  for (let i = 0; i < 200 && electron.ipcMainHandlers.size < INVOKE_CHANNELS.length; i++)
    await new Promise((r) => setTimeout(r, 10));
  for (let i = 0; i < 200 && electron.BrowserWindow.all.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const win = electron.BrowserWindow.all[0]!;
  const invoke = (ch: string, arg: unknown) =>
    electron.ipcMainHandlers.get(ch)!(
      { sender: win.webContents, senderFrame: win.webContents.mainFrame },
      arg,
    ) as Promise<{ ok: boolean; value?: any; error?: any }>;
  return { lib, win, invoke };
}

describe('main.ts export wiring (Electron mocked)', () => {
  it('clipboard gets an image/png ClipboardItem; the drag starts on the sender with a nativeImage icon; dialogs say what they are for', async () => {
    const { lib, win, invoke } = await boot();

    const copied = await invoke('export:copyToClipboard', { runId: RUN, index: 0 });
    expect(copied).toEqual({ ok: true, value: null });
    const items = electron.clipboard.write.mock.calls.at(-1)![0] as electron.ClipboardItem[];
    expect(items[0]!.types).toEqual(['image/png']);
    const blob = (await items[0]!.getType('image/png')) as Blob;
    const png = new Uint8Array(await blob.arrayBuffer());
    expect((await sharp(png).metadata()).format).toBe('png');

    expect(await invoke('export:startDrag', { runId: RUN, index: 0 })).toEqual({ ok: true, value: null });
    const drag = win.webContents.drags.at(-1) as { file: string; icon: electron.NativeImageMock };
    expect(drag.file).toBe(path.join(lib, 'runs', RUN, '1.webp'));
    expect(drag.icon.isEmpty()).toBe(false);
    expect(electron.webContents.fromId).toHaveBeenCalledWith(win.webContents.id);

    electron.dialog.showOpenDialog.mockClear();
    const none = await invoke('export:photos', {
      items: [{ runId: RUN, index: 0 }],
      format: 'png',
      quality: 90,
      size: 'original',
      stripMetadata: true,
    });
    expect(none).toMatchObject({ ok: true, value: { folder: null, canceled: true, files: [] } });
    expect(electron.dialog.showOpenDialog).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: 'Export photos to', properties: ['openDirectory', 'createDirectory'] }),
    );

    const out = tmpDir('sseelfie-main-export-out-');
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [out] } as never);
    const done = await invoke('export:photos', {
      items: [{ runId: RUN, index: 0 }],
      format: 'png',
      quality: 90,
      size: 'square',
      stripMetadata: false,
    });
    expect(done.value.files[0].path.startsWith(out)).toBe(true);

    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] } as never);
    expect(await invoke('export:readSettingsFromFile', { files: [] })).toMatchObject({
      ok: true,
      value: { input: null },
    });
    expect(electron.dialog.showOpenDialog).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: 'Restore settings from a photo', properties: ['openFile'] }),
    );

    await invoke('export:openPrediction', { runId: RUN });
    expect(electron.shell.openExternal).toHaveBeenLastCalledWith('https://replicate.com/p/abc123xyz0');
  });
});
