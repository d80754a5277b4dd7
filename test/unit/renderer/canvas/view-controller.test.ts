// @vitest-environment node
/**
 * ViewController on its own: fit, zoom about a point, pan limits, resize (refit vs keep the
 * person's view), screen ↔ image, and the raster grid the overlay canvases are drawn on.
 */
import { describe, expect, it } from 'vitest';
import { clampDpr, fitPaddingEqual, ViewController } from '../../../../renderer/features/canvas/view-controller';
import { imageToScreen, MAX_ZOOM } from '../../../../renderer/features/canvas/view';

function controller(cssW = 800, cssH = 600, dpr = 2, padding = 16): ViewController {
  const vc = new ViewController(padding);
  vc.resize(cssW, cssH, dpr);
  vc.showImage(400, 200);
  return vc;
}

describe('ViewController', () => {
  it('fits a new image inside the padding, centred', () => {
    const vc = controller();
    expect(vc.zoom).toBeCloseTo(Math.min((800 - 32) / 400, (600 - 32) / 200), 12);
    const centre = vc.screenToImage(400, 300);
    expect(centre.x).toBeCloseTo(200, 9);
    expect(centre.y).toBeCloseTo(100, 9);
    expect(vc.userMovedView).toBe(false);
  });

  it('zooms about a point: the image point under it stays put', () => {
    const vc = controller();
    const before = vc.screenToImage(123, 456);
    const change = vc.zoomBy(1.7, 123, 456);
    expect(change).toEqual({ changed: true, zoomChanged: true });
    const after = vc.screenToImage(123, 456);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
    expect(vc.userMovedView).toBe(true);
    // setZoom without a point zooms about the centre
    const mid = vc.screenToImage(400, 300);
    vc.setZoom(3);
    expect(vc.zoom).toBe(3);
    expect(vc.screenToImage(400, 300).x).toBeCloseTo(mid.x, 9);
    expect(vc.setZoom(1e6).zoomChanged).toBe(true);
    expect(vc.zoom).toBe(MAX_ZOOM);
    expect(vc.setZoom(1e6)).toEqual({ changed: false, zoomChanged: false });
  });

  it('keeps part of the image reachable when panning, and reports pans as view-only changes', () => {
    const vc = controller();
    const p0 = vc.view.panX;
    expect(vc.panBy(30, 0)).toEqual({ changed: true, zoomChanged: false });
    expect(vc.view.panX).toBeCloseTo(p0 + 30, 9);
    vc.panBy(1e6, 1e6);
    // at most the view size minus a 48 px margin of the image remains on screen
    expect(vc.view.panX).toBe(800 - 48);
    expect(vc.view.panY).toBe(600 - 48);
  });

  it('refits on resize until the person moves the view, then keeps the centre point', () => {
    const vc = controller();
    expect(vc.resize(800, 600, 2)).toBe(false);
    expect(vc.resize(1000, 600, 2)).toBe(true);
    expect(vc.zoom).toBeCloseTo(Math.min((1000 - 32) / 400, (600 - 32) / 200), 12);
    vc.zoomBy(2, 500, 300);
    const z = vc.zoom;
    const centre = vc.screenToImage(500, 300);
    vc.resize(600, 400, 2);
    expect(vc.zoom).toBe(z);
    const after = vc.screenToImage(300, 200);
    expect(after.x).toBeCloseTo(centre.x, 9);
    expect(after.y).toBeCloseTo(centre.y, 9);
    vc.fit();
    expect(vc.userMovedView).toBe(false);
  });

  it('maps canvas device pixels to image coordinates on its grid', () => {
    const vc = controller(800, 600, 2);
    vc.zoomBy(1.3, 77, 99);
    expect(vc.pxWidth).toBe(1600);
    expect(vc.pxHeight).toBe(1200);
    const g = vc.gridFor();
    expect(g.width).toBe(1600);
    // device pixel centre (px + 0.5) samples the image point under CSS point (px + 0.5) / dpr
    for (const [px, py] of [
      [0, 0],
      [811, 403],
      [1599, 1199],
    ] as const) {
      const ix = g.offsetX + (px + 0.5) * g.scaleX;
      const iy = g.offsetY + (py + 0.5) * g.scaleY;
      const expected = vc.screenToImage((px + 0.5) / 2, (py + 0.5) / 2);
      expect(ix).toBeCloseTo(expected.x, 9);
      expect(iy).toBeCloseTo(expected.y, 9);
    }
  });

  it('moves an overlay rendered for an old view onto the current one', () => {
    const vc = controller();
    const old = vc.view;
    expect(vc.overlayTransform(old)).toBe('');
    vc.zoomBy(2, 100, 100);
    const t = vc.overlayTransform(old);
    const m = /translate\((.+)px, (.+)px\) scale\((.+)\)/.exec(t)!;
    const [tx, ty, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // an image point drawn at its old screen position lands at its new one
    const oldPt = imageToScreen(old, 50, 60);
    const newPt = imageToScreen(vc.view, 50, 60);
    expect(oldPt.x * s + tx).toBeCloseTo(newPt.x, 9);
    expect(oldPt.y * s + ty).toBeCloseTo(newPt.y, 9);
  });

  it('refits for new padding unless the person moved the view', () => {
    const vc = controller();
    expect(vc.setFitPadding(16).changed).toBe(false);
    expect(vc.setFitPadding({ top: 100, right: 16, bottom: 16, left: 16 }).changed).toBe(true);
    expect(vc.screenToImage(400, (600 + 100 - 16) / 2).y).toBeCloseTo(100, 9);
    vc.panBy(5, 5);
    expect(vc.setFitPadding(40).changed).toBe(false);
    expect(fitPaddingEqual({ top: 1, right: 2, bottom: 3, left: 4 }, { top: 1, right: 2, bottom: 3, left: 4 })).toBe(
      true,
    );
    expect(fitPaddingEqual(4, { top: 4, right: 4, bottom: 4, left: 4 })).toBe(false);
  });

  it('keeps the device-pixel ratio to a sane range', () => {
    expect(clampDpr(undefined)).toBe(1);
    expect(clampDpr(0)).toBe(1);
    expect(clampDpr(0.1)).toBe(0.5);
    expect(clampDpr(9)).toBe(4);
    expect(clampDpr(1.5)).toBe(1.5);
  });
});
