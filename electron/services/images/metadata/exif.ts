/**
 * A minimal EXIF block with one UserComment holding the parameters text (big-endian TIFF,
 * UNICODE, as piexif and A1111 write it), and reading a UserComment back from any EXIF.
 */
import { concat, dec, latin1Bytes, latin1String } from './bytes';

export const EXIF_PREFIX = latin1Bytes('Exif\0\0');

export function buildExifTiff(text: string): Uint8Array {
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
export function isOurExif(t: Uint8Array): boolean {
  if (t.length < 44 || t[0] !== 0x4d || t[1] !== 0x4d) return false;
  const dv = new DataView(t.buffer, t.byteOffset, t.byteLength);
  return (
    dv.getUint16(2) === 0x2a &&
    dv.getUint32(4) === 8 &&
    dv.getUint16(8) === 1 &&
    dv.getUint16(10) === 0x8769 &&
    dv.getUint32(18) === 26 &&
    dv.getUint32(22) === 0 &&
    dv.getUint16(26) === 1 &&
    dv.getUint16(28) === 0x9286 &&
    dv.getUint32(36) === 44 &&
    dv.getUint32(32) === t.length - 44
  );
}

/** UserComment text from a TIFF structure (no "Exif\0\0" prefix), or undefined. */
export function readUserComment(t: Uint8Array): string | undefined {
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
    if (body[0] === 0xfe && body[1] === 0xff) {
      little = false;
      start = 2;
    } else if (body[0] === 0xff && body[1] === 0xfe) {
      little = true;
      start = 2;
    }
    for (let i = start; i + 1 < body.length; i += 2)
      s += String.fromCharCode(little ? body[i]! | (body[i + 1]! << 8) : (body[i]! << 8) | body[i + 1]!);
    return s.replace(/\0+$/, '');
  }
  return dec.decode(body).replace(/\0+$/, '');
}
