/**
 * JPEG: an APP1 EXIF segment whose UserComment holds the parameters text (skipped when the file
 * already has EXIF of its own) and an APP1 XMP segment, after SOI, the JFIF APP0 and any EXIF.
 * Everything from SOS on is copied as is.
 */
import { StudioError } from '../../../../shared/errors';
import { concat, damaged, dec, enc, latin1Bytes, startsWithStr } from './bytes';
import { buildExifTiff, EXIF_PREFIX, isOurExif, readUserComment } from './exif';
import type { EmbeddedMeta, ReadMeta } from './types';
import { buildXmpPacket, parseXmp } from './xmp';

const XMP_JPEG_HEADER = 'http://ns.adobe.com/xap/1.0/\0';

interface JpegSegment {
  marker: number;
  start: number; // offset of 0xFF
  end: number;
  payload: Uint8Array;
}

/** Segments between SOI and SOS; `sos` is the offset of the SOS marker (the rest is copied as is). */
function parseJpeg(b: Uint8Array): { segments: JpegSegment[]; sos: number } | null {
  if (b[0] !== 0xff || b[1] !== 0xd8) return null;
  const segments: JpegSegment[] = [];
  let o = 2;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) return null;
    let m = o + 1;
    while (b[m] === 0xff && m < b.length) m++; // fill bytes
    const marker = b[m]!;
    const start = m - 1;
    if (marker === 0xda) return { segments, sos: start };
    if (marker === 0xd9 || marker === 0x00) return null;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      o = m + 1;
      continue;
    }
    if (m + 3 > b.length) return null;
    const len = (b[m + 1]! << 8) | b[m + 2]!;
    const end = m + 1 + len;
    if (len < 2 || end > b.length) return null;
    segments.push({ marker, start, end, payload: b.subarray(m + 3, end) });
    o = end;
  }
  return null;
}

function app1(payload: Uint8Array): Uint8Array {
  if (payload.byteLength + 2 > 0xffff) {
    throw new StudioError(
      'invalid_input',
      'The prompt and settings are too long to save inside a JPEG. Shorten the prompt, or save as PNG.',
    );
  }
  const n = payload.byteLength + 2;
  return concat([new Uint8Array([0xff, 0xe1, n >>> 8, n & 0xff]), payload]);
}

export function embedJpeg(b: Uint8Array, meta: EmbeddedMeta): Uint8Array {
  const parsed = parseJpeg(b);
  if (!parsed) throw damaged('JPEG');
  const isXmp = (s: JpegSegment) => s.marker === 0xe1 && startsWithStr(s.payload, XMP_JPEG_HEADER);
  const isExif = (s: JpegSegment) => s.marker === 0xe1 && startsWithStr(s.payload, 'Exif\0');
  const isOurs = (s: JpegSegment) => isXmp(s) || (isExif(s) && isOurExif(s.payload.subarray(6)));
  const segments = parsed.segments.filter((s) => !isOurs(s));
  const hasExif = segments.some(isExif);
  const added: Uint8Array[] = [];
  if (!hasExif) {
    const exif = concat([EXIF_PREFIX, buildExifTiff(meta.parameters)]);
    if (exif.byteLength + 2 <= 0xffff) added.push(app1(exif)); // else: the XMP still carries the text
  }
  added.push(app1(concat([latin1Bytes(XMP_JPEG_HEADER), enc.encode(buildXmpPacket(meta))])));
  // after SOI, the JFIF APP0 and any existing EXIF APP1 (readers expect those first)
  let lead = 0;
  while (lead < segments.length && (segments[lead]!.marker === 0xe0 || isExif(segments[lead]!))) lead++;
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  segments.forEach((s, i) => {
    if (i === lead) parts.push(...added);
    parts.push(b.subarray(s.start, s.end));
  });
  if (lead === segments.length) parts.push(...added);
  parts.push(b.subarray(parsed.sos));
  return concat(parts);
}

export function readJpeg(b: Uint8Array): ReadMeta {
  const parsed = parseJpeg(b);
  if (!parsed) return {};
  let out: ReadMeta = {};
  let text: string | undefined;
  for (const s of parsed.segments) {
    if (s.marker !== 0xe1) continue;
    if (startsWithStr(s.payload, XMP_JPEG_HEADER))
      out = { ...parseXmp(dec.decode(s.payload.subarray(XMP_JPEG_HEADER.length))), ...out };
    else if (startsWithStr(s.payload, 'Exif\0')) text ??= readUserComment(s.payload.subarray(6));
  }
  if (text !== undefined) out.parameters = text;
  return out;
}
