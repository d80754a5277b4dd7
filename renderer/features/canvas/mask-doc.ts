/**
 * MaskDoc: the source of truth of the inpainting mask (white = repaint).
 *
 * Pure TypeScript, no DOM. The mask is stored as a list of operations in image
 * coordinates (strokes, clear, fill, invert, and one `bitmap` for a mask loaded back by Remix,
 * which later strokes paint and erase over), so it can be re-rasterized at any resolution
 * (screen preview, prepared-image export) and undo/redo are just moves of `index` over the op
 * list: stroke lists as the source of truth, one stroke = one undo step, simplified on commit, as
 * excalidraw's freedraw and tldraw's draw shape keep their points.
 *
 * Ops are immutable once pushed: `push()` stores a fresh object, so object
 * identity can be used by caches (see rasterize.ts `MaskRaster`) to detect
 * that a history branch was truncated.
 */

export type MaskMode = 'paint' | 'erase';

export interface StrokeOp {
  readonly kind: 'stroke';
  readonly mode: MaskMode;
  /** Brush radius in image pixels (before the pressure factor). */
  readonly radius: number;
  /** x, y, pressure triples in image pixels. Mouse / simulated pressure is stored as 0.5. */
  readonly points: Float32Array;
  /**
   * True when the points carry real pen pressure (pointerType 'pen').
   * When absent, a stroke counts as a pen stroke if any point's pressure is not
   * exactly 0.5 (excalidraw's `simulatePressure = pressure === 0.5` convention).
   */
  readonly pen?: boolean;
}

export interface ClearOp {
  readonly kind: 'clear';
}
export interface FillOp {
  readonly kind: 'fill';
}
export interface InvertOp {
  readonly kind: 'invert';
}

/**
 * A whole mask as pixels, at the doc's size (one byte per pixel, 0 keep, non-zero repaint): a
 * saved run's mask loaded back (Remix). Like clear and fill it replaces everything before it, so
 * strokes painted after it add to it or erase from it, and undo takes it away again.
 */
export interface BitmapOp {
  readonly kind: 'bitmap';
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  /** what is painted, decided once when the op is made: none, every pixel, or some */
  readonly coverage: 'none' | 'all' | 'some';
}

export type MaskOp = StrokeOp | ClearOp | FillOp | InvertOp | BitmapOp;

/** A bitmap op from a mask's pixels (copied, 0 or 255). */
export function makeBitmap(width: number, height: number, data: Uint8Array): BitmapOp {
  if (data.length !== width * height) throw new RangeError(`makeBitmap: ${data.length} bytes for ${width}x${height}`);
  const copy = new Uint8Array(data.length);
  let painted = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== 0) {
      copy[i] = 255;
      painted++;
    }
  }
  const coverage = painted === 0 ? 'none' : painted === data.length ? 'all' : 'some';
  return { kind: 'bitmap', width, height, data: copy, coverage };
}

/** Pressure reported by mice and pressure-less hardware while a button is down. */
export const SIMULATED_PRESSURE = 0.5;
/** Points closer than this (image px) to the previously kept point are dropped on commit. */
export const DEFAULT_SIMPLIFY_DISTANCE = 0.75;
/**
 * Second simplification stage on commit: interior points whose disc is within
 * this distance (image px, centre offset + radius difference) of the disc
 * interpolated on the chord of their neighbours are dropped (Ramer–Douglas–
 * Peucker). The painted outline moves by at most this much, and smooth strokes
 * shrink 4–15×, which keeps 4096² replays fast.
 */
export const DEFAULT_SIMPLIFY_TOLERANCE = 0.25;

export type MaskDocChangeType = 'push' | 'undo' | 'redo' | 'settings';

export interface MaskDocChange {
  readonly type: MaskDocChangeType;
  /** For 'push': the op that was pushed. */
  readonly op?: MaskOp;
  readonly index: number;
  readonly version: number;
}

export type MaskDocListener = (change: MaskDocChange, doc: MaskDoc) => void;

/** The structural view of a doc that the rasterizer needs. */
export interface MaskDocLike {
  readonly width: number;
  readonly height: number;
  readonly ops: readonly MaskOp[];
  readonly index: number;
  readonly usePressure: boolean;
}

export interface MaskDocOptions {
  /** Apply pen pressure to the brush radius (default true). */
  usePressure?: boolean;
  /** Distance (image px) for point simplification on push; 0 disables (default 0.75). */
  simplifyDistance?: number;
  /** Outline tolerance (image px) for the RDP stage on push; 0 disables (default 0.25). */
  simplifyTolerance?: number;
}

/**
 * Drop points closer than `minDistance` to the previously kept point.
 * The first and the last point are always kept (the last one replaces the
 * last kept point when they are too close, so the stroke ends where the
 * pointer was released). Returns the input array when nothing is dropped.
 */
export function simplifyPoints(points: Float32Array, minDistance = DEFAULT_SIMPLIFY_DISTANCE): Float32Array {
  const n = Math.floor(points.length / 3);
  if (n <= 2 || minDistance <= 0) return points.length === n * 3 ? points : points.slice(0, n * 3);
  const min2 = minDistance * minDistance;
  const out = new Float32Array(n * 3);
  out[0] = points[0]!;
  out[1] = points[1]!;
  out[2] = points[2]!;
  let k = 1;
  let lx = points[0]!;
  let ly = points[1]!;
  for (let i = 1; i < n; i++) {
    const x = points[i * 3]!;
    const y = points[i * 3 + 1]!;
    const dx = x - lx;
    const dy = y - ly;
    const last = i === n - 1;
    if (dx * dx + dy * dy >= min2) {
      out[k * 3] = x;
      out[k * 3 + 1] = y;
      out[k * 3 + 2] = points[i * 3 + 2]!;
      k++;
      lx = x;
      ly = y;
    } else if (last && k > 1) {
      // Too close to the last kept point: move that point to the release position.
      out[(k - 1) * 3] = x;
      out[(k - 1) * 3 + 1] = y;
      out[(k - 1) * 3 + 2] = points[i * 3 + 2]!;
    } else if (last) {
      out[k * 3] = x;
      out[k * 3 + 1] = y;
      out[k * 3 + 2] = points[i * 3 + 2]!;
      k++;
    }
  }
  return k === n ? points : out.slice(0, k * 3);
}

/**
 * Ramer–Douglas–Peucker on x,y,pressure triples, measuring the error of an
 * interior point as |centre − chord point| + |radius − interpolated radius|
 * (radius = `radius` × pressureFactor when `pen`). The convex hull is
 * 1-Lipschitz in Hausdorff distance, so the union of the simplified segment
 * hulls is within `tolerance` of the original union. Returns the input array
 * when nothing is dropped.
 */
export function simplifyTolerance(
  points: Float32Array,
  radius: number,
  pen: boolean,
  tolerance = DEFAULT_SIMPLIFY_TOLERANCE,
): Float32Array {
  const n = Math.floor(points.length / 3);
  if (n <= 2 || !(tolerance > 0)) return points;
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const rad = (i: number): number => (pen ? radius * pressureFactor(points[i * 3 + 2]!) : radius);
  const stack: number[] = [0, n - 1];
  let kept = 2;
  while (stack.length > 0) {
    const b = stack.pop()!;
    const a = stack.pop()!;
    if (b - a < 2) continue;
    const ax = points[a * 3]!;
    const ay = points[a * 3 + 1]!;
    const ar = rad(a);
    const dx = points[b * 3]! - ax;
    const dy = points[b * 3 + 1]! - ay;
    const dr = rad(b) - ar;
    const len2 = dx * dx + dy * dy;
    let worst = -1;
    let wi = -1;
    for (let i = a + 1; i < b; i++) {
      const x = points[i * 3]!;
      const y = points[i * 3 + 1]!;
      let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = ax + t * dx - x;
      const ey = ay + t * dy - y;
      const e = Math.sqrt(ex * ex + ey * ey) + Math.abs(ar + t * dr - rad(i));
      if (e > worst) {
        worst = e;
        wi = i;
      }
    }
    if (worst > tolerance) {
      keep[wi] = 1;
      kept++;
      stack.push(a, wi, wi, b);
    }
  }
  if (kept === n) return points;
  const out = new Float32Array(kept * 3);
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (keep[i] === 0) continue;
    out[j++] = points[i * 3]!;
    out[j++] = points[i * 3 + 1]!;
    out[j++] = points[i * 3 + 2]!;
  }
  return out;
}

/** Whether a stroke's pressure values are real (pen) rather than simulated. */
export function isPenStroke(op: StrokeOp): boolean {
  if (op.pen !== undefined) return op.pen;
  const p = op.points;
  for (let i = 2; i < p.length; i += 3) if (p[i] !== SIMULATED_PRESSURE) return true;
  return false;
}

/** Radius multiplier for a pressure value: lerp(0.3, 1, pressure), pressure clamped to [0, 1]. */
export function pressureFactor(pressure: number): number {
  const p = pressure < 0 ? 0 : pressure > 1 ? 1 : pressure;
  return 0.3 + 0.7 * p;
}

/** Builds a stroke op from x,y,pressure triples (no simplification; `push()` does that). */
export function makeStroke(mode: MaskMode, radius: number, points: ArrayLike<number>, pen?: boolean): StrokeOp {
  const pts = points instanceof Float32Array ? points : Float32Array.from(points);
  return pen === undefined
    ? { kind: 'stroke', mode, radius, points: pts }
    : { kind: 'stroke', mode, radius, points: pts, pen };
}

export class MaskDoc implements MaskDocLike {
  readonly width: number;
  readonly height: number;
  private _ops: MaskOp[] = [];
  private _index = 0;
  private _version = 0;
  private _usePressure: boolean;
  private readonly simplifyDistance: number;
  private readonly simplifyTol: number;
  private readonly listeners = new Set<MaskDocListener>();
  private emptyCacheVersion = -1;
  private emptyCache = true;

  constructor(width: number, height: number, options: MaskDocOptions = {}) {
    if (!(width > 0 && height > 0) || !Number.isFinite(width) || !Number.isFinite(height)) {
      throw new RangeError(`MaskDoc: invalid size ${width}x${height}`);
    }
    this.width = Math.round(width);
    this.height = Math.round(height);
    this._usePressure = options.usePressure ?? true;
    this.simplifyDistance = options.simplifyDistance ?? DEFAULT_SIMPLIFY_DISTANCE;
    this.simplifyTol = options.simplifyTolerance ?? DEFAULT_SIMPLIFY_TOLERANCE;
  }

  /** Every op, including the redo tail beyond `index`. Treat as read-only. */
  get ops(): readonly MaskOp[] {
    return this._ops;
  }
  /** Number of ops currently applied (ops[0..index) are visible). */
  get index(): number {
    return this._index;
  }
  /** Increments on every change (push, undo, redo, settings). */
  get version(): number {
    return this._version;
  }
  get usePressure(): boolean {
    return this._usePressure;
  }
  set usePressure(value: boolean) {
    if (value === this._usePressure) return;
    this._usePressure = value;
    this.emit('settings');
  }

  /** The applied ops (a copy). */
  activeOps(): MaskOp[] {
    return this._ops.slice(0, this._index);
  }

  /**
   * Appends an op after `index`, discarding the redo tail. Strokes are
   * simplified (`simplifyPoints`, then `simplifyTolerance`; a stroke whose
   * points are not 0.5 everywhere gets `pen: true` unless `pen` is given) and
   * copied; strokes without points or with a non-positive
   * radius are ignored (returns null). Returns the stored op.
   */
  push(op: MaskOp): MaskOp | null {
    let stored: MaskOp;
    if (op.kind === 'bitmap') {
      // a mask of another size would not line up with the photo: the caller fits it first
      if (op.width !== this.width || op.height !== this.height) return null;
      stored = makeBitmap(op.width, op.height, op.data);
    } else if (op.kind === 'stroke') {
      if (!(op.radius > 0) || !Number.isFinite(op.radius) || op.points.length < 3) return null;
      const pen = isPenStroke(op);
      const pts = simplifyTolerance(simplifyPoints(op.points, this.simplifyDistance), op.radius, pen, this.simplifyTol);
      const copy = pts === op.points ? pts.slice() : pts;
      stored = { kind: 'stroke', mode: op.mode, radius: op.radius, points: copy, pen };
    } else {
      stored = { kind: op.kind };
    }
    if (this._index < this._ops.length) this._ops.length = this._index;
    this._ops.push(stored);
    this._index = this._ops.length;
    this.emit('push', stored);
    return stored;
  }

  canUndo(): boolean {
    return this._index > 0;
  }
  canRedo(): boolean {
    return this._index < this._ops.length;
  }
  undo(): boolean {
    if (this._index === 0) return false;
    this._index--;
    this.emit('undo');
    return true;
  }
  redo(): boolean {
    if (this._index >= this._ops.length) return false;
    this._index++;
    this.emit('redo');
    return true;
  }

  /**
   * True when nothing painted is visible, decided from the ops: after a clear
   * (or nothing) with only erase strokes since, or a fill followed by an odd
   * number of inverts, etc. A paint stroke followed by erase strokes that
   * happen to remove every pixel still counts as non-empty (use the raster for
   * a pixel-exact answer).
   */
  isEmpty(): boolean {
    if (this.emptyCacheVersion === this._version) return this.emptyCache;
    // 0 = known empty, 1 = known full, 2 = partial
    let state = 0;
    for (let i = 0; i < this._index; i++) {
      const op = this._ops[i]!;
      switch (op.kind) {
        case 'clear':
          state = 0;
          break;
        case 'fill':
          state = 1;
          break;
        case 'invert':
          state = state === 0 ? 1 : state === 1 ? 0 : 2;
          break;
        case 'bitmap':
          state = op.coverage === 'none' ? 0 : op.coverage === 'all' ? 1 : 2;
          break;
        case 'stroke':
          if (op.mode === 'paint') state = state === 1 ? 1 : 2;
          else if (state === 1) state = 2;
          break;
      }
    }
    this.emptyCache = state === 0;
    this.emptyCacheVersion = this._version;
    return this.emptyCache;
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  subscribe(listener: MaskDocListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(type: MaskDocChangeType, op?: MaskOp): void {
    this._version++;
    const change: MaskDocChange = op
      ? { type, op, index: this._index, version: this._version }
      : { type, index: this._index, version: this._version };
    for (const l of [...this.listeners]) l(change, this);
  }
}
