/**
 * Browser side of the painter benchmark (bundled by test/bench/painter.ts with
 * esbuild and loaded into Chromium). Exposes `window.__painterBench`.
 * A .mts file so the Node tsconfig (test/**\/*.ts, no DOM lib) doesn't type-check it.
 */
import { MaskDoc } from '../../../renderer/features/canvas/mask-doc';
import { MaskPainter, type FrameKind } from '../../../renderer/features/canvas/mask-painter';
import { mouseLikeStrokes } from './strokes';

const frames: { ms: number; kind: FrameKind }[] = [];
let painter: MaskPainter | null = null;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

function makeImage(size: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = size;
  c.height = size;
  const ctx = c.getContext('2d')!;
  const g = ctx.createLinearGradient(0, 0, size, size);
  g.addColorStop(0, '#345');
  g.addColorStop(1, '#d9a');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, size, size);
  ctx.fillStyle = 'rgba(255,255,255,0.25)';
  for (let i = 0; i < 200; i++) ctx.fillRect((i * 977) % size, (i * 613) % size, 64, 64);
  return c;
}

let image: HTMLCanvasElement | null = null;

async function setup(opts: {
  size: number;
  brushSize: number;
  syncViewRenderMs?: number;
  keepDoc?: boolean;
}): Promise<{ zoom: number; canvasWidth: number; canvasHeight: number; dpr: number }> {
  const doc = opts.keepDoc ? (painter?.doc ?? undefined) : undefined;
  painter?.destroy();
  const host = document.getElementById('host')!;
  painter = new MaskPainter(host, {
    brushSize: opts.brushSize,
    syncViewRenderMs: opts.syncViewRenderMs,
    onFrame: (ms, kind) => frames.push({ ms, kind }),
  });
  if (!image || image.width !== opts.size) image = makeImage(opts.size);
  await painter.setImage(image, { width: opts.size, height: opts.size, doc });
  const c = host.querySelector('canvas[data-layer="mask-live"]') as HTMLCanvasElement;
  return { zoom: painter.zoom, canvasWidth: c.width, canvasHeight: c.height, dpr: devicePixelRatio };
}

function resetFrames(): void {
  frames.length = 0;
}

function frameStats(kind: FrameKind) {
  const v = frames.filter((f) => f.kind === kind).map((f) => f.ms);
  const top = [...v]
    .sort((a, b) => b - a)
    .slice(0, 6)
    .map((x) => Math.round(x * 10) / 10);
  return {
    count: v.length,
    p50: percentile(v, 50),
    p95: percentile(v, 95),
    max: v.length ? Math.max(...v) : NaN,
    top,
    firstFive: v.slice(0, 5).map((x) => Math.round(x * 10) / 10),
  };
}

function setZoom(zoom: number): void {
  painter!.setZoom(zoom);
}

/** Pushes `count` mouse-like strokes straight into the doc (no live drawing). */
function addStrokes(count: number, seed: number): number {
  const doc = painter!.doc!;
  for (const s of mouseLikeStrokes({ count, imageWidth: doc.width, imageHeight: doc.height, seed })) {
    doc.push({ kind: 'stroke', mode: s.mode, radius: s.radius, points: s.points });
  }
  return doc.index;
}

/** Times painter.undo() (doc change → committed raster → putImageData), then redo. */
function timeUndo(times: number): { undo: number[]; redo: number[] } {
  const undo: number[] = [];
  const redo: number[] = [];
  for (let i = 0; i < times; i++) {
    let t = performance.now();
    painter!.undo();
    undo.push(performance.now() - t);
    t = performance.now();
    painter!.redo();
    redo.push(performance.now() - t);
  }
  // Successive undos walking back from the head as well.
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    painter!.undo();
    undo.push(performance.now() - t);
  }
  for (let i = 0; i < times; i++) painter!.redo();
  return { undo, redo };
}

/** The painter's parts the timings below reach into (private; this is exactly the work a frame does). */
function parts() {
  return painter as unknown as {
    renderer: {
      raster: { setGrid(g: unknown): void; render(): unknown };
      paintCommitted(r: unknown): void;
      renderView(): void;
    };
    vc: { gridFor(): unknown; pxWidth: number; pxHeight: number };
  };
}

/** Split of one full view re-render: raster replay vs RGBA conversion + putImageData. */
function profileViewRender(): { raster: number; paint: number } {
  const { renderer, vc } = parts();
  painter!.zoomBy(1.05);
  let t = performance.now();
  renderer.raster.setGrid(vc.gridFor());
  renderer.raster.render();
  const raster = performance.now() - t;
  t = performance.now();
  renderer.paintCommitted({ x0: 0, y0: 0, x1: vc.pxWidth, y1: vc.pxHeight });
  return { raster, paint: performance.now() - t };
}

/** Full view re-render (after zoom/pan) timings. */
function timeViewRender(times: number): number[] {
  const out: number[] = [];
  const { renderer } = parts();
  for (let i = 0; i < times; i++) {
    painter!.zoomBy(i % 2 === 0 ? 1.1 : 1 / 1.1);
    const t = performance.now();
    renderer.renderView();
    out.push(performance.now() - t);
  }
  return out;
}

function timeExport(): { ms: number; covered: number; length: number } {
  const t = performance.now();
  const m = painter!.exportMask();
  const ms = performance.now() - t;
  let covered = 0;
  for (let i = 0; i < m.data.length; i += 97) if (m.data[i]) covered++;
  return { ms, covered, length: m.data.length };
}

/**
 * Paints `strokes` curvy mouse strokes the way Chromium delivers input: one
 * rAF-aligned pointermove per frame carrying `samplesPerFrame` coalesced
 * samples (8 ≈ a 500 Hz mouse on a 60 Hz display), `step` CSS px apart.
 * Returns how many coalesced samples the events really carried.
 */
async function paintSynthetic(
  strokes: number,
  framesPerStroke: number,
  samplesPerFrame: number,
  step: number,
  seed: number,
): Promise<{ frames: number; coalescedPerEvent: number }> {
  const root = document.querySelector('.mask-painter') as HTMLElement;
  const rect = root.getBoundingClientRect();
  let s = seed >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
  const base = { pointerId: 1, pointerType: 'mouse', isPrimary: true, bubbles: true, cancelable: true } as const;
  let frames = 0;
  let coalescedSeen = 0;
  for (let k = 0; k < strokes; k++) {
    let x = rect.left + rect.width * (0.2 + 0.6 * rnd());
    let y = rect.top + rect.height * (0.2 + 0.6 * rnd());
    let a = rnd() * Math.PI * 2;
    root.dispatchEvent(new PointerEvent('pointerdown', { ...base, button: 0, buttons: 1, clientX: x, clientY: y }));
    for (let f = 0; f < framesPerStroke; f++) {
      const samples: PointerEvent[] = [];
      for (let i = 0; i < samplesPerFrame; i++) {
        a += (rnd() - 0.5) * 0.3;
        x = Math.max(rect.left + 10, Math.min(rect.right - 10, x + Math.cos(a) * step));
        y = Math.max(rect.top + 10, Math.min(rect.bottom - 10, y + Math.sin(a) * step));
        samples.push(
          new PointerEvent('pointermove', {
            ...base,
            button: -1,
            buttons: 1,
            clientX: Math.round(x),
            clientY: Math.round(y),
          }),
        );
      }
      const last = samples[samples.length - 1]!;
      const ev = new PointerEvent('pointermove', {
        ...base,
        button: -1,
        buttons: 1,
        clientX: last.clientX,
        clientY: last.clientY,
        coalescedEvents: samples,
      });
      if (ev.getCoalescedEvents().length === samples.length) {
        coalescedSeen = samples.length;
        root.dispatchEvent(ev);
      } else {
        for (const e of samples) root.dispatchEvent(e); // no coalescedEvents support: same samples per frame
      }
      frames++;
      await frame();
    }
    root.dispatchEvent(
      new PointerEvent('pointerup', { ...base, button: 0, buttons: 0, clientX: Math.round(x), clientY: Math.round(y) }),
    );
    await frame();
  }
  return { frames, coalescedPerEvent: coalescedSeen };
}

/** Synthetic pen stroke (PointerEvents dispatched in the page) to check pressure end-to-end. */
function penStroke(): { pen: boolean | undefined; pressures: number[] } {
  const root = document.querySelector('.mask-painter') as HTMLElement;
  const base = { pointerId: 77, pointerType: 'pen', isPrimary: true, bubbles: true, cancelable: true } as const;
  root.dispatchEvent(
    new PointerEvent('pointerdown', { ...base, button: 0, buttons: 1, clientX: 300, clientY: 300, pressure: 0.2 }),
  );
  for (let i = 1; i <= 10; i++)
    root.dispatchEvent(
      new PointerEvent('pointermove', {
        ...base,
        button: -1,
        buttons: 1,
        clientX: 300 + i * 10,
        clientY: 300,
        pressure: 0.2 + i * 0.07,
      }),
    );
  root.dispatchEvent(
    new PointerEvent('pointerup', { ...base, button: 0, buttons: 0, clientX: 400, clientY: 300, pressure: 0 }),
  );
  const op = painter!.doc!.ops[painter!.doc!.index - 1]!;
  if (op.kind !== 'stroke') return { pen: undefined, pressures: [] };
  const p: number[] = [];
  for (let i = 2; i < op.points.length; i += 3) p.push(Math.round(op.points[i]! * 100) / 100);
  return { pen: op.pen, pressures: p };
}

/** Calls a public painter method by name (set, undo, redo, invert, fit, …). */
function painterCall(method: string, ...args: unknown[]): unknown {
  const fn = (painter as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
  if (typeof fn !== 'function') throw new Error(`no painter method ${method}`);
  return fn.apply(painter, args);
}

/** CSS (page) point ↔ image point under the current view. */
function toImage(points: [number, number][]): [number, number][] {
  const v = painter!.view;
  const r = (document.querySelector('.mask-painter') as HTMLElement).getBoundingClientRect();
  return points.map(([x, y]) => [(x - r.left - v.panX) / v.zoom, (y - r.top - v.panY) / v.zoom]);
}
function toScreen(points: [number, number][]): [number, number][] {
  const v = painter!.view;
  const r = (document.querySelector('.mask-painter') as HTMLElement).getBoundingClientRect();
  return points.map(([x, y]) => [x * v.zoom + v.panX + r.left, y * v.zoom + v.panY + r.top]);
}

/** Exported mask value at image points. */
function exportAt(points: [number, number][]): number[] {
  const m = painter!.exportMask();
  return points.map(([x, y]) => m.data[Math.floor(y) * m.width + Math.floor(x)]!);
}

/** Committed-canvas alpha vs exported mask at `n` random points inside the image; returns mismatches. */
function screenVsExport(n: number, seed: number): { checked: number; mismatches: number; painted: number } {
  const p = painter!;
  const m = p.exportMask();
  const v = p.view;
  const c = document.querySelector('canvas[data-layer="mask-committed"]') as HTMLCanvasElement;
  const ctx = c.getContext('2d')!;
  const img = ctx.getImageData(0, 0, c.width, c.height).data;
  const dpr = c.width / c.clientWidth;
  let s = seed >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  let checked = 0;
  let mismatches = 0;
  let painted = 0;
  for (let i = 0; i < n * 20 && checked < n; i++) {
    const px = Math.floor(rnd() * c.width);
    const py = Math.floor(rnd() * c.height);
    const ix = ((px + 0.5) / dpr - v.panX) / v.zoom;
    const iy = ((py + 0.5) / dpr - v.panY) / v.zoom;
    if (ix < 0 || iy < 0 || ix >= m.width || iy >= m.height) continue;
    checked++;
    const screen = img[(py * c.width + px) * 4 + 3]! > 0;
    const exported = m.data[Math.floor(iy) * m.width + Math.floor(ix)]! > 0;
    if (screen) painted++;
    if (screen !== exported) mismatches++;
  }
  return { checked, mismatches, painted };
}

function docInfo() {
  const d = painter!.doc!;
  return { index: d.index, ops: d.ops.length, empty: d.isEmpty(), secure: isSecureContext };
}

function newDoc(): void {
  const d = painter!.doc!;
  painter!.setDoc(new MaskDoc(d.width, d.height));
}

/** Reads committed-canvas pixels (alpha) at CSS points. */
function committedAlphaAt(points: [number, number][]): number[] {
  const c = document.querySelector('canvas[data-layer="mask-committed"]') as HTMLCanvasElement;
  const ctx = c.getContext('2d')!;
  const sx = c.width / c.clientWidth;
  return points.map(([x, y]) => ctx.getImageData(Math.floor(x * sx), Math.floor(y * sx), 1, 1).data[3]!);
}

(window as unknown as { __painterBench: unknown }).__painterBench = {
  setup,
  resetFrames,
  frameStats,
  setZoom,
  addStrokes,
  timeUndo,
  timeViewRender,
  profileViewRender,
  timeExport,
  penStroke,
  paintSynthetic,
  painterCall,
  toImage,
  toScreen,
  exportAt,
  screenVsExport,
  docInfo,
  newDoc,
  committedAlphaAt,
  view: () => painter!.view,
};
