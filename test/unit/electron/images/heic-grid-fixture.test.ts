/**
 * The iPhone-style grid HEIC generator (test/fixtures/heic-grid.ts), checked against libheif-js
 * (the WASM build of a current libheif) as reference decoder and Debian's heif-info (libheif 1.15).
 * heif-enc is required: without it these tests fail (they are not skipped).
 */
import { describe, it, expect } from 'vitest';
import sharp, { type Sharp } from 'sharp';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { heifEncAvailable, libheifReference, makeGridHeic, type GridHeicOptions } from '../../../fixtures/heic-grid';

const MISSING = 'heif-enc is missing: apt-get install -y libheif-examples';
const decode = libheifReference;

async function encode(raw: Uint8Array, width: number, height: number, opts: GridHeicOptions): Promise<Buffer> {
  expect(heifEncAvailable(), MISSING).toBe(true);
  const buf = await makeGridHeic(raw, width, height, opts);
  expect(buf, MISSING).not.toBeNull();
  return buf!;
}

function diff(a: Uint8Array, b: Uint8Array): { mean: number; max: number } {
  expect(a.length).toBe(b.length);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    sum += d;
    if (d > max) max = d;
  }
  return { mean: sum / a.length, max };
}

/** Smooth colour gradient, no edges: 1000×700 in test 1. */
function gradient(width: number, height: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = Math.round((x * 255) / (width - 1));
      raw[i + 1] = Math.round((y * 255) / (height - 1));
      raw[i + 2] = Math.round(((x + y) * 255) / (width + height - 2));
    }
  }
  return raw;
}

const RED = [255, 0, 0];
const GREEN = [0, 255, 0];
const BLUE = [0, 0, 255];
const YELLOW = [255, 255, 0];
const CORNER = 80;

/** A grey-ish gradient with 80×80 corners: top-left RED, top-right GREEN, bottom-left BLUE, bottom-right YELLOW. */
function corners(width: number, height: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const left = x < CORNER;
      const right = x >= width - CORNER;
      const top = y < CORNER;
      const bottom = y >= height - CORNER;
      let c = [100 + Math.round((x * 60) / width), 120, 100 + Math.round((y * 60) / height)];
      if (top && left) c = RED;
      if (top && right) c = GREEN;
      if (bottom && left) c = BLUE;
      if (bottom && right) c = YELLOW;
      raw.set(c, (y * width + x) * 3);
    }
  }
  return raw;
}

/** The colours in the middle of each 80×80 corner of a decoded image. */
function cornerColours(d: { width: number; height: number; data: Uint8Array }) {
  const at = (x: number, y: number) => Array.from(d.data.subarray((y * d.width + x) * 3, (y * d.width + x) * 3 + 3));
  const m = CORNER / 2;
  return {
    topLeft: at(m, m),
    topRight: at(d.width - m, m),
    bottomLeft: at(m, d.height - m),
    bottomRight: at(d.width - m, d.height - m),
  };
}

function expectColour(actual: number[], expected: number[], where: string) {
  actual.forEach((v, i) =>
    expect(Math.abs(v - expected[i]!), `${where}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(8),
  );
}

async function sharpRaw(raw: Buffer, width: number, height: number, op: (s: Sharp) => Sharp): Promise<Buffer> {
  return op(sharp(raw, { raw: { width, height, channels: 3 } }))
    .raw()
    .toBuffer();
}

// 1000×700 with 256-px tiles = 4×3 tiles (1024×768), the right column and bottom row cropped
const GW = 1000;
const GH = 700;
let gradientHeic: Promise<Buffer> | undefined;
const gradientFile = () => (gradientHeic ??= encode(gradient(GW, GH), GW, GH, { tile: 256, quality: 90 }));

// 600×400 with 256-px tiles = 3×2 tiles
const CW = 600;
const CH = 400;
const cornerRaw = corners(CW, CH);

describe('makeGridHeic (iPhone-style HEIF grid fixture)', () => {
  it('writes a 4×3 grid of 256-px tiles that libheif decodes at 1000×700, close to the source', async () => {
    const d = decode(await gradientFile());
    expect([d.width, d.height]).toEqual([GW, GH]);
    expect(d.items).toBe(13); // 12 tiles + the grid
    expect(d.topLevel).toBe(1); // tiles are hidden
    const { mean, max } = diff(d.data, gradient(GW, GH));
    // measured here (x265 via heif-enc 1.15.1, q90): mean 0.40, max 3. A misplaced, unpadded or
    // wrongly cropped tile would give errors of tens to hundreds.
    expect(mean).toBeLessThan(1);
    expect(max).toBeLessThanOrEqual(12);
  });

  // ISO/IEC 23008-12:2017 said only "a vertical (axis = 0) or horizontal (axis = 1) axis"; the
  // 2022 edition and libheif (heif_transform_mirror_direction_vertical = 0, "flip image
  // vertically") exchange TOP and BOTTOM for axis 0 and LEFT and RIGHT for axis 1. That is what
  // libheif-js 1.23 does, checked here. sharp rotates clockwise: 270° clockwise = 90° anti-clockwise.
  const TRANSFORMS: Array<[string, GridHeicOptions, (s: Sharp) => Sharp, number[][]]> = [
    // anti-clockwise: the top-right corner comes to the top-left, and so on
    ['irot 1 turns the grid 90° anti-clockwise', { irot: 1 }, (s) => s.rotate(270), [GREEN, YELLOW, RED, BLUE]],
    [
      'imir 0 exchanges top and bottom (libheif: flip vertically)',
      { imir: 0 },
      (s) => s.flip(),
      [BLUE, YELLOW, RED, GREEN],
    ],
    [
      'imir 1 exchanges left and right (libheif: flip horizontally)',
      { imir: 1 },
      (s) => s.flop(),
      [GREEN, RED, YELLOW, BLUE],
    ],
  ];
  it.each(TRANSFORMS)('%s', async (_name, opts, same, [topLeft, topRight, bottomLeft, bottomRight]) => {
    const d = decode(await encode(cornerRaw, CW, CH, { tile: 256, quality: 90, ...opts }));
    expect([d.width, d.height]).toEqual(opts.irot ? [CH, CW] : [CW, CH]);
    const c = cornerColours(d);
    expectColour(c.topLeft, topLeft!, 'top-left');
    expectColour(c.topRight, topRight!, 'top-right');
    expectColour(c.bottomLeft, bottomLeft!, 'bottom-left');
    expectColour(c.bottomRight, bottomRight!, 'bottom-right');
    const { mean, max } = diff(d.data, await sharpRaw(cornerRaw, CW, CH, same));
    expect(mean).toBeLessThan(1); // measured: 0.35
    expect(max).toBeLessThanOrEqual(12); // measured: 3
  });

  it("Debian's heif-info (libheif 1.15) reads the grid", async () => {
    const buf = await gradientFile();
    const dir = mkdtempSync(path.join(tmpdir(), 'heic-grid-test-'));
    try {
      const file = path.join(dir, 'grid.heic');
      writeFileSync(file, buf);
      const r = spawnSync('heif-info', [file], { encoding: 'utf8' });
      expect(r.error, 'heif-info is missing: apt-get install -y libheif-examples').toBeUndefined();
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`${GW}x${GH}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
