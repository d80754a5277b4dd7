// @vitest-environment happy-dom
/**
 * The app's one shortcut table: how a combo matches a key event (Mod is ⌘ or Ctrl, Shift is free
 * for symbols typed with it), that every entry a handler matches is in the "?" list of its view,
 * and that there is one "typing in a field" check.
 */
import { describe, expect, it } from 'vitest';
import {
  KEYS,
  groupsFor,
  hit,
  hitIndex,
  isKeyOf,
  matchCombo,
  type ShortcutContext,
} from '../../../../renderer/features/shortcuts/keymap';
import { isTypingTarget } from '../../../../renderer/features/shortcuts/typing';
import { isTypingTarget as fromControls } from '../../../../renderer/app/controls';
import { isEditableTarget } from '../../../../renderer/features/canvas/shortcuts';

const ev = (
  key: string,
  m: { ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean; shiftKey?: boolean; repeat?: boolean } = {},
) => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...m });

describe('matchCombo', () => {
  it('Mod is ⌘ or Ctrl; a combo without it wants neither', () => {
    expect(matchCombo(['Mod', '2'], ev('2', { metaKey: true }))).toBe(true);
    expect(matchCombo(['Mod', '2'], ev('2', { ctrlKey: true }))).toBe(true);
    expect(matchCombo(['Mod', '2'], ev('2'))).toBe(false);
    expect(matchCombo(['Mod', '2'], ev('2', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matchCombo(['Mod', '2'], ev('2', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(matchCombo(['K'], ev('k', { metaKey: true }))).toBe(false);
    expect(matchCombo(['Ctrl', 'Y'], ev('y', { ctrlKey: true }))).toBe(true);
    expect(matchCombo(['Ctrl', 'Y'], ev('y', { metaKey: true }))).toBe(false);
  });

  it('letters ignore case (Caps Lock) but not Shift; symbols typed with Shift match without it', () => {
    expect(matchCombo(['K'], ev('K'))).toBe(true);
    expect(matchCombo(['K'], ev('K', { shiftKey: true }))).toBe(false);
    expect(matchCombo(['Shift', 'I'], ev('I', { shiftKey: true }))).toBe(true);
    expect(matchCombo(['Shift', 'I'], ev('i'))).toBe(false);
    expect(matchCombo(['?'], ev('?', { shiftKey: true }))).toBe(true);
    expect(matchCombo(['?'], ev('/', { shiftKey: true }))).toBe(false);
    expect(matchCombo(['+'], ev('+', { shiftKey: true }))).toBe(true);
  });

  it('names: Esc, the arrows, Alt+←', () => {
    expect(hit(KEYS.runBack, ev('Escape'))).toBe(true);
    expect(hit(KEYS.runBack, ev('ArrowLeft', { altKey: true }))).toBe(true);
    expect(hit(KEYS.runBack, ev('ArrowLeft'))).toBe(false);
    expect(hitIndex(KEYS.stageStep, ev('ArrowRight'))).toBe(1);
    expect(hitIndex(KEYS.stageStep, ev('ArrowLeft', { repeat: true }))).toBe(0);
    expect(hitIndex(KEYS.views, ev('3', { metaKey: true }))).toBe(2);
  });

  it('auto-repeat only where the entry allows it; a held key sees its repeats and its release', () => {
    expect(hit(KEYS.stageZoom, ev('z', { repeat: true }))).toBe(false);
    expect(hit(KEYS.zoomIn, ev('=', { repeat: true }))).toBe(true);
    expect(hit(KEYS.stageBefore, ev('b', { repeat: true }))).toBe(true);
    expect(isKeyOf(KEYS.stageBefore, ev('B', { shiftKey: true }))).toBe(true);
    expect(hit(KEYS.smaller, ev('[', { ctrlKey: true, altKey: true }))).toBe(true);
    expect(hit(KEYS.undo, ev('z', { ctrlKey: true, altKey: true }))).toBe(false);
  });
});

describe('the lists', () => {
  const listed = (ctx: ShortcutContext, mac: boolean) =>
    groupsFor(ctx, mac).flatMap((g) => g.items.map((i) => i.label));

  it('each view lists its own keys, then the global ones (views, ?, Esc)', () => {
    const where: Record<string, ShortcutContext[]> = {
      views: ['studio', 'gallery', 'run', 'compare', 'settings', 'editor', 'stage'],
      help: ['studio', 'gallery', 'run', 'compare', 'settings'],
      close: ['gallery', 'settings'],
      generate: ['studio', 'editor', 'stage'],
      stageStep: ['stage'],
      keep: ['stage'],
      stageBefore: ['stage'],
      stageZoom: ['stage'],
      stageBack: ['stage'],
      runBack: ['run'],
      runKeep: ['run'],
      compareKeep: ['compare'],
      compareClose: ['compare'],
      brush: ['editor'],
      invert: ['editor'],
      undo: ['editor'],
      redo: ['editor'],
    };
    for (const mac of [true, false]) {
      for (const [name, ctxs] of Object.entries(where)) {
        for (const ctx of ctxs)
          expect(listed(ctx, mac), `${name} in ${ctx}`).toContain(KEYS[name as keyof typeof KEYS].label);
      }
      expect(listed('gallery', mac)).not.toContain(KEYS.runBack.label);
      expect(listed('run', mac)).not.toContain(KEYS.brush.label);
    }
  });

  it('every entry is listed somewhere (the one exception: ⌘Y, which macOS lists as ⇧⌘Z)', () => {
    for (const mac of [true, false]) {
      const shown = new Set(
        (['studio', 'stage', 'editor', 'gallery', 'run', 'compare', 'settings'] as const).flatMap((c) =>
          groupsFor(c, mac).flatMap((g) => g.items.flatMap((i) => i.keys)),
        ),
      );
      expect([...shown].sort()).toEqual(
        Object.keys(KEYS)
          .filter((k) => k !== 'redoMod')
          .sort(),
      );
    }
  });
});

describe('typing in a field', () => {
  it('is one check, used by the app, the results and the mask editor', () => {
    expect(fromControls).toBe(isTypingTarget);
    expect(isEditableTarget).toBe(isTypingTarget);
    const input = document.createElement('input');
    const box = document.createElement('input');
    box.type = 'checkbox';
    expect(isTypingTarget(input)).toBe(true);
    expect(isTypingTarget(document.createElement('textarea'))).toBe(true);
    expect(isTypingTarget(box)).toBe(false);
    expect(isTypingTarget(document.createElement('button'))).toBe(false);
  });
});
