// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  BRUSH_SLIDER_STEPS,
  brushRange,
  brushToSlider,
  comboKeys,
  comboText,
  defaultBrushSize,
  preparedSize,
  SHORTCUTS,
  shortcutGroups,
  sliderToBrush,
  strengthWords,
  withShortcut,
  zoomLabel,
} from '../../../../renderer/features/canvas/editor-logic';
import { planOutput } from '../../../../shared/model/rules';

describe('strength words', () => {
  it('change at the band edges', () => {
    const band = (v: number) => strengthWords(v).band;
    expect(band(0)).toBe('none');
    expect(strengthWords(0).warn).toBe(true);
    expect(band(0.01)).toBe('touch-up');
    expect(band(0.3)).toBe('touch-up');
    expect(band(0.31)).toBe('balanced');
    expect(band(0.5)).toBe('balanced');
    expect(band(0.64)).toBe('balanced');
    expect(band(0.65)).toBe('mostly-new');
    expect(band(0.8)).toBe('mostly-new');
    expect(band(0.94)).toBe('mostly-new');
    expect(band(0.95)).toBe('composition');
    expect(band(1)).toBe('composition');
    // out of range and NaN are clamped, not thrown
    expect(band(7)).toBe('composition');
    expect(band(-1)).toBe('none');
    expect(band(Number.NaN)).toBe('none');
  });

  it('say what happens in words', () => {
    expect(strengthWords(0.2).title).toBe('Keep most of the photo');
    expect(strengthWords(0.2).detail).toMatch(/touch-ups/);
    expect(strengthWords(0.5)).toMatchObject({ title: 'Balanced', detail: 'New details, same pose and light.' });
    expect(strengthWords(0.8).title).toBe('Mostly new');
    expect(strengthWords(0.8).detail).toMatch(/guides the composition/);
    expect(strengthWords(1).title).toBe('Only the composition survives');
    expect(strengthWords(0).detail).toMatch(/rejects the run/);
  });

  it('speak of the painted area when inpainting', () => {
    expect(strengthWords(0.5, true).detail).toBe('In the painted area: new details, same pose and light.');
    expect(strengthWords(0, true).detail).not.toMatch(/painted area/);
  });
});

/**
 * main's planModelSize, loaded at run time: this file is type-checked with the renderer's
 * tsconfig, which must not pull in main's sources (sharp, libheif-js).
 */
type PlanModelSize = (w: number, h: number) => { width: number; height: number } | null;
async function mainPlanModelSize(): Promise<PlanModelSize> {
  const file = '../../../../electron/services/images/image-pipeline';
  return ((await import(/* @vite-ignore */ file)) as { planModelSize: PlanModelSize }).planModelSize;
}

describe('preparedSize', () => {
  it('is the size main prepares (planModelSize), for many shapes', async () => {
    const planModelSize = await mainPlanModelSize();
    const sizes: Array<[number, number]> = [
      [600, 800],
      [800, 600],
      [1088, 1440],
      [4032, 3024],
      [3024, 4032],
      [4096, 2304],
      [1440, 1440],
      [1441, 1439],
      [17, 5000],
      [16, 16],
      [15, 100],
      [1000, 31],
      [2000, 47],
      [4096, 4096],
      [333, 777],
    ];
    for (let i = 0; i < 200; i++) sizes.push([16 + ((i * 7919) % 4081), 16 + ((i * 104729) % 4081)]);
    for (const [w, h] of sizes) {
      const main = planModelSize(w, h);
      expect(preparedSize(w, h), `${w}×${h}`).toEqual(main ? { width: main.width, height: main.height } : null);
    }
  });

  it('gives the real output size where the round-up rule would not', () => {
    expect(preparedSize(600, 800)).toEqual({ width: 592, height: 800 });
    const plan = planOutput({ image: preparedSize(600, 800) });
    expect([plan.width, plan.height]).toEqual([592, 800]);
    expect(preparedSize(0, 10)).toBeNull();
  });
});

describe('brush slider', () => {
  it('offers 2 px to half the long side, starting near 6% of the short side', () => {
    expect(brushRange(600, 800)).toEqual({ min: 2, max: 400 });
    expect(brushRange(20, 20)).toEqual({ min: 2, max: 32 });
    expect(defaultBrushSize(600, 800)).toBe(36);
    expect(defaultBrushSize(4096, 3072)).toBe(184);
    expect(defaultBrushSize(40, 40)).toBe(8);
  });

  it('is logarithmic and round-trips', () => {
    const r = brushRange(4096, 4096);
    expect(sliderToBrush(0, r)).toBe(2);
    expect(sliderToBrush(BRUSH_SLIDER_STEPS, r)).toBe(2048);
    expect(sliderToBrush(BRUSH_SLIDER_STEPS / 2, r)).toBe(64); // geometric middle
    for (const size of [2, 3, 10, 36, 64, 100, 500, 2048]) {
      expect(Math.abs(sliderToBrush(brushToSlider(size, r), r) - size) / size).toBeLessThan(0.01);
    }
    expect(brushToSlider(1, r)).toBe(0);
    expect(brushToSlider(99999, r)).toBe(BRUSH_SLIDER_STEPS);
    expect(sliderToBrush(-5, r)).toBe(2);
  });
});

describe('labels', () => {
  it('zoom in percent', () => {
    expect(zoomLabel(1)).toBe('100%');
    expect(zoomLabel(0.4712)).toBe('47%');
    expect(zoomLabel(0.05)).toBe('5%');
    expect(zoomLabel(0.0512)).toBe('5.1%');
    expect(zoomLabel(32)).toBe('3200%');
    expect(zoomLabel(Number.NaN)).toBe('–');
  });

  it('shortcuts: ⌘ and symbols on macOS, Ctrl+ words elsewhere', () => {
    expect(comboKeys(SHORTCUTS.redo, true)).toEqual(['⇧', '⌘', 'Z']);
    expect(comboText(SHORTCUTS.redo, true)).toBe('⇧⌘Z');
    expect(comboText(SHORTCUTS.redo, false)).toBe('Ctrl+Shift+Z');
    expect(comboText(SHORTCUTS.undo, false)).toBe('Ctrl+Z');
    expect(comboText(SHORTCUTS.invert, false)).toBe('Shift+I');
    expect(comboText(SHORTCUTS.generate, true)).toBe('⌘↩');
    expect(comboText(SHORTCUTS.generate, false)).toBe('Ctrl+Enter');
    expect(withShortcut('Undo', SHORTCUTS.undo, true)).toBe('Undo (⌘Z)');
  });

  it('the help lists every canvas shortcut and the studio ones', () => {
    for (const mac of [true, false]) {
      const groups = shortcutGroups(mac);
      const combos = groups.flatMap((g) => g.items.flatMap((i) => i.combos.map((c) => c.join('+'))));
      for (const [name, c] of Object.entries(SHORTCUTS)) {
        if (name === 'redoAlt' && mac) continue; // ⌘Y works but macOS apps show ⇧⌘Z
        expect(combos, name).toContain(c.join('+'));
      }
      const labels = groups.flatMap((g) => g.items.map((i) => i.label)).join('\n');
      for (const t of [
        'Brush',
        'Eraser',
        'Undo',
        'Redo',
        'Invert',
        'Hide or show',
        'Zoom',
        'Fit',
        'Generate',
        'Studio / Gallery / Settings',
        'Close',
      ])
        expect(labels).toContain(t);
      expect(combos).toContain('Esc');
    }
  });
});
