// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  MAX_ZOOM,
  MIN_ZOOM,
  clampZoom,
  constrainView,
  fitView,
  imageToScreen,
  panBy,
  screenToImage,
  wheelZoomFactor,
  WHEEL_DELTA_LINE,
  zoomAt,
  zoomTo,
  type ViewState,
} from '../../../../renderer/features/canvas/view';

describe('view transform', () => {
  const v: ViewState = { zoom: 0.37, panX: 123.5, panY: -42.25 };

  it('round-trips screen ↔ image', () => {
    for (const [x, y] of [
      [0, 0],
      [4095.5, 17.25],
      [-3, 9000],
    ] as const) {
      const s = imageToScreen(v, x, y);
      const back = screenToImage(v, s.x, s.y);
      expect(back.x).toBeCloseTo(x, 9);
      expect(back.y).toBeCloseTo(y, 9);
    }
    expect(screenToImage({ zoom: 2, panX: 10, panY: 20 }, 30, 40)).toEqual({ x: 10, y: 10 });
  });

  it('zooms about a point, keeping the image point under it fixed', () => {
    const sx = 300;
    const sy = 200;
    const before = screenToImage(v, sx, sy);
    const z = zoomAt(v, 3.1, sx, sy);
    expect(z.zoom).toBeCloseTo(0.37 * 3.1, 12);
    const after = screenToImage(z, sx, sy);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
  });

  it('clamps zoom to 0.05–32', () => {
    expect(MIN_ZOOM).toBe(0.05);
    expect(MAX_ZOOM).toBe(32);
    expect(clampZoom(0.001)).toBe(0.05);
    expect(clampZoom(100)).toBe(32);
    expect(clampZoom(Number.POSITIVE_INFINITY)).toBe(32);
    expect(zoomAt(v, 1e6, 0, 0).zoom).toBe(32);
    expect(zoomTo(v, 1e-6, 0, 0).zoom).toBe(0.05);
    const top: ViewState = { zoom: 32, panX: 1, panY: 2 };
    expect(zoomAt(top, 2, 50, 50)).toBe(top); // no change at the limit
  });

  it('fits and centres the image', () => {
    const f = fitView(4096, 2048, 1000, 800, 0);
    expect(f.zoom).toBeCloseTo(1000 / 4096, 12);
    expect(f.panX).toBeCloseTo(0, 9);
    expect(f.panY).toBeCloseTo((800 - 2048 * f.zoom) / 2, 9);
    const p = fitView(100, 100, 300, 200, 20);
    expect(p.zoom).toBeCloseTo(1.6, 12);
    const centre = screenToImage(p, 150, 100);
    expect(centre.x).toBeCloseTo(50, 9);
    expect(centre.y).toBeCloseTo(50, 9);
    expect(fitView(100000, 100000, 500, 500).zoom).toBe(MIN_ZOOM);
  });

  it('fits into what per-side padding leaves (room for floating toolbars)', () => {
    const pad = { top: 60, right: 60, bottom: 20, left: 60 };
    const f = fitView(600, 800, 600, 500, pad);
    expect(f.zoom).toBeCloseTo(420 / 800, 12); // height-bound: 500 - 60 - 20
    expect(f.panY).toBeCloseTo(60, 9);
    expect(f.panX).toBeCloseTo(60 + (480 - 600 * f.zoom) / 2, 9);
    // the same numbers on every side behave like the single number
    expect(fitView(100, 100, 300, 200, { top: 20, right: 20, bottom: 20, left: 20 })).toEqual(
      fitView(100, 100, 300, 200, 20),
    );
    // a view too small for the padding falls back to a small even margin instead of a 1 px fit
    const tiny = fitView(100, 100, 100, 90, pad);
    expect(tiny.zoom).toBeGreaterThan(0.5);
    expect(tiny.panX).toBeGreaterThanOrEqual(0);
  });

  it('pans by screen deltas', () => {
    expect(panBy(v, 5, -5)).toEqual({ zoom: 0.37, panX: 128.5, panY: -47.25 });
  });

  it('wheel: down zooms out, up zooms in, pinch (ctrl) is stronger, lines scale', () => {
    expect(wheelZoomFactor(100)).toBeLessThan(1);
    expect(wheelZoomFactor(-100)).toBeGreaterThan(1);
    expect(wheelZoomFactor(-100)).toBeCloseTo(1 / wheelZoomFactor(100), 12);
    expect(wheelZoomFactor(-10, 0, true)).toBeGreaterThan(wheelZoomFactor(-10, 0, false));
    expect(wheelZoomFactor(3, WHEEL_DELTA_LINE)).toBeCloseTo(wheelZoomFactor(48), 12);
    expect(wheelZoomFactor(0)).toBe(1);
    // a huge delta is bounded
    expect(wheelZoomFactor(1e9)).toBeCloseTo(wheelZoomFactor(200), 12);
  });

  it('keeps part of the image reachable', () => {
    const far: ViewState = { zoom: 1, panX: 5000, panY: -5000 };
    const c = constrainView(far, 1000, 1000, 800, 600, 48);
    expect(c.panX).toBe(800 - 48);
    expect(c.panY).toBe(48 - 1000);
    const ok: ViewState = { zoom: 1, panX: 10, panY: 10 };
    expect(constrainView(ok, 1000, 1000, 800, 600)).toBe(ok);
  });
});
