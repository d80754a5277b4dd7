/**
 * What the comparison can do to a photo's cull state, behind one small adapter over the renderer's
 * mirror of flags and ratings (results/keep.ts): Pick, Reject and 0–5 stars, the same store the
 * gallery's grid and loupe and the studio's results read, so they always agree.
 */
import { applyFlag, applyRating, useCull } from '../results/keep';

export type Flag = 'pick' | 'reject' | null;

export const CULL_CAPS = { reject: true, rating: true } as const;

export interface CullState {
  /** the photo's index in its run (what main's channels take) */
  index: number;
  flag: Flag;
  /** 0–5 */
  rating: number | null;
  busy: boolean;
}

export function useCullState(runId: string, assetId: string, position: number, fallbackKept: boolean): CullState {
  const { index, flag, rating, busy } = useCull(runId, assetId, position, {
    flag: fallbackKept ? 'pick' : null,
    rating: 0,
  });
  return { index, flag, rating, busy };
}

/** Sets a photo's flag; resolves false when main refused (it has said why in a toast). */
export function setFlag(runId: string, index: number, flag: Flag): Promise<boolean> {
  return applyFlag([{ runId, index }], flag);
}

export function setRating(runId: string, index: number, rating: number): Promise<boolean> {
  return applyRating([{ runId, index }], rating);
}
