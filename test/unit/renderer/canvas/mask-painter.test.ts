// @vitest-environment happy-dom
/**
 * MaskPainter logic in happy-dom (no real canvas 2D: contexts are null, so this
 * checks input → doc, view and DOM wiring; pixels are covered by the rasterizer
 * tests and by the Chromium bench in test/bench/painter.ts).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MaskDoc, type StrokeOp } from '../../../../renderer/features/canvas/mask-doc';
import { MaskPainter, parseColor } from '../../../../renderer/features/canvas/mask-painter';
import { screenToImage } from '../../../../renderer/features/canvas/view';
import type { MaskPainterState } from '../../../../renderer/features/canvas/types';

const W = 800;
const H = 600;
let restore: (() => void) | null = null;

beforeAll(() => {
  const proto = HTMLElement.prototype;
  const cw = Object.getOwnPropertyDescriptor(proto, 'clientWidth');
  const ch = Object.getOwnPropertyDescriptor(proto, 'clientHeight');
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get: () => W });
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get: () => H });
  restore = () => {
    if (cw) Object.defineProperty(proto, 'clientWidth', cw);
    if (ch) Object.defineProperty(proto, 'clientHeight', ch);
  };
});
afterAll(() => restore?.());

let container: HTMLDivElement;
let painter: MaskPainter;
let root: HTMLElement;

beforeEach(async () => {
  container = document.createElement('div');
  document.body.append(container);
  painter = new MaskPainter(container, { brushSize: 20 });
  root = container.querySelector('.mask-painter') as HTMLElement;
  await painter.setImage('blob:prepared-image', { width: 400, height: 200 });
});
afterEach(() => {
  painter.destroy();
  container.remove();
});

type PInit = PointerEventInit & { coalesced?: PointerEventInit[] };
function pe(type: string, init: PInit): PointerEvent {
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
/** Screen (container) coordinates of an image point under the current view. */
function scr(x: number, y: number): { clientX: number; clientY: number } {
  const v = painter.view;
  return { clientX: x * v.zoom + v.panX, clientY: y * v.zoom + v.panY };
}
function drag(points: [number, number][], extra: PInit = {}) {
  const [first, ...rest] = points;
  root.dispatchEvent(pe('pointerdown', { ...scr(...first!), ...extra }));
  for (const p of rest) root.dispatchEvent(pe('pointermove', { ...scr(...p), ...extra }));
  const last = points[points.length - 1]!;
  root.dispatchEvent(pe('pointerup', { ...scr(...last), ...extra }));
}
const strokes = () => painter.doc!.ops.filter((o): o is StrokeOp => o.kind === 'stroke');

describe('MaskPainter DOM', () => {
  it('builds the layers inside the container', () => {
    expect(root).toBeTruthy();
    expect(root.style.touchAction).toBe('none');
    const layers = [...root.querySelectorAll('[data-layer]')].map((e) => (e as HTMLElement).dataset.layer);
    expect(layers).toEqual(['base-image', 'mask-committed', 'mask-live', 'brush-cursor']);
    const img = root.querySelector('img')!;
    expect(img.getAttribute('src')).toBe('blob:prepared-image');
    expect(img.style.width).toBe('400px');
    expect(img.style.transform).toContain('scale(');
  });

  it('fits the image into the view', () => {
    const v = painter.view;
    expect(v.zoom).toBeCloseTo(Math.min((W - 32) / 400, (H - 32) / 200), 9);
    expect(screenToImage(v, W / 2, H / 2).x).toBeCloseTo(200, 9);
    expect(painter.getState().imageSize).toEqual({ width: 400, height: 200 });
  });

  it('destroy() removes everything and ignores later input', () => {
    painter.destroy();
    expect(container.querySelector('.mask-painter')).toBeNull();
    expect(() => painter.destroy()).not.toThrow();
  });

  it('parses overlay colours', () => {
    expect(parseColor('#f00')).toEqual([255, 0, 0]);
    expect(parseColor('#12ab34')).toEqual([0x12, 0xab, 0x34]);
    expect(parseColor('rgba(1, 2, 3, 0.5)')).toEqual([1, 2, 3]);
    expect(parseColor('tomato')).toBeNull();
  });
});

describe('MaskPainter strokes', () => {
  it('commits one stroke per drag, in image coordinates, as one doc change', () => {
    const doc = painter.doc!;
    const changes: MaskPainterState[] = [];
    painter.onChange((s) => changes.push(s));
    const v0 = doc.version;
    drag([
      [100, 50],
      [150, 60],
      [200, 80],
    ]);
    expect(doc.version).toBe(v0 + 1);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.canUndo).toBe(true);
    expect(changes[0]!.isEmpty).toBe(false);
    const s = strokes();
    expect(s).toHaveLength(1);
    expect(s[0]!.mode).toBe('paint');
    expect(s[0]!.radius).toBe(10);
    expect(s[0]!.pen).toBe(false);
    const p = s[0]!.points;
    expect(p[0]).toBeCloseTo(100, 3);
    expect(p[1]).toBeCloseTo(50, 3);
    expect(p[2]).toBe(0.5);
    expect(p[p.length - 3]).toBeCloseTo(200, 3);
    expect(p[p.length - 2]).toBeCloseTo(80, 3);
  });

  it('uses coalesced samples when the browser provides them', () => {
    root.dispatchEvent(pe('pointerdown', scr(10, 10)));
    root.dispatchEvent(pe('pointermove', { ...scr(40, 10), coalesced: [scr(20, 30), scr(30, 10), scr(40, 30)] }));
    root.dispatchEvent(pe('pointerup', scr(40, 30)));
    const p = strokes()[0]!.points;
    expect(p.length / 3).toBe(4);
    expect(p[4]).toBeCloseTo(30, 3);
  });

  it('stores pen pressure, and 0.5 for the mouse', () => {
    drag(
      [
        [10, 10],
        [60, 10],
        [120, 10],
      ],
      { pointerType: 'pen', pressure: 0.8 },
    );
    const s = strokes()[0]!;
    expect(s.pen).toBe(true);
    expect(s.points[2]).toBeCloseTo(0.8, 5);
  });

  it('ignores non-primary buttons and pointers', () => {
    drag(
      [
        [10, 10],
        [50, 50],
      ],
      { button: 2, buttons: 2 },
    );
    drag(
      [
        [10, 10],
        [50, 50],
      ],
      { isPrimary: false },
    );
    expect(painter.doc!.ops).toHaveLength(0);
  });

  it('commits on lostpointercapture and discards on pointercancel', () => {
    root.dispatchEvent(pe('pointerdown', scr(10, 10)));
    root.dispatchEvent(pe('pointermove', scr(60, 60)));
    root.dispatchEvent(pe('lostpointercapture', {}));
    expect(strokes()).toHaveLength(1);
    root.dispatchEvent(pe('pointerdown', scr(10, 10)));
    root.dispatchEvent(pe('pointermove', scr(60, 60)));
    root.dispatchEvent(pe('pointercancel', {}));
    root.dispatchEvent(pe('pointerup', scr(60, 60)));
    expect(strokes()).toHaveLength(1);
  });

  it('eraser tool makes erase strokes; brush size is the diameter', () => {
    painter.set({ tool: 'eraser' });
    painter.set({ brushSize: 31 });
    drag([
      [10, 10],
      [20, 20],
    ]);
    expect(strokes()[0]!.mode).toBe('erase');
    expect(strokes()[0]!.radius).toBe(15.5);
  });

  it('undo while drawing cancels the stroke in progress only', () => {
    drag([
      [10, 10],
      [20, 20],
    ]);
    root.dispatchEvent(pe('pointerdown', scr(100, 100)));
    root.dispatchEvent(pe('pointermove', scr(150, 100)));
    expect(painter.isDrawing).toBe(true);
    painter.undo();
    expect(painter.isDrawing).toBe(false);
    root.dispatchEvent(pe('pointerup', scr(150, 100)));
    expect(strokes()).toHaveLength(1);
    expect(painter.doc!.index).toBe(1);
  });

  it('painting while the mask is hidden shows it again', () => {
    painter.set({ maskVisible: false });
    drag([
      [10, 10],
      [20, 20],
    ]);
    expect(painter.maskVisible).toBe(true);
  });
});

describe('MaskPainter history and export', () => {
  it('delegates undo/redo/clear/invert/fill to the doc', () => {
    const doc = painter.doc!;
    painter.clear(); // already empty: no step
    expect(doc.index).toBe(0);
    drag([
      [10, 10],
      [50, 10],
    ]);
    painter.invert();
    painter.fill();
    painter.clear();
    expect(doc.ops.map((o) => o.kind)).toEqual(['stroke', 'invert', 'fill', 'clear']);
    painter.undo();
    expect(painter.canRedo()).toBe(true);
    painter.redo();
    expect(painter.canRedo()).toBe(false);
    expect(painter.getState().isEmpty).toBe(true);
  });

  it('exports at the prepared image size or any other size', () => {
    drag([
      [100, 100],
      [300, 100],
    ]);
    const m = painter.exportMask();
    expect(m.width).toBe(400);
    expect(m.height).toBe(200);
    expect(m.data.length).toBe(400 * 200);
    expect(m.data[100 * 400 + 200]).toBe(255);
    expect(m.data[10 * 400 + 10]).toBe(0);
    const big = painter.exportMask(800, 400);
    expect(big.data.length).toBe(800 * 400);
    expect(big.data[200 * 800 + 400]).toBe(255);
  });

  it('setDoc restores a saved mask', () => {
    const saved = new MaskDoc(400, 200);
    saved.push({ kind: 'fill' });
    painter.setDoc(saved);
    expect(painter.doc).toBe(saved);
    expect(painter.exportMask().data.every((v) => v === 255)).toBe(true);
  });

  it('rejects a doc of another size for setImage', async () => {
    await expect(painter.setImage('blob:x', { width: 10, height: 10, doc: new MaskDoc(20, 20) })).rejects.toThrow(
      /doc is 20x20/,
    );
  });
});

describe('MaskPainter tools, zoom and pan', () => {
  it('grows and shrinks the brush in steps and clamps it', () => {
    painter.set({ brushSize: 5 });
    painter.growBrush();
    expect(painter.brushSize).toBe(6);
    painter.set({ brushSize: 100 });
    painter.growBrush();
    expect(painter.brushSize).toBe(120);
    painter.shrinkBrush();
    expect(painter.brushSize).toBe(100);
    painter.set({ brushSize: 1 });
    painter.shrinkBrush();
    expect(painter.brushSize).toBe(1);
    painter.set({ brushSize: 1e9 });
    expect(painter.brushSize).toBe(4096);
  });

  it('set() changes several settings with one report, normalises values and ignores unchanged ones', () => {
    const seen = vi.fn();
    painter.onChange(seen);
    painter.set({ tool: 'eraser', brushSize: 12.6, overlayOpacity: 3, overlayColor: '#00ff00', maskVisible: false });
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen.mock.calls[0]![0]).toMatchObject({
      tool: 'eraser',
      brushSize: 13,
      overlayOpacity: 1,
      overlayColor: '#00ff00',
      maskVisible: false,
    });
    const overlay = root.querySelector('[data-layer="mask-committed"]')!.parentElement as HTMLElement;
    expect(overlay.style.opacity).toBe('1');
    expect(overlay.style.visibility).toBe('hidden');
    painter.set({ tool: 'eraser', brushSize: 13, maskVisible: false });
    expect(seen).toHaveBeenCalledTimes(1);
    // pressure is a setting of the doc; pan mode and fit margins change no reported state
    painter.set({ usePressure: false, panMode: true });
    expect(painter.doc!.usePressure).toBe(false);
    expect(root.style.cursor).toBe('grab');
    painter.set({ panMode: false, fitPadding: { top: 100, right: 16, bottom: 16, left: 16 } });
    expect(screenToImage(painter.view, W / 2, (H + 100 - 16) / 2).y).toBeCloseTo(100, 9);
  });

  it('wheel zooms about the cursor', () => {
    const before = screenToImage(painter.view, 300, 250);
    const z0 = painter.zoom;
    const wheel = new WheelEvent('wheel', {
      deltaY: -100,
      clientX: 300,
      clientY: 250,
      cancelable: true,
      bubbles: true,
    });
    // happy-dom's WheelEvent drops the MouseEvent coordinates
    Object.defineProperties(wheel, { clientX: { value: 300 }, clientY: { value: 250 } });
    root.dispatchEvent(wheel);
    expect(wheel.defaultPrevented).toBe(true);
    expect(painter.zoom).toBeGreaterThan(z0);
    const after = screenToImage(painter.view, 300, 250);
    expect(after.x).toBeCloseTo(before.x, 6);
    expect(after.y).toBeCloseTo(before.y, 6);
    painter.fit();
    expect(painter.zoom).toBeCloseTo(z0, 9);
  });

  it('middle-drag and space+drag pan without painting', () => {
    const p0 = painter.view.panX;
    root.dispatchEvent(pe('pointerdown', { clientX: 100, clientY: 100, button: 1, buttons: 4 }));
    root.dispatchEvent(pe('pointermove', { clientX: 130, clientY: 90, buttons: 4 }));
    root.dispatchEvent(pe('pointerup', { clientX: 130, clientY: 90, button: 1 }));
    expect(painter.view.panX).toBeCloseTo(p0 + 30, 9);
    painter.set({ panMode: true });
    expect(root.style.cursor).toBe('grab');
    root.dispatchEvent(pe('pointerdown', { clientX: 100, clientY: 100 }));
    root.dispatchEvent(pe('pointermove', { clientX: 90, clientY: 100 }));
    root.dispatchEvent(pe('pointerup', { clientX: 90, clientY: 100 }));
    painter.set({ panMode: false });
    expect(painter.view.panX).toBeCloseTo(p0 + 20, 9);
    expect(painter.doc!.ops).toHaveLength(0);
  });

  it('zoomIn/zoomOut/setZoom clamp to 0.05–32 and report zoom changes', () => {
    const seen = vi.fn();
    painter.onChange(seen);
    painter.setZoom(1000);
    expect(painter.zoom).toBe(32);
    painter.zoomIn();
    expect(painter.zoom).toBe(32);
    painter.zoomOut();
    expect(painter.zoom).toBeCloseTo(32 / 1.25, 9);
    expect(seen).toHaveBeenCalledTimes(2);
  });

  it('brush cursor shows the brush size at the current zoom', () => {
    painter.set({ brushSize: 50 });
    root.dispatchEvent(pe('pointerenter', { clientX: 200, clientY: 200, buttons: 0 }));
    const cursor = root.querySelector('[data-layer="brush-cursor"]') as HTMLElement;
    expect(cursor.style.display).toBe('block');
    expect(parseFloat(cursor.style.width)).toBeCloseTo(50 * painter.zoom, 6);
    root.dispatchEvent(pe('pointerleave', { clientX: 900, clientY: 200, buttons: 0 }));
    expect(cursor.style.display).toBe('none');
  });
});
