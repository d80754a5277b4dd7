/** Every way a training fails reaches the person in words, with what to do (training-failures.ts). */
import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { parseFaultSpec } from '../../../sim/faults';
import type { Simulator } from '../../../sim/server';
import { trainingFailures } from '../../../../electron/services/training/training-failures';
import { photos, trainingRig, trainingSim } from './harness';
import type { TrainingRig } from './harness';

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

/** Sends these bytes instead of the zip the service built (what a broken upload would deliver). */
function replaceUpload(r: TrainingRig, bytes: Uint8Array) {
  const orig = r.gateway.uploadFile.bind(r.gateway);
  r.gateway.uploadFile = (_b, meta, call) => orig(bytes, meta, call);
}

const start = async (r: TrainingRig, name: string, n = 10) =>
  r.service.wait(
    (
      await r.service.start({
        photos: (await photos(n)).map((file) => ({ file })),
        name,
        triggerWord: 'SSLFQX',
        input: { steps: 20 },
      })
    ).id,
  );

describe('training failures, in words', () => {
  it('fewer than 10 usable photos: refused before anything is sent, with the reasons', async () => {
    const s = await sim();
    const r = trainingRig(s);
    const small = await photos(3, 300);
    const ok = await photos(7);
    const err = await r.service
      .start({ photos: [...ok, ...small].map((file) => ({ file })), name: 'few', triggerWord: 'SSLFQX' })
      .catch((e) => e);
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/Only 7 of your photos can be used for training, and it needs at least 10/);
    expect(err.message).toMatch(/300 × 375 pixels; training needs at least 512/);
    expect(err.message).toMatch(/Nothing was sent or charged/);
    expect(s.stats().uploads).toBe(0);
    expect(s.trainingStats().createCalls).toBe(0);
  });

  it('a bad trigger word, a bad name or an unknown trainer setting is refused in words', async () => {
    const s = await sim();
    const r = trainingRig(s);
    const files = (await photos(10)).map((file) => ({ file }));
    await expect(r.service.start({ photos: files, name: 'x', triggerWord: 'a b' })).rejects.toThrow(
      /trigger word cannot be used: Use one word, no spaces/,
    );
    await expect(r.service.start({ photos: files, name: 'x', triggerWord: 'Woman' })).rejects.toThrow(
      /"Woman" is a word the model already knows/,
    );
    await expect(r.service.start({ photos: files, name: 'a/b/c', triggerWord: 'SSLFQX' })).rejects.toThrow(
      /cannot be a model name. Use the model’s name, or your account and the name as owner\/model/,
    );
    await expect(r.service.start({ photos: files, name: 'Bad Name', triggerWord: 'SSLFQX' })).rejects.toThrow(
      /cannot be a model name/,
    );
    await expect(
      r.service.start({ photos: files, name: 'x', triggerWord: 'SSLFQX', input: { steps: 1 } }),
    ).rejects.toThrow(/Steps must be between 3 and 6000/);
    await expect(
      r.service.start({ photos: files, name: 'x', triggerWord: 'SSLFQX', input: { bogus: 1 } }),
    ).rejects.toThrow(/has no setting "bogus"/);
  });

  it('not a zip: the trainer says so, the person reads what to do, and Retry is offered', async () => {
    const s = await sim();
    const r = trainingRig(s);
    replaceUpload(
      r,
      new Uint8Array(
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
          .png()
          .toBuffer(),
      ),
    );
    const v = await start(r, 'notzip');
    expect(v.state).toBe('failed');
    expect(v.error!.message).toMatch(/was not a zip file\. Press Retry/);
    expect(v.retryable).toBe(true);
  });

  it('a zip with no photos in it', async () => {
    const s = await sim();
    const r = trainingRig(s);
    replaceUpload(r, zipSync({ 'notes.txt': new TextEncoder().encode('x') }));
    const v = await start(r, 'noimages');
    expect(v.error!.message).toMatch(/found no photos in what it received/);
    expect(v.retryable).toBeUndefined();
  });

  it('a destination of someone else: refused by Replicate, said in words, nothing charged', async () => {
    const s = await sim();
    const r = trainingRig(s);
    const v = await start(r, 'sandrasocial/sseelfie-ai');
    expect(v.state).toBe('failed');
    expect(v.error!.message).toMatch(/may not add versions to sandrasocial\/sseelfie-ai: it belongs to someone else/);
    const w = await start(r, 'another-user/new-model');
    expect(w.error!.message).toMatch(/will not create a model under "another-user": your token belongs to sim-user/);
    expect(s.trainingStats().trainingsCreated).toBe(0);
  });

  it('a destination that vanished before the create (404)', async () => {
    const s = await sim();
    const r = trainingRig(s);
    const orig = r.gateway.getModel.bind(r.gateway);
    // it "exists" when looked up, then is gone when the training is created
    r.gateway.getModel = async (owner, name, call) =>
      name === 'vanished' ? { owner, name, latest_version: null } : orig(owner, name, call);
    const v = await start(r, 'vanished');
    expect(v.error!.message).toMatch(
      /does not exist on Replicate \(it may have been deleted\)\. Start the training again and the app creates it/,
    );
  });

  it.each([
    ['read-only-fs', /temporary problem on its side \(its machine could not write the training files\)/],
    ['failed-to-create-image', /could not save the result as a model version/],
  ])('platform fault %s: said in words with Retry, and Retry trains again', async (fault, msg) => {
    const s = await sim({ faults: [parseFaultSpec(`trainings.create:trainer:${fault}:1`)] });
    const r = trainingRig(s);
    const v = await start(r, `fault-${fault}`);
    expect(v.state).toBe('failed');
    expect(v.error!.message).toMatch(msg);
    expect(v.error!.message).toMatch(/Press Retry/);
    expect(v.retryable).toBe(true);
    const again = await r.service.retry(v.id);
    const done = await r.service.wait(again.id);
    expect(done.state).toBe('succeeded');
    expect(s.trainingStats().trainingsCreated).toBe(2);
  });

  it('every trainer error has a sentence with what to do', () => {
    for (const err of [
      'input_images must be a zip file',
      'No images found in input_images',
      "[Errno 30] Read-only file system: 'x'",
      'Failed to create trained image',
      'CUDA out of memory',
      'something new',
    ]) {
      const f = trainingFailures.trainerFailed(err);
      expect(f.message.length).toBeGreaterThan(40);
      expect(f.message).toMatch(/Press Retry|start again|Start the training again/);
    }
  });
});

describe('cancel', () => {
  it('a running training is canceled on Replicate and says the time ran is billed', async () => {
    const s = await sim();
    const r = trainingRig(s);
    const v = await r.service.start({
      photos: (await photos(10)).map((file) => ({ file })),
      name: 'cancel-me',
      triggerWord: 'SSLFQX',
      input: { steps: 5000 },
    });
    for (let i = 0; i < 2000 && !r.views.some((x) => x.state === 'running' && x.percent !== undefined); i++)
      await new Promise((res) => setTimeout(res, 5));
    await r.service.cancel(v.id);
    const done = await r.service.wait(v.id);
    expect(done.state).toBe('canceled');
    expect(done.error!.message).toMatch(/Canceled\. Replicate bills the time the trainer ran/);
    expect(s.trainings()[0]!.status).toBe('canceled');
    expect(done.cost?.estimated).toBe(false);
  });

  it('canceled before it was sent: nothing created, nothing charged', async () => {
    const s = await sim({ faults: [parseFaultSpec('files.create:latency:300')] });
    const r = trainingRig(s);
    const v = await r.service.start({
      photos: (await photos(10)).map((file) => ({ file })),
      name: 'early',
      triggerWord: 'SSLFQX',
    });
    await r.service.cancel(v.id);
    const done = await r.service.wait(v.id);
    expect(done.state).toBe('canceled');
    expect(done.error!.message).toMatch(/Nothing was charged/);
    expect(s.trainingStats().createCalls).toBe(0);
  });
});
