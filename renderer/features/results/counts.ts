/**
 * How much is being made right now, in the unit the person chose: photos. Generate says "4
 * photos", a card shows 4 slots, so the toolbar's pill says "4 photos in progress" for that one
 * generation, and counts down as they are saved (a card's pending slots do the same).
 */
import type { JobViewT } from '../../../shared/ipc/contract';
import { isActive } from './jobs-store';

/** Photos of running generations that are not on disk yet (at least one per running job). */
export function photosInProgress(jobs: Iterable<JobViewT>): number {
  let n = 0;
  for (const j of jobs) if (isActive(j)) n += Math.max(1, j.numOutputs - j.images.length);
  return n;
}

export function photosInProgressLabel(n: number): string {
  return n === 1 ? '1 photo in progress' : `${n} photos in progress`;
}
