/**
 * Image format detection by magic bytes (never by file name), plus the wording of file errors.
 * Pure: no sharp, no fs, no electron.
 */
import { StudioError } from '../../../shared/errors';

export const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'heic', 'tiff', 'gif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const FORMAT_MIME: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  tiff: 'image/tiff',
  gif: 'image/gif',
};

/** What the person may choose, for messages. */
export const SUPPORTED_FORMATS_TEXT = 'a JPEG, PNG, HEIC, WebP, AVIF, TIFF or GIF photo';

/** How many leading bytes `sniffFormat` needs at most (ISO-BMFF brand lists can be long). */
export const SNIFF_BYTES = 4096;

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const HEIF_GENERIC_BRANDS = new Set(['mif1', 'msf1', 'mif2', 'miaf']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

function ascii(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end && i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

/** ISO-BMFF `ftyp` box → 'heic' | 'avif' | null. Looks at the major brand, then the compatible brands. */
function sniffFtyp(b: Uint8Array): 'heic' | 'avif' | null {
  if (b.length < 16 || ascii(b, 4, 8) !== 'ftyp') return null;
  const boxSize = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const end = Math.min(b.length, boxSize >= 16 ? boxSize : 16);
  const major = ascii(b, 8, 12);
  if (AVIF_BRANDS.has(major)) return 'avif';
  if (HEIF_BRANDS.has(major)) return 'heic';
  const compatible: string[] = [];
  for (let i = 16; i + 4 <= end; i += 4) compatible.push(ascii(b, i, i + 4));
  if (compatible.some((c) => AVIF_BRANDS.has(c))) return 'avif';
  if (compatible.some((c) => HEIF_BRANDS.has(c))) return 'heic';
  if (HEIF_GENERIC_BRANDS.has(major)) return 'heic'; // a plain HEIF still image: libheif decides
  return null;
}

/** The format from the first bytes, or null when it is not an image we can open. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  const b = bytes;
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return 'gif';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(b, [0x49, 0x49, 0x2b, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff'; // BigTIFF
  return sniffFtyp(b);
}

/** A short human description of a file that is not a supported image, or null if unknown. */
export function describeNonImage(bytes: Uint8Array): string | null {
  const b = bytes;
  const head = ascii(b, 0, 16);
  if (head.startsWith('%PDF')) return 'a PDF document';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06]))
    return 'a ZIP archive (or an Office document)';
  if (head.startsWith('BM')) return 'a BMP image, a format the app cannot read';
  if (startsWith(b, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20]) || startsWith(b, [0xff, 0x0a]))
    return 'a JPEG XL image, a format the app cannot read';
  if (startsWith(b, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20]))
    return 'a JPEG 2000 image, a format the app cannot read';
  if (head.startsWith('8BPS')) return 'a Photoshop document';
  if (startsWith(b, [0x00, 0x00, 0x01, 0x00])) return 'an icon file';
  if (ascii(b, 4, 8) === 'ftyp') return 'a video or another kind of media file';
  if (ascii(b, 0, 4) === 'RIFF') return 'a sound or video file';
  const text = ascii(b, 0, 512).trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg')))
    return 'an SVG drawing, which the app cannot use as a photo';
  if (text.startsWith('<')) return 'a web page or text document';
  let printable = 0;
  const n = Math.min(b.length, 512);
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0xc0) printable++;
  }
  if (n > 0 && printable / n > 0.95) return 'a text file';
  return null;
}

const RAW_EXTENSIONS = new Set([
  'dng',
  'nef',
  'cr2',
  'arw',
  'orf',
  'rw2',
  'pef',
  'srw',
  'raf',
  'nrw',
  'sr2',
  '3fr',
  'erf',
  'kdc',
  'mos',
  'iiq',
]);

function extensionOf(name: string): string {
  const m = /\.([a-z0-9]+)$/i.exec(name);
  return m ? m[1]!.toLowerCase() : '';
}

/** Human size, e.g. `142 MB`, `3.4 MB`, `812 KB` (binary units, as the limits are). */
export function formatBytes(n: number): string {
  const mb = n / (1024 * 1024);
  if (mb >= 10) return `${Math.round(mb)} MB`;
  if (mb >= 1) return `${(Math.round(mb * 10) / 10).toString()} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}

/** Errors about one named file. Every message names the file and says what to do. */
export const fileErrors = {
  empty(name: string): StudioError {
    return new StudioError(
      'unsupported_file',
      `"${name}" is empty (0 bytes). Choose the photo again, or export it again from your photo app.`,
      {
        fields: [{ field: 'image', message: 'The file is empty.' }],
      },
    );
  },
  notImage(name: string, what: string | null): StudioError {
    const msg = what
      ? `"${name}" is ${what}, not a photo. Choose ${SUPPORTED_FORMATS_TEXT}.`
      : `"${name}" is not an image the app can read. Choose ${SUPPORTED_FORMATS_TEXT}.`;
    return new StudioError('unsupported_file', msg, {
      fields: [{ field: 'image', message: 'Not a supported image.' }],
    });
  },
  rawCamera(name: string): StudioError {
    return new StudioError(
      'unsupported_file',
      `"${name}" is a camera RAW file. Export it as a JPEG or HEIC from your photo app, then choose that copy.`,
      { fields: [{ field: 'image', message: 'RAW camera files are not supported.' }] },
    );
  },
  tooLarge(name: string, bytes: number, maxBytes: number): StudioError {
    return new StudioError(
      'file_too_large',
      `"${name}" is ${formatBytes(bytes)}. Photos up to ${formatBytes(maxBytes)} can be used; export a smaller copy and try again.`,
      { fields: [{ field: 'image', message: 'The file is too large.' }] },
    );
  },
  tooManyPixels(name: string, width: number, height: number, maxPixels: number): StudioError {
    const mp = (width * height) / 1e6;
    const mpText = mp >= 10 ? Math.round(mp).toString() : (Math.round(mp * 10) / 10).toString();
    return new StudioError(
      'file_too_large',
      `"${name}" is ${width} × ${height} pixels (${mpText} megapixels). Photos up to ${Math.round(maxPixels / 1e6)} megapixels can be used; export a smaller copy and try again.`,
      { fields: [{ field: 'image', message: 'The image has too many pixels.' }] },
    );
  },
  tooSmall(name: string, width: number, height: number): StudioError {
    return new StudioError(
      'invalid_input',
      `"${name}" is only ${width} × ${height} pixels, too small to edit. Choose a photo at least 16 pixels on each side (ideally 1000 or more).`,
      { fields: [{ field: 'image', message: 'The image is too small.' }] },
    );
  },
  corrupt(name: string, cause?: unknown): StudioError {
    return new StudioError(
      'corrupt_file',
      `"${name}" is damaged and can't be opened. Open it in your photo app and export a new copy, then try again.`,
      { fields: [{ field: 'image', message: 'The file is damaged.' }], cause },
    );
  },
  unreadable(name: string, cause?: unknown): StudioError {
    const code = (cause as { code?: string } | undefined)?.code;
    const why =
      code === 'ENOENT'
        ? "wasn't found. It may have been moved or deleted; choose it again."
        : code === 'EACCES' || code === 'EPERM'
          ? "can't be read: the app has no permission to open it. Move it to your Pictures folder, or check its permissions, and choose it again."
          : code === 'EISDIR'
            ? 'is a folder, not a photo. Choose a photo file inside it.'
            : "can't be read. Check that the disk is connected, then choose the photo again.";
    return new StudioError('invalid_input', `"${name}" ${why}`, {
      fields: [{ field: 'image', message: 'The file cannot be read.' }],
      cause,
    });
  },
};

/**
 * The format of a named file, or a StudioError: `unsupported_file` for empty files, non-images and
 * image formats the app can't read (RAW camera files are TIFF inside, so they are caught by name).
 */
export function detectFormat(bytes: Uint8Array, name: string): ImageFormat {
  if (bytes.length === 0) throw fileErrors.empty(name);
  const format = sniffFormat(bytes);
  if (!format) throw fileErrors.notImage(name, describeNonImage(bytes));
  if (format === 'tiff' && RAW_EXTENSIONS.has(extensionOf(name))) throw fileErrors.rawCamera(name);
  return format;
}
