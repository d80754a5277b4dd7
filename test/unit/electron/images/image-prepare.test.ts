/**
 * ImagePipeline.prepareForModel and planModelSize: rotated, flattened, within 1440 in multiples of 16, never upscaled.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import { ImagePipeline, planModelSize } from '../../../../electron/services/images/image-pipeline';
import { PNG_HOLE, drawSelfie, hasHeifEnc, jpegToHeic } from '../../../fixtures/make-fixtures';
import {
  SELFIES,
  expectColour,
  expectCorners,
  expectStudioError,
  fixtureBytes,
  fixturePath,
  make12MpJpeg,
  pixel,
  rawOf,
} from './helpers';

const pipeline = new ImagePipeline();

describe('prepareForModel', () => {
  it('EXIF-6 JPEG: rotated, 592×800 (multiples of 16 by a 4 px crop each side), no metadata left', async () => {
    const p = await pipeline.prepareForModel({ name: 'selfie-exif6.jpg', path: fixturePath('selfie-exif6.jpg') });
    expect(p.mime).toBe('image/jpeg');
    expect([p.width, p.height, p.sourceWidth, p.sourceHeight]).toEqual([592, 800, 600, 800]);
    expect(p.crop).toEqual({ left: 4, top: 0, width: 592, height: 800 });
    expect(p.sha256).toBe(createHash('sha256').update(p.bytes).digest('hex'));
    const meta = await sharp(p.bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height, meta.channels]).toEqual([592, 800, 3]);
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expectCorners(await rawOf(p.bytes));
    // no GPS bytes anywhere in the file
    expect(Buffer.from(p.bytes).includes(Buffer.from('FakeCam'))).toBe(false);
  });

  it.each(SELFIES)('%s (%s) prepares to 592×800 with the corners where they belong', async (file) => {
    const p = await pipeline.prepareForModel({ name: file, bytes: fixtureBytes(file) });
    expect([p.width, p.height]).toEqual([592, 800]);
    expect(p.crop).toEqual({ left: 4, top: 0, width: 592, height: 800 });
    const meta = await sharp(p.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.hasAlpha).toBe(false);
    expectCorners(await rawOf(p.bytes));
  });

  it('a HEIC with alpha is flattened on white too', async () => {
    // .ci/run installs heif-enc (Debian libheif-examples); without it this must fail, not pass silently
    expect(hasHeifEnc(), 'heif-enc is missing: apt-get install libheif-examples').toBe(true);
    const heic = jpegToHeic(fixtureBytes('selfie.png'), 60, 'ultrafast', 'png')!;
    const p = await pipeline.prepareForModel({ name: 'alpha.heic', bytes: heic });
    const raw = await rawOf(p.bytes);
    expectColour(pixel(raw, PNG_HOLE.left + 40 - p.crop.left, PNG_HOLE.top + 40), [255, 255, 255], 10);
    expectCorners(raw);
  });

  it('GIF prepares from its first frame: 300×400 → 288×400', async () => {
    const p = await pipeline.prepareForModel({ name: 'anim.gif', bytes: fixtureBytes('anim.gif') });
    expect([p.width, p.height]).toEqual([288, 400]);
    expect(p.crop).toEqual({ left: 6, top: 0, width: 288, height: 400 });
    expectCorners(await rawOf(p.bytes), 10);
  });

  it('transparent pixels are flattened on white', async () => {
    const p = await pipeline.prepareForModel({ name: 'selfie.png', bytes: fixtureBytes('selfie.png') });
    const raw = await rawOf(p.bytes);
    const x = PNG_HOLE.left + PNG_HOLE.width / 2 - p.crop.left;
    const y = PNG_HOLE.top + PNG_HOLE.height / 2 - p.crop.top;
    expectColour(pixel(raw, x, y), [255, 255, 255], 6);
    expectColour(pixel(raw, x - 60, y), [200, 190, 180], 10); // the wall next to it
  });

  describe('a 12 MP photo', () => {
    let big: Buffer;
    beforeAll(async () => {
      big = await make12MpJpeg();
    });

    it('fits 1440, both sides multiples of 16, aspect kept within the crop, far smaller than the original', async () => {
      const p = await pipeline.prepareForModel({ name: 'IMG_4032.jpg', bytes: big });
      expect([p.width, p.height]).toEqual([1440, 1072]);
      expect([p.sourceWidth, p.sourceHeight]).toEqual([4032, 3024]);
      const { crop } = p;
      expect(crop.left).toBe(0);
      expect(crop.width).toBe(4032);
      expect(crop.top).toBeGreaterThanOrEqual(0);
      expect(crop.top + crop.height).toBeLessThanOrEqual(3024);
      // at most 15 px of the scaled image cut per dimension
      expect(3024 - crop.height).toBeLessThanOrEqual(Math.ceil((15 * 4032) / 1440));
      // no distortion: the crop has the output's aspect ratio
      expect(Math.abs(crop.width / crop.height - p.width / p.height)).toBeLessThan(0.002);
      const meta = await sharp(p.bytes).metadata();
      expect([meta.width, meta.height]).toEqual([1440, 1072]);
      expect(p.bytes.byteLength / big.byteLength).toBeLessThan(0.15);
    });

    it('a large HEIC decodes and prepares to 1440 × 1072 too', async () => {
      expect(hasHeifEnc(), 'heif-enc is missing: apt-get install libheif-examples').toBe(true);
      const jpeg = await sharp(drawSelfie(2016, 1512), { raw: { width: 2016, height: 1512, channels: 3 } })
        .jpeg()
        .toBuffer();
      const heic = jpegToHeic(jpeg, 50, 'ultrafast')!;
      const p = await pipeline.prepareForModel({ name: 'IMG_4032.HEIC', bytes: heic });
      expect([p.width, p.height, p.sourceWidth, p.sourceHeight]).toEqual([1440, 1072, 2016, 1512]);
      expectCorners(await rawOf(p.bytes));
    });
  });

  it('a rotated (EXIF 6) large photo fits 1440 on its displayed long side', async () => {
    const jpg = await make12MpJpeg({ width: 2000, height: 1500, orientation: 6 });
    const p = await pipeline.prepareForModel({ name: 'portrait.jpg', bytes: jpg });
    expect([p.sourceWidth, p.sourceHeight]).toEqual([1500, 2000]);
    expect([p.width, p.height]).toEqual([1072, 1440]);
    expect(p.crop.top).toBe(0);
    expect(p.crop.height).toBe(2000);
    expect(Math.abs(p.crop.width / p.crop.height - 1072 / 1440)).toBeLessThan(0.002);
  });

  it('small images are never upscaled, only cropped to multiples of 16', async () => {
    const png = await sharp(drawSelfie(1000, 750), { raw: { width: 1000, height: 750, channels: 3 } })
      .png()
      .toBuffer();
    const p = await pipeline.prepareForModel({ name: 'small.png', bytes: png });
    expect([p.width, p.height]).toEqual([992, 736]);
    expect(p.crop).toEqual({ left: 4, top: 7, width: 992, height: 736 });
    const tiny = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#123456' } })
      .png()
      .toBuffer();
    const t = await pipeline.prepareForModel({ name: 'icon.png', bytes: tiny });
    expect([t.width, t.height]).toEqual([16, 16]);
  });

  it('refuses images under 16 px, or so long and narrow that a side would be under 16 px', async () => {
    const thin = await sharp({ create: { width: 15, height: 100, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const e = await expectStudioError(
      pipeline.prepareForModel({ name: 'thin.png', bytes: thin }),
      'invalid_input',
      'thin.png',
    );
    expect(e.message).toMatch(/15 × 100/);
    const banner = await sharp({ create: { width: 4000, height: 40, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const b = await expectStudioError(
      pipeline.prepareForModel({ name: 'banner.png', bytes: banner }),
      'invalid_input',
      'banner.png',
    );
    expect(b.message).toMatch(/long and narrow/);
  });
});

describe('planModelSize', () => {
  it('always gives multiples of 16 within 1440, a crop inside the source of the same aspect, and cuts ≤ 15 px', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const W = 16 + rnd(9000);
      const H = 16 + rnd(9000);
      const plan = planModelSize(W, H);
      const s = Math.min(1, 1440 / W, 1440 / H);
      if (Math.round(W * s) < 16 || Math.round(H * s) < 16) {
        expect(plan).toBeNull();
        continue;
      }
      expect(plan, `${W}×${H}`).not.toBeNull();
      const { width, height, crop } = plan!;
      expect(width % 16).toBe(0);
      expect(height % 16).toBe(0);
      expect(Math.max(width, height)).toBeLessThanOrEqual(1440);
      expect(Math.round(W * s) - width).toBeLessThanOrEqual(15);
      expect(Math.round(H * s) - height).toBeLessThanOrEqual(15);
      expect(crop.left).toBeGreaterThanOrEqual(0);
      expect(crop.top).toBeGreaterThanOrEqual(0);
      expect(crop.left + crop.width).toBeLessThanOrEqual(W);
      expect(crop.top + crop.height).toBeLessThanOrEqual(H);
      // the same aspect, up to rounding: crop sides to whole source pixels, and sharp's scaled
      // size to whole output pixels along an axis it does not crop
      expect(Math.abs(crop.width / crop.height / (width / height) - 1)).toBeLessThanOrEqual(
        1 / crop.width + 1 / crop.height + 1 / width + 1 / height,
      );
    }
  });

  it("its crop is the region sharp's cover resize really shows (odd sizes)", async () => {
    const meanDiff = (a: Buffer, b: Buffer) => {
      let d = 0;
      for (let i = 0; i < a.length; i++) d += Math.abs(a[i]! - b[i]!);
      return d / a.length;
    };
    for (const [W, H] of [
      [3001, 2003],
      [2047, 4095],
      [1441, 1447],
      [5000, 1234],
      [4032, 3024],
    ] as const) {
      const plan = planModelSize(W, H)!;
      // checkerboard of 37 px squares: a crop that is off by a few source pixels shows up clearly
      const board = Buffer.alloc(W * H);
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) board[y * W + x] = ((Math.floor(x / 37) + Math.floor(y / 37)) & 1) * 255;
      const src = () => sharp(board, { raw: { width: W, height: H, channels: 1 } });
      const cover = await src().resize(plan.width, plan.height, { fit: 'cover', position: 'centre' }).raw().toBuffer();
      const viaCrop = (c: typeof plan.crop) =>
        src().extract(c).resize(plan.width, plan.height, { fit: 'fill' }).raw().toBuffer();
      const exact = meanDiff(cover, await viaCrop(plan.crop));
      const shifted = { ...plan.crop, left: Math.min(W - plan.crop.width, plan.crop.left + 6) };
      shifted.top = Math.min(H - plan.crop.height, plan.crop.top + 6);
      if (shifted.left === plan.crop.left) shifted.left = Math.max(0, plan.crop.left - 6);
      if (shifted.top === plan.crop.top) shifted.top = Math.max(0, plan.crop.top - 6);
      expect(exact, `${W}×${H}`).toBeLessThan(3);
      if (shifted.left !== plan.crop.left || shifted.top !== plan.crop.top) {
        // and the comparison is sensitive: 6 source px off is clearly worse
        expect(meanDiff(cover, await viaCrop(shifted))).toBeGreaterThan(exact * 4);
      }
    }
  });
});
