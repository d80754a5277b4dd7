// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import {
  handleMaskShortcut,
  isActivatableTarget,
  isEditableTarget,
  type ShortcutTarget,
} from '../../../../renderer/features/canvas/shortcuts';

function fakePainter(drawing = false) {
  return {
    set: vi.fn(),
    toggleTool: vi.fn(),
    growBrush: vi.fn(),
    shrinkBrush: vi.fn(),
    undo: vi.fn(),
    redo: vi.fn(),
    toggleMaskVisible: vi.fn(),
    invert: vi.fn(),
    fit: vi.fn(),
    zoomIn: vi.fn(),
    zoomOut: vi.fn(),
    cancelStroke: vi.fn(),
    isDrawing: drawing,
  } satisfies ShortcutTarget;
}

function key(k: string, init: KeyboardEventInit = {}, type = 'keydown') {
  return new KeyboardEvent(type, { key: k, cancelable: true, bubbles: true, ...init });
}

describe('handleMaskShortcut', () => {
  it('maps tool, size, history, visibility, invert, fit and zoom keys', () => {
    const p = fakePainter();
    const cases: [KeyboardEvent, () => void][] = [
      [key('b'), () => expect(p.set).toHaveBeenLastCalledWith({ tool: 'brush' })],
      [key('e'), () => expect(p.set).toHaveBeenLastCalledWith({ tool: 'eraser' })],
      [key('x'), () => expect(p.toggleTool).toHaveBeenCalledTimes(1)],
      [key('['), () => expect(p.shrinkBrush).toHaveBeenCalledTimes(1)],
      [key(']'), () => expect(p.growBrush).toHaveBeenCalledTimes(1)],
      [key('z', { ctrlKey: true }), () => expect(p.undo).toHaveBeenCalledTimes(1)],
      [key('z', { metaKey: true }), () => expect(p.undo).toHaveBeenCalledTimes(2)],
      [key('Z', { metaKey: true, shiftKey: true }), () => expect(p.redo).toHaveBeenCalledTimes(1)],
      [key('z', { ctrlKey: true, shiftKey: true }), () => expect(p.redo).toHaveBeenCalledTimes(2)],
      [key('y', { ctrlKey: true }), () => expect(p.redo).toHaveBeenCalledTimes(3)],
      [key('h'), () => expect(p.toggleMaskVisible).toHaveBeenCalledTimes(1)],
      [key('I', { shiftKey: true }), () => expect(p.invert).toHaveBeenCalledTimes(1)],
      [key('0'), () => expect(p.fit).toHaveBeenCalledTimes(1)],
      [key('+', { shiftKey: true }), () => expect(p.zoomIn).toHaveBeenCalledTimes(1)],
      [key('='), () => expect(p.zoomIn).toHaveBeenCalledTimes(2)],
      [key('-'), () => expect(p.zoomOut).toHaveBeenCalledTimes(1)],
    ];
    for (const [ev, check] of cases) {
      expect(handleMaskShortcut(p, ev), ev.key).toBe(true);
      expect(ev.defaultPrevented).toBe(true);
      check();
    }
  });

  it('plain I does not invert; letters with Cmd/Ctrl/Alt are left to the app', () => {
    const p = fakePainter();
    expect(handleMaskShortcut(p, key('i'))).toBe(false);
    expect(handleMaskShortcut(p, key('b', { ctrlKey: true }))).toBe(false);
    expect(handleMaskShortcut(p, key('e', { metaKey: true }))).toBe(false);
    expect(handleMaskShortcut(p, key('h', { altKey: true }))).toBe(false);
    expect(handleMaskShortcut(p, key('0', { metaKey: true }))).toBe(false);
    expect(p.invert).not.toHaveBeenCalled();
    expect(p.set).not.toHaveBeenCalled();
    expect(p.fit).not.toHaveBeenCalled();
  });

  it('accepts [ and ] typed with AltGr (Ctrl+Alt)', () => {
    const p = fakePainter();
    expect(handleMaskShortcut(p, key('[', { ctrlKey: true, altKey: true }))).toBe(true);
    expect(p.shrinkBrush).toHaveBeenCalledTimes(1);
  });

  it('space holds pan mode until released, ignoring auto-repeat', () => {
    const p = fakePainter();
    expect(handleMaskShortcut(p, key(' ', { code: 'Space' }))).toBe(true);
    expect(handleMaskShortcut(p, key(' ', { code: 'Space', repeat: true }))).toBe(true);
    expect(p.set).toHaveBeenCalledTimes(1);
    expect(p.set).toHaveBeenLastCalledWith({ panMode: true });
    expect(handleMaskShortcut(p, key(' ', { code: 'Space' }, 'keyup'))).toBe(true);
    expect(p.set).toHaveBeenLastCalledWith({ panMode: false });
  });

  it('space presses a focused button or checkbox instead of panning; release still ends pan mode', () => {
    const p = fakePainter();
    const button = document.createElement('button');
    const box = document.createElement('input');
    box.type = 'checkbox';
    const role = document.createElement('div');
    role.setAttribute('role', 'switch');
    document.body.append(button, box, role);
    for (const el of [button, box, role]) {
      expect(handleMaskShortcut(p, key(' ', { code: 'Space' }), el)).toBe(false);
      const ev = key(' ', { code: 'Space' });
      el.dispatchEvent(ev);
      expect(handleMaskShortcut(p, ev)).toBe(false);
    }
    expect(p.set).not.toHaveBeenCalled();
    // a range slider is not pressed by Space: it pans
    const range = document.createElement('input');
    range.type = 'range';
    expect(isActivatableTarget(range)).toBe(false);
    expect(handleMaskShortcut(p, key(' ', { code: 'Space' }), range)).toBe(true);
    expect(handleMaskShortcut(p, key(' ', { code: 'Space' }, 'keyup'), button)).toBe(true);
    expect(p.set).toHaveBeenLastCalledWith({ panMode: false });
    // other keys still work on a focused toolbar button
    expect(handleMaskShortcut(p, key('e'), button)).toBe(true);
    button.remove();
    box.remove();
    role.remove();
  });

  it('ignores typing in inputs, textareas and contenteditable', () => {
    const p = fakePainter();
    const input = document.createElement('input');
    const area = document.createElement('textarea');
    const editable = document.createElement('div');
    editable.contentEditable = 'true';
    document.body.append(input, area, editable);
    for (const el of [input, area]) {
      const ev = key('e');
      el.dispatchEvent(ev);
      expect(handleMaskShortcut(p, ev)).toBe(false);
    }
    expect(handleMaskShortcut(p, key('z', { ctrlKey: true }), input)).toBe(false);
    // happy-dom may not compute isContentEditable; the check itself only reads the flag
    expect(isEditableTarget({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget)).toBe(true);
    expect(isEditableTarget(document.createElement('div'))).toBe(false);
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    expect(isEditableTarget(checkbox)).toBe(false);
    expect(p.set).not.toHaveBeenCalled();
    expect(p.undo).not.toHaveBeenCalled();
  });

  it('ignores events already handled and IME composition; Esc cancels only while drawing', () => {
    const p = fakePainter();
    const handled = key('e');
    handled.preventDefault();
    expect(handleMaskShortcut(p, handled)).toBe(false);
    expect(handleMaskShortcut(p, key('e', { isComposing: true }))).toBe(false);
    expect(handleMaskShortcut(p, key('Escape'))).toBe(false);
    const drawing = fakePainter(true);
    expect(handleMaskShortcut(drawing, key('Escape'))).toBe(true);
    expect(drawing.cancelStroke).toHaveBeenCalledTimes(1);
  });
});
