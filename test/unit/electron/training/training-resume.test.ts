/**
 * A training survives the process: killed right after `submitted` was journaled (with or without
 * the create having reached Replicate), a new service on the same library resumes it WITHOUT a
 * second (billed) training.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../sim/faults';
import type { Simulator } from '../../../sim/server';
import { TrainingJournal, type TrainingRecord } from '../../../../electron/services/training/training-journal';
import { photos, trainingRig, trainingSim } from './harness';
import path from 'node:path';

let sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

const never = () => new Promise<void>(() => {});

async function until(cond: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 2000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('resume after a killed process', () => {
  it('the create reached Replicate but its answer was lost, then the process died: the new process adopts that training', async () => {
    const s = await trainingSim({ faults: [parseFaultSpec('trainings.create:lost-response')] });
    sims.push(s);
    const files = await photos(10);
    // the first process: after the lost answer it would wait before reconciling; it "dies" there
    const first = trainingRig(s, { service: { sleep: never } });
    const v = await first.service.start({
      photos: files.map((file) => ({ file })),
      name: 'resumed',
      triggerWord: 'SSLFQX',
      input: { steps: 40 },
    });
    const journal = new TrainingJournal(path.join(first.library, '.sseelfie', 'trainings'));
    await until(() => s.trainingStats().createCalls === 1, 'the create');
    const rec = (await journal.all())[0]!;
    expect(rec).toMatchObject({ state: 'submitted' });
    expect(rec.trainingId).toBeUndefined();
    // a new process on the same library
    const second = trainingRig(s, { library: first.library });
    const resumed = await second.service.resume();
    expect(resumed.map((x) => x.id)).toEqual([v.id]);
    const done = await second.service.wait(v.id);
    expect(done.state).toBe('succeeded');
    expect(s.trainingStats()).toMatchObject({ createCalls: 1, trainingsCreated: 1 });
    expect(done.trainingId).toBe(s.trainings()[0]!.id);
    expect((await second.service.trainedModels())[0]!.ref).toBe(done.modelRef);
  });

  it('journaled `submitted`, died before the create was sent: the new process looks first, finds nothing, creates once', async () => {
    const s = await trainingSim();
    sims.push(s);
    const files = await photos(10);
    const first = trainingRig(s);
    const dir = path.join(first.library, '.sseelfie', 'trainings');
    // the journal write of `submitted` is the last thing the first process does
    const journal = new (class extends TrainingJournal {
      override async write(rec: TrainingRecord) {
        await super.write(rec);
        if (rec.state === 'submitted') await never();
      }
    })(dir);
    const dying = trainingRig(s, { library: first.library, service: { journal } });
    const v = await dying.service.start({
      photos: files.map((file) => ({ file })),
      name: 'never-sent',
      triggerWord: 'SSLFQX',
      input: { steps: 20 },
    });
    await until(async () => (await new TrainingJournal(dir).all())[0]?.state === 'submitted', 'submitted');
    expect(s.trainingStats().createCalls).toBe(0);
    const second = trainingRig(s, { library: first.library });
    await second.service.resume();
    const done = await second.service.wait(v.id);
    expect(done.state).toBe('succeeded');
    expect(s.trainingStats()).toMatchObject({ createCalls: 1, trainingsCreated: 1 });
    expect(
      s
        .stats()
        .requests.filter(
          (r) => r.path.startsWith('/v1/trainings') && r.method === 'GET' && !r.path.includes('/trainings/'),
        ).length,
    ).toBeGreaterThan(0);
  });

  it('killed while running: the new process polls the same training to the end, the version is recorded once', async () => {
    const s = await trainingSim();
    sims.push(s);
    const files = await photos(10);
    let kill = false;
    const first = trainingRig(s, {
      service: { sleep: (ms) => (kill ? never() : new Promise((r) => setTimeout(r, Math.min(ms, 5)))) },
    });
    const v = await first.service.start({
      photos: files.map((file) => ({ file })),
      name: 'running-kill',
      triggerWord: 'SSLFQX',
      input: { steps: 300 },
    });
    await until(() => first.views.some((x) => x.state === 'running'), 'running');
    kill = true;
    const second = trainingRig(s, { library: first.library });
    await second.service.resume();
    const done = await second.service.wait(v.id);
    expect(done.state).toBe('succeeded');
    expect(s.trainingStats().trainingsCreated).toBe(1);
    expect(await second.service.trainedModels()).toHaveLength(1);
  });
});
