/**
 * The grid's thumbnail loader (renderer/features/gallery/thumb-loader.ts): a few images a frame,
 * the rows on screen first, more at rest than while scrolling, none while the grid is flung,
 * nothing for a tile that has gone.
 */
import { describe, expect, it } from 'vitest';
import { FLING_ROWS_PER_FRAME } from '../../../../renderer/features/gallery/fling';
import {
  BEHIND_EVERY,
  BEHIND_MS,
  PER_FRAME_AT_REST,
  PER_FRAME_SCROLLING,
  ThumbLoader,
  type FrameClock,
} from '../../../../renderer/features/gallery/thumb-loader';

/** Frames that run only when the test says so. */
function manualClock(): FrameClock & { run(): void; queued: number; t: number } {
  let next = 1;
  const waiting = new Map<number, () => void>();
  return {
    t: 0,
    now() {
      return this.t;
    },
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
  const loader = new ThumbLoader({ clock });
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

  it('starts no image while the grid is flung, and gives the rows on screen theirs as it slows', () => {
    // Ten rows of six; the view is two rows high and moves a row every frame (a fling).
    const { clock, loader, imgs, wantAll } = grid(60);
    loader.setView(0, 1, true);
    wantAll();
    // Its first frame moving cannot know the pace yet: the scrolling budget, at most.
    loader.setView(1, 2, true);
    clock.run();
    const before = shown(imgs);
    expect(before).toBeLessThanOrEqual(PER_FRAME_SCROLLING);
    // A row a frame is over a fling's pace: nothing more starts, however long it lasts.
    expect(1).toBeGreaterThanOrEqual(FLING_ROWS_PER_FRAME);
    for (let first = 2; first <= 6; first++) {
      loader.setView(first, first + 1, true);
      clock.run();
    }
    expect(shown(imgs)).toBe(before);
    // It slows to a stop at rows 7–8, still "scrolling" (the grid says so for a moment after):
    // a few frames on, the pace is under a fling's and the rows in view come first, two a frame.
    loader.setView(7, 8, true);
    for (let f = 0; f < 4; f++) clock.run();
    const rows = imgs.flatMap((img, i) => (img.getAttribute('src') ? [Math.floor(i / 6)] : [])).slice(before);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(4 * PER_FRAME_SCROLLING);
    expect(rows.every((row) => row === 7 || row === 8)).toBe(true);
    // At rest, the rest of the view at the larger budget.
    loader.setView(7, 8, false);
    clock.run();
    clock.run();
    expect(imgs.slice(42, 54).every((i) => i.getAttribute('src'))).toBe(true);
  });

  it('a scroll that starts again after a stop is not taken for a fling by where the last one left off', () => {
    const { clock, loader, imgs, wantAll } = grid(120);
    loader.setView(0, 1, true);
    wantAll();
    for (let first = 1; first <= 6; first++) {
      loader.setView(first, first + 1, true);
      clock.run();
    }
    loader.setView(6, 7, false);
    clock.run();
    // Moving again, slowly, from row 14 (the view was moved there at rest, a jump or a search).
    loader.setView(14, 15, true);
    const before = shown(imgs);
    clock.run();
    expect(shown(imgs) - before).toBe(PER_FRAME_SCROLLING);
  });

  it('a scroll at a wheel pace (a row every few frames) keeps getting images while it moves', () => {
    const { clock, loader, imgs, wantAll } = grid(60);
    loader.setView(0, 1, true);
    wantAll();
    // A row every four frames: a quarter of a row a frame, under a fling's pace.
    for (let f = 1; f <= 12; f++) {
      loader.setView(Math.floor(f / 4), Math.floor(f / 4) + 1, true);
      clock.run();
    }
    expect(shown(imgs)).toBe(12 * PER_FRAME_SCROLLING);
  });

  it('measures the pace from the scroll position it is given, so a pace just under a fling still gets images', () => {
    for (const [pace, loads] of [
      [FLING_ROWS_PER_FRAME * 0.9, true],
      [FLING_ROWS_PER_FRAME * 1.2, false],
    ] as const) {
      const clock = manualClock();
      let at = 0;
      const loader = new ThumbLoader({ clock, position: () => at });
      const imgs = Array.from({ length: 60 }, () => document.createElement('img'));
      loader.setView(0, 1, true);
      imgs.forEach((img, i) => loader.want(img, url(i), Math.floor(i / 6)));
      clock.run();
      const before = shown(imgs);
      for (let f = 1; f <= 8; f++) {
        at = f * pace;
        loader.setView(Math.floor(at), Math.floor(at) + 1, true);
        clock.run();
      }
      expect(shown(imgs) > before, `at ${pace} rows a frame`).toBe(loads);
    }
  });

  it('asks no faster than main answers while the grid moves and main is behind, and catches up at rest', () => {
    const { clock, loader, imgs, wantAll } = grid(120, (i) => Math.floor(i / 6) % 3);
    loader.setView(0, 2, true);
    wantAll();
    const answer = (ms: number) => {
      clock.t += ms;
      for (const img of imgs) if (img.getAttribute('src')) img.dispatchEvent(new Event('load'));
    };
    // The first two take 80 ms each: main is making them, behind.
    clock.run();
    expect(shown(imgs)).toBe(PER_FRAME_SCROLLING);
    answer(2 * BEHIND_MS + 20);
    const before = shown(imgs);
    // Each answered slowly: one every BEHIND_EVERY frames, each after the last has come.
    for (let f = 0; f < 4 * BEHIND_EVERY; f++) {
      clock.run();
      answer(2 * BEHIND_MS);
    }
    expect(shown(imgs) - before).toBe(4);
    // One asked and not answered yet: none more, however many frames pass.
    const was = shown(imgs);
    for (let f = 0; f < BEHIND_EVERY && shown(imgs) === was; f++) clock.run();
    const one = shown(imgs);
    expect(one).toBe(was + 1);
    for (let f = 0; f < 3 * BEHIND_EVERY; f++) clock.run();
    expect(shown(imgs)).toBe(one);
    // It comes (slowly): the next is asked within BEHIND_EVERY frames, and only it.
    answer(2 * BEHIND_MS);
    for (let f = 0; f < BEHIND_EVERY; f++) clock.run();
    expect(shown(imgs) - one).toBe(1);
    // They come quickly again (cached): after a few, two a frame while moving.
    for (let k = 0; k < 6 * BEHIND_EVERY; k++) {
      answer(3);
      clock.run();
    }
    answer(3);
    const quick = shown(imgs);
    clock.run();
    expect(shown(imgs) - quick).toBe(PER_FRAME_SCROLLING);
    // Behind again, then the grid stops: at rest the full budget, however slow main is.
    answer(10 * BEHIND_MS);
    loader.setView(0, 2, false);
    const rest = shown(imgs);
    clock.run();
    expect(shown(imgs) - rest).toBe(PER_FRAME_AT_REST);
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
