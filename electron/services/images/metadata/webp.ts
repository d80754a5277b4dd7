/**
 * WebP: the extended format (VP8X; a simple VP8/VP8L file is converted, RIFF and canvas sizes
 * fixed) with an EXIF chunk (the same UserComment, if the file has no EXIF yet) and an `XMP ` chunk.
 */
import {
  concat,
  damaged,
  dec,
  enc,
  latin1Bytes,
  latin1String,
  readU32le,
  startsWithStr,
  writeU24le,
  writeU32le,
} from './bytes';
import { buildExifTiff, isOurExif, readUserComment } from './exif';
import type { EmbeddedMeta, ReadMeta } from './types';
import { buildXmpPacket, parseXmp } from './xmp';

interface RiffChunk {
  fourcc: string;
  start: number;
  end: number; // including the pad byte
  data: Uint8Array;
}

function parseWebp(b: Uint8Array): RiffChunk[] | null {
  if (latin1String(b, 0, 4) !== 'RIFF' || latin1String(b, 8, 12) !== 'WEBP') return null;
  const riffEnd = Math.min(b.length, 8 + readU32le(b, 4));
  const chunks: RiffChunk[] = [];
  let o = 12;
  while (o + 8 <= riffEnd) {
    const fourcc = latin1String(b, o, o + 4);
    const size = readU32le(b, o + 4);
    const dataEnd = o + 8 + size;
    if (dataEnd > riffEnd) return null;
    const end = Math.min(riffEnd, dataEnd + (size & 1));
    chunks.push({ fourcc, start: o, end, data: b.subarray(o + 8, dataEnd) });
    o = end;
  }
  return chunks.length ? chunks : null;
}

function riffChunk(fourcc: string, data: Uint8Array): Uint8Array {
  const head = new Uint8Array(8);
  head.set(latin1Bytes(fourcc), 0);
  writeU32le(head, 4, data.byteLength);
  return concat(data.byteLength & 1 ? [head, data, new Uint8Array(1)] : [head, data]);
}

/** Canvas size and alpha of a simple-format bitstream chunk. */
function simpleWebpInfo(c: RiffChunk): { width: number; height: number; alpha: boolean } | null {
  const d = c.data;
  if (c.fourcc === 'VP8 ') {
    if (d.length < 10 || d[3] !== 0x9d || d[4] !== 0x01 || d[5] !== 0x2a) return null;
    return { width: (d[6]! | (d[7]! << 8)) & 0x3fff, height: (d[8]! | (d[9]! << 8)) & 0x3fff, alpha: false };
  }
  if (c.fourcc === 'VP8L') {
    if (d.length < 5 || d[0] !== 0x2f) return null;
    const bits = readU32le(d, 1);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, alpha: ((bits >>> 28) & 1) === 1 };
  }
  return null;
}

const VP8X_ALPHA = 0x10;
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

export function embedWebp(b: Uint8Array, meta: EmbeddedMeta): Uint8Array {
  const chunks = parseWebp(b);
  if (!chunks) throw damaged('WebP');
  let vp8x: Uint8Array;
  let body: RiffChunk[];
  const first = chunks[0]!;
  if (first.fourcc === 'VP8X') {
    if (first.data.length < 10) throw damaged('WebP');
    vp8x = new Uint8Array(first.data);
    body = chunks.slice(1);
  } else {
    const info = simpleWebpInfo(first);
    if (!info) throw damaged('WebP');
    vp8x = new Uint8Array(10);
    vp8x[0] = info.alpha ? VP8X_ALPHA : 0;
    writeU24le(vp8x, 4, info.width - 1);
    writeU24le(vp8x, 7, info.height - 1);
    body = chunks;
  }
  body = body.filter((c) => c.fourcc !== 'XMP ' && !(c.fourcc === 'EXIF' && isOurExif(c.data)));
  const hasExif = body.some((c) => c.fourcc === 'EXIF');
  const parts: Uint8Array[] = [];
  for (const c of body) parts.push(b.subarray(c.start, c.end));
  if (!hasExif) parts.push(riffChunk('EXIF', buildExifTiff(meta.parameters)));
  parts.push(riffChunk('XMP ', enc.encode(buildXmpPacket(meta))));
  vp8x[0] = vp8x[0]! | VP8X_XMP | VP8X_EXIF;
  const payload = concat([latin1Bytes('WEBP'), riffChunk('VP8X', vp8x), ...parts]);
  const head = new Uint8Array(8);
  head.set(latin1Bytes('RIFF'), 0);
  writeU32le(head, 4, payload.byteLength);
  return concat([head, payload]);
}

export function readWebp(b: Uint8Array): ReadMeta {
  const chunks = parseWebp(b);
  if (!chunks) return {};
  let out: ReadMeta = {};
  let text: string | undefined;
  for (const c of chunks) {
    if (c.fourcc === 'XMP ') out = { ...parseXmp(dec.decode(c.data)), ...out };
    else if (c.fourcc === 'EXIF')
      text ??= readUserComment(startsWithStr(c.data, 'Exif\0') ? c.data.subarray(6) : c.data);
  }
  if (text !== undefined) out.parameters = text;
  return out;
}
