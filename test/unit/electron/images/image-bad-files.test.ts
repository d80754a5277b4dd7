/**
 * Files the pipeline refuses (corrupt, cut, damaged HEIC, not an image, empty, missing, SVG), each named.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import sharp from 'sharp';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImagePipeline } from '../../../../electron/services/images/image-pipeline';
import { drawSelfie } from '../../../fixtures/make-fixtures';
import { expectStudioError, fixtureBytes, fixturePath } from './helpers';

const pipeline = new ImagePipeline();

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'sseelfie-img-test-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('bad files', () => {
  it('corrupt.jpg → corrupt_file naming it, from inspect, decode and prepare', async () => {
    const input = { name: 'corrupt.jpg', bytes: fixtureBytes('corrupt.jpg') };
    const e = await expectStudioError(pipeline.inspect(input), 'corrupt_file', 'corrupt.jpg');
    expect(e.message).toMatch(/damaged/);
    expect(e.message).toMatch(/export a new copy/);
    await expectStudioError(pipeline.prepareForModel(input), 'corrupt_file', 'corrupt.jpg');
    await expectStudioError(
      pipeline.thumbnail({ name: 'corrupt.jpg', path: fixturePath('corrupt.jpg') }),
      'corrupt_file',
      'corrupt.jpg',
    );
  });

  it('a JPEG cut in half has a good header but is refused when decoded', async () => {
    const full = await sharp(drawSelfie(300, 400), { raw: { width: 300, height: 400, channels: 3 } })
      .jpeg()
      .toBuffer();
    const half = full.subarray(0, Math.floor(full.length / 2));
    const input = { name: 'half.jpg', bytes: half };
    expect(await pipeline.inspect(input)).toEqual({ format: 'jpeg', width: 300, height: 400 });
    await expectStudioError(pipeline.prepareForModel(input), 'corrupt_file', 'half.jpg');
  });

  it('a damaged HEIC → corrupt_file naming it', async () => {
    const heic = fixtureBytes('selfie.heic');
    const broken = new Uint8Array(heic.subarray(0, 200));
    await expectStudioError(pipeline.inspect({ name: 'IMG_1.HEIC', bytes: broken }), 'corrupt_file', 'IMG_1.HEIC');
    await expectStudioError(
      pipeline.prepareForModel({ name: 'IMG_1.HEIC', bytes: broken }),
      'corrupt_file',
      'IMG_1.HEIC',
    );
  });

  it('not-an-image.pdf → unsupported_file naming it', async () => {
    const e = await expectStudioError(
      pipeline.prepareForModel({ name: 'not-an-image.pdf', path: fixturePath('not-an-image.pdf') }),
      'unsupported_file',
      'not-an-image.pdf',
    );
    expect(e.message).toMatch(/PDF document, not a photo/);
    await expectStudioError(
      pipeline.inspect({ name: 'not-an-image.pdf', path: fixturePath('not-an-image.pdf') }),
      'unsupported_file',
      'not-an-image.pdf',
    );
  });

  it('empty.jpg → unsupported_file "empty" (bytes and path)', async () => {
    const a = await expectStudioError(
      pipeline.inspect({ name: 'empty.jpg', bytes: new Uint8Array(0) }),
      'unsupported_file',
      'empty.jpg',
    );
    expect(a.message).toMatch(/empty/);
    const b = await expectStudioError(
      pipeline.prepareForModel({ name: 'empty.jpg', path: fixturePath('empty.jpg') }),
      'unsupported_file',
      'empty.jpg',
    );
    expect(b.message).toMatch(/empty/);
  });

  it('a missing file or a folder → invalid_input naming it', async () => {
    const e = await expectStudioError(
      pipeline.inspect({ name: 'gone.jpg', path: path.join(tmp, 'gone.jpg') }),
      'invalid_input',
      'gone.jpg',
    );
    expect(e.message).toMatch(/moved or deleted/);
    await expectStudioError(pipeline.prepareForModel({ name: 'Photos', path: tmp }), 'invalid_input', 'Photos');
    await expectStudioError(pipeline.inspect({ name: 'nothing.jpg' }), 'invalid_input', 'nothing.jpg');
  });

  it('an SVG is not accepted as a photo', async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    await expectStudioError(pipeline.prepareForModel({ name: 'logo.svg', bytes: svg }), 'unsupported_file', 'logo.svg');
  });
});
