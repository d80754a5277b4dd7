/** The real handler map, through the real dispatcher, against the simulator. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/app-services';
import { dispatch } from '../../../electron/ipc-dispatch';
import { MemoryCipher } from '../../../electron/services/settings/token-vault';
import { INVOKE_CHANNELS, type InvokeChannel } from '../../../shared/ipc/channels';
import type { Simulator } from '../../sim/server';
import { FIXTURES, sim, tmpDir } from './jobs/harness';

let s: Simulator;
let app: AppServices;
let libraryDir: string;
const events: Array<[string, unknown]> = [];
/** what "Show in folder" asked the OS to select */
const revealed: string[] = [];
const call = async (ch: InvokeChannel, arg?: unknown) => dispatch(app.handlers, ch, arg);
const ok = async <T = any>(ch: InvokeChannel, arg?: unknown): Promise<T> => {
  const r = await call(ch, arg);
  if (!r.ok) throw new Error(`${ch}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
};

beforeAll(async () => {
  s = await sim();
  const root = tmpDir('sseelfie-app-');
  libraryDir = path.join(root, 'library');
  app = await createAppServices({
    userDataDir: path.join(root, 'userData'),
    defaultLibraryDir: libraryDir,
    cipher: new MemoryCipher('keychain'),
    emit: (ch, p) => void events.push([ch, p]),
    engine: { pollMinMs: 5, pollMaxMs: 20 },
    showItemInFolder: (p) => void revealed.push(p),
  });
  await ok('settings:update', { apiBaseUrl: s.baseUrl });
});
afterAll(async () => {
  await app.dispose();
  await s.close();
});

describe('app handlers (what the window calls)', () => {
  it('a bad token gets a clear message and is not stored; a good one shows the account', async () => {
    const bad = await call('token:set', { token: 'r8_wrongwrongwrong' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await ok('token:status')).toMatchObject({ hasToken: false });
    const good = await ok('token:set', { token: s.token });
    expect(good).toMatchObject({ hasToken: true, account: { username: 'sim-user' }, storage: 'encrypted' });
  });

  it('imports selfies: good ones land on the shelf, bad ones are named with a reason', async () => {
    const files: Array<{ name: string; bytes?: Uint8Array; size?: number }> = [
      'selfie-exif6.jpg',
      'selfie.heic',
      'corrupt.jpg',
      'empty.jpg',
      'not-an-image.pdf',
    ].map((n) => ({ name: n, bytes: new Uint8Array(readFileSync(path.join(FIXTURES, n))) }));
    files.push({ name: 'pasted.png', bytes: new Uint8Array(readFileSync(path.join(FIXTURES, 'selfie.png'))) });
    files.push({ name: 'scan.tif', size: 300 * 1024 * 1024 }); // too large: the page sent its size only
    const r = await ok<{
      imported: Array<{ id: string; name: string; width: number; height: number; image: { id: string } }>;
      errors: Array<{ name: string; code: string; message: string }>;
    }>('selfies:import', { files });
    expect(r.imported.map((x) => x.name).sort()).toEqual(['pasted.png', 'selfie-exif6.jpg', 'selfie.heic']);
    const rotated = r.imported.find((x) => x.name === 'selfie-exif6.jpg')!;
    expect(rotated.height).toBeGreaterThan(rotated.width); // EXIF orientation applied
    expect(r.errors.map((e) => e.name).sort()).toEqual(['corrupt.jpg', 'empty.jpg', 'not-an-image.pdf', 'scan.tif']);
    expect(r.errors.find((e) => e.name === 'scan.tif')).toMatchObject({ code: 'file_too_large' });
    for (const e of r.errors) expect(e.message).toContain(e.name);
    const shelf = await ok<unknown[]>('selfies:list');
    expect(shelf).toHaveLength(3);
    // importing the same photo again gives the same selfie, said as such (not counted as added)
    const again = await ok<{ imported: unknown[]; duplicates: Array<{ name: string; id: string }> }>('selfies:import', {
      files: [files[0]],
    });
    expect(again.imported).toEqual([]);
    expect(again.duplicates).toEqual([{ name: 'selfie-exif6.jpg', id: rotated.id, shelfName: 'selfie-exif6.jpg' }]);
    expect(shelf.map((x) => (x as { id: string }).id)).toContain(again.duplicates[0]!.id);
    expect(await ok<unknown[]>('selfies:list')).toHaveLength(3);
    const img = await app.serveAsset(rotated.image.id);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
  });

  it('generates from the prompt panel as it stands, with progress events, and the run appears in the library', async () => {
    events.length = 0;
    const job = await ok<{ id: string; state: string }>('jobs:start', {
      input: { prompt: 'subject speaking on stage', num_outputs: 2, output_format: 'png' },
    });
    expect(job.state).toBe('queued');
    await app.engine().wait(job.id);
    const progress = events.filter(([c]) => c === 'jobs:progress').map(([, p]) => (p as { state: string }).state);
    expect(progress).toEqual(
      expect.arrayContaining(['queued', 'preparing', 'submitted', 'running', 'downloading', 'saved']),
    );
    expect(events.some(([c, p]) => c === 'library:changed' && (p as { reason: string }).reason === 'added')).toBe(true);
    const runs = await ok<Array<{ id: string; images: Array<{ id: string }> }>>('library:list');
    expect(runs[0]!.images).toHaveLength(2);
    const detail = await ok<{ input: Record<string, unknown>; predictionId: string }>('library:get', {
      runId: runs[0]!.id,
    });
    expect(detail).toMatchObject({ input: { prompt: 'subject speaking on stage' } });
    expect((await app.serveAsset(runs[0]!.images[0]!.id)).status).toBe(200);
    expect(await ok('prompts:recent')).toEqual(['subject speaking on stage']);
    // The gallery's thumbnails of both photos, both sizes, are made in the background after the
    // save (so a browse never waits on them), into the library's cache.
    const thumbs = path.join(libraryDir, '.sseelfie', 'thumbs');
    await vi.waitFor(() => expect(existsSync(thumbs) ? readdirSync(thumbs) : []).toHaveLength(4), { timeout: 5000 });
  });

  it('"Show in folder" selects the photo the person is looking at, not run.json; the run folder when that photo is gone', async () => {
    const [run] = await ok<Array<{ id: string; images: Array<{ id: string; index: number }> }>>('library:list');
    const dir = path.join(app.library().runsDir, run!.id);
    revealed.length = 0;
    await ok('library:reveal', { runId: run!.id, index: run!.images[1]!.index });
    expect(revealed).toEqual([path.join(app.library().root, run!.images[1]!.id)]);
    // no photo named (the run's page header): the folder itself
    await ok('library:reveal', { runId: run!.id });
    // a photo the run does not have (removed by the safety checker): the folder, not an error
    await ok('library:reveal', { runId: run!.id, index: 9 });
    expect(revealed.slice(1)).toEqual([dir, dir]);
    expect(revealed.some((p) => p.endsWith('run.json'))).toBe(false);
    expect(await call('library:reveal', { runId: '20260101-000000-abcd' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('starts img2img from a selfie on the shelf (its original file) and from a saved result', async () => {
    const [selfie] = await ok<Array<{ image: { id: string } }>>('selfies:list');
    const job = await ok<{ id: string }>('jobs:start', {
      input: { prompt: 'subject in a garden', prompt_strength: 0.7 },
      image: { assetId: selfie!.image.id },
    });
    const done = await app.engine().wait(job.id);
    expect(done.state).toBe('saved');
    const [run] = await ok<Array<{ id: string; images: Array<{ id: string }> }>>('library:list');
    const job2 = await ok<{ id: string }>('jobs:start', {
      input: { prompt: 'subject, variation' },
      image: { assetId: run!.images[0]!.id },
    });
    expect((await app.engine().wait(job2.id)).state).toBe('saved');
    expect(
      (await call('jobs:start', { input: { prompt: 'x' }, image: { assetId: 'selfies/../../../etc/passwd' } })).ok,
    ).toBe(false);
  });

  it('saves, lists and removes presets; a preset never keeps the prompt', async () => {
    const list = await ok<Array<{ name: string; values: Record<string, unknown> }>>('presets:save', {
      name: 'LinkedIn',
      values: { prompt: 'no', aspect_ratio: '4:5', guidance_scale: 2.5 },
    });
    expect(list).toEqual([
      expect.objectContaining({ name: 'LinkedIn', values: { aspect_ratio: '4:5', guidance_scale: 2.5 } }),
    ]);
    expect(await ok('presets:remove', { name: 'LinkedIn' })).toEqual([]);
  });

  it('no channel ever answers with the token', async () => {
    const valid: Partial<Record<InvokeChannel, unknown>> = {
      'app:openExternal': { url: 'https://replicate.com/account/api-tokens' },
      'settings:update': { theme: 'dark' },
      'models:get': {},
      'jobs:cancel': { jobId: 'job_unknown' },
      'jobs:dismiss': { jobId: 'job_unknown' },
      'library:get': { runId: '20260101-000000-abcd' },
      'library:reveal': { runId: '20260101-000000-abcd', index: 0 },
      'library:remove': { runId: '20260101-000000-abcd' },
      'selfies:remove': { id: 's_unknown1' },
      'presets:save': { name: 'p', values: { seed: 1 } },
      'presets:remove': { name: 'p' },
      'token:set': { token: s.token },
      'jobs:start': { input: { prompt: '' } },
      'selfies:import': {
        files: [{ name: 'x.jpg', bytes: new Uint8Array(readFileSync(path.join(FIXTURES, 'selfie.png'))) }],
      },
    };
    for (const ch of INVOKE_CHANNELS) {
      if (ch === 'token:clear' || ch === 'settings:chooseLibrary') continue;
      const r = await call(ch, valid[ch]);
      expect(JSON.stringify(r), ch).not.toContain(s.token);
    }
    expect(readFileSync(app.logger.file, 'utf8')).not.toContain(s.token);
    // the settings file holds only the encrypted blob
    expect(readFileSync(path.join(app.logger.dir, '..', 'settings.json'), 'utf8')).not.toContain(s.token);
  });

  it('never reads a path the page names: selfies:import takes bytes only', async () => {
    const r = await call('selfies:import', { files: [{ name: 'id_rsa.png', path: '/root/.ssh/id_rsa' }] });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const r2 = await call('selfies:import', { files: [{ name: 'x.png' }] });
    expect(r2).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('opens only allowlisted https links', async () => {
    for (const url of [
      'http://replicate.com/',
      'https://evil.example/',
      'javascript:alert(1)',
      'https://replicate.com.evil.example/',
      'file:///etc/passwd',
    ]) {
      expect(await call('app:openExternal', { url }), url).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });
});
