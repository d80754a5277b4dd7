/**
 * The export's crop on the face, with the training check's real face detector in real worker
 * threads (the bundled set-check worker) and real photos of people (test/fixtures/faces: derived
 * from the demo photos of @vladmandic/face-api): a face off to one side of a wide photo is inside
 * the square crop, a photo with nobody in it is cut in the middle, and one pool serves both.
 */
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { runCli } from '../../../../electron/cli-core';
import { DetectorFaceLocator, squares } from '../../../../electron/services/export/detector-face-locator';
import { ExportService } from '../../../../electron/services/export/export-service';
import { planExport } from '../../../../electron/services/export/sizes';
import type { Library } from '../../../../electron/services/library/library';
import { AnalysisPool } from '../../../../electron/services/training/set-check/analysis-pool';
import { noFacePhoto, portrait } from '../../../fixtures/faces/real-photos';
import { buildSetCheckWorker } from '../training/set-check/worker-build';
import { makeLibrary, tmpDir } from './helpers';

const FACE_RUN = '20261203-100000-face01';
const EMPTY_RUN = '20261203-100000-none01';
// portrait 0 (600 × 780, the face in the middle of it) with 900 px of its own edge colour added on the
// right: a 1500 × 780 photo whose face is at about a fifth of the width
const WIDE = { width: 1500, height: 780 };
const NOFACE = { width: 1920, height: 547 };

let pool: AnalysisPool;
let workerUrl: URL;
let library: Library;
let libraryRoot: string;
let wide: Buffer;

beforeAll(async () => {
  workerUrl = await buildSetCheckWorker();
  pool = new AnalysisPool(workerUrl, { workers: 1, timeoutMs: 180_000 });
  const made = await makeLibrary([
    { id: FACE_RUN, ...WIDE, format: 'jpg' },
    { id: EMPTY_RUN, ...NOFACE, format: 'jpg' },
  ]);
  library = made.library;
  libraryRoot = made.root;
  const raw = await (await portrait(0)).png().toBuffer();
  wide = await sharp(raw)
    .extend({ right: WIDE.width - 600, extendWith: 'copy' })
    .jpeg({ quality: 92 })
    .toBuffer();
  writeFileSync(path.join(library.runDir(FACE_RUN), '1.jpg'), wide);
  writeFileSync(path.join(library.runDir(EMPTY_RUN), '1.jpg'), await noFacePhoto());
}, 240_000);
afterAll(() => pool.close());

const inside = (
  face: { left: number; top: number; width: number; height: number },
  crop: { left: number; top: number; width: number; height: number },
  W: number,
  H: number,
) =>
  face.left * W >= crop.left &&
  (face.left + face.width) * W <= crop.left + crop.width &&
  face.top * H >= crop.top &&
  (face.top + face.height) * H <= crop.top + crop.height;

describe('DetectorFaceLocator on real photos', () => {
  it('finds the face off to the left of a wide photo, and the square crop keeps it where the centred one cuts it off', async () => {
    const locator = new DetectorFaceLocator(() => pool);
    const faces = await locator.locate({ bytes: wide, ...WIDE });
    expect(faces).toHaveLength(1);
    const f = faces[0]!;
    expect(f.score).toBeGreaterThan(0.5);
    // the face is in the portrait's part, the left 600 px, not in the middle of the photo
    expect(f.left * WIDE.width).toBeGreaterThan(150);
    expect((f.left + f.width) * WIDE.width).toBeLessThan(450);
    const centred = planExport(WIDE.width, WIDE.height, 'square');
    expect(inside(f, centred.crop, WIDE.width, WIDE.height)).toBe(false);
    const onFace = planExport(WIDE.width, WIDE.height, 'square', undefined, faces);
    expect(inside(f, onFace.crop, WIDE.width, WIDE.height)).toBe(true);
    const banner = planExport(WIDE.width, WIDE.height, 'linkedin-banner', undefined, faces);
    // a 1500 × 375 band: the face's middle is in it
    const mid = (f.top + f.height / 2) * WIDE.height;
    expect(mid).toBeGreaterThan(banner.crop.top);
    expect(mid).toBeLessThan(banner.crop.top + banner.crop.height);
  });

  it('a face the whole 16:9 photo hides from the detector is found in its squares', async () => {
    // portrait 0 at 591 × 768 on a 1344 × 768 photo: the detector, squaring and shrinking the whole
    // photo to 512 px, scores it below any threshold; the left square finds it
    const h = 768;
    const w = Math.round((600 * h) / 780);
    const person = await (await portrait(0)).resize(w, h).png().toBuffer();
    const bytes = await sharp(person)
      .extend({ right: 1344 - w, extendWith: 'copy' })
      .png()
      .toBuffer();
    const detect = vi.spyOn(pool, 'detectFaces');
    onTestFinished(() => detect.mockRestore());
    const faces = await new DetectorFaceLocator(() => pool).locate({ bytes, width: 1344, height: h });
    expect(detect).toHaveBeenCalledTimes(3); // the whole photo, then its two squares
    expect(faces).toHaveLength(1);
    expect(faces[0]!.left * 1344).toBeGreaterThan(w * 0.25);
    expect((faces[0]!.left + faces[0]!.width) * 1344).toBeLessThan(w * 0.75);
    expect(squares(1344, 768)).toEqual([
      { left: 0, top: 0, width: 768, height: 768 },
      { left: 576, top: 0, width: 768, height: 768 },
    ]);
    expect(squares(500, 1600).map((r) => r.top)).toEqual([0, 367, 733, 1100]);
  });

  it('finds no face in a photo with nobody in it', async () => {
    const locator = new DetectorFaceLocator(() => pool);
    expect(await locator.locate({ bytes: await noFacePhoto(), ...NOFACE })).toEqual([]);
  });

  it('photos located one after another keep to one worker of the pool: the model is loaded once', async () => {
    let started = 0;
    const counted = new AnalysisPool(
      () => {
        started++;
        return new Worker(workerUrl);
      },
      { workers: 2, timeoutMs: 180_000 },
    );
    onTestFinished(() => counted.close());
    const locator = new DetectorFaceLocator(() => counted);
    for (let i = 0; i < 3; i++) expect(await locator.locate({ bytes: wide, ...WIDE })).toHaveLength(1);
    expect(started).toBe(1);
  });

  it('a locator without a pool (no worker in this process) finds nothing and starts nothing', async () => {
    expect(await new DetectorFaceLocator(() => null).locate({ bytes: wide, ...WIDE })).toEqual([]);
  });
});

describe('ExportService with the real face locator', () => {
  it('exports the square around the face by default, once per photo for the preview and the export, and the centre without a face', async () => {
    const detect = vi.spyOn(pool, 'detectFaces');
    onTestFinished(() => detect.mockRestore());
    const service = new ExportService({ library: () => library, faces: new DetectorFaceLocator(() => pool) });
    const face = await service.face(FACE_RUN, 0);
    expect(face).not.toBeNull();
    const folder = tmpDir('sseelfie-face-out-');
    const r = await service.export({
      items: [
        { runId: FACE_RUN, index: 0 },
        { runId: EMPTY_RUN, index: 0 },
      ],
      folder,
      format: 'png',
      quality: 90,
      size: 'square',
      stripMetadata: true,
    });
    // the preview's face() and the export asked the detector once for the face photo; the empty
    // panorama (1920 × 547) was looked at whole and in its four squares, once too
    expect(detect).toHaveBeenCalledTimes(1 + 1 + 4);
    const [faced, empty] = r.files;
    expect([faced!.width, faced!.height]).toEqual([780, 780]);
    // the exported pixels are the face-centred crop's: compare with that crop cut from the photo
    const plan = planExport(WIDE.width, WIDE.height, 'square', undefined, [face!]);
    expect(inside(face!, plan.crop, WIDE.width, WIDE.height)).toBe(true);
    expect(await meanDiff(faced!.path, wide, plan.crop)).toBeLessThan(4);
    const centre = planExport(WIDE.width, WIDE.height, 'square').crop;
    expect(await meanDiff(faced!.path, wide, centre)).toBeGreaterThan(10);
    // nobody in it: the middle of the photo
    expect([empty!.width, empty!.height]).toEqual([547, 547]);
    expect(planExport(NOFACE.width, NOFACE.height, 'square').crop.left).toBe(Math.round((1920 - 547) / 2));
    expect(
      await meanDiff(empty!.path, await noFacePhoto(), planExport(NOFACE.width, NOFACE.height, 'square').crop),
    ).toBeLessThan(4);
    expect(await service.face(EMPTY_RUN, 0)).toBeNull();
  });

  it('the person’s own crop is never second-guessed: no detection at all', async () => {
    const detect = vi.spyOn(pool, 'detectFaces');
    onTestFinished(() => detect.mockRestore());
    const service = new ExportService({ library: () => library, faces: new DetectorFaceLocator(() => pool) });
    await service.render(FACE_RUN, 0, {
      format: 'jpg',
      quality: 80,
      size: 'hero',
      crop: { focus: { x: 0.9, y: 0.5 } },
      stripMetadata: true,
    });
    await service.render(FACE_RUN, 0, { format: 'jpg', quality: 80, size: 'web', stripMetadata: true });
    expect(detect).not.toHaveBeenCalled();
  });
});

describe('npm run cli -- export', () => {
  it('--size square centres the crop on the face too, with the same detector in its own worker', async () => {
    const to = tmpDir('sseelfie-face-cli-');
    const out: string[] = [];
    const err: string[] = [];
    const pools: AnalysisPool[] = [];
    const code = await runCli(
      [
        'export',
        '--to',
        to,
        '--run',
        FACE_RUN,
        '--size',
        'square',
        '--format',
        'png',
        '--library',
        libraryRoot,
        '--json',
      ],
      {
        stdout: (x) => out.push(x),
        stderr: (x) => err.push(x),
        isTTY: false,
        env: {},
        userDataDir: tmpDir('sseelfie-face-cli-ud-'),
        trainingCheck: {
          analysisPool: () => {
            const p = new AnalysisPool(workerUrl, { workers: 1, timeoutMs: 180_000 });
            pools.push(p);
            return p;
          },
        },
      },
    );
    // only the note that 780 px is less than the 1024 a profile photo asks; no failure of the locator
    expect(err.join('')).toMatch(/^warning: [^\n]*not enlarged\.\n$/);
    expect(code).toBe(0);
    expect(pools).toHaveLength(1); // started for the crop, and closed again by the command
    const file = (JSON.parse(out.join('')) as { files: string[] }).files[0]!;
    const faces = await new DetectorFaceLocator(() => pool).locate({ bytes: wide, ...WIDE });
    const onFace = planExport(WIDE.width, WIDE.height, 'square', undefined, faces).crop;
    expect(await meanDiff(file, wide, onFace)).toBeLessThan(4);
    expect(await meanDiff(file, wide, planExport(WIDE.width, WIDE.height, 'square').crop)).toBeGreaterThan(10);
  });
});

/** Mean absolute difference per channel between an exported file and `crop` cut from `source`, both at 64 × 64. */
async function meanDiff(
  exported: string,
  source: Buffer,
  crop: { left: number; top: number; width: number; height: number },
): Promise<number> {
  const small = (img: Sharp) => img.resize(64, 64, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const a = await small(sharp(exported));
  const b = await small(sharp(source).extract(crop));
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}
