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
    expect(ostris).toMatchObject({ hardware: 'gpu-h100', pricePerSecond: 0.001525, priceAsOf: '2025-06-01' });
    expect(trainers[1].fields.map((f: { name: string }) => f.name)).toContain('lora_type');
  });

  it('refuses a bad request at the boundary, in words', async () => {
    const r = await call('training:start', { photos: [{ assetId: 'a' }], name: 'me', triggerWord: 'two words' });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.fields).toContainEqual({
        field: 'triggerWord',
        message: expect.stringMatching(/3 to 24 letters or digits/),
      });
  });

  it('training:start from shelf selfies → training:progress events → the model is listed, its trigger word filled in, and models:get reads its schema', async () => {
    const files = await photos(10);
    const imported = await ok<{ imported: Array<{ id: string; image: { id: string } }> }>('selfies:import', {
      files: files.map((f) => ({ name: path.basename(f), bytes: new Uint8Array(readFileSync(f)) })),
    });
    expect(imported.imported).toHaveLength(10);
    events.length = 0;
    const v = await ok('training:start', {
      photos: imported.imported.map((x) => ({ assetId: x.image.id })),
      name: 'from-app',
      triggerWord: 'SSLFQX',
      preset: 'quick',
      input: { steps: 30 },
    });
    expect(v).toMatchObject({ state: 'queued', destination: 'sim-user/from-app' });
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
    const c = await call('training:cancel', { id: v.id });
    expect(c).toMatchObject({ ok: false, error: { message: 'This training is no longer running.' } });
  });
});
