// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { MaskDoc, makeBitmap, makeStroke, type MaskOp } from '../../../../renderer/features/canvas/mask-doc';
import {
  MaskRaster,
  gridForSize,
  imageClipRect,
  maskCoverage,
  rasterizeMask,
  rasterizeStroke,
  renderOps,
  type RasterGrid,
} from '../../../../renderer/features/canvas/rasterize';
import { countDiff, lcg, naiveRasterize } from './naive';

const at = (m: Uint8Array, w: number, x: number, y: number) => m[y * w + x];

/** A doc without commit-time simplification, so tests control the exact points. */
function rawDoc(w: number, h: number): MaskDoc {
  return new MaskDoc(w, h, { simplifyDistance: 0, simplifyTolerance: 0 });
}

function line(doc: MaskDoc, mode: 'paint' | 'erase', radius: number, ...xy: number[]) {
  const pts: number[] = [];
  for (let i = 0; i < xy.length; i += 2) pts.push(xy[i]!, xy[i + 1]!, 0.5);
  doc.push(makeStroke(mode, radius, pts));
}

describe('rasterizeMask: stroke geometry', () => {
  it('covers a horizontal capsule exactly (pixel centres within the radius)', () => {
    const doc = rawDoc(100, 100);
    line(doc, 'paint', 5, 10, 50, 90, 50);
    const m = rasterizeMask(doc);
    expect(m.length).toBe(100 * 100);
    expect(at(m, 100, 50, 50)).toBe(255);
    expect(at(m, 100, 50, 54)).toBe(255);
    expect(at(m, 100, 50, 57)).toBe(0);
    // centre (50.5, 55.5) is 5.5 from the axis; (50.5, 45.5) is 4.5
    expect(at(m, 100, 50, 55)).toBe(0);
    expect(at(m, 100, 50, 45)).toBe(255);
    expect(at(m, 100, 50, 44)).toBe(0);
    // round caps: (94.5, 50.5) is 4.53 from (90, 50), (95.5, 50.5) is 5.52
    expect(at(m, 100, 94, 50)).toBe(255);
    expect(at(m, 100, 95, 50)).toBe(0);
    expect(at(m, 100, 5, 50)).toBe(255);
    expect(at(m, 100, 4, 50)).toBe(0);
    // only 0 and 255
    expect(new Set(m)).toEqual(new Set([0, 255]));
  });

  it('draws a single-point stroke as a disc', () => {
    const doc = rawDoc(40, 40);
    line(doc, 'paint', 3, 20, 20);
    const m = rasterizeMask(doc);
    expect(at(m, 40, 20, 20)).toBe(255);
    expect(at(m, 40, 22, 20)).toBe(255); // 2.5 from centre... (22.5-20)=2.5, 0.5 → 2.55
    expect(at(m, 40, 23, 20)).toBe(0); // 3.54
    expect(countDiff(m, naiveRasterize(doc))).toBe(0);
  });

  it('erase subtracts from earlier paint', () => {
    const doc = rawDoc(100, 100);
    line(doc, 'paint', 10, 10, 50, 90, 50);
    line(doc, 'erase', 4, 50, 0, 50, 100);
    const m = rasterizeMask(doc);
    expect(at(m, 100, 50, 50)).toBe(0);
    expect(at(m, 100, 46, 50)).toBe(0); // 3.5 from the eraser axis
    expect(at(m, 100, 45, 50)).toBe(255); // 4.5
    expect(at(m, 100, 30, 50)).toBe(255);
  });

  it('fill sets everything, clear clears everything, invert flips', () => {
    const doc = rawDoc(20, 10);
    doc.push({ kind: 'fill' });
    expect(rasterizeMask(doc).every((v) => v === 255)).toBe(true);
    line(doc, 'erase', 2, 5, 5);
    let m = rasterizeMask(doc);
    expect(at(m, 20, 5, 5)).toBe(0);
    expect(at(m, 20, 15, 5)).toBe(255);
    doc.push({ kind: 'invert' });
    m = rasterizeMask(doc);
    expect(at(m, 20, 5, 5)).toBe(255);
    expect(at(m, 20, 15, 5)).toBe(0);
    doc.push({ kind: 'clear' });
    expect(rasterizeMask(doc).every((v) => v === 0)).toBe(true);
    line(doc, 'paint', 2, 15, 5);
    m = rasterizeMask(doc);
    expect(at(m, 20, 15, 5)).toBe(255);
    expect(at(m, 20, 5, 5)).toBe(0);
    expect(countDiff(m, naiveRasterize(doc))).toBe(0);
  });

  it('invert handles odd sizes (unaligned tails)', () => {
    const doc = rawDoc(7, 3);
    line(doc, 'paint', 1, 1, 1);
    doc.push({ kind: 'invert' });
    expect(countDiff(rasterizeMask(doc), naiveRasterize(doc))).toBe(0);
    doc.push({ kind: 'invert' });
    expect(countDiff(rasterizeMask(doc), naiveRasterize(doc))).toBe(0);
  });

  it('replays up to a history index', () => {
    const doc = rawDoc(60, 60);
    line(doc, 'paint', 5, 10, 10, 50, 10);
    line(doc, 'paint', 5, 10, 30, 50, 30);
    doc.push({ kind: 'invert' });
    const states = [0, 1, 2, 3].map((k) => rasterizeMask(doc, 60, 60, k));
    expect(states[0]!.every((v) => v === 0)).toBe(true);
    expect(at(states[1]!, 60, 30, 10)).toBe(255);
    expect(at(states[1]!, 60, 30, 30)).toBe(0);
    expect(at(states[2]!, 60, 30, 30)).toBe(255);
    expect(at(states[3]!, 60, 30, 30)).toBe(0);
    expect(at(states[3]!, 60, 30, 50)).toBe(255);
    doc.undo();
    expect(countDiff(rasterizeMask(doc), states[2]!)).toBe(0);
    doc.undo();
    expect(countDiff(rasterizeMask(doc), states[1]!)).toBe(0);
    doc.redo();
    doc.redo();
    expect(countDiff(rasterizeMask(doc), states[3]!)).toBe(0);
  });

  it('scales the export to another size (up and down)', () => {
    const doc = rawDoc(100, 100);
    line(doc, 'paint', 5, 10, 50, 90, 50);
    const up = rasterizeMask(doc, 200, 200);
    expect(up.length).toBe(200 * 200);
    // output (100, 108) samples doc (50.25, 54.25): inside; (100, 110) samples 55.25: outside
    expect(at(up, 200, 100, 108)).toBe(255);
    expect(at(up, 200, 100, 110)).toBe(0);
    const down = rasterizeMask(doc, 50, 25);
    expect(down.length).toBe(50 * 25);
    expect(at(down, 50, 25, 12)).toBe(255); // doc (51, 50)
    expect(at(down, 50, 25, 14)).toBe(0); // doc (51, 58)
    expect(countDiff(up, naiveRasterize(doc, 200, 200))).toBe(0);
    expect(countDiff(down, naiveRasterize(doc, 50, 25))).toBe(0);
  });

  it('applies pen pressure to the radius: lerp(0.3, 1, p)', () => {
    const doc = rawDoc(100, 100);
    // pressure 0 at the left end (radius 3), 1 at the right end (radius 10)
    doc.push(makeStroke('paint', 10, [20, 50, 0, 80, 50, 1], true));
    const m = rasterizeMask(doc);
    expect(at(m, 100, 20, 52)).toBe(255); // 2.5 from the centre
    expect(at(m, 100, 20, 54)).toBe(0); // 4.5 > 3
    expect(at(m, 100, 80, 58)).toBe(255); // 8.5 < 10
    expect(at(m, 100, 80, 60)).toBe(0); // 10.5
    expect(countDiff(m, naiveRasterize(doc))).toBe(0);
    // Pressure off: constant radius 10 everywhere.
    doc.usePressure = false;
    const flat = rasterizeMask(doc);
    expect(at(flat, 100, 20, 58)).toBe(255);
    expect(countDiff(flat, naiveRasterize(doc))).toBe(0);
  });

  it('treats pressure 0.5 as simulated (mouse) when the pen flag is absent', () => {
    const doc = rawDoc(60, 60);
    doc.push({ kind: 'stroke', mode: 'paint', radius: 10, points: Float32Array.from([30, 30, 0.5]) });
    expect(at(rasterizeMask(doc), 60, 30, 38)).toBe(255); // full radius, not 0.65×
  });

  it('matches the per-pixel reference on random strokes, pressure and sizes', () => {
    const rnd = lcg(1234);
    let total = 0;
    for (let t = 0; t < 24; t++) {
      const w = 40 + Math.floor(rnd() * 50);
      const h = 30 + Math.floor(rnd() * 50);
      const doc = rawDoc(w, h);
      for (let s = 0; s < 5; s++) {
        const n = 1 + Math.floor(rnd() * 7);
        const pen = rnd() < 0.5;
        const pts: number[] = [];
        for (let i = 0; i < n; i++) pts.push(rnd() * w, rnd() * h, pen ? rnd() : 0.5);
        doc.push(makeStroke(s === 4 ? 'erase' : 'paint', 0.5 + rnd() * 12, pts, pen));
        if (rnd() < 0.1) doc.push({ kind: 'invert' });
      }
      const ow = t % 3 === 0 ? w : Math.round(w * (0.5 + rnd() * 1.5));
      const oh = t % 3 === 0 ? h : Math.round(h * (0.5 + rnd() * 1.5));
      total += countDiff(rasterizeMask(doc, ow, oh), naiveRasterize(doc, ow, oh));
    }
    expect(total).toBe(0);
  });

  it('maskCoverage counts covered pixels', () => {
    const doc = rawDoc(10, 10);
    doc.push({ kind: 'fill' });
    expect(maskCoverage(rasterizeMask(doc))).toBe(1);
    expect(maskCoverage(new Uint8Array(4))).toBe(0);
  });
});

describe('rasterizeStroke: incremental drawing', () => {
  it('drawing points in chunks equals drawing them at once', () => {
    const rnd = lcg(99);
    const pts: number[] = [];
    for (let i = 0; i < 30; i++) pts.push(10 + rnd() * 80, 10 + rnd() * 60, rnd());
    const all = Float32Array.from(pts);
    const grid = gridForSize(100, 80, 100, 80);
    const clip = imageClipRect(grid, 100, 80);
    const once = new Uint8Array(100 * 80);
    rasterizeStroke(once, grid, all, 6, true, 255, clip);
    const chunked = new Uint8Array(100 * 80);
    let drawn = 0;
    for (const end of [1, 2, 5, 6, 13, 30]) {
      rasterizeStroke(chunked, grid, all.subarray(0, end * 3), 6, true, 255, clip, drawn);
      drawn = end;
    }
    expect(countDiff(once, chunked)).toBe(0);
  });
});

describe('screen grids (zoom / pan)', () => {
  it('only touches pixels inside the image rectangle', () => {
    const doc = rawDoc(100, 50);
    doc.push({ kind: 'fill' });
    // zoom 0.5, image placed at (20, 10) in a 120×60 view
    const grid: RasterGrid = { width: 120, height: 60, scaleX: 2, scaleY: 2, offsetX: -40, offsetY: -20 };
    const clip = imageClipRect(grid, 100, 50);
    expect(clip).toEqual({ x0: 20, y0: 10, x1: 70, y1: 35 });
    const data = new Uint8Array(120 * 60);
    renderOps(data, grid, doc, doc.index);
    expect(at(data, 120, 19, 20)).toBe(0);
    expect(at(data, 120, 20, 20)).toBe(255);
    expect(at(data, 120, 69, 34)).toBe(255);
    expect(at(data, 120, 70, 34)).toBe(0);
    expect(at(data, 120, 69, 35)).toBe(0);
  });

  it('a zoomed-in grid samples the same geometry', () => {
    const doc = rawDoc(100, 100);
    line(doc, 'paint', 5, 10, 50, 90, 50);
    // zoom 4 around (50, 50): output px (x, y) samples doc (40 + (x + .5) / 4, 40 + (y + .5) / 4)
    const grid: RasterGrid = { width: 80, height: 80, scaleX: 0.25, scaleY: 0.25, offsetX: 40, offsetY: 40 };
    const data = new Uint8Array(80 * 80);
    renderOps(data, grid, doc, doc.index);
    expect(at(data, 80, 40, 59)).toBe(255); // doc y 54.875
    expect(at(data, 80, 40, 60)).toBe(0); // doc y 55.125
  });
});

/** A mask of w × h with the pixels of every `shift`-th 5-pixel block painted (a saved run's mask, loaded back). */
function blocks(w: number, h: number, shift = 0) {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) if (((Math.floor(x / 5) + Math.floor(y / 5) + shift) & 1) === 0) data[y * w + x] = 255;
  return makeBitmap(w, h, data);
}

describe('a loaded mask (bitmap op)', () => {
  it('is the mask exactly at its size, scaled like the reference at others, and strokes paint and erase over it', () => {
    const doc = rawDoc(40, 30);
    const op = blocks(40, 30);
    expect(doc.push(op)).not.toBeNull();
    expect(doc.isEmpty()).toBe(false);
    expect(countDiff(rasterizeMask(doc), op.data)).toBe(0);
    for (const [w, h] of [
      [40, 30],
      [17, 13],
      [91, 67],
    ] as const)
      expect(countDiff(rasterizeMask(doc, w, h), naiveRasterize(doc, w, h)), `${w}x${h}`).toBe(0);
    line(doc, 'erase', 4, 0, 0, 39, 0);
    line(doc, 'paint', 3, 20, 29, 39, 29);
    expect(countDiff(rasterizeMask(doc), naiveRasterize(doc))).toBe(0);
    expect(at(rasterizeMask(doc), 40, 0, 0)).toBe(0); // painted in the mask, erased since
    expect(at(rasterizeMask(doc), 40, 35, 29)).toBe(255);
    // undone, the photo's mask is gone again
    doc.undo();
    doc.undo();
    doc.undo();
    expect(doc.isEmpty()).toBe(true);
    expect(maskCoverage(rasterizeMask(doc))).toBe(0);
  });

  it('an empty or a full mask counts as such; a mask of another size is refused', () => {
    const doc = rawDoc(10, 10);
    doc.push(makeBitmap(10, 10, new Uint8Array(100)));
    expect(doc.isEmpty()).toBe(true);
    doc.push(makeBitmap(10, 10, new Uint8Array(100).fill(7)));
    expect(doc.isEmpty()).toBe(false);
    expect(maskCoverage(rasterizeMask(doc))).toBe(1);
    expect(doc.push(makeBitmap(5, 20, new Uint8Array(100)))).toBeNull();
    expect(() => makeBitmap(10, 10, new Uint8Array(99))).toThrow(RangeError);
  });

  it('a zoomed and panned screen grid shows the same pixels as the reference', () => {
    const doc = rawDoc(64, 48);
    doc.push(blocks(64, 48, 1));
    const grid: RasterGrid = { width: 50, height: 40, scaleX: 0.6, scaleY: 0.6, offsetX: 10, offsetY: 7 };
    const data = new Uint8Array(50 * 40);
    renderOps(data, grid, doc, doc.index);
    for (let y = 0; y < 40; y++)
      for (let x = 0; x < 50; x++) {
        const X = Math.floor(10 + (x + 0.5) * 0.6);
        const Y = Math.floor(7 + (y + 0.5) * 0.6);
        if (X < 64 && Y < 48)
          expect(data[y * 50 + x]).toBe(doc.ops[0]!.kind === 'bitmap' ? doc.ops[0].data[Y * 64 + X] : -1);
      }
  });
});

describe('MaskRaster: checkpoints and dirty-rect undo', () => {
  function randomOp(rnd: () => number, w: number, h: number): MaskOp {
    const r = rnd();
    if (r < 0.05) return { kind: 'invert' };
    if (r < 0.08) return { kind: 'clear' };
    if (r < 0.1) return { kind: 'fill' };
    if (r < 0.13) return blocks(w, h, Math.floor(rnd() * 8));
    const pts: number[] = [];
    const n = 1 + Math.floor(rnd() * 5);
    for (let i = 0; i < n; i++) pts.push(rnd() * w, rnd() * h, 0.5);
    return makeStroke(rnd() < 0.25 ? 'erase' : 'paint', 1 + rnd() * 8, pts);
  }

  it('stays equal to a fresh rasterization through random push/undo/redo', () => {
    const rnd = lcg(42);
    const doc = rawDoc(64, 48);
    const grids: RasterGrid[] = [
      gridForSize(64, 48, 64, 48),
      { width: 50, height: 40, scaleX: 1.7, scaleY: 1.7, offsetX: -10, offsetY: -5 },
    ];
    for (const grid of grids) {
      const raster = new MaskRaster(doc, grid, {
        checkpointInterval: 3,
        maxCheckpointBytes: grid.width * grid.height * 3,
      });
      for (let step = 0; step < 160; step++) {
        const r = rnd();
        if (r < 0.55) doc.push(randomOp(rnd, 64, 48));
        else if (r < 0.8) doc.undo();
        else if (r < 0.95) doc.redo();
        else {
          const k = Math.floor(rnd() * 4);
          for (let i = 0; i < k; i++) doc.undo();
        }
        raster.render();
        const fresh = new Uint8Array(grid.width * grid.height);
        renderOps(fresh, grid, doc, doc.index);
        expect(countDiff(raster.data, fresh), `step ${step}`).toBe(0);
      }
      expect(raster.checkpointCount).toBeLessThanOrEqual(3);
    }
  });

  it('reports only the undone stroke as dirty', () => {
    const doc = rawDoc(100, 100);
    line(doc, 'paint', 5, 10, 10, 20, 10);
    line(doc, 'paint', 5, 70, 70, 80, 80);
    const raster = new MaskRaster(doc, gridForSize(100, 100, 100, 100));
    raster.render();
    doc.undo();
    const dirty = raster.render()!;
    expect(dirty.x0).toBeGreaterThanOrEqual(60);
    expect(dirty.y0).toBeGreaterThanOrEqual(60);
    expect(at(raster.data, 100, 75, 75)).toBe(0);
    expect(at(raster.data, 100, 15, 10)).toBe(255);
    expect(raster.render()).toBeNull();
    doc.redo();
    expect(raster.render()).not.toBeNull();
    expect(at(raster.data, 100, 75, 75)).toBe(255);
  });

  it('re-renders fully after a grid change or a pressure toggle', () => {
    const doc = rawDoc(40, 40);
    doc.push(makeStroke('paint', 10, [20, 20, 0], true));
    const raster = new MaskRaster(doc, gridForSize(40, 40, 40, 40));
    raster.render();
    expect(at(raster.data, 40, 20, 26)).toBe(0); // radius 3
    doc.usePressure = false;
    raster.render();
    expect(at(raster.data, 40, 20, 26)).toBe(255); // radius 10
    raster.setGrid(gridForSize(40, 40, 20, 20));
    expect(raster.data.length).toBe(400);
    raster.render();
    expect(countDiff(raster.data, rasterizeMask(doc, 20, 20))).toBe(0);
  });
});
