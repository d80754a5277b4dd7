/**
 * export:reveal shows only files the app's own exports wrote (a compromised page cannot have main
 * select ~/.ssh in Finder), and export:remixMask gives a repainted run's mask back at its starting
 * photo's size, both through the real handler map and dispatcher against a real library.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppServices, type AppServices } from '../../../../electron/app-services';
import { dispatch } from '../../../../electron/ipc-dispatch';
import { RecentExports } from '../../../../electron/services/export/recent-exports';
import { MemoryCipher } from '../../../../electron/services/settings/token-vault';
import type { InvokeChannel } from '../../../../shared/ipc/channels';
import { makeLibrary, tmpDir } from './helpers';
import type { Library } from '../../../../electron/services/library/library';

const RUN = '20261203-100000-abab01';
const PAINTED = '20261203-110000-abab02';
let app: AppServices;
let library: Library;
const showItemInFolder = vi.fn((_p: string) => {});

const call = (ch: InvokeChannel, arg?: unknown) => dispatch(app.handlers, ch, arg, {}, {});

beforeAll(async () => {
  const made = await makeLibrary([
    { id: RUN, width: 640, height: 480, format: 'png', images: 2 },
    { id: PAINTED, width: 400, height: 300, format: 'png', images: 1 },
  ]);
  library = made.library;
  // PAINTED was repainted: its starting photo and the mask the job saved, 400 × 300, the left quarter painted
  const dir = library.runDir(PAINTED);
  await sharp({ create: { width: 400, height: 300, channels: 3, background: '#808080' } })
    .png()
    .toFile(path.join(dir, 'source.png'));
  const mask = Buffer.alloc(400 * 300);
  for (let y = 0; y < 300; y++) mask.fill(255, y * 400, y * 400 + 100);
  await sharp(mask, { raw: { width: 400, height: 300, channels: 1 } })
    .png()
    .toFile(path.join(dir, 'mask.png'));
  const rec = (await library.readRun(PAINTED))!;
  await library.saveRun({
    ...rec,
    mode: 'inpaint',
    source: { file: 'source.png', width: 400, height: 300 },
    mask: { file: 'mask.png', width: 400, height: 300 },
  });
  const root = tmpDir('sseelfie-reveal-app-');
  app = await createAppServices({
    userDataDir: path.join(root, 'userData'),
    defaultLibraryDir: made.root,
    cipher: new MemoryCipher('keychain'),
    emit: () => {},
    showItemInFolder,
  });
});
afterAll(() => app.dispose());

describe('export:reveal', () => {
  it('selects a file the export just wrote; refuses any other path, even one in the same folder', async () => {
    const folder = tmpDir('sseelfie-reveal-to-');
    // the folder is the one the person picked (main's dialog); here it is remembered as if they had
    app.settings.setExportDir(folder);
    const r = await call('export:photos', {
      items: [{ runId: RUN, index: 0 }],
      folder,
      format: 'jpg',
      quality: 80,
      size: 'original',
      stripMetadata: true,
    });
    if (!r.ok) throw new Error(r.error.message);
    const written = (r.value as { files: Array<{ path: string }> }).files[0]!.path;

    expect(await call('export:reveal', { path: written })).toEqual({ ok: true, value: null });
    expect(showItemInFolder).toHaveBeenLastCalledWith(written);
    showItemInFolder.mockClear();

    const beside = path.join(folder, 'not-exported.jpg');
    writeFileSync(beside, 'x');
    for (const p of [
      beside,
      path.join(library.runDir(RUN), '1.png'), // the library's own photo: library:reveal shows those
      '/etc/passwd',
      path.join(folder, '..', path.basename(folder), path.basename(written), '..', 'not-exported.jpg'),
      path.basename(written), // a relative name is never resolved against main's working folder
    ]) {
      const refused = await call('export:reveal', { path: p });
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.code).toBe('forbidden');
    }
    // the same file named another way (a ".." in the path) is still that file
    const roundabout = path.join(folder, 'sub', '..', path.basename(written));
    expect((await call('export:reveal', { path: roundabout })).ok).toBe(true);
    expect(showItemInFolder).toHaveBeenCalledTimes(1);

    // moved away since: said, and nothing is shown
    rmSync(written);
    const gone = await call('export:reveal', { path: written });
    expect(gone.ok).toBe(false);
    if (!gone.ok) {
      expect(gone.error.code).toBe('not_found');
      expect(gone.error.message).toContain(path.basename(written));
    }
    expect(showItemInFolder).toHaveBeenCalledTimes(1);
  });

  it('RecentExports keeps the newest files only, and reads names case-insensitively where the disk does', () => {
    const r = new RecentExports(2, 'darwin');
    r.remember('/out/a.jpg');
    r.remember('/out/b.jpg');
    r.remember('/out/c.jpg');
    expect([r.has('/out/a.jpg'), r.has('/out/b.jpg'), r.has('/out/C.JPG')]).toEqual([false, true, true]);
    const linux = new RecentExports(10, 'linux');
    linux.remember('/out/c.jpg');
    expect(linux.has('/out/C.jpg')).toBe(false);
  });
});

describe('export:remixMask', () => {
  it('gives a repainted run’s mask at its starting photo’s size, 0 and 255 only', async () => {
    const r = await call('export:remixMask', { runId: PAINTED });
    if (!r.ok) throw new Error(r.error.message);
    const m = r.value as { width: number; height: number; data: Uint8Array };
    expect([m.width, m.height, m.data.length]).toEqual([400, 300, 400 * 300]);
    expect(new Set(m.data)).toEqual(new Set([0, 255]));
    // the left quarter of every row, nothing else
    expect([m.data[0], m.data[99], m.data[100], m.data[299 * 400 + 99], m.data[299 * 400 + 100]]).toEqual([
      255, 255, 0, 255, 0,
    ]);
    expect(m.data.reduce((n, v) => n + (v ? 1 : 0), 0)).toBe(100 * 300);
  });

  it('a run without a mask, and a mask file that is gone, say so', async () => {
    const none = await call('export:remixMask', { runId: RUN });
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error.message).toMatch(/no painted mask/);
    const dir = library.runDir(PAINTED);
    mkdirSync(dir, { recursive: true });
    rmSync(path.join(dir, 'mask.png'));
    const gone = await call('export:remixMask', { runId: PAINTED });
    expect(gone.ok).toBe(false);
    if (!gone.ok) {
      expect(gone.error.code).toBe('not_found');
      expect(gone.error.message).toMatch(/mask of this run .* is missing/);
    }
  });
});
