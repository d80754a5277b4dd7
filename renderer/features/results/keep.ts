/**
 * "Keep the best": the star is the Pick flag. Main stores each photo's flag in the run's run.json
 * (`library:setFlag`; a star sets Pick, pressing it again unflags); this store mirrors the newest word from main about each run's images
 * (the gallery's list, a run opened in the gallery or the comparison, a keep reply), plus the
 * choices being sent right now, shown at once (optimistic) and dropped again if main refuses.
 * Every star (results, gallery, comparison) reads from here, so they never disagree.
 */
import { create } from 'zustand';
import type { FlagT, RunSummaryT } from '../../../shared/ipc/contract';
import { asClientError, client } from '../../app/client';
import { useLibrary } from '../gallery/library-store';
import { useToasts } from '../../app/toasts-store';

export interface KnownImage {
  /** asset id (`runs/<runId>/<file>`), the same in a JobView and in a RunSummary */
  id: string;
  /** the image's index in its run (what `library:setFlag` takes) */
  index: number;
  flag: FlagT;
}

interface KeepState {
  /** runId → its images as main last described them (replies are applied in the order they arrive) */
  runs: Record<string, KnownImage[]>;
  /** `runId:index` → the star being sent to main (true: Pick) */
  pending: Record<string, boolean>;
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
    for (const r of runs) next[r.id] = r.images.map((im) => ({ id: im.id, index: im.index, flag: im.flag }));
    return { runs: next };
  });
}

// The gallery's list is the most common source: follow it.
useLibrary.subscribe((s, prev) => {
  if (s.runs !== prev.runs) noteRuns(s.runs);
});

/** Where a photo sits in its run: by asset id when the run is known, else by its position. */
export function resolveIndex(known: readonly KnownImage[] | undefined, assetId: string, position: number): number {
  if (!known) return position;
  return known.find((im) => im.id === assetId)?.index ?? known[position]?.index ?? position;
}

/** What a star shows: the choice being sent, else main's word (a Pick), else what the caller knows. */
export function keptOf(s: KeepState, runId: string, index: number, fallback = false): boolean {
  const known = s.runs[runId]?.find((im) => im.index === index);
  return s.pending[keepKey(runId, index)] ?? (known ? known.flag === 'pick' : fallback);
}

/** The star of one photo: its index in the run, kept or not, and whether main is being asked. */
export function useKeepState(
  runId: string,
  assetId: string,
  position: number,
  fallback = false,
): { index: number; kept: boolean; busy: boolean } {
  const index = useKeep((s) => resolveIndex(s.runs[runId], assetId, position));
  const kept = useKeep((s) => keptOf(s, runId, index, fallback));
  const busy = useKeep((s) => keepKey(runId, index) in s.pending);
  return { index, kept, busy };
}

/** How many photos of a run are kept (for the gallery's tile badge). */
export function useKeptCount(run: RunLike): number {
  return useKeep((s) => run.images.filter((im) => keptOf(s, run.id, im.index, im.flag === 'pick')).length);
}

/**
 * Picks a photo (or unflags it). The star changes at once; if main refuses, it goes back and a
 * message says why. A second click while main is being asked is ignored. Resolves to whether
 * main stored it.
 */
export async function setKept(runId: string, index: number, kept: boolean): Promise<boolean> {
  const key = keepKey(runId, index);
  if (key in useKeep.getState().pending) return false;
  useKeep.setState((s) => ({ pending: { ...s.pending, [key]: kept } }));
  try {
    const [run] = await client.library.setFlag({ items: [{ runId, index }], flag: kept ? 'pick' : null });
    if (!run) return false;
    noteRuns([run]);
    // The gallery's tiles follow at once (main's library:changed refreshes the list as well).
    useLibrary.setState((s) =>
      s.runs.some((r) => r.id === run.id) ? { runs: s.runs.map((r) => (r.id === run.id ? run : r)) } : s,
    );
    return true;
  } catch (e) {
    const why = asClientError(e).message;
    useToasts
      .getState()
      .show(
        kept ? `Could not keep this photo. ${why}` : `Could not remove this photo from the kept ones. ${why}`,
        'error',
      );
    return false;
  } finally {
    useKeep.setState((s) => {
      const pending = { ...s.pending };
      delete pending[key];
      return { pending };
    });
  }
}

const asking = new Set<string>();
/** Asks main about a run no list has shown yet (a results card whose run the gallery filter hides). */
export function ensureRun(runId: string): void {
  if (asking.has(runId) || useKeep.getState().runs[runId]) return;
  asking.add(runId);
  client.library
    .get({ runId })
    .then((r) => noteRuns([r]))
    .catch(() => undefined) // the star then shows what the card knows (not kept)
    .finally(() => asking.delete(runId));
}

/** For tests: forget everything. */
export function resetKeep(): void {
  asking.clear();
  useKeep.setState({ runs: {}, pending: {} });
}
