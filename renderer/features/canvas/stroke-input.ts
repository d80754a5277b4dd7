/**
 * StrokeInput: pointer and wheel input on the painter's root element (electron-practice.md §6.1).
 * It owns the input state, one of
 *   idle      nothing held;
 *   painting  a primary-button stroke, its samples collected into a LiveStroke (coalesced events,
 *             pen pressure, pointer capture), ended by pointerup / lostpointercapture (kept) or
 *             pointercancel / cancel() (dropped);
 *   panning   a middle-button drag, or a left-drag while pan mode (Space) is on;
 * plus pan mode itself. It never draws and never touches the doc: it tells its host (the
 * painter) what happened, and the host draws, commits and moves the view. Separate because input
 * rules (which button, which pointer, a missed pointerup, a lifted pen's 0 pressure) are their
 * own subject and the hot path must stay free of React and of rendering decisions.
 */

import { addSample, samplesOf, startStroke, type LiveStroke } from './live-stroke';
import type { MaskMode } from './mask-doc';
import { wheelZoomFactor, type Point } from './view';

export interface StrokeInputHost {
  /** An image is shown: strokes and wheel zoom apply. */
  hasImage(): boolean;
  /** The brush a stroke starting now uses. */
  brush(): { mode: MaskMode; radius: number };
  /** Container CSS point → image point. */
  toImage(x: number, y: number): Point;
  /** A stroke is about to start (make the overlay current, show a hidden mask). */
  strokeWillStart(): void;
  /** The stroke started with its first sample. */
  strokeStarted(stroke: LiveStroke): void;
  /** New samples wait to be drawn. */
  samplesAdded(stroke: LiveStroke): void;
  /** The stroke ended: `keep` commits it to the doc, otherwise it is discarded. */
  strokeEnded(stroke: LiveStroke, keep: boolean): void;
  panBy(dx: number, dy: number): void;
  zoomBy(factor: number, atX?: number, atY?: number): void;
  /** The pointer is at container point (x, y). */
  pointerAt(x: number, y: number): void;
  pointerLeft(): void;
  /** Pan mode or a pan drag started or ended (the cursor changes). */
  inputChanged(): void;
}

interface PanState {
  readonly kind: 'panning';
  readonly pointerId: number;
  lastX: number;
  lastY: number;
}
type InputState = { readonly kind: 'idle' } | { readonly kind: 'painting'; readonly stroke: LiveStroke } | PanState;

const IDLE: InputState = { kind: 'idle' };

export class StrokeInput {
  private readonly root: HTMLElement;
  private readonly host: StrokeInputHost;
  private state: InputState = IDLE;
  private _panMode = false;
  private destroyed = false;

  constructor(root: HTMLElement, host: StrokeInputHost) {
    this.root = root;
    this.host = host;
    root.addEventListener('pointerdown', this.onPointerDown);
    root.addEventListener('pointermove', this.onPointerMove);
    root.addEventListener('pointerup', this.onPointerUp);
    root.addEventListener('pointercancel', this.onPointerCancel);
    root.addEventListener('lostpointercapture', this.onLostCapture);
    root.addEventListener('pointerenter', this.onPointerEnter);
    root.addEventListener('pointerleave', this.onPointerLeave);
    root.addEventListener('wheel', this.onWheel, { passive: false });
    root.addEventListener('mousedown', this.onMouseDown);
    root.addEventListener('contextmenu', this.onContextMenu);
  }

  /** The stroke being drawn, or null. */
  get stroke(): LiveStroke | null {
    return this.state.kind === 'painting' ? this.state.stroke : null;
  }
  get isDrawing(): boolean {
    return this.state.kind === 'painting';
  }
  get isPanning(): boolean {
    return this.state.kind === 'panning';
  }
  /** Space held: left-drag pans instead of painting. */
  get panMode(): boolean {
    return this._panMode;
  }

  setPanMode(on: boolean): void {
    if (on === this._panMode) return;
    this._panMode = on;
    this.host.inputChanged();
  }

  /** Discards the stroke in progress, if any (Escape, undo while drawing, a new image). */
  cancel(): void {
    const s = this.stroke;
    if (!s) return;
    this.state = IDLE;
    this.release(s.pointerId);
    this.host.strokeEnded(s, false);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const root = this.root;
    root.removeEventListener('pointerdown', this.onPointerDown);
    root.removeEventListener('pointermove', this.onPointerMove);
    root.removeEventListener('pointerup', this.onPointerUp);
    root.removeEventListener('pointercancel', this.onPointerCancel);
    root.removeEventListener('lostpointercapture', this.onLostCapture);
    root.removeEventListener('pointerenter', this.onPointerEnter);
    root.removeEventListener('pointerleave', this.onPointerLeave);
    root.removeEventListener('wheel', this.onWheel);
    root.removeEventListener('mousedown', this.onMouseDown);
    root.removeEventListener('contextmenu', this.onContextMenu);
    this.state = IDLE;
  }

  // -------------------------------------------------------------------------

  private add(s: LiveStroke, e: PointerEvent): void {
    addSample(s, e.clientX, e.clientY, e.pressure, this.toImage);
  }

  /** Keeps the stroke: pending samples are drawn and it becomes one doc op. */
  private commit(): void {
    const s = this.stroke;
    if (!s) return;
    this.state = IDLE;
    this.host.strokeEnded(s, true);
  }

  private readonly toImage = (x: number, y: number): Point => this.host.toImage(x, y);

  private panOf(e: PointerEvent): PanState | null {
    const st = this.state;
    return st.kind === 'panning' && st.pointerId === e.pointerId ? st : null;
  }
  private strokeOf(e: PointerEvent): LiveStroke | null {
    const s = this.stroke;
    return s && s.pointerId === e.pointerId ? s : null;
  }

  private readonly onPointerDown = (e: PointerEvent): void => {
    if (this.destroyed || this.state.kind !== 'idle') return;
    const wantsPan = e.button === 1 || (e.button === 0 && this._panMode);
    if (wantsPan) {
      e.preventDefault();
      this.state = { kind: 'panning', pointerId: e.pointerId, lastX: e.clientX, lastY: e.clientY };
      this.capture(e.pointerId);
      this.host.inputChanged();
      return;
    }
    if (e.button !== 0 || !e.isPrimary || !this.host.hasImage()) return;
    e.preventDefault();
    this.capture(e.pointerId);
    this.host.strokeWillStart();
    const rect = this.root.getBoundingClientRect();
    const { mode, radius } = this.host.brush();
    const s = startStroke({
      pointerId: e.pointerId,
      mode,
      radius,
      pen: e.pointerType === 'pen',
      left: rect.left,
      top: rect.top,
    });
    this.state = { kind: 'painting', stroke: s };
    this.add(s, e);
    this.host.strokeStarted(s);
    this.host.pointerAt(e.clientX - s.left, e.clientY - s.top);
  };

  private readonly onPointerMove = (e: PointerEvent): void => {
    if (this.destroyed) return;
    const pan = this.panOf(e);
    if (pan) {
      const dx = e.clientX - pan.lastX;
      const dy = e.clientY - pan.lastY;
      pan.lastX = e.clientX;
      pan.lastY = e.clientY;
      if (dx !== 0 || dy !== 0) this.host.panBy(dx, dy);
      return;
    }
    const s = this.strokeOf(e);
    if (s) {
      if (e.pointerType === 'mouse' && (e.buttons & 1) === 0) {
        // Missed pointerup (e.g. released outside without capture).
        this.commit();
      } else {
        for (const c of samplesOf(e)) this.add(s, c);
        this.host.samplesAdded(s);
      }
    }
    this.pointerMoved(e);
  };

  private readonly onPointerUp = (e: PointerEvent): void => {
    if (this.panOf(e)) {
      this.state = IDLE;
      this.release(e.pointerId);
      this.host.inputChanged();
      return;
    }
    const s = this.strokeOf(e);
    if (!s) return;
    // A lifted pen reports pressure 0 on pointerup: don't end the stroke on a 0.3× dot.
    if (!s.pen || e.pressure > 0) this.add(s, e);
    this.commit();
    this.release(e.pointerId);
  };

  private readonly onLostCapture = (e: PointerEvent): void => {
    if (this.panOf(e)) {
      this.state = IDLE;
      this.host.inputChanged();
    }
    if (this.strokeOf(e)) this.commit();
  };

  private readonly onPointerCancel = (e: PointerEvent): void => {
    if (this.panOf(e)) this.state = IDLE;
    if (this.strokeOf(e)) this.cancel();
    this.host.inputChanged();
  };

  private readonly onPointerEnter = (e: PointerEvent): void => {
    this.pointerMoved(e);
  };
  private readonly onPointerLeave = (): void => {
    this.host.pointerLeft();
  };

  private pointerMoved(e: PointerEvent): void {
    const rect = this.stroke ?? this.root.getBoundingClientRect();
    this.host.pointerAt(e.clientX - rect.left, e.clientY - rect.top);
  }

  private readonly onWheel = (e: WheelEvent): void => {
    e.preventDefault();
    if (!this.host.hasImage()) return;
    const rect = this.root.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const factor = wheelZoomFactor(e.deltaY || 0, e.deltaMode || 0, e.ctrlKey);
    if (Number.isFinite(x) && Number.isFinite(y)) this.host.zoomBy(factor, x, y);
    else this.host.zoomBy(factor);
  };

  /** Stops middle-button autoscroll. */
  private readonly onMouseDown = (e: MouseEvent): void => {
    if (e.button === 1) e.preventDefault();
  };
  private readonly onContextMenu = (e: MouseEvent): void => {
    if (this.state.kind !== 'idle') e.preventDefault();
  };

  private capture(pointerId: number): void {
    try {
      this.root.setPointerCapture(pointerId);
    } catch {
      /* synthetic pointer ids cannot be captured */
    }
  }
  private release(pointerId: number): void {
    try {
      if (this.root.hasPointerCapture?.(pointerId)) this.root.releasePointerCapture(pointerId);
    } catch {
      /* already released */
    }
  }
}
