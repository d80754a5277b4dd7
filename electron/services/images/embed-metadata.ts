/**
 * Generation parameters inside result images, inserted at the byte level: the pixels (paid for)
 * are never decoded or re-encoded.
 *
 * - PNG: a `parameters` text chunk (tEXt, or iTXt when the text is not Latin-1; what A1111-style
 *   tools read) and an XMP iTXt chunk (`XML:com.adobe.xmp`), both before the first IDAT.
 * - JPEG: an APP1 EXIF segment whose UserComment holds the parameters text (UNICODE, as A1111
 *   writes it; skipped if the file already has EXIF of its own) and an APP1 XMP segment, after
 *   SOI/APP0.
 * - WebP: the extended format (VP8X; a simple VP8/VP8L file is converted, RIFF and canvas sizes
 *   fixed) with EXIF (same UserComment, if none yet) and `XMP ` chunks.
 *
 * The XMP packet holds `dc:description` (the prompt), `sseelfie:Parameters` (the JSON) and
 * `sseelfie:ParametersText` (the text, so JPEGs that already had EXIF still carry it).
 * Embedding again replaces what an earlier embedding wrote.
 */
import { crc32, inflateSync } from 'node:zlib';
import { StudioError } from '../../../shared/errors';
import { sniffFormat } from './formats';

export type EmbedFormat = 'png' | 'jpg' | 'webp';

export interface EmbeddedMeta {
  /** A1111-style text: prompt line(s), optional "Negative prompt: …", then "Steps: 28, Sampler: …, Seed: N, Size: WxH, Model: owner/name:version" */
  parameters: string;
  json: Record<string, unknown>;
}

export interface ReadMeta {
  parameters?: string;
  json?: Record<string, unknown>;
  /** dc:description of the XMP packet */
  prompt?: string;
}

export const XMP_NAMESPACE = 'https://sseelfie.ai/ns/studio/1.0/';
const XMP_JPEG_HEADER = 'http://ns.adobe.com/xap/1.0/\0';
const XMP_PNG_KEYWORD = 'XML:com.adobe.xmp';
const PARAMETERS_KEYWORD = 'parameters';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });

function damaged(what: string): StudioError {
  return new StudioError('corrupt_file', `The generated ${what} image is damaged, so its settings could not be saved into it. Run the generation again.`);
}

// -------------------------------------------------------------------------------------------------
// shared helpers

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function latin1String(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || c === 0) return false;
  }
  return true;
}

function u32be(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

function readU32be(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function readU32le(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

function writeU32le(b: Uint8Array, o: number, n: number): void {
  b[o] = n & 0xff;
  b[o + 1] = (n >>> 8) & 0xff;
  b[o + 2] = (n >>> 16) & 0xff;
  b[o + 3] = (n >>> 24) & 0xff;
}

function writeU24le(b: Uint8Array, o: number, n: number): void {
  b[o] = n & 0xff;
  b[o + 1] = (n >>> 8) & 0xff;
  b[o + 2] = (n >>> 16) & 0xff;
}

/** Remove what XML 1.0 cannot hold, then escape. */
function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function xmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** The prompt from A1111-style text: everything before "Negative prompt:" or the final "Steps:" line. */
export function promptFromParameters(parameters: string): string {
  const lines = parameters.split(/\r?\n/);
  let end = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.startsWith('Steps: ')) {
      end = i;
      break;
    }
  }
  const neg = lines.findIndex((l, i) => i < end && l.startsWith('Negative prompt:'));
  if (neg >= 0) end = neg;
  return lines.slice(0, end).join('\n').trim();
}

export function buildXmpPacket(meta: EmbeddedMeta): string {
  const prompt = typeof meta.json.prompt === 'string' ? meta.json.prompt : promptFromParameters(meta.parameters);
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n' +
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n' +
    '  <rdf:Description rdf:about=""\n' +
    '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n' +
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n' +
    `    xmlns:sseelfie="${XMP_NAMESPACE}">\n` +
    '   <xmp:CreatorTool>Sseelfie Studio</xmp:CreatorTool>\n' +
    `   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(prompt)}</rdf:li></rdf:Alt></dc:description>\n` +
    `   <sseelfie:Parameters>${xmlEscape(JSON.stringify(meta.json))}</sseelfie:Parameters>\n` +
    `   <sseelfie:ParametersText>${xmlEscape(meta.parameters)}</sseelfie:ParametersText>\n` +
    '  </rdf:Description>\n' +
    ' </rdf:RDF>\n' +
    '</x:xmpmeta>\n' +
    '<?xpacket end="w"?>'
  );
}

function parseXmp(xml: string): ReadMeta {
  const out: ReadMeta = {};
  const tag = (name: string) => {
    const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
    return m ? xmlUnescape(m[1]!) : undefined;
  };
  const json = tag('sseelfie:Parameters');
  if (json !== undefined) {
    try {
      const v: unknown = JSON.parse(json);
      if (v && typeof v === 'object' && !Array.isArray(v)) out.json = v as Record<string, unknown>;
    } catch {
      /* not ours */
    }
  }
  const text = tag('sseelfie:ParametersText');
  if (text !== undefined) out.parameters = text;
  const desc = /<dc:description>[\s\S]*?<rdf:li[^>]*>([\s\S]*?)<\/rdf:li>/.exec(xml);
  if (desc) out.prompt = xmlUnescape(desc[1]!);
  return out;
}

// -------------------------------------------------------------------------------------------------
// EXIF with one UserComment (big-endian TIFF, as piexif writes it)

const EXIF_PREFIX = latin1Bytes('Exif\0\0');

function buildExifTiff(text: string): Uint8Array {
  const utf16 = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    utf16[i * 2] = c >>> 8;
    utf16[i * 2 + 1] = c & 0xff;
  }
  const comment = concat([latin1Bytes('UNICODE\0'), utf16]);
  const exifIfd = 26;
  const dataAt = 44;
  const head = new Uint8Array(dataAt);
  const dv = new DataView(head.buffer);
  head.set([0x4d, 0x4d, 0x00, 0x2a], 0);
  dv.setUint32(4, 8);
  // IFD0: one entry, ExifIFDPointer
  dv.setUint16(8, 1);
  dv.setUint16(10, 0x8769);
  dv.setUint16(12, 4); // LONG
  dv.setUint32(14, 1);
  dv.setUint32(18, exifIfd);
  dv.setUint32(22, 0);
  // Exif IFD: one entry, UserComment
  dv.setUint16(26, 1);
  dv.setUint16(28, 0x9286);
  dv.setUint16(30, 7); // UNDEFINED
  dv.setUint32(32, comment.byteLength);
  dv.setUint32(36, dataAt);
  dv.setUint32(40, 0);
  return concat([head, comment]);
}

/** True for exactly the minimal EXIF that buildExifTiff writes (so embedding again may replace it). */
function isOurExif(t: Uint8Array): boolean {
  if (t.length < 44 || t[0] !== 0x4d || t[1] !== 0x4d) return false;
  const dv = new DataView(t.buffer, t.byteOffset, t.byteLength);
  return (
    dv.getUint16(2) === 0x2a && dv.getUint32(4) === 8 && dv.getUint16(8) === 1 && dv.getUint16(10) === 0x8769 &&
    dv.getUint32(18) === 26 && dv.getUint32(22) === 0 && dv.getUint16(26) === 1 && dv.getUint16(28) === 0x9286 &&
    dv.getUint32(36) === 44 && dv.getUint32(32) === t.length - 44
  );
}

/** UserComment text from a TIFF structure (no "Exif\0\0" prefix), or undefined. */
function readUserComment(t: Uint8Array): string | undefined {
  if (t.length < 8) return undefined;
  const le = t[0] === 0x49 && t[1] === 0x49;
  if (!le && !(t[0] === 0x4d && t[1] === 0x4d)) return undefined;
  const dv = new DataView(t.buffer, t.byteOffset, t.byteLength);
  const u16 = (o: number) => (o + 2 <= t.length ? dv.getUint16(o, le) : -1);
  const u32 = (o: number) => (o + 4 <= t.length ? dv.getUint32(o, le) : -1);
  const findTag = (ifd: number, tag: number): { type: number; count: number; valueAt: number } | undefined => {
    const n = u16(ifd);
    if (n < 0 || n > 1000) return undefined;
    for (let i = 0; i < n; i++) {
      const e = ifd + 2 + i * 12;
      if (e + 12 > t.length) return undefined;
      if (u16(e) === tag) {
        const type = u16(e + 2);
        const count = u32(e + 4);
        const size = (type === 4 ? 4 : 1) * count;
        return { type, count, valueAt: size <= 4 ? e + 8 : u32(e + 8) };
      }
    }
    return undefined;
  };
  const ifd0 = u32(4);
  if (ifd0 < 8) return undefined;
  const ptr = findTag(ifd0, 0x8769);
  if (!ptr) return undefined;
  const exifIfd = u32(ptr.valueAt);
  if (exifIfd < 8) return undefined;
  const uc = findTag(exifIfd, 0x9286);
  if (!uc || uc.valueAt < 0 || uc.valueAt + uc.count > t.length || uc.count < 8) return undefined;
  const code = latin1String(t, uc.valueAt, uc.valueAt + 8);
  const body = t.subarray(uc.valueAt + 8, uc.valueAt + uc.count);
  if (code.startsWith('UNICODE')) {
    let s = '';
    // A1111/piexif write UTF-16BE; honour a BOM, else the TIFF byte order
    let little = le;
    let start = 0;
    if (body[0] === 0xfe && body[1] === 0xff) (little = false), (start = 2);
    else if (body[0] === 0xff && body[1] === 0xfe) (little = true), (start = 2);
    for (let i = start; i + 1 < body.length; i += 2) s += String.fromCharCode(little ? body[i]! | (body[i + 1]! << 8) : (body[i]! << 8) | body[i + 1]!);
    return s.replace(/\0+$/, '');
  }
  return dec.decode(body).replace(/\0+$/, '');
}

// -------------------------------------------------------------------------------------------------
// PNG

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

function embedPng(b: Uint8Array, meta: EmbeddedMeta): Uint8Array {
  const chunks = parsePng(b);
  if (!chunks || chunks[0]?.type !== 'IHDR') throw damaged('PNG');
  const firstIdat = chunks.findIndex((c) => c.type === 'IDAT');
  if (firstIdat < 0) throw damaged('PNG');
  const ours = (c: PngChunk) => isTextChunk(c.type) && [PARAMETERS_KEYWORD, XMP_PNG_KEYWORD].includes(pngKeyword(c.data));
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

function readPng(b: Uint8Array): ReadMeta {
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

// -------------------------------------------------------------------------------------------------
// JPEG

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

function startsWithStr(b: Uint8Array, s: string): boolean {
  if (b.length < s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[i] !== s.charCodeAt(i)) return false;
  return true;
}

function app1(payload: Uint8Array): Uint8Array {
  if (payload.byteLength + 2 > 0xffff) {
    throw new StudioError('invalid_input', 'The prompt and settings are too long to save inside a JPEG. Shorten the prompt, or save as PNG.');
  }
  const n = payload.byteLength + 2;
  return concat([new Uint8Array([0xff, 0xe1, n >>> 8, n & 0xff]), payload]);
}

function embedJpeg(b: Uint8Array, meta: EmbeddedMeta): Uint8Array {
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

function readJpeg(b: Uint8Array): ReadMeta {
  const parsed = parseJpeg(b);
  if (!parsed) return {};
  let out: ReadMeta = {};
  let text: string | undefined;
  for (const s of parsed.segments) {
    if (s.marker !== 0xe1) continue;
    if (startsWithStr(s.payload, XMP_JPEG_HEADER)) out = { ...parseXmp(dec.decode(s.payload.subarray(XMP_JPEG_HEADER.length))), ...out };
    else if (startsWithStr(s.payload, 'Exif\0')) text ??= readUserComment(s.payload.subarray(6));
  }
  if (text !== undefined) out.parameters = text;
  return out;
}

// -------------------------------------------------------------------------------------------------
// WebP

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

function embedWebp(b: Uint8Array, meta: EmbeddedMeta): Uint8Array {
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

function readWebp(b: Uint8Array): ReadMeta {
  const chunks = parseWebp(b);
  if (!chunks) return {};
  let out: ReadMeta = {};
  let text: string | undefined;
  for (const c of chunks) {
    if (c.fourcc === 'XMP ') out = { ...parseXmp(dec.decode(c.data)), ...out };
    else if (c.fourcc === 'EXIF') text ??= readUserComment(startsWithStr(c.data, 'Exif\0') ? c.data.subarray(6) : c.data);
  }
  if (text !== undefined) out.parameters = text;
  return out;
}

// -------------------------------------------------------------------------------------------------
// public API

/**
 * `bytes` with the parameters embedded, pixels untouched. `format` must match the bytes
 * (`invalid_input` otherwise); a structurally damaged file gives `corrupt_file`.
 */
export function embedParameters(bytes: Uint8Array, format: EmbedFormat, meta: EmbeddedMeta): Uint8Array {
  const actual = sniffFormat(bytes);
  const expected = format === 'jpg' ? 'jpeg' : format;
  if (actual !== expected) {
    throw new StudioError('invalid_input', `The generated image is not a ${format.toUpperCase()} file as expected, so its settings could not be saved into it.`);
  }
  if (typeof meta.parameters !== 'string') throw new StudioError('invalid_input', 'The generation settings to save are missing.');
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
