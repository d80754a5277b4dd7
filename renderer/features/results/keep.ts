/**
 * The renderer's mirror of every photo's cull state: its flag (Pick / Reject / none) and its
 * rating (0–5). Main stores both in the run's run.json (`library:setFlag`, `library:setRating`);
 * this store holds the newest word from main about each run's images (the gallery's records, a
 * run opened in the gallery or the comparison, a reply to a change) plus the changes being sent
 * right now, shown at once (optimistic) and dropped again if main refuses. Every star, flag and
 * rating (results, gallery grid and loupe, comparison) reads from here, so they never disagree.
 *
 * The file keeps its historical name (the star was "Keep" before flags): the star is Pick.
 */
import { create } from 'zustand';
import type { FlagT, RunSummaryT } from '../../../shared/ipc/contract';
import { asClientError, client } from '../../app/client';
import { useToasts } from '../../app/toasts-store';

export interface KnownImage {
  /** asset id (`runs/<runId>/<file>`), the same in a JobView and in a RunSummary */
  id: string;
  /** the image's index in its run (what `library:setFlag` takes) */
  index: number;
  flag: FlagT;
  rating: number;
}

/** A change being sent to main: the flag, the rating, or both. */
export interface PendingCull {
  flag?: FlagT;
  rating?: number;
}

interface KeepState {
  /** runId → its images as main last described them (replies are applied in the order they arrive) */
  runs: Record<string, KnownImage[]>;
  /** `runId:index` → what is being sent to main for that photo */
  pending: Record<string, PendingCull>;
}

export const useKeep = create<KeepState>()(() => ({ runs: {}, pending: {} }));

export function keepKey(runId: string, index: number): string {
  return `${runId}:${index}`;
}

type RunLike = Pick<RunSummaryT, 'id' | 'images'>;

/** Records what main said about these runs' images. */
export function noteRuns(runs: readonly RunLike[]): void {
  if (!runs.length) return;
  useKeep.setState((s) => {
    const next = { ...s.runs };
    for (const r of runs)
      next[r.id] = r.images.map((im) => ({ id: im.id, index: im.index, flag: im.flag, rating: im.rating ?? 0 }));
    return { runs: next };
  });
}

/** Forgets runs main no longer lists (deleted, or the library was switched). */
export function forgetRuns(runIds: readonly string[]): void {
  if (!runIds.length) return;
  useKeep.setState((s) => {
    const next = { ...s.runs };
    for (const id of runIds) delete next[id];
    return { runs: next };
  });
}

/**
 * The library changed (a save, a flag set elsewhere, a removal, a rebuild): the runs this window
 * shows are asked again, by id, and those main no longer has are forgotten. Only runs already
 * known are asked for; a results card asks for its own run (ensureRun), the gallery for the rows
 * on screen, so nothing here grows with the size of the library.
 */
export function refreshKnownRuns(runId?: string): void {
  const known = Object.keys(useKeep.getState().runs);
  const ids = runId ? known.filter((id) => id === runId) : known;
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    client.library
      .records({ runIds: chunk })
      .then((runs) => {
        noteRuns(runs);
        const found = new Set(runs.map((r) => r.id));
        forgetRuns(chunk.filter((id) => !found.has(id)));
      })
      .catch(() => undefined); // the next change or view asks again
  }
}

/** Where a photo sits in its run: by asset id when the run is known, else by its position. */
export function resolveIndex(known: readonly KnownImage[] | undefined, assetId: string, position: number): number {
  if (!known) return position;
  return known.find((im) => im.id === assetId)?.index ?? known[position]?.index ?? position;
}

export interface CullValue {
  flag: FlagT;
  rating: number;
}

/** What a photo shows: the change being sent, else main's word, else what the caller knows. */
export function cullOf(s: KeepState, runId: string, index: number, fallback: CullValue = NONE): CullValue {
  const known = s.runs[runId]?.find((im) => im.index === index);
  const p = s.pending[keepKey(runId, index)];
  const base = known ? { flag: known.flag, rating: known.rating } : fallback;
  if (!p) return base;
  return { flag: p.flag !== undefined ? p.flag : base.flag, rating: p.rating ?? base.rating };
}
const NONE: CullValue = { flag: null, rating: 0 };

/** What a star shows: Pick or not. */
export function keptOf(s: KeepState, runId: string, index: number, fallback = false): boolean {
  return cullOf(s, runId, index, fallback ? { flag: 'pick', rating: 0 } : NONE).flag === 'pick';
}

/** The cull state of one photo: its index in the run, its flag and rating, and whether main is being asked. */
export function useCull(
  runId: string,
  assetId: string,
  position: number,
  fallback?: CullValue,
): CullValue & { index: number; busy: boolean } {
  const index = useKeep((s) => resolveIndex(s.runs[runId], assetId, position));
  return { index, ...useCullAt(runId, index, fallback) };
}

/** The cull state of the photo at this index of its run (the gallery knows the index). */
export function useCullAt(runId: string, index: number, fallback?: CullValue): CullValue & { busy: boolean } {
  const flag = useKeep((s) => cullOf(s, runId, index, fallback).flag);
  const rating = useKeep((s) => cullOf(s, runId, index, fallback).rating);
  const busy = useKeep((s) => keepKey(runId, index) in s.pending);
  return { flag, rating, busy };
}

/** The star of one photo: its index in the run, picked or not, and whether main is being asked. */
export function useKeepState(
  runId: string,
  assetId: string,
  position: number,
  fallback = false,
): { index: number; kept: boolean; busy: boolean } {
  const { index, flag, busy } = useCull(runId, assetId, position, fallback ? { flag: 'pick', rating: 0 } : NONE);
  return { index, kept: flag === 'pick', busy };
}

export interface PhotoRef {
  runId: string;
  index: number;
}

/**
 * Changes are sent one after the other, in the order they were made (X then 3 on the same photo
 * both arrive, in that order); each shows at once, merged over what is still on its way.
 */
let sendChain: Promise<unknown> = Promise.resolve();
const inFlight = new Map<string, number>();

function markPending(items: readonly PhotoRef[], change: PendingCull): void {
  useKeep.setState((s) => {
    const next = { ...s.pending };
    for (const it of items) {
      const k = keepKey(it.runId, it.index);
      next[k] = { ...next[k], ...change };
      inFlight.set(k, (inFlight.get(k) ?? 0) + 1);
    }
    return { pending: next };
  });
}

/** This change is answered: a photo with nothing else on its way shows main's word again. */
function settle(items: readonly PhotoRef[]): void {
  useKeep.setState((s) => {
    const next = { ...s.pending };
    for (const it of items) {
      const k = keepKey(it.runId, it.index);
      const left = (inFlight.get(k) ?? 1) - 1;
      if (left > 0) inFlight.set(k, left);
      else {
        inFlight.delete(k);
        delete next[k];
      }
    }
    return { pending: next };
  });
}

/** Main answered with the runs as they now are: mirror them. */
const applyReply = (runs: readonly RunSummaryT[]): void => noteRuns(runs);

const FLAG_WORDS: Record<'pick' | 'reject' | 'none', string> = {
  pick: 'pick',
  reject: 'reject',
  none: 'unflag',
};

function photos(n: number): string {
  return n === 1 ? 'this photo' : `these ${n} photos`;
}

function send(items: readonly PhotoRef[], change: PendingCull, call: () => Promise<RunSummaryT[]>, what: string) {
  if (!items.length) return Promise.resolve(false);
  markPending(items, change);
  const done = sendChain.then(async () => {
    try {
      applyReply(await call());
      return true;
    } catch (e) {
      useToasts.getState().show(`Could not ${what}. ${asClientError(e).message}`, 'error');
      return false;
    } finally {
      settle(items);
    }
  });
  sendChain = done;
  return done;
}

const refs = (items: readonly PhotoRef[]) => items.map(({ runId, index }) => ({ runId, index }));

/**
 * Flags photos (one, or a whole selection): shown at once; if main refuses, they go back and a
 * message says why. Resolves to whether main stored it.
 */
export function applyFlag(items: readonly PhotoRef[], flag: FlagT): Promise<boolean> {
  return send(
    items,
    { flag },
    () => client.library.setFlag({ items: refs(items), flag }),
    `${FLAG_WORDS[flag ?? 'none']} ${photos(items.length)}`,
  );
}

/** Rates photos 0–5 (0 takes the stars away), like applyFlag. */
export function applyRating(items: readonly PhotoRef[], rating: number): Promise<boolean> {
  const what = rating
    ? `give ${photos(items.length)} ${rating} star${rating > 1 ? 's' : ''}`
    : `clear the stars of ${photos(items.length)}`;
  return send(items, { rating }, () => client.library.setRating({ items: refs(items), rating }), what);
}

/** Picks a photo (or unflags it) with its star. A second click while main is being asked is ignored. */
export async function setKept(runId: string, index: number, kept: boolean): Promise<boolean> {
  if (keepKey(runId, index) in useKeep.getState().pending) return false;
  return applyFlag([{ runId, index }], kept ? 'pick' : null);
}

const asking = new Set<string>();
/** Asks main about a run no view has shown yet (a results card's run). */
export function ensureRun(runId: string): void {
  if (asking.has(runId) || useKeep.getState().runs[runId]) return;
  asking.add(runId);
  client.library
    .records({ runIds: [runId] })
    .then((runs) => noteRuns(runs))
    .catch(() => undefined) // the star then shows what the card knows (not picked)
    .finally(() => asking.delete(runId));
}

/** For tests: forget everything. */
export function resetKeep(): void {
  asking.clear();
  inFlight.clear();
  sendChain = Promise.resolve();
  useKeep.setState({ runs: {}, pending: {} });
}
