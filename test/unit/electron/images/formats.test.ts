import { describe, it, expect } from 'vitest';
import { detectFormat, describeNonImage, formatBytes, sniffFormat } from '../../../../electron/services/images/formats';
import { expectStudioError, fixtureBytes } from './helpers';

function ftyp(major: string, ...compatible: string[]): Uint8Array {
  const size = 16 + compatible.length * 4;
  const b = new Uint8Array(size + 8);
  new DataView(b.buffer).setUint32(0, size);
  b.set(Buffer.from('ftyp' + major + '\0\0\0\0' + compatible.join(''), 'latin1'), 4);
  return b;
}

describe('sniffFormat', () => {
  it.each([
    ['selfie-exif6.jpg', 'jpeg'],
    ['selfie.png', 'png'],
    ['selfie.webp', 'webp'],
    ['selfie.avif', 'avif'],
    ['selfie.heic', 'heic'],
    ['selfie.tif', 'tiff'],
    ['anim.gif', 'gif'],
    ['corrupt.jpg', 'jpeg'],
    ['not-an-image.pdf', null],
    ['empty.jpg', null],
  ])('%s → %s', (file, format) => {
    expect(sniffFormat(fixtureBytes(file))).toBe(format);
  });

  it('reads ISO-BMFF brands: HEIC majors, generic mif1/msf1 by compatible brands, AVIF', () => {
    for (const major of ['heic', 'heix', 'hevc', 'heim', 'heis']) expect(sniffFormat(ftyp(major, 'mif1'))).toBe('heic');
    expect(sniffFormat(ftyp('mif1', 'heic'))).toBe('heic');
    expect(sniffFormat(ftyp('msf1', 'hevc'))).toBe('heic');
    expect(sniffFormat(ftyp('mif1'))).toBe('heic');
    expect(sniffFormat(ftyp('avif', 'mif1'))).toBe('avif');
    expect(sniffFormat(ftyp('mif1', 'miaf', 'avif'))).toBe('avif');
    expect(sniffFormat(ftyp('isom', 'mp41'))).toBeNull(); // an MP4 video
    expect(sniffFormat(ftyp('qt  '))).toBeNull();
  });

  it('knows TIFF in both byte orders and BigTIFF', () => {
    expect(sniffFormat(Uint8Array.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]))).toBe('tiff');
    expect(sniffFormat(Uint8Array.from([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8]))).toBe('tiff');
    expect(sniffFormat(Uint8Array.from([0x49, 0x49, 0x2b, 0, 8, 0, 0, 0]))).toBe('tiff');
  });
});

describe('detectFormat', () => {
  it('returns the format of real images', () => {
    expect(detectFormat(fixtureBytes('selfie.heic'), 'IMG_0001.HEIC')).toBe('heic');
    // the name does not matter, the bytes do
    expect(detectFormat(fixtureBytes('selfie.png'), 'photo.jpg')).toBe('png');
  });

  it('refuses an empty file as unsupported, naming it', async () => {
    const e = await expectStudioError(
      () => detectFormat(new Uint8Array(0), 'empty.jpg'),
      'unsupported_file',
      'empty.jpg',
    );
    expect(e.message).toMatch(/empty/);
  });

  it('says what a non-image is', async () => {
    const pdf = await expectStudioError(
      () => detectFormat(fixtureBytes('not-an-image.pdf'), 'contract.pdf'),
      'unsupported_file',
      'contract.pdf',
    );
    expect(pdf.message).toMatch(/PDF/);
    expect(pdf.message).toMatch(/JPEG, PNG, HEIC/);
    const zip = await expectStudioError(
      () => detectFormat(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0]), 'photos.zip'),
      'unsupported_file',
      'photos.zip',
    );
    expect(zip.message).toMatch(/ZIP/);
    const txt = await expectStudioError(
      () => detectFormat(new TextEncoder().encode('hello, these are my notes\n'), 'notes.txt'),
      'unsupported_file',
      'notes.txt',
    );
    expect(txt.message).toMatch(/text/);
    const bmp = await expectStudioError(
      () => detectFormat(Uint8Array.from([0x42, 0x4d, 0, 0, 0, 0]), 'old.bmp'),
      'unsupported_file',
      'old.bmp',
    );
    expect(bmp.message).toMatch(/BMP/);
  });

  it('refuses camera RAW files (TIFF inside) by their extension', async () => {
    const e = await expectStudioError(
      () => detectFormat(fixtureBytes('selfie.tif'), 'DSC_0042.NEF'),
      'unsupported_file',
      'DSC_0042.NEF',
    );
    expect(e.message).toMatch(/RAW/);
  });

  it('describeNonImage returns null for unknown binary', () => {
    expect(describeNonImage(Uint8Array.from([1, 2, 3, 250, 251, 252, 0, 0, 7]))).toBeNull();
    expect(describeNonImage(ftyp('isom'))).toMatch(/video/);
    expect(describeNonImage(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toMatch(/SVG/);
  });
});

describe('formatBytes', () => {
  it('prints sizes people understand', () => {
    expect(formatBytes(142 * 1024 * 1024)).toBe('142 MB');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100 MB');
    expect(formatBytes(3.44 * 1024 * 1024)).toBe('3.4 MB');
    expect(formatBytes(812 * 1024)).toBe('812 KB');
    expect(formatBytes(10)).toBe('1 KB');
  });
});
