/**
 * Training-set check benchmark: checking 30 phone photos (12 MP) as `cli train --check` and the
 * app do it (ImagePipeline decode with JPEG shrink-on-load to 1024 px, sharpness and hash and
 * faces in the worker pool), and beside it, in the same run, the naive way to judge sharpness:
 * decode every photo at full resolution and take the Laplacian's variance over all 12 MP.
 * `benchTrainingCheck()` is wired into `npm run bench`; run alone with `npx tsx test/bench/training-check.ts`.
 *
 * Inputs are made at bench time from the real portraits of test/fixtures/faces (nothing big is
 * committed): each is enlarged to 3024 × 3931 (11.9 MP), as it is, mirrored or framed closer,
 * with sensor-like grain, JPEG q92 (about 3 MB, like a phone's). Enlarged 5 to 6 times, they are
 * softer at 1024 px than a real phone photo, so the check may call a few of them blurry; the
 * verdicts are counted for information, the figures are the times.
 */
import sharp from 'sharp';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImagePipeline } from '../../electron/services/images/image-pipeline';
import { AnalysisPool } from '../../electron/services/training/set-check/analysis-pool';
import { TrainingSetChecker } from '../../electron/services/training/set-check/set-checker';
import { sharpness, toGrey, wholeImageLaplacianVariance } from '../../electron/services/training/set-check/measures';
import { tsxWorker } from '../../electron/tsx-worker';
import { jpeg, portrait, PORTRAITS } from '../fixtures/faces/real-photos';
import { round, type Row } from './table';

const PHOTOS = 30;
const NAIVE_PHOTOS = 6;
const W = 3024;
const H = 3931;

/** Portrait i % 10, as it is (i < 10), mirrored (10–19) or framed closer (20–29): 30 different pictures. */
async function phonePhoto(i: number): Promise<Buffer> {
  const variant = Math.floor(i / PORTRAITS) % 3;
  let src = sharp(await jpeg(await portrait(i % PORTRAITS)));
  if (variant === 2) src = sharp(await src.extract({ left: 60, top: 40, width: 480, height: 624 }).toBuffer());
  let img = src.resize(W, H, { kernel: 'lanczos3' });
  if (variant === 1) img = img.flop();
  const raw = await img.raw().toBuffer();
  // sensor grain, different in every photo, so no two files are alike byte for byte
  let seed = 0x9e3779b9 ^ i;
  for (let k = 0; k < raw.length; k++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const v = raw[k]! + ((seed >>> 24) % 9) - 4;
    raw[k] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return sharp(raw, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

export async function benchTrainingCheck(): Promise<Row[]> {
  const rows: Row[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-set-check-'));
  const previous = { cache: sharp.cache(), threads: sharp.concurrency() };
  sharp.cache(false);
  sharp.concurrency(availableParallelism()); // as on macOS and Windows
  const pool = new AnalysisPool(
    tsxWorker(new URL('../../electron/services/training/set-check/analysis-worker.ts', import.meta.url)),
    { timeoutMs: 180_000 },
  );
  try {
    const files: string[] = [];
    for (let i = 0; i < PHOTOS; i++) {
      const f = path.join(dir, `IMG_${1000 + i}.jpg`);
      writeFileSync(f, await phonePhoto(i));
      files.push(f);
    }
    const checker = new TrainingSetChecker(new ImagePipeline(), pool);

    // the first photo of a session starts the workers and loads the face model in each
    let t0 = performance.now();
    await Promise.all(files.slice(0, pool.size).map((f) => checker.check([f])));
    const start = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const report = await checker.check(files);
    const seconds = (performance.now() - t0) / 1000;
    const leftOut = new Map<string, number>();
    for (const im of report.images)
      for (const p of im.problems) if (!im.ok) leftOut.set(p.code, (leftOut.get(p.code) ?? 0) + 1);
    rows.push({
      name: `training check: ${PHOTOS} phone photos (12 MP JPEG) over ${pool.size} worker threads`,
      value: round(seconds, 1),
      unit: 's',
      target: '< 20',
      pass: seconds < 20,
    });
    rows.push({
      name: 'training check: photos per second',
      value: round(PHOTOS / seconds, 2),
      unit: 'photos/s',
      target: 'info',
      pass: true,
    });
    rows.push({
      name: 'training check: first photo of a session (workers start, face model loads)',
      value: round(start, 1),
      unit: 's',
      target: 'info',
      pass: true,
    });
    const why = [...leftOut].map(([code, n]) => `${n} ${code}`).join(', ') || 'none';
    rows.push({
      name: `training check: photos the check left out (${why})`,
      value: report.images.filter((im) => !im.ok).length,
      unit: '',
      target: 'info',
      pass: true,
    });

    // sharpness alone: our way (shrink-on-load to 1024, tiles) vs the naive full-resolution variance
    const pipeline = new ImagePipeline();
    const sample = files.slice(0, NAIVE_PHOTOS);
    t0 = performance.now();
    for (const f of sample) {
      const img = await pipeline.decode({ name: path.basename(f), path: f });
      const { data, info } = await img
        .resize(1024, 1024, { fit: 'inside' })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      sharpness(toGrey({ width: info.width, height: info.height, data }), info.width, info.height);
    }
    const ours = (performance.now() - t0) / NAIVE_PHOTOS;
    t0 = performance.now();
    for (const f of sample) {
      const img = await pipeline.decode({ name: path.basename(f), path: f });
      const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
      wholeImageLaplacianVariance(toGrey({ width: info.width, height: info.height, data }), info.width, info.height);
    }
    const naive = (performance.now() - t0) / NAIVE_PHOTOS;
    rows.push({
      name: 'training check: sharpness of one 12 MP photo (decoded at 1024 px, 8×8 tiles)',
      value: round(ours),
      unit: 'ms',
      target: '< 150',
      pass: ours < 150,
    });
    rows.push({
      name: 'training check: naive: sharpness at full resolution (12 MP decode, whole-image Laplacian)',
      value: round(naive),
      unit: 'ms',
      target: 'baseline',
      pass: true,
    });
    rows.push({
      name: 'training check: sharpness speed-up over the naive way',
      value: round(naive / ours, 1),
      unit: '×',
      target: 'info',
      pass: true,
    });
  } finally {
    await pool.close();
    sharp.cache({
      memory: previous.cache.memory.max ?? 50,
      files: previous.cache.files.max,
      items: previous.cache.items.max,
    });
    sharp.concurrency(previous.threads);
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await benchTrainingCheck())
    console.log(`${r.name}: ${r.value} ${r.unit} (target ${r.target}) ${r.pass ? 'ok' : 'MISSED'}`);
}
