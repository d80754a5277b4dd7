/**
 * ImagePipeline.inspect: each format's size as displayed, and the limits checked before decoding.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import sharp from 'sharp';
import { mkdtempSync, rmSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImagePipeline } from '../../../../electron/services/images/image-pipeline';
import { forgePngHeader } from '../../../fixtures/make-fixtures';
import { SELFIES, expectStudioError, fixtureBytes, fixturePath } from './helpers';

const pipeline = new ImagePipeline();

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'sseelfie-img-test-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('inspect', () => {
  it.each(SELFIES)('%s: format %s, 600×800 as displayed (bytes and path)', async (file, format) => {
    expect(await pipeline.inspect({ name: file, bytes: fixtureBytes(file) })).toEqual({
      format,
      width: 600,
      height: 800,
    });
    expect(await pipeline.inspect({ name: file, path: fixturePath(file) })).toEqual({
      format,
      width: 600,
      height: 800,
    });
  });

  it('anim.gif: the first frame is 300×400', async () => {
    expect(await pipeline.inspect({ name: 'anim.gif', path: fixturePath('anim.gif') })).toEqual({
      format: 'gif',
      width: 300,
      height: 400,
    });
  });

  it('the EXIF-6 fixture really is stored sideways with GPS (so the other tests mean something)', async () => {
    const meta = await sharp(fixtureBytes('selfie-exif6.jpg')).metadata();
    expect([meta.width, meta.height, meta.orientation]).toEqual([800, 600, 6]);
    // GPS IFD pointer tag 0x8825 in the little-endian EXIF block
    expect(meta.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true);
  });

  it('refuses a forged 50 000 × 50 000 PNG from its header, naming it (bytes and path)', async () => {
    const forged = forgePngHeader(50_000, 50_000);
    expect(forged.length).toBeLessThan(100);
    const e = await expectStudioError(
      pipeline.inspect({ name: 'huge.png', bytes: forged }),
      'file_too_large',
      'huge.png',
    );
    expect(e.message).toMatch(/50000 × 50000 pixels \(2500 megapixels\)/);
    expect(e.message).toMatch(/100 megapixels/);
    const p = path.join(tmp, 'huge.png');
    writeFileSync(p, forged);
    await expectStudioError(pipeline.inspect({ name: 'huge.png', path: p }), 'file_too_large', 'huge.png');
    await expectStudioError(pipeline.prepareForModel({ name: 'huge.png', path: p }), 'file_too_large', 'huge.png');
    await expectStudioError(pipeline.decode({ name: 'huge.png', bytes: forged }), 'file_too_large', 'huge.png');
  });

  it('refuses a 200 MB file from its size alone (a sparse file: nothing is read)', async () => {
    const p = path.join(tmp, 'beach.heic');
    writeFileSync(p, '');
    truncateSync(p, 200 * 1024 * 1024);
    const e = await expectStudioError(
      pipeline.inspect({ name: 'beach.heic', path: p }),
      'file_too_large',
      'beach.heic',
    );
    expect(e.message).toBe(
      '"beach.heic" is 200 MB. Photos up to 100 MB can be used; export a smaller copy and try again.',
    );
    await expectStudioError(pipeline.prepareForModel({ name: 'beach.heic', path: p }), 'file_too_large', 'beach.heic');
  });

  it('honours custom limits', async () => {
    const small = new ImagePipeline({ maxFileBytes: 10_000, maxPixels: 1_000_000 });
    await expectStudioError(
      small.inspect({ name: 'selfie-exif6.jpg', bytes: fixtureBytes('selfie-exif6.jpg') }),
      'file_too_large',
      'selfie-exif6.jpg',
    );
    const tiny = new ImagePipeline({ maxPixels: 400_000 });
    await expectStudioError(
      tiny.inspect({ name: 'selfie.heic', bytes: fixtureBytes('selfie.heic') }),
      'file_too_large',
      'selfie.heic',
    );
    await expectStudioError(
      tiny.prepareForModel({ name: 'selfie.png', path: fixturePath('selfie.png') }),
      'file_too_large',
      'selfie.png',
    );
  });
});
