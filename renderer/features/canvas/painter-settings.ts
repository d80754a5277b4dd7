/**
 * The painter's reported settings (tool, brush size, overlay colour, opacity, visibility) and
 * their rules: brush size rounded and kept to 1..4096, opacity kept to 0..1, the `[` / `]`
 * brush steps. `apply` takes a patch and says which settings really changed, so the painter
 * redraws only what depends on them and reports once. Separate because the rules are plain
 * values, testable on their own, and the painter should only wire their effects.
 */

import type { MaskPainterOptions, MaskTool, PainterSettings } from './types';

export const MIN_BRUSH_SIZE = 1;
export const MAX_BRUSH_SIZE = 4096;

export function clampBrush(size: number): number {
  if (!Number.isFinite(size)) return MIN_BRUSH_SIZE;
  return Math.max(MIN_BRUSH_SIZE, Math.min(MAX_BRUSH_SIZE, Math.round(size)));
}

/** `]`: +1 px below 10, else ×1.2. */
export function largerBrush(s: number): number {
  return s < 10 ? s + 1 : Math.max(s + 1, s * 1.2);
}
/** `[`: −1 px below 10, else ÷1.2. */
export function smallerBrush(s: number): number {
  return s <= 10 ? s - 1 : Math.min(s - 1, s / 1.2);
}

const clamp01 = (v: number) => Math.max(0, Math.min(1, v));

/** The settings reported in MaskPainterState. */
export type ReportedSettings = Pick<
  PainterSettings,
  'tool' | 'brushSize' | 'overlayColor' | 'overlayOpacity' | 'maskVisible'
>;

export class SettingsState {
  private s: ReportedSettings;

  constructor(o: MaskPainterOptions) {
    this.s = {
      tool: o.tool ?? 'brush',
      brushSize: clampBrush(o.brushSize ?? 64),
      overlayColor: o.overlayColor ?? '#ff2d6f',
      overlayOpacity: clamp01(o.overlayOpacity ?? 0.5),
      maskVisible: o.maskVisible ?? true,
    };
  }

  get values(): ReportedSettings {
    return this.s;
  }
  get tool(): MaskTool {
    return this.s.tool;
  }

  /** Applies the reported settings in `patch` (normalised); returns the keys that changed. */
  apply(patch: Partial<PainterSettings>): Set<keyof ReportedSettings> {
    const next: ReportedSettings = {
      tool: patch.tool ?? this.s.tool,
      brushSize: patch.brushSize === undefined ? this.s.brushSize : clampBrush(patch.brushSize),
      overlayColor: patch.overlayColor ?? this.s.overlayColor,
      overlayOpacity: patch.overlayOpacity === undefined ? this.s.overlayOpacity : clamp01(patch.overlayOpacity),
      maskVisible: patch.maskVisible ?? this.s.maskVisible,
    };
    const changed = new Set<keyof ReportedSettings>();
    for (const k of Object.keys(next) as (keyof ReportedSettings)[]) if (next[k] !== this.s[k]) changed.add(k);
    if (changed.size > 0) this.s = next;
    return changed;
  }
}
