/**
 * The simulator's trainings API against the real API's shapes (reference §2.9/§4, flux-fine-tuner
 * train.py) and driven by the official npm client, replicate@1.4.0 (trainings.create/get/cancel).
 */
import { zipSync } from 'fflate';
import Replicate from 'replicate';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from './faults';
import { startSimulator, type SimOptions, type Simulator, type TrainingJson } from './server';
import { api, manualClock, solidImage } from './test-helpers';

const TRAINER = 'ostris/flux-dev-lora-trainer';

let sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function start(opts: SimOptions = {}) {
  const clock = manualClock();
  const sim = await startSimulator({ seed: 5, now: clock.now, ...opts });
  sims.push(sim);
  return { sim, clock };
}

async function upload(sim: Simulator, bytes: Uint8Array, name = 'photos.zip'): Promise<string> {
  const form = new FormData();
  form.append('content', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), name);
  form.append('filename', name);
  const r = await fetch(`${sim.baseUrl}/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sim.token}` },
    body: form,
  });
  expect(r.status).toBe(201);
  return ((await r.json()) as { urls: { get: string } }).urls.get;
}

export async function photoZip(n: number, captions = 0): Promise<Uint8Array> {
  const png = new Uint8Array(await solidImage(64, 64, [200, 120, 90]));
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < n; i++) {
    files[`photo-${i}.png`] = png;
    if (i < captions) files[`photo-${i}.txt`] = new TextEncoder().encode(`a photo of TOK ${i}`);
  }
  files['__MACOSX/._photo-0.png'] = new Uint8Array([0, 5, 22, 7]);
  return zipSync(files);
}

async function trainerVersion(sim: Simulator, ref = TRAINER): Promise<string> {
  return (await api(sim, 'GET', `/models/${ref}`)).body.latest_version.id;
}

async function makeDestination(sim: Simulator, name = 'me') {
  return api(sim, 'POST', '/models', {
    body: { owner: 'sim-user', name, visibility: 'private', hardware: 'gpu-h100' },
  });
}

async function createTraining(sim: Simulator, input: Record<string, unknown>, destination = 'sim-user/me') {
  const v = await trainerVersion(sim);
  return api<TrainingJson>(sim, 'POST', `/models/${TRAINER}/versions/${v}/trainings`, { body: { destination, input } });
}

describe('the trainer fault kind', () => {
  it('parses from the CLI form and only applies to trainings.create', () => {
    expect(parseFaultSpec('trainings.create:trainer:read-only-fs:2')).toEqual({
      endpoint: 'trainings.create',
      kind: 'trainer',
      failure: 'read-only-fs',
      times: 2,
    });
    expect(() => parseFaultSpec('trainings.create:trainer:nonsense')).toThrow(/Unknown trainer fault/);
    expect(() => parseFaultSpec('predictions.create:trainer:read-only-fs')).toThrow(/trainings.create only/);
  });
});

describe('POST /v1/models and GET /v1/hardware', () => {
  it('creates a private destination with no version; 403 for another owner, 409 when it exists, 422 without hardware', async () => {
    const { sim } = await start();
    const hw = await api(sim, 'GET', '/hardware');
    expect(hw.body).toContainEqual({ name: 'Nvidia H100 GPU', sku: 'gpu-h100' });
    const r = await makeDestination(sim);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ owner: 'sim-user', name: 'me', visibility: 'private', latest_version: null });
    expect((await api(sim, 'GET', '/models/sim-user/me')).body.latest_version).toBeNull();
    expect((await api(sim, 'GET', '/models/sim-user/nope')).status).toBe(404);
    expect((await makeDestination(sim)).status).toBe(409);
    const other = await api(sim, 'POST', '/models', {
      body: { owner: 'someone-else', name: 'x', visibility: 'private', hardware: 'gpu-h100' },
    });
    expect(other.status).toBe(403);
    const noHw = await api(sim, 'POST', '/models', { body: { owner: 'sim-user', name: 'y', visibility: 'private' } });
    expect(noHw.status).toBe(422);
    expect(noHw.body.invalid_fields[0].field).toBe('hardware');
  });
});

describe('trainer schemas', () => {
  it('serves flux-dev-lora-trainer with TrainingInput (train.py defaults, secrets as password) and fast-flux-trainer', async () => {
    const { sim } = await start();
    const doc = (await api(sim, 'GET', `/models/${TRAINER}`)).body.latest_version.openapi_schema;
    const ti = doc.components.schemas.TrainingInput;
    expect(ti.properties.steps).toMatchObject({ type: 'integer', default: 1000, minimum: 3, maximum: 6000 });
    expect(ti.properties.lora_rank).toMatchObject({ default: 16, minimum: 1, maximum: 128 });
    expect(ti.properties.trigger_word.default).toBe('TOK');
    expect(ti.properties.input_images).toMatchObject({ type: 'string', format: 'uri' });
    expect(ti.properties.hf_token).toMatchObject({ format: 'password', 'x-cog-secret': true });
    expect(ti.properties.gradient_checkpointing.description).toBeUndefined();
    const fast = (await api(sim, 'GET', '/models/replicate/fast-flux-trainer')).body.latest_version.openapi_schema;
    const props = fast.components.schemas.TrainingInput.properties as Record<string, { 'x-order': number }>;
    expect(Object.keys(props).sort((a, b) => props[a]!['x-order'] - props[b]!['x-order'])).toEqual([
      'input_images',
      'trigger_word',
      'lora_type',
      'training_steps',
    ]);
  });
});

describe('trainings', () => {
  it('runs starting → processing (tqdm with the prefix, split by \\r) → succeeded, pushing a version with the FLUX LoRA schema', async () => {
    const { sim, clock } = await start();
    await makeDestination(sim);
    const url = await upload(sim, await photoZip(12, 2));
    const c = await createTraining(sim, { input_images: url, trigger_word: 'SSLF', steps: 100 });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({
      status: 'starting',
      model: TRAINER,
      destination: 'sim-user/me',
      input: { input_images: url, trigger_word: 'SSLF', steps: 100 },
      output: null,
      error: null,
    });
    expect(c.body.urls.get).toBe(`${sim.baseUrl}/trainings/${c.body.id}`);
    expect(c.body.urls.cancel).toBe(`${sim.baseUrl}/trainings/${c.body.id}/cancel`);
    expect('source' in c.body).toBe(false);
    clock.advance(300 + 100 + 50 * 4);
    const mid = (await api<TrainingJson>(sim, 'GET', `/trainings/${c.body.id}`)).body;
    expect(mid.status).toBe('processing');
    expect(mid.logs).toContain('Extracted 14 files from zip to input_images');
    expect(mid.logs).toContain('Captioning image 10 of 10');
    expect(mid.logs).toMatch(
      /\rflux_train_replicate: {2}50%\|[^|]*\| 50\/100 \[[\d:]+<[\d:]+, +1\.05s\/it, lr: 4\.0e-04 loss: [\d.e+-]+\]$/,
    );
    clock.advance(10_000);
    const done = (await api<TrainingJson>(sim, 'GET', `/trainings/${c.body.id}`)).body;
    expect(done.status).toBe('succeeded');
    expect(done.metrics!.predict_time).toBeCloseTo((100 + 100 * 4 + 100) / 1000, 3);
    expect(done.output!.weights).toMatch(/trained_model\.tar$/);
    const model = (await api(sim, 'GET', '/models/sim-user/me')).body;
    expect(model.latest_version.id).toBe(done.output!.version);
    expect(model.latest_version.openapi_schema.components.schemas.Input.properties.lora_scale).toBeDefined();
    // the new version generates
    const p = await api(sim, 'POST', '/predictions', {
      body: { version: done.output!.version, input: { prompt: 'SSLF at a desk' } },
    });
    expect(p.status).toBe(201);
  });

  it('fails like the trainer: not a zip, a zip without images, missing or foreign destination, the platform faults', async () => {
    const { sim, clock } = await start();
    await makeDestination(sim);
    const notZip = await upload(sim, new Uint8Array(await solidImage(32, 32, [1, 2, 3])), 'a.png');
    const noImages = await upload(sim, zipSync({ 'readme.txt': new TextEncoder().encode('hi') }));
    const a = await createTraining(sim, { input_images: notZip });
    const b = await createTraining(sim, { input_images: noImages });
    expect((await createTraining(sim, { input_images: noImages }, 'sim-user/missing')).status).toBe(404);
    expect((await createTraining(sim, { input_images: noImages }, 'sandrasocial/sseelfie-ai')).status).toBe(403);
    expect((await createTraining(sim, { steps: 1 })).status).toBe(422);
    sim.setFaults([
      parseFaultSpec('trainings.create:trainer:read-only-fs'),
      parseFaultSpec('trainings.create:trainer:failed-to-create-image:1'),
    ]);
    const good = await upload(sim, await photoZip(10));
    const c = await createTraining(sim, { input_images: good, steps: 30 });
    const d = await createTraining(sim, { input_images: good, steps: 30 });
    clock.advance(60_000);
    const get = async (id: string) => (await api<TrainingJson>(sim, 'GET', `/trainings/${id}`)).body;
    expect(await get(a.body.id)).toMatchObject({ status: 'failed', error: 'input_images must be a zip file' });
    expect((await get(b.body.id)).error).toMatch(/No images found/);
    expect((await get(c.body.id)).error).toMatch(/Read-only file system/);
    expect((await get(d.body.id)).error).toMatch(/Failed to create trained image/);
    expect((await get(d.body.id)).metrics!.predict_time).toBeGreaterThan(0);
    expect((await api(sim, 'GET', '/models/sim-user/me')).body.latest_version).toBeNull();
    expect(sim.trainingStats().trainingsCreated).toBe(4);
  });

  it('lists newest first with cursors that hold when new trainings arrive; cancel ends it canceled', async () => {
    const { sim, clock } = await start();
    await makeDestination(sim);
    const url = await upload(sim, await photoZip(10));
    const ids: string[] = [];
    for (let i = 0; i < 105; i++) {
      ids.push((await createTraining(sim, { input_images: url, steps: 10 })).body.id);
      clock.advance(1);
    }
    const p1 = await api(sim, 'GET', '/trainings');
    expect(p1.body.results).toHaveLength(100);
    expect(p1.body.results[0].id).toBe(ids[104]);
    expect('logs' in p1.body.results[0]).toBe(false);
    await createTraining(sim, { input_images: url, steps: 10 });
    const p2 = await api(sim, 'GET', p1.body.next.slice(sim.baseUrl.length));
    expect(p2.body.results.map((r: TrainingJson) => r.id)).toEqual(ids.slice(0, 5).reverse());
    const x = await api<TrainingJson>(sim, 'POST', `/trainings/${ids[0]}/cancel`);
    expect(x.body.status).toBe('canceled');
  });
});

describe('the official client, replicate@1.4.0', () => {
  it('trainings.create / get / cancel work against the simulator (the zip goes up through files.create first)', async () => {
    const sim = await startSimulator({ seed: 9, trainingTiming: { bootMs: 30, stepMs: 1, setupMs: 5 } });
    sims.push(sim);
    const replicate = new Replicate({ auth: sim.token, baseUrl: sim.baseUrl });
    await replicate.models.create('sim-user', 'client-made', { visibility: 'private', hardware: 'gpu-h100' });
    const file = await replicate.files.create(Buffer.from(await photoZip(10)), {});
    const v = (await replicate.models.get('ostris', 'flux-dev-lora-trainer')).latest_version!.id;
    const t = await replicate.trainings.create('ostris', 'flux-dev-lora-trainer', v, {
      destination: 'sim-user/client-made',
      input: { input_images: file.urls.get, steps: 20 },
    });
    expect(t.status).toBe('starting');
    let got = await replicate.trainings.get(t.id);
    for (let i = 0; i < 400 && got.status !== 'succeeded' && got.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 5));
      got = await replicate.trainings.get(t.id);
    }
    expect(got.status).toBe('succeeded');
    expect((got.output as { version: string }).version).toMatch(/^[0-9a-f]{64}$/);
    const t2 = await replicate.trainings.create('ostris', 'flux-dev-lora-trainer', v, {
      destination: 'sim-user/client-made',
      input: { input_images: file.urls.get, steps: 5000 },
    });
    const canceled = await replicate.trainings.cancel(t2.id);
    expect(canceled.status).toBe('canceled');
    const list = await replicate.trainings.list();
    expect(list.results.map((r) => r.id)).toEqual([t2.id, t.id]);
  });
});
