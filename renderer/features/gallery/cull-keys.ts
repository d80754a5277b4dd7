/**
 * The gallery's keys, read from the one keymap (shortcuts/keymap.ts): which culling action a key
 * press asks for in the grid or the loupe. Pure: the view applies the action (GalleryView.tsx).
 */
import type { FlagT } from '../../../shared/ipc/contract';
import { KEYS, hit, hitIndex, type KeyLike } from '../shortcuts/keymap';

export type CullAction =
  | { type: 'flag'; flag: FlagT }
  | { type: 'rate'; rating: number }
  | { type: 'view'; view: 'grid' | 'loupe' | 'compare' }
  | { type: 'move'; dx: number; dy: number; extend: boolean }
  | { type: 'selectAll' }
  | { type: 'open' }
  | { type: 'zoom' }
  | { type: 'back' };

const ARROWS: readonly [number, number][] = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
];

/** The action of a key press, or null for a key the gallery does not use. */
export function cullAction(e: KeyLike, view: 'grid' | 'loupe'): CullAction | null {
  if (hit(KEYS.cullPick, e)) return { type: 'flag', flag: 'pick' };
  if (hit(KEYS.cullReject, e)) return { type: 'flag', flag: 'reject' };
  if (hit(KEYS.cullUnflag, e)) return { type: 'flag', flag: null };
  const rate = hitIndex(KEYS.cullRate, e);
  if (rate >= 0) return { type: 'rate', rating: rate };
  if (hit(KEYS.gridView, e)) return { type: 'view', view: 'grid' };
  if (hit(KEYS.loupeView, e)) return { type: 'view', view: 'loupe' };
  if (hit(KEYS.compareView, e)) return { type: 'view', view: 'compare' };
  if (hit(KEYS.cullSelectAll, e)) return { type: 'selectAll' };
  const move = hitIndex(KEYS.cullMove, e);
  const extend = hitIndex(KEYS.cullExtend, e);
  const arrow = move >= 0 ? move : extend;
  if (arrow >= 0) {
    const [dx, dy] = ARROWS[arrow]!;
    // The loupe's filmstrip is one row: ↑ ↓ are left to the page.
    if (view === 'loupe' && dy) return null;
    return { type: 'move', dx, dy, extend: extend >= 0 && view === 'grid' };
  }
  if (hit(KEYS.cullOpen, e)) return view === 'grid' ? { type: 'open' } : null;
  if (hit(KEYS.loupeZoom, e)) return view === 'loupe' ? { type: 'zoom' } : null;
  if (hit(KEYS.cullBack, e)) return { type: 'back' };
  return null;
}

/**
 * Where auto-advance goes after a flag or a rating: the next photo of the list, if the key applied
 * to one photo (a whole selection stays where it is), else nowhere.
 */
export function advanceAfter(list: readonly string[], active: string | null, applied: number): string | null {
  if (applied !== 1 || active === null) return null;
  const at = list.indexOf(active);
  return at >= 0 && at + 1 < list.length ? list[at + 1]! : null;
}
