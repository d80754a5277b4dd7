/**
 * Remix: a saved run back in the studio, all of it (prompt, every setting, the seed it used, its
 * starting photo and, when it was repainted, its mask). It replaces the run page's former "Use these settings", which left the seed
 * out; "Start from this" on a photo stays the "use as base" (that photo becomes the starting one).
 */
import type { RunDetailT } from '../../../shared/ipc/contract';
import { IconWand } from '../../app/icons';
import { remixRun } from './restore';

export function RemixButton({ run, className = 'button' }: { run: RunDetailT; className?: string }) {
  return (
    <button
      type="button"
      className={className}
      title={
        run.mask
          ? 'Load this run’s prompt, every setting, its seed, its starting photo and its mask into the studio'
          : 'Load this run’s prompt, every setting, its seed and its starting photo into the studio'
      }
      onClick={() => void remixRun(run)}
    >
      <IconWand size={15} /> Remix
    </button>
  );
}
