/** The HEIC worker as the app runs it: bundled like vite.config.ts does, in a real worker thread. */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeicWorkerDecoder, type HeicWorkerDecoder } from '../../../../electron/services/images/heic-worker-decoder';
import { ImagePipeline } from '../../../../electron/services/images/image-pipeline';

const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures');
// inside the repo so the bundle's bare `heic-decode` import resolves from node_modules, as in the app
const OUT = path.resolve('node_modules/.cache/sseelfie-test');
let workerUrl: URL;
let decoder: HeicWorkerDecoder;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const outfile = path.join(OUT, 'heic-worker.mjs');
  await build({ entryPoints: ['electron/services/images/heic-worker.ts'], bundle: true, platform: 'node', format: 'esm', external: ['heic-decode'], outfile, logLevel: 'silent' });
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

  it('answers null for a damaged file, and the pipeline still reports it by name', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, 'selfie.heic'))).slice(0, 400);
    expect(await decoder(bytes)).toBeNull();
    await expect(new ImagePipeline({ heicDecoder: decoder }).prepareForModel({ name: 'cut.heic', bytes })).rejects.toMatchObject({ message: expect.stringContaining('cut.heic') });
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
