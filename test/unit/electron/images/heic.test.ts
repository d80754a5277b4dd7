/**
 * The HEIC decoder (electron/services/images/heic.ts) decodes phone-style grids tile by tile and
 * band by band, so worker threads can share a photo. Whatever the split, the pixels must be exactly
 * libheif's own whole-image decode, rotations, mirrors and cropped edge tiles included.
 * heif-enc is required to make the grids: without it these tests fail (they are not skipped).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bandRows, openHeic, placeTiles, type OpenedHeic } from '../../../../electron/services/images/heic';
import { heifEncAvailable, libheifReference, makeGridHeic, type GridHeicOptions } from '../../../fixtures/heic-grid';

const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures');

// 1000×700 in 256 px tiles: a 4×3 grid of 1024×768, the right 24 and bottom 68 pixels cropped
const W = 1000;
const H = 700;

function scene(): Uint8Array {
  const raw = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      raw[i] = (x * 255) / W;
      raw[i + 1] = (y * 255) / H;
      raw[i + 2] = ((x >> 5) + (y >> 5)) % 2 ? 200 : 40; // a checkerboard makes any misplaced tile visible
    }
  }
  return raw;
}

const CASES: Array<[string, GridHeicOptions]> = [
  ['upright', {}],
  ['irot 1 (portrait, turned anti-clockwise)', { irot: 1 }],
  ['irot 3 with imir 1', { irot: 3, imir: 1 }],
  ['imir 0', { imir: 0 }],
];
const files = new Map<string, Uint8Array>();

beforeAll(async () => {
  expect(heifEncAvailable(), 'heif-enc is missing: apt-get install -y libheif-examples').toBe(true);
  const raw = scene();
  for (const [name, opts] of CASES)
    files.set(name, new Uint8Array((await makeGridHeic(raw, W, H, { tile: 256, quality: 70, ...opts }))!));
}, 120_000);

async function withOpened<T>(bytes: Uint8Array, fn: (o: OpenedHeic) => T): Promise<T> {
  const o = await openHeic(bytes);
  try {
    return fn(o);
  } finally {
    o.dispose();
  }
}

describe('bandRows', () => {
  it('maps tile rows to image rows, shifted by the top offset and clipped to the image', () => {
    const tiling = { columns: 4, rows: 4, tileWidth: 256, tileHeight: 256, topOffset: 24, leftOffset: 0 };
    expect(bandRows(tiling, 1000, 0, 1)).toEqual({ y: 0, height: 232 });
    expect(bandRows(tiling, 1000, 1, 3)).toEqual({ y: 232, height: 512 });
    expect(bandRows(tiling, 1000, 3, 4)).toEqual({ y: 744, height: 256 });
  });
});

describe('placeTiles', () => {
  const grid = { columns: 4, rows: 3, tileWidth: 256, tileHeight: 256, topOffset: 0, leftOffset: 0 };
  const whole = { columns: 1, rows: 1, tileWidth: 1000, tileHeight: 700, topOffset: 0, leftOffset: 0 };

  it('puts the overhang where libheif says it went, measured in pixels', () => {
    expect(placeTiles(grid, { width: 1000, height: 700 }, { width: 1000, height: 700 })).toEqual(grid);
    // libheif 1.23 reports size % tile (232, 188) for the side the overhang moved to
    expect(
      placeTiles(
        { ...grid, topOffset: 188, leftOffset: 232 },
        { width: 1000, height: 700 },
        { width: 1000, height: 700 },
      ),
    ).toEqual({ ...grid, topOffset: 68, leftOffset: 24 });
    // turned: the grid's own size is the displayed one swapped
    const turned = { columns: 3, rows: 4, tileWidth: 256, tileHeight: 256, topOffset: 232, leftOffset: 0 };
    expect(placeTiles(turned, { width: 700, height: 1000 }, { width: 1000, height: 700 })).toEqual({
      ...turned,
      topOffset: 24,
    });
  });

  it('decodes whole what the tiling cannot place: a crop (clap), an overhang of a tile or more, one tile', () => {
    expect(placeTiles(grid, { width: 900, height: 600 }, { width: 1000, height: 700 })).toEqual({
      ...whole,
      tileWidth: 900,
      tileHeight: 600,
    });
    expect(placeTiles(grid, { width: 700, height: 700 }, { width: 700, height: 700 })).toEqual({
      ...whole,
      tileWidth: 700,
    });
    expect(
      placeTiles({ ...grid, columns: 1, rows: 1 }, { width: 1000, height: 700 }, { width: 1000, height: 700 }),
    ).toEqual(whole);
  });
});

describe('openHeic', () => {
  it.each(CASES)('%s: the grid decoded tile by tile is exactly libheif’s whole decode', async (name) => {
    const bytes = files.get(name)!;
    const ref = libheifReference(bytes);
    await withOpened(bytes, (o) => {
      expect([o.width, o.height]).toEqual([ref.width, ref.height]);
      expect(o.tiling.columns * o.tiling.rows).toBe(12);
      expect(o.hasAlpha).toBe(false);
      const r = o.decode();
      expect([r.width, r.height, r.channels]).toEqual([ref.width, ref.height, 3]);
      expect(Buffer.compare(Buffer.from(r.data), Buffer.from(ref.data))).toBe(0);
    });
  });

  it('a rotated grid reports where its cropped edge went (offsets), and bands still line up', async () => {
    const bytes = files.get('irot 1 (portrait, turned anti-clockwise)')!;
    const ref = libheifReference(bytes);
    await withOpened(bytes, (o) => {
      // turned anti-clockwise, the cropped right edge (24 px) is now at the top
      expect([o.width, o.height]).toEqual([H, W]);
      expect(o.tiling).toMatchObject({ columns: 3, rows: 4, topOffset: 24, leftOffset: 0 });
      const bands = [
        [0, 1],
        [1, 2],
        [2, 4],
      ].map(([a, b]) => o.decodeRows(a!, b!));
      expect(bands.map((b) => [b.y, b.height])).toEqual([
        [0, 232],
        [232, 256],
        [488, 512],
      ]);
      for (const b of bands) {
        const rowBytes = o.width * 3;
        expect(
          Buffer.compare(
            Buffer.from(b.data),
            Buffer.from(ref.data.subarray(b.y * rowBytes, (b.y + b.height) * rowBytes)),
          ),
        ).toBe(0);
      }
    });
  });

  it('a one-picture HEIC is one tile and decodes whole', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, 'selfie.heic')));
    const ref = libheifReference(bytes);
    await withOpened(bytes, (o) => {
      expect(o.tiling).toEqual({ columns: 1, rows: 1, tileWidth: 600, tileHeight: 800, topOffset: 0, leftOffset: 0 });
      expect(Buffer.compare(Buffer.from(o.decode().data), Buffer.from(ref.data))).toBe(0);
    });
  });

  it('refuses a damaged file with a reason, and a cut grid fails in decoding, not silently', async () => {
    await expect(
      openHeic(new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63])),
    ).rejects.toThrow(/HEIF/);
    const grid = files.get('upright')!;
    // the tiles' data sit at the end of the file: cut into the last tiles
    const cut = grid.slice(0, grid.byteLength - 2000);
    await expect(withOpened(cut, (o) => o.decode())).rejects.toThrow(/HEIF|decode/i);
  });

  it('dispose is safe twice; decoding after it is refused', async () => {
    const o = await openHeic(files.get('upright')!);
    o.dispose();
    o.dispose();
    expect(() => o.decodeRows(0, 1)).toThrow(/closed/);
  });
});
