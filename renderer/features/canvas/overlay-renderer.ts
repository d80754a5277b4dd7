/**
 * OverlayRenderer: decides what the mask overlay redraws and when. It owns the screen raster
 * (a MaskRaster on the view's grid), the animation-frame loop, the live stroke being shown, and
 * the scheduler that re-rasterizes after zoom/pan/resize:
 *   - cheap last render (≤ syncViewRenderMs): re-render in the next frame, all at once;
 *   - otherwise wait until the gesture pauses (IDLE_MS), then replay the doc in slices of
 *     SLICE_MS per frame so input stays responsive; meanwhile the old render is shown with a
 *     CSS transform that keeps it on the image;
 *   - a stroke start or a doc change settles it synchronously (the raster must match the screen).
 * New strokes, undo and redo repaint only the rect that changed. The clock (time, frames,
 * timers) is injected so the slicing can be tested. Separate because scheduling is the subtle
 * part of the painter and needs none of its input or DOM-building code.
 */

import type { LiveStroke } from './live-stroke';
import type { MaskDoc } from './mask-doc';
import { MaskRaster, rasterizeStroke, replayStart, unionRect, type RasterGrid, type Rect } from './rasterize';
import type { OverlaySurface } from './overlay-surface';
import type { ViewController } from './view-controller';
import type { ViewState } from './view';

export type FrameKind = 'live' | 'view';

/** Time, animation frames and timers, injectable for tests. */
export interface RenderClock {
  now(): number;
  requestFrame(cb: () => void): number;
  cancelFrame(id: number): void;
  setTimer(cb: () => void, ms: number): unknown;
  clearTimer(id: unknown): void;
}

/** The browser's clock, looked up at call time (tests may stub the globals). */
export const browserClock: RenderClock = {
  now: () => (typeof performance !== 'undefined' ? performance.now() : Date.now()),
  requestFrame: (cb) => requestAnimationFrame(cb),
  cancelFrame: (id) => cancelAnimationFrame(id),
  setTimer: (cb, ms) => setTimeout(cb, ms),
  clearTimer: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

/** A view change this recent (ms) counts as a gesture still going on. */
export const IDLE_MS = 60;
/** Script time budget of one slice of a re-render (ms per frame). */
export const SLICE_MS = 6;
/** A sliced re-render keeps undo checkpoints for the last this many ops. */
const CHECKPOINT_TAIL = 40;

export interface OverlayRendererOptions {
  /** Re-render at once after a view change when the last full render took at most this (ms). */
  syncViewRenderMs?: number;
  /** Memory budget of the screen raster's undo checkpoints. */
  checkpointBytes?: number;
  /** Called after each frame's work with its script time in ms (benchmarks). */
  onFrame?: (ms: number, kind: FrameKind) => void;
  clock?: RenderClock;
}

export class OverlayRenderer {
  private readonly vc: ViewController;
  private readonly surface: OverlaySurface;
  private readonly clock: RenderClock;
  private readonly syncViewRenderMs: number;
  private readonly checkpointBytes: number;
  private readonly onFrame: OverlayRendererOptions['onFrame'];

  private doc: MaskDoc | null = null;
  private raster: MaskRaster | null = null;
  /** The stroke shown live, from its first sample until committed or dropped. */
  private live: LiveStroke | null = null;
  /** Screen rect of the live stroke being committed, repainted with the doc change. */
  private commitExtra: Rect | null = null;
  /** View the committed canvas was rasterized for (null: never). */
  private renderedView: ViewState | null = null;
  /** Grid of what the canvases currently show (the raster's grid once settled). */
  private displayGrid: RasterGrid | null = null;
  private viewDirty = false;
  private lastViewChange = 0;
  /** Script time of the last full re-render (sync or summed over slices). */
  private lastFullRenderMs = 0;
  /** A time-sliced re-render in progress (raster.grid is already the new grid). */
  private job: { view: ViewState; saveFrom: number; ms: number } | null = null;
  private raf = 0;
  private viewTimer: unknown = null;
  private disposed = false;

  constructor(vc: ViewController, surface: OverlaySurface, options: OverlayRendererOptions = {}) {
    this.vc = vc;
    this.surface = surface;
    this.clock = options.clock ?? browserClock;
    this.syncViewRenderMs = options.syncViewRenderMs ?? 8;
    this.checkpointBytes = options.checkpointBytes ?? 64 * 1024 * 1024;
    this.onFrame = options.onFrame;
  }

  /** Shows `doc` (rendered at once for the current view). */
  setDoc(doc: MaskDoc): void {
    this.doc = doc;
    if (this.raster) this.raster.setDoc(doc);
    else this.raster = new MaskRaster(doc, this.vc.gridFor(), { maxCheckpointBytes: this.checkpointBytes });
    this.renderedView = null;
    this.viewDirty = true;
    this.renderView();
  }

  /** No image: the raster is dropped and the canvases emptied. */
  clear(): void {
    this.doc = null;
    this.raster?.dispose();
    this.raster = null;
    this.job = null;
    this.displayGrid = null;
    this.surface.clearAll();
  }

  /** The view moved: follow it with a CSS transform now, re-rasterize when the scheduler says. */
  viewChanged(): void {
    this.viewDirty = true;
    this.lastViewChange = this.clock.now();
    this.applyOverlayTransform();
    this.requestFrame();
  }

  /** The canvases changed size: everything is redrawn now. */
  resized(): void {
    this.surface.resize(this.vc.pxWidth, this.vc.pxHeight);
    this.renderedView = null;
    if (this.live) this.live.drawn = 0;
    this.viewDirty = true;
    this.renderView();
  }

  /** The doc changed (new op, undo, redo): repaint what changed. */
  docChanged(): void {
    if (this.disposed) return;
    const extra = this.commitExtra;
    this.commitExtra = null;
    if (this.viewDirty || this.job || !this.renderedView) this.settle();
    else this.renderCommitted(extra);
  }

  /** The colour changed: repaint everything. */
  repaintAll(): void {
    if (this.surface.width === 0 || !this.raster) return;
    if (this.viewDirty || this.job) {
      this.settle();
      return;
    }
    const full = this.surface.full;
    this.paintCommitted(full);
    if (this.live && this.live.mode === 'paint') this.surface.paintLive(full);
  }

  /** Makes the raster match what the canvases show (finishing or redoing view work now). */
  settle(): void {
    if (this.job && !this.viewDirty) this.continueJob(Infinity);
    if (this.viewDirty || this.job || !this.renderedView || (this.raster && this.raster.grid !== this.displayGrid))
      this.renderView();
  }

  /** A stroke started: its samples are drawn once per frame from now on. */
  beginLive(stroke: LiveStroke): void {
    this.live = stroke;
    this.requestFrame();
  }

  /**
   * The stroke is kept: its last samples are drawn, then `push` stores it in the doc (a falsy
   * result: the doc refused it; null: nothing to store); the doc change repaints its rect.
   */
  commitLive(stroke: LiveStroke, push: (() => unknown) | null): void {
    this.drawLive();
    this.live = null;
    const bbox = stroke.bbox;
    this.surface.clearLive(bbox);
    if (!push) {
      if (bbox) this.paintCommitted(bbox);
      return;
    }
    this.commitExtra = bbox;
    const stored = push();
    this.commitExtra = null;
    if (!stored && bbox) this.paintCommitted(bbox);
  }

  /** The stroke is dropped: its pixels go, the committed mask shows again. */
  dropLive(stroke: LiveStroke): void {
    this.live = null;
    this.surface.clearLive(stroke.bbox);
    if (stroke.bbox) this.paintCommitted(stroke.bbox);
    if (this.viewDirty) this.requestFrame();
  }

  requestFrame(): void {
    if (this.raf || this.disposed) return;
    this.raf = this.clock.requestFrame(this.onAnimationFrame);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.raf) this.clock.cancelFrame(this.raf);
    this.raf = 0;
    if (this.viewTimer) this.clock.clearTimer(this.viewTimer);
    this.viewTimer = null;
    this.raster?.dispose();
    this.raster = null;
    this.job = null;
    this.live = null;
    this.doc = null;
    this.surface.dispose();
  }

  // -------------------------------------------------------------------------
  // Scheduling

  private readonly onAnimationFrame = (): void => {
    this.raf = 0;
    if (this.disposed) return;
    // View work waits while a stroke is drawn: the stroke keeps the grid the
    // canvases show (CSS-transformed meanwhile) and the doc change at its end settles.
    if (!this.live && (this.viewDirty || this.job)) this.stepView();
    if (this.live && this.live.count > this.live.drawn) {
      const t0 = this.clock.now();
      this.drawLive();
      this.onFrame?.(this.clock.now() - t0, 'live');
    }
  };

  private stepView(): void {
    const clock = this.clock;
    const t0 = clock.now();
    if (this.viewDirty) {
      if (!this.renderedView || this.lastFullRenderMs <= this.syncViewRenderMs) {
        this.renderView();
        this.onFrame?.(clock.now() - t0, 'view');
        return;
      }
      const idle = t0 - this.lastViewChange;
      if (idle < IDLE_MS) {
        if (!this.viewTimer) {
          this.viewTimer = clock.setTimer(() => {
            this.viewTimer = null;
            this.requestFrame();
          }, IDLE_MS - idle);
        }
        return;
      }
      this.startJob();
    }
    this.continueJob(t0 + SLICE_MS);
    this.onFrame?.(clock.now() - t0, 'view');
  }

  private startJob(): void {
    const raster = this.raster;
    const doc = this.doc;
    this.viewDirty = false;
    if (!raster || !doc || this.surface.width === 0 || this.surface.height === 0) {
      this.renderView();
      return;
    }
    const t0 = this.clock.now();
    raster.setGrid(this.vc.gridFor());
    this.job = { view: this.vc.view, saveFrom: doc.index - CHECKPOINT_TAIL, ms: 0 };
    raster.render(replayStart(doc.ops, doc.index).start, this.job.saveFrom);
    this.job.ms += this.clock.now() - t0;
  }

  /** Applies ops until `deadline` (clock time); finishes the job when done. */
  private continueJob(deadline: number): void {
    const job = this.job;
    const raster = this.raster;
    const doc = this.doc;
    if (!job || !raster || !doc) {
      this.job = null;
      return;
    }
    const clock = this.clock;
    const t0 = clock.now();
    if (raster.renderedIndex < 0 || raster.renderedIndex > doc.index)
      raster.render(replayStart(doc.ops, doc.index).start, job.saveFrom);
    while (raster.renderedIndex < doc.index && clock.now() < deadline)
      raster.render(raster.renderedIndex + 1, job.saveFrom);
    job.ms += clock.now() - t0;
    if (raster.renderedIndex === doc.index) {
      this.job = null;
      this.lastFullRenderMs = job.ms;
      this.showRendered(job.view);
    } else {
      this.requestFrame();
    }
  }

  /** Full synchronous re-rasterization of both canvases for the current view. */
  private renderView(): void {
    this.viewDirty = false;
    this.job = null;
    const raster = this.raster;
    if (!raster || !this.doc || this.surface.width === 0 || this.surface.height === 0) {
      this.renderedView = this.vc.view;
      this.displayGrid = raster?.grid ?? null;
      this.applyOverlayTransform();
      return;
    }
    const t0 = this.clock.now();
    raster.setGrid(this.vc.gridFor());
    raster.render();
    this.lastFullRenderMs = this.clock.now() - t0;
    this.showRendered(this.vc.view);
  }

  // -------------------------------------------------------------------------
  // Drawing

  private applyOverlayTransform(): void {
    this.surface.setTransform(this.vc.overlayTransform(this.renderedView));
  }

  /** The raster is complete for `view`: show it (and redraw the live stroke on its grid). */
  private showRendered(view: ViewState): void {
    const raster = this.raster!;
    this.displayGrid = raster.grid;
    this.renderedView = view;
    this.applyOverlayTransform();
    const s = this.live;
    if (s) {
      this.surface.resetLive();
      s.drawn = 0;
      s.bbox = null;
      this.drawLive(false);
      this.surface.uploadLive();
    } else {
      this.surface.clearLiveCanvas();
    }
    this.paintCommitted(this.surface.full);
  }

  /** Brings the committed raster to the doc's index and repaints what changed (plus `extra`). */
  private renderCommitted(extra: Rect | null): void {
    const raster = this.raster;
    if (!raster || this.surface.width === 0) return;
    const dirty = unionRect(raster.render(), extra);
    if (dirty) this.paintCommitted(dirty);
  }

  /** The committed mask inside `r` (minus a live eraser stroke). */
  private paintCommitted(r: Rect): void {
    if (!this.raster) return;
    this.surface.paintCommitted(this.raster.data, r, this.live !== null && this.live.mode === 'erase');
  }

  /**
   * Rasterizes the not-yet-drawn live points (on the rendered grid) and paints them; with
   * `paint` false only the RGBA buffer is updated (the caller uploads it whole).
   */
  private drawLive(paint = true): void {
    const s = this.live;
    const raster = this.raster;
    if (!s || !raster || this.surface.width === 0 || s.count === s.drawn) return;
    const rect = rasterizeStroke(
      this.surface.liveMask,
      raster.grid,
      s.pts.subarray(0, s.count * 3),
      s.radius,
      s.pen && (this.doc?.usePressure ?? true),
      255,
      raster.imageRect,
      s.drawn,
    );
    s.drawn = s.count;
    if (!rect) return;
    s.bbox = unionRect(s.bbox, rect);
    if (!paint) {
      if (s.mode === 'paint') this.surface.paintLive(rect, false);
      return;
    }
    if (s.mode === 'paint') this.surface.paintLive(rect);
    else this.paintCommitted(rect);
  }
}
