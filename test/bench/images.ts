/**
 * Image pipeline benchmark: preparing 12 MP photos for the model, and what it saves on upload.
 * `benchImages()` is wired into `npm run bench`; run alone with `npx tsx test/bench/images.ts`.
 *
 * Inputs are made in memory at bench time (nothing big is committed):
 * - "photo-like": smooth shapes plus sensor-like grain, JPEG q95 (~6 MB; phones write 3-5 MB at 12 MP):
 *   the figure held to the target.
 * - "noise": 4032×3024 gaussian noise everywhere, JPEG q90 (~7 MB): no photo looks like this; it is
 *   the worst case for the JPEG decoder, whose entropy decoding alone is ~110 ms of it here. Shown
 *   for information, so a slower decoder path cannot hide.
 * - HEIC as phones write it: the photo-like image as an iPhone-style grid of 48 tiles of 512×512
 *   (test/fixtures/heic-grid.ts, tiles encoded by `heif-enc`), prepared as the app does (tiles
 *   decoded across the worker pool, libheif with the fast inverse transform); beside it, in the same
 *   run, the same file prepared in one thread, and the way heic-decode does it (stock libheif, one
 *   RGBA decode) with the same resize, as the peer.
 * - HEIC as one HEVC picture (what `heif-enc` writes; no phone does): it cannot be split.
 * Each figure is the median of several runs after a warm-up, with sharp's operation cache off (every
 * photo a person picks is new, so nothing would be cached in the app either), and sharp using every
 * core as it does on macOS and Windows (on glibc Linux it defaults to one thread).
 */
import sharp from 'sharp';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { ImagePipeline } from '../../electron/services/images/image-pipeline';
import { createHeicWorkerDecoder } from '../../electron/services/images/heic-worker-decoder';
import { tsxWorker } from '../../electron/tsx-worker';
import { makeGridHeic } from '../fixtures/heic-grid';
import { createRequire } from 'node:module';

export type { Row as BenchRow } from './table';
import type { Row as BenchRow } from './table';

const W = 4032;
const H = 3024;

async function noiseJpeg(): Promise<Buffer> {
  return sharp({
    create: {
      width: W,
      height: H,
      channels: 3,
      background: '#000000',
      noise: { type: 'gaussian', mean: 128, sigma: 30 },
    },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function photoLikeRaw(): Promise<Buffer> {
  // large smooth structures (upscaled low-resolution noise) + fine grain, like a phone photo
  const base = await sharp({
    create: {
      width: W / 8,
      height: H / 8,
      channels: 3,
      background: '#000000',
      noise: { type: 'gaussian', mean: 128, sigma: 50 },
    },
  })
    .resize(W, H, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const grain = await sharp({
    create: {
      width: W,
      height: H,
      channels: 3,
      background: '#000000',
      noise: { type: 'gaussian', mean: 128, sigma: 6 },
    },
  })
    .raw()
    .toBuffer();
  for (let i = 0; i < base.length; i++) {
    const v = base[i]! + grain[i]! - 128;
    base[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return base;
}

async function photoLikeJpeg(raw: Buffer): Promise<Buffer> {
  return sharp(raw, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

function heifEncAvailable(): boolean {
  try {
    execFileSync('heif-enc', ['--help'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // heif-enc --help exits non-zero on some versions; ENOENT means it is missing
    return (e as { code?: string }).code !== 'ENOENT';
  }
}

function toHeic(jpeg: Buffer): Buffer | null {
  if (!heifEncAvailable()) return null;
  const dir = mkdtempSync(path.join(tmpdir(), 'sseelfie-bench-'));
  try {
    writeFileSync(path.join(dir, 'in.jpg'), jpeg);
    execFileSync(
      'heif-enc',
      ['-q', '50', '-p', 'preset=fast', '-o', path.join(dir, 'out.heic'), path.join(dir, 'in.jpg')],
      { stdio: 'ignore' },
    );
    return readFileSync(path.join(dir, 'out.heic'));
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The peer: what heic-decode does (stock libheif-js, the whole image as RGBA in one thread), then
 * the same fit into 1440 as JPEG.
 */
async function heicDecodeWay(bytes: Uint8Array): Promise<Buffer> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const libheif: any = createRequire(import.meta.url)('libheif-js/wasm-bundle');
  const decoder = new libheif.HeifDecoder();
  const [image] = decoder.decode(bytes);
  const width: number = image.get_width();
  const height: number = image.get_height();
  const rgba = await new Promise<Uint8ClampedArray>((resolve, reject) =>
    image.display(
      { data: new Uint8ClampedArray(width * height * 4), width, height },
      (d: { data: Uint8ClampedArray } | null) => (d ? resolve(d.data) : reject(new Error('HEIF processing error'))),
    ),
  );
  image.free();
  decoder.decoder.delete();
  return sharp(Buffer.from(rgba.buffer), { raw: { width, height, channels: 4 } })
    .removeAlpha()
    .resize(1440, 1440, { fit: 'inside' })
    .jpeg({ quality: 92 })
    .toBuffer();
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up (module loading, WASM compile)
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  return times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export async function benchImages(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const pipeline = new ImagePipeline();
  const previous = { cache: sharp.cache(), threads: sharp.concurrency() };
  sharp.cache(false);
  sharp.concurrency(availableParallelism());
  const heicDecoder = createHeicWorkerDecoder(
    tsxWorker(new URL('../../electron/services/images/heic-worker.ts', import.meta.url)),
  );
  try {
    const photo = await photoLikeRaw();
    const inputs = [
      { label: 'noise', bytes: await noiseJpeg() },
      { label: 'photo-like', bytes: await photoLikeJpeg(photo) },
    ];
    for (const { label, bytes } of inputs) {
      const input = { name: `IMG_${label}.jpg`, bytes };
      const ms = await median(7, () => pipeline.prepareForModel(input));
      const prepared = await pipeline.prepareForModel(input);
      const pct = (prepared.bytes.byteLength / bytes.byteLength) * 100;
      const mb = round(bytes.byteLength / 1e6, 1);
      if (label === 'noise')
        rows.push({
          name: `images: prepare a 12 MP JPEG of pure noise (${mb} MB; decoder worst case, no photo is like this)`,
          value: round(ms),
          unit: 'ms',
          target: 'info',
          pass: true,
        });
      else
        rows.push({
          name: `images: prepare 12 MP JPEG (${label}, ${mb} MB) for the model`,
          value: round(ms),
          unit: 'ms',
          target: '< 150',
          pass: ms < 150,
        });
      rows.push({
        name: `images: prepared upload (${prepared.width}×${prepared.height} JPEG) as % of the 12 MP ${label} JPEG`,
        value: round(pct),
        unit: '%',
        target: '< 15',
        pass: pct < 15,
      });
      if (label === 'noise') {
        // naive ways, same run, for comparison
        rows.push({
          name: 'images: naive: upload the 12 MP JPEG unchanged (% of its size)',
          value: 100,
          unit: '%',
          target: 'baseline',
          pass: true,
        });
        let naivePng = 0;
        const naiveMs = await median(3, async () => {
          const out = await sharp(bytes).rotate().resize(1440, 1440, { fit: 'inside' }).png().toBuffer();
          naivePng = out.byteLength;
        });
        rows.push({
          name: 'images: naive: rotate + resize 1440 + PNG (ms)',
          value: round(naiveMs),
          unit: 'ms',
          target: 'baseline',
          pass: true,
        });
        rows.push({
          name: 'images: naive: rotate + resize 1440 + PNG (% of the 12 MP JPEG)',
          value: round((naivePng / bytes.byteLength) * 100),
          unit: '%',
          target: 'baseline',
          pass: true,
        });
      }
    }

    const missing = 'skipped: heif-enc not installed; apt-get install -y libheif-examples';
    const grid = await makeGridHeic(photo, W, H, { tile: 512 });
    if (grid) {
      const input = { name: 'IMG_0001.HEIC', bytes: new Uint8Array(grid) };
      const app = new ImagePipeline({ heicDecoder });
      const t0 = performance.now();
      await app.prepareForModel(input); // the first one starts the workers and compiles libheif in each
      const cold = performance.now() - t0;
      const ms = await median(5, () => app.prepareForModel(input));
      const oneThread = await median(3, () => pipeline.prepareForModel(input));
      const peer = await median(3, () => heicDecodeWay(input.bytes));
      const mb = round(grid.byteLength / 1e6, 1);
      rows.push({
        name: `images: prepare 12 MP HEIC (iPhone-style 8×6 grid of 512 px tiles, ${mb} MB), tiles over ${heicDecoder.size} worker threads`,
        value: round(ms),
        unit: 'ms',
        target: '< 1000',
        pass: ms < 1000,
      });
      rows.push({
        name: 'images: the same HEIC prepared in one thread (fast inverse transform, no workers)',
        value: round(oneThread),
        unit: 'ms',
        target: 'info',
        pass: true,
      });
      rows.push({
        name: 'images: peer: the same HEIC the way heic-decode does it (stock libheif, one RGBA decode, one thread) + the same resize',
        value: round(peer),
        unit: 'ms',
        target: 'baseline',
        pass: true,
      });
      rows.push({
        name: 'images: HEIC speed-up over the peer',
        value: round(peer / ms, 2),
        unit: '×',
        target: 'info',
        pass: true,
      });
      rows.push({
        name: 'images: the same HEIC as the first of a session (workers start, libheif compiles)',
        value: round(cold),
        unit: 'ms',
        target: 'info',
        pass: true,
      });
    } else {
      rows.push({
        name: `images: prepare 12 MP HEIC (${missing})`,
        value: 0,
        unit: 'ms',
        target: '< 1000',
        pass: false,
      });
    }
    const single = toHeic(inputs[1]!.bytes);
    if (single) {
      const input = { name: 'IMG_0002.HEIC', bytes: single };
      const ms = await median(3, () => new ImagePipeline({ heicDecoder }).prepareForModel(input));
      rows.push({
        name: `images: prepare 12 MP HEIC written as one HEVC picture (${round(single.byteLength / 1e6, 1)} MB; no phone does this; cannot be split)`,
        value: round(ms),
        unit: 'ms',
        target: 'info',
        pass: true,
      });
    }
  } finally {
    await heicDecoder.close();
    sharp.concurrency(previous.threads);
    sharp.cache({
      memory: previous.cache.memory.max ?? 50,
      files: previous.cache.files.max,
      items: previous.cache.items.max,
    });
  }
  return rows;
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  for (const r of await benchImages())
    console.log(`${r.pass ? 'ok  ' : 'FAIL'} ${r.name}: ${r.value} ${r.unit} (target ${r.target})`);
}
