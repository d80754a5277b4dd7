/**
 * Deterministic, mouse-like mask strokes for the painter benchmarks (pure TS,
 * used both in Node and inside the Chromium page).
 *
 * Strokes are generated the way a mouse produces them while the whole image is
 * fitted in the window: a smooth wandering path in SCREEN space, sampled every
 * 2–10 CSS px and rounded to whole CSS px, then mapped to image px
 * (÷ zoom). At fit zoom on a 4096² image that is ~5 image px of quantisation
 * noise per sample, the worst case for commit-time simplification.
 */

export interface BenchStroke {
  mode: 'paint' | 'erase';
  /** image px */
  radius: number;
  /** x, y, pressure (0.5 = mouse) in image px */
  points: Float32Array;
}

export interface BenchStrokeOptions {
  count: number;
  imageWidth: number;
  imageHeight: number;
  /** CSS px per image px while "drawing" (default: fit 4096 px into ~768 px). */
  zoom?: number;
  seed?: number;
  /** Brush diameter range in CSS px (default 8–48, i.e. ~40–250 image px at fit zoom). */
  minScreenDiameter?: number;
  maxScreenDiameter?: number;
  /** Stroke length range in CSS px (default 80–500). */
  minScreenLength?: number;
  maxScreenLength?: number;
  /** Every n-th stroke erases (default 6; 0 = never). */
  eraseEvery?: number;
}

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function mouseLikeStrokes(o: BenchStrokeOptions): BenchStroke[] {
  const zoom = o.zoom ?? 768 / Math.max(o.imageWidth, o.imageHeight);
  const rnd = lcg(o.seed ?? 20240601);
  const minD = o.minScreenDiameter ?? 8;
  const maxD = o.maxScreenDiameter ?? 48;
  const minL = o.minScreenLength ?? 80;
  const maxL = o.maxScreenLength ?? 500;
  const eraseEvery = o.eraseEvery ?? 6;
  const sw = o.imageWidth * zoom;
  const sh = o.imageHeight * zoom;
  const out: BenchStroke[] = [];
  for (let s = 0; s < o.count; s++) {
    const diameter = minD + rnd() * (maxD - minD);
    const length = minL + rnd() * (maxL - minL);
    let x = rnd() * sw;
    let y = rnd() * sh;
    let angle = rnd() * Math.PI * 2;
    let turn = (rnd() - 0.5) * 0.08;
    const pts: number[] = [];
    let travelled = 0;
    while (travelled <= length) {
      pts.push(Math.round(x) / zoom, Math.round(y) / zoom, 0.5);
      const step = 2 + rnd() * 8;
      turn += (rnd() - 0.5) * 0.04;
      turn = Math.max(-0.12, Math.min(0.12, turn));
      angle += turn * step;
      x = Math.max(0, Math.min(sw, x + Math.cos(angle) * step));
      y = Math.max(0, Math.min(sh, y + Math.sin(angle) * step));
      travelled += step;
    }
    out.push({
      mode: eraseEvery > 0 && s % eraseEvery === eraseEvery - 1 ? 'erase' : 'paint',
      radius: diameter / zoom / 2,
      points: Float32Array.from(pts),
    });
  }
  return out;
}
