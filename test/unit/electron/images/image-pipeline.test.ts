import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImagePipeline, planModelSize } from '../../../../electron/services/images/image-pipeline';
import {
  CORNER_COLOURS,
  PNG_HOLE,
  drawSelfie,
  forgePngHeader,
  hasHeifEnc,
  jpegToHeic,
} from '../../../fixtures/make-fixtures';
import { expectColour, expectStudioError, fixtureBytes, fixturePath, make12MpJpeg, pixel, rawOf } from './helpers';

const pipeline = new ImagePipeline();

const SELFIES = [
  ['selfie-exif6.jpg', 'jpeg'],
  ['selfie.heic', 'heic'],
  ['selfie.png', 'png'],
  ['selfie.webp', 'webp'],
  ['selfie.avif', 'avif'],
  ['selfie.tif', 'tiff'],
] as const;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'sseelfie-img-test-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function expectCorners(img: Awaited<ReturnType<typeof rawOf>>, inset = 20, tol = 40) {
  const { width: w, height: h } = img;
  expectColour(pixel(img, inset, inset), CORNER_COLOURS.topLeft, tol);
  expectColour(pixel(img, w - 1 - inset, inset), CORNER_COLOURS.topRight, tol);
  expectColour(pixel(img, inset, h - 1 - inset), CORNER_COLOURS.bottomLeft, tol);
  expectColour(pixel(img, w - 1 - inset, h - 1 - inset), CORNER_COLOURS.bottomRight, tol);
}

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

describe('decode', () => {
  it('applies EXIF orientation: stored 800×600, decoded 600×800 with red at the top left', async () => {
    const img = await pipeline.decode({ name: 'selfie-exif6.jpg', bytes: fixtureBytes('selfie-exif6.jpg') });
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    const raw = { data, width: info.width, height: info.height, channels: info.channels };
    expect([raw.width, raw.height]).toEqual([600, 800]);
    expectCorners(raw);
  });

  it('decodes HEIC through libheif (WebAssembly)', async () => {
    const img = await pipeline.decode({ name: 'selfie.heic', path: fixturePath('selfie.heic') });
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([600, 800, 3]);
    expectCorners({ data, width: info.width, height: info.height, channels: info.channels });
  });

  it('uses a platform HEIC decoder when given one, and falls back to libheif in this thread when it fails or lies', async () => {
    const input = { name: 'selfie.heic', bytes: fixtureBytes('selfie.heic') };
    const calls: number[] = [];
    const purple = new ImagePipeline({
      heicDecoder: async (bytes) => {
        calls.push(bytes.byteLength);
        return { width: 600, height: 800, channels: 3, data: new Uint8Array(600 * 800 * 3).fill(128) };
      },
    });
    const p = await purple.prepareForModel(input);
    expect(calls).toEqual([input.bytes.byteLength]);
    expectColour(pixel(await rawOf(p.bytes), 10, 10), [128, 128, 128], 3);
    for (const heicDecoder of [
      async () => null,
      async () => {
        throw new Error('ImageIO failed');
      },
      async () => ({ width: 10, height: 10, channels: 4 as const, data: new Uint8Array(400) }),
    ]) {
      const fallback = await new ImagePipeline({ heicDecoder }).prepareForModel(input);
      expectCorners(await rawOf(fallback.bytes));
    }
  });

  it('a decoder that also reads the layout (probe) means this thread never parses the HEIC itself', async () => {
    // not a HEIF libheif could read: only the decoder's answers can make this work
    const bytes = new Uint8Array(64);
    bytes.set([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63]); // ....ftypheic
    const layout = { width: 40, height: 30, tileRows: 1 };
    const decoder = Object.assign(
      async () => ({ width: 40, height: 30, channels: 3 as const, data: new Uint8Array(40 * 30 * 3).fill(200) }),
      { probe: async () => layout },
    );
    const elsewhere = new ImagePipeline({ heicDecoder: decoder });
    expect(await elsewhere.inspect({ name: 'IMG_1.HEIC', bytes })).toEqual({ format: 'heic', width: 40, height: 30 });
    const p = await elsewhere.prepareForModel({ name: 'IMG_1.HEIC', bytes });
    expect([p.width, p.height]).toEqual([32, 16]);
    // its size is still checked against the limit before any pixel is decoded
    const big = Object.assign(async () => null, {
      probe: async () => ({ width: 20_000, height: 20_000, tileRows: 40 }),
    });
    await expectStudioError(
      new ImagePipeline({ heicDecoder: big }).prepareForModel({ name: 'IMG_2.HEIC', bytes }),
      'file_too_large',
    );
    // it read the layout but its decode failed: decoded here, and it is not asked twice
    let calls = 0;
    const flaky = Object.assign(
      async () => {
        calls++;
        return null;
      },
      { probe: async () => ({ width: 600, height: 800, tileRows: 1 }) },
    );
    const fallback = await new ImagePipeline({ heicDecoder: flaky }).prepareForModel({
      name: 'selfie.heic',
      bytes: fixtureBytes('selfie.heic'),
    });
    expectCorners(await rawOf(fallback.bytes));
    expect(calls).toBe(1);
    // when it cannot answer, libheif here reports the damaged file by name
    const none = Object.assign(async () => null, { probe: async () => null });
    await expect(
      new ImagePipeline({ heicDecoder: none }).prepareForModel({ name: 'IMG_3.HEIC', bytes }),
    ).rejects.toMatchObject({ message: expect.stringContaining('IMG_3.HEIC') });
  });

  it('GIF: only the first frame (the selfie, not the blue card)', async () => {
    const img = await pipeline.decode({ name: 'anim.gif', bytes: fixtureBytes('anim.gif') });
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([300, 400]);
    const raw = { data, width: info.width, height: info.height, channels: info.channels };
    expectCorners(raw, 10, 30);
  });
});

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
