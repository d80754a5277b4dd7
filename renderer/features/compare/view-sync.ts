/**
 * The comparison's synchronised zoom and pan, outside React (the hot path, as in the mask
 * painter): one `ViewState` in a plain object, every photo's <img> registered with the pane it is
 * drawn in, and each wheel, pinch or drag on any pane computes the next state against the photo
 * under the pointer and writes every image's transform directly. React hears about it only through
 * `subscribe` (the zoom readout and the buttons' pressed state), at most once a frame.
 */
import {
  FIT,
  isZoomed,
  layout,
  pan,
  toggleActual,
  zoomAbout,
  zoomLabel,
  type Size,
  type ViewState,
} from './compare-view-state';

interface Target {
  box: HTMLElement;
  img: HTMLImageElement;
  size: Size;
  /** its place in the comparison (A = 0): the lowest is the reference for keys and the readout */
  rank: number;
}

/** One key press of + / - zooms by this much; arrows pan a tenth of the pane. */
export const ZOOM_STEP = 1.25;
const PAN_STEP = 0.1;
/** Wheel delta (pixels) to zoom factor: e^(-delta·k); pinch (ctrl+wheel) is finer-grained in deltas. */
const WHEEL_K = 0.0015;
const PINCH_K = 0.01;

function boxSize(el: HTMLElement): Size {
  return { width: el.clientWidth, height: el.clientHeight };
}

export class ViewSync {
  private state: ViewState = FIT;
  private targets: Target[] = [];
  private boxes = new Map<HTMLElement, { count: number; off: () => void }>();
  private listeners = new Set<() => void>();
  private frame = 0;
  private resize: ResizeObserver | null =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver(() => {
          this.apply();
          this.notify();
        })
      : null;

  constructor(private readonly dpr: () => number = () => window.devicePixelRatio || 1) {}

  get view(): ViewState {
    return this.state;
  }

  /** Draws `img` (of `size` image pixels) in `box` with the shared view; returns the undo. */
  attach(box: HTMLElement, img: HTMLImageElement, size: Size, rank: number): () => void {
    const t: Target = { box, img, size, rank };
    this.targets = [...this.targets, t].sort((a, b) => a.rank - b.rank);
    const known = this.boxes.get(box);
    if (known) known.count++;
    else this.boxes.set(box, { count: 1, off: this.listen(box) });
    img.style.transformOrigin = '0 0';
    img.style.width = `${size.width}px`;
    img.style.height = `${size.height}px`;
    this.applyOne(t);
    this.notify();
    return () => {
      this.targets = this.targets.filter((x) => x !== t);
      this.notify();
      const b = this.boxes.get(box);
      if (b && --b.count === 0) {
        b.off();
        this.boxes.delete(box);
      }
    };
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  set(next: ViewState): void {
    if (next === this.state) return;
    this.state = next;
    this.apply();
    this.notify();
  }

  /** Tells React (readout, buttons) at most once a frame. */
  private notify(): void {
    if (!this.frame) {
      const tell = () => {
        this.frame = 0;
        for (const fn of this.listeners) fn();
      };
      this.frame =
        typeof requestAnimationFrame === 'function'
          ? requestAnimationFrame(tell)
          : (setTimeout(tell, 0) as unknown as number);
    }
  }

  /** The reference photo for keys and the readout: photo A (the lowest rank). */
  private first(): Target | undefined {
    return this.targets[0];
  }

  fit(): void {
    this.set(FIT);
  }
  toggleActual(): void {
    this.set(toggleActual(this.state));
  }
  actual(): void {
    if (!this.state.actual) this.set({ ...this.state, actual: true });
  }
  zoomBy(factor: number): void {
    const t = this.first();
    if (t) this.set(zoomAbout(this.state, factor, t.size, boxSize(t.box), this.dpr()));
  }
  /** Arrow keys: fractions of the pane; does nothing at fit. Returns whether it moved. */
  panBy(fx: number, fy: number): boolean {
    const t = this.first();
    if (!t) return false;
    const box = boxSize(t.box);
    if (!isZoomed(this.state, t.size, box, this.dpr())) return false;
    this.set(pan(this.state, -fx * PAN_STEP * box.width, -fy * PAN_STEP * box.height, t.size, box, this.dpr()));
    return true;
  }
  label(): string {
    const t = this.first();
    return t ? zoomLabel(this.state, t.size, boxSize(t.box), this.dpr()) : 'Fit';
  }
  zoomed(): boolean {
    const t = this.first();
    return !!t && isZoomed(this.state, t.size, boxSize(t.box), this.dpr());
  }

  apply(): void {
    for (const t of this.targets) this.applyOne(t);
  }

  private applyOne(t: Target): void {
    const l = layout(this.state, t.size, boxSize(t.box), this.dpr());
    t.img.style.transform = `translate(${l.x}px, ${l.y}px) scale(${l.scale})`;
    // Past 2 device px per image px, show the pixels as they are rather than smoothed.
    t.img.style.imageRendering = l.scale * this.dpr() >= 2 ? 'pixelated' : '';
  }

  /** The photo a gesture in `box` is measured on: its first (in the wipe and flicker, photo A). */
  private targetIn(box: HTMLElement): Target | undefined {
    return this.targets.find((t) => t.box === box);
  }

  private listen(box: HTMLElement): () => void {
    this.resize?.observe(box);
    const local = (e: { clientX: number; clientY: number }) => {
      const r = box.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const onWheel = (e: WheelEvent) => {
      const t = this.targetIn(box);
      if (!t) return;
      e.preventDefault();
      const dy = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      const factor = Math.exp(-dy * (e.ctrlKey ? PINCH_K : WHEEL_K));
      const p = local(e);
      this.set(zoomAbout(this.state, factor, t.size, boxSize(box), this.dpr(), p.x, p.y));
    };
    let drag: { id: number; x: number; y: number } | null = null;
    const onDown = (e: PointerEvent) => {
      if (e.button !== 0 || (e.target as HTMLElement).closest('button, input, a, [data-no-pan]')) return;
      drag = { id: e.pointerId, x: e.clientX, y: e.clientY };
      box.setPointerCapture?.(e.pointerId);
      box.classList.add('is-dragging');
    };
    const onMove = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      const t = this.targetIn(box);
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      drag.x = e.clientX;
      drag.y = e.clientY;
      if (t && (dx || dy)) this.set(pan(this.state, dx, dy, t.size, boxSize(box), this.dpr()));
    };
    const onUp = (e: PointerEvent) => {
      if (drag && e.pointerId === drag.id) drag = null;
      box.classList.remove('is-dragging');
    };
    // Double-click toggles fit and 1:1, as Z does.
    const onDouble = () => this.toggleActual();
    box.addEventListener('wheel', onWheel, { passive: false });
    box.addEventListener('pointerdown', onDown);
    box.addEventListener('pointermove', onMove);
    box.addEventListener('pointerup', onUp);
    box.addEventListener('pointercancel', onUp);
    box.addEventListener('dblclick', onDouble);
    return () => {
      this.resize?.unobserve(box);
      box.removeEventListener('wheel', onWheel);
      box.removeEventListener('pointerdown', onDown);
      box.removeEventListener('pointermove', onMove);
      box.removeEventListener('pointerup', onUp);
      box.removeEventListener('pointercancel', onUp);
      box.removeEventListener('dblclick', onDouble);
    };
  }

  dispose(): void {
    this.resize?.disconnect();
    for (const b of this.boxes.values()) b.off();
    this.boxes.clear();
    this.targets = [];
    this.listeners.clear();
    if (this.frame && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(this.frame);
  }
}
