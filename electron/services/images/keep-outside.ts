/**
 * "Keep everything outside the mask exactly": after an inpainting run, the person's original
 * photo at full resolution with the model's result pasted back only where the mask is white.
 * The model works on a prepared copy (scaled, cropped to multiples of 16, JPEG), so even outside
 * the mask its output is only close to the photo; this puts the photo itself back there.
 */
import sharp, { type OutputInfo } from 'sharp';
import { StudioError } from '../../../shared/errors';
import type { CropRect } from '../../../shared/images';
import type { CompositeOptions, CompositeResult } from './image-types';
import { decoding, MAX_MASK_SIDE, toBuffer, type OpenedImage } from './opened-image';

/**
 * The composite of `src` (the opened original): the original at full resolution, with the model's
 * result (scaled back to `crop`) pasted only where the mask is white, faded in over `feather`
 * pixels just inside the mask's edge. Outside the mask the output pixels equal the decoded,
 * oriented original's (byte for byte with PNG output).
 */
export async function compositeKeepOutside(src: OpenedImage, options: CompositeOptions): Promise<CompositeResult> {
  const { result, mask, crop } = options;
  const feather = options.feather ?? 8;
  const format = options.format ?? 'png';
  const W = src.width;
  const H = src.height;
  if (
    !Number.isInteger(crop.left) ||
    !Number.isInteger(crop.top) ||
    !Number.isInteger(crop.width) ||
    !Number.isInteger(crop.height) ||
    crop.left < 0 ||
    crop.top < 0 ||
    crop.width < 1 ||
    crop.height < 1 ||
    crop.left + crop.width > W ||
    crop.top + crop.height > H
  ) {
    throw new StudioError(
      'invalid_input',
      `The edited area does not fit "${src.name}" (${W} × ${H}); the photo may have changed since the edit was made. Run the edit again.`,
      { fields: [{ field: 'image', message: 'Crop outside the photo.' }] },
    );
  }
  if (!(feather >= 0 && Number.isFinite(feather)))
    throw new StudioError('invalid_input', `A soft edge of ${feather} pixels is not possible.`);
  const channels = src.hasAlpha ? 4 : 3;

  // 1. the original, oriented, 8-bit sRGB
  let base = src.image.toColourspace('srgb');
  base = channels === 4 ? base.ensureAlpha() : base.removeAlpha();
  const orig = await decoding(src.name, () => base.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }));
  if (orig.info.width !== W || orig.info.height !== H || orig.info.channels !== channels) {
    throw new StudioError(
      'internal',
      `Decoding "${src.name}" gave ${orig.info.width} × ${orig.info.height} × ${orig.info.channels}.`,
    );
  }
  const out = orig.data;

  // 2. the mask at its own size: where is anything white at all?
  const maskError = (e?: unknown) =>
    new StudioError(
      'invalid_input',
      'The mask of this edit could not be read. Paint the area again and run the edit again.',
      {
        fields: [{ field: 'mask', message: 'Unreadable.' }],
        cause: e,
      },
    );
  let mraw: { data: Buffer; info: OutputInfo };
  try {
    mraw = await sharp(toBuffer(mask), { failOn: 'error', limitInputPixels: MAX_MASK_SIDE * MAX_MASK_SIDE })
      .flatten({ background: '#000000' })
      .greyscale()
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw maskError(e);
  }
  const mw = mraw.info.width;
  const mh = mraw.info.height;
  if (mraw.data.length !== mw * mh) throw maskError();
  let minX = mw;
  let minY = mh;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < mh; y++) {
    const row = y * mw;
    for (let x = 0; x < mw; x++) {
      if (mraw.data[row + x]! >= 128) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }

  if (maxX >= 0) {
    // only the mask's bounding box (in crop pixels, plus the bilinear reach) is scaled and blended
    const sx = crop.width / mw;
    const sy = crop.height / mh;
    const pad = Math.ceil(Math.max(sx, sy)) + 2;
    const rx0 = Math.max(0, Math.floor(minX * sx) - pad);
    const ry0 = Math.max(0, Math.floor(minY * sy) - pad);
    const rx1 = Math.min(crop.width, Math.ceil((maxX + 1) * sx) + pad);
    const ry1 = Math.min(crop.height, Math.ceil((maxY + 1) * sy) + pad);
    const region = { left: rx0, top: ry0, width: rx1 - rx0, height: ry1 - ry0 };

    // 3. the mask scaled to the crop (bilinear, re-binarised below for a smooth edge)
    let m: Buffer;
    try {
      m = await sharp(mraw.data, { raw: { width: mw, height: mh, channels: 1 } })
        .resize(crop.width, crop.height, { fit: 'fill', kernel: 'linear' })
        .extract(region)
        .extractChannel(0)
        .raw()
        .toBuffer();
    } catch (e) {
      throw maskError(e);
    }
    if (m.length !== region.width * region.height) throw maskError();

    // 4. the result scaled to the crop, same region
    const resultError = (e: unknown) =>
      new StudioError('corrupt_file', "The generated image is damaged and can't be opened. Run the edit again.", {
        fields: [{ field: 'result', message: 'Damaged.' }],
        cause: e,
      });
    let resultWidth: number;
    let res: Buffer;
    try {
      const r = sharp(toBuffer(result), {
        failOn: 'error',
        limitInputPixels: MAX_MASK_SIDE * MAX_MASK_SIDE,
        autoOrient: true,
      });
      const meta = await r.metadata();
      resultWidth = meta.autoOrient?.width ?? meta.width;
      let rp = r
        .toColourspace('srgb')
        .resize(crop.width, crop.height, { fit: 'fill', kernel: 'lanczos3' })
        .extract(region);
      rp = channels === 4 ? rp.ensureAlpha() : rp.flatten({ background: '#ffffff' }).removeAlpha();
      res = await rp.raw({ depth: 'uchar' }).toBuffer();
    } catch (e) {
      throw resultError(e);
    }
    if (res.length !== region.width * region.height * channels)
      throw resultError(new Error('unexpected result layout'));

    // 5. alpha: 0 outside the mask, ramping to 255 over `feather` px inside it; blend
    const abs = {
      left: crop.left + region.left,
      top: crop.top + region.top,
      width: region.width,
      height: region.height,
    };
    const alpha = featherAlpha(m, abs, W, H, feather * (crop.width / Math.max(1, resultWidth)));
    const rw = region.width;
    for (let y = 0; y < region.height; y++) {
      const rowA = y * rw;
      let o = ((abs.top + y) * W + abs.left) * channels;
      let r = rowA * channels;
      for (let x = 0; x < rw; x++, o += channels, r += channels) {
        const a = alpha[rowA + x]!;
        if (a === 0) continue;
        if (a === 255) {
          for (let c = 0; c < channels; c++) out[o + c] = res[r + c]!;
        } else {
          const ia = 255 - a;
          for (let c = 0; c < channels; c++) out[o + c] = ((out[o + c]! * ia + res[r + c]! * a + 127) / 255) | 0;
        }
      }
    }
  } else {
    // nothing white: still check the result is an image, then give the original back
    try {
      await sharp(toBuffer(result), { failOn: 'error', limitInputPixels: MAX_MASK_SIDE * MAX_MASK_SIDE }).metadata();
    } catch (e) {
      throw new StudioError('corrupt_file', "The generated image is damaged and can't be opened. Run the edit again.", {
        cause: e,
      });
    }
  }

  // 6. encode
  let enc = sharp(out, { raw: { width: W, height: H, channels } });
  if (format === 'jpeg') {
    if (channels === 4) enc = enc.flatten({ background: '#ffffff' });
    enc = enc.jpeg({ quality: 95, chromaSubsampling: '4:4:4', mozjpeg: false });
  } else {
    enc = enc.png({ compressionLevel: 6 });
  }
  const bytes = await enc.toBuffer();
  return { bytes, mime: format === 'jpeg' ? 'image/jpeg' : 'image/png', width: W, height: H };
}

/**
 * Alpha for the composite over `rect` (a region of a W×H image; `m` holds its mask values):
 * 0 where the mask is < 128, else min(1, d / feather) where d is the chamfer (3-4) distance to the
 * nearest kept pixel. Outside `rect` counts as kept (the original stays there) except beyond the
 * image's own edges, so a mask painted up to the photo's edge is not faded there.
 */
export function featherAlpha(m: Uint8Array, rect: CropRect, W: number, H: number, featherPx: number): Uint8Array {
  const crop = rect;
  const w = crop.width;
  const h = crop.height;
  const n = w * h;
  const alpha = new Uint8Array(n);
  if (featherPx < 1) {
    for (let i = 0; i < n; i++) alpha[i] = m[i]! >= 128 ? 255 : 0;
    return alpha;
  }
  const INF = 65535;
  const pw = w + 2;
  const d = new Uint16Array(pw * (h + 2));
  const edgeLeft = crop.left > 0 ? 0 : INF;
  const edgeRight = crop.left + w < W ? 0 : INF;
  const edgeTop = crop.top > 0 ? 0 : INF;
  const edgeBottom = crop.top + h < H ? 0 : INF;
  for (let x = 0; x < pw; x++) {
    d[x] = edgeTop;
    d[(h + 1) * pw + x] = edgeBottom;
  }
  for (let y = 1; y <= h; y++) {
    d[y * pw] = edgeLeft;
    d[y * pw + w + 1] = edgeRight;
    const row = (y - 1) * w;
    for (let x = 1; x <= w; x++) d[y * pw + x] = m[row + x - 1]! >= 128 ? INF : 0;
  }
  // corners: kept if either adjoining edge is
  d[0] = Math.min(edgeTop, edgeLeft);
  d[w + 1] = Math.min(edgeTop, edgeRight);
  d[(h + 1) * pw] = Math.min(edgeBottom, edgeLeft);
  d[(h + 1) * pw + w + 1] = Math.min(edgeBottom, edgeRight);
  for (let y = 1; y <= h; y++) {
    for (let x = 1; x <= w; x++) {
      const i = y * pw + x;
      let v = d[i]!;
      if (v === 0) continue;
      const a = d[i - 1]! + 3;
      const b = d[i - pw]! + 3;
      const c = d[i - pw - 1]! + 4;
      const e = d[i - pw + 1]! + 4;
      if (a < v) v = a;
      if (b < v) v = b;
      if (c < v) v = c;
      if (e < v) v = e;
      d[i] = v > INF ? INF : v;
    }
  }
  const full = featherPx * 3;
  for (let y = h; y >= 1; y--) {
    for (let x = w; x >= 1; x--) {
      const i = y * pw + x;
      let v = d[i]!;
      if (v === 0) continue;
      const a = d[i + 1]! + 3;
      const b = d[i + pw]! + 3;
      const c = d[i + pw + 1]! + 4;
      const e = d[i + pw - 1]! + 4;
      if (a < v) v = a;
      if (b < v) v = b;
      if (c < v) v = c;
      if (e < v) v = e;
      d[i] = v;
      alpha[(y - 1) * w + x - 1] = v >= full ? 255 : Math.max(1, Math.round((255 * v) / full));
    }
  }
  return alpha;
}
