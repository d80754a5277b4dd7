/** The export channels through the real handler map and dispatcher (the same validation as the app), against a real library. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppServices, type AppServices } from '../../../../electron/app-services';
import { dispatch } from '../../../../electron/ipc-dispatch';
import { MemoryCipher } from '../../../../electron/services/settings/token-vault';
import type { InvokeChannel } from '../../../../shared/ipc/channels';
import type { Simulator } from '../../../sim/server';
import { sim } from '../jobs/harness';
import { makeLibrary, tmpDir } from './helpers';

const RUN = '20261203-100000-eeee01';
const LOCAL = '20261203-110000-eeee02';
let s: Simulator;
let app: AppServices;
let libRoot: string;
const events: Array<[string, any]> = [];
const chooseDirectory = vi.fn(async (_current: string, _opts?: { title?: string }): Promise<string | null> => null);
const chooseImageFile = vi.fn(async (_o: { title: string }): Promise<string | null> => null);
const copyImageToClipboard = vi.fn(async (_png: Uint8Array) => {});
const startDrag = vi.fn();
const openExternal = vi.fn(async (_url: string) => {});
let onEvent: ((ch: string, p: any) => void) | null = null;

const call = (ch: InvokeChannel, arg?: unknown, ctx = {}) => dispatch(app.handlers, ch, arg, {}, ctx);
async function ok<T = any>(ch: InvokeChannel, arg?: unknown, ctx = {}): Promise<T> {
  const r = await call(ch, arg, ctx);
  if (!r.ok) throw new Error(`${ch}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  s = await sim();
  ({ root: libRoot } = await makeLibrary([
    { id: RUN, width: 1344, height: 768, format: 'webp', images: 4, label: 'Speaking on stage' },
    { id: LOCAL, width: 512, height: 512, format: 'png', predictionId: null },
  ]));
  const root = tmpDir('sseelfie-export-app-');
  app = await createAppServices({
    userDataDir: path.join(root, 'userData'),
    defaultLibraryDir: libRoot,
    cipher: new MemoryCipher('keychain'),
    emit: (ch, p) => {
      events.push([ch, p]);
      onEvent?.(ch, p);
    },
    chooseDirectory,
    chooseImageFile,
    copyImageToClipboard,
    startDrag,
    openExternal,
  });
  await ok('settings:update', { apiBaseUrl: s.baseUrl });
  await ok('token:set', { token: s.token });
});
afterAll(async () => {
  await app.dispose();
  await s.close();
});

const request = {
  items: [
    { runId: RUN, index: 0 },
    { runId: RUN, index: 1 },
  ],
  format: 'jpg',
  quality: 85,
  size: 'web',
  stripMetadata: false,
};

describe('export:photos', () => {
  it('asks for the folder in a native dialog, remembers it, exports with progress events', async () => {
    const folder = tmpDir('sseelfie-export-to-');
    chooseDirectory.mockResolvedValueOnce(folder);
    events.length = 0;
    const r = await ok('export:photos', request);
    expect(chooseDirectory).toHaveBeenLastCalledWith(path.dirname(libRoot), { title: 'Export photos to' });
    expect(r).toMatchObject({ folder, canceled: false });
    expect(r.files.map((f: { path: string }) => path.basename(f.path))).toEqual([
      '2026-12-03_speaking-stage_seed-48213.jpg',
      '2026-12-03_speaking-stage_seed-48213-2.jpg',
    ]);
    expect(r.files[0].warnings[0]).toMatch(/smaller than 2048/);
    const progress = events.filter(([ch]) => ch === 'export:progress').map(([, p]) => [p.done, p.total]);
    expect(progress).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
    expect((await ok('settings:get')).exportDir).toBe(folder);
    // the same folder again needs no dialog
    chooseDirectory.mockClear();
    const again = await ok('export:photos', { ...request, folder });
    expect(chooseDirectory).not.toHaveBeenCalled();
    expect(again.files).toHaveLength(2);
    expect(readdirSync(folder)).toHaveLength(4);
  });

  it('a folder the renderer names that the person did not pick is refused, nothing written', async () => {
    const other = tmpDir('sseelfie-export-other-');
    const r = await call('export:photos', { ...request, folder: other });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/Choose the export folder in the dialog/) },
    });
    expect(readdirSync(other)).toEqual([]);
  });

  it('closing the dialog exports nothing; a bad request is refused by the contract', async () => {
    chooseDirectory.mockResolvedValueOnce(null);
    expect(await ok('export:photos', request)).toMatchObject({ folder: null, files: [], canceled: true });
    for (const bad of [
      { ...request, quality: 0 },
      { ...request, format: 'gif' },
      { ...request, size: 'poster' },
      { ...request, items: [] },
      { ...request, crop: { rect: { left: 0.8, top: 0, width: 0.5, height: 1 } } },
      { ...request, crop: { focus: { x: 2, y: 0 } } },
    ]) {
      expect(await call('export:photos', bad)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });

  it('export:cancel stops it between photos', async () => {
    const folder = tmpDir('sseelfie-export-to-');
    chooseDirectory.mockResolvedValueOnce(folder);
    onEvent = (ch, p) => {
      if (ch === 'export:progress' && p.done === 1) void call('export:cancel', { exportId: p.exportId });
    };
    const r = await ok('export:photos', {
      ...request,
      exportId: 'cancelme',
      items: [0, 1, 2, 3].map((index) => ({ runId: RUN, index })),
    });
    onEvent = null;
    expect(r).toMatchObject({ exportId: 'cancelme', canceled: true });
    expect(r.files).toHaveLength(1);
    expect(readdirSync(folder)).toHaveLength(1);
  });
});

describe('export:readSettingsFromFile', () => {
  it('a dropped file crosses as bytes; none opens the native file dialog; closing it restores nothing', async () => {
    const dir = tmpDir('sseelfie-export-restore-');
    const file = path.join(dir, 'a1111.png');
    await sharp({ create: { width: 32, height: 32, channels: 3, background: '#246' } })
      .png()
      .toFile(file);
    writeFileSync(
      path.join(dir, 'c.config'),
      "%Image::ExifTool::UserDefined = ('Image::ExifTool::PNG::TextualData' => { parameters => { } });\n1;\n",
    );
    execFileSync('exiftool', [
      '-config',
      path.join(dir, 'c.config'),
      '-q',
      '-overwrite_original',
      '-PNG:parameters=a rooftop\nNegative prompt: fog\nSteps: 9, CFG scale: 2, Seed: 3, Size: 1024x1024',
      file,
    ]);
    const dropped = await ok('export:readSettingsFromFile', {
      files: [{ name: 'a1111.png', bytes: new Uint8Array(readFileSync(file)) }],
    });
    expect(dropped).toMatchObject({
      name: 'a1111.png',
      source: 'a1111',
      input: { prompt: 'a rooftop', num_inference_steps: 9, guidance_scale: 2, seed: 3, aspect_ratio: '1:1' },
    });
    expect(dropped.notes.map((n: { field: string }) => n.field)).toEqual(['negative_prompt']);
    chooseImageFile.mockResolvedValueOnce(path.join(libRoot, 'runs', RUN, '1.webp'));
    const picked = await ok('export:readSettingsFromFile', { files: [] });
    expect(chooseImageFile).toHaveBeenCalledWith({ title: 'Restore settings from a photo' });
    expect(picked).toMatchObject({
      name: '1.webp',
      source: 'sseelfie',
      modelRef: 'sandrasocial/sseelfie-ai',
      input: { aspect_ratio: '16:9', seed: 48213 },
    });
    chooseImageFile.mockResolvedValueOnce(null);
    expect(await ok('export:readSettingsFromFile', { files: [] })).toEqual({ input: null, notes: [], source: null });
    expect(
      await call('export:readSettingsFromFile', { files: [{ name: 'huge.png', size: 300 * 1024 * 1024 }] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'file_too_large', message: expect.stringMatching(/huge\.png is 300 MB/) },
    });
    expect(
      await call('export:readSettingsFromFile', {
        files: [{ name: 'x.pdf', bytes: new TextEncoder().encode('%PDF-1.4') }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'unsupported_file' } });
  });
});

describe('clipboard, drag, Replicate page', () => {
  it('copy puts a PNG of the photo on the clipboard (no WebP, no settings)', async () => {
    await ok('export:copyToClipboard', { runId: RUN, index: 2 });
    const png = copyImageToClipboard.mock.calls.at(-1)![0];
    expect(Array.from(png.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const m = await sharp(png).metadata();
    expect([m.format, m.width, m.height]).toEqual(['png', 1344, 768]);
    expect(Buffer.from(png).includes(Buffer.from('parameters'))).toBe(false);
    expect(await call('export:copyToClipboard', { runId: RUN, index: 9 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('drag starts in the window that asked, with the library file and a small icon', async () => {
    await ok('export:startDrag', { runId: RUN, index: 1 }, { senderId: 42 });
    const [sender, item] = startDrag.mock.calls.at(-1)!;
    expect(sender).toBe(42);
    expect(item.file).toBe(path.join(libRoot, 'runs', RUN, '2.webp'));
    expect(existsSync(item.file)).toBe(true);
    const icon = await sharp(item.icon).metadata();
    expect(icon.format).toBe('png');
    expect(Math.max(icon.width!, icon.height!)).toBe(96);
  });

  it('open on Replicate: the prediction page of the run, only for a valid id', async () => {
    await ok('export:openPrediction', { runId: RUN });
    expect(openExternal).toHaveBeenLastCalledWith('https://replicate.com/p/abc123xyz0');
    openExternal.mockClear();
    expect(await call('export:openPrediction', { runId: LOCAL })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/no Replicate prediction/) },
    });
    expect(await call('export:openPrediction', { runId: '20261203-100000-ffff09' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await call('export:openPrediction', { runId: '../etc' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(openExternal).not.toHaveBeenCalled();
  });
});
