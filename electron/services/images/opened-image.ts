/**
 * What the pipeline's files share once a photo is open: the opened image (oriented, limits
 * checked), the cap on our own rasters (masks, results), and how a decode failure of a named
 * file becomes the message a person reads.
 */
import type { Sharp } from 'sharp';
import { StudioError } from '../../../shared/errors';
import { fileErrors, type ImageFormat } from './formats';

/** A photo opened by ImagePipeline: its bytes, displayed size, and the oriented first frame. */
export interface OpenedImage {
  name: string;
  format: ImageFormat;
  bytes: Uint8Array;
  width: number;
  height: number;
  hasAlpha: boolean;
  /** oriented image, ready for operations */
  image: Sharp;
}

/** Masks and results are our own data, not a person's file: cap them independently. */
export const MAX_MASK_SIDE = 16_384;

export function isSide(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_MASK_SIDE;
}

export function toBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** Map an error thrown while opening/decoding a named file to a StudioError. */
export function asFileError(name: string, e: unknown): StudioError {
  if (e instanceof StudioError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/unsupported image format/i.test(msg)) return fileErrors.notImage(name, null);
  return fileErrors.corrupt(name, e);
}

/** Run a sharp pipeline for a named file, mapping decode failures to corrupt_file. */
export async function decoding<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asFileError(name, e);
  }
}
