/**
 * Generation parameters inside result images, inserted at the byte level: the pixels (paid for)
 * are never decoded or re-encoded. One file per format in metadata/ (png.ts, jpeg.ts, webp.ts),
 * each writing the A1111-style `parameters` text (metadata/parameters-text.ts) where tools look
 * for it in that format, and the same XMP packet (metadata/xmp.ts). Embedding again replaces what
 * an earlier embedding wrote.
 */
import { StudioError } from '../../../shared/errors';
import { sniffFormat } from './formats';
import { embedJpeg, readJpeg } from './metadata/jpeg';
import { embedPng, readPng } from './metadata/png';
import type { EmbedFormat, EmbeddedMeta, ReadMeta } from './metadata/types';
import { embedWebp, readWebp } from './metadata/webp';

export type { EmbedFormat, EmbeddedMeta, ReadMeta };
export { buildXmpPacket, promptFromParameters, XMP_NAMESPACE } from './metadata/xmp';
export { parametersText, type ParametersSource } from './metadata/parameters-text';

/**
 * `bytes` with the parameters embedded, pixels untouched. `format` must match the bytes
 * (`invalid_input` otherwise); a structurally damaged file gives `corrupt_file`.
 */
export function embedParameters(bytes: Uint8Array, format: EmbedFormat, meta: EmbeddedMeta): Uint8Array {
  const actual = sniffFormat(bytes);
  const expected = format === 'jpg' ? 'jpeg' : format;
  if (actual !== expected) {
    throw new StudioError(
      'invalid_input',
      `The generated image is not a ${format.toUpperCase()} file as expected, so its settings could not be saved into it.`,
    );
  }
  if (typeof meta.parameters !== 'string')
    throw new StudioError('invalid_input', 'The generation settings to save are missing.');
  if (format === 'png') return embedPng(bytes, meta);
  if (format === 'jpg') return embedJpeg(bytes, meta);
  return embedWebp(bytes, meta);
}

/** What embedParameters wrote (or an A1111-style `parameters` text from elsewhere); `{}` if none. */
export function readParameters(bytes: Uint8Array): ReadMeta {
  const f = sniffFormat(bytes);
  if (f === 'png') return readPng(bytes);
  if (f === 'jpeg') return readJpeg(bytes);
  if (f === 'webp') return readWebp(bytes);
  return {};
}
