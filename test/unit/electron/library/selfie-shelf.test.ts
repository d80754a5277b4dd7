/**
 * The selfie shelf's import (issue 12, bug 3): a photo already on the shelf is reported as such
 * (by name, with the selfie it already is), not counted as added, and the shelf does not grow.
 * "The same photo" is the same picture, not only the same file: a copy whose metadata differs
 * (a messenger or an export rewrote the EXIF) is the same selfie.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SelfieShelf } from '../../../../electron/services/library/selfie-shelf';
import { ImagePipeline } from '../../../../electron/services/images/image-pipeline';
import { FIXTURES, tmpDir } from '../jobs/harness';

const read = (n: string) => new Uint8Array(readFileSync(path.join(FIXTURES, n)));

/** The same JPEG with a comment segment added after SOI: other bytes, the same picture. */
function withComment(jpeg: Uint8Array, text: string): Uint8Array {
  const body = Buffer.from(text, 'latin1');
  const seg = Buffer.concat([Buffer.from([0xff, 0xfe, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  return new Uint8Array(Buffer.concat([Buffer.from(jpeg.subarray(0, 2)), seg, Buffer.from(jpeg.subarray(2))]));
}

describe('SelfieShelf.import', () => {
  const shelf = () => new SelfieShelf(tmpDir('sseelfie-shelf-'), new ImagePipeline());

  it('re-importing a photo on the shelf says "already on the shelf" and adds only the new ones', async () => {
    const s = shelf();
    const first = await s.import([{ name: 'IMG_0042.jpg', bytes: read('selfie-exif6.jpg') }]);
    expect(first.imported).toHaveLength(1);
    expect(first.duplicates).toEqual([]);

    const png = read('selfie.png');
    const webp = read('selfie.webp');
    const avif = read('selfie.avif');
    const tif = read('selfie.tif');
    const r = await s.import([
      { name: 'a.png', bytes: png },
      { name: 'IMG_0042.jpg', bytes: read('selfie-exif6.jpg') },
      { name: 'b.webp', bytes: webp },
      { name: 'c.avif', bytes: avif },
      { name: 'd.tif', bytes: tif },
    ]);
    expect(r.imported.map((x) => x.name)).toEqual(['a.png', 'b.webp', 'c.avif', 'd.tif']);
    expect(r.duplicates).toEqual([{ name: 'IMG_0042.jpg', id: first.imported[0]!.id, shelfName: 'IMG_0042.jpg' }]);
    expect(r.errors).toEqual([]);
    expect(await s.list()).toHaveLength(5);
  });

  it('the same file twice in one batch is added once', async () => {
    const s = shelf();
    const r = await s.import([
      { name: 'me.png', bytes: read('selfie.png') },
      { name: 'me copy.png', bytes: read('selfie.png') },
    ]);
    expect(r.imported.map((x) => x.name)).toEqual(['me.png']);
    expect(r.duplicates).toEqual([{ name: 'me copy.png', id: r.imported[0]!.id, shelfName: 'me.png' }]);
    expect(await s.list()).toHaveLength(1);
  });

  it('the same picture with other metadata is the same selfie; a different picture is not', async () => {
    const s = shelf();
    const jpeg = new Uint8Array(await sharp(read('selfie.png')).jpeg({ quality: 90 }).toBuffer());
    const a = await s.import([{ name: 'portrait.jpg', bytes: jpeg }]);
    const b = await s.import([
      { name: 'portrait (from chat).jpg', bytes: withComment(jpeg, 're-saved by a messenger') },
    ]);
    expect(b.imported).toEqual([]);
    expect(b.duplicates).toEqual([
      { name: 'portrait (from chat).jpg', id: a.imported[0]!.id, shelfName: 'portrait.jpg' },
    ]);
    const other = new Uint8Array(await sharp(read('selfie.png')).flop().jpeg({ quality: 90 }).toBuffer());
    const c = await s.import([{ name: 'mirrored.jpg', bytes: other }]);
    expect(c.imported.map((x) => x.name)).toEqual(['mirrored.jpg']);
    expect(c.duplicates).toEqual([]);
    expect(await s.list()).toHaveLength(2);
  });
});
