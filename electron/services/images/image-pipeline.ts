/**
 * The image pipeline: open any photo a person picks (JPEG, PNG, WebP, AVIF, HEIC, TIFF, GIF), check
 * it cheaply before spending memory on it, and produce what the model, the library and the mask
 * editor need. Plain Node + sharp; never imports electron. Its types are in image-types.ts, the
 * keep-outside composite in keep-outside.ts.
 *
 * Sizes follow the model: it fits an input image into 1440×1440 (never upscaling) and rounds each
 * side UP to a multiple of 16 by stretching it (shared/model/rules.ts). We send exactly that size
 * already, reached by scaling and a centre crop of at most 15 px per side instead of a stretch,
 * so the model does not resample again and the mask lines up pixel for pixel.
 */
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';
import { StudioError } from '../../../shared/errors';
import { planModelSize } from '../../../shared/model/rules';
import { detectFormat, fileErrors, SNIFF_BYTES } from './formats';
import { openHeic, type HeicLayout, type HeicRaster, type OpenedHeic } from './heic';
import { compositeKeepOutside } from './keep-outside';
import { asFileError, decoding, isSide, MAX_MASK_SIDE, toBuffer, type OpenedImage } from './opened-image';
import type {
  CompositeOptions,
  CompositeResult,
  ImageInfo,
  ImageInput,
  ImagePipelineOptions,
  MaskBitmap,
  MaskInput,
  PreparedImage,
  RasterizedMask,
  Thumbnail,
} from './image-types';

export type * from './image-types';
export { planModelSize };

const DEFAULTS = {
  maxFileBytes: 100 * 1024 * 1024,
  maxPixels: 100_000_000,
  maxModelSide: 1440,
  jpegQuality: 92,
} as const;

function isErrnoLike(e: unknown): e is { code: string } {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
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
  private async headerSize(
    name: string,
    input: Uint8Array | string,
  ): Promise<{ width: number; height: number; hasAlpha: boolean }> {
    let meta: Metadata;
    try {
      meta = await sharp(typeof input === 'string' ? input : toBuffer(input), {
        limitInputPixels: false,
        failOn: 'error',
      }).metadata();
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
    return r &&
      r.width === layout.width &&
      r.height === layout.height &&
      r.data.byteLength === r.width * r.height * r.channels
      ? r
      : null;
  }

  /** Read, detect, check limits from the header, then (lazily) open the oriented pixels. */
  private async open(input: ImageInput): Promise<OpenedImage> {
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
        const elsewhere = layout
          ? null
          : await this.decodeHeicElsewhere(bytes, {
              width: opened.width,
              height: opened.height,
              tileRows: opened.tiling.rows,
            });
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
      const size =
        layout ??
        (await this.withHeic(name, bytes, async (opened) => ({ width: opened.width, height: opened.height })));
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
    const out = await decoding(src.name, () => img.toBuffer({ resolveWithObject: true }));
    if (out.info.width !== tw || out.info.height !== th) {
      throw new StudioError(
        'internal',
        `Preparing "${src.name}" gave ${out.info.width} × ${out.info.height} instead of ${tw} × ${th}.`,
      );
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
      raw = await img.resize(tw, th, { fit: 'fill', kernel: 'nearest' }).extractChannel(0).raw().toBuffer();
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
      throw new StudioError(
        'invalid_input',
        'The mask is empty: paint over the part of the photo you want to change.',
        {
          fields: [{ field: 'mask', message: 'The mask is empty.' }],
        },
      );
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
  async readMask(input: ImageInput): Promise<MaskBitmap> {
    const src = await this.open(input);
    const out = await decoding(src.name, () =>
      src.image
        .flatten({ background: '#000000' })
        .greyscale()
        .extractChannel(0)
        .raw()
        .toBuffer({ resolveWithObject: true }),
    );
    if (out.info.channels !== 1 || out.data.length !== out.info.width * out.info.height) {
      throw new StudioError('internal', `Reading the mask "${src.name}" gave an unexpected pixel layout.`);
    }
    return {
      width: out.info.width,
      height: out.info.height,
      data: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.length),
    };
  }

  /** A small oriented, metadata-free preview that fits maxSide × maxSide (never upscaled). */
  async thumbnail(input: ImageInput, maxSide = 512, format: 'webp' | 'jpeg' = 'webp'): Promise<Thumbnail> {
    if (!isSide(maxSide))
      throw new StudioError('invalid_input', `A thumbnail size of ${maxSide} pixels is not possible.`);
    const src = await this.open(input);
    let img = src.image.resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true }).toColourspace('srgb');
    if (format === 'jpeg') {
      if (src.hasAlpha) img = img.flatten({ background: '#ffffff' });
      img = img.jpeg({ quality: 82, mozjpeg: false });
    } else {
      img = img.webp({ quality: 80, effort: 2 });
    }
    const out = await decoding(src.name, () => img.toBuffer({ resolveWithObject: true }));
    return {
      bytes: out.data,
      mime: format === 'jpeg' ? 'image/jpeg' : 'image/webp',
      width: out.info.width,
      height: out.info.height,
    };
  }

  /**
   * "Keep everything outside the mask exactly": the original at full resolution with the model's
   * result pasted in only where the mask is white (keep-outside.ts).
   */
  async compositeKeepOutside(options: CompositeOptions): Promise<CompositeResult> {
    return compositeKeepOutside(await this.open(options.original), options);
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
