/**
 * Every keyboard shortcut of the app in one table: the handlers match key events with `hit()`
 * against these entries, and the shortcuts overlay ("?") and the tooltips are drawn from the same
 * entries, so what is listed is what works (issue 12). Pure: no DOM, no React.
 *
 * A combo is written as it is shown: 'Mod' is ⌘ on macOS and Ctrl elsewhere (either works
 * everywhere), 'Ctrl', 'Alt', 'Shift', then one key: a letter or digit, a symbol ('?', '[', '+'),
 * or a name ('Esc', 'Enter', '←', '→', '−').
 */
import { isTypingTarget } from './typing';

export { isTypingTarget };

/** A key combination: 'Mod' is ⌘ on macOS and Ctrl elsewhere. */
export type Combo = readonly string[];

export interface KeyDef {
  /** what it does, as listed */
  label: string;
  /** the combos that do it, shown "or" (the first one in tooltips) */
  combos: readonly Combo[];
  /** shown instead on macOS when the platform's convention differs (⌘Y works, ⇧⌘Z is shown) */
  macCombos?: readonly Combo[];
  /** KeyboardEvent.key values that also do it, not shown ('=' for '+', '{' for '[') */
  also?: readonly string[];
  /** free text instead of keys ("Space + drag") */
  text?: string;
  /** held down, not pressed */
  hold?: boolean;
  /** keeps acting while the key auto-repeats */
  repeats?: boolean;
  /** also typed with AltGr (Ctrl+Alt on Windows), as [ and ] are on many layouts */
  altGr?: boolean;
}

const MODS = ['Mod', 'Ctrl', 'Alt', 'Shift'];
/** Shown name → KeyboardEvent.key. */
const KEY_NAMES: Record<string, string> = {
  Esc: 'Escape',
  '←': 'ArrowLeft',
  '→': 'ArrowRight',
  '↑': 'ArrowUp',
  '↓': 'ArrowDown',
  '−': '-',
  Space: ' ',
};

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
  readonly shiftKey?: boolean;
  readonly repeat?: boolean;
}

/** Does this event press this combo? Shift is free for symbols typed with it ('?', '+', '{'). */
export function matchCombo(combo: Combo, e: KeyLike, opts: { altGr?: boolean } = {}): boolean {
  const main = combo.find((k) => !MODS.includes(k));
  if (!main) return false;
  const want = KEY_NAMES[main] ?? main;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (key !== (want.length === 1 ? want.toLowerCase() : want)) return false;
  const ctrlKey = !!e.ctrlKey;
  const metaKey = !!e.metaKey;
  const altKey = !!e.altKey;
  const altGr = !!opts.altGr && ctrlKey && altKey && !metaKey;
  const mod = combo.includes('Mod');
  const ctrl = combo.includes('Ctrl');
  if (!altGr) {
    if (mod ? !(ctrlKey || metaKey) : ctrl ? !ctrlKey || metaKey : ctrlKey || metaKey) return false;
    if (combo.includes('Alt') !== altKey) return false;
  }
  const symbol = want.length === 1 && !/[a-z0-9 ]/i.test(want);
  if (!symbol && combo.includes('Shift') !== !!e.shiftKey) return false;
  return true;
}

/** Is this the entry's key, whatever the modifiers (the release of a key held down)? */
export function isKeyOf(def: KeyDef, e: KeyLike): boolean {
  return def.combos.some((c) =>
    matchCombo(
      c.filter((k) => !MODS.includes(k)),
      { key: e.key },
    ),
  );
}

/**
 * Which of the entry's combos this event presses (its index), or -1. `also` keys count as the
 * first combo's key with its modifiers.
 */
export function hitIndex(def: KeyDef, e: KeyLike): number {
  // A key held down repeats: a hold entry sees the repeats (its handler ignores them).
  if (!def.repeats && !def.hold && e.repeat) return -1;
  const opts = { altGr: !!def.altGr };
  const i = def.combos.findIndex((c) => matchCombo(c, e, opts));
  if (i >= 0) return i;
  const first = def.combos[0];
  if (first && def.also?.some((k) => matchCombo([...first.filter((m) => MODS.includes(m)), k], e, opts))) return 0;
  return -1;
}

export function hit(def: KeyDef, e: KeyLike): boolean {
  return hitIndex(def, e) >= 0;
}

// ---------- showing keys ----------

const MAC_SYMBOLS: Record<string, string> = { Mod: '⌘', Shift: '⇧', Alt: '⌥', Ctrl: '⌃', Enter: '↩', Escape: 'Esc' };
const PC_NAMES: Record<string, string> = { Mod: 'Ctrl', Escape: 'Esc' };

/** The keys of a combination as shown: ['⇧', '⌘', 'Z'] on macOS, ['Ctrl', 'Shift', 'Z'] elsewhere. */
export function comboKeys(combo: Combo, mac: boolean): string[] {
  if (mac) {
    // macOS order: ⌃ ⌥ ⇧ ⌘ then the key.
    const order = ['Ctrl', 'Alt', 'Shift', 'Mod'];
    const mods = order.filter((m) => combo.includes(m)).map((m) => MAC_SYMBOLS[m]!);
    const rest = combo.filter((k) => !order.includes(k)).map((k) => MAC_SYMBOLS[k] ?? k);
    return [...mods, ...rest];
  }
  const order = ['Mod', 'Ctrl', 'Alt', 'Shift'];
  const mods = order.filter((m) => combo.includes(m)).map((m) => PC_NAMES[m] ?? m);
  const rest = combo.filter((k) => !order.includes(k)).map((k) => PC_NAMES[k] ?? k);
  return [...mods, ...rest];
}

/** "⇧⌘Z" on macOS, "Ctrl+Shift+Z" elsewhere (for tooltips). */
export function comboText(combo: Combo, mac: boolean): string {
  return comboKeys(combo, mac).join(mac ? '' : '+');
}

/** "Undo (⌘Z)" */
export function withShortcut(label: string, combo: Combo, mac: boolean): string {
  return `${label} (${comboText(combo, mac)})`;
}

/** aria-keyshortcuts wants "Shift+Meta+Z" / "Control+Z" / "Alt+ArrowLeft". */
export function ariaKeys(combo: Combo, mac: boolean): string {
  return combo
    .map((k) =>
      k === 'Mod' ? (mac ? 'Meta' : 'Control') : k === 'Ctrl' ? 'Control' : k === '?' ? 'Shift+?' : (KEY_NAMES[k] ?? k),
    )
    .join('+');
}

/** The combos an entry shows on this platform. */
export function shownCombos(def: KeyDef, mac: boolean): readonly Combo[] {
  return mac && def.macCombos ? def.macCombos : def.combos;
}

// ---------- the table ----------

/**
 * P (Lightroom's Pick) stars a photo wherever one is shown; K, the app's key before flags, still
 * does (components/KeepButton.tsx isKeepKey matches both).
 */
const KEEP: readonly Combo[] = [['P'], ['K']];

export const KEYS = {
  // Everywhere (app/Shell.tsx, ShortcutsOverlay.tsx)
  views: {
    label: 'Studio / Gallery / Settings / Train',
    combos: [
      ['Mod', '1'],
      ['Mod', '2'],
      ['Mod', '3'],
      ['Mod', '4'],
    ],
  },
  help: { label: 'Show these shortcuts', combos: [['?']] },
  close: { label: 'Close a dialog or this list', combos: [['Esc']] },

  // The studio (prompt/PromptPanel.tsx)
  generate: { label: 'Generate', combos: [['Mod', 'Enter']] },

  // The result viewer in the studio's centre (results/stage/ResultStage.tsx)
  stageStep: { label: 'Previous / next photo', combos: [['←'], ['→']], repeats: true },
  keep: { label: 'Pick (star) this photo', combos: KEEP },
  stageBefore: { label: 'Hold to see the photo it started from', combos: [['B']], hold: true },
  stageZoom: { label: 'Zoom to 100 % / back to fit', combos: [['Z']] },
  stageBack: { label: 'Back: 100 % → fit → the starting photo', combos: [['Esc']] },

  // A saved run's page (gallery/RunDetail.tsx)
  runBack: { label: 'Back to the gallery (or the studio you came from)', combos: [['Esc'], ['Alt', '←']] },
  runKeep: { label: 'Pick (star) the photo with the focus, or the only one', combos: KEEP },

  // The comparison (results/CompareView.tsx, app/controls/modal.tsx)
  compareKeep: { label: 'Pick (star) the photo with the focus; X rejects it', combos: KEEP },
  compareClose: { label: 'Close the comparison', combos: [['Esc']] },

  // The gallery's culling views (gallery/cull-keys.ts): Lightroom's Library keys
  gridView: { label: 'Grid: every photo of the filter', combos: [['G']] },
  loupeView: { label: 'Loupe: one photo large, filmstrip below', combos: [['E']] },
  compareView: { label: 'Compare the selected photos (2–4)', combos: [['C']] },
  cullMove: {
    label: 'Previous / next photo (↑ ↓: a row in the grid)',
    combos: [['←'], ['→'], ['↑'], ['↓']],
    repeats: true,
  },
  cullExtend: {
    label: 'Extend the selection',
    combos: [
      ['Shift', '←'],
      ['Shift', '→'],
      ['Shift', '↑'],
      ['Shift', '↓'],
    ],
    repeats: true,
  },
  cullSelectAll: { label: 'Select every photo of the filter', combos: [['Mod', 'A']] },
  cullPick: { label: 'Pick', combos: [['P']] },
  cullReject: { label: 'Reject', combos: [['X']] },
  cullUnflag: { label: 'Unflag', combos: [['U']] },
  cullRate: { label: 'Rate 1–5 stars / 0: no stars', combos: [['0'], ['1'], ['2'], ['3'], ['4'], ['5']] },
  cullOpen: { label: 'Open the active photo in the loupe', combos: [['Enter']] },
  loupeZoom: { label: 'Loupe: 1:1 / fit', combos: [['Space'], ['Z']] },
  cullBack: { label: 'Loupe → grid; in the grid, clear the selection', combos: [['Esc']] },
  cullSelect: { label: 'Select a range / add or remove one', combos: [], text: 'Shift-click / ⌘ or Ctrl-click' },

  // The mask editor (canvas/shortcuts.ts)
  brush: { label: 'Brush: paint what to change', combos: [['B']] },
  eraser: { label: 'Eraser: take it back', combos: [['E']] },
  swap: { label: 'Switch between brush and eraser', combos: [['X']] },
  smaller: { label: 'Smaller brush', combos: [['[']], also: ['{'], repeats: true, altGr: true },
  larger: { label: 'Larger brush', combos: [[']']], also: ['}'], repeats: true, altGr: true },
  cancelStroke: { label: 'Cancel the stroke you are drawing', combos: [['Esc']] },
  undo: { label: 'Undo', combos: [['Mod', 'Z']] },
  // macOS apps show ⇧⌘Z for redo, Windows and Linux ones Ctrl+Y as well
  redo: {
    label: 'Redo',
    combos: [
      ['Shift', 'Mod', 'Z'],
      ['Ctrl', 'Y'],
    ],
    macCombos: [['Shift', 'Mod', 'Z']],
  },
  /** ⌘Y redoes too (some macOS apps use it); not listed, so the list keeps the platform's own */
  redoMod: { label: 'Redo', combos: [['Mod', 'Y']] },
  hide: { label: 'Hide or show the mask', combos: [['H']] },
  invert: { label: 'Invert the mask', combos: [['Shift', 'I']] },
  zoomIn: { label: 'Zoom in', combos: [['+']], also: ['='], repeats: true },
  zoomOut: { label: 'Zoom out', combos: [['−']], also: ['_'], repeats: true },
  fit: { label: 'Fit the photo in the window', combos: [['0']] },
  pan: { label: 'Move the photo (or drag with the middle button)', combos: [], text: 'Space + drag' },
  zoomAt: { label: 'Zoom at the pointer', combos: [], text: 'Scroll or pinch' },
} as const satisfies Record<string, KeyDef>;

// ---------- what the overlay lists ----------

/** One row of the overlay: one entry, or two shown together ("Smaller / larger brush"). */
export interface ShortcutItem {
  /** the table's entries it shows */
  keys: KeyName[];
  label: string;
  /** alternatives, shown "or" (or "/" for a pair) */
  combos: Combo[];
  /** free text instead of keys (e.g. "Space + drag") */
  text?: string;
  hold?: boolean;
}
export interface ShortcutGroup {
  title: string;
  items: ShortcutItem[];
}

export type KeyName = keyof typeof KEYS;

function item(name: KeyName, mac: boolean): ShortcutItem {
  const def: KeyDef = KEYS[name];
  const out: ShortcutItem = { keys: [name], label: def.label, combos: [...shownCombos(def, mac)] };
  if (def.text) out.text = def.text;
  if (def.hold) out.hold = true;
  return out;
}
function pair(a: KeyName, b: KeyName, mac: boolean, label: string): ShortcutItem {
  return { keys: [a, b], label, combos: [...shownCombos(KEYS[a], mac), ...shownCombos(KEYS[b], mac)] };
}

/** Where the person is: picks the groups the overlay lists. */
export type ShortcutContext = 'studio' | 'stage' | 'editor' | 'gallery' | 'run' | 'compare' | 'settings';

export function editorGroups(mac: boolean): ShortcutGroup[] {
  return [
    {
      title: 'Painting',
      items: [
        item('brush', mac),
        item('eraser', mac),
        item('swap', mac),
        pair('smaller', 'larger', mac, 'Smaller / larger brush'),
        item('cancelStroke', mac),
      ],
    },
    { title: 'Mask', items: [item('undo', mac), item('redo', mac), item('hide', mac), item('invert', mac)] },
    {
      title: 'View',
      items: [pair('zoomIn', 'zoomOut', mac, 'Zoom in / out'), item('fit', mac), item('zoomAt', mac), item('pan', mac)],
    },
  ];
}

export function globalGroup(mac: boolean): ShortcutGroup {
  return { title: 'Everywhere', items: [item('views', mac), item('help', mac), item('close', mac)] };
}

export function galleryGroups(mac: boolean): ShortcutGroup[] {
  return [
    { title: 'Views', items: [item('gridView', mac), item('loupeView', mac), item('compareView', mac)] },
    {
      title: 'Cull (the selection in the grid, the photo in the loupe)',
      items: [item('cullPick', mac), item('cullReject', mac), item('cullUnflag', mac), item('cullRate', mac)],
    },
    {
      title: 'Move and select',
      items: [
        item('cullMove', mac),
        item('cullExtend', mac),
        item('cullSelect', mac),
        item('cullSelectAll', mac),
        item('cullOpen', mac),
        item('loupeZoom', mac),
        item('cullBack', mac),
      ],
    },
  ];
}

/** The groups for where the person is, then the global ones. */
export function groupsFor(ctx: ShortcutContext, mac: boolean): ShortcutGroup[] {
  const studio: ShortcutGroup = { title: 'Studio', items: [item('generate', mac)] };
  const own: ShortcutGroup[] =
    ctx === 'editor'
      ? [...editorGroups(mac), studio]
      : ctx === 'stage'
        ? [
            {
              title: 'Result',
              items: [
                item('stageStep', mac),
                item('keep', mac),
                item('stageBefore', mac),
                item('stageZoom', mac),
                item('stageBack', mac),
              ],
            },
            studio,
          ]
        : ctx === 'studio'
          ? [studio]
          : ctx === 'run'
            ? [{ title: 'Saved run', items: [item('runBack', mac), item('runKeep', mac)] }]
            : ctx === 'gallery'
              ? galleryGroups(mac)
              : ctx === 'compare'
                ? [{ title: 'Compare', items: [item('compareKeep', mac), item('compareClose', mac)] }]
                : [];
  return [...own, globalGroup(mac)];
}
