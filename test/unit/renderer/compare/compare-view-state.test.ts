/**
 * The comparison's one shared view state (issue 11): zoom about a point keeps that image point
 * under the pointer, pan follows the pointer and stops at the photo's edges, fit shows each photo
 * whole, 1:1 is one image pixel per device pixel for every photo size, and photos of different
 * sizes show the same normalised point in the middle of their panes.
 */
import { describe, expect, it } from 'vitest';
import {
  FIT,
  clampWipe,
  displayScale,
  fitScale,
  isZoomed,
  layout,
  pan,
  pointAt,
  toggleActual,
  zoomAbout,
  zoomLabel,
  type ViewState,
} from '../../../../renderer/features/compare/compare-view-state';

const BOX = { width: 400, height: 500 };
const PORTRAIT = { width: 896, height: 1088 };
const LANDSCAPE = { width: 1344, height: 768 };
const SMALL = { width: 448, height: 544 }; // the same aspect as PORTRAIT at half the pixels

describe('compare view state', () => {
  it('fit shows each photo whole and centred in its pane', () => {
    for (const img of [PORTRAIT, LANDSCAPE]) {
      const l = layout(FIT, img, BOX, 1);
      expect(l.scale).toBeCloseTo(fitScale(img, BOX));
      expect(img.width * l.scale).toBeLessThanOrEqual(BOX.width + 1e-9);
      expect(img.height * l.scale).toBeLessThanOrEqual(BOX.height + 1e-9);
      expect(l.x * 2 + img.width * l.scale).toBeCloseTo(BOX.width);
      expect(l.y * 2 + img.height * l.scale).toBeCloseTo(BOX.height);
      expect(isZoomed(FIT, img, BOX, 1)).toBe(false);
    }
    expect(zoomLabel(FIT, PORTRAIT, BOX, 1)).toBe('Fit');
  });

  it('zooming about a point keeps the image point under it where it was', () => {
    const px = 300;
    const py = 120;
    const before = pointAt(FIT, PORTRAIT, BOX, 1, px, py);
    const s = zoomAbout(FIT, 3, PORTRAIT, BOX, 1, px, py);
    expect(s.zoom).toBeCloseTo(3);
    const after = pointAt(s, PORTRAIT, BOX, 1, px, py);
    expect(after.u).toBeCloseTo(before.u, 9);
    expect(after.v).toBeCloseTo(before.v, 9);
    // Zooming back out by the same factor returns to fit exactly.
    expect(zoomAbout(s, 1 / 3, PORTRAIT, BOX, 1, px, py)).toEqual(FIT);
    // Never below fit.
    expect(zoomAbout(FIT, 0.5, PORTRAIT, BOX, 1)).toEqual(FIT);
  });

  it('one state keeps photos of different sizes aligned: the same normalised point in the middle', () => {
    const s = zoomAbout(FIT, 2.5, PORTRAIT, BOX, 1, 100, 400);
    const mid = (img: typeof PORTRAIT) => pointAt(s, img, BOX, 1, BOX.width / 2, BOX.height / 2);
    expect(mid(SMALL).u).toBeCloseTo(mid(PORTRAIT).u, 9);
    expect(mid(SMALL).v).toBeCloseTo(mid(PORTRAIT).v, 9);
    // ...at the same zoom relative to each one's fit: the same picture on screen.
    expect(displayScale(s, SMALL, BOX, 1) * SMALL.width).toBeCloseTo(
      displayScale(s, PORTRAIT, BOX, 1) * PORTRAIT.width,
    );
    // A photo of another aspect ratio is not clamped on its own: it shows the same point, even
    // if that leaves some of its pane empty past its edge.
    expect(mid(LANDSCAPE).u).toBeCloseTo(mid(PORTRAIT).u, 9);
    expect(mid(LANDSCAPE).v).toBeCloseTo(mid(PORTRAIT).v, 9);
  });

  it('1:1 is one image pixel per device pixel for each photo, whatever its size or the screen', () => {
    const s = toggleActual(FIT);
    for (const dpr of [1, 2]) {
      for (const img of [PORTRAIT, LANDSCAPE, SMALL]) expect(layout(s, img, BOX, dpr).scale * dpr).toBeCloseTo(1);
    }
    expect(zoomLabel(s, PORTRAIT, BOX, 2)).toBe('1:1');
    expect(toggleActual(s)).toEqual(FIT);
    // Zooming from 1:1 continues from where 1:1 put the photo.
    const z = zoomAbout(s, 2, PORTRAIT, BOX, 1);
    expect(z.actual).toBe(false);
    expect(layout(z, PORTRAIT, BOX, 1).scale).toBeCloseTo(2);
    expect(zoomLabel(z, PORTRAIT, BOX, 1)).toBe('200%');
  });

  it('pan follows the pointer and stops at the photo’s edges; at fit there is nothing to pan', () => {
    const s = zoomAbout(FIT, 4, PORTRAIT, BOX, 1);
    const l0 = layout(s, PORTRAIT, BOX, 1);
    const moved = pan(s, 30, -20, PORTRAIT, BOX, 1);
    const l1 = layout(moved, PORTRAIT, BOX, 1);
    expect(l1.x - l0.x).toBeCloseTo(30);
    expect(l1.y - l0.y).toBeCloseTo(-20);
    // A huge drag stops with the photo's corner at the pane's corner.
    const far = layout(pan(s, 1e6, 1e6, PORTRAIT, BOX, 1), PORTRAIT, BOX, 1);
    expect(far.x).toBeCloseTo(0);
    expect(far.y).toBeCloseTo(0);
    expect(pan(FIT, 50, 50, PORTRAIT, BOX, 1)).toEqual(FIT);
  });

  it('zoom stops at 8 device pixels per image pixel; bad factors change nothing', () => {
    const s: ViewState = zoomAbout(FIT, 1000, PORTRAIT, BOX, 2);
    expect(layout(s, PORTRAIT, BOX, 2).scale * 2).toBeCloseTo(8);
    expect(zoomAbout(FIT, Number.NaN, PORTRAIT, BOX, 1)).toBe(FIT);
    expect(zoomAbout(FIT, -2, PORTRAIT, BOX, 1)).toBe(FIT);
  });

  it('the wipe stays inside the pane', () => {
    expect(clampWipe(-0.2)).toBe(0);
    expect(clampWipe(1.4)).toBe(1);
    expect(clampWipe(0.3)).toBe(0.3);
    expect(clampWipe(Number.NaN)).toBe(0.5);
  });
});
