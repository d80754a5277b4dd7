/**
 * The grid's thumbnail loader (renderer/features/gallery/thumb-loader.ts): a few images a frame,
 * the rows on screen first, more at rest than while scrolling, nothing for a tile that has gone.
 */
import { describe, expect, it } from 'vitest';
import {
  PER_FRAME_AT_REST,
  PER_FRAME_SCROLLING,
  ThumbLoader,
  type FrameClock,
} from '../../../../renderer/features/gallery/thumb-loader';

/** Frames that run only when the test says so. */
function manualClock(): FrameClock & { run(): void; queued: number } {
  let next = 1;
  const waiting = new Map<number, () => void>();
  return {
    request(cb) {
      waiting.set(next, cb);
      return next++;
    },
    cancel(id) {
      waiting.delete(id);
    },
    run() {
      const due = [...waiting.values()];
      waiting.clear();
      for (const cb of due) cb();
    },
    get queued() {
      return waiting.size;
    },
  };
}

const url = (n: number) => `studio-asset://asset/thumbs/runs/r${n}/1.png`;
const shown = (imgs: HTMLImageElement[]) => imgs.filter((i) => i.getAttribute('src')).length;

function grid(n: number, row: (i: number) => number = (i) => Math.floor(i / 6)) {
  const clock = manualClock();
  const loader = new ThumbLoader(clock);
  const imgs = Array.from({ length: n }, () => document.createElement('img'));
  return { clock, loader, imgs, wantAll: () => imgs.forEach((img, i) => loader.want(img, url(i), row(i))) };
}

describe('ThumbLoader', () => {
  it('sets no src until a frame, then at most the budget a frame until every tile has its image', () => {
    const { clock, loader, imgs, wantAll } = grid(24);
    loader.setView(0, 3, false);
    wantAll();
    expect(shown(imgs)).toBe(0);
    clock.run();
    expect(shown(imgs)).toBe(PER_FRAME_AT_REST);
    while (clock.queued) clock.run();
    expect(shown(imgs)).toBe(24);
    expect(imgs.map((i) => i.getAttribute('src'))).toEqual(imgs.map((_, i) => url(i)));
    expect(loader.pending).toBe(0);
  });

  it('gives fewer a frame while the grid moves, and the rows on screen before the overscan', () => {
    // Rows 0–1 are the overscan above, rows 2–3 on screen, rows 4–5 the overscan below.
    const { clock, loader, imgs, wantAll } = grid(36);
    loader.setView(2, 3, true);
    wantAll();
    clock.run();
    const first = imgs.flatMap((img, i) => (img.getAttribute('src') ? [Math.floor(i / 6)] : []));
    expect(first).toHaveLength(PER_FRAME_SCROLLING);
    expect(first.every((row) => row === 2 || row === 3)).toBe(true);
    // Until the screen's twelve are in, nothing off screen is given one.
    for (let f = 1; f < 12 / PER_FRAME_SCROLLING; f++) clock.run();
    expect(imgs.slice(12, 24).every((i) => i.getAttribute('src'))).toBe(true);
    expect(shown(imgs)).toBe(12);
    // The scroll stops: the rest come at the larger budget.
    loader.setView(2, 3, false);
    clock.run();
    expect(shown(imgs)).toBe(12 + PER_FRAME_AT_REST);
  });

  it('forgets a tile that scrolled out before its turn', () => {
    const { clock, loader, imgs, wantAll } = grid(10, () => 0);
    loader.setView(0, 0, false);
    wantAll();
    for (const img of imgs.slice(0, 9)) loader.drop(img);
    clock.run();
    expect(shown(imgs)).toBe(1);
    expect(imgs[9]!.getAttribute('src')).toBe(url(9));
    expect(clock.queued).toBe(0);
  });

  it('asks nothing again for an image already showing its photo, and stops its frames when disposed', () => {
    const { clock, loader, imgs } = grid(2);
    loader.want(imgs[0]!, url(0), 0);
    clock.run();
    loader.want(imgs[0]!, url(0), 0);
    expect(loader.pending).toBe(0);
    expect(clock.queued).toBe(0);
    loader.want(imgs[1]!, url(1), 0);
    expect(clock.queued).toBe(1);
    loader.dispose();
    expect(clock.queued).toBe(0);
    expect(imgs[1]!.getAttribute('src')).toBeNull();
  });

  it('a tile the grid reuses for another photo stops showing the old one at once, and gets the new one in turn', () => {
    const { clock, loader, imgs } = grid(1);
    const img = imgs[0]!;
    loader.setView(0, 0, true);
    loader.want(img, url(0), 0);
    clock.run();
    expect(img.getAttribute('src')).toBe(url(0));
    // Scrolled on: the same <img> now stands for photo 7.
    loader.drop(img);
    loader.want(img, url(7), 1);
    expect(img.getAttribute('src')).toBeNull();
    clock.run();
    expect(img.getAttribute('src')).toBe(url(7));
  });
});
