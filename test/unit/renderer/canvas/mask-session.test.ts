// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  currentMask,
  currentMaskSession,
  maskDocFor,
  maskHasPaint,
  refreshMaskSession,
  registerMaskSession,
  resetMaskSession,
  useMaskSession,
  type MaskSession,
} from '../../../../renderer/features/canvas/mask-session';
import { makeStroke } from '../../../../renderer/features/canvas/mask-doc';
import { rasterizeMask } from '../../../../renderer/features/canvas/rasterize';

afterEach(() => resetMaskSession());

function session(data: Uint8Array | null, w = 4, h = 2, assetId?: string): MaskSession & { exports: number } {
  const s = {
    exports: 0,
    assetId,
    isEmpty: () => data === null,
    exportMask() {
      s.exports++;
      return { width: w, height: h, data: data ?? new Uint8Array(w * h) };
    },
  };
  return s;
}

describe('mask session', () => {
  it('has no mask without a canvas; keepOutside defaults to on', () => {
    expect(currentMask()).toBeNull();
    expect(currentMaskSession()).toBeNull();
    expect(useMaskSession.getState()).toMatchObject({ hasMask: false, keepOutside: true });
    useMaskSession.getState().setKeepOutside(false);
    expect(useMaskSession.getState().keepOutside).toBe(false);
  });

  it('an empty canvas gives null without rasterizing; a painted one gives its mask', () => {
    const empty = session(null);
    registerMaskSession(empty);
    expect(useMaskSession.getState().hasMask).toBe(false);
    expect(currentMask()).toBeNull();
    expect(empty.exports).toBe(0);

    const data = new Uint8Array([0, 255, 255, 0, 0, 0, 0, 0]);
    registerMaskSession(session(data));
    expect(useMaskSession.getState().hasMask).toBe(true);
    expect(currentMask()).toEqual({ width: 4, height: 2, data });
  });

  it('strokes that were all erased again (doc not empty, pixels all 0) give null', () => {
    registerMaskSession(session(new Uint8Array(8)));
    expect(useMaskSession.getState().hasMask).toBe(true); // decided from the ops, cheap
    expect(currentMask()).toBeNull(); // decided from the pixels
  });

  it('with an asset id, a mask of another photo is not returned', () => {
    registerMaskSession(session(new Uint8Array([255, 0, 0, 0, 0, 0, 0, 0]), 4, 2, 'selfies/a/display.jpg'));
    expect(currentMask('selfies/a/display.jpg')).not.toBeNull();
    expect(currentMask('selfies/b/display.jpg')).toBeNull();
    expect(currentMask()).not.toBeNull();
  });

  it('unregistering only removes the session that is still current', () => {
    const a = session(new Uint8Array([255, 0, 0, 0, 0, 0, 0, 0]));
    const b = session(null);
    const offA = registerMaskSession(a);
    const offB = registerMaskSession(b);
    offA(); // a newer canvas registered meanwhile: nothing happens
    expect(currentMaskSession()).toBe(b);
    offB();
    expect(currentMaskSession()).toBeNull();
    expect(useMaskSession.getState().hasMask).toBe(false);
  });

  it('refresh follows the session as it changes, notifying only on a change', () => {
    let painted = false;
    registerMaskSession({
      isEmpty: () => !painted,
      exportMask: () => ({ width: 1, height: 1, data: new Uint8Array([255]) }),
    });
    const seen = vi.fn();
    const off = useMaskSession.subscribe(seen);
    refreshMaskSession();
    expect(seen).not.toHaveBeenCalled();
    painted = true;
    refreshMaskSession();
    refreshMaskSession();
    expect(seen).toHaveBeenCalledTimes(1);
    expect(useMaskSession.getState().hasMask).toBe(true);
    off();
  });

  it('with a real doc: exports at the registered (full) size', () => {
    const { doc } = maskDocFor('selfies/x/display.jpg', 300, 200);
    registerMaskSession({
      assetId: 'selfies/x/display.jpg',
      isEmpty: () => doc.isEmpty(),
      exportMask: () => ({ width: doc.width, height: doc.height, data: rasterizeMask(doc) }),
    });
    expect(currentMask()).toBeNull();
    doc.push(makeStroke('paint', 10, [50, 100, 0.5, 250, 100, 0.5]));
    refreshMaskSession();
    const m = currentMask()!;
    expect([m.width, m.height, m.data.length]).toEqual([300, 200, 60000]);
    expect(m.data[100 * 300 + 150]).toBe(255);
    expect(m.data[10 * 300 + 150]).toBe(0);
    expect(new Set(m.data)).toEqual(new Set([0, 255]));
  });
});

describe('masks kept per photo', () => {
  it('the same photo at the same size gets its doc back; another size starts over', () => {
    const first = maskDocFor('a', 100, 50);
    expect(first.restored).toBe(false);
    first.doc.push({ kind: 'fill' });
    const again = maskDocFor('a', 100, 50);
    expect(again).toEqual({ doc: first.doc, restored: true });
    const resized = maskDocFor('a', 200, 100);
    expect(resized.restored).toBe(false);
    expect(resized.doc).not.toBe(first.doc);
    expect(resized.doc.isEmpty()).toBe(true);
  });

  it('keeps the 8 most recently used photos', () => {
    const docs = Array.from({ length: 8 }, (_, i) => maskDocFor(`p${i}`, 10, 10).doc);
    maskDocFor('p0', 10, 10); // p0 used again: p1 is now the oldest
    maskDocFor('p8', 10, 10);
    expect(maskDocFor('p0', 10, 10).doc).toBe(docs[0]);
    expect(maskDocFor('p1', 10, 10).restored).toBe(false);
    expect(maskDocFor('p7', 10, 10).doc).toBe(docs[7]);
  });
});

describe('maskHasPaint', () => {
  it('finds a non-zero byte anywhere, aligned or not', () => {
    const buf = new Uint8Array(1003);
    expect(maskHasPaint(buf)).toBe(false);
    expect(maskHasPaint(buf.subarray(3))).toBe(false);
    for (const i of [0, 7, 8, 500, 1000, 1002]) {
      buf.fill(0);
      buf[i] = 255;
      expect(maskHasPaint(buf)).toBe(true);
      if (i >= 3) expect(maskHasPaint(buf.subarray(3))).toBe(true);
    }
    expect(maskHasPaint(new Uint8Array(0))).toBe(false);
  });
});
