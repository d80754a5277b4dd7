/** Shared helpers for the image pipeline tests (not a test file). */
import sharp from 'sharp';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { CORNER_COLOURS, FIXTURE_DIR } from '../../../fixtures/make-fixtures';
import type { StudioError } from '../../../../shared/errors';

export const fixturePath = (name: string) => path.join(FIXTURE_DIR, name);
export const fixtureBytes = (name: string) => new Uint8Array(readFileSync(fixturePath(name)));

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

export async function rawOf(bytes: Uint8Array, opts: { orient?: boolean } = {}): Promise<RawImage> {
  const { data, info } = await sharp(bytes, { autoOrient: opts.orient ?? false })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

export function pixel(img: RawImage, x: number, y: number): number[] {
  const i = (y * img.width + x) * img.channels;
  return Array.from(img.data.subarray(i, i + Math.min(3, img.channels)));
}

/** colour within `tol` per channel (lossy codecs) */
export function expectColour(actual: number[], expected: readonly number[], tol = 40): void {
  const ok = expected.every((v, i) => Math.abs((actual[i] ?? -999) - v) <= tol);
  if (!ok) expect.fail(`colour ${JSON.stringify(actual)} is not within ${tol} of ${JSON.stringify(expected)}`);
}

/** Await a promise that must reject with a StudioError of `code`; returns the error. */
export async function expectStudioError(
  p: Promise<unknown> | (() => unknown),
  code: string,
  nameInMessage?: string,
): Promise<StudioError> {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a rejection').toBeDefined();
  const se = err as StudioError;
  expect(se.name).toBe('StudioError');
  expect(se.code).toBe(code);
  if (nameInMessage) expect(se.message).toContain(`"${nameInMessage}"`);
  return se;
}

/** A 12 MP noise JPEG (the spec's stand-in for a phone photo). */
export async function make12MpJpeg(
  opts: { orientation?: number; width?: number; height?: number } = {},
): Promise<Buffer> {
  const width = opts.width ?? 4032;
  const height = opts.height ?? 3024;
  let img = sharp({
    create: { width, height, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 30 } },
  });
  if (opts.orientation) img = img.withMetadata({ orientation: opts.orientation });
  return img.jpeg({ quality: 90 }).toBuffer();
}

/** The selfie fixtures in every format the pipeline reads, with the format inspect should report. */
export const SELFIES = [
  ['selfie-exif6.jpg', 'jpeg'],
  ['selfie.heic', 'heic'],
  ['selfie.png', 'png'],
  ['selfie.webp', 'webp'],
  ['selfie.avif', 'avif'],
  ['selfie.tif', 'tiff'],
] as const;

/** The four corner colours of drawSelfie, where they belong once oriented. */
export function expectCorners(img: Awaited<ReturnType<typeof rawOf>>, inset = 20, tol = 40) {
  const { width: w, height: h } = img;
  expectColour(pixel(img, inset, inset), CORNER_COLOURS.topLeft, tol);
  expectColour(pixel(img, w - 1 - inset, inset), CORNER_COLOURS.topRight, tol);
  expectColour(pixel(img, inset, h - 1 - inset), CORNER_COLOURS.bottomLeft, tol);
  expectColour(pixel(img, w - 1 - inset, h - 1 - inset), CORNER_COLOURS.bottomRight, tol);
}
