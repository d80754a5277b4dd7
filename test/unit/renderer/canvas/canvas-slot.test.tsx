// @vitest-environment happy-dom
/**
 * The mask editor in the studio's middle slot (CanvasSlot → canvas-editor): empty state, the
 * photo with the painter over it, toolbar states, the strength words bound to the draft, the
 * mask session Generate reads, the shortcuts overlay and "Stop using this photo".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { CanvasSlot } from '../../../../renderer/features/studio/CanvasSlot';
import { ShortcutsOverlay } from '../../../../renderer/features/shortcuts/ShortcutsOverlay';
import { useCanvasStore } from '../../../../renderer/features/canvas/canvas-store';
import { currentMask, resetMaskSession, useMaskSession } from '../../../../renderer/features/canvas/mask-session';
import { useModel } from '../../../../renderer/features/params/model-store';
import { useDraft } from '../../../../renderer/features/params/draft-store';
import { useNav } from '../../../../renderer/app/nav-store';
import { useSelection } from '../../../../renderer/features/studio/selection-store';
import { WITH_TOKEN, createFakeStudio } from '../fake-studio';
import { startWith, teardown } from '../setup';

const SOURCE = { assetId: 'selfies/s1/display.jpg', width: 1088, height: 1440, label: 'Selfie “me.jpg”' };

beforeEach(() => {
  useCanvasStore.getState().resetCanvasUi();
  resetMaskSession();
});
afterEach(() => {
  teardown();
  resetMaskSession();
});

async function mount() {
  // The shortcuts list is the app's (the shell mounts it beside the views).
  startWith(
    createFakeStudio({ token: WITH_TOKEN }),
    <>
      <CanvasSlot />
      <ShortcutsOverlay />
    </>,
  );
  await act(() => useModel.getState().load());
}

function pointer(type: string, x: number, y: number) {
  return new PointerEvent(type, {
    pointerId: 1,
    pointerType: 'mouse',
    isPrimary: true,
    button: type === 'pointermove' ? -1 : 0,
    buttons: type === 'pointerup' ? 0 : 1,
    clientX: x,
    clientY: y,
    bubbles: true,
    cancelable: true,
  });
}

function paintStroke() {
  const root = screen.getByTestId('mask-canvas').querySelector('.mask-painter')!;
  act(() => {
    root.dispatchEvent(pointer('pointerdown', 2, 2));
    for (let i = 1; i <= 10; i++) root.dispatchEvent(pointer('pointermove', 2 + i, 2 + i));
    root.dispatchEvent(pointer('pointerup', 12, 12));
  });
}

const button = (name: string) => screen.getByRole('button', { name });

describe('canvas slot', () => {
  it('says what to do without a starting photo', async () => {
    await mount();
    expect(screen.getByTestId('canvas-slot').textContent).toContain('Pick a selfie or a result to start from it');
    expect(screen.queryByTestId('mask-editor')).toBeNull();
  });

  it('shows the photo under the painter, with the toolbar, size, mode and strength words', async () => {
    await mount();
    act(() => useSelection.getState().setSource(SOURCE));
    const slot = screen.getByTestId('canvas-slot');
    const img = within(slot).getByRole('img', { name: SOURCE.label });
    expect(img.getAttribute('src')).toBe(`studio-asset://asset/${SOURCE.assetId}`);
    expect(slot.textContent).toContain('Selfie “me.jpg”');
    expect(slot.textContent).toContain('1088 × 1440');
    expect(button('Undo').hasAttribute('disabled')).toBe(true);
    expect(button('Redo').hasAttribute('disabled')).toBe(true);
    expect(button('Clear mask').hasAttribute('disabled')).toBe(true);
    expect(button('Brush').getAttribute('aria-pressed')).toBe('true');
    expect(button('Undo').getAttribute('title')).toBe('Undo (⌘Z)'); // the fake bridge is macOS
    expect(button('Redo').getAttribute('title')).toBe('Redo (⇧⌘Z)');
    expect(button('Invert mask').getAttribute('title')).toBe('Invert mask (⇧I)');
    expect(screen.getByTestId('brush-size').textContent).toBe('65 px'); // 6% of 1088
    expect(screen.getByTestId('canvas-mode').textContent).toBe('Starting from this photo');
    expect(screen.getByTestId('canvas-output').textContent).toBe('Output: 1088 × 1440 px');
    expect(screen.queryByRole('checkbox', { name: 'Keep everything outside the mask exactly' })).toBeNull();

    const strength = screen.getByRole('slider', { name: 'Strength' }) as HTMLInputElement;
    expect(strength.value).toBe('0.8'); // the model's default
    expect(screen.getByTestId('strength-words').textContent).toContain('Mostly new');
    fireEvent.change(strength, { target: { value: '0.3' } });
    expect(useDraft.getState().values.prompt_strength).toBe(0.3);
    expect(screen.getByTestId('strength-words').textContent).toContain('Keep most of the photo');
    act(() => useDraft.getState().setValue('prompt_strength', 1));
    expect(screen.getByTestId('strength-words').textContent).toContain('Only the composition survives');
  });

  it('a stroke makes a full-size mask for Generate; undo, redo and keep-outside follow', async () => {
    await mount();
    act(() => useSelection.getState().setSource(SOURCE));
    expect(currentMask()).toBeNull();
    paintStroke();
    expect(useMaskSession.getState().hasMask).toBe(true);
    const m = currentMask(SOURCE.assetId)!;
    expect([m.width, m.height, m.data.length]).toEqual([1088, 1440, 1088 * 1440]);
    expect(m.data.some((v) => v === 255)).toBe(true);
    expect(screen.getByTestId('canvas-mode').textContent).toBe('Repainting the masked area');
    expect(button('Undo').hasAttribute('disabled')).toBe(false);
    expect(button('Clear mask').hasAttribute('disabled')).toBe(false);

    const keep = screen.getByRole('checkbox', { name: 'Keep everything outside the mask exactly' }) as HTMLInputElement;
    expect(keep.checked).toBe(true);
    fireEvent.click(keep);
    expect(useMaskSession.getState().keepOutside).toBe(false);

    fireEvent.click(button('Undo'));
    expect(useMaskSession.getState().hasMask).toBe(false);
    expect(currentMask()).toBeNull();
    expect(button('Undo').hasAttribute('disabled')).toBe(true);
    expect(button('Redo').hasAttribute('disabled')).toBe(false);
    fireEvent.keyDown(window, { key: 'z', metaKey: true, shiftKey: true });
    expect(useMaskSession.getState().hasMask).toBe(true);
    fireEvent.keyDown(window, { key: 'I', shiftKey: true });
    const inverted = currentMask()!;
    expect(inverted.data.filter((v) => v === 255).length).toBeGreaterThan(m.data.filter((v) => v === 255).length);
    fireEvent.click(button('Clear mask'));
    expect(currentMask()).toBeNull();
  });

  it('keeps the mask of a photo when the studio is left and shown again', async () => {
    await mount();
    act(() => useSelection.getState().setSource(SOURCE));
    paintStroke();
    act(() => useSelection.getState().setSource(null));
    expect(currentMask()).toBeNull();
    expect(useMaskSession.getState().hasMask).toBe(false);
    act(() => useSelection.getState().setSource(SOURCE));
    expect(useMaskSession.getState().hasMask).toBe(true);
    expect(button('Undo').hasAttribute('disabled')).toBe(false);
  });

  it('shortcuts: tools by key, not while typing, not outside the studio view', async () => {
    await mount();
    act(() => useSelection.getState().setSource(SOURCE));
    fireEvent.keyDown(window, { key: 'e' });
    expect(button('Eraser').getAttribute('aria-pressed')).toBe('true');
    fireEvent.keyDown(window, { key: 'b' });
    expect(button('Brush').getAttribute('aria-pressed')).toBe('true');
    fireEvent.keyDown(window, { key: ']' });
    expect(screen.getByTestId('brush-size').textContent).toBe('78 px');

    const text = document.createElement('textarea');
    document.body.append(text);
    text.focus();
    fireEvent.keyDown(text, { key: 'e' });
    expect(button('Brush').getAttribute('aria-pressed')).toBe('true');
    text.remove();

    act(() => useNav.getState().go('gallery'));
    fireEvent.keyDown(window, { key: 'e' });
    expect(useCanvasStore.getState().tool).toBe('brush');
    act(() => useNav.getState().go('studio'));
    fireEvent.keyDown(window, { key: 'h' });
    expect(button('Hide mask').getAttribute('aria-pressed')).toBe('true');
  });

  it('"?" opens the shortcuts (⌘ on macOS), Esc closes them; canvas keys pause meanwhile', async () => {
    await mount();
    act(() => useSelection.getState().setSource(SOURCE));
    fireEvent.keyDown(window, { key: '?', shiftKey: true });
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.textContent).toContain('Invert the mask');
    expect(dialog.textContent).toContain('Generate');
    expect(dialog.textContent).toContain('Studio / Gallery / Settings');
    expect(within(dialog).getAllByText('⌘').length).toBeGreaterThan(2);
    fireEvent.keyDown(window, { key: 'e' });
    expect(useCanvasStore.getState().tool).toBe('brush');
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();

    fireEvent.click(button('Keyboard shortcuts'));
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('"Stop using this photo" clears the starting photo', async () => {
    await mount();
    act(() => useSelection.getState().setSource(SOURCE));
    fireEvent.click(button('Stop using this photo'));
    expect(useSelection.getState().source).toBeNull();
    expect(screen.getByTestId('canvas-slot').textContent).toContain('Pick a selfie or a result');
  });
});
