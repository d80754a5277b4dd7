/**
 * MaskRaster: one doc kept rasterized on one grid across edits, undo and redo, with checkpoints
 * and dirty-rect undo. Separate because it is the only stateful part of rasterizing (memory
 * budget, branch detection, what is current); the screen overlay and the undo bench use it.
 */

import type { MaskDocLike, MaskOp } from './mask-doc';
import {
  docBoxToRect,
  imageClipRect,
  intersectRect,
  strokeDocBounds,
  unionRect,
  type RasterGrid,
  type Rect,
} from './raster-geometry';
import { applyOp, fillRect, replayStart } from './raster-ops';

export interface MaskRasterOptions {
  /** Save a checkpoint every N ops (default 20). */
  checkpointInterval?: number;
  /** Memory budget for checkpoints in bytes (default 128 MiB, at least 2 checkpoints). */
  maxCheckpointBytes?: number;
}

interface Checkpoint {
  index: number;
  /** ops[index - 1] when saved; a different object there means the branch was truncated. */
  tail: MaskOp;
  data: Uint8Array;
  usePressure: boolean;
}

/**
 * Keeps `data` equal to State(index) of a doc on a fixed grid and moves it
 * between history indices cheaply:
 *  - forward (new op / redo): applies only the new ops;
 *  - backward (undo): the pixels that can change are inside the union of the
 *    undone strokes' bounds, so only that rect is restored from the nearest
 *    checkpoint (or the last clear/fill) and re-rendered, clipped;
 *  - anything else (grid change, truncated branch, pressure toggle): full
 *    replay from the best start.
 * Checkpoints are full copies saved every `checkpointInterval` ops; when over
 * the memory budget the one farthest from the current index is dropped.
 */
export class MaskRaster {
  private _grid: RasterGrid;
  private _data: Uint8Array;
  private doc: MaskDocLike;
  private clip: Rect;
  private current = -1; // -1: invalid
  private currentTail: MaskOp | null = null;
  private currentPressure = true;
  private checkpoints: Checkpoint[] = [];
  private spare: Uint8Array[] = [];
  private readonly interval: number;
  private readonly budget: number;
  private checkpointFrom = 0;

  constructor(doc: MaskDocLike, grid: RasterGrid, options: MaskRasterOptions = {}) {
    this.doc = doc;
    this._grid = grid;
    this._data = new Uint8Array(grid.width * grid.height);
    this.clip = imageClipRect(grid, doc.width, doc.height);
    this.interval = Math.max(1, options.checkpointInterval ?? 20);
    this.budget = options.maxCheckpointBytes ?? 128 * 1024 * 1024;
  }

  /** The raster (State(renderedIndex)); do not mutate. */
  get data(): Uint8Array {
    return this._data;
  }
  get grid(): RasterGrid {
    return this._grid;
  }
  /** The rect of output pixels inside the image. */
  get imageRect(): Rect {
    return this.clip;
  }
  get renderedIndex(): number {
    return this.current;
  }
  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  setDoc(doc: MaskDocLike): void {
    if (doc === this.doc) return;
    this.doc = doc;
    this.clip = imageClipRect(this._grid, doc.width, doc.height);
    this.invalidate();
  }

  /** Changes the output grid (e.g. zoom/pan/resize). Drops every cached raster. */
  setGrid(grid: RasterGrid): void {
    const g = this._grid;
    if (
      g.width === grid.width &&
      g.height === grid.height &&
      g.scaleX === grid.scaleX &&
      g.scaleY === grid.scaleY &&
      g.offsetX === grid.offsetX &&
      g.offsetY === grid.offsetY
    ) {
      return;
    }
    const sameSize = g.width === grid.width && g.height === grid.height;
    this._grid = grid;
    this.clip = imageClipRect(grid, this.doc.width, this.doc.height);
    if (!sameSize) {
      this._data = new Uint8Array(grid.width * grid.height);
      this.spare = [];
      this.checkpoints = [];
    }
    this.invalidate();
  }

  /** Forgets the current raster and all checkpoints (the next render is a full replay). */
  invalidate(): void {
    this.current = -1;
    this.currentTail = null;
    for (const c of this.checkpoints) this.spare.push(c.data);
    this.checkpoints = [];
    this.trimSpare();
  }

  private maxCheckpoints(): number {
    return Math.max(2, Math.floor(this.budget / Math.max(1, this._data.length)));
  }

  /** Keeps freed checkpoint buffers for reuse, within the checkpoint budget. */
  private trimSpare(): void {
    const size = this._data.length;
    this.spare = this.spare.filter((b) => b.length === size);
    const max = this.maxCheckpoints() - this.checkpoints.length;
    if (this.spare.length > max) this.spare.length = Math.max(0, max);
  }

  dispose(): void {
    this.invalidate();
    this.spare = [];
    this._data = new Uint8Array(0);
  }

  private isValidAt(index: number, tail: MaskOp | null): boolean {
    const ops = this.doc.ops;
    if (index < 0 || index > ops.length) return false;
    if (index === 0) return true;
    return ops[index - 1] === tail;
  }

  /**
   * Brings `data` to State(index) (default: the doc's current index).
   * Returns the rect of output pixels that may have changed, or null if none.
   * Checkpoints are only saved at indices >= `checkpointFrom`; a full replay
   * saves just the two boundaries below the target (the ones undo needs first).
   */
  render(index: number = this.doc.index, checkpointFrom = 0): Rect | null {
    const doc = this.doc;
    const ops = doc.ops;
    const target = Math.max(0, Math.min(index, ops.length));
    const grid = this._grid;
    const full: Rect = { x0: 0, y0: 0, x1: grid.width, y1: grid.height };
    const valid =
      this.current >= 0 && this.currentPressure === doc.usePressure && this.isValidAt(this.current, this.currentTail);

    this.checkpointFrom = checkpointFrom;
    if (!valid) {
      this.rebuild(full, target, true);
      return full;
    }
    if (target === this.current) return null;

    if (target > this.current) {
      let dirty: Rect | null = null;
      for (let i = this.current; i < target; i++) {
        const op = ops[i]!;
        applyOp(this._data, grid, op, doc.usePressure, this.clip);
        dirty = unionRect(dirty, this.opRect(op));
        this.maybeCheckpoint(i + 1, op);
      }
      this.setCurrent(target);
      return dirty;
    }

    // Backward: only the undone ops' pixels can differ.
    let dirty: Rect | null = null;
    for (let i = target; i < this.current; i++) {
      dirty = unionRect(dirty, this.opRect(ops[i]!));
      if (dirty && this.coversClip(dirty)) break;
    }
    if (!dirty) {
      this.setCurrent(target);
      return null;
    }
    this.rebuild(dirty, target, this.coversClip(dirty));
    return dirty;
  }

  private coversClip(r: Rect): boolean {
    const c = this.clip;
    return r.x0 <= c.x0 && r.y0 <= c.y0 && r.x1 >= c.x1 && r.y1 >= c.y1;
  }

  private opRect(op: MaskOp): Rect {
    if (op.kind === 'stroke') return docBoxToRect(strokeDocBounds(op), this._grid, this.clip);
    return { ...this.clip };
  }

  /** Re-renders `region` of data as State(target) from the best available start. */
  private rebuild(region: Rect, target: number, fullRegion: boolean): void {
    const doc = this.doc;
    const ops = doc.ops;
    const grid = this._grid;
    const data = this._data;
    const { start: resetStart, base } = replayStart(ops, target);
    let start = resetStart;
    let cp: Checkpoint | null = null;
    for (const c of this.checkpoints) {
      if (
        c.index <= target &&
        c.index > start &&
        c.usePressure === doc.usePressure &&
        this.isValidAt(c.index, c.tail)
      ) {
        start = c.index;
        cp = c;
      }
    }
    const clip = intersectRect(region, this.clip);
    if (fullRegion) {
      if (cp) data.set(cp.data);
      else {
        data.fill(0);
        fillRect(data, grid, this.clip, base);
      }
    } else if (cp) {
      const W = grid.width;
      for (let y = clip.y0; y < clip.y1; y++) {
        const s = y * W + clip.x0;
        data.set(cp.data.subarray(s, y * W + clip.x1), s);
      }
    } else {
      fillRect(data, grid, clip, base);
    }
    const saveFrom = Math.max(this.checkpointFrom, target - 2 * this.interval);
    for (let i = start; i < target; i++) {
      const op = ops[i]!;
      applyOp(data, grid, op, doc.usePressure, clip);
      if (fullRegion && i + 1 >= saveFrom) this.maybeCheckpoint(i + 1, op);
    }
    this.setCurrent(target);
  }

  private setCurrent(index: number): void {
    this.current = index;
    this.currentTail = index > 0 ? this.doc.ops[index - 1]! : null;
    this.currentPressure = this.doc.usePressure;
  }

  private maybeCheckpoint(index: number, tail: MaskOp): void {
    if (index % this.interval !== 0 || index < this.checkpointFrom) return;
    const existing = this.checkpoints.find((c) => c.index === index);
    if (existing && existing.tail === tail && existing.usePressure === this.doc.usePressure) return;
    const size = this._data.length;
    const maxCount = this.maxCheckpoints();
    // Drop stale checkpoints first.
    this.checkpoints = this.checkpoints.filter((c) => {
      const keep = c !== existing && this.isValidAt(c.index, c.tail);
      if (!keep) this.spare.push(c.data);
      return keep;
    });
    while (this.checkpoints.length >= maxCount) {
      let far = 0;
      for (let i = 1; i < this.checkpoints.length; i++) {
        if (Math.abs(this.checkpoints[i]!.index - index) > Math.abs(this.checkpoints[far]!.index - index)) far = i;
      }
      this.spare.push(this.checkpoints[far]!.data);
      this.checkpoints.splice(far, 1);
    }
    let buf = this.spare.pop();
    if (!buf || buf.length !== size) buf = new Uint8Array(size);
    buf.set(this._data);
    this.checkpoints.push({ index, tail, data: buf, usePressure: this.doc.usePressure });
  }
}
