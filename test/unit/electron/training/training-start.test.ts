/**
 * Starting a training: the checks made before anything is written or sent (name, trigger word,
 * the trainer's inputs against its own schema, Simple presets mapped onto the fields the trainer
 * has), the photos of a Train-view set, and the new model's first test photo made once, also
 * when the process dies between asking for it and finishing.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planStart } from '../../../../electron/services/training/training-start';
import { photosForTraining } from '../../../../electron/services/training/set-for-training';
import { TrainingJournal } from '../../../../electron/services/training/training-journal';
import { firstPhotoRequest } from '../../../../electron/services/training/first-photo';
import type { Trainer } from '../../../../electron/services/training/trainers';
import { nameProblem, presetInput, trainingEstimate, triggerWordProblem } from '../../../../shared/training/training';
import type { Simulator } from '../../../sim/server';
import { photos, trainingRig, trainingSim } from './harness';

let sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

const field = (name: string, over: object = {}) => ({
  name,
  title: name,
  type: 'integer' as const,
  required: false,
  order: 0,
  ...over,
});
const ostrisLike: Trainer = {
  ref: 'ostris/flux-dev-lora-trainer',
  versionId: 'v1',
  schema: {
    fields: [
      field('input_images', { type: 'string', format: 'uri', required: true }),
      field('trigger_word', { type: 'string' }),
      field('steps', { minimum: 3, maximum: 6000, default: 1000 }),
      field('lora_rank', { minimum: 1, maximum: 128, default: 16 }),
      field('autocaption', { type: 'boolean', default: true }),
    ],
  } as unknown as Trainer['schema'],
};
const fastLike: Trainer = {
  ...ostrisLike,
  ref: 'replicate/fast-flux-trainer',
  schema: {
    fields: [field('input_images', { type: 'string' }), field('training_steps')],
  } as unknown as Trainer['schema'],
};
const trainers = (ref: string) => Promise.resolve(ref === fastLike.ref ? fastLike : ostrisLike);

describe('the checks before a training starts', () => {
  it('the name: a model under the token’s account, or owner/model; anything else says why', () => {
    expect(nameProblem('my-brand')).toBeNull();
    expect(nameProblem('ada/my-brand')).toBeNull();
    expect(nameProblem('My Brand')).toMatch(/lowercase letters, digits, dashes/);
    expect(nameProblem('a/b/c')).toMatch(/owner\/model/);
    expect(nameProblem('bad owner!/m')).toMatch(/"bad owner!" cannot be a Replicate account name/);
    expect(nameProblem('ada/')).toMatch(/Give your model a name/);
  });

  it('the trigger word: one made-up token, not a word the model already knows', () => {
    expect(triggerWordProblem('SSLFQX')).toBeNull();
    expect(triggerWordProblem('two words')).toMatch(/one word, no spaces/);
    expect(triggerWordProblem('ab')).toMatch(/3 to 24 letters/);
    expect(triggerWordProblem('2024')).toMatch(/at least one letter/);
    expect(triggerWordProblem('Selfie')).toMatch(/"Selfie" is a word the model already knows/);
    expect(triggerWordProblem('woman')).toMatch(/made-up word/);
  });

  it('a preset sets only the fields the trainer has: steps for ostris, training_steps for fast-flux', () => {
    expect(presetInput('quick', ['steps', 'lora_rank', 'autocaption'])).toEqual({ steps: 600, lora_rank: 16 });
    expect(presetInput('best', ['training_steps'])).toEqual({ training_steps: 2000 });
  });

  it('plans the start: preset under the Advanced values, the owner left to the account, the app’s own fields dropped', async () => {
    const plan = await planStart(
      { name: 'my-brand', triggerWord: 'SSLFQX', preset: 'balanced', input: { steps: 300, input_images: 'x' } },
      trainers,
    );
    expect(plan).toMatchObject({ owner: null, modelName: 'my-brand', input: { steps: 300, lora_rank: 16 } });
    expect(plan.input).not.toHaveProperty('input_images');
    const fast = await planStart(
      { name: 'ada/fast', triggerWord: 'SSLFQX', trainer: 'replicate/fast-flux-trainer', preset: 'quick' },
      trainers,
    );
    expect(fast).toMatchObject({ owner: 'ada', input: { training_steps: 600 } });
  });

  it('refuses in words, with the field: a bad name, a real word, a value out of the trainer’s range, a setting it does not have', async () => {
    const refused = (req: Parameters<typeof planStart>[0]) =>
      planStart(req, trainers).then(
        () => null,
        (e: { message: string; fields?: unknown }) => ({ message: e.message, fields: e.fields }),
      );
    expect(await refused({ name: 'My Brand', triggerWord: 'SSLFQX' })).toMatchObject({
      message: expect.stringMatching(/^"My Brand" cannot be a model name/),
      fields: [{ field: 'name' }],
    });
    expect(await refused({ name: 'm', triggerWord: 'photo' })).toMatchObject({ fields: [{ field: 'triggerWord' }] });
    expect(await refused({ name: 'm', triggerWord: 'SSLFQX', input: { steps: 9000 } })).toMatchObject({
      message: 'steps must be between 3 and 6000.',
      fields: [{ field: 'steps' }],
    });
    expect(await refused({ name: 'm', triggerWord: 'SSLFQX', input: { bogus: true } })).toMatchObject({
      message: expect.stringMatching(/has no setting "bogus"/),
    });
  });

  it('the estimate: setup plus steps at the table’s speed, priced by the second; none without a speed', () => {
    expect(trainingEstimate(1000, { secondsPerStep: 1.05, setupSeconds: 240 }, 0.001525)).toEqual({
      seconds: 1290,
      usd: 1.97,
    });
    expect(trainingEstimate(1000, null, 0.001525)).toBeNull();
    expect(trainingEstimate(600, { secondsPerStep: 1, setupSeconds: 0 }, null)).toEqual({ seconds: 600, usd: null });
  });
});

describe('the Train view’s set as a training’s photos', () => {
  const view = (summary: object) => ({
    id: 't_set0001',
    photos: [],
    checkedAt: 1,
    summary: { included: 12, excluded: 1, unchecked: 0, ready: true, problems: [], ...summary },
  });
  const sets = (summary: object = {}, checking = false) => ({
    get: async () => view(summary) as never,
    isChecking: checking,
    trainingPhotos: async () => ({
      dir: '/lib/training-sets/t_set0001',
      photos: [
        { file: 'a.jpg', path: '/lib/training-sets/t_set0001/a.jpg', caption: '' },
        { file: 'b.jpg', path: '/lib/training-sets/t_set0001/b.jpg', caption: 'smiling' },
      ],
    }),
  });

  it('gives the included photos with their paths in the library and their captions', async () => {
    expect(await photosForTraining(sets())).toEqual([
      { file: '/lib/training-sets/t_set0001/a.jpg' },
      { file: '/lib/training-sets/t_set0001/b.jpg', caption: 'smiling' },
    ]);
  });

  it('refuses while checking, with unchecked photos, too few or too many, or another set', async () => {
    await expect(photosForTraining(sets({}, true))).rejects.toThrow(/still being checked/);
    await expect(photosForTraining(sets({ unchecked: 2 }))).rejects.toThrow(/2 photos have not been checked yet/);
    await expect(photosForTraining(sets({ included: 9 }))).rejects.toThrow(/Only 9 photos are included/);
    await expect(photosForTraining(sets({ included: 41 }))).rejects.toThrow(/use at most 40/);
    await expect(photosForTraining(sets(), 't_other0001')).rejects.toThrow(/no longer the one in the Train view/);
  });
});

describe('the first test photo', () => {
  it('is a headshot with the trigger word on the new version, labelled', () => {
    expect(firstPhotoRequest({ ref: 'ada/m:abc', destination: 'ada/m', triggerWord: 'SSLFQX' })).toEqual({
      modelRef: 'ada/m:abc',
      input: { prompt: expect.stringMatching(/^a professional headshot of SSLFQX,/) },
      label: 'First test photo · ada/m',
    });
  });

  it('starts once when the training succeeds, and a process that died after asking for it does not start a second', async () => {
    const s = await trainingSim();
    sims.push(s);
    const asked: string[] = [];
    const r = trainingRig(s, {
      service: {
        firstPhoto: async (m) => {
          asked.push(m.ref);
          return { jobId: 'job1', runId: 'run1' };
        },
      },
    });
    const files = (await photos(10)).map((file) => ({ file }));
    const v = await r.service.start({
      photos: files,
      chosen: true,
      name: 'first',
      triggerWord: 'SSLFQX',
      input: { steps: 20 },
    });
    const done = await r.service.wait(v.id);
    expect(done).toMatchObject({ state: 'succeeded', firstPhoto: { jobId: 'job1', runId: 'run1' } });
    expect(asked).toEqual([done.modelRef]);

    // the journal of a process killed after `firstPhoto: {asked}` was written, before `succeeded`
    const journal = new TrainingJournal(path.join(r.library, '.sseelfie', 'trainings'));
    const [rec] = await journal.all();
    await journal.write({ ...rec!, state: 'running', firstPhoto: { asked: true }, versionId: undefined });
    const again = trainingRig(s, {
      library: r.library,
      service: {
        firstPhoto: async (m) => {
          asked.push(m.ref);
          return { jobId: 'job2', runId: 'run2' };
        },
      },
    });
    await again.service.resume();
    await again.service.idle();
    const [after] = await again.service.list();
    expect(after).toMatchObject({ state: 'succeeded', modelRef: done.modelRef });
    expect(asked).toHaveLength(1);
    expect(s.trainingStats().trainingsCreated).toBe(1);
    expect(readdirSync(path.join(r.library, '.sseelfie', 'trainings')).filter((f) => f.endsWith('.zip'))).toEqual([]);
  });

  it('that could not start is said on the training, which still succeeded', async () => {
    const s = await trainingSim();
    sims.push(s);
    const r = trainingRig(s, {
      service: {
        firstPhoto: async () => {
          throw new Error('The library is held by another Sseelfie Studio.');
        },
      },
    });
    const files = (await photos(10)).map((file) => ({ file }));
    const v = await r.service.start({
      photos: files,
      chosen: true,
      name: 'nofirst',
      triggerWord: 'SSLFQX',
      input: { steps: 20 },
    });
    expect(await r.service.wait(v.id)).toMatchObject({
      state: 'succeeded',
      firstPhoto: { error: expect.stringMatching(/held by another/) },
    });
  });
});
