// @vitest-environment happy-dom
/**
 * The view re-render after zoom/pan: immediate when cheap, otherwise time-sliced
 * over animation frames after the gesture pauses, and settled synchronously when
 * a stroke starts or the doc changes. Frames and the clock are driven by hand.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MaskDoc, makeStroke } from '../../../../renderer/features/canvas/mask-doc';
import { MaskPainter } from '../../../../renderer/features/canvas/mask-painter';
import { renderOps, type RasterGrid } from '../../../../renderer/features/canvas/rasterize';
import { countDiff, lcg } from './naive';

/** The overlay renderer's state (private; read here to check the scheduler's decisions). */
interface Internals {
  raster: { data: Uint8Array; grid: RasterGrid; renderedIndex: number };
  job: unknown;
  renderedView: unknown;
  viewDirty: boolean;
}
const internalsOf = (p: MaskPainter) => (p as unknown as { renderer: Internals }).renderer;

let frames: FrameRequestCallback[] = [];
const sizeProps = ['clientWidth', 'clientHeight'] as const;
const savedSize = sizeProps.map((k) => Object.getOwnPropertyDescriptor(HTMLElement.prototype, k));
let clock = 0;
let container: HTMLDivElement;

function runFrames(max = 1000): number {
  let n = 0;
  while (frames.length > 0 && n < max) {
    const batch = frames;
    frames = [];
    for (const cb of batch) cb(clock);
    n++;
  }
  return n;
}

beforeEach(() => {
  frames = [];
  clock = 1000;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
  vi.stubGlobal('cancelAnimationFrame', () => {});
  // Every clock read advances 1 ms, so a 6 ms slice fits only a few ops.
  vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1));
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 300 });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 200 });
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  container.remove();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  sizeProps.forEach((k, i) => {
    const d = savedSize[i];
    if (d) Object.defineProperty(HTMLElement.prototype, k, d);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[k];
  });
});

function docWithStrokes(n: number): MaskDoc {
  const doc = new MaskDoc(600, 400);
  const rnd = lcg(5);
  for (let i = 0; i < n; i++) {
    const pts: number[] = [];
    for (let k = 0; k < 4; k++) pts.push(rnd() * 600, rnd() * 400, 0.5);
    doc.push(makeStroke(i % 5 === 4 ? 'erase' : 'paint', 5 + rnd() * 30, pts));
  }
  return doc;
}

function expectRasterMatchesView(p: MaskPainter) {
  const { raster } = internalsOf(p);
  const doc = p.doc!;
  const fresh = new Uint8Array(raster.grid.width * raster.grid.height);
  renderOps(fresh, raster.grid, doc, doc.index);
  expect(countDiff(raster.data, fresh)).toBe(0);
  // the grid is the one of the current view
  expect(raster.grid.scaleX).toBeCloseTo(1 / p.zoom, 9);
  expect(raster.grid.offsetX).toBeCloseTo(-p.view.panX / p.zoom, 9);
}

describe('MaskPainter view re-render', () => {
  it('slices an expensive re-render over frames after the gesture pauses', async () => {
    const painter = new MaskPainter(container, { syncViewRenderMs: -1 });
    await painter.setImage('blob:x', { doc: docWithStrokes(60) });
    const internals = internalsOf(painter);
    expectRasterMatchesView(painter);

    painter.zoomBy(1.7, 100, 80);
    painter.panBy(12, -7);
    expect(internals.viewDirty).toBe(true);
    runFrames(1); // gesture not paused yet: nothing rendered, a timer is set
    expect(internals.job).toBeNull();
    clock += 100;
    vi.advanceTimersByTime(100);
    const n = runFrames();
    expect(n).toBeGreaterThan(2); // it really was sliced
    expect(internals.job).toBeNull();
    expect(internals.viewDirty).toBe(false);
    expect(internals.renderedView).toEqual(painter.view);
    expectRasterMatchesView(painter);
    painter.destroy();
  });

  it('finishes a pending re-render synchronously when a stroke starts', async () => {
    const painter = new MaskPainter(container, { syncViewRenderMs: -1 });
    await painter.setImage('blob:x', { doc: docWithStrokes(60) });
    const internals = internalsOf(painter);
    painter.zoomBy(0.8, 150, 100);
    clock += 100;
    vi.advanceTimersByTime(100);
    runFrames(1); // one slice only
    expect(internals.job).not.toBeNull();
    const root = container.querySelector('.mask-painter')!;
    root.dispatchEvent(
      new PointerEvent('pointerdown', {
        pointerId: 1,
        pointerType: 'mouse',
        isPrimary: true,
        button: 0,
        buttons: 1,
        clientX: 50,
        clientY: 50,
      }),
    );
    expect(internals.job).toBeNull();
    expectRasterMatchesView(painter);
    root.dispatchEvent(
      new PointerEvent('pointerup', {
        pointerId: 1,
        pointerType: 'mouse',
        isPrimary: true,
        button: 0,
        buttons: 0,
        clientX: 90,
        clientY: 60,
      }),
    );
    expect(painter.doc!.index).toBe(61);
    expectRasterMatchesView(painter);
    painter.destroy();
  });

  it('settles on doc changes during a pending re-render, and keeps undo exact', async () => {
    const painter = new MaskPainter(container, { syncViewRenderMs: -1 });
    await painter.setImage('blob:x', { doc: docWithStrokes(45) });
    painter.zoomBy(1.3, 10, 10);
    painter.undo();
    expectRasterMatchesView(painter);
    for (let i = 0; i < 30; i++) painter.undo();
    expectRasterMatchesView(painter);
    painter.redo();
    painter.invert();
    expectRasterMatchesView(painter);
    painter.destroy();
  });

  it('re-renders at once when the last full render was cheap', async () => {
    const painter = new MaskPainter(container, { syncViewRenderMs: 1e9 });
    await painter.setImage('blob:x', { doc: docWithStrokes(10) });
    painter.zoomBy(2, 100, 100);
    expect(runFrames()).toBe(1);
    expectRasterMatchesView(painter);
    painter.destroy();
  });
});
