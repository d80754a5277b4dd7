/** `npm run cli -- train` and `resume` (trainings) end to end against the simulator. */
import { FallbackSetChecker } from '../../../../electron/services/training/training-set-checker';
import { ImagePipeline } from '../../../../electron/services/images/image-pipeline';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../sim/faults';
import type { Simulator } from '../../../sim/server';
import { runCliAgainst } from '../cli-harness';
import { tmpDir } from '../jobs/harness';
import { photos, trainingRig, trainingSim } from './harness';

// These tests are about the training flow, on synthetic photos the face detector rightly rejects:
// they use the decodable + 512 px checker. The real check is tested in set-check/ and on real
// photos in cli/train-check.test.ts.
const FALLBACK = { trainingCheck: { checker: new FallbackSetChecker(new ImagePipeline()) } };

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

describe('cli train', () => {
  it('--json: trains on the folder (captions from photo.txt), prints the documented object, exit 0; the model then generates', async () => {
    const s = await sim();
    const dir = tmpDir('sseelfie-cli-photos-');
    const files = await photos(11, 640, dir);
    writeFileSync(path.join(dir, 'selfie-0.txt'), 'a photo of SSLFQX laughing');
    const lib = tmpDir();
    const r = await runCliAgainst(
      s,
      [
        'train',
        '--images',
        dir,
        '--name',
        'cli-model',
        '--trigger',
        'SSLFQX',
        '--set',
        'steps=40',
        '--set',
        'autocaption=false',
        '--library',
        lib,
        '--json',
      ],
      FALLBACK,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o).toMatchObject({
      status: 'succeeded',
      model: 'sim-user/cli-model',
      triggerWord: 'SSLFQX',
      trainingId: s.trainings()[0]!.id,
    });
    expect(o.version).toMatch(/^[0-9a-f]{64}$/);
    expect(o.predictTime).toBeGreaterThan(0);
    expect(o.files.sort()).toEqual(files.sort());
    expect(s.trainings()[0]!.input).toMatchObject({ steps: 40, autocaption: false, trigger_word: 'SSLFQX' });
    expect(s.trainings()[0]!.logs).toContain('Extracted 12 files from zip'); // 11 photos and the caption
    const g = await runCliAgainst(s, [
      'generate',
      '--model',
      `sim-user/cli-model:${o.version}`,
      '--prompt',
      'SSLFQX on stage',
      '--library',
      lib,
      '--json',
    ]);
    expect(g.code).toBe(0);
    expect(s.predictions()[0]!.version).toBe(o.version);
  });

  it('fewer than 10 ok photos: exit 2 with the reason for each, nothing sent; --include-flagged trains on every readable one', async () => {
    const s = await sim();
    const dir = tmpDir('sseelfie-cli-photos-');
    await photos(8, 640, dir);
    await photos(2, 300, path.join(dir, 'small'));
    const { renameSync } = await import('node:fs');
    renameSync(path.join(dir, 'small', 'selfie-0.jpg'), path.join(dir, 'tiny-a.jpg'));
    renameSync(path.join(dir, 'small', 'selfie-1.jpg'), path.join(dir, 'tiny-b.jpg'));
    writeFileSync(path.join(dir, 'broken.jpg'), 'not a jpeg');
    const lib = tmpDir();
    const args = [
      'train',
      '--images',
      dir,
      '--name',
      'flagged',
      '--trigger',
      'SSLFQX',
      '--set',
      'steps=20',
      '--library',
      lib,
      '--json',
    ];
    const r = await runCliAgainst(s, args, FALLBACK);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Only 8 of your photos can be used for training, and it needs at least 10/);
    expect(r.stderr).toMatch(/tiny-a\.jpg: .*300 × 375 pixels; training needs at least 512/);
    expect(r.stderr).toMatch(/broken\.jpg: /);
    expect(r.stdout).toBe('');
    expect(s.stats().uploads).toBe(0);
    const f = await runCliAgainst(s, [...args, '--include-flagged'], FALLBACK);
    expect(f.code).toBe(0);
    expect(JSON.parse(f.stdout).files).toHaveLength(10); // the two small ones too, not the broken one
  });

  it('bad arguments: exit 2 and what is missing', async () => {
    const s = await sim();
    const r = await runCliAgainst(s, ['train', '--images', tmpDir()], FALLBACK);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/train needs --name, --trigger/);
    const t = await runCliAgainst(
      s,
      ['train', '--images', '/no/such/dir', '--name', 'x', '--trigger', 'SSLFQX'],
      FALLBACK,
    );
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/no such folder/);
  });

  it('a trainer failure: exit 1, the sentence on stderr, status failed in the JSON', async () => {
    const s = await sim({ faults: [parseFaultSpec('trainings.create:trainer:read-only-fs')] });
    const dir = tmpDir('sseelfie-cli-photos-');
    await photos(10, 640, dir);
    const r = await runCliAgainst(
      s,
      [
        'train',
        '--images',
        dir,
        '--name',
        'faulty',
        '--trigger',
        'SSLFQX',
        '--set',
        'steps=20',
        '--library',
        tmpDir(),
        '--json',
      ],
      FALLBACK,
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed', error: { code: 'server' } });
    expect(r.stderr).toMatch(/temporary problem on its side.*Press Retry/);
  });
});

describe('cli resume (trainings)', () => {
  it('finishes a training a killed process left after its create, without a second training', async () => {
    const s = await sim({ faults: [parseFaultSpec('trainings.create:lost-response')] });
    const lib = tmpDir();
    const dying = trainingRig(s, { library: lib, service: { sleep: () => new Promise(() => {}) } });
    await dying.service.start({
      photos: (await photos(10)).map((file) => ({ file })),
      name: 'cli-resumed',
      triggerWord: 'SSLFQX',
      input: { steps: 30 },
    });
    for (let i = 0; i < 2000 && s.trainingStats().createCalls === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const r = await runCliAgainst(s, ['resume', '--library', lib, '--json']);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout.trim().split('\n')[0]!);
    expect(o.trainings).toEqual([
      expect.objectContaining({ status: 'succeeded', model: 'sim-user/cli-resumed', trainingId: s.trainings()[0]!.id }),
    ]);
    expect(s.trainingStats()).toMatchObject({ createCalls: 1, trainingsCreated: 1 });
    const again = await runCliAgainst(s, ['resume', '--library', lib]);
    expect(again.stdout).toBe('Nothing to resume.\n');
  });
});
