/**
 * Puts the thumbnails into the grid's <img>s a few a frame, the rows on screen first.
 *
 * Every image that comes into the grid costs the renderer's main thread a request, a load and an
 * image update, and the raster threads a decode and a draw. A fast scroll brings a whole row of
 * them each frame; given all at once, frames took 50–80 ms where Chromium draws in software (the
 * gallery-ui bench), where the same scroll with no images took 15. So a moving grid gets two a
 * frame, a flung one none (fling.ts: each still costs ~2 ms of the two cores for a photo gone
 * before it is seen; measured, a fling's p95 frame went 13 → 8 ms), and the tiles fill in as it
 * slows, nearest the view first, as a culling tool does; at rest the budget is larger, so a
 * screenful fills in within a few frames.
 *
 * Kept out of React (a hot path, like painting): a tile hands over its <img> in a ref callback and
 * the loader sets `src` itself, so no render is needed for an image to appear.
 */
import { FLING_ROWS_PER_FRAME } from './fling';

export const PER_FRAME_SCROLLING = 2;
export const PER_FRAME_AT_REST = 8;
/** Frames the grid's pace is measured over. */
const PACE_FRAMES = 4;
/**
 * Main is behind when its thumbnails take longer than this to arrive (a cached one comes in a few
 * ms; one being made takes ~10 ms of a core, so more means they queue: a first browse of photos
 * whose thumbnails were never made, on a small machine). A moving grid then asks for one at a
 * time, once the last has come and at most every BEHIND_EVERY frames, instead of two a frame that
 * kept main's cores busy for photos mostly scrolled past before they came (the bench's p95 frame
 * over such photos: 23–26 → 13–16 ms); at rest, as many as ever.
 */
export const BEHIND_MS = 30;
export const BEHIND_EVERY = 4;

export interface FrameClock {
  request(cb: () => void): number;
  cancel(id: number): void;
  now(): number;
}

const animationFrames: FrameClock = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (id) => cancelAnimationFrame(id),
  now: () => performance.now(),
};

interface Waiting {
  url: string;
  row: number;
}

export class ThumbLoader {
  private readonly waiting = new Map<HTMLImageElement, Waiting>();
  private view = { first: 0, last: 0, scrolling: false };
  private frame: number | null = null;
  /** Where the view was (in rows) at each of the last frames this ran in, while moving. */
  private recent: number[] = [];
  private readonly clock: FrameClock;
  private readonly position: () => number;
  /** When each image still loading was given its src; how long they have been taking (smoothed). */
  private readonly asked = new Map<HTMLImageElement, number>();
  private readonly heard = new WeakSet<HTMLImageElement>();
  private took = 0;
  private frames = 0;

  /**
   * `position` is the view's scroll position in rows (fractional: the grid reads its scroller's
   * offset, which it has without a layout); without one, the first row on screen is used.
   */
  constructor(options: { clock?: FrameClock; position?: () => number } = {}) {
    this.clock = options.clock ?? animationFrames;
    this.position = options.position ?? (() => this.view.first);
  }

  /** `img` is to show `url`; `row` is its row in the grid (for the order). */
  want(img: HTMLImageElement, url: string, row: number): void {
    const had = img.getAttribute('src');
    if (had === url) return;
    this.asked.delete(img); // its load, if any, is not this photo's
    // A tile the grid reuses for another photo must not show the one it had while this waits.
    if (had !== null) img.removeAttribute('src');
    this.waiting.set(img, { url, row });
    this.schedule();
  }

  /** The tile is gone (scrolled out or filtered away): its image is not wanted any more. */
  drop(img: HTMLImageElement): void {
    this.waiting.delete(img);
    this.asked.delete(img);
  }

  /** The rows on screen, and whether the grid is moving (the budget is smaller then). */
  setView(first: number, last: number, scrolling: boolean): void {
    this.view = { first, last, scrolling };
    if (this.waiting.size) this.schedule();
  }

  get pending(): number {
    return this.waiting.size;
  }

  dispose(): void {
    if (this.frame !== null) this.clock.cancel(this.frame);
    this.frame = null;
    this.waiting.clear();
    this.asked.clear();
  }

  private schedule(): void {
    if (this.frame === null) this.frame = this.clock.request(this.tick);
  }

  /** How far a row is from the screen, in rows (0 on screen). */
  private distance(row: number): number {
    const { first, last } = this.view;
    return row < first ? first - row : row > last ? row - last : 0;
  }

  private readonly tick = (): void => {
    this.frame = null;
    this.frames++;
    const budget = this.budget();
    const next = [...this.waiting].sort((a, b) => this.distance(a[1].row) - this.distance(b[1].row)).slice(0, budget);
    for (const [img, w] of next) {
      this.waiting.delete(img);
      this.listen(img);
      this.asked.set(img, this.clock.now());
      img.src = w.url;
    }
    if (this.waiting.size) this.schedule();
    // Frames stop with nothing waiting: a pace measured across the pause would be too high.
    else this.recent = [];
  };

  /** How many images this frame may start. */
  private budget(): number {
    if (!this.view.scrolling) {
      this.recent = []; // a pace measured across a stop would be too high
      return PER_FRAME_AT_REST;
    }
    if (this.pace() >= FLING_ROWS_PER_FRAME) return 0;
    if (this.behind()) return this.asked.size === 0 && this.frames % BEHIND_EVERY === 0 ? 1 : 0;
    return PER_FRAME_SCROLLING;
  }

  /** Main's thumbnails are queueing: they have been taking long, or one has been waiting long. */
  private behind(): boolean {
    if (this.took > BEHIND_MS) return true;
    const now = this.clock.now();
    for (const t0 of this.asked.values()) if (now - t0 > BEHIND_MS) return true;
    return false;
  }

  /** Times each image's answer (one pair of listeners an <img>, however often it is reused). */
  private listen(img: HTMLImageElement): void {
    if (this.heard.has(img)) return;
    this.heard.add(img);
    const done = () => {
      const t0 = this.asked.get(img);
      if (t0 === undefined) return;
      this.asked.delete(img);
      const ms = this.clock.now() - t0;
      this.took = this.took ? 0.7 * this.took + 0.3 * ms : ms;
    };
    img.addEventListener('load', done);
    img.addEventListener('error', done);
  }

  /** Rows a frame the view has moved over the last few frames (it samples this frame's place). */
  private pace(): number {
    const at = this.position();
    this.recent.push(at);
    if (this.recent.length > PACE_FRAMES + 1) this.recent.shift();
    const frames = this.recent.length - 1;
    return frames ? Math.abs(at - this.recent[0]!) / frames : 0;
  }
}
