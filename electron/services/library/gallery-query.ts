/**
 * The gallery's filters, counts and sort over the in-memory index, in one pass over the photos.
 * Each photo is checked against every filter; a photo that passes all of them is listed and
 * counted for every chip, one that fails exactly one filter is counted only for that filter's
 * chips (so each chip shows what choosing it would give, with the other filters as they are),
 * and one that fails two or more counts nowhere.
 */
import type { GalleryCountsT, GalleryFilterT, GalleryPageT } from '../../../shared/ipc/contract';
import type { Flag } from './run-record';

/** A photo as the index holds it. */
export interface IndexedImage {
  index: number;
  file: string;
  width: number;
  height: number;
  format: string;
  flag: Flag | null;
  rating: number;
}

/** A run as the index holds it (and index.json stores it). */
export interface IndexedRun {
  id: string;
  createdAt: number;
  prompt: string;
  label: string;
  modelRef: string;
  mode: 'txt2img' | 'img2img' | 'inpaint';
  seed: number | null;
  predictionId: string | null;
  warnings: string[];
  images: IndexedImage[];
  /** run.json's mtime and size when it was indexed: a different file is read again */
  stamp: { mtimeMs: number; size: number };
}

/** Lower case, accents removed ("Café" → "cafe"), for search. */
export function foldText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

const RATIOS: readonly [string, number][] = [
  ['1:1', 1],
  ['16:9', 16 / 9],
  ['9:16', 9 / 16],
  ['21:9', 21 / 9],
  ['9:21', 9 / 21],
  ['3:2', 3 / 2],
  ['2:3', 2 / 3],
  ['4:3', 4 / 3],
  ['3:4', 3 / 4],
  ['5:4', 5 / 4],
  ['4:5', 4 / 5],
];

/**
 * The aspect of a photo from its pixels (what the photo is, whatever was asked): the usual ratio
 * within 3 % (FLUX makes 16:9 as 1344×768), else its exact size.
 */
export function aspectOf(width: number, height: number): string {
  if (!(width > 0 && height > 0)) return 'unknown';
  const r = width / height;
  for (const [name, v] of RATIOS) if (Math.abs(r - v) / v < 0.03) return name;
  return `${width}×${height}`;
}

/** One bit per filter a photo fails. */
const FLAG = 1,
  RATING = 2,
  MODEL = 4,
  ASPECT = 8,
  MODE = 16,
  DATE = 32,
  SEARCH = 64;

export interface QueryRun {
  run: IndexedRun;
  /** folded prompt + label, made on the first search (not on load: it would cost the first screen) */
  text?: string;
}

export interface QueryInput {
  /** newest first (the index keeps this order) */
  runs: readonly QueryRun[];
  /** photos waiting in the trash queue: never listed or counted */
  hidden: (runId: string, index: number) => boolean;
  filter: GalleryFilterT;
  sort: 'newest' | 'oldest' | 'rating';
  offset: number;
  limit: number;
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const listed = (m: Map<string, number>) =>
  [...m]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));

export function runQuery(q: QueryInput): GalleryPageT {
  const f = q.filter;
  const terms = f.search ? foldText(f.search).split(/\s+/).filter(Boolean) : [];
  const flagWant = f.flag ?? 'any';
  const minRating = f.minRating ?? 0;
  const counts = {
    flag: { any: 0, pick: 0, reject: 0, unflagged: 0 },
    rating: [0, 0, 0, 0, 0, 0],
    model: new Map<string, number>(),
    aspect: new Map<string, number>(),
    mode: { txt2img: 0, img2img: 0, inpaint: 0 },
  };
  const hits: { runId: string; index: number; rating: number; order: number }[] = [];
  let order = 0;
  const n = q.runs.length;
  for (let i = 0; i < n; i++) {
    // Oldest first walks the runs backwards; a run's photos stay in their own order.
    const qr = q.runs[q.sort === 'oldest' ? n - 1 - i : i]!;
    const run = qr.run;
    // Filters that hold for the whole run are decided once for it.
    let runFails = 0;
    if (f.model !== undefined && run.modelRef !== f.model) runFails |= MODEL;
    if (f.mode !== undefined && run.mode !== f.mode) runFails |= MODE;
    if ((f.from !== undefined && run.createdAt < f.from) || (f.to !== undefined && run.createdAt > f.to))
      runFails |= DATE;
    if (terms.length) {
      const text = (qr.text ??= foldText(`${run.prompt}\n${run.label}`));
      if (!terms.every((t) => text.includes(t))) runFails |= SEARCH;
    }
    // Two run-level misses: none of its photos can count anywhere.
    if (runFails & (runFails - 1)) continue;
    for (const im of run.images) {
      if (q.hidden(run.id, im.index)) continue;
      const aspect = aspectOf(im.width, im.height);
      let fails = runFails;
      const flagName = im.flag ?? 'unflagged';
      if (flagWant !== 'any' && flagName !== flagWant) fails |= FLAG;
      if (im.rating < minRating) fails |= RATING;
      if (f.aspect !== undefined && aspect !== f.aspect) fails |= ASPECT;
      if (fails & (fails - 1)) continue; // fails two filters or more
      if (fails === 0 || fails === FLAG) {
        counts.flag.any++;
        counts.flag[flagName]++;
      }
      if (fails === 0 || fails === RATING) for (let n = 0; n <= im.rating; n++) counts.rating[n]!++;
      if (fails === 0 || fails === MODEL) bump(counts.model, run.modelRef);
      if (fails === 0 || fails === ASPECT) bump(counts.aspect, aspect);
      if (fails === 0 || fails === MODE) counts.mode[run.mode]++;
      if (fails === 0) hits.push({ runId: run.id, index: im.index, rating: im.rating, order: order++ });
    }
  }
  if (q.sort === 'rating') hits.sort((a, b) => b.rating - a.rating || a.order - b.order);
  const page = hits.slice(q.offset, q.offset + q.limit).map((h) => ({ runId: h.runId, index: h.index }));
  const out: GalleryCountsT = { ...counts, model: listed(counts.model), aspect: listed(counts.aspect) };
  return { items: page, total: hits.length, counts: out };
}
