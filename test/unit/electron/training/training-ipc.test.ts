/** The training channels through the real handler map and dispatcher, against the simulator. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../../electron/app-services';
import { dispatch } from '../../../../electron/ipc-dispatch';
import { MemoryCipher } from '../../../../electron/services/settings/token-vault';
import type { InvokeChannel } from '../../../../shared/ipc/channels';
import type { Simulator } from '../../../sim/server';
import { tmpDir } from '../jobs/harness';
import { photos, trainingSim } from './harness';
import { buildSetCheckWorker } from './set-check/worker-build';

let s: Simulator;
let app: AppServices;
const events: Array<[string, any]> = [];
const call = (ch: InvokeChannel, arg?: unknown) => dispatch(app.handlers, ch, arg);
const ok = async <T = any>(ch: InvokeChannel, arg?: unknown): Promise<T> => {
  const r = await call(ch, arg);
  if (!r.ok) throw new Error(`${ch}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
};

beforeAll(async () => {
  s = await trainingSim();
  const root = tmpDir('sseelfie-train-app-');
  app = await createAppServices({
    userDataDir: path.join(root, 'userData'),
    defaultLibraryDir: path.join(root, 'library'),
    cipher: new MemoryCipher('keychain'),
    emit: (ch, p) => void events.push([ch, p]),
    engine: { pollMinMs: 5, pollMaxMs: 20, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))) },
    // the Train view's set is checked by the real face model, as in the app
    setCheckWorker: await buildSetCheckWorker(),
  });
  await ok('settings:update', { apiBaseUrl: s.baseUrl });
  await ok('token:set', { token: s.token });
});
afterAll(async () => {
  await app.dispose();
  await s.close();
});

describe('training channels', () => {
  it('training:trainers gives each trainer with the inputs read from its version, its hardware and dated price', async () => {
    const trainers = await ok<any[]>('training:trainers');
    expect(trainers.map((t) => t.ref)).toEqual(['ostris/flux-dev-lora-trainer', 'replicate/fast-flux-trainer']);
    const ostris = trainers[0];
    expect(ostris.fields.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['input_images', 'trigger_word', 'steps', 'lora_rank', 'learning_rate', 'autocaption']),
    );
    expect(ostris.fields.map((f: { name: string }) => f.name)).not.toContain('hf_token'); // secrets are not form fields
    expect(ostris).toMatchObject({
      hardware: 'gpu-h100',
      pricePerSecond: 0.001525,
      priceAsOf: '2026-12-03',
      speed: { secondsPerStep: 1.05, setupSeconds: 240 },
      priceFile: expect.stringMatching(/\.sseelfie[\\/]training-prices\.json$/),
    });
    expect(trainers[1].speed).toBeNull(); // no figure for fast-flux-trainer: no estimate rather than a guess
    expect(trainers[1].fields.map((f: { name: string }) => f.name)).toContain('lora_type');
  });

  it('refuses a bad request at the boundary, in words, and never takes a path from the window', async () => {
    const r = await call('training:start', { name: 'me', triggerWord: 'two words' });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.fields).toContainEqual({
        field: 'triggerWord',
        message: 'Use one word, no spaces (for example SSLFQX).',
      });
    const paths = await call('training:start', {
      photos: [{ file: '/etc/passwd' }],
      name: 'me',
      triggerWord: 'SSLFQX',
    });
    expect(paths).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('training:start from the Train view’s set: refused until checked and enough are included, then trains on the included photos → progress events → the model is listed, its trigger word filled in, models:get reads its schema, and a first test photo is made', async () => {
    const files = await photos(11);
    const added = await ok('trainingset:add', {
      files: files.map((f) => ({ name: path.basename(f), bytes: new Uint8Array(readFileSync(f)) })),
    });
    expect(added.added).toHaveLength(11);
    const base = { name: 'from-app', triggerWord: 'SSLFQX', preset: 'quick', input: { steps: 30 } };
    const unchecked = await call('training:start', base);
    expect(unchecked).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/11 photos have not been checked yet/) },
    });
    // flat colour fields have no face: the check leaves every one out, and so does the training
    const checked = await ok('trainingset:check');
    expect(checked.summary).toMatchObject({ included: 0, excluded: 11, unchecked: 0 });
    const none = await call('training:start', base);
    expect(none).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Only 0 photos are included/) } });
    expect(s.trainingStats().createCalls).toBe(0);
    // the person includes ten against the check, and one stays out: those ten train
    let set = checked;
    for (const p of checked.photos.slice(0, 10))
      set = await ok('trainingset:setIncluded', { id: p.id, included: true });
    expect(set.summary).toMatchObject({ included: 10, excluded: 1 });
    events.length = 0;
    const v = await ok('training:start', { ...base, setId: set.id });
    expect(v).toMatchObject({ state: 'queued', destination: 'sim-user/from-app', photos: 10 });
    const done = await app.training().wait(v.id);
    expect(done.state).toBe('succeeded');
    const states = events.filter(([c]) => c === 'training:progress').map(([, p]) => p.state);
    expect(states).toEqual(expect.arrayContaining(['uploading', 'submitted', 'running', 'succeeded']));
    expect(s.trainings()[0]!.input).toMatchObject({ steps: 30, lora_rank: 16, trigger_word: 'SSLFQX' });
    const list = await ok<{ trainings: any[]; models: any[] }>('training:list');
    expect(list.trainings[0]).toMatchObject({ id: v.id, state: 'succeeded', modelRef: done.modelRef });
    expect(list.models[0]).toMatchObject({ ref: done.modelRef, triggerWord: 'SSLFQX' });
    const settings = await ok('settings:get');
    expect(settings.triggerWords['sim-user/from-app']).toBe('SSLFQX');
    const info = await ok('models:get', { ref: done.modelRef });
    expect(info.versionId).toBe(done.modelRef!.split(':')[1]);
    expect(info.fields.map((f: { name: string }) => f.name)).toContain('lora_scale');
    // the first test photo: a normal job of the library with the new model, labelled, kept on the training
    const first = list.trainings[0].firstPhoto;
    expect(first).toEqual({ jobId: expect.any(String), runId: expect.any(String) });
    await app.engine().idle();
    const run = await ok('library:get', { runId: first.runId });
    expect(run).toMatchObject({
      modelRef: 'sim-user/from-app',
      version: done.modelRef!.split(':')[1],
      label: 'First test photo · sim-user/from-app',
    });
    expect(run.prompt).toMatch(/^a professional headshot of SSLFQX/);
    expect(run.images.length).toBeGreaterThan(0);
    const c = await call('training:cancel', { id: v.id });
    expect(c).toMatchObject({ ok: false, error: { message: 'This training is no longer running.' } });
  });
});
