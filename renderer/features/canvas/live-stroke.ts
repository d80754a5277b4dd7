/**
 * LiveStroke: the stroke being drawn, as the samples arrive. Points are stored in image
 * coordinates, three floats each (x, y, pressure), in a buffer that grows by doubling; `drawn`
 * says how many the overlay has already rasterized. Pen samples keep their pressure (clamped to
 * 0..1); mouse and touch store 0.5. Repeated positions are dropped. Separate because both the
 * stroke input (which fills it) and the overlay renderer (which draws it) share it, and its
 * sample rules can be tested without events.
 */

import type { MaskMode } from './mask-doc';
import type { Rect } from './rasterize';
import type { Point } from './view';

export interface LiveStroke {
  readonly pointerId: number;
  readonly mode: MaskMode;
  /** Brush radius in image px. */
  readonly radius: number;
  /** Drawn with a pen: the pressure of each sample counts. */
  readonly pen: boolean;
  /** x, y (image px), pressure; `count` points are valid. */
  pts: Float32Array;
  count: number;
  /** Points already rasterized on the live overlay. */
  drawn: number;
  /** Device-pixel rect the live overlay has drawn on (null: nothing yet). */
  bbox: Rect | null;
  /** Client position of the last sample (repeats are dropped). */
  lastX: number;
  lastY: number;
  /** Container rect at pointerdown (layout doesn't change mid-stroke). */
  readonly left: number;
  readonly top: number;
}

/** Pressure stored for a sample: the pen's, clamped; 0.5 for every other pointer. */
export function samplePressure(pen: boolean, pressure: number): number {
  return pen ? Math.max(0, Math.min(1, pressure)) : 0.5;
}

export function startStroke(o: {
  pointerId: number;
  mode: MaskMode;
  radius: number;
  pen: boolean;
  left: number;
  top: number;
}): LiveStroke {
  return { ...o, pts: new Float32Array(3 * 256), count: 0, drawn: 0, bbox: null, lastX: NaN, lastY: NaN };
}

/**
 * Appends a sample at client point (clientX, clientY), mapped to the image with `toImage`
 * (container coordinates in). Returns false for a repeat of the last position.
 */
export function addSample(
  s: LiveStroke,
  clientX: number,
  clientY: number,
  pressure: number,
  toImage: (x: number, y: number) => Point,
): boolean {
  if (clientX === s.lastX && clientY === s.lastY) return false;
  s.lastX = clientX;
  s.lastY = clientY;
  const p = toImage(clientX - s.left, clientY - s.top);
  if (s.count * 3 + 3 > s.pts.length) {
    const grown = new Float32Array(s.pts.length * 2);
    grown.set(s.pts);
    s.pts = grown;
  }
  const i = s.count * 3;
  s.pts[i] = p.x;
  s.pts[i + 1] = p.y;
  s.pts[i + 2] = samplePressure(s.pen, pressure);
  s.count++;
  return true;
}

/** The valid points (a view on the buffer, not a copy). */
export function strokePoints(s: LiveStroke): Float32Array {
  return s.pts.subarray(0, s.count * 3);
}

/**
 * The samples one pointermove carries: the coalesced ones the browser collected since the
 * last event (a fast mouse or pen sends several per frame), else the event itself.
 */
export function samplesOf(e: PointerEvent): readonly PointerEvent[] {
  const list = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : null;
  return list && list.length > 0 ? list : [e];
}
