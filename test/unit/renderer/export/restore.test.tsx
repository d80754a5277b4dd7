// @vitest-environment happy-dom
/**
 * Restoring settings into the studio's form: the mapping from a model input (every field of the
 * model, nothing pasted into the prompt, a note for what is left out), a dropped photo on the
 * prompt column (not a selfie import), the Presets menu's "Load settings from a photo…", the
 * dismissable banner, and Remix from a run's page (prompt, settings, the seed it used, its photo).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../../renderer/app/App';
import { restoreIntoForm } from '../../../../renderer/features/export/restore';
import { useDraft } from '../../../../renderer/features/params/draft-store';
import { useSelection } from '../../../../renderer/features/studio/selection-store';
import { currentMask, resetMaskSession } from '../../../../renderer/features/canvas/mask-session';
import { BUILTIN_SCHEMA } from '../../../../shared/model/builtin';
import type { Res, RestoredSettingsT, Result, RunDetailT } from '../../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, fail, ok, sampleRun } from '../fake-studio';
import { openRunOfTile, startWith, teardown } from '../setup';

afterEach(() => {
  teardown();
  resetMaskSession();
});

describe('restoreIntoForm', () => {
  it('fills the prompt and every field the model has, and names what it leaves out', () => {
    const f = restoreIntoForm(
      {
        prompt: 'subject at a café',
        seed: 1234,
        num_inference_steps: 30,
        guidance_scale: 3.5,
        aspect_ratio: 'custom',
        width: 1024,
        height: 1536,
        go_fast: false,
        image: 'data:image/png;base64,AAA',
        sampler: 'Euler a',
        extra: { a: 1 },
      },
      BUILTIN_SCHEMA,
      [{ field: 'negative_prompt', message: 'Negative prompt: not supported by FLUX, left out.' }],
    );
    expect(f.prompt).toBe('subject at a café');
    expect(f.values).toEqual({
      seed: 1234,
      num_inference_steps: 30,
      guidance_scale: 3.5,
      aspect_ratio: 'custom',
      width: 1024,
      height: 1536,
      go_fast: false,
    });
    expect(f.notes.map((n) => n.field)).toEqual(['negative_prompt', 'sampler', 'extra']);
    expect(f.notes[1]!.message).toBe('sampler: not a setting of this model, left out.');
  });

  it('a note main already gave for a field is not said twice', () => {
    const f = restoreIntoForm({ prompt: 'p', sampler: 'Euler' }, BUILTIN_SCHEMA, [
      { field: 'sampler', message: 'Sampler: FLUX chooses its own, left out.' },
    ]);
    expect(f.notes).toEqual([{ field: 'sampler', message: 'Sampler: FLUX chooses its own, left out.' }]);
  });
});

const RESTORED: RestoredSettingsT = {
  input: { prompt: 'subject on a rooftop at dusk', seed: 777, num_inference_steps: 20, guidance_scale: 7 },
  notes: [{ field: 'negative_prompt', message: 'Negative prompt: not supported by FLUX, left out.' }],
  source: 'a1111',
  name: 'rooftop.png',
};

function dropFile(target: Element, file: File) {
  const dataTransfer = { types: ['Files'], files: [file], dropEffect: 'none' };
  fireEvent.dragEnter(target, { dataTransfer });
  fireEvent.dragOver(target, { dataTransfer });
  fireEvent.drop(target, { dataTransfer });
}

describe('restore from a photo in the studio', () => {
  it('a photo dropped on the prompt column restores its settings, not a selfie; the banner can be dismissed', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio({ token: WITH_TOKEN });
    fake.handle('export:readSettingsFromFile', () => ok(RESTORED));
    startWith(fake, <App />);
    const prompt = (await screen.findByLabelText('Describe the photo')) as HTMLTextAreaElement;
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'rooftop.png', { type: 'image/png' });
    dropFile(prompt, file);

    const banner = await screen.findByTestId('restore-banner');
    expect(banner.textContent).toContain('rooftop.png');
    expect(banner.textContent).toContain('Negative prompt: not supported by FLUX, left out.');
    expect(fake.fn['export:readSettingsFromFile']).toHaveBeenCalledTimes(1);
    expect((fake.fn['export:readSettingsFromFile'].mock.calls[0]![0] as { files: File[] }).files[0]!.name).toBe(
      'rooftop.png',
    );
    expect(fake.fn['selfies:import']).not.toHaveBeenCalled();
    expect(prompt.value).toBe('subject on a rooftop at dusk');
    expect(useDraft.getState().values).toEqual({ seed: 777, num_inference_steps: 20, guidance_scale: 7 });

    await user.click(within(banner).getByRole('button', { name: 'Dismiss this note' }));
    expect(screen.queryByTestId('restore-banner')).toBeNull();
  });

  it('a photo dropped elsewhere in the studio is still added as a selfie', async () => {
    const fake = createFakeStudio({ token: WITH_TOKEN });
    fake.handle('selfies:import', () => ok({ imported: [], duplicates: [], errors: [] }));
    startWith(fake, <App />);
    await screen.findByLabelText('Describe the photo');
    dropFile(
      screen.getByRole('complementary', { name: 'Results' }),
      new File([new Uint8Array([1])], 'me.jpg', { type: 'image/jpeg' }),
    );
    await waitFor(() => expect(fake.fn['selfies:import']).toHaveBeenCalledTimes(1));
    expect(fake.fn['export:readSettingsFromFile']).not.toHaveBeenCalled();
  });

  it('"Load settings from a photo…" asks main (its open dialog) and says why a file carried none', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio({ token: WITH_TOKEN });
    fake.handle('export:readSettingsFromFile', () =>
      fail(
        'invalid_input',
        'This image carries no generation settings: it was not made by Sseelfie Studio or an AUTOMATIC1111-style tool, or its settings were removed.',
      ),
    );
    startWith(fake, <App />);
    await screen.findByLabelText('Describe the photo');
    await user.click(await screen.findByRole('button', { name: /Presets/ }));
    await user.click(screen.getByRole('button', { name: 'Load settings from a photo…' }));
    expect(fake.fn['export:readSettingsFromFile']).toHaveBeenCalledWith({ files: [] });
    const banner = await screen.findByTestId('restore-banner');
    expect(banner.textContent).toContain('carries no generation settings');
    expect(useDraft.getState().prompt).toBe(''); // nothing else changed
  });
});

describe('Remix', () => {
  it('loads the run’s prompt, every setting, the seed it used and its starting photo', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio({ token: WITH_TOKEN });
    const run = sampleRun(1_764_000_000_000);
    const detail: RunDetailT = {
      ...run,
      seed: 4242,
      mode: 'img2img',
      input: {
        prompt: run.prompt,
        image: 'data:…',
        prompt_strength: 0.7,
        num_inference_steps: 28,
        guidance_scale: 3,
        aspect_ratio: '4:5',
        seed: -1,
      },
      version: 'v',
      predictionId: 'p1',
      predictTime: 3,
      source: { id: 'runs/run_9/source.jpg', width: 896, height: 1152 },
      mask: null,
    };
    fake.handle('library:list', () => ok([run]));
    fake.handle('library:get', () => ok(detail));
    startWith(fake, <App />);
    await screen.findByLabelText('Describe the photo');
    act(() => useDraft.getState().load('something else', { go_fast: true }));
    await user.click(await screen.findByRole('button', { name: 'Gallery' }));
    await openRunOfTile(user, 'subject in a sunlit studio');
    await user.click(within(await screen.findByTestId('run-detail')).getByRole('button', { name: /Remix/ }));

    expect(((await screen.findByLabelText('Describe the photo')) as HTMLTextAreaElement).value).toBe(run.prompt);
    // go_fast from before is gone: the form is the run's, and the seed is the one it used
    expect(useDraft.getState().values).toEqual({
      prompt_strength: 0.7,
      num_inference_steps: 28,
      guidance_scale: 3,
      aspect_ratio: '4:5',
      seed: 4242,
    });
    expect(useSelection.getState().source).toMatchObject({
      assetId: 'runs/run_9/source.jpg',
      width: 896,
      height: 1152,
    });
    expect(screen.getByTestId('restore-banner').textContent).toContain('Remixing');
  });

  /** A repainted run, its starting photo 64 × 48 with the left half painted; `mask` answers export:remixMask. */
  async function remixInpaint(mask: () => Result<Res<'export:remixMask'>>) {
    const user = userEvent.setup();
    const fake = createFakeStudio({ token: WITH_TOKEN });
    const run = sampleRun(1_764_000_000_000);
    const detail: RunDetailT = {
      ...run,
      seed: 77,
      mode: 'inpaint',
      input: { prompt: run.prompt, image: 'source.png', mask: 'mask.png', prompt_strength: 0.85 },
      version: 'v',
      predictionId: 'p1',
      predictTime: 3,
      source: { id: 'runs/run_9/source.png', width: 64, height: 48 },
      mask: { id: 'runs/run_9/mask.png', width: 64, height: 48 },
    };
    fake.handle('library:list', () => ok([run]));
    fake.handle('library:get', () => ok(detail));
    fake.handle('export:remixMask', mask);
    startWith(fake, <App />);
    await screen.findByLabelText('Describe the photo');
    await user.click(await screen.findByRole('button', { name: 'Gallery' }));
    await openRunOfTile(user, 'subject in a sunlit studio');
    await user.click(within(await screen.findByTestId('run-detail')).getByRole('button', { name: /Remix/ }));
    await screen.findByTestId('restore-banner');
    return fake;
  }

  it('a repainted run comes back with its mask on the canvas: repainting, the same pixels Generate sends', async () => {
    const data = new Uint8Array(64 * 48);
    for (let y = 0; y < 48; y++) data.fill(255, y * 64, y * 64 + 32);
    const fake = await remixInpaint(() => ok({ width: 64, height: 48, data }));
    expect(fake.fn['export:remixMask']).toHaveBeenCalledWith({ runId: 'run_9' });
    expect(useSelection.getState().source).toMatchObject({ assetId: 'runs/run_9/source.png', width: 64, height: 48 });
    expect((await screen.findByTestId('canvas-mode')).textContent).toBe('Repainting the masked area');
    expect(screen.getByTestId('restore-banner').textContent).toContain('settings, seed and mask');
    const m = currentMask('runs/run_9/source.png')!;
    expect([m.width, m.height]).toEqual([64, 48]);
    expect(Array.from(m.data)).toEqual(Array.from(data));
  });

  it('a mask that cannot be had is said in the banner; the rest of the run is still loaded', async () => {
    await remixInpaint(() => fail('not_found', 'The mask of this run (mask.png) is missing from its folder.'));
    const banner = screen.getByTestId('restore-banner').textContent!;
    expect(banner).toContain('Its painted mask could not be loaded');
    expect(banner).toContain('mask.png) is missing');
    expect(useSelection.getState().source).toMatchObject({ assetId: 'runs/run_9/source.png' });
    expect((await screen.findByTestId('canvas-mode')).textContent).toBe('Starting from this photo');
    expect(currentMask()).toBeNull();
  });
});
