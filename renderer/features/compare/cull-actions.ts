/**
 * What the comparison can do to a photo's cull state, behind one small adapter so the switch from
 * the keep star to flags and ratings (issue 11, Cull) is a change in this file only.
 *
 * Today a photo has one choice, `kept` (`library:keep`), which IS Pick: pick = keep, unflag =
 * unkeep. Reject and star ratings do not exist in main yet, so `CULL_CAPS` says so and the
 * comparison does not offer them (no control that cannot work).
 *
 * TODO(issue 11, flags): when `library:setFlag` ({runId, index, flag: 'pick'|'reject'|null}) and
 * `library:setRating` ({runId, index, rating: 0..5}) land with the photo's `flag`/`rating`
 * replacing `kept`, implement `setFlag`/`setRating` with them, read `flag`/`rating` in
 * `useCullState`, and set both caps to true: the comparison's Reject button, X/U keys and 0–5
 * stars then appear by themselves.
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
  if (flag === 'reject') throw new Error('Reject needs library:setFlag, which main does not offer yet.');
  return setKept(runId, index, flag === 'pick');
}

export async function setRating(_runId: string, _index: number, _rating: number): Promise<boolean> {
  throw new Error('Ratings need library:setRating, which main does not offer yet.');
}
