/**
 * Keyboard shortcuts of the mask canvas, as a pure handler (the React hook in
 * MaskCanvas.tsx only wires it to window events). The keys are the entries of the app's
 * shortcut table (shortcuts/keymap.ts), which the "?" overlay lists:
 *
 *   B            brush                 E            eraser
 *   X            toggle brush/eraser   [ / ]        smaller / larger brush
 *   Cmd/Ctrl+Z   undo                  Shift+Cmd/Ctrl+Z, Ctrl+Y (Cmd+Y)  redo
 *   H            hide/show the mask    Shift+I      invert the mask
 *   0            fit to view           + (=) / -    zoom in / out
 *   Space (hold) drag to pan           Esc          cancel the stroke in progress
 *
 * Invert needs Shift (plain I does nothing) because it changes the whole mask
 * in one keypress; Photoshop uses Shift+Ctrl+I for "inverse" for the same reason.
 * Keys are ignored while focus is in an input, textarea, select or
 * contenteditable element (Space also on buttons, links and checkboxes,
 * which it presses), while an IME composes, and when another handler
 * already called preventDefault. Letter keys with Ctrl/Cmd/Alt are left to the
 * app (menus), except Z and Y.
 */

import { KEYS, hit, isTypingTarget, type KeyDef } from '../shortcuts/keymap';
import type { PainterSettings } from './types';

/** The painter methods the shortcuts use (MaskPainter implements them). */
export interface ShortcutTarget {
  /** The settings the keys change: the tool (B, E) and pan mode (Space held). */
  set(patch: Partial<Pick<PainterSettings, 'tool' | 'panMode'>>): void;
  toggleTool(): void;
  growBrush(): void;
  shrinkBrush(): void;
  undo(): void;
  redo(): void;
  toggleMaskVisible(): void;
  invert(): void;
  fit(): void;
  zoomIn(): void;
  zoomOut(): void;
  cancelStroke(): void;
  readonly isDrawing: boolean;
}

export interface ShortcutKeyEvent {
  readonly type: string;
  readonly key: string;
  readonly code?: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
  readonly repeat?: boolean;
  readonly isComposing?: boolean;
  readonly defaultPrevented?: boolean;
  readonly target?: EventTarget | null;
  preventDefault(): void;
}

/** True for elements where typing must not trigger canvas shortcuts (the app's one check). */
export const isEditableTarget = isTypingTarget;

/** True for controls that Space activates (buttons, links, checkboxes…): Space must not pan there. */
export function isActivatableTarget(target: EventTarget | null | undefined): boolean {
  const el = target as { tagName?: string; type?: string; getAttribute?(n: string): string | null } | null | undefined;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') return true;
  if (tag === 'INPUT')
    return ['button', 'checkbox', 'radio', 'submit', 'reset', 'image', 'file'].includes((el.type ?? '').toLowerCase());
  const role = el.getAttribute?.('role');
  return !!role && ['button', 'link', 'checkbox', 'radio', 'switch', 'menuitem', 'tab', 'option'].includes(role);
}

/**
 * Handles one keydown/keyup event. Returns true (and calls preventDefault) when
 * the event was a canvas shortcut.
 */
export function handleMaskShortcut(
  painter: ShortcutTarget,
  e: ShortcutKeyEvent,
  activeElement?: Element | null,
): boolean {
  const down = e.type === 'keydown';
  if (e.type !== 'keydown' && e.type !== 'keyup') return false;

  // Releasing space must always end pan mode, whatever has focus now.
  if (!down) {
    if (e.key === ' ' || e.code === 'Space') {
      painter.set({ panMode: false });
      return true;
    }
    return false;
  }
  if (e.defaultPrevented || e.isComposing) return false;
  if (isEditableTarget(e.target) || isEditableTarget(activeElement)) return false;

  const done = (): true => {
    e.preventDefault();
    return true;
  };
  const K = KEYS;

  // [ and ] come with AltGr (= Ctrl+Alt on Windows) on many layouts (keymap: altGr).
  if (hit(K.smaller, e)) {
    painter.shrinkBrush();
    return done();
  }
  if (hit(K.larger, e)) {
    painter.growBrush();
    return done();
  }
  if (hit(K.undo, e)) {
    painter.undo();
    return done();
  }
  if (hit(K.redo, e) || hit(K.redoMod, e)) {
    painter.redo();
    return done();
  }
  // Letter keys with Ctrl/Cmd/Alt belong to the app (menus).
  if (e.ctrlKey || e.metaKey || e.altKey) return false;

  if (e.key === ' ' || e.code === 'Space') {
    // Space presses a focused button; it only pans when focus is not on a control.
    if (isActivatableTarget(e.target) || isActivatableTarget(activeElement)) return false;
    if (!e.repeat) painter.set({ panMode: true });
    return done();
  }
  if (hit(K.cancelStroke, e)) {
    if (!painter.isDrawing) return false;
    painter.cancelStroke();
    return done();
  }
  const actions: Array<[KeyDef, () => void]> = [
    [K.brush, () => painter.set({ tool: 'brush' })],
    [K.eraser, () => painter.set({ tool: 'eraser' })],
    [K.swap, () => painter.toggleTool()],
    [K.hide, () => painter.toggleMaskVisible()],
    [K.invert, () => painter.invert()],
    [K.fit, () => painter.fit()],
    [K.zoomIn, () => painter.zoomIn()],
    [K.zoomOut, () => painter.zoomOut()],
  ];
  for (const [def, act] of actions) {
    if (!hit(def, e)) continue;
    act();
    return done();
  }
  return false;
}
