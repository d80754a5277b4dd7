/**
 * The culling gallery's state: the filter and sort, the photos main lists for them
 * (`library:query`: ids only, with every chip's counts), the records of the runs that are on
 * screen (`library:records`, fetched in batches as tiles appear, never the whole library), the
 * selection, the view (grid or loupe) and the auto-advance toggle (remembered on this computer).
 * It lives outside the view so leaving for a run's page and coming back finds everything as it was.
 */
import { useMemo } from 'react';
import { create } from 'zustand';
import type { FlagT, GalleryCountsT, GalleryFilterT, RunSummaryT } from '../../../shared/ipc/contract';
import { asClientError, client, type StudioClientError } from '../../app/client';
import { noteRuns } from '../results/keep';
import { EMPTY_SELECTION, reconcile, type Selection } from './selection';

export type GallerySort = 'newest' | 'oldest' | 'rating';
export type GalleryViewMode = 'grid' | 'loupe';

/** A photo of the filter: its run and its index in that run. */
export interface PhotoKey {
  runId: string;
  index: number;
}

export function photoKey(runId: string, index: number): string {
  return `${runId}:${index}`;
}
export function parseKey(key: string): PhotoKey {
  const at = key.lastIndexOf(':');
  return { runId: key.slice(0, at), index: Number(key.slice(at + 1)) };
}

const AUTO_ADVANCE_KEY = 'sseelfie.gallery.autoAdvance';
function readAutoAdvance(): boolean {
  try {
    return globalThis.localStorage?.getItem(AUTO_ADVANCE_KEY) === '1';
  } catch {
    return false;
  }
}

export interface GalleryState {
  filter: GalleryFilterT;
  sort: GallerySort;
  /** the filter's photos in order, as `runId:index` */
  keys: string[];
  counts: GalleryCountsT | null;
  /** the first answer for the current filter arrived */
  loaded: boolean;
  error: StudioClientError | null;
  /** runId → its record (only runs that were on screen) */
  records: Record<string, RunSummaryT>;
  view: GalleryViewMode;
  sel: Selection;
  /** the loupe shows the photo at one image pixel per screen pixel */
  actual: boolean;
  /** after a flag or a rating, move on to the next photo (Lightroom's Caps Lock) */
  autoAdvance: boolean;
}

const initial = (): GalleryState => ({
  filter: {},
  sort: 'newest',
  keys: [],
  counts: null,
  loaded: false,
  error: null,
  records: {},
  view: 'grid',
  sel: EMPTY_SELECTION,
  actual: false,
  autoAdvance: readAutoAdvance(),
});

export const useGallery = create<GalleryState>()(() => initial());

// ---------- the filter's photos ----------
let request = 0;
let inFlight: Promise<void> | null = null;
let again = false;

/** Asks main for the filter's photos and counts (a refresh while one is running runs once after it). */
export function refreshGallery(): Promise<void> {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  inFlight = (async () => {
    do {
      again = false;
      const mine = ++request;
      const { filter, sort } = useGallery.getState();
      try {
        const page = await client.library.query({ filter: cleanFilter(filter), sort });
        if (mine !== request) continue;
        const keys = page.items.map((it) => photoKey(it.runId, it.index));
        useGallery.setState((s) => ({
          keys,
          counts: page.counts,
          loaded: true,
          error: null,
          sel: reconcile(s.sel, s.keys, keys),
        }));
      } catch (e) {
        if (mine === request) useGallery.setState({ error: asClientError(e), loaded: true });
      }
    } while (again);
  })().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

/** What main is sent: no empty fields (an empty search is no search). */
export function cleanFilter(f: GalleryFilterT): GalleryFilterT {
  const out: GalleryFilterT = {};
  if (f.flag && f.flag !== 'any') out.flag = f.flag;
  if (f.minRating) out.minRating = f.minRating;
  if (f.model) out.model = f.model;
  if (f.aspect) out.aspect = f.aspect;
  if (f.mode) out.mode = f.mode;
  if (f.from !== undefined) out.from = f.from;
  if (f.to !== undefined) out.to = f.to;
  if (f.search?.trim()) out.search = f.search.trim();
  return out;
}

export function isFiltered(f: GalleryFilterT): boolean {
  return Object.keys(cleanFilter(f)).length > 0;
}

export function setFilter(patch: Partial<GalleryFilterT>): Promise<void> {
  useGallery.setState((s) => {
    const filter: GalleryFilterT = { ...s.filter };
    for (const [k, v] of Object.entries(patch) as [keyof GalleryFilterT, unknown][]) {
      if (v === undefined || v === null || v === '' || v === 'any' || v === 0) delete filter[k];
      else (filter as Record<string, unknown>)[k] = v;
    }
    return { filter };
  });
  return refreshGallery();
}

export function clearFilter(): Promise<void> {
  useGallery.setState({ filter: {} });
  return refreshGallery();
}

export function setSort(sort: GallerySort): Promise<void> {
  useGallery.setState({ sort });
  return refreshGallery();
}

// ---------- records for what is on screen ----------
const MAX_RECORDS = 1000; // library:records takes up to 1000 runs a call
const wanted = new Set<string>();
const asked = new Set<string>();
let batchTimer: ReturnType<typeof setTimeout> | null = null;

/** The tiles on screen (and overscan) need these runs' records: fetched together, once. */
export function needRecords(runIds: Iterable<string>): void {
  const have = useGallery.getState().records;
  for (const id of runIds) if (!have[id] && !asked.has(id)) wanted.add(id);
  if (!wanted.size || batchTimer) return;
  // One call for every tile that mounts in the same frame.
  batchTimer = setTimeout(() => {
    batchTimer = null;
    void fetchRecords([...wanted]);
    wanted.clear();
  }, 0);
}

async function fetchRecords(runIds: string[]): Promise<void> {
  for (let i = 0; i < runIds.length; i += MAX_RECORDS) {
    const batch = runIds.slice(i, i + MAX_RECORDS);
    for (const id of batch) asked.add(id);
    try {
      const runs = await client.library.records({ runIds: batch });
      receiveRecords(runs);
    } catch (e) {
      useGallery.setState({ error: asClientError(e) });
    } finally {
      for (const id of batch) asked.delete(id);
    }
  }
}

/** Main described these runs (records, a flag reply): the tiles and the flag mirror follow. */
export function receiveRecords(runs: readonly RunSummaryT[]): void {
  if (!runs.length) return;
  noteRuns(runs);
  useGallery.setState((s) => {
    const records = { ...s.records };
    for (const r of runs) records[r.id] = r;
    return { records };
  });
}

/** Main said a run changed (`library:changed`): its record is asked again, and the list with it. */
export function libraryChanged(e: { runId?: string; reason: string }): void {
  if (e.reason === 'switched') {
    resetGallery({ keepPrefs: true });
    void refreshGallery();
    return;
  }
  const records = useGallery.getState().records;
  if (e.runId) {
    if (records[e.runId]) void fetchRecords([e.runId]);
  } else if (e.reason !== 'added') {
    // Several runs changed at once (a selection flagged, a rebuild): the ones on screen are asked again.
    void fetchRecords(Object.keys(records).slice(-MAX_RECORDS));
  }
  void refreshGallery();
}

// ---------- view, selection, toggles ----------
export function setSelection(sel: Selection): void {
  useGallery.setState({ sel });
}
export function setView(view: GalleryViewMode): void {
  useGallery.setState((s) => ({ view, actual: view === 'loupe' ? s.actual : false }));
}
export function setActual(actual: boolean): void {
  useGallery.setState({ actual });
}
export function setAutoAdvance(on: boolean): void {
  try {
    globalThis.localStorage?.setItem(AUTO_ADVANCE_KEY, on ? '1' : '0');
  } catch {
    // private mode or no storage: the toggle still works for this session
  }
  useGallery.setState({ autoAdvance: on });
}
// The grid's scroll position, kept while a run's page is open: not state (a scroll must not
// wake every tile's subscription).
let scrollTop = 0;
export function setScrollTop(px: number): void {
  scrollTop = px;
}
export function savedScrollTop(): number {
  return scrollTop;
}

/** A listed photo's run and image, once its run's record is here (a stable value for React). */
export function useFound(key: string | null): { run: RunSummaryT; image: RunSummaryT['images'][number] } | null {
  const runId = key ? parseKey(key).runId : '';
  const run = useGallery((s) => (key ? s.records[runId] : undefined));
  return useMemo(() => (key && run ? imageOf({ [run.id]: run }, key) : null), [key, run]);
}

/** The image of a listed photo, once its run's record is here. */
export function imageOf(
  records: Record<string, RunSummaryT>,
  key: string,
): { run: RunSummaryT; image: RunSummaryT['images'][number] } | null {
  const { runId, index } = parseKey(key);
  const run = records[runId];
  const image = run?.images.find((im) => im.index === index);
  return run && image ? { run, image } : null;
}

export const FLAG_LABEL: Record<'pick' | 'reject', string> = { pick: 'Picked', reject: 'Rejected' };
export function flagWords(flag: FlagT): string {
  return flag ? FLAG_LABEL[flag] : 'Unflagged';
}

/** For tests and a library switch: back to the first state. */
export function resetGallery(opts: { keepPrefs?: boolean } = {}): void {
  request++;
  scrollTop = 0;
  wanted.clear();
  asked.clear();
  if (batchTimer) clearTimeout(batchTimer);
  batchTimer = null;
  const prefs = useGallery.getState();
  useGallery.setState({
    ...initial(),
    ...(opts.keepPrefs ? { sort: prefs.sort, autoAdvance: prefs.autoAdvance } : {}),
  });
}
