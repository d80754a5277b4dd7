/**
 * The training-set check on real photos (test/fixtures/faces/README.md), through the studio's
 * image pipeline and the face model in real worker threads, loaded once for this file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImagePipeline } from '../../../../../electron/services/images/image-pipeline';
import { AnalysisPool } from '../../../../../electron/services/training/set-check/analysis-pool';
import {
  TrainingSetChecker,
  type CheckProgress,
} from '../../../../../electron/services/training/set-check/set-checker';
import type { SetCheckReport } from '../../../../../electron/services/training/set-check/problems';
import { heifEncAvailable, makeGridHeic } from '../../../../fixtures/heic-grid';
import { jpeg, noFacePhoto, portrait, twoPeoplePhoto } from '../../../../fixtures/faces/real-photos';
import { buildSetCheckWorker } from './worker-build';

let pool: AnalysisPool;
let checker: TrainingSetChecker;
let dir: string;

beforeAll(async () => {
  pool = new AnalysisPool(await buildSetCheckWorker(), { workers: 2, timeoutMs: 120_000 });
  checker = new TrainingSetChecker(new ImagePipeline(), pool);
  dir = mkdtempSync(path.join(tmpdir(), 'set-check-'));
});
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

async function write(name: string, bytes: Buffer | Promise<Buffer>): Promise<string> {
  const file = path.join(dir, name);
  writeFileSync(file, await bytes);
  return file;
}
const byName = (r: SetCheckReport) => Object.fromEntries(r.images.map((im) => [path.basename(im.file), im]));
const codesOf = (r: SetCheckReport) =>
  Object.fromEntries(r.images.map((im) => [path.basename(im.file), im.problems.map((p) => p.code)]));

describe('TrainingSetChecker on real photos', () => {
  it('flags a blurry, a tiny, a duplicated, a face-less and a two-person photo, and passes the good ones', async () => {
    // the portraits are 600 × 780 real crops: usable, with the softer low-resolution note
    const good1 = await write('good-1.jpg', jpeg(await portrait(0)));
    const good2 = await write('good-2.jpg', jpeg(await portrait(4)));
    const original = await jpeg(await portrait(9));
    const kept = await write('same-large.jpg', Promise.resolve(original));
    const copy = await write('same-smaller.jpg', sharp(original).resize(540).jpeg({ quality: 80 }).toBuffer());
    const blurry = await write(
      'blurry.jpg',
      sharp(await jpeg(await portrait(2)))
        .blur(2.5)
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
    const tiny = await write(
      'tiny.jpg',
      sharp(await jpeg(await portrait(5)))
        .resize(400)
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
    const noFace = await write('no-face.jpg', noFacePhoto());
    const two = await write('two-people.jpg', twoPeoplePhoto());
    // a mirrored copy is another photo of the same person: not a duplicate
    const mirrored = await write(
      'good-1-mirrored.jpg',
      sharp(await jpeg(await portrait(0)))
        .flop()
        .jpeg({ quality: 90 })
        .toBuffer(),
    );

    const progress: CheckProgress[] = [];
    const files = [good1, good2, kept, copy, blurry, tiny, noFace, two, mirrored];
    const report = await checker.check(files, { onProgress: (p) => progress.push(p) });

    expect(report.images.map((im) => im.file)).toEqual(files);
    expect(codesOf(report)).toEqual({
      'good-1.jpg': ['low-resolution'],
      'good-2.jpg': ['low-resolution'],
      'same-large.jpg': ['low-resolution'],
      'same-smaller.jpg': ['low-resolution', 'duplicate'],
      'blurry.jpg': ['low-resolution', 'blurry'],
      'tiny.jpg': ['too-small'],
      'no-face.jpg': ['low-resolution', 'no-face'],
      'two-people.jpg': ['low-resolution', 'several-faces'],
      'good-1-mirrored.jpg': ['low-resolution'],
    });
    const v = byName(report);
    expect(
      Object.entries(v)
        .filter(([, im]) => im.ok)
        .map(([name]) => name),
    ).toEqual(['good-1.jpg', 'good-2.jpg', 'same-large.jpg', 'good-1-mirrored.jpg']);
    expect(v['same-smaller.jpg']!.problems[1]).toEqual({
      code: 'duplicate',
      message: 'Duplicate of "same-large.jpg" (the same picture); that copy is kept, this one is left out.',
      of: kept,
    });
    expect(v['two-people.jpg']!.problems[1]!.message).toMatch(/^2 faces found/);
    expect(v['tiny.jpg']!.problems[0]!.message).toContain('400 × 520 pixels');
    expect(report.set).toEqual({
      ok: false,
      problems: [{ code: 'too-few', message: expect.stringContaining('Only 4 usable photos') }],
    });
    // progress: one step per photo, ending at the total
    expect(progress.map((p) => p.done)).toEqual(files.map((_, i) => i + 1));
    expect(progress.every((p) => p.total === files.length)).toBe(true);
    expect(new Set(progress.map((p) => p.file))).toEqual(new Set(files));
  });

  it('HEIC and EXIF-rotated photos go through the same pipeline: upright, their face found, the same picture as the JPEG', async () => {
    const img = await portrait(3);
    const { data, info } = await img.clone().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const upright = await write('upright.jpg', jpeg(img.clone()));
    // stored on its side (rotated 90° anti-clockwise) with Orientation 6: shown upright only if the tag is applied
    const rotated = await write(
      'exif-6.jpg',
      sharp(await jpeg(img.clone()))
        .rotate(-90)
        .withMetadata({ orientation: 6 })
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
    expect((await sharp(rotated).metadata()).width).toBe(780);
    const files = [upright, rotated];
    if (heifEncAvailable()) {
      const heic = await makeGridHeic(new Uint8Array(data), info.width, info.height, { quality: 80 });
      files.push(await write('selfie.heic', Promise.resolve(heic!)));
    }
    expect(files.length, 'heif-enc (libheif-examples) is installed by .ci/run').toBe(3);
    // the same pixels on their side without the tag: what the checks would see if orientation were ignored
    const sideways = await write(
      'sideways.jpg',
      sharp(await jpeg(img.clone()))
        .rotate(-90)
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
    const all = await checker.check([...files, sideways]);
    expect(all.images.at(-1)!.problems.map((p) => p.code)).toEqual(['low-resolution', 'no-face']);
    const report = { ...all, images: all.images.slice(0, -1) };
    // one picture three times at one size: the sharpest copy is kept, the other two name it
    const kept = report.images.filter((im) => !im.problems.some((p) => p.code === 'duplicate'));
    expect(kept).toHaveLength(1);
    for (const im of report.images) {
      if (im === kept[0]) expect(im.problems.map((p) => p.code)).toEqual(['low-resolution']);
      else
        expect(im.problems.map((p) => [p.code, p.of])).toEqual([
          ['low-resolution', undefined],
          ['duplicate', kept[0]!.file],
        ]);
    }
    // the face was found in each
    expect(report.images.every((im) => !im.problems.some((p) => p.code === 'no-face'))).toBe(true);
    // displayed size, after orientation
    for (const im of report.images) expect(im.problems[0]!.message).toContain('600 × 780 pixels');
  });

  it('a file that is not a photo is unreadable, and the others are still checked', async () => {
    const text = await write('notes.jpg', Promise.resolve(Buffer.from('not a photo at all')));
    const empty = await write('empty.png', Promise.resolve(Buffer.alloc(0)));
    const good = await write('fine.jpg', jpeg(await portrait(1)));
    const report = await checker.check([text, empty, good]);
    expect(report.images.map((im) => [im.ok, im.problems[0]!.code])).toEqual([
      [false, 'unreadable'],
      [false, 'unreadable'],
      [true, 'low-resolution'],
    ]);
    expect(report.images[0]!.problems[0]!.message).toMatch(/^Can't be read: "notes.jpg" is a text file, not a photo/);
    expect(report.images[1]!.problems[0]!.message).toMatch(/^Can't be read: "empty.png" is empty/);
  });

  it('stops when canceled and says so', async () => {
    const files = await Promise.all([6, 7, 8].map(async (i) => write(`c-${i}.jpg`, jpeg(await portrait(i)))));
    const ac = new AbortController();
    const seen: number[] = [];
    const run = checker.check(files, {
      signal: ac.signal,
      onProgress: (p) => {
        seen.push(p.done);
        ac.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'canceled', message: 'The photo check was canceled.' });
    expect(seen.length).toBeLessThan(files.length);
  });
});
