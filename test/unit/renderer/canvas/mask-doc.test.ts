// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import {
  MaskDoc,
  isPenStroke,
  makeStroke,
  pressureFactor,
  simplifyPoints,
  simplifyTolerance,
  type MaskDocChange,
  type StrokeOp,
} from '../../../../renderer/features/canvas/mask-doc';

const dot = (x: number, y: number, r = 5) => makeStroke('paint', r, [x, y, 0.5]);

describe('MaskDoc history', () => {
  it('starts empty with nothing to undo or redo', () => {
    const doc = new MaskDoc(640, 480);
    expect(doc.width).toBe(640);
    expect(doc.height).toBe(480);
    expect(doc.index).toBe(0);
    expect(doc.canUndo()).toBe(false);
    expect(doc.canRedo()).toBe(false);
    expect(doc.isEmpty()).toBe(true);
    expect(doc.undo()).toBe(false);
    expect(doc.redo()).toBe(false);
    expect(doc.version).toBe(0);
  });

  it('rejects invalid sizes', () => {
    expect(() => new MaskDoc(0, 10)).toThrow(RangeError);
    expect(() => new MaskDoc(10, Number.NaN)).toThrow(RangeError);
  });

  it('one stroke is one undo step; undo/redo move the index', () => {
    const doc = new MaskDoc(100, 100);
    doc.push(makeStroke('paint', 5, [10, 10, 0.5, 20, 20, 0.5, 30, 10, 0.5, 40, 40, 0.5]));
    doc.push(dot(50, 50));
    expect(doc.index).toBe(2);
    expect(doc.ops).toHaveLength(2);
    expect(doc.undo()).toBe(true);
    expect(doc.index).toBe(1);
    expect(doc.canRedo()).toBe(true);
    expect(doc.activeOps()).toHaveLength(1);
    expect(doc.undo()).toBe(true);
    expect(doc.canUndo()).toBe(false);
    expect(doc.isEmpty()).toBe(true);
    expect(doc.redo()).toBe(true);
    expect(doc.redo()).toBe(true);
    expect(doc.redo()).toBe(false);
    expect(doc.index).toBe(2);
  });

  it('push after undo discards the redo tail', () => {
    const doc = new MaskDoc(100, 100);
    doc.push(dot(10, 10));
    doc.push(dot(20, 20));
    doc.push(dot(30, 30));
    doc.undo();
    doc.undo();
    expect(doc.canRedo()).toBe(true);
    const stored = doc.push({ kind: 'invert' });
    expect(stored).toEqual({ kind: 'invert' });
    expect(doc.canRedo()).toBe(false);
    expect(doc.ops).toHaveLength(2);
    expect(doc.ops[1]!.kind).toBe('invert');
  });

  it('stores a fresh, simplified copy of each stroke', () => {
    const doc = new MaskDoc(100, 100);
    const pts = Float32Array.from([10, 10, 0.5, 10.2, 10, 0.5, 20, 10, 0.5]);
    const op = makeStroke('paint', 5, pts);
    const stored = doc.push(op) as StrokeOp;
    expect(stored).not.toBe(op);
    expect(stored.points).not.toBe(pts);
    expect(Array.from(stored.points)).toEqual([10, 10, 0.5, 20, 10, 0.5]);
    expect(stored.pen).toBe(false);
    pts[0] = 99;
    expect(stored.points[0]).toBe(10);
  });

  it('ignores strokes without points or radius', () => {
    const doc = new MaskDoc(100, 100);
    expect(doc.push(makeStroke('paint', 5, []))).toBeNull();
    expect(doc.push(makeStroke('paint', 0, [1, 1, 0.5]))).toBeNull();
    expect(doc.push(makeStroke('paint', Number.NaN, [1, 1, 0.5]))).toBeNull();
    expect(doc.index).toBe(0);
    expect(doc.version).toBe(0);
  });

  it('notifies subscribers once per change, with a version counter', () => {
    const doc = new MaskDoc(100, 100);
    const seen: MaskDocChange[] = [];
    const unsubscribe = doc.subscribe((c) => seen.push(c));
    doc.push(makeStroke('paint', 5, [1, 1, 0.5, 50, 50, 0.5, 90, 10, 0.5]));
    doc.undo();
    doc.redo();
    doc.usePressure = false;
    doc.usePressure = false; // no change, no event
    expect(seen.map((c) => c.type)).toEqual(['push', 'undo', 'redo', 'settings']);
    expect(seen.map((c) => c.version)).toEqual([1, 2, 3, 4]);
    expect(seen[0]!.op?.kind).toBe('stroke');
    expect(doc.version).toBe(4);
    unsubscribe();
    doc.undo();
    expect(seen).toHaveLength(4);
  });

  it('lets a listener unsubscribe while being notified', () => {
    const doc = new MaskDoc(10, 10);
    const b = vi.fn();
    const unsubA = doc.subscribe(() => unsubA());
    doc.subscribe(b);
    doc.push({ kind: 'fill' });
    doc.push({ kind: 'clear' });
    expect(b).toHaveBeenCalledTimes(2);
  });
});

describe('MaskDoc.isEmpty', () => {
  it('follows paint, erase, fill, clear and invert', () => {
    const doc = new MaskDoc(100, 100);
    doc.push(makeStroke('erase', 5, [10, 10, 0.5]));
    expect(doc.isEmpty()).toBe(true);
    doc.push(dot(10, 10));
    expect(doc.isEmpty()).toBe(false);
    doc.push({ kind: 'clear' });
    expect(doc.isEmpty()).toBe(true);
    doc.push({ kind: 'invert' });
    expect(doc.isEmpty()).toBe(false);
    doc.push({ kind: 'invert' });
    expect(doc.isEmpty()).toBe(true);
    doc.push({ kind: 'fill' });
    expect(doc.isEmpty()).toBe(false);
    doc.undo();
    expect(doc.isEmpty()).toBe(true);
  });
});

describe('simplification', () => {
  it('drops points closer than 0.75 px to the previous kept point', () => {
    const p = Float32Array.from([0, 0, 0.5, 0.5, 0, 0.5, 0.8, 0, 0.5, 1.0, 0, 0.5, 1.7, 0, 0.5, 5, 0, 0.5]);
    expect(Array.from(simplifyPoints(p, 0.75))).toEqual([
      0, 0, 0.5, 0.800000011920929, 0, 0.5, 1.7000000476837158, 0, 0.5, 5, 0, 0.5,
    ]);
  });

  it('keeps the release point (moving the last kept point if needed)', () => {
    const p = Float32Array.from([0, 0, 0.5, 2, 0, 0.5, 2.3, 0, 0.5]);
    expect(Array.from(simplifyPoints(p, 0.75))).toEqual([0, 0, 0.5, 2.299999952316284, 0, 0.5]);
    const q = Float32Array.from([0, 0, 0.5, 0.1, 0, 0.5, 0.2, 0, 0.5]);
    expect(Array.from(simplifyPoints(q, 0.75))).toEqual([0, 0, 0.5, 0.20000000298023224, 0, 0.5]);
  });

  it('returns the same array when nothing is dropped, and trims partial triples', () => {
    const p = Float32Array.from([0, 0, 0.5, 5, 5, 0.5, 10, 0, 0.5]);
    expect(simplifyPoints(p)).toBe(p);
    expect(simplifyPoints(Float32Array.from([1, 2, 0.5, 9])).length).toBe(3);
  });

  it('removes collinear interior points within the outline tolerance', () => {
    const pts: number[] = [];
    for (let x = 0; x <= 100; x += 2) pts.push(x, 10 + (x % 4 === 0 ? 0.1 : -0.1), 0.5);
    const out = simplifyTolerance(Float32Array.from(pts), 8, false, 0.25);
    expect(out.length / 3).toBe(2);
    expect(out[0]).toBe(0);
    expect(out[3]).toBe(100);
    // a real corner survives
    const corner = simplifyTolerance(Float32Array.from([0, 0, 0.5, 50, 0, 0.5, 50, 50, 0.5]), 8, false, 0.25);
    expect(corner.length / 3).toBe(3);
  });

  it('keeps points whose pressure (radius) changes more than the tolerance', () => {
    const p = Float32Array.from([0, 0, 0.2, 10, 0, 1, 20, 0, 0.2]);
    expect(simplifyTolerance(p, 10, true, 0.25).length / 3).toBe(3);
    expect(simplifyTolerance(p, 10, false, 0.25).length / 3).toBe(2);
  });
});

describe('pressure', () => {
  it('lerps the radius factor from 0.3 to 1 and clamps', () => {
    expect(pressureFactor(0)).toBeCloseTo(0.3);
    expect(pressureFactor(1)).toBeCloseTo(1);
    expect(pressureFactor(0.5)).toBeCloseTo(0.65);
    expect(pressureFactor(-1)).toBeCloseTo(0.3);
    expect(pressureFactor(2)).toBeCloseTo(1);
  });

  it('infers pen strokes from non-0.5 pressure unless flagged', () => {
    expect(isPenStroke(makeStroke('paint', 5, [0, 0, 0.5, 1, 1, 0.5]))).toBe(false);
    expect(isPenStroke(makeStroke('paint', 5, [0, 0, 0.5, 1, 1, 0.7]))).toBe(true);
    expect(isPenStroke(makeStroke('paint', 5, [0, 0, 0.5], true))).toBe(true);
    expect(isPenStroke(makeStroke('paint', 5, [0, 0, 0.7], false))).toBe(false);
  });

  it('records the pen flag on push and defaults usePressure to true', () => {
    const doc = new MaskDoc(10, 10);
    expect(doc.usePressure).toBe(true);
    const s = doc.push(makeStroke('paint', 5, [1, 1, 0.9, 5, 5, 0.8])) as StrokeOp;
    expect(s.pen).toBe(true);
    expect(new MaskDoc(10, 10, { usePressure: false }).usePressure).toBe(false);
  });
});
