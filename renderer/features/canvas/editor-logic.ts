/**
 * Pure helpers of the mask editor (no DOM, no React): the words that explain prompt_strength,
 * the size main will prepare a photo at, the brush-size slider scale, the zoom label, and the
 * shortcut list shown in the help overlay and in tooltips.
 */
import { MAX_IMAGE_SIDE, planModelSize } from '../../../shared/model/rules';
import { KEYS, groupsFor, type ShortcutGroup } from '../shortcuts/keymap';

// ---------- strength ----------

export type StrengthBand = 'none' | 'touch-up' | 'balanced' | 'mostly-new' | 'composition';

export interface StrengthWords {
  band: StrengthBand;
  title: string;
  detail: string;
  /** the value would make the run fail (0: no denoising steps left) */
  warn: boolean;
}

/** Upper bounds (inclusive) of the bands, in order. Exported for the tests. */
export const STRENGTH_BANDS = { none: 0, touchUp: 0.3, balanced: 0.65, mostlyNew: 0.95 } as const;

/**
 * What prompt_strength does, in words that change with the value. In inpaint mode the model only
 * redraws the painted area, so the sentence says so.
 */
export function strengthWords(value: number, inpaint = false): StrengthWords {
  const v = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
  let w: StrengthWords;
  if (v <= STRENGTH_BANDS.none) {
    w = {
      band: 'none',
      title: 'Nothing changes',
      detail: 'At 0 the model has no steps left to redraw anything and Replicate rejects the run. Use at least 0.05.',
      warn: true,
    };
  } else if (v <= STRENGTH_BANDS.touchUp) {
    w = {
      band: 'touch-up',
      title: 'Keep most of the photo',
      detail: 'Small touch-ups to skin, light and colour.',
      warn: false,
    };
  } else if (v < STRENGTH_BANDS.balanced) {
    w = { band: 'balanced', title: 'Balanced', detail: 'New details, same pose and light.', warn: false };
  } else if (v < STRENGTH_BANDS.mostlyNew) {
    w = {
      band: 'mostly-new',
      title: 'Mostly new',
      detail: 'The photo guides the composition; clothes and background can change.',
      warn: false,
    };
  } else {
    w = {
      band: 'composition',
      title: 'Only the composition survives',
      detail: 'Everything else is redrawn from your prompt.',
      warn: false,
    };
  }
  if (inpaint && !w.warn)
    w = { ...w, detail: `In the painted area: ${w.detail.charAt(0).toLowerCase()}${w.detail.slice(1)}` };
  return w;
}

// ---------- sizes ----------

/**
 * The size main prepares a photo at for the model (electron image pipeline `planModelSize`):
 * fitted into 1440 × 1440 (never upscaled), then each side DOWN to a multiple of 16 by a centre
 * crop. The model outputs exactly this size. Null when a side would be under 16 px.
 */
export function preparedSize(
  width: number,
  height: number,
  maxSide = MAX_IMAGE_SIDE,
): { width: number; height: number } | null {
  if (!(width > 0 && height > 0)) return null;
  const plan = planModelSize(width, height, maxSide);
  return plan ? { width: plan.width, height: plan.height } : null;
}

// ---------- brush size slider ----------

export const BRUSH_SLIDER_STEPS = 1000;

/** Brush diameters (image px) the slider offers for a photo: 2 px to half its long side. */
export function brushRange(width: number, height: number): { min: number; max: number } {
  const long = Math.max(1, width, height);
  return { min: 2, max: Math.max(32, Math.round(long / 2)) };
}

/** A comfortable first brush: about 6% of the short side. */
export function defaultBrushSize(width: number, height: number): number {
  const { min, max } = brushRange(width, height);
  return Math.min(max, Math.max(min, Math.max(8, Math.round(Math.min(width, height) * 0.06))));
}

/** Slider position (0..BRUSH_SLIDER_STEPS, logarithmic) → diameter in image px. */
export function sliderToBrush(t: number, range: { min: number; max: number }): number {
  const f = Math.min(1, Math.max(0, t / BRUSH_SLIDER_STEPS));
  return Math.round(range.min * Math.pow(range.max / range.min, f));
}

/** Diameter → slider position (clamped to the range). */
export function brushToSlider(size: number, range: { min: number; max: number }): number {
  const s = Math.min(range.max, Math.max(range.min, size));
  if (range.max <= range.min) return 0;
  return Math.round((Math.log(s / range.min) / Math.log(range.max / range.min)) * BRUSH_SLIDER_STEPS);
}

export function zoomLabel(zoom: number): string {
  if (!Number.isFinite(zoom) || zoom <= 0) return '–';
  const pct = zoom * 100;
  return `${pct < 10 ? Math.round(pct * 10) / 10 : Math.round(pct)}%`;
}

// ---------- shortcuts ----------
// The keys live in the app's one table (shortcuts/keymap.ts); these are the editor's views of it.

export {
  comboKeys,
  comboText,
  withShortcut,
  type Combo,
  type ShortcutItem,
  type ShortcutGroup,
} from '../shortcuts/keymap';

/** Named combos used by the toolbar tooltips (the first combo of each table entry). */
export const SHORTCUTS = {
  brush: KEYS.brush.combos[0],
  eraser: KEYS.eraser.combos[0],
  swap: KEYS.swap.combos[0],
  smaller: KEYS.smaller.combos[0],
  larger: KEYS.larger.combos[0],
  hide: KEYS.hide.combos[0],
  invert: KEYS.invert.combos[0],
  undo: KEYS.undo.combos[0],
  redo: KEYS.redo.combos[0],
  redoAlt: KEYS.redo.combos[1],
  zoomIn: KEYS.zoomIn.combos[0],
  zoomOut: KEYS.zoomOut.combos[0],
  fit: KEYS.fit.combos[0],
  help: KEYS.help.combos[0],
  generate: KEYS.generate.combos[0],
} as const;

/** What the "?" overlay lists in the mask editor: its groups, the studio's, the global ones. */
export function shortcutGroups(mac: boolean): ShortcutGroup[] {
  return groupsFor('editor', mac);
}
