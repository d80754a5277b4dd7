/**
 * The image pipeline: open any photo a person picks (JPEG, PNG, WebP, AVIF, HEIC, TIFF, GIF), check
 * it cheaply before spending memory on it, and produce what the model, the library and the mask
 * editor need. Plain Node + sharp; never imports electron.
 *
 * Sizes follow the model (see replicate-api.md §1.4–1.5): the model fits an input image into
 * 1440×1440 and rounds each side UP to a multiple of 16 by stretching it. We send exactly that size
 * already, reached by scaling and a centre crop of at most 15 px per side instead of a stretch,
 * so the model does not resample again and the mask lines up pixel for pixel.
 */
import sharp, { type Metadata, type OutputInfo, type Sharp, type SharpOptions } from 'sharp';
import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import { StudioError } from '../../../shared/errors';
import { planModelSize, type CropRect } from '../../../shared/model/rules';
import { detectFormat, fileErrors, SNIFF_BYTES, type ImageFormat } from './formats';
import { openHeic, type HeicLayout, type HeicRaster, type OpenedHeic } from './heic';

export interface ImageInput {
  /** file name shown in messages, e.g. `beach.heic` */
  name: string;
  /** the file's bytes; or */
  bytes?: Uint8Array;
  /** a path to read (checked with stat first) */
  path?: string;
}

export interface ImagePipelineOptions {
  /** refuse larger files before reading them; default 100 MiB */
  maxFileBytes?: number;
  /** refuse images with more pixels (from the header, before decoding); default 100 000 000 */
  maxPixels?: number;
  /** longest side sent to the model; default 1440 (the model's MAX_IMAGE_SIZE) */
  maxModelSide?: number;
  /** JPEG quality of the prepared upload; default 92 */
  jpegQuality?: number;
  /**
   * Optional faster HEIC decoder, e.g. the worker-thread pool of heic-worker-decoder.ts that the
   * app and the CLI supply. It gets the file's bytes and its layout, and returns 8-bit RGB or RGBA
   * rows, top-down, ALREADY ORIENTED, or null to decline. With `probe`, it also reads the layout,
   * so this thread never loads libheif at all. Whatever it declines, fails or gets wrong, libheif
   * does in the calling thread (and names the file in the error).
   */
  heicDecoder?: HeicDecoder;
}

export interface HeicDecoder {
  (bytes: Uint8Array, layout: HeicLayout): Promise<HeicRaster | null>;
  probe?(bytes: Uint8Array): Promise<HeicLayout | null>;
}

export interface ImageInfo {
  format: ImageFormat;
  /** displayed size, i.e. after EXIF orientation (or HEIF irot) */
  width: number;
  height: number;
}

export type { CropRect };
export { planModelSize };

export interface PreparedImage {
  bytes: Uint8Array;
  mime: 'image/jpeg' | 'image/png';
  /** both multiples of 16, at most maxModelSide */
  width: number;
  height: number;
  /** the region of the oriented source that `bytes` shows, in source pixels */
  crop: CropRect;
  /** oriented size of the source */
  sourceWidth: number;
  sourceHeight: number;
  /** hex SHA-256 of `bytes` */
  sha256: string;
}

/** A 1-byte-per-pixel raster (0..255), or an encoded image (normally a PNG). */
export type MaskInput = { width: number; height: number; data: Uint8Array } | { bytes: Uint8Array };

export interface RasterizedMask {
  /** 1-channel 8-bit PNG holding only 0 (keep) and 255 (regenerate) */
  bytes: Uint8Array;
  width: number;
  height: number;
  /** fraction of white pixels, 0..1 */
  coverage: number;
}

export interface Thumbnail {
  bytes: Uint8Array;
  mime: 'image/webp' | 'image/jpeg';
  width: number;
  height: number;
}

export interface CompositeOptions {
  /** the photo that was prepared with prepareForModel */
  original: ImageInput;
  /** the model's output image (any format sharp reads) */
  result: Uint8Array;
  /** the mask PNG that was sent with it (white = regenerated), normally at the result's size */
  mask: Uint8Array;
  /** `PreparedImage.crop` of that preparation */
  crop: CropRect;
  /**
   * Width of the soft edge, in pixels of the model result (scaled to the original). The edge lies
   * wholly INSIDE the mask, so nothing outside the mask changes. 0 = hard edge. Default 8.
   */
  feather?: number;
  /** 'png' (default; lossless, so outside-mask pixels stay byte-identical) or 'jpeg' (quality 95) */
  format?: 'png' | 'jpeg';
}

export interface CompositeResult {
  bytes: Uint8Array;
  mime: 'image/png' | 'image/jpeg';
  /** the original's oriented size */
  width: number;
  height: number;
}

const DEFAULTS = {
  maxFileBytes: 100 * 1024 * 1024,
  maxPixels: 100_000_000,
  maxModelSide: 1440,
  jpegQuality: 92,
} as const;

/** Masks and results are our own data, not a person's file: cap them independently. */
const MAX_MASK_SIDE = 16_384;

interface Source {
  name: string;
  format: ImageFormat;
  bytes: Uint8Array;
  width: number;
  height: number;
  hasAlpha: boolean;
  /** oriented image, ready for operations */
  image: Sharp;
}

function isErrnoLike(e: unknown): e is { code: string } {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

function toBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** Map an error thrown while opening/decoding a named file to a StudioError. */
function asFileError(name: string, e: unknown): StudioError {
  if (e instanceof StudioError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/unsupported image format/i.test(msg)) return fileErrors.notImage(name, null);
  return fileErrors.corrupt(name, e);
}

export class ImagePipeline {
  readonly maxFileBytes: number;
  readonly maxPixels: number;
  readonly maxModelSide: number;
  readonly jpegQuality: number;
  private readonly heicDecoder: ImagePipelineOptions['heicDecoder'];

  constructor(options: ImagePipelineOptions = {}) {
    this.heicDecoder = options.heicDecoder;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULTS.maxFileBytes;
    this.maxPixels = options.maxPixels ?? DEFAULTS.maxPixels;
    this.maxModelSide = options.maxModelSide ?? DEFAULTS.maxModelSide;
    this.jpegQuality = options.jpegQuality ?? DEFAULTS.jpegQuality;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading and checking

  /** File size check (stat for paths), then the bytes. */
  private async readBytes(input: ImageInput, headOnly = false): Promise<{ bytes: Uint8Array; size: number }> {
    const name = input.name;
    if (input.bytes) {
      const size = input.bytes.byteLength;
      if (size === 0) throw fileErrors.empty(name);
      if (size > this.maxFileBytes) throw fileErrors.tooLarge(name, size, this.maxFileBytes);
      return { bytes: input.bytes, size };
    }
    if (!input.path) {
      throw new StudioError('invalid_input', `No photo was given for "${name}". Choose the photo again.`, {
        fields: [{ field: 'image', message: 'No file.' }],
      });
    }
    let size: number;
    try {
      const st = await fs.stat(input.path);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      size = st.size;
    } catch (e) {
      throw fileErrors.unreadable(name, e);
    }
    if (size === 0) throw fileErrors.empty(name);
    if (size > this.maxFileBytes) throw fileErrors.tooLarge(name, size, this.maxFileBytes);
    try {
      if (headOnly) {
        const fh = await fs.open(input.path, 'r');
        try {
          const buf = Buffer.alloc(Math.min(SNIFF_BYTES, size));
          const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
          return { bytes: buf.subarray(0, bytesRead), size };
        } finally {
          await fh.close();
        }
      }
      const bytes = await fs.readFile(input.path);
      // the file may have changed between stat and read
      if (bytes.byteLength === 0) throw fileErrors.empty(name);
      if (bytes.byteLength > this.maxFileBytes) throw fileErrors.tooLarge(name, bytes.byteLength, this.maxFileBytes);
      return { bytes, size: bytes.byteLength };
    } catch (e) {
      if (e instanceof StudioError) throw e;
      throw fileErrors.unreadable(name, isErrnoLike(e) ? e : undefined);
    }
  }

  private checkPixels(name: string, width: number, height: number): void {
    if (!(width > 0 && height > 0)) throw fileErrors.corrupt(name);
    if (width * height > this.maxPixels) throw fileErrors.tooManyPixels(name, width, height, this.maxPixels);
  }

  /** Header-only size of a sharp-readable image, oriented, first frame. */
  private async headerSize(name: string, input: Uint8Array | string): Promise<{ width: number; height: number; hasAlpha: boolean }> {
    let meta: Metadata;
    try {
      meta = await sharp(typeof input === 'string' ? input : toBuffer(input), { limitInputPixels: false, failOn: 'error' }).metadata();
    } catch (e) {
      throw asFileError(name, e);
    }
    const pages = meta.pages ?? 1;
    const rotated = meta.autoOrient ? meta.autoOrient.width !== meta.width : false;
    let width = meta.autoOrient?.width ?? meta.width;
    let height = meta.autoOrient?.height ?? meta.height;
    if (pages > 1 && meta.pageHeight && meta.pageHeight < meta.height) {
      // multi-frame GIF/WebP: sizes are of the first frame
      if (rotated) width = meta.pageHeight;
      else height = meta.pageHeight;
    }
    return { width, height, hasAlpha: meta.hasAlpha === true };
  }

  private sharpOptions(): SharpOptions {
    // failOn 'error': refuse damaged pixel data, but not files with harmless warnings (as phones make)
    return { autoOrient: true, limitInputPixels: this.maxPixels, failOn: 'error', pages: 1, page: 0 };
  }

  /** Opens a HEIC container, enforces the pixel limit from its header, runs `fn`, always frees libheif. */
  private async withHeic<T>(name: string, bytes: Uint8Array, fn: (opened: OpenedHeic) => Promise<T>): Promise<T> {
    let opened: OpenedHeic;
    try {
      opened = await openHeic(bytes);
    } catch (e) {
      throw asFileError(name, e);
    }
    try {
      this.checkPixels(name, opened.width, opened.height);
      return await fn(opened);
    } catch (e) {
      throw asFileError(name, e);
    } finally {
      opened.dispose();
    }
  }

  /** The supplied HEIC decoder's raster when it answers one of exactly this size, else null. */
  private async decodeHeicElsewhere(bytes: Uint8Array, layout: HeicLayout): Promise<HeicRaster | null> {
    if (!this.heicDecoder) return null;
    const r = await this.heicDecoder(bytes, layout).catch(() => null);
    return r && r.width === layout.width && r.height === layout.height && r.data.byteLength === r.width * r.height * r.channels ? r : null;
  }

  /** Read, detect, check limits from the header, then (lazily) open the oriented pixels. */
  private async open(input: ImageInput): Promise<Source> {
    const name = input.name;
    const { bytes } = await this.readBytes(input);
    const format = detectFormat(bytes, name);
    if (format === 'heic') {
      const layout = await this.heicDecoder?.probe?.(bytes).catch(() => null);
      let raster: HeicRaster | null = null;
      if (layout) {
        this.checkPixels(name, layout.width, layout.height);
        raster = await this.decodeHeicElsewhere(bytes, layout);
      }
      raster ??= await this.withHeic(name, bytes, async (opened) => {
        // a decoder that could not even read the layout still gets one try with ours; one that
        // read it but failed to decode is not asked twice
        const elsewhere = layout ? null : await this.decodeHeicElsewhere(bytes, { width: opened.width, height: opened.height, tileRows: opened.tiling.rows });
        return elsewhere ?? opened.decode();
      });
      // an alpha plane that is opaque everywhere is no alpha: nothing to flatten, a smaller upload
      const hasAlpha = raster.channels === 4 && hasTransparency(raster.data);
      let image = sharp(toBuffer(raster.data), {
        raw: { width: raster.width, height: raster.height, channels: raster.channels },
        limitInputPixels: this.maxPixels,
      });
      if (raster.channels === 4 && !hasAlpha) image = image.removeAlpha();
      return { name, format, bytes, width: raster.width, height: raster.height, hasAlpha, image };
    }
    const head = await this.headerSize(name, bytes);
    this.checkPixels(name, head.width, head.height);
    const image = sharp(toBuffer(bytes), this.sharpOptions());
    return { name, format, bytes, width: head.width, height: head.height, hasAlpha: head.hasAlpha, image };
  }

  /** Run a sharp pipeline for a named file, mapping decode failures to corrupt_file. */
  private async run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw asFileError(name, e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Public API

  /**
   * Format and displayed size, enforcing the file-size and pixel limits without decoding pixels
   * (a path is stat'ed, and only its header is read, except HEIC which libheif parses whole).
   */
  async inspect(input: ImageInput): Promise<ImageInfo> {
    const name = input.name;
    if (!input.bytes && input.path) {
      const { bytes: head } = await this.readBytes(input, true);
      const format = detectFormat(head, name);
      if (format !== 'heic') {
        const size = await this.headerSize(name, input.path);
        this.checkPixels(name, size.width, size.height);
        return { format, width: size.width, height: size.height };
      }
    }
    const { bytes } = await this.readBytes(input);
    const format = detectFormat(bytes, name);
    if (format === 'heic') {
      const layout = await this.heicDecoder?.probe?.(bytes).catch(() => null);
      const size = layout ?? (await this.withHeic(name, bytes, async (opened) => ({ width: opened.width, height: opened.height })));
      this.checkPixels(name, size.width, size.height);
      return { format, width: size.width, height: size.height };
    }
    const size = await this.headerSize(name, bytes);
    this.checkPixels(name, size.width, size.height);
    return { format, width: size.width, height: size.height };
  }

  /**
   * A sharp instance of the oriented first frame, limits checked. HEIC is fully decoded here;
   * other formats decode lazily, so damaged pixel data surfaces when the caller outputs it
   * (map it with `corrupt_file` too). The instance carries no metadata into its outputs.
   */
  async decode(input: ImageInput): Promise<Sharp> {
    return (await this.open(input)).image;
  }

  /**
   * The upload for the model: oriented, metadata stripped, fitted into maxModelSide² (never
   * upscaled), both sides multiples of 16 by a centre crop of at most 15 px per side (no stretch),
   * flattened on white, JPEG.
   */
  async prepareForModel(input: ImageInput): Promise<PreparedImage> {
    const src = await this.open(input);
    const W = src.width;
    const H = src.height;
    if (W < 16 || H < 16) throw fileErrors.tooSmall(src.name, W, H);
    const plan = planModelSize(W, H, this.maxModelSide);
    if (!plan) {
      throw new StudioError(
        'invalid_input',
        `"${src.name}" is ${W} × ${H} pixels, too long and narrow to edit. Crop it to a more usual photo shape and try again.`,
        { fields: [{ field: 'image', message: 'The image is too narrow.' }] },
      );
    }
    const { width: tw, height: th, crop, resize } = plan;
    let img = src.image;
    img = resize
      ? img.resize(tw, th, { fit: 'cover', position: 'centre', kernel: 'lanczos3' })
      : img.extract({ left: crop.left, top: crop.top, width: tw, height: th });
    if (src.hasAlpha) img = img.flatten({ background: '#ffffff' });
    img = img.toColourspace('srgb').jpeg({ quality: this.jpegQuality, mozjpeg: false, chromaSubsampling: '4:2:0' });
    const out = await this.run(src.name, () => img.toBuffer({ resolveWithObject: true }));
    if (out.info.width !== tw || out.info.height !== th) {
      throw new StudioError('internal', `Preparing "${src.name}" gave ${out.info.width} × ${out.info.height} instead of ${tw} × ${th}.`);
    }
    const bytes = out.data;
    return {
      bytes,
      mime: 'image/jpeg',
      width: tw,
      height: th,
      crop,
      sourceWidth: W,
      sourceHeight: H,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
  }

  /**
   * The mask exactly at `target` size (nearest neighbour), binarised at 128: a 1-channel 8-bit
   * PNG with only 0 and 255. White = regenerate. An empty mask is refused.
   */
  async rasterizeMask(mask: MaskInput, target: { width: number; height: number }): Promise<RasterizedMask> {
    const { width: tw, height: th } = target;
    if (!isSide(tw) || !isSide(th)) {
      throw new StudioError('invalid_input', `The mask size ${tw} × ${th} is not possible. Prepare the photo again.`, {
        fields: [{ field: 'mask', message: 'Bad size.' }],
      });
    }
    const badMask = (why: string, cause?: unknown) =>
      new StudioError('invalid_input', `The mask could not be read (${why}). Paint the area again.`, {
        fields: [{ field: 'mask', message: why }],
        cause,
      });
    let img: Sharp;
    if ('data' in mask) {
      const { width, height, data } = mask;
      if (!isSide(width) || !isSide(height)) throw badMask(`size ${width} × ${height}`);
      if (data.byteLength !== width * height) throw badMask(`${data.byteLength} bytes for ${width} × ${height} pixels`);
      img = sharp(toBuffer(data), { raw: { width, height, channels: 1 } });
    } else {
      if (!mask.bytes || mask.bytes.byteLength === 0) throw badMask('no data');
      img = sharp(toBuffer(mask.bytes), { failOn: 'error', limitInputPixels: MAX_MASK_SIDE * MAX_MASK_SIDE })
        .flatten({ background: '#000000' })
        .greyscale();
    }
    let raw: Buffer;
    try {
      raw = await img
        .resize(tw, th, { fit: 'fill', kernel: 'nearest' })
        .extractChannel(0)
        .raw()
        .toBuffer();
    } catch (e) {
      throw badMask('not an image', e);
    }
    if (raw.length !== tw * th) throw badMask('unexpected pixel layout');
    let white = 0;
    for (let i = 0; i < raw.length; i++) {
      if (raw[i]! >= 128) {
        raw[i] = 255;
        white++;
      } else raw[i] = 0;
    }
    if (white === 0) {
      throw new StudioError('invalid_input', 'The mask is empty: paint over the part of the photo you want to change.', {
        fields: [{ field: 'mask', message: 'The mask is empty.' }],
      });
    }
    const bytes = await sharp(raw, { raw: { width: tw, height: th, channels: 1 } })
      .toColourspace('b-w')
      .png({ compressionLevel: 6, adaptiveFiltering: false })
      .toBuffer();
    return { bytes, width: tw, height: th, coverage: white / raw.length };
  }

  /**
   * A mask given as a file (the CLI's --mask): the same format allowlist, file-size and pixel
   * limits as any photo (so no SVG, with the files it could reference, is ever rendered), then
   * one 8-bit grey channel, transparent read as black (keep).
   */
  async readMask(input: ImageInput): Promise<{ width: number; height: number; data: Uint8Array }> {
    const src = await this.open(input);
    const out = await this.run(src.name, () =>
      src.image.flatten({ background: '#000000' }).greyscale().extractChannel(0).raw().toBuffer({ resolveWithObject: true }),
    );
    if (out.info.channels !== 1 || out.data.length !== out.info.width * out.info.height) {
      throw new StudioError('internal', `Reading the mask "${src.name}" gave an unexpected pixel layout.`);
    }
    return { width: out.info.width, height: out.info.height, data: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.length) };
  }

  /** A small oriented, metadata-free preview that fits maxSide × maxSide (never upscaled). */
  async thumbnail(input: ImageInput, maxSide = 512, format: 'webp' | 'jpeg' = 'webp'): Promise<Thumbnail> {
    if (!isSide(maxSide)) throw new StudioError('invalid_input', `A thumbnail size of ${maxSide} pixels is not possible.`);
    const src = await this.open(input);
    let img = src.image.resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true }).toColourspace('srgb');
    if (format === 'jpeg') {
      if (src.hasAlpha) img = img.flatten({ background: '#ffffff' });
      img = img.jpeg({ quality: 82, mozjpeg: false });
    } else {
      img = img.webp({ quality: 80, effort: 2 });
    }
    const out = await this.run(src.name, () => img.toBuffer({ resolveWithObject: true }));
    return { bytes: out.data, mime: format === 'jpeg' ? 'image/jpeg' : 'image/webp', width: out.info.width, height: out.info.height };
  }

  /**
   * "Keep everything outside the mask exactly": the original at full resolution, with the model's
   * result (scaled back to `crop`) pasted only where the mask is white, faded in over `feather`
   * pixels just inside the mask's edge. Outside the mask the output pixels equal the decoded,
   * oriented original's (byte for byte with PNG output).
   */
  async compositeKeepOutside(options: CompositeOptions): Promise<CompositeResult> {
    const { original, result, mask, crop } = options;
    const feather = options.feather ?? 8;
    const format = options.format ?? 'png';
    const src = await this.open(original);
    const W = src.width;
    const H = src.height;
    if (
      !Number.isInteger(crop.left) || !Number.isInteger(crop.top) || !Number.isInteger(crop.width) || !Number.isInteger(crop.height) ||
      crop.left < 0 || crop.top < 0 || crop.width < 1 || crop.height < 1 || crop.left + crop.width > W || crop.top + crop.height > H
    ) {
      throw new StudioError(
        'invalid_input',
        `The edited area does not fit "${src.name}" (${W} × ${H}); the photo may have changed since the edit was made. Run the edit again.`,
        { fields: [{ field: 'image', message: 'Crop outside the photo.' }] },
      );
    }
    if (!(feather >= 0 && Number.isFinite(feather))) throw new StudioError('invalid_input', `A soft edge of ${feather} pixels is not possible.`);
    const channels = src.hasAlpha ? 4 : 3;

    // 1. the original, oriented, 8-bit sRGB
    let base = src.image.toColourspace('srgb');
    base = channels === 4 ? base.ensureAlpha() : base.removeAlpha();
    const orig = await this.run(src.name, () => base.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true }));
    if (orig.info.width !== W || orig.info.height !== H || orig.info.channels !== channels) {
      throw new StudioError('internal', `Decoding "${src.name}" gave ${orig.info.width} × ${orig.info.height} × ${orig.info.channels}.`);
    }
    const out = orig.data;

    // 2. the mask at its own size: where is anything white at all?
    const maskError = (e?: unknown) =>
      new StudioError('invalid_input', 'The mask of this edit could not be read. Paint the area again and run the edit again.', {
        fields: [{ field: 'mask', message: 'Unreadable.' }],
        cause: e,
      });
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
        const r = sharp(toBuffer(result), { failOn: 'error', limitInputPixels: MAX_MASK_SIDE * MAX_MASK_SIDE, autoOrient: true });
        const meta = await r.metadata();
        resultWidth = meta.autoOrient?.width ?? meta.width;
        let rp = r.toColourspace('srgb').resize(crop.width, crop.height, { fit: 'fill', kernel: 'lanczos3' }).extract(region);
        rp = channels === 4 ? rp.ensureAlpha() : rp.flatten({ background: '#ffffff' }).removeAlpha();
        res = await rp.raw({ depth: 'uchar' }).toBuffer();
      } catch (e) {
        throw resultError(e);
      }
      if (res.length !== region.width * region.height * channels) throw resultError(new Error('unexpected result layout'));

      // 5. alpha: 0 outside the mask, ramping to 255 over `feather` px inside it; blend
      const abs = { left: crop.left + region.left, top: crop.top + region.top, width: region.width, height: region.height };
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
        throw new StudioError('corrupt_file', "The generated image is damaged and can't be opened. Run the edit again.", { cause: e });
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
}

/** Whether any alpha byte of RGBA data is below 255 (word-wise when the data is aligned). */
function hasTransparency(rgba: Uint8Array): boolean {
  if (rgba.byteOffset % 4 === 0 && rgba.byteLength % 4 === 0) {
    const words = new Uint32Array(rgba.buffer, rgba.byteOffset, rgba.byteLength / 4);
    const mask = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0xff000000 : 0x000000ff;
    for (let i = 0; i < words.length; i++) if ((words[i]! & mask) >>> 0 !== mask >>> 0) return true;
    return false;
  }
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}

/** HEIF stores alpha as an auxiliary image whose type URN names alpha; without one there is none. */

function isSide(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_MASK_SIDE;
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
