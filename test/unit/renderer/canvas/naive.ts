/**
 * Reference rasterizer for tests: per pixel, per segment signed distance to the
 * "uneven capsule" (convex hull of two discs; Inigo Quilez's sdUnevenCapsule).
 * Slow and obviously correct; rasterize.ts must match it pixel for pixel.
 */
import { isPenStroke, pressureFactor, type MaskDocLike } from '../../../../renderer/features/canvas/mask-doc';

export function sdUnevenCapsule(
  px: number,
  py: number,
  ax: number,
  ay: number,
  ra: number,
  bx: number,
  by: number,
  rb: number,
): number {
  px -= ax;
  py -= ay;
  const pbx = bx - ax;
  const pby = by - ay;
  const h = pbx * pbx + pby * pby;
  if (h === 0 || Math.sqrt(h) <= Math.abs(ra - rb)) {
    // One disc contains the other.
    return ra >= rb ? Math.hypot(px, py) - ra : Math.hypot(px - pbx, py - pby) - rb;
  }
  let qx = (px * pby - py * pbx) / h;
  const qy = (px * pbx + py * pby) / h;
  qx = Math.abs(qx);
  const b = ra - rb;
  const cx = Math.sqrt(h - b * b);
  const cy = b;
  const k = cx * qy - cy * qx;
  const m = cx * qx + cy * qy;
  const n = qx * qx + qy * qy;
  if (k < 0) return Math.sqrt(h * n) - ra;
  if (k > cx) return Math.sqrt(h * (n + 1 - 2 * qy)) - rb;
  return m - ra;
}

export function naiveRasterize(doc: MaskDocLike, width = doc.width, height = doc.height, upTo = doc.index): Uint8Array {
  const out = new Uint8Array(width * height);
  const sx = doc.width / width;
  const sy = doc.height / height;
  for (let o = 0; o < upTo; o++) {
    const op = doc.ops[o]!;
    if (op.kind === 'clear') out.fill(0);
    else if (op.kind === 'fill') out.fill(255);
    else if (op.kind === 'invert') for (let i = 0; i < out.length; i++) out[i] = 255 - out[i]!;
    else if (op.kind === 'bitmap') {
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++)
          out[y * width + x] = op.data[Math.floor((y + 0.5) * sy) * op.width + Math.floor((x + 0.5) * sx)]!;
    } else {
      const p = op.points;
      const n = p.length / 3;
      const pen = doc.usePressure && isPenStroke(op);
      const r = (i: number) => op.radius * (pen ? pressureFactor(p[i * 3 + 2]!) : 1);
      const v = op.mode === 'erase' ? 0 : 255;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const X = (x + 0.5) * sx;
          const Y = (y + 0.5) * sy;
          let inside = n === 1 && Math.hypot(X - p[0]!, Y - p[1]!) <= r(0);
          for (let i = 0; i + 1 < n && !inside; i++) {
            inside =
              sdUnevenCapsule(X, Y, p[i * 3]!, p[i * 3 + 1]!, r(i), p[i * 3 + 3]!, p[i * 3 + 4]!, r(i + 1)) <= 1e-9;
          }
          if (inside) out[y * width + x] = v;
        }
      }
    }
  }
  return out;
}

/** Deterministic PRNG (LCG) for reproducible random tests. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export function countDiff(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d;
}
