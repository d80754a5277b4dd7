// @vitest-environment happy-dom
/**
 * The overlay scheduler on its own, with an injected clock (time, frames and timers by hand):
 * a cheap re-render happens in the next frame, an expensive one waits for the gesture to pause
 * and then replays the doc in SLICE_MS slices, a settle finishes it at once, and view work waits
 * while a stroke is drawn. (No real canvas here: the raster is checked, not the pixels.)
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { startStroke } from '../../../../renderer/features/canvas/live-stroke';
import { MaskDoc, makeStroke } from '../../../../renderer/features/canvas/mask-doc';
import {
  IDLE_MS,
  OverlayRenderer,
  SLICE_MS,
  type FrameKind,
  type RenderClock,
} from '../../../../renderer/features/canvas/overlay-renderer';
import { OverlaySurface } from '../../../../renderer/features/canvas/overlay-surface';
import { renderOps, type RasterGrid } from '../../../../renderer/features/canvas/rasterize';
import { ViewController } from '../../../../renderer/features/canvas/view-controller';
import { countDiff, lcg } from './naive';

/** Every read of the time advances it by `step` ms, so a slice fits only a few ops. */
class HandClock implements RenderClock {
  t = 1000;
  step = 1;
  private frames: (() => void)[] = [];
  private timers: { at: number; cb: () => void }[] = [];
  now(): number {
    return (this.t += this.step);
  }
  requestFrame(cb: () => void): number {
    this.frames.push(cb);
    return this.frames.length;
  }
  cancelFrame(): void {
    this.frames = [];
  }
  setTimer(cb: () => void, ms: number): unknown {
    const timer = { at: this.t + ms, cb };
    this.timers.push(timer);
    return timer;
  }
  clearTimer(id: unknown): void {
    this.timers = this.timers.filter((t) => t !== id);
  }
  get pendingTimers(): number {
    return this.timers.length;
  }
  /** Runs the frames requested so far; returns how many ran. */
  frame(): number {
    const batch = this.frames;
    this.frames = [];
    for (const cb of batch) cb();
    return batch.length;
  }
  /** Frames until none is requested; returns how many frames ran. */
  drain(max = 1000): number {
    let n = 0;
    while (n < max && this.frame() > 0) n++;
    return n;
  }
  /** Lets `ms` pass, firing due timers. */
  wait(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((t) => t.at <= this.t);
    this.timers = this.timers.filter((t) => t.at > this.t);
    for (const t of due) t.cb();
  }
}

interface Internals {
  raster: { data: Uint8Array; grid: RasterGrid; renderedIndex: number };
  job: unknown;
  viewDirty: boolean;
  renderedView: unknown;
}

function docWithStrokes(n: number): MaskDoc {
  const doc = new MaskDoc(600, 400);
  const rnd = lcg(9);
  for (let i = 0; i < n; i++) {
    const pts: number[] = [];
    for (let k = 0; k < 4; k++) pts.push(rnd() * 600, rnd() * 400, 0.5);
    doc.push(makeStroke(i % 4 === 3 ? 'erase' : 'paint', 5 + rnd() * 30, pts));
  }
  return doc;
}

let clock: HandClock;
let vc: ViewController;
let frames: { ms: number; kind: FrameKind }[];

function setup(syncViewRenderMs: number, strokes = 60) {
  clock = new HandClock();
  vc = new ViewController(16);
  vc.resize(300, 200, 1);
  const doc = docWithStrokes(strokes);
  vc.showImage(doc.width, doc.height);
  frames = [];
  const renderer = new OverlayRenderer(vc, new OverlaySurface(document), {
    clock,
    syncViewRenderMs,
    onFrame: (ms, kind) => frames.push({ ms, kind }),
  });
  renderer.resized();
  renderer.setDoc(doc);
  const internals = renderer as unknown as Internals;
  const expectRasterIsView = () => {
    const fresh = new Uint8Array(internals.raster.grid.width * internals.raster.grid.height);
    renderOps(fresh, internals.raster.grid, doc, doc.index);
    expect(countDiff(internals.raster.data, fresh)).toBe(0);
    expect(internals.raster.grid).toEqual(vc.gridFor());
  };
  return { renderer, doc, internals, expectRasterIsView };
}

beforeEach(() => {
  frames = [];
});

describe('OverlayRenderer scheduling', () => {
  it('re-renders in the next frame when the last full render was cheap', () => {
    const { renderer, internals, expectRasterIsView } = setup(1e9);
    vc.zoomBy(1.5, 100, 100);
    renderer.viewChanged();
    expect(internals.viewDirty).toBe(true);
    expect(clock.drain()).toBe(1);
    expect(internals.viewDirty).toBe(false);
    expect(frames.map((f) => f.kind)).toEqual(['view']);
    expect(clock.pendingTimers).toBe(0);
    expectRasterIsView();
  });

  it('waits for the gesture to pause, then replays in slices of SLICE_MS per frame', () => {
    const { renderer, doc, internals, expectRasterIsView } = setup(-1);
    vc.zoomBy(1.7, 100, 80);
    renderer.viewChanged();
    vc.panBy(12, -7);
    renderer.viewChanged();
    // gesture still going: the frame does nothing but set one timer for the rest of IDLE_MS
    expect(clock.frame()).toBe(1);
    expect(clock.frame()).toBe(0);
    expect(internals.job).toBeNull();
    expect(internals.viewDirty).toBe(true);
    expect(clock.pendingTimers).toBe(1);
    clock.wait(IDLE_MS);
    expect(clock.pendingTimers).toBe(0);
    // one slice per frame, each within its budget of clock time
    let slices = 0;
    while (clock.frame() > 0) {
      slices++;
      if (internals.job) expect(internals.raster.renderedIndex).toBeLessThan(doc.index);
    }
    expect(slices).toBeGreaterThan(2);
    const view = frames.filter((f) => f.kind === 'view');
    expect(view).toHaveLength(slices);
    // a slice stops at the first clock read past its deadline (one op may overrun it)
    for (const f of view) expect(f.ms).toBeLessThanOrEqual(SLICE_MS + 4 * clock.step);
    expect(internals.job).toBeNull();
    expect(internals.renderedView).toEqual(vc.view);
    expectRasterIsView();
  });

  it('finishes a sliced re-render at once on settle()', () => {
    const { renderer, internals, expectRasterIsView } = setup(-1);
    vc.zoomBy(0.8, 150, 100);
    renderer.viewChanged();
    clock.wait(IDLE_MS + 1);
    clock.frame(); // first slice only
    expect(internals.job).not.toBeNull();
    renderer.settle();
    expect(internals.job).toBeNull();
    expectRasterIsView();
  });

  it('keeps view work waiting while a stroke is drawn, and picks it up when the stroke is dropped', () => {
    const { renderer, internals, expectRasterIsView } = setup(1e9);
    const stroke = startStroke({ pointerId: 1, mode: 'paint', radius: 5, pen: false, left: 0, top: 0 });
    renderer.beginLive(stroke);
    vc.zoomBy(2, 50, 50);
    renderer.viewChanged();
    clock.drain();
    expect(internals.viewDirty).toBe(true);
    expect(frames.some((f) => f.kind === 'view')).toBe(false);
    renderer.dropLive(stroke);
    clock.drain();
    expect(internals.viewDirty).toBe(false);
    expectRasterIsView();
  });

  it('stops scheduling once disposed', () => {
    const { renderer } = setup(-1);
    vc.zoomBy(2, 50, 50);
    renderer.viewChanged();
    renderer.dispose();
    expect(clock.drain()).toBe(0);
    renderer.requestFrame();
    expect(clock.frame()).toBe(0);
  });
});
