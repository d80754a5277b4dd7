/**
 * What goes into and comes out of the image pipeline (image-pipeline.ts): the types callers
 * see. The job engine's ImageOps (jobs/image-ops.ts) is written in these types too.
 */
import type { CropRect, MaskBitmap } from '../../../shared/images';
import type { ImageFormat } from './formats';
import type { HeicLayout, HeicRaster } from './heic';

export type { CropRect, MaskBitmap };

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
export type MaskInput = MaskBitmap | { bytes: Uint8Array };

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
