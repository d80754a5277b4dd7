// @vitest-environment happy-dom
/**
 * The seed locked and reused (from a result and from the gallery), go_fast and extra_lora, and
 * presets saved, listed, applied and deleted (issue #5).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, within } from '@testing-library/react';
import { useDraft } from '../../../renderer/features/params/draft-store';
import { resetMaskSession } from '../../../renderer/features/canvas';
import type { PresetT, RunDetailT } from '../../../shared/ipc/contract';
import { ok, sampleRun } from './fake-studio';
import { openRunOfTile, teardown } from './setup';
import { T0, job, studio } from './prompt-studio';

afterEach(() => {
  teardown();
  resetMaskSession();
});

describe('seed', () => {
  it('Random by default; Locked keeps a number that Generate sends; “Reuse this seed” on a result locks it to that seed', async () => {
    const { user, fake, prompt } = await studio();
    const field = screen.getByTestId('seed-field');
    expect(within(field).getByRole('radio', { name: 'Random' }).getAttribute('aria-checked')).toBe('true');
    await user.click(within(field).getByRole('radio', { name: 'Locked' }));
    const box = within(field).getByRole('textbox', { name: 'Seed' }) as HTMLInputElement;
    expect(Number(box.value)).toBeGreaterThanOrEqual(0);
    await user.clear(box);
    await user.type(box, '42');
    expect(useDraft.getState().values.seed).toBe(42);

    fake.handle('jobs:start', () =>
      ok(job({ state: 'saved', seed: 777, images: [{ id: 'runs/run_x/0.webp', width: 1024, height: 1024 }] })),
    );
    await user.type(prompt, 'subject smiling');
    expect(screen.getByTestId('generate-summary').textContent).toContain('seed 42');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(fake.fn['jobs:start']).toHaveBeenCalledWith({ input: { prompt: 'subject smiling', seed: 42 } });

    const card = await screen.findByTestId('job-card');
    await user.click(within(card).getByRole('button', { name: /Reuse this seed/ }));
    expect(useDraft.getState().values.seed).toBe(777);
    expect(
      (within(screen.getByTestId('seed-field')).getByRole('textbox', { name: 'Seed' }) as HTMLInputElement).value,
    ).toBe('777');
    expect(screen.getByTestId('toasts').textContent).toContain('Seed 777 locked');

    await user.click(within(screen.getByTestId('seed-field')).getByRole('radio', { name: 'Random' }));
    expect(useDraft.getState().values.seed).toBeUndefined();
    expect(within(screen.getByTestId('seed-field')).queryByRole('textbox')).toBeNull();
  });

  it('the gallery detail reuses a run’s seed', async () => {
    const run: RunDetailT = {
      ...sampleRun(T0),
      input: { prompt: 'subject in a sunlit studio', seed: 1234 },
      version: null,
      predictionId: null,
      predictTime: null,
      source: null,
      mask: null,
    };
    const { user } = await studio((f) => {
      f.handle('library:list', () => ok([run]));
      f.handle('library:get', () => ok(run));
    });
    await user.click(screen.getByRole('button', { name: 'Gallery' }));
    await openRunOfTile(user, 'subject in a sunlit studio');
    const detail = await screen.findByTestId('run-detail');
    await user.click(within(detail).getByRole('button', { name: /Reuse this seed/ }));
    expect(useDraft.getState().values.seed).toBe(1234);
  });
});

describe('parameters', () => {
  it('go_fast shows the effective LoRA scale; extra_lora is checked as you type', async () => {
    const { user } = await studio();
    await user.click(screen.getByRole('button', { name: /More settings/ }));
    const lora = screen.getByRole('textbox', { name: 'Likeness strength (LoRA scale)' });
    await user.clear(lora);
    await user.type(lora, '0.8');
    expect(screen.queryByTestId('effective-lora')).toBeNull();
    await user.click(screen.getByRole('switch', { name: 'Go fast' }));
    expect(screen.getByTestId('effective-lora').textContent).toContain('effective scale 1.2');

    const extra = screen.getByRole('textbox', { name: 'Extra LoRA' });
    await user.type(extra, 'huggingface');
    expect(screen.getByText(/Use a Replicate model \(owner\/name/)).toBeTruthy();
    await user.clear(extra);
    await user.type(extra, 'huggingface.co/ada/film-look');
    expect(screen.queryByText(/Use a Replicate model \(owner\/name/)).toBeNull();
    expect(screen.getByText('A Hugging Face model.')).toBeTruthy();
  });

  it('presets: save the current values under a name, list them, apply one, delete one', async () => {
    let stored: PresetT[] = [];
    const { user, fake } = await studio((f) => {
      f.handle('presets:list', () => ok(stored));
      f.handle('presets:save', (req) => {
        stored = [...stored.filter((p) => p.name !== req.name), { name: req.name, values: req.values, savedAt: T0 }];
        return ok(stored);
      });
      f.handle('presets:remove', (req) => {
        stored = stored.filter((p) => p.name !== req.name);
        return ok(stored);
      });
    });
    await user.click(screen.getByRole('radio', { name: /^4:5/ }));
    act(() => useDraft.getState().setValue('num_inference_steps', 12));
    await user.click(screen.getByRole('button', { name: 'Presets' }));
    const panel = screen.getByRole('dialog', { name: 'Presets' });
    expect(within(panel).getByText(/No presets yet/)).toBeTruthy();
    await user.type(within(panel).getByLabelText('Save the current settings as'), 'Portrait drafts');
    await user.click(within(panel).getByRole('button', { name: 'Save' }));
    expect(fake.fn['presets:save']).toHaveBeenCalledWith({
      name: 'Portrait drafts',
      values: { aspect_ratio: '4:5', num_inference_steps: 12 },
    });

    act(() => useDraft.getState().resetValues());
    expect(useDraft.getState().values).toEqual({});
    await user.click(screen.getByRole('button', { name: 'Presets' }));
    const again = screen.getByRole('dialog', { name: 'Presets' });
    expect(within(again).getByText('4:5 · 12 steps')).toBeTruthy();
    await user.click(within(again).getByRole('button', { name: 'Apply Portrait drafts' }));
    expect(useDraft.getState().values).toEqual({ aspect_ratio: '4:5', num_inference_steps: 12 });
    expect(screen.getByRole('radio', { name: /^4:5/ }).getAttribute('aria-checked')).toBe('true');

    await user.click(screen.getByRole('button', { name: 'Presets' }));
    await user.click(screen.getByRole('button', { name: 'Delete the preset Portrait drafts' }));
    expect(fake.fn['presets:remove']).toHaveBeenCalledWith({ name: 'Portrait drafts' });
    expect(await screen.findByText(/No presets yet/)).toBeTruthy();
  });
});
