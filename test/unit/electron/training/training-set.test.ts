/**
 * The training set a person gathers: photos stored as the import makes them, the local check's
 * verdicts on them (real photos, the real face model in worker threads), the person's choices,
 * and all of it surviving a restart (a new service on the same library).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImagePipeline } from '../../../../electron/services/images/image-pipeline';
import { AnalysisPool } from '../../../../electron/services/training/set-check/analysis-pool';
import { TrainingSetChecker } from '../../../../electron/services/training/set-check/set-checker';
import { TrainingSets, type TrainingSetCheckProgress } from '../../../../electron/services/training/training-set';
import { jpeg, noFacePhoto, portrait } from '../../../fixtures/faces/real-photos';
import { buildSetCheckWorker } from './set-check/worker-build';

const pipeline = new ImagePipeline();
let pool: AnalysisPool;
let root: string;
const roots: string[] = [];
const newRoot = (prefix: string) => {
  root = mkdtempSync(path.join(tmpdir(), prefix));
  roots.push(root);
};

beforeAll(async () => {
  pool = new AnalysisPool(await buildSetCheckWorker(), { workers: 1, timeoutMs: 180_000 });
});
afterAll(async () => {
  await pool.close();
});

function fresh(progress?: TrainingSetCheckProgress[]) {
  return new TrainingSets({
    root,
    images: pipeline,
    checker: () => new TrainingSetChecker(pipeline, pool),
    ...(progress ? { onProgress: (p: TrainingSetCheckProgress) => progress.push(p) } : {}),
  });
}
const file = async (name: string, bytes: Buffer | Promise<Buffer>) => ({ name, bytes: new Uint8Array(await bytes) });

describe('TrainingSets', () => {
  beforeAll(() => newRoot('training-set-'));
  afterAll(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  it('adds photos as upright JPEGs without metadata, reports bad files by name, adds the same file once', async () => {
    const sets = fresh();
    // a portrait whose EXIF says "rotate 90°" and carries a camera model: stored upright, stripped
    const rotated = await (
      await portrait(0)
    )
      .withMetadata({ orientation: 6, exif: { IFD0: { Model: 'Secret Phone' } } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const r = await sets.add([
      await file('IMG 0042.JPG', rotated),
      { name: 'notes.txt', bytes: new TextEncoder().encode('not a photo') },
      { name: 'huge.jpg', size: 200 * 1024 * 1024 },
      await file('again.jpg', rotated),
    ]);
    expect(r.added).toHaveLength(1);
    expect(r.alreadyIn).toEqual([{ name: 'again.jpg', as: 'IMG 0042.JPG' }]);
    expect(r.errors.map((e) => [e.name, e.code])).toEqual([
      ['notes.txt', 'unsupported_file'],
      ['huge.jpg', 'file_too_large'],
    ]);
    expect(r.errors[0]!.message).toContain('notes.txt');
    const [photo] = r.set.photos;
    expect(photo).toMatchObject({
      name: 'IMG 0042.JPG',
      file: 'IMG_0042.jpg',
      width: 780,
      height: 600,
      included: true,
      verdict: null,
    });
    expect(photo!.thumb.id).toBe(`thumbs/training-sets/${r.set.id}/IMG_0042.jpg`);
    const stored = readFileSync(path.join(root, 'training-sets', r.set.id, 'IMG_0042.jpg'));
    const meta = await sharp(stored).metadata();
    expect([meta.format, meta.width, meta.height, meta.orientation, meta.exif]).toEqual([
      'jpeg',
      780,
      600,
      undefined,
      undefined,
    ]);
    expect(stored.includes(Buffer.from('Secret Phone'))).toBe(false);
    expect(r.set.summary).toMatchObject({ included: 1, excluded: 0, unchecked: 1, ready: false });
    expect(r.set.summary.problems.map((p) => p.code)).toEqual(['too-few']);
  });

  it('checks the set: verdicts in words, a duplicate names the kept copy, the excluded ones are out', async () => {
    const progress: TrainingSetCheckProgress[] = [];
    const sets = fresh(progress);
    const original = await jpeg(await portrait(9));
    const r = await sets.add([
      await file('good.jpg', jpeg(await portrait(4))),
      await file('big.jpg', Promise.resolve(original)),
      await file('small copy.jpg', sharp(original).resize(540).jpeg({ quality: 80 }).toBuffer()),
      await file(
        'blurry.jpg',
        sharp(await jpeg(await portrait(2)))
          .blur(2.5)
          .jpeg({ quality: 90 })
          .toBuffer(),
      ),
      await file('nobody.jpg', noFacePhoto()),
    ]);
    expect(r.errors).toEqual([]);
    const checked = await sets.check();
    const by = Object.fromEntries(checked.photos.map((p) => [p.file, p]));
    const codes = (f: string) => by[f]!.verdict!.problems.map((p) => p.code);
    expect(codes('IMG_0042.jpg')).toEqual(['low-resolution']);
    expect(codes('big.jpg')).toEqual(['low-resolution']);
    expect(codes('small_copy.jpg')).toEqual(['low-resolution', 'duplicate']);
    expect(codes('blurry.jpg')).toEqual(['low-resolution', 'blurry']);
    expect(codes('nobody.jpg')).toContain('no-face');
    const dup = by['small_copy.jpg']!.verdict!.problems.find((p) => p.code === 'duplicate')!;
    expect(dup.of).toBe(by['big.jpg']!.id);
    expect(dup.message).toContain('"big.jpg"');
    expect(by['blurry.jpg']!.verdict!.problems[1]!.message).toMatch(/^Blurry:/);
    expect(checked.photos.map((p) => [p.file, p.included])).toEqual([
      ['IMG_0042.jpg', true],
      ['good.jpg', true],
      ['big.jpg', true],
      ['small_copy.jpg', false],
      ['blurry.jpg', false],
      ['nobody.jpg', false],
    ]);
    expect(checked.summary).toMatchObject({ included: 3, excluded: 3, unchecked: 0, ready: false });
    expect(checked.summary.problems[0]).toEqual({
      code: 'too-few',
      message: 'Only 3 usable photos. Training needs at least 10: add more photos of yourself.',
    });
    expect(progress[0]).toMatchObject({ done: 0, total: 6, loadingModel: true });
    expect(progress.at(-1)).toMatchObject({ done: 6, total: 6, loadingModel: false });
  });

  it('the person overrides the check, captions a photo, and a new service (a restart) finds it all', async () => {
    const sets = fresh();
    let view = await sets.get();
    const blurry = view.photos.find((p) => p.file === 'blurry.jpg')!;
    const good = view.photos.find((p) => p.file === 'good.jpg')!;
    await sets.setIncluded(blurry.id, true);
    await sets.setIncluded(good.id, false);
    view = await sets.setCaption(good.id, '  a photo of me   at the beach ');
    expect(view.photos.find((p) => p.id === blurry.id)).toMatchObject({ included: true, overridden: true });
    expect(view.summary).toMatchObject({ included: 3, excluded: 3 });

    const after = await fresh().get();
    expect(after.id).toBe(view.id);
    expect(after.photos.find((p) => p.id === good.id)).toMatchObject({
      included: false,
      overridden: true,
      caption: 'a photo of me at the beach',
    });
    expect(after.photos.find((p) => p.id === blurry.id)!.verdict!.problems.map((p) => p.code)).toContain('blurry');
    const forTraining = await fresh().trainingPhotos(view.id);
    expect(forTraining.photos.map((p) => p.file)).toEqual(['IMG_0042.jpg', 'big.jpg', 'blurry.jpg']);

    // back to what the check says: no longer a choice against it
    view = await sets.setIncluded(blurry.id, false);
    expect(view.photos.find((p) => p.id === blurry.id)).toMatchObject({ included: false, overridden: false });
  });

  it('removing the kept copy un-checks its duplicate; bad requests change nothing', async () => {
    const sets = fresh();
    const before = await sets.get();
    const big = before.photos.find((p) => p.file === 'big.jpg')!;
    const view = await sets.remove(big.id);
    expect(view.photos.map((p) => p.file)).not.toContain('big.jpg');
    expect(readdirSync(path.join(root, 'training-sets', view.id))).not.toContain('big.jpg');
    expect(view.photos.find((p) => p.file === 'small_copy.jpg')).toMatchObject({ verdict: null, included: true });
    await expect(sets.setIncluded('p_doesnotexist', true)).rejects.toMatchObject({ code: 'not_found' });
    await expect(sets.setCaption(view.photos[0]!.id, 'x'.repeat(1001))).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(await sets.get()).toEqual(view);
  });

  it('a canceled check leaves the earlier verdicts; an empty set says to add photos first', async () => {
    const sets = fresh();
    const p = sets.check();
    sets.cancel();
    await expect(p).rejects.toMatchObject({ code: 'canceled' });
    const view = await sets.get();
    expect(view.photos.find((x) => x.file === 'blurry.jpg')!.verdict).not.toBeNull();

    newRoot('training-set-empty-');
    await expect(fresh().check()).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('Add photos of yourself first'),
    });
    const none = new TrainingSets({ root, images: pipeline, checker: () => null });
    await none.add([await file('a.jpg', jpeg(await portrait(1)))]);
    await expect(none.check()).rejects.toMatchObject({ code: 'internal' });
  });
});
