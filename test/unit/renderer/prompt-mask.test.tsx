// @vitest-environment happy-dom
/**
 * Generate with a starting photo and a painted mask (issue #5), and Cmd/Ctrl+Enter inside a dialog.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor } from '@testing-library/react';
import { registerMaskSession, resetMaskSession, useMaskSession } from '../../../renderer/features/canvas';
import { ok } from './fake-studio';
import { teardown } from './setup';
import { SELFIE, job, studio } from './prompt-studio';

afterEach(() => {
  teardown();
  resetMaskSession();
});

describe('Generate with a starting photo and a mask', () => {
  it('sends the photo, the painted mask and keep-outside, and says it repaints the masked area', async () => {
    const { user, fake, prompt } = await studio((f) => f.handle('selfies:list', () => ok([SELFIE])));
    fake.handle('jobs:start', () => ok(job()));
    await user.click(await screen.findByRole('button', { name: 'Selfie me.jpg' }));
    await user.type(prompt, 'subject in a red dress');
    expect(screen.getByTestId('generate-summary').textContent).toBe(
      '1 photo at 592 × 800, starting from your photo · Billed to your Replicate account',
    );

    const data = new Uint8Array(600 * 800);
    data.fill(255, 0, 600 * 10);
    act(() => {
      registerMaskSession({
        assetId: SELFIE.image.id,
        isEmpty: () => false,
        exportMask: () => ({ width: 600, height: 800, data }),
      });
      useMaskSession.getState().setKeepOutside(false);
    });
    expect(screen.getByTestId('generate-summary').textContent).toBe(
      '1 photo at 592 × 800, repainting the masked area · Billed to your Replicate account',
    );
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(fake.fn['jobs:start']).toHaveBeenCalledTimes(1));
    const req = fake.fn['jobs:start'].mock.calls[0]![0] as {
      image: { assetId: string };
      mask: { width: number; height: number; data: Uint8Array };
      keepOutside: boolean;
      input: Record<string, unknown>;
    };
    expect(req.image).toEqual({ assetId: 'selfies/selfie_1.jpg' });
    expect([req.mask.width, req.mask.height]).toEqual([600, 800]);
    expect(req.mask.data).toBe(data);
    expect(req.keepOutside).toBe(false);
    expect(req.input).toEqual({ prompt: 'subject in a red dress' });
  });

  it('Cmd/Ctrl+Enter does not generate from a dialog', async () => {
    const { user, fake, prompt } = await studio();
    fake.handle('jobs:start', () => ok(job()));
    await user.type(prompt, 'subject');
    await user.click(screen.getByRole('button', { name: /Photoshoot…/ }));
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(fake.fn['jobs:start']).not.toHaveBeenCalled();
  });
});
