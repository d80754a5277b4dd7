import { lockSeed } from '../features/params/draft-store';
import { useToasts } from '../app/toasts-store';

/** "Reuse this seed": locks the seed field to it, with a confirmation. */
export function reuseSeed(seed: number): void {
  lockSeed(seed);
  useToasts.getState().show(`Seed ${seed} locked: the next photos use it until you set the seed back to Random.`);
}
