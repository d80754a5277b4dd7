import { describe, it, expect } from 'vitest';
import sharp from 'sharp';
import { ImagePipeline } from '../../../../electron/services/images/image-pipeline';
import { featherAlpha } from '../../../../electron/services/images/keep-outside';
import { drawSelfie } from '../../../fixtures/make-fixtures';
import { expectColour, expectStudioError, fixtureBytes, pixel, rawOf } from './helpers';

const pipeline = new ImagePipeline();

function rectMask(
  width: number,
  height: number,
  r: { left: number; top: number; width: number; height: number },
  value = 255,
): Uint8Array {
  const data = new Uint8Array(width * height);
  for (let y = r.top; y < r.top + r.height; y++) data.fill(value, y * width + r.left, y * width + r.left + r.width);
  return data;
}

async function maskPng(
  width: number,
  height: number,
  r: { left: number; top: number; width: number; height: number },
): Promise<Buffer> {
  return sharp(Buffer.from(rectMask(width, height, r)), { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

async function expectBinaryPng(bytes: Uint8Array, width: number, height: number): Promise<Buffer> {
  const meta = await sharp(bytes).metadata();
  expect(meta.format).toBe('png');
  expect([meta.width, meta.height, meta.channels, meta.depth]).toEqual([width, height, 1, 'uchar']);
  expect(meta.hasAlpha).toBe(false);
  // (sharp would expand to sRGB on output, so take the single band)
  const { data, info } = await sharp(bytes).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  expect([info.channels, data.length]).toEqual([1, width * height]);
  for (let i = 0; i < data.length; i++) if (data[i] !== 0 && data[i] !== 255) expect.fail(`pixel ${i} is ${data[i]}`);
  return data;
}

describe('rasterizeMask', () => {
  it('raw 1-byte data → a 1-channel PNG of only 0/255 at exactly the target size', async () => {
    const data = rectMask(100, 80, { left: 25, top: 20, width: 50, height: 40 });
    const m = await pipeline.rasterizeMask({ width: 100, height: 80, data }, { width: 592, height: 800 });
    expect([m.width, m.height]).toEqual([592, 800]);
    const px = await expectBinaryPng(m.bytes, 592, 800);
    expect(m.coverage).toBeCloseTo(0.25, 2);
    // nearest neighbour keeps the rectangle where it was
    expect(px[400 * 592 + 296]).toBe(255);
    expect(px[10 * 592 + 10]).toBe(0);
  });

  it('binarises soft edges at 128 (a brush with anti-aliasing)', async () => {
    const w = 256;
    const data = new Uint8Array(w * 4);
    for (let y = 0; y < 4; y++) for (let x = 0; x < w; x++) data[y * w + x] = x; // 0..255 ramp
    const m = await pipeline.rasterizeMask({ width: w, height: 4, data }, { width: w, height: 4 });
    const px = await expectBinaryPng(m.bytes, w, 4);
    expect(px[127]).toBe(0);
    expect(px[128]).toBe(255);
    expect(m.coverage).toBe(0.5);
  });

  it('accepts a PNG: greyscale, RGB, or RGBA painted on transparency', async () => {
    const target = { width: 320, height: 240 };
    const r = { left: 40, top: 30, width: 80, height: 60 };
    const grey = await pipeline.rasterizeMask({ bytes: await maskPng(160, 120, r) }, target);
    await expectBinaryPng(grey.bytes, 320, 240);
    expect(grey.coverage).toBeCloseTo(0.25, 3);

    const rgba = Buffer.alloc(160 * 120 * 4); // transparent everywhere…
    for (let y = r.top; y < r.top + r.height; y++)
      for (let x = r.left; x < r.left + r.width; x++) rgba.set([255, 255, 255, 255], (y * 160 + x) * 4);
    const painted = await sharp(rgba, { raw: { width: 160, height: 120, channels: 4 } })
      .png()
      .toBuffer();
    const fromRgba = await pipeline.rasterizeMask({ bytes: painted }, target);
    await expectBinaryPng(fromRgba.bytes, 320, 240);
    expect(fromRgba.coverage).toBeCloseTo(0.25, 3);
    expect(Buffer.from(fromRgba.bytes).equals(Buffer.from(grey.bytes))).toBe(true);

    const rgb = await sharp(rgba, { raw: { width: 160, height: 120, channels: 4 } })
      .flatten({ background: '#000' })
      .png()
      .toBuffer();
    expect((await pipeline.rasterizeMask({ bytes: rgb }, target)).coverage).toBeCloseTo(0.25, 3);
  });

  it('an empty mask is refused with the exact message', async () => {
    const e = await expectStudioError(
      pipeline.rasterizeMask({ width: 10, height: 10, data: new Uint8Array(100) }, { width: 16, height: 16 }),
      'invalid_input',
    );
    expect(e.message).toBe('The mask is empty: paint over the part of the photo you want to change.');
    expect(e.fields?.[0]?.field).toBe('mask');
    // faint strokes under 128 count as empty too
    await expectStudioError(
      pipeline.rasterizeMask({ width: 10, height: 10, data: new Uint8Array(100).fill(100) }, { width: 16, height: 16 }),
      'invalid_input',
    );
  });

  it('refuses data of the wrong length, garbage bytes and impossible sizes', async () => {
    await expectStudioError(
      pipeline.rasterizeMask({ width: 10, height: 10, data: new Uint8Array(99) }, { width: 16, height: 16 }),
      'invalid_input',
    );
    await expectStudioError(
      pipeline.rasterizeMask({ bytes: new Uint8Array([1, 2, 3, 4]) }, { width: 16, height: 16 }),
      'invalid_input',
    );
    await expectStudioError(
      pipeline.rasterizeMask({ width: 10, height: 10, data: new Uint8Array(100).fill(255) }, { width: 0, height: 16 }),
      'invalid_input',
    );
    await expectStudioError(
      pipeline.rasterizeMask(
        { width: 10, height: 10, data: new Uint8Array(100).fill(255) },
        { width: 15.5, height: 16 },
      ),
      'invalid_input',
    );
  });
});

describe('featherAlpha', () => {
  it('is 0 outside the mask and ramps to 255 inside over the feather width', () => {
    const w = 60;
    const h = 40;
    const m = rectMask(w, h, { left: 10, top: 10, width: 40, height: 20 });
    const a = featherAlpha(m, { left: 0, top: 0, width: w, height: h }, w, h, 8);
    for (let i = 0; i < m.length; i++) if (m[i] === 0) expect(a[i]).toBe(0);
    expect(a[20 * w + 10]).toBeGreaterThan(0); // the first masked pixel is already a little in
    expect(a[20 * w + 10]).toBeLessThan(64);
    expect(a[20 * w + 30]).toBe(255); // 10 px deep
    // monotonic from the left edge inward
    for (let x = 11; x < 30; x++) expect(a[20 * w + x]!).toBeGreaterThanOrEqual(a[20 * w + x - 1]!);
  });

  it('does not fade at the photo edge, but does at a crop edge inside the photo', () => {
    const w = 30;
    const h = 20;
    const all = new Uint8Array(w * h).fill(255);
    const atEdge = featherAlpha(all, { left: 0, top: 0, width: w, height: h }, w, h, 8);
    expect(atEdge.every((v) => v === 255)).toBe(true);
    const inside = featherAlpha(all, { left: 5, top: 0, width: w, height: h }, w + 10, h, 8);
    expect(inside[10 * w]).toBeLessThan(64); // left crop edge is inside the photo: fades
    expect(inside[10 * w + w - 1]).toBeLessThan(64); // right one too (5 + 30 < 40)
    expect(inside[0 * w + 15]).toBe(255); // top is the photo's edge: no fade
  });

  it('feather 0 gives a hard edge', () => {
    const m = rectMask(10, 10, { left: 2, top: 2, width: 5, height: 5 });
    const a = featherAlpha(m, { left: 0, top: 0, width: 10, height: 10 }, 10, 10, 0);
    expect(Array.from(a)).toEqual(Array.from(m));
  });
});

describe('compositeKeepOutside', () => {
  it('keeps every pixel outside the mask byte-identical to the oriented original (EXIF-6 JPEG)', async () => {
    const original = { name: 'selfie-exif6.jpg', bytes: fixtureBytes('selfie-exif6.jpg') };
    const prepared = await pipeline.prepareForModel(original);
    expect(prepared.crop).toEqual({ left: 4, top: 0, width: 592, height: 800 });
    // the "model result": a solid magenta picture of the prepared size
    const result = await sharp({
      create: { width: 592, height: 800, channels: 3, background: { r: 255, g: 0, b: 255 } },
    })
      .png()
      .toBuffer();
    const r = { left: 200, top: 300, width: 200, height: 200 };
    const mask = (
      await pipeline.rasterizeMask(
        { width: 592, height: 800, data: rectMask(592, 800, r) },
        { width: 592, height: 800 },
      )
    ).bytes;

    const out = await pipeline.compositeKeepOutside({ original, result, mask, crop: prepared.crop });
    expect(out.mime).toBe('image/png');
    expect([out.width, out.height]).toEqual([600, 800]);

    const before = await (await pipeline.decode(original)).raw().toBuffer({ resolveWithObject: true });
    const after = await rawOf(out.bytes);
    expect([after.width, after.height, after.channels]).toEqual([600, 800, 3]);
    // source-pixel rectangle of the mask (crop.left = 4, scale 1)
    const sx0 = r.left + 4;
    const sy0 = r.top;
    let outside = 0;
    let changedInside = 0;
    for (let y = 0; y < 800; y++) {
      for (let x = 0; x < 600; x++) {
        const i = (y * 600 + x) * 3;
        const inMask = x >= sx0 && x < sx0 + r.width && y >= sy0 && y < sy0 + r.height;
        const same =
          before.data[i] === after.data[i] &&
          before.data[i + 1] === after.data[i + 1] &&
          before.data[i + 2] === after.data[i + 2];
        if (!inMask) {
          outside++;
          if (!same) expect.fail(`outside pixel (${x},${y}) changed`);
        } else if (!same) changedInside++;
      }
    }
    expect(outside).toBe(600 * 800 - r.width * r.height);
    expect(changedInside).toBeGreaterThan(r.width * r.height * 0.9);
    // deep inside: the result exactly; just inside the edge: a blend
    expect(pixel(after, sx0 + 100, sy0 + 100)).toEqual([255, 0, 255]);
    const edge = pixel(after, sx0 + 1, sy0 + 100);
    const orig = pixel({ ...before.info, data: before.data }, sx0 + 1, sy0 + 100);
    expect(edge).not.toEqual([255, 0, 255]);
    expect(edge).not.toEqual(orig);
  });

  it('scales the result back to the crop of a large original, outside pixels untouched', async () => {
    // a 1500×2000 lossless original (decoded pixels are exactly drawSelfie's)
    const W = 1500;
    const H = 2000;
    const srcRaw = drawSelfie(W, H);
    const original = {
      name: 'big-selfie.png',
      bytes: await sharp(srcRaw, { raw: { width: W, height: H, channels: 3 } })
        .png()
        .toBuffer(),
    };
    const prepared = await pipeline.prepareForModel(original);
    expect([prepared.width, prepared.height]).toEqual([1072, 1440]);
    const { crop } = prepared;
    // the result: the prepared image, colours inverted
    const result = await sharp(prepared.bytes).negate().png().toBuffer();
    const mr = { left: 300, top: 400, width: 400, height: 300 };
    const mask = (
      await pipeline.rasterizeMask(
        { width: 1072, height: 1440, data: rectMask(1072, 1440, mr) },
        { width: 1072, height: 1440 },
      )
    ).bytes;
    const out = await pipeline.compositeKeepOutside({ original, result, mask, crop, feather: 8 });
    expect([out.width, out.height]).toEqual([W, H]);
    const after = await rawOf(out.bytes);
    const sx = crop.width / 1072;
    const sy = crop.height / 1440;
    // the mask in source px, widened by 2 px for the scaled (bilinear) edge
    const x0 = crop.left + mr.left * sx - 2;
    const x1 = crop.left + (mr.left + mr.width) * sx + 2;
    const y0 = crop.top + mr.top * sy - 2;
    const y1 = crop.top + (mr.top + mr.height) * sy + 2;
    let checked = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        if (x >= x0 && x < x1 && y >= y0 && y < y1) continue;
        const i = (y * W + x) * 3;
        if (srcRaw[i] !== after.data[i] || srcRaw[i + 1] !== after.data[i + 1] || srcRaw[i + 2] !== after.data[i + 2])
          expect.fail(`outside pixel (${x},${y}) changed`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(W * H * 0.8);
    // the middle of the mask shows the inverted image: the face colour (224,172,140) inverted
    const cx = Math.round(crop.left + (mr.left + mr.width / 2) * sx);
    const cy = Math.round(crop.top + (mr.top + mr.height / 2) * sy);
    const origMid = pixel({ data: srcRaw, width: W, height: H, channels: 3 }, cx, cy);
    expectColour(
      pixel(after, cx, cy),
      origMid.map((v) => 255 - v),
      24,
    );
  });

  it('JPEG output (q95) and a hard edge', async () => {
    const original = { name: 'selfie.png', bytes: fixtureBytes('selfie.png') };
    const prepared = await pipeline.prepareForModel(original);
    const result = await sharp({ create: { width: 592, height: 800, channels: 3, background: '#00ffff' } })
      .jpeg()
      .toBuffer();
    const mask = await maskPng(592, 800, { left: 100, top: 100, width: 100, height: 100 });
    const out = await pipeline.compositeKeepOutside({
      original,
      result,
      mask,
      crop: prepared.crop,
      feather: 0,
      format: 'jpeg',
    });
    expect(out.mime).toBe('image/jpeg');
    const meta = await sharp(out.bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['jpeg', 600, 800, false]);
    const after = await rawOf(out.bytes);
    expectColour(pixel(after, 104 + 50, 150), [0, 255, 255], 8);
  });

  it('keeps transparency of an RGBA original in PNG output, outside pixels identical', async () => {
    const original = { name: 'selfie.png', bytes: fixtureBytes('selfie.png') };
    const prepared = await pipeline.prepareForModel(original);
    const result = await sharp({ create: { width: 592, height: 800, channels: 3, background: '#ff8800' } })
      .png()
      .toBuffer();
    const mask = await maskPng(592, 800, { left: 0, top: 500, width: 100, height: 100 });
    const out = await pipeline.compositeKeepOutside({ original, result, mask, crop: prepared.crop });
    const after = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
    const before = await sharp(original.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(after.info.channels).toBe(4);
    // the transparent hole is still transparent and untouched
    const hole = (240 * 600 + 520) * 4;
    expect(Array.from(after.data.subarray(hole, hole + 4))).toEqual(Array.from(before.data.subarray(hole, hole + 4)));
    expect(after.data[hole + 3]).toBe(0);
  });

  it('works from a HEIC original too', async () => {
    const original = { name: 'selfie.heic', bytes: fixtureBytes('selfie.heic') };
    const prepared = await pipeline.prepareForModel(original);
    const result = await sharp({ create: { width: 592, height: 800, channels: 3, background: '#00ff00' } })
      .png()
      .toBuffer();
    const mask = await maskPng(592, 800, { left: 250, top: 250, width: 60, height: 60 });
    const out = await pipeline.compositeKeepOutside({ original, result, mask, crop: prepared.crop });
    const before = await (await pipeline.decode(original)).raw().toBuffer();
    const after = await rawOf(out.bytes);
    let diff = 0;
    for (let y = 0; y < 800; y++)
      for (let x = 0; x < 600; x++) {
        if (x >= 254 && x < 314 && y >= 250 && y < 310) continue;
        const i = (y * 600 + x) * 3;
        if (before[i] !== after.data[i] || before[i + 1] !== after.data[i + 1] || before[i + 2] !== after.data[i + 2])
          diff++;
      }
    expect(diff).toBe(0);
    expect(pixel(after, 284, 280)).toEqual([0, 255, 0]);
  });

  it('an all-black mask gives the original back, and a mask at the photo edge is not faded there', async () => {
    const original = {
      name: 'selfie.png',
      bytes: await sharp(drawSelfie(), { raw: { width: 600, height: 800, channels: 3 } })
        .png()
        .toBuffer(),
    };
    const prepared = await pipeline.prepareForModel(original);
    const result = await sharp({ create: { width: 592, height: 800, channels: 3, background: '#000000' } })
      .png()
      .toBuffer();
    const black = await maskPng(592, 800, { left: 0, top: 0, width: 0, height: 0 });
    const same = await pipeline.compositeKeepOutside({ original, result, mask: black, crop: prepared.crop });
    expect((await rawOf(same.bytes)).data.equals(drawSelfie())).toBe(true);
    // the bottom 100 rows masked: the photo's bottom edge is not faded, the mask's top edge is
    const bottom = await maskPng(592, 800, { left: 0, top: 700, width: 592, height: 100 });
    const out = await rawOf(
      (await pipeline.compositeKeepOutside({ original, result, mask: bottom, crop: prepared.crop })).bytes,
    );
    expect(pixel(out, 300, 799)).toEqual([0, 0, 0]);
    expect(pixel(out, 300, 700)).not.toEqual([0, 0, 0]);
  });

  it('refuses a crop that does not fit the original, and a damaged result', async () => {
    const original = { name: 'selfie.webp', bytes: fixtureBytes('selfie.webp') };
    const mask = await maskPng(16, 16, { left: 0, top: 0, width: 8, height: 8 });
    const result = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const e = await expectStudioError(
      pipeline.compositeKeepOutside({ original, result, mask, crop: { left: 10, top: 0, width: 600, height: 800 } }),
      'invalid_input',
      'selfie.webp',
    );
    expect(e.message).toMatch(/Run the edit again/);
    await expectStudioError(
      pipeline.compositeKeepOutside({
        original,
        result: new Uint8Array([1, 2, 3]),
        mask,
        crop: { left: 0, top: 0, width: 16, height: 16 },
      }),
      'corrupt_file',
    );
  });
});
