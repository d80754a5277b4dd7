/**
 * ImagePipeline.thumbnail: oriented, stripped, within its size, never upscaled.
 */
import { describe, it, expect } from 'vitest';
import sharp from 'sharp';
import { ImagePipeline } from '../../../../electron/services/images/image-pipeline';
import { expectCorners, fixtureBytes, fixturePath, rawOf } from './helpers';

const pipeline = new ImagePipeline();

describe('thumbnail', () => {
  it('oriented, stripped WebP within 512', async () => {
    const t = await pipeline.thumbnail({ name: 'selfie-exif6.jpg', path: fixturePath('selfie-exif6.jpg') });
    expect(t.mime).toBe('image/webp');
    expect([t.width, t.height]).toEqual([384, 512]);
    const meta = await sharp(t.bytes).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.exif).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([384, 512]);
    expectCorners(await rawOf(t.bytes), 15);
  });

  it('JPEG option, custom size, never upscaled, HEIC too', async () => {
    const j = await pipeline.thumbnail({ name: 'selfie.heic', bytes: fixtureBytes('selfie.heic') }, 200, 'jpeg');
    expect(j.mime).toBe('image/jpeg');
    expect([j.width, j.height]).toEqual([150, 200]);
    const big = await pipeline.thumbnail({ name: 'anim.gif', bytes: fixtureBytes('anim.gif') }, 1000);
    expect([big.width, big.height]).toEqual([300, 400]);
  });
});
