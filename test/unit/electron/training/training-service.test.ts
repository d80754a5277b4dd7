import { existsSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { rig } from '../jobs/harness';
import { parseFaultSpec } from '../../../sim/faults';
import type { Simulator } from '../../../sim/server';
import { photos, trainingRig, trainingSim } from './harness';

let sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});
async function sim(...a: Parameters<typeof trainingSim>) {
  const s = await trainingSim(...a);
  sims.push(s);
  return s;
}

describe('TrainingService end to end against the simulator', () => {
  it('checks, zips (captions beside), creates the private model, trains, records the version with its trigger word; it generates', async () => {
    const s = await sim();
    const r = trainingRig(s);
    const files = await photos(12);
    const v = await r.service.start({
      photos: files.map((file, i) => (i === 0 ? { file, caption: 'a photo of SSLFQX smiling' } : { file })),
      name: 'brand-me',
      triggerWord: 'SSLFQX',
      input: { steps: 60 },
    });
    expect(v).toMatchObject({ state: 'queued', destination: 'sim-user/brand-me', triggerWord: 'SSLFQX', photos: 12 });
    const done = await r.service.wait(v.id);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('succeeded');
    expect(done.modelRef).toMatch(/^sim-user\/brand-me:[0-9a-f]{64}$/);
    expect(done.predictTime).toBeGreaterThan(0);
    expect(done.cost).toMatchObject({ estimated: false, priceAsOf: '2026-12-03' });
    expect(done.cost!.usd).toBeCloseTo(done.predictTime! * 0.001525, 4);
    // the training the simulator saw
    const t = s.trainings()[0]!;
    expect(t).toMatchObject({
      model: 'ostris/flux-dev-lora-trainer',
      destination: 'sim-user/brand-me',
      status: 'succeeded',
      input: { trigger_word: 'SSLFQX', steps: 60 },
    });
    expect(s.trainingStats()).toMatchObject({ trainingsCreated: 1, modelsCreated: 1 });
    // progress was reported from the logs on the way
    expect(r.views.some((x) => x.state === 'running' && x.percent !== undefined)).toBe(true);
    // recorded, with the trigger word, and its schema read from the version
    const models = await r.service.trainedModels();
    expect(models).toEqual([
      expect.objectContaining({ ref: done.modelRef, triggerWord: 'SSLFQX', destination: 'sim-user/brand-me' }),
    ]);
    const resolved = await r.registry.resolve(done.modelRef!);
    expect(resolved.schema.fields.map((f) => f.name)).toContain('lora_scale');
    // the zip left Replicate and the computer
    expect(s.files().every((f) => f.deleted)).toBe(true);
    expect(existsSync(path.join(r.library, '.sseelfie', 'trainings', `${v.id}.zip`))).toBe(false);
    // and it generates, through the job engine
    const jobs = rig(s);
    const job = await jobs.engine.start({
      modelRef: done.modelRef!,
      input: { prompt: 'SSLFQX at a desk', num_outputs: 1, output_format: 'png' },
    });
    const saved = await jobs.engine.wait(job.id);
    expect(saved.state).toBe('saved');
    expect(s.predictions()[0]!.version).toBe(done.modelRef!.split(':')[1]);
  });

  it.each([
    'models.create:lost-response',
    'models.create:status:503',
    'files.create:lost-response',
    'trainings.get:status:503:3',
  ])('survives %s: one model, one upload (deleted after), one training', async (fault) => {
    const s = await sim({ faults: [parseFaultSpec(fault)] });
    const r = trainingRig(s);
    const v = await r.service.start({
      photos: (await photos(10)).map((file) => ({ file })),
      name: 'flaky',
      triggerWord: 'SSLFQX',
      input: { steps: 20 },
    });
    const done = await r.service.wait(v.id);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('succeeded');
    expect(s.trainingStats()).toMatchObject({ modelsCreated: 1, trainingsCreated: 1 });
    expect(s.files()).toHaveLength(1);
    expect(s.files()[0]!.deleted).toBe(true);
  });

  it('the zip holds one JPEG per photo and the caption as name.txt', async () => {
    const s = await sim();
    const r = trainingRig(s);
    const files = await photos(10);
    let zip: Uint8Array | null = null;
    const orig = r.gateway.uploadFile.bind(r.gateway);
    r.gateway.uploadFile = async (bytes, meta, call) => {
      zip = bytes;
      return orig(bytes, meta, call);
    };
    const v = await r.service.start({
      photos: files.map((file, i) => (i === 3 ? { file, caption: 'SSLFQX in a red coat' } : { file })),
      name: 'zipcheck',
      triggerWord: 'SSLFQX',
      input: { steps: 10 },
    });
    await r.service.wait(v.id);
    const entries = unzipSync(zip!);
    expect(Object.keys(entries).sort()).toEqual(
      [...Array.from({ length: 10 }, (_, i) => `photo-${String(i + 1).padStart(2, '0')}.jpg`), 'photo-04.txt'].sort(),
    );
    expect(new TextDecoder().decode(entries['photo-04.txt'])).toBe('SSLFQX in a red coat');
    expect(entries['photo-01.jpg']![0]).toBe(0xff);
  });
});
