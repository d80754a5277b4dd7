/**
 * Puts the thumbnails into the grid's <img>s a few a frame, the rows on screen first.
 *
 * Every image that comes into the grid costs the renderer's main thread a request, a load and an
 * image update, and the raster threads a decode and a draw. A fast scroll brings a whole row of
 * them each frame; given all at once, frames took 50–80 ms where Chromium draws in software (the
 * gallery-ui bench), where the same scroll with no images took 15. With a budget a fling stays
 * smooth over the tiles' grey cells and they fill in as it slows, nearest the view first, as a
 * culling tool does; at rest the budget is larger, so a screenful fills in within a few frames.
 *
 * Kept out of React (a hot path, like painting): a tile hands over its <img> in a ref callback and
 * the loader sets `src` itself, so no render is needed for an image to appear.
 */
export const PER_FRAME_SCROLLING = 2;
export const PER_FRAME_AT_REST = 8;

export interface FrameClock {
  request(cb: () => void): number;
  cancel(id: number): void;
}

const animationFrames: FrameClock = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (id) => cancelAnimationFrame(id),
};

interface Waiting {
  url: string;
  row: number;
}

export class ThumbLoader {
  private readonly waiting = new Map<HTMLImageElement, Waiting>();
  private view = { first: 0, last: 0, scrolling: false };
  private frame: number | null = null;

  constructor(private readonly clock: FrameClock = animationFrames) {}

  /** `img` is to show `url`; `row` is its row in the grid (for the order). */
  want(img: HTMLImageElement, url: string, row: number): void {
    const had = img.getAttribute('src');
    if (had === url) return;
    // A tile the grid reuses for another photo must not show the one it had while this waits.
    if (had !== null) img.removeAttribute('src');
    this.waiting.set(img, { url, row });
    this.schedule();
  }

  /** The tile is gone (scrolled out or filtered away): its image is not wanted any more. */
  drop(img: HTMLImageElement): void {
    this.waiting.delete(img);
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
    const budget = this.view.scrolling ? PER_FRAME_SCROLLING : PER_FRAME_AT_REST;
    const next = [...this.waiting].sort((a, b) => this.distance(a[1].row) - this.distance(b[1].row)).slice(0, budget);
    for (const [img, w] of next) {
      this.waiting.delete(img);
      img.src = w.url;
    }
    if (this.waiting.size) this.schedule();
  };
}
