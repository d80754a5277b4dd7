/**
 * The zip a trainer reads (flux-fine-tuner train.py `extract_zip`): one JPEG or PNG per photo and,
 * when the person wrote one, its caption as `name.txt` beside it. Each photo is decoded and
 * written again (upright, EXIF/GPS stripped, at most 1536 px on its long side: the trainer's
 * largest bucket is 1024), so HEIC and WebP go in too and no location leaves the computer, and
 * even 200 photos stay under the Files API's 100 MiB.
 * Names are by position (`photo-01.jpg`), not the person's file names.
 */
import { createHash } from 'node:crypto';
import { zipSync, type Zippable } from 'fflate';
import type { Sharp } from 'sharp';
import type { ImageInput } from '../images/image-types';

export const ZIP_MAX_SIDE = 1536;
/** The Files API's limit (reference §2.5). */
export const MAX_ZIP_BYTES = 100 * 1024 * 1024;

export interface ZipPhoto {
  file: string;
  caption?: string;
}

export interface TrainingZip {
  bytes: Uint8Array;
  sha256: string;
  entries: string[];
}

export async function buildTrainingZip(
  photos: ZipPhoto[],
  decode: (input: ImageInput) => Promise<Sharp>,
): Promise<TrainingZip> {
  const files: Zippable = {};
  const width = String(photos.length).length < 2 ? 2 : String(photos.length).length;
  for (let i = 0; i < photos.length; i++) {
    const p = photos[i]!;
    const base = `photo-${String(i + 1).padStart(width, '0')}`;
    const img = (await decode({ name: p.file.split(/[\\/]/).pop()!, path: p.file })).resize(
      ZIP_MAX_SIDE,
      ZIP_MAX_SIDE,
      { fit: 'inside', withoutEnlargement: true },
    );
    const png = /\.png$/i.test(p.file);
    const bytes = png
      ? await img.png().toBuffer()
      : await img.flatten({ background: '#ffffff' }).jpeg({ quality: 92 }).toBuffer();
    // already compressed: stored, not deflated again
    files[`${base}.${png ? 'png' : 'jpg'}`] = [new Uint8Array(bytes), { level: 0 }];
    const caption = p.caption?.trim();
    if (caption) files[`${base}.txt`] = new TextEncoder().encode(caption);
  }
  const bytes = zipSync(files);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), entries: Object.keys(files) };
}
