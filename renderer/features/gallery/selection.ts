/**
 * The grid's selection, as Lightroom's Library grid has it: a click selects one photo, Shift-click
 * selects the range from the anchor, Cmd/Ctrl-click adds or removes one, Cmd/Ctrl+A selects every
 * photo of the filter. The active photo is the one the loupe shows and the keys apply to when
 * nothing else is selected. Photos are named by key (`runId:index`), so a selection survives the
 * list changing under it (a flag that takes a photo out of the filter, a deletion, a new run).
 * Pure: no DOM, no React.
 */

export interface Selection {
  /** keys of the selected photos (the active one among them, unless empty) */
  selected: ReadonlySet<string>;
  /** where a Shift-click range starts */
  anchor: string | null;
  /** the photo with the focus (the loupe's photo), or null before any */
  active: string | null;
}

export const EMPTY_SELECTION: Selection = { selected: new Set(), anchor: null, active: null };

export interface ClickMods {
  shift?: boolean;
  /** ⌘ on macOS, Ctrl elsewhere */
  toggle?: boolean;
}

/** A click on the photo `key` of `list` (the filter's photos, in order). */
export function clickSelect(sel: Selection, list: readonly string[], key: string, mods: ClickMods = {}): Selection {
  const anchorAt = sel.anchor === null ? -1 : list.indexOf(sel.anchor);
  if (mods.shift && anchorAt >= 0) {
    const at = list.indexOf(key);
    if (at < 0) return sel;
    const next = new Set(mods.toggle ? sel.selected : []);
    const [lo, hi] = anchorAt <= at ? [anchorAt, at] : [at, anchorAt];
    for (let i = lo; i <= hi; i++) next.add(list[i]!);
    return { selected: next, anchor: sel.anchor, active: key };
  }
  if (mods.toggle) {
    const next = new Set(sel.selected);
    if (next.has(key)) {
      next.delete(key);
      const active = sel.active === key ? (list.find((k) => next.has(k)) ?? null) : sel.active;
      return { selected: next, anchor: key, active: next.size ? active : null };
    }
    next.add(key);
    return { selected: next, anchor: key, active: key };
  }
  return { selected: new Set([key]), anchor: key, active: key };
}

/** Cmd/Ctrl+A: every photo of the filter. */
export function selectAll(sel: Selection, list: readonly string[]): Selection {
  if (!list.length) return EMPTY_SELECTION;
  const active = sel.active && list.includes(sel.active) ? sel.active : list[0]!;
  return { selected: new Set(list), anchor: sel.anchor ?? list[0]!, active };
}

/**
 * An arrow key: moves the active photo by `delta` (±1 across, ±columns down), clamped to the list;
 * with Shift it extends the range from the anchor, without it the selection is that one photo.
 */
export function moveActive(sel: Selection, list: readonly string[], delta: number, extend = false): Selection {
  if (!list.length) return EMPTY_SELECTION;
  const now = sel.active === null ? -1 : list.indexOf(sel.active);
  const from = now < 0 ? (delta > 0 ? -1 : list.length) : now;
  const key = list[Math.min(list.length - 1, Math.max(0, from + delta))]!;
  if (extend) {
    const base = sel.anchor !== null && list.includes(sel.anchor) ? sel : { ...sel, anchor: sel.active ?? key };
    return clickSelect(base, list, key, { shift: true });
  }
  return { selected: new Set([key]), anchor: key, active: key };
}

/** The photos a key applies to, in list order: the selection, else the active photo, else none. */
export function targets(sel: Selection, list: readonly string[]): string[] {
  if (sel.selected.size > 1) return list.filter((k) => sel.selected.has(k));
  if (sel.selected.size === 1) return [...sel.selected];
  return sel.active === null ? [] : [sel.active];
}

/**
 * The list changed (a filter, a deletion, a flag that took photos out of it): keep what is still
 * there; an active photo that left is replaced by the one now at its place, so culling goes on.
 */
export function reconcile(sel: Selection, prev: readonly string[], list: readonly string[]): Selection {
  if (!list.length) return EMPTY_SELECTION;
  const present = new Set(list);
  const selected = new Set([...sel.selected].filter((k) => present.has(k)));
  let active = sel.active;
  if (active !== null && !present.has(active)) {
    // The first photo after it in the old order that is still listed, else the last one.
    const was = prev.indexOf(active);
    active = (was >= 0 ? prev.slice(was + 1).find((k) => present.has(k)) : undefined) ?? list[list.length - 1]!;
    if (sel.selected.size <= 1) {
      selected.clear();
      selected.add(active);
    }
  }
  const anchor = sel.anchor !== null && present.has(sel.anchor) ? sel.anchor : active;
  return { selected, anchor, active };
}
