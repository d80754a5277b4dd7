// @vitest-environment happy-dom
/**
 * Comparing results (issue #5): two ticked results side by side with their seeds, one reused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import { useDraft } from '../../../renderer/features/params/draft-store';
import { resetMaskSession } from '../../../renderer/features/canvas';
import type { RunDetailT } from '../../../shared/ipc/contract';
import { ok } from './fake-studio';
import { teardown } from './setup';
import { T0, job, studio } from './prompt-studio';

afterEach(() => {
  teardown();
  resetMaskSession();
});

describe('compare', () => {
  it('ticking 2 results opens them side by side with their seeds; “Reuse this seed” locks it', async () => {
    const detail = (id: string, seed: number, steps: number): RunDetailT => ({
      id,
      createdAt: T0,
      prompt: `subject ${id}`,
      label: `subject ${id}`,
      modelRef: 'sandrasocial/sseelfie-ai',
      mode: 'txt2img',
      seed,
      images: [{ id: `runs/${id}/0.webp`, width: 1024, height: 1024, index: 0, format: 'webp', flag: null, rating: 0 }],
      warnings: [],
      input: { prompt: `subject ${id}`, num_inference_steps: steps },
      version: null,
      predictionId: null,
      predictTime: null,
      source: null,
      mask: null,
    });
    const { user, fake } = await studio((f) =>
      f.handle('library:get', (req) => ok(req.runId === 'run_a' ? detail('run_a', 11, 20) : detail('run_b', 22, 28))),
    );
    for (const [id, seed] of [
      ['a', 11],
      ['b', 22],
    ] as const) {
      act(() =>
        fake.emit(
          'jobs:progress',
          job({
            id: `job_${id}`,
            runId: `run_${id}`,
            prompt: `subject run_${id}`,
            label: `subject run_${id}`,
            state: 'saved',
            seed,
            images: [{ id: `runs/run_${id}/0.webp`, width: 1024, height: 1024 }],
          }),
        ),
      );
    }
    await user.click(await screen.findByRole('checkbox', { name: 'Compare photo 1 of “subject run_a”' }));
    const bar = screen.getByTestId('compare-bar');
    expect((within(bar).getByRole('button', { name: 'Compare' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('checkbox', { name: 'Compare photo 1 of “subject run_b”' }));
    expect(bar.textContent).toContain('2 of 4 selected');
    await user.click(within(bar).getByRole('button', { name: 'Compare' }));
    const dialog = screen.getByRole('dialog', { name: 'Compare 2 photos' });
    const items = within(dialog).getAllByTestId('compare-item');
    expect(items).toHaveLength(2);
    // The settings are in the diff beside the photos (issue 11), one column per photo.
    const diff = within(dialog).getByTestId('compare-diff');
    await waitFor(() => expect(diff.querySelector('tr[data-key="num_inference_steps"]')).toBeTruthy());
    expect([...diff.querySelectorAll('tr[data-key="num_inference_steps"] td')].map((td) => td.textContent)).toEqual([
      '20',
      '28',
    ]);
    expect([...diff.querySelectorAll('tr[data-key="seed"] td')].map((td) => td.textContent)).toEqual(['11', '22']);
    expect(within(items[1]!).getByText('22')).toBeTruthy();
    await user.click(within(items[1]!).getByRole('button', { name: /Reuse this seed/ }));
    expect(useDraft.getState().values.seed).toBe(22);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Compare 2 photos' })).toBeNull();
  });
});
