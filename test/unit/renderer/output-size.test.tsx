// @vitest-environment happy-dom
/**
 * The size the studio announces is the size that will be saved (issue 12):
 *  - bug 9: with "Keep everything outside the mask exactly" main puts the result back into the
 *    starting photo (image-pipeline compositeKeepOutside), so a 600 × 800 selfie is saved at
 *    600 × 800 although the model paints 592 × 800; the panel under the canvas, the photo
 *    settings' output line and the line under Generate all said 592 × 800;
 *  - bug 12: with an invalid custom height the output line still showed a size beside the error.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CanvasSlot } from '../../../renderer/features/studio/CanvasSlot';
import { PromptPanel } from '../../../renderer/features/prompt/PromptPanel';
import { useCanvasStore } from '../../../renderer/features/canvas/canvas-store';
import { resetMaskSession, useMaskSession } from '../../../renderer/features/canvas/mask-session';
import { originalSize, savedSize } from '../../../renderer/features/params/output-size';
import { sizeProblem } from '../../../renderer/features/params/logic';
import { useModel } from '../../../renderer/features/params/model-store';
import { useSelfies } from '../../../renderer/features/studio/selfies-store';
import { useDraft } from '../../../renderer/features/params/draft-store';
import { useSelection } from '../../../renderer/features/studio/selection-store';
import type { SelfieViewT } from '../../../shared/ipc/contract';
import { planOutput } from '../../../shared/model/rules';
import { WITH_TOKEN, createFakeStudio, ok } from './fake-studio';
import { startWith, teardown } from './setup';

const SELFIE = { assetId: 'selfies/s_abcdef1/display.jpg', width: 600, height: 800, label: 'Selfie “me.jpg”' };

function shelfSelfie(
  id: string,
  original: { width: number; height: number },
  display: { width: number; height: number },
): SelfieViewT {
  return {
    id,
    name: 'big.heic',
    addedAt: 1,
    width: original.width,
    height: original.height,
    image: { id: `selfies/${id}/display.jpg`, ...display },
    thumb: { id: `selfies/${id}/thumb.webp`, width: 192, height: 256 },
  };
}

beforeEach(() => {
  useCanvasStore.getState().resetCanvasUi();
  resetMaskSession();
});
afterEach(() => {
  teardown();
  resetMaskSession();
});

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

async function mountStudio(selfies: SelfieViewT[] = []) {
  const fake = createFakeStudio({ token: WITH_TOKEN });
  fake.handle('selfies:list', () => ok(selfies));
  startWith(
    fake,
    <>
      <PromptPanel />
      <CanvasSlot />
    </>,
  );
  await act(() => useModel.getState().load());
  await act(() => useSelfies.getState().load());
  act(() => useDraft.getState().setPrompt('subject wearing a navy blazer'));
}

const canvasOutput = () => screen.getByTestId('canvas-output').textContent;
const formOutput = () => screen.getByTestId('output-size').textContent;
const summary = () => screen.getByTestId('generate-summary').textContent;

describe('bug 9: the size announced is the size saved', () => {
  it('keep-outside on: the photo’s own size everywhere; off (or nothing painted): the model’s size', async () => {
    await mountStudio();
    act(() => useSelection.getState().setSource(SELFIE));
    // img2img: the model's output (600 cut down to 592) is what is saved
    expect(canvasOutput()).toBe('Output: 592 × 800 px');
    expect(formOutput()).toContain('592 × 800 px');
    expect(summary()).toContain('1 photo at 592 × 800, starting from your photo');

    paintStroke();
    expect(useMaskSession.getState().keepOutside).toBe(true);
    expect(canvasOutput()).toBe('Output: 600 × 800 px');
    expect(screen.getByTestId('canvas-output').getAttribute('title')).toContain('the model paints 592 × 800 px');
    expect(formOutput()).toContain('600 × 800 px');
    expect(formOutput()).not.toContain('592');
    expect(summary()).toContain('1 photo at 600 × 800, repainting the masked area');

    fireEvent.click(screen.getByRole('checkbox', { name: 'Keep everything outside the mask exactly' }));
    expect(canvasOutput()).toBe('Output: 592 × 800 px');
    expect(formOutput()).toContain('592 × 800 px');
    expect(summary()).toContain('1 photo at 592 × 800, repainting the masked area');
  });

  it('a selfie larger than its display copy is saved at the original’s size', async () => {
    const big = shelfSelfie('s_big0001', { width: 6000, height: 8000 }, { width: 3072, height: 4096 });
    await mountStudio([big]);
    act(() =>
      useSelection
        .getState()
        .setSource({ assetId: big.image.id, width: 3072, height: 4096, label: 'Selfie “big.heic”' }),
    );
    expect(canvasOutput()).toBe('Output: 1072 × 1440 px');
    paintStroke();
    expect(canvasOutput()).toBe('Output: 6000 × 8000 px');
    expect(summary()).toContain('at 6000 × 8000');
  });

  it('savedSize and originalSize: the rules', () => {
    const inpaint = planOutput({ image: { width: 592, height: 800 }, hasMask: true });
    expect(savedSize(inpaint, { width: 600, height: 800 }, true)).toEqual({
      width: 600,
      height: 800,
      composited: true,
      model: { width: 592, height: 800 },
    });
    expect(savedSize(inpaint, { width: 600, height: 800 }, false)).toEqual({
      width: 592,
      height: 800,
      composited: false,
    });
    expect(savedSize(inpaint, { width: 592, height: 800 }, true)).toEqual({
      width: 592,
      height: 800,
      composited: true,
    });
    const img2img = planOutput({ image: { width: 592, height: 800 } });
    expect(savedSize(img2img, { width: 600, height: 800 }, true)).toEqual({
      width: 592,
      height: 800,
      composited: false,
    });
    expect(savedSize(planOutput({ aspect_ratio: 'custom' }), null, true)).toBeNull();
    const big = shelfSelfie('s_big0001', { width: 6000, height: 8000 }, { width: 3072, height: 4096 });
    expect(originalSize({ assetId: big.image.id, width: 3072, height: 4096 }, [big])).toEqual({
      width: 6000,
      height: 8000,
    });
    expect(originalSize({ assetId: 'runs/r1/1.png', width: 1344, height: 768 }, [big])).toEqual({
      width: 1344,
      height: 768,
    });
  });
});

describe('bug 12: no size beside a size error', () => {
  it('an invalid custom height: the output line says what to fix instead of a size', async () => {
    await mountStudio();
    const user = userEvent.setup();
    await user.click(screen.getByRole('radio', { name: /^custom/ }));
    await user.type(screen.getByRole('textbox', { name: 'Width' }), '1000');
    await user.type(screen.getByRole('textbox', { name: 'Height' }), '5000');
    expect(screen.getByText('Height must be between 256 and 1440.')).toBeTruthy();
    expect(formOutput()).not.toMatch(/\d+ × \d+/);
    expect(formOutput()).toContain('fix the height');
    expect(summary()).not.toMatch(/\d+ × \d+/);

    await user.clear(screen.getByRole('textbox', { name: 'Height' }));
    await user.type(screen.getByRole('textbox', { name: 'Height' }), '100');
    expect(formOutput()).not.toMatch(/\d+ × \d+/);

    await user.clear(screen.getByRole('textbox', { name: 'Height' }));
    await user.type(screen.getByRole('textbox', { name: 'Height' }), '800');
    expect(formOutput()).toContain('1008 × 800 px');
  });

  it('sizeProblem names the size fields in error that decide the size, and only those', () => {
    const custom = planOutput({ aspect_ratio: 'custom', width: 1000, height: 5000 });
    expect(sizeProblem(custom, { height: 'Height must be between 256 and 1440.' })).toEqual(['height']);
    expect(sizeProblem(custom, { width: 'x', height: 'y', seed: 'z' })).toEqual(['width', 'height']);
    expect(sizeProblem(custom, { seed: 'z' })).toEqual([]);
    // width/height are ignored without "custom", and with a starting photo nothing of it counts
    expect(sizeProblem(planOutput({ aspect_ratio: '1:1', height: 5000 }), { height: 'y' })).toEqual([]);
    expect(
      sizeProblem(planOutput({ aspect_ratio: 'custom', height: 5000, image: { width: 592, height: 800 } }), {
        height: 'y',
      }),
    ).toEqual([]);
  });
});
