/**
 * The grid's selection and keys (renderer/features/gallery/selection.ts, cull-keys.ts): Lightroom's
 * click / Shift-click / ⌘-click / ⌘A, arrows that move and extend, what a key applies to, and how
 * the selection survives the list changing under it.
 */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_SELECTION,
  clickSelect,
  moveActive,
  reconcile,
  selectAll,
  targets,
} from '../../../../renderer/features/gallery/selection';
import { advanceAfter, cullAction } from '../../../../renderer/features/gallery/cull-keys';

const L = ['a:0', 'a:1', 'b:0', 'b:1', 'c:0'];
const sel = (...keys: string[]) => [...keys];

describe('selection', () => {
  it('a click selects one photo and makes it the anchor and the active one', () => {
    const s = clickSelect(EMPTY_SELECTION, L, 'a:1');
    expect([...s.selected]).toEqual(['a:1']);
    expect(s.anchor).toBe('a:1');
    expect(s.active).toBe('a:1');
    expect(targets(s, L)).toEqual(['a:1']);
  });

  it('Shift-click selects the range from the anchor, either way; ⌘-click adds or removes one', () => {
    let s = clickSelect(EMPTY_SELECTION, L, 'b:0');
    s = clickSelect(s, L, 'c:0', { shift: true });
    expect(targets(s, L)).toEqual(sel('b:0', 'b:1', 'c:0'));
    s = clickSelect(s, L, 'a:0', { shift: true });
    expect(targets(s, L)).toEqual(sel('a:0', 'a:1', 'b:0'));
    expect(s.anchor).toBe('b:0');
    s = clickSelect(s, L, 'c:0', { toggle: true });
    expect(targets(s, L)).toEqual(sel('a:0', 'a:1', 'b:0', 'c:0'));
    s = clickSelect(s, L, 'a:1', { toggle: true });
    expect(targets(s, L)).toEqual(sel('a:0', 'b:0', 'c:0'));
    // ⌘+Shift adds a range to what is selected.
    s = clickSelect(s, L, 'b:1', { shift: true, toggle: true });
    expect(targets(s, L)).toEqual(sel('a:0', 'a:1', 'b:0', 'b:1', 'c:0'));
  });

  it('removing the active photo with ⌘-click hands the focus to one still selected; the last one leaves nothing', () => {
    let s = clickSelect(EMPTY_SELECTION, L, 'a:0');
    s = clickSelect(s, L, 'b:0', { toggle: true });
    s = clickSelect(s, L, 'b:0', { toggle: true });
    expect(s.active).toBe('a:0');
    s = clickSelect(s, L, 'a:0', { toggle: true });
    expect(s.selected.size).toBe(0);
    expect(s.active).toBeNull();
    expect(targets(s, L)).toEqual([]);
  });

  it('⌘A selects every photo of the filter, and keeps the active one', () => {
    const s = selectAll(clickSelect(EMPTY_SELECTION, L, 'b:1'), L);
    expect(targets(s, L)).toEqual(L);
    expect(s.active).toBe('b:1');
    expect(selectAll(EMPTY_SELECTION, [])).toEqual(EMPTY_SELECTION);
  });

  it('arrows move the active photo, clamped to the list; with Shift they extend from the anchor', () => {
    let s = moveActive(EMPTY_SELECTION, L, 1);
    expect(s.active).toBe('a:0');
    s = moveActive(s, L, 3);
    expect(s.active).toBe('b:1');
    s = moveActive(s, L, 10);
    expect(s.active).toBe('c:0');
    s = moveActive(s, L, -2, true);
    expect(targets(s, L)).toEqual(sel('b:0', 'b:1', 'c:0'));
    expect(s.active).toBe('b:0');
    s = moveActive(s, L, -1);
    expect(targets(s, L)).toEqual(['a:1']);
    expect(moveActive(EMPTY_SELECTION, L, -1).active).toBe('c:0');
  });

  it('when the list changes, what left is dropped; an active photo that left is replaced by the next one', () => {
    // P under "Unflagged": the photo leaves the filter; culling goes on with the one after it.
    const s = clickSelect(EMPTY_SELECTION, L, 'a:1');
    const after = reconcile(s, L, ['a:0', 'b:0', 'b:1', 'c:0']);
    expect(after.active).toBe('b:0');
    expect(targets(after, ['a:0', 'b:0', 'b:1', 'c:0'])).toEqual(['b:0']);
    // A selection keeps what is still listed.
    const many = clickSelect(clickSelect(EMPTY_SELECTION, L, 'a:0'), L, 'b:1', { shift: true });
    const kept = reconcile(many, L, ['a:0', 'b:1', 'c:0']);
    expect(targets(kept, ['a:0', 'b:1', 'c:0'])).toEqual(['a:0', 'b:1']);
    // The last photo left: the one before it.
    expect(reconcile(clickSelect(EMPTY_SELECTION, L, 'c:0'), L, ['a:0', 'a:1']).active).toBe('a:1');
    expect(reconcile(s, L, [])).toEqual(EMPTY_SELECTION);
  });
});

describe('keys', () => {
  const k = (key: string, mods: Partial<KeyboardEvent> = {}) => ({ key, ...mods });

  it('P X U and 0–5 flag and rate, in the grid and the loupe', () => {
    for (const view of ['grid', 'loupe'] as const) {
      expect(cullAction(k('p'), view)).toEqual({ type: 'flag', flag: 'pick' });
      expect(cullAction(k('X', { shiftKey: false }), view)).toEqual({ type: 'flag', flag: 'reject' });
      expect(cullAction(k('u'), view)).toEqual({ type: 'flag', flag: null });
      expect(cullAction(k('0'), view)).toEqual({ type: 'rate', rating: 0 });
      expect(cullAction(k('5'), view)).toEqual({ type: 'rate', rating: 5 });
    }
    expect(cullAction(k('6'), 'grid')).toBeNull();
    // With a modifier they are someone else's (⌘P prints, ⌘0 resets zoom).
    expect(cullAction(k('p', { metaKey: true }), 'grid')).toBeNull();
    expect(cullAction(k('3', { ctrlKey: true }), 'grid')).toBeNull();
    // A key held down does not flag forty photos.
    expect(cullAction(k('p', { repeat: true }), 'grid')).toBeNull();
  });

  it('G E C switch views; ⌘A / Ctrl+A selects all; Enter opens, Space and Z zoom only in the loupe', () => {
    expect(cullAction(k('g'), 'loupe')).toEqual({ type: 'view', view: 'grid' });
    expect(cullAction(k('e'), 'grid')).toEqual({ type: 'view', view: 'loupe' });
    expect(cullAction(k('c'), 'grid')).toEqual({ type: 'view', view: 'compare' });
    expect(cullAction(k('a', { metaKey: true }), 'grid')).toEqual({ type: 'selectAll' });
    expect(cullAction(k('a', { ctrlKey: true }), 'grid')).toEqual({ type: 'selectAll' });
    expect(cullAction(k('Enter'), 'grid')).toEqual({ type: 'open' });
    expect(cullAction(k('Enter'), 'loupe')).toBeNull();
    expect(cullAction(k(' '), 'loupe')).toEqual({ type: 'zoom' });
    expect(cullAction(k('z'), 'loupe')).toEqual({ type: 'zoom' });
    expect(cullAction(k('z'), 'grid')).toBeNull();
    expect(cullAction(k('Escape'), 'loupe')).toEqual({ type: 'back' });
  });

  it('arrows: across and by rows in the grid, Shift extends; the loupe’s strip is one row', () => {
    expect(cullAction(k('ArrowRight'), 'grid')).toEqual({ type: 'move', dx: 1, dy: 0, extend: false });
    expect(cullAction(k('ArrowDown'), 'grid')).toEqual({ type: 'move', dx: 0, dy: 1, extend: false });
    expect(cullAction(k('ArrowUp', { shiftKey: true }), 'grid')).toEqual({ type: 'move', dx: 0, dy: -1, extend: true });
    expect(cullAction(k('ArrowLeft', { repeat: true }), 'loupe')).toEqual({
      type: 'move',
      dx: -1,
      dy: 0,
      extend: false,
    });
    expect(cullAction(k('ArrowDown'), 'loupe')).toBeNull();
  });

  it('auto-advance moves on after a key on one photo, not after a whole selection, and stops at the end', () => {
    expect(advanceAfter(L, 'a:1', 1)).toBe('b:0');
    expect(advanceAfter(L, 'a:1', 3)).toBeNull();
    expect(advanceAfter(L, 'c:0', 1)).toBeNull();
    expect(advanceAfter(L, null, 1)).toBeNull();
  });
});
