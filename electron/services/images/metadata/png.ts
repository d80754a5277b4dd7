/**
 * PNG: a `parameters` text chunk (tEXt, or iTXt when the text is not Latin-1; what A1111-style
 * tools read) and an XMP iTXt chunk (`XML:com.adobe.xmp`), both before the first IDAT. Chunks an
 * earlier embedding wrote are replaced; every other chunk is copied byte for byte.
 */
import { crc32, inflateSync } from 'node:zlib';
import { concat, damaged, dec, enc, isLatin1, latin1Bytes, latin1String, readU32be, u32be } from './bytes';
import type { EmbeddedMeta, ReadMeta } from './types';
import { buildXmpPacket, parseXmp } from './xmp';

const XMP_PNG_KEYWORD = 'XML:com.adobe.xmp';
const PARAMETERS_KEYWORD = 'parameters';

interface PngChunk {
  type: string;
  start: number; // offset of the length field
  end: number; // offset after the CRC
  data: Uint8Array;
}

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function parsePng(b: Uint8Array): PngChunk[] | null {
  for (let i = 0; i < 8; i++) if (b[i] !== PNG_SIG[i]) return null;
  const chunks: PngChunk[] = [];
  let o = 8;
  while (o + 12 <= b.length) {
    const len = readU32be(b, o);
    const end = o + 12 + len;
    if (end > b.length) return null;
    const type = latin1String(b, o + 4, o + 8);
    chunks.push({ type, start: o, end, data: b.subarray(o + 8, o + 8 + len) });
    o = end;
    if (type === 'IEND') return chunks;
  }
  return null;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const td = concat([latin1Bytes(type), data]);
  return concat([u32be(data.byteLength), td, u32be(crc32(td))]);
}

function pngKeyword(data: Uint8Array): string {
  const z = data.indexOf(0);
  return latin1String(data, 0, z < 0 ? Math.min(80, data.length) : z);
}

function itxt(keyword: string, text: string): Uint8Array {
  return pngChunk('iTXt', concat([latin1Bytes(keyword), new Uint8Array([0, 0, 0, 0, 0]), enc.encode(text)]));
}

/** Text of a tEXt/zTXt/iTXt chunk. */
function pngText(c: PngChunk): string | undefined {
  const d = c.data;
  const z = d.indexOf(0);
  if (z < 0) return undefined;
  try {
    if (c.type === 'tEXt') return latin1String(d, z + 1);
    if (c.type === 'zTXt') return latin1String(inflateSync(d.subarray(z + 2)));
    if (c.type === 'iTXt') {
      const compressed = d[z + 1] === 1;
      let p = z + 3;
      const lang = d.indexOf(0, p);
      if (lang < 0) return undefined;
      const tr = d.indexOf(0, lang + 1);
      if (tr < 0) return undefined;
      p = tr + 1;
      const body = d.subarray(p);
      return dec.decode(compressed ? inflateSync(body) : body);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

const isTextChunk = (t: string) => t === 'tEXt' || t === 'iTXt' || t === 'zTXt';

export function embedPng(b: Uint8Array, meta: EmbeddedMeta): Uint8Array {
  const chunks = parsePng(b);
  if (!chunks || chunks[0]?.type !== 'IHDR') throw damaged('PNG');
  const firstIdat = chunks.findIndex((c) => c.type === 'IDAT');
  if (firstIdat < 0) throw damaged('PNG');
  const ours = (c: PngChunk) =>
    isTextChunk(c.type) && [PARAMETERS_KEYWORD, XMP_PNG_KEYWORD].includes(pngKeyword(c.data));
  const params = isLatin1(meta.parameters)
    ? pngChunk('tEXt', concat([latin1Bytes(PARAMETERS_KEYWORD), new Uint8Array([0]), latin1Bytes(meta.parameters)]))
    : itxt(PARAMETERS_KEYWORD, meta.parameters);
  const xmp = itxt(XMP_PNG_KEYWORD, buildXmpPacket(meta));
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  chunks.forEach((c, i) => {
    if (i === firstIdat) parts.push(params, xmp);
    if (!ours(c)) parts.push(b.subarray(c.start, c.end));
  });
  return concat(parts);
}

export function readPng(b: Uint8Array): ReadMeta {
  const chunks = parsePng(b);
  if (!chunks) return {};
  let out: ReadMeta = {};
  let text: string | undefined;
  for (const c of chunks) {
    if (!isTextChunk(c.type)) continue;
    const k = pngKeyword(c.data);
    if (k === PARAMETERS_KEYWORD) text ??= pngText(c);
    else if (k === XMP_PNG_KEYWORD) {
      const x = pngText(c);
      if (x) out = { ...parseXmp(x), ...out };
    }
  }
  if (text !== undefined) out.parameters = text;
  return out;
}
