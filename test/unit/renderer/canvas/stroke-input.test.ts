// @vitest-environment happy-dom
/**
 * StrokeInput on its own, against a recording host: which pointer and button paint or pan,
 * coalesced samples, pen pressure (and a lifted pen's 0 on pointerup), a missed pointerup,
 * lostpointercapture (kept) versus pointercancel and cancel() (dropped), and wheel zoom.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { strokePoints, type LiveStroke } from '../../../../renderer/features/canvas/live-stroke';
import { StrokeInput, type StrokeInputHost } from '../../../../renderer/features/canvas/stroke-input';

type Call = [string, ...unknown[]];
let root: HTMLDivElement;
let input: StrokeInput;
let calls: Call[];
let ended: { stroke: LiveStroke; keep: boolean }[];
let hasImage: boolean;

function host(): StrokeInputHost {
  return {
    hasImage: () => hasImage,
    brush: () => ({ mode: 'paint', radius: 7 }),
    // image = container point / 2 (zoom 2, no pan)
    toImage: (x, y) => ({ x: x / 2, y: y / 2 }),
    strokeWillStart: () => calls.push(['willStart']),
    strokeStarted: (s) => calls.push(['started', s.count]),
    samplesAdded: (s) => calls.push(['samples', s.count]),
    strokeEnded: (stroke, keep) => {
      calls.push(['ended', keep]);
      ended.push({ stroke, keep });
    },
    panBy: (dx, dy) => calls.push(['panBy', dx, dy]),
    zoomBy: (f, x, y) => calls.push(['zoomBy', f, x, y]),
    pointerAt: (x, y) => calls.push(['pointerAt', x, y]),
    pointerLeft: () => calls.push(['pointerLeft']),
    inputChanged: () => calls.push(['inputChanged']),
  };
}

type PInit = PointerEventInit & { coalesced?: PointerEventInit[] };
function pe(type: string, init: PInit = {}): PointerEvent {
  const e = new PointerEvent(type, {
    bubbles: true,
    cancelable: true,
    pointerId: 1,
    pointerType: 'mouse',
    isPrimary: true,
    button: type === 'pointermove' ? -1 : 0,
    buttons: type === 'pointerup' ? 0 : 1,
    ...init,
  });
  if (init.coalesced) {
    const list = init.coalesced.map(
      (c) =>
        new PointerEvent('pointermove', {
          pointerId: init.pointerId ?? 1,
          pointerType: init.pointerType ?? 'mouse',
          ...c,
        }),
    );
    Object.defineProperty(e, 'getCoalescedEvents', { value: () => list });
  }
  return e;
}
const send = (type: string, init: PInit = {}) => root.dispatchEvent(pe(type, init));
const points = (s: LiveStroke) => [...strokePoints(s)];

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  calls = [];
  ended = [];
  hasImage = true;
  input = new StrokeInput(root, host());
});
afterEach(() => {
  input.destroy();
  root.remove();
});

describe('StrokeInput strokes', () => {
  it('collects a mouse drag as image points with pressure 0.5 and keeps it on pointerup', () => {
    send('pointerdown', { clientX: 10, clientY: 20 });
    expect(input.isDrawing).toBe(true);
    expect(calls.slice(0, 2)).toEqual([['willStart'], ['started', 1]]);
    send('pointermove', { clientX: 30, clientY: 40 });
    send('pointermove', { clientX: 30, clientY: 40 }); // a repeat is dropped
    send('pointerup', { clientX: 50, clientY: 40 });
    expect(input.isDrawing).toBe(false);
    expect(ended).toHaveLength(1);
    const { stroke, keep } = ended[0]!;
    expect(keep).toBe(true);
    expect(stroke.mode).toBe('paint');
    expect(stroke.radius).toBe(7);
    expect(stroke.pen).toBe(false);
    expect(points(stroke)).toEqual([5, 10, 0.5, 15, 20, 0.5, 25, 20, 0.5]);
  });

  it('takes every coalesced sample of a pointermove, and the event itself without them', () => {
    send('pointerdown', { clientX: 0, clientY: 0 });
    send('pointermove', {
      clientX: 8,
      clientY: 8,
      coalesced: [
        { clientX: 2, clientY: 2 },
        { clientX: 4, clientY: 6 },
        { clientX: 8, clientY: 8 },
      ],
    });
    send('pointermove', { clientX: 10, clientY: 10, coalesced: [] });
    send('pointerup', { clientX: 10, clientY: 10 });
    const s = ended[0]!.stroke;
    expect(points(s).filter((_, i) => i % 3 !== 2)).toEqual([0, 0, 1, 1, 2, 3, 4, 4, 5, 5]);
    // one "samples added" per event, not per sample
    expect(calls.filter((c) => c[0] === 'samples').map((c) => c[1])).toEqual([4, 5]);
  });

  it('stores pen pressure clamped to 0..1, and ignores the 0 a lifted pen reports on pointerup', () => {
    const pen = { pointerType: 'pen' } as const;
    send('pointerdown', { ...pen, clientX: 0, clientY: 0, pressure: 0.3 });
    send('pointermove', { ...pen, clientX: 10, clientY: 0, pressure: 1.7 });
    send('pointermove', {
      ...pen,
      clientX: 20,
      clientY: 0,
      pressure: 0.6,
      coalesced: [
        { clientX: 16, clientY: 0, pressure: -1 },
        { clientX: 20, clientY: 0, pressure: 0.6 },
      ],
    });
    send('pointerup', { ...pen, clientX: 30, clientY: 0, pressure: 0 });
    const s = ended[0]!.stroke;
    expect(s.pen).toBe(true);
    const p = points(s);
    expect(p.length / 3).toBe(4); // the pointerup at x 30 was not added
    expect([p[2], p[5], p[8], p[11]].map((v) => Math.round(v! * 100) / 100)).toEqual([0.3, 1, 0, 0.6]);
    // a pen lifted with pressure left still adds its last sample
    send('pointerdown', { ...pen, clientX: 0, clientY: 0, pressure: 0.5 });
    send('pointerup', { ...pen, clientX: 40, clientY: 0, pressure: 0.4 });
    expect(ended[1]!.stroke.count).toBe(2);
  });

  it('grows its buffer past 256 samples', () => {
    send('pointerdown', { clientX: 0, clientY: 0 });
    for (let i = 1; i <= 600; i++) send('pointermove', { clientX: i, clientY: 0 });
    send('pointerup', { clientX: 600, clientY: 0 });
    const s = ended[0]!.stroke;
    expect(s.count).toBe(601);
    expect(strokePoints(s)[600 * 3]).toBe(300);
  });

  it('paints only with the primary button of the primary pointer, and only over an image', () => {
    send('pointerdown', { button: 2, buttons: 2 });
    send('pointerdown', { isPrimary: false });
    hasImage = false;
    send('pointerdown', {});
    expect(input.isDrawing).toBe(false);
    expect(calls.some((c) => c[0] === 'started')).toBe(false);
  });

  it('keeps the stroke on lostpointercapture and a missed mouse pointerup; drops it on pointercancel and cancel()', () => {
    send('pointerdown', { clientX: 0, clientY: 0 });
    send('lostpointercapture');
    send('pointerdown', { clientX: 0, clientY: 0 });
    send('pointermove', { clientX: 9, clientY: 9, buttons: 0 }); // released outside the window
    send('pointerdown', { clientX: 0, clientY: 0 });
    send('pointercancel');
    send('pointerdown', { clientX: 0, clientY: 0 });
    input.cancel();
    expect(ended.map((e) => e.keep)).toEqual([true, true, false, false]);
    expect(input.isDrawing).toBe(false);
    // a pointer that is not the stroke's changes nothing
    send('pointerdown', { clientX: 0, clientY: 0 });
    send('pointerup', { pointerId: 2 });
    expect(input.isDrawing).toBe(true);
  });
});

describe('StrokeInput pan and zoom', () => {
  it('pans with a middle-button drag and, in pan mode, with a left drag', () => {
    send('pointerdown', { button: 1, buttons: 4, clientX: 100, clientY: 100 });
    expect(input.isPanning).toBe(true);
    send('pointermove', { buttons: 4, clientX: 130, clientY: 90 });
    send('pointerup', { button: 1, clientX: 130, clientY: 90 });
    expect(input.isPanning).toBe(false);
    input.setPanMode(true);
    input.setPanMode(true); // no change, no report
    send('pointerdown', { clientX: 100, clientY: 100 });
    send('pointermove', { clientX: 90, clientY: 100 });
    send('pointerup', { clientX: 90, clientY: 100 });
    input.setPanMode(false);
    expect(calls.filter((c) => c[0] === 'panBy')).toEqual([
      ['panBy', 30, -10],
      ['panBy', -10, 0],
    ]);
    expect(calls.filter((c) => c[0] === 'inputChanged')).toHaveLength(6);
    expect(ended).toHaveLength(0);
  });

  it('zooms about the wheel point and stops the page scrolling', () => {
    const wheel = new WheelEvent('wheel', { deltaY: -100, cancelable: true, bubbles: true });
    Object.defineProperties(wheel, { clientX: { value: 40 }, clientY: { value: 30 } });
    root.dispatchEvent(wheel);
    expect(wheel.defaultPrevented).toBe(true);
    const z = calls.find((c) => c[0] === 'zoomBy')!;
    expect(z[1]).toBeGreaterThan(1);
    expect(z.slice(2)).toEqual([40, 30]);
  });

  it('stops listening once destroyed', () => {
    input.destroy();
    send('pointerdown', {});
    expect(calls).toEqual([]);
  });
});
