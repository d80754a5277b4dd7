/**
 * What the comparison can do to a photo's cull state, behind one small adapter so the switch from
 * the keep star to flags and ratings (issue 11, Cull) is a change in this file only.
 *
 * Main stores flags and ratings (`library:setFlag`, `library:setRating`), but the renderer's
 * mirror of a photo's state (results/keep.ts) knows only Pick so far, so the comparison offers
 * Pick only (`CULL_CAPS`): no control whose state the app could not show.
 *
 * TODO(issue 11, cull): when the mirror holds `flag` and `rating`, read them in `useCullState`,
 * send `library:setFlag` / `library:setRating` here and set both caps to true: the Reject button,
 * X/U keys and 0–5 stars then appear by themselves.
 */
import { setKept, useKeepState } from '../results/keep';

export type Flag = 'pick' | 'reject' | null;

export const CULL_CAPS = { reject: false, rating: false } as const;

export interface CullState {
  /** the photo's index in its run (what main's channels take) */
  index: number;
  flag: Flag;
  /** 0–5, or null while ratings do not exist */
  rating: number | null;
  busy: boolean;
}

export function useCullState(runId: string, assetId: string, position: number, fallbackKept: boolean): CullState {
  const { index, kept, busy } = useKeepState(runId, assetId, position, fallbackKept);
  return { index, flag: kept ? 'pick' : null, rating: null, busy };
}

/** Sets a photo's flag; resolves false when main refused (it has said why in a toast). */
export async function setFlag(runId: string, index: number, flag: Flag): Promise<boolean> {
  if (flag === 'reject') throw new Error('Reject is not offered until the renderer mirrors flags (see CULL_CAPS).');
  return setKept(runId, index, flag === 'pick');
}

export async function setRating(_runId: string, _index: number, _rating: number): Promise<boolean> {
  throw new Error('Ratings are not offered until the renderer mirrors them (see CULL_CAPS).');
}
