/** The HEIC workers as the app runs them: bundled like vite.config.ts does, in real worker threads. */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHeicWorkerDecoder,
  type HeicWorkerDecoder,
} from '../../../../electron/services/images/heic-worker-decoder';
import { ImagePipeline } from '../../../../electron/services/images/image-pipeline';
import { openHeic } from '../../../../electron/services/images/heic';
import { Worker } from 'node:worker_threads';
import { libheifReference, makeGridHeic } from '../../../fixtures/heic-grid';
import {
  heicTransformStatus,
  onHeicTransformStatus,
  type HeicTransformStatus,
} from '../../../../electron/services/images/libheif-loader';

const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures');
// inside the repo so the bundle's `libheif-js` require resolves from node_modules, as in the app
const OUT = path.resolve('node_modules/.cache/sseelfie-test');
let workerUrl: URL;
let decoder: HeicWorkerDecoder;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const outfile = path.join(OUT, 'heic-worker.mjs');
  await build({
    entryPoints: ['electron/services/images/heic-worker.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['libheif-js'],
    outfile,
    logLevel: 'silent',
  });
  workerUrl = pathToFileURL(outfile);
  decoder = createHeicWorkerDecoder(workerUrl);
});
afterAll(() => decoder.close());

describe('HEIC decoding in a worker thread', () => {
  it('decodes in the worker exactly as in the calling thread', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, 'selfie.heic')));
    const r = await decoder(bytes);
    expect(r).not.toBeNull();
    const inline = await new ImagePipeline().prepareForModel({ name: 'selfie.heic', bytes });
    const viaWorker = await new ImagePipeline({ heicDecoder: decoder }).prepareForModel({ name: 'selfie.heic', bytes });
    expect([viaWorker.width, viaWorker.height]).toEqual([inline.width, inline.height]);
    expect(viaWorker.sha256).toBe(inline.sha256);
  });

  it('tells main which inverse transform it decodes with (the fast one here)', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, 'selfie.heic')));
    expect(await decoder(bytes)).not.toBeNull();
    expect(await heicTransformStatus()).toMatchObject({ transform: 'fast', cause: 'fast' });
  });

  it('with SSEELFIE_STOCK_HEIC=1 a worker decodes with stock libheif, says so, and gives the same pixels', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, 'selfie.heic')));
    const heard: HeicTransformStatus[] = [];
    const stop = onHeicTransformStatus((s) => heard.push(s));
    // the switch as the app would inherit it; only this worker's environment has it
    const stock = createHeicWorkerDecoder(
      () => new Worker(workerUrl, { env: { ...process.env, SSEELFIE_STOCK_HEIC: '1' } }),
      { workers: 1 },
    );
    try {
      const r = await stock(bytes);
      expect(r).not.toBeNull();
      const stockStatus = { transform: 'stock', cause: 'env', reason: 'SSEELFIE_STOCK_HEIC=1 is set' };
      expect(await heicTransformStatus()).toEqual(stockStatus);
      expect(heard.at(-1)).toEqual(stockStatus);
      const fast = await decoder(bytes);
      expect(await heicTransformStatus()).toMatchObject({ transform: 'fast' });
      expect(Buffer.compare(Buffer.from(r!.data), Buffer.from(fast!.data))).toBe(0);
    } finally {
      stop();
      await stock.close();
    }
  });

  it('answers null for a damaged file, and the pipeline still reports it by name', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, 'selfie.heic'))).slice(0, 400);
    expect(await decoder(bytes)).toBeNull();
    await expect(
      new ImagePipeline({ heicDecoder: decoder }).prepareForModel({ name: 'cut.heic', bytes }),
    ).rejects.toMatchObject({ message: expect.stringContaining('cut.heic') });
  });

  it('falls back (null) when the worker file is missing, without throwing', async () => {
    const missing = createHeicWorkerDecoder(pathToFileURL(path.join(OUT, 'nope.mjs')));
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, 'selfie.heic')));
    expect(await missing(bytes)).toBeNull();
    const p = await new ImagePipeline({ heicDecoder: missing }).prepareForModel({ name: 'selfie.heic', bytes });
    expect(p.width % 16).toBe(0);
    await missing.close();
  });
});

describe('HEIC tiles decoded across a pool of workers', () => {
  it('a phone-style grid split over 3 workers is exactly the one-thread decode, and prepares the same upload', async () => {
    const W = 900;
    const H = 1100;
    const raw = new Uint8Array(W * H * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 7 + (i >> 12)) % 251;
    const grid = await makeGridHeic(raw, W, H, { tile: 256, quality: 60, irot: 1 });
    expect(grid, 'heif-enc is missing: apt-get install -y libheif-examples').not.toBeNull();
    const bytes = new Uint8Array(grid!);
    const pool = createHeicWorkerDecoder(workerUrl, { workers: 3 });
    try {
      expect(pool.size).toBe(3);
      // a worker reads the layout, so the main process need not load libheif at all
      const layout = { width: H, height: W, tileRows: 4 };
      expect(await pool.probe(bytes)).toEqual(layout);
      expect(await pool.probe(bytes.slice(0, 200))).toBeNull();
      const r = await pool(bytes, layout);
      expect(r).not.toBeNull();
      const ref = libheifReference(bytes);
      expect([r!.width, r!.height, r!.channels]).toEqual([ref.width, ref.height, 3]);
      expect(Buffer.compare(Buffer.from(r!.data), Buffer.from(ref.data))).toBe(0);
      // a wrong layout (what the pipeline parsed does not match the bands) is declined, not stitched
      expect(await pool(bytes, { ...layout, height: W + 1 })).toBeNull();
      const viaPool = await new ImagePipeline({ heicDecoder: pool }).prepareForModel({ name: 'IMG_0002.HEIC', bytes });
      const inline = await new ImagePipeline().prepareForModel({ name: 'IMG_0002.HEIC', bytes });
      expect(viaPool.sha256).toBe(inline.sha256);
    } finally {
      await pool.close();
    }
  });

  it('a worker that dies mid-photo makes the pool answer null (the pipeline then decodes in its own thread)', async () => {
    let started = 0;
    const flaky = createHeicWorkerDecoder(
      () => {
        started++;
        // the second worker exits as soon as it starts
        return started === 2 ? new Worker('process.exit(3)', { eval: true }) : new Worker(workerUrl);
      },
      { workers: 2 },
    );
    try {
      const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, 'selfie.heic')));
      const o = await openHeic(bytes);
      o.dispose();
      // a one-tile image only needs one worker: fine
      expect(await flaky(bytes, { width: o.width, height: o.height, tileRows: 1 })).not.toBeNull();
      // two bands: the dead worker's band never comes
      expect(await flaky(bytes, { width: o.width, height: o.height, tileRows: 2 })).toBeNull();
      const p = await new ImagePipeline({ heicDecoder: flaky }).prepareForModel({ name: 'selfie.heic', bytes });
      expect([p.sourceWidth, p.sourceHeight]).toEqual([600, 800]);
    } finally {
      await flaky.close();
    }
  });
});
