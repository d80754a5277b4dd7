// @vitest-environment happy-dom
/**
 * The training form and a training's progress: the suggested trigger word, Simple presets and
 * Advanced values as the inputs sent, the form's problems in words, the estimate, a training in
 * words; and in the view over a fake bridge, the form from the trainer's schema, Train sending
 * the set (never a path), progress from `training:progress`, Cancel confirmed, Retry, and the
 * list after a reload.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TrainerInfoT, TrainingSetViewT, TrainingViewT } from '../../../../shared/ipc/contract';
import { TrainView } from '../../../../renderer/features/training/TrainView';
import { resetTraining } from '../../../../renderer/features/training/training-store';
import { resetTrainings } from '../../../../renderer/features/training/trainings-store';
import {
  advancedFields,
  duration,
  estimateWords,
  formInput,
  formProblems,
  progressWords,
  seededRandom,
  slugName,
  suggestTrigger,
  type TrainForm,
} from '../../../../renderer/features/training/train-logic';
import { swapTrigger } from '../../../../renderer/features/params/model-choice';
import { ModelPicker } from '../../../../renderer/features/params/ModelPicker';
import { useModel } from '../../../../renderer/features/params/model-store';
import { useSettings } from '../../../../renderer/features/settings/settings-store';
import { useDraft } from '../../../../renderer/features/params/draft-store';
import { createFakeStudio, ok, fail, type FakeStudio } from '../fake-studio';
import { startWith, teardown } from '../setup';
import { setPhoto } from './set-photo';

afterEach(() => {
  teardown();
  resetTraining();
  resetTrainings();
});

const f = (name: string, over: object = {}) => ({
  name,
  title: name.replace(/(^|_)(\w)/g, (_m, s: string, c: string) => (s ? ' ' : '') + c.toUpperCase()),
  type: 'integer' as const,
  required: false,
  order: 0,
  ...over,
});
const OSTRIS: TrainerInfoT = {
  ref: 'ostris/flux-dev-lora-trainer',
  versionId: 'v'.repeat(64),
  description: 'Fine-tune FLUX.1-dev using ai-toolkit',
  fields: [
    f('input_images', { type: 'string', format: 'uri', required: true, order: 0 }),
    f('trigger_word', { type: 'string', default: 'TOK', order: 1 }),
    f('autocaption', { type: 'boolean', default: true, order: 2, description: 'Caption the photos' }),
    f('steps', { minimum: 3, maximum: 6000, default: 1000, order: 3, description: 'Number of training steps' }),
    f('learning_rate', { type: 'number', default: 0.0004, order: 4 }),
    f('lora_rank', { minimum: 1, maximum: 128, default: 16, order: 5 }),
    f('optimizer', { type: 'string', default: 'adamw8bit', order: 6 }),
    f('hf_repo_id', { type: 'string', order: 7 }),
    f('wandb_project', { type: 'string', order: 8 }),
    f('skip_training_and_use_pretrained_hf_lora_url', { type: 'string', order: 9 }),
  ],
  hardware: 'gpu-h100',
  pricePerSecond: 0.001525,
  priceAsOf: '2026-12-03',
  speed: { secondsPerStep: 1.05, setupSeconds: 240 },
  priceFile: '/lib/.sseelfie/training-prices.json',
};
const FORM: TrainForm = {
  name: 'ada-brand',
  triggerWord: 'DBRNQX',
  trainer: OSTRIS.ref,
  mode: 'simple',
  preset: 'balanced',
  values: {},
};

function training(over: Partial<TrainingViewT> = {}): TrainingViewT {
  return {
    id: 'tr1',
    state: 'running',
    destination: 'ada/ada-brand',
    trainer: OSTRIS.ref,
    triggerWord: 'DBRNQX',
    photos: 12,
    createdAt: 1000,
    updatedAt: 1000,
    ...over,
  };
}

describe('the form’s logic', () => {
  it('suggests a made-up trigger word from the name, the same for the same name, never one already used', () => {
    const w = suggestTrigger('ada-brand', [], seededRandom('ada-brand'));
    expect(w).toMatch(/^DBRN[QXZJK]{2}$/);
    expect(suggestTrigger('ada-brand', [], seededRandom('ada-brand'))).toBe(w);
    const other = suggestTrigger('ada-brand', [w], seededRandom('ada-brand'));
    expect(other).not.toBe(w);
    expect(other).toMatch(/^DBRN/);
    expect(suggestTrigger('', [], seededRandom(''))).toMatch(/^SSL[QXZJK]{3}$/);
  });

  it('a model name from what the person typed', () => {
    expect(slugName('Ada’s Brand Model')).toBe('adas-brand-model');
    expect(slugName('  Zoë  2025 ')).toBe('zoe-2025');
  });

  it('Simple sends the preset’s fields the trainer has; Advanced the values the person set, as numbers', () => {
    expect(formInput({ ...FORM, preset: 'quick' }, OSTRIS)).toEqual({ steps: 600, lora_rank: 16 });
    expect(formInput({ ...FORM, preset: 'best' }, OSTRIS)).toEqual({ steps: 2000, lora_rank: 32 });
    expect(
      formInput(
        { ...FORM, mode: 'advanced', values: { steps: '300', learning_rate: '0.0002', autocaption: false } },
        OSTRIS,
      ),
    ).toEqual({ steps: 300, learning_rate: 0.0002, autocaption: false });
  });

  it('the Advanced form is the trainer’s own fields, without the app’s own, files, or those that need another service’s secret', () => {
    expect(advancedFields(OSTRIS).map((x) => x.name)).toEqual([
      'autocaption',
      'steps',
      'learning_rate',
      'lora_rank',
      'optimizer',
    ]);
  });

  it('says what is wrong, by field', () => {
    expect(formProblems({ ...FORM, name: 'Ada Brand', triggerWord: 'photo' }, OSTRIS)).toMatchObject({
      name: expect.stringMatching(/lowercase letters/),
      triggerWord: expect.stringMatching(/"photo" is a word the model already knows/),
    });
    expect(
      formProblems({ ...FORM, mode: 'advanced', values: { steps: '9000', lora_rank: 'many' } }, OSTRIS).fields,
    ).toEqual({
      steps: 'Steps must be between 3 and 6000.',
      lora_rank: 'Lora Rank must be a number.',
    });
    expect(formProblems(FORM, undefined).trainer).toMatch(/not loaded yet/);
  });

  it('the estimate before Train: steps, time and cost, dated, and where to correct the prices', () => {
    const e = estimateWords(FORM, OSTRIS)!;
    expect(e.line).toBe('1000 steps · about 22 min · about $1.97');
    expect(e.source).toContain('price table of 2026-12-03 (gpu-h100 at $0.001525/s)');
    expect(e.source).toContain('/lib/.sseelfie/training-prices.json');
    expect(estimateWords({ ...FORM, mode: 'advanced', values: {} }, OSTRIS)!.line).toMatch(/^1000 steps/); // the default
    expect(estimateWords(FORM, { ...OSTRIS, speed: null })!.line).toMatch(/No time estimate.*\$0\.001525 a second/);
  });

  it('a training in words: the bar from the logs, elapsed, time left, cost so far; failures with Retry when it helps', () => {
    const running = progressWords(
      training({
        progress: { step: 420, total: 1000, percent: 42, etaSec: 600 },
        elapsedSec: 480,
        cost: { usd: 1.65, estimated: true, priceAsOf: '2026-12-03' },
      }),
    );
    expect(running).toMatchObject({ title: 'Training your model…', percent: 42, canCancel: true, canRetry: false });
    expect(running.facts).toEqual([
      'Step 420 of 1000',
      'Elapsed 8 min',
      'About 10 min left',
      'About $1.65 in all (prices of 2026-12-03)',
    ]);
    expect(progressWords(training({ state: 'uploading' }))).toMatchObject({
      percent: null,
      title: 'Uploading your photos…',
    });
    const failed = progressWords(
      training({
        state: 'failed',
        retryable: true,
        error: {
          code: 'server',
          message: 'Replicate could not save the trained model (a fault on their side). Press Retry.',
        },
      }),
    );
    expect(failed).toMatchObject({ canRetry: true, canCancel: false, error: expect.stringMatching(/Press Retry/) });
    const done = progressWords(
      training({
        state: 'succeeded',
        elapsedSec: 1300,
        predictTime: 1290,
        cost: { usd: 1.97, estimated: false, priceAsOf: '2026-12-03' },
      }),
    );
    expect(done).toMatchObject({ percent: 100, title: 'Your model is ready' });
    expect(done.facts).toEqual(['Took 22 min', '$1.97 (1290 s billed, prices of 2026-12-03)']);
    expect(duration(3900)).toBe('1 h 05 min');
  });

  it('choosing a model swaps the old trigger word in the prompt for the new one, or puts it in front', () => {
    expect(swapTrigger('subject at a desk, subject smiling', 'subject', 'DBRNQX')).toBe(
      'DBRNQX at a desk, DBRNQX smiling',
    );
    expect(swapTrigger('at a desk', 'subject', 'DBRNQX')).toBe('DBRNQX, at a desk');
    expect(swapTrigger('', 'subject', 'DBRNQX')).toBe('');
  });
});

// ---------- the view over a fake bridge ----------

const photo = (n: number) => setPhoto(n, {}, `me-${n}.jpg`);
const READY: TrainingSetViewT = {
  id: 't_set000',
  photos: Array.from({ length: 12 }, (_, i) => photo(i)),
  summary: { included: 12, excluded: 0, unchecked: 0, ready: true, problems: [] },
  checkedAt: 1,
};

function studio(list: TrainingViewT[] = []): FakeStudio {
  const fake = createFakeStudio();
  fake.handle('trainingset:list', () => ok(READY));
  fake.handle('training:trainers', () => ok([OSTRIS]));
  fake.handle('training:list', () => ok({ trainings: list, models: [] }));
  return fake;
}

describe('the training form in the Train view', () => {
  it('Simple: a name, the suggested trigger word explained, a preset, the estimate; Train sends the set and the preset', async () => {
    const user = userEvent.setup();
    const fake = studio();
    fake.handle('training:start', (req) => ok(training({ state: 'queued', destination: `ada/${req.name}` })));
    startWith(fake, <TrainView />);
    const form = await screen.findByTestId('train-form');
    const name = within(form).getByLabelText('Model name');
    await user.type(name, 'Ada Brand');
    await user.tab();
    expect((name as HTMLInputElement).value).toBe('ada-brand');
    const trigger = within(form).getByLabelText('Trigger word') as HTMLInputElement;
    await waitFor(() => expect(trigger.value).toMatch(/^DBRN[QXZJK]{2}$/));
    expect(within(form).getByText('The word that means your face in a prompt.')).toBeTruthy();
    await user.click(within(form).getByRole('radio', { name: 'Quick' }));
    expect(screen.getByTestId('training-estimate').textContent).toContain('600 steps · about 15 min · about $1.33');
    await user.click(within(form).getByRole('button', { name: 'Train' }));
    await waitFor(() => expect(fake.fn['training:start']).toHaveBeenCalled());
    expect(fake.fn['training:start'].mock.calls[0]![0]).toEqual({
      setId: 't_set000',
      name: 'ada-brand',
      triggerWord: trigger.value,
      trainer: OSTRIS.ref,
      preset: 'quick',
    });
    expect(await screen.findByTestId('training-card')).toBeTruthy();
  });

  it('Advanced: the trainer’s fields with their defaults and ranges; a bad value stops Train with the reason by the field', async () => {
    const user = userEvent.setup();
    const fake = studio();
    fake.handle('training:start', () => ok(training({ state: 'queued' })));
    startWith(fake, <TrainView />);
    const form = await screen.findByTestId('train-form');
    await user.type(within(form).getByLabelText('Model name'), 'ada-brand');
    await user.click(within(form).getByRole('radio', { name: 'Advanced' }));
    const fields = screen.getByTestId('trainer-fields');
    const steps = within(fields).getByLabelText('Steps') as HTMLInputElement;
    expect(steps.value).toBe('1000'); // the Balanced preset it started from
    expect(within(fields).getByText('Number of training steps. Default: 1000.')).toBeTruthy();
    expect(within(fields).getByText('3–6000')).toBeTruthy();
    expect(within(fields).getByText(/Default: 0\.0004\./)).toBeTruthy();
    expect(within(fields).queryByLabelText('Hf Repo Id')).toBeNull();
    await user.clear(steps);
    await user.type(steps, '9000');
    expect(within(fields).getByText('Steps must be between 3 and 6000.')).toBeTruthy();
    expect((within(form).getByRole('button', { name: 'Train' }) as HTMLButtonElement).disabled).toBe(true);
    await user.clear(steps);
    await user.type(steps, '300');
    await user.click(within(fields).getByRole('switch', { name: 'Autocaption' }));
    expect(screen.getByTestId('training-estimate').textContent).toContain('300 steps');
    await user.click(within(form).getByRole('button', { name: 'Train' }));
    await waitFor(() => expect(fake.fn['training:start']).toHaveBeenCalled());
    expect(fake.fn['training:start'].mock.calls[0]![0]).toMatchObject({
      input: { steps: 300, lora_rank: 16, autocaption: false },
    });
    expect(fake.fn['training:start'].mock.calls[0]![0]).not.toHaveProperty('preset');
  });

  it('main’s refusal lands in words by the field it names', async () => {
    const user = userEvent.setup();
    const fake = studio();
    fake.handle('training:start', () =>
      fail('invalid_input', 'Only 9 photos are included, and a training needs at least 10.', [
        { field: 'photos', message: 'Only 9 photos are included.' },
      ]),
    );
    startWith(fake, <TrainView />);
    const form = await screen.findByTestId('train-form');
    await user.type(within(form).getByLabelText('Model name'), 'ada-brand');
    await user.click(within(form).getByRole('button', { name: 'Train' }));
    expect(await within(form).findByText('Only 9 photos are included, and a training needs at least 10.')).toBeTruthy();
  });

  it('after a reload: the running training from training:list, then its progress events; Cancel asks first', async () => {
    const user = userEvent.setup();
    const fake = studio([training({ state: 'running', progress: { step: 100, total: 1000, percent: 10 } })]);
    fake.handle('training:cancel', () => ok(training({ state: 'running', status: 'Canceling…' })));
    startWith(fake, <TrainView />);
    const card = await screen.findByTestId('training-card');
    expect(within(card).getByTestId('training-facts').textContent).toContain('Step 100 of 1000');
    // Train waits while a training runs
    expect(screen.getByText(/A training is running \(ada\/ada-brand\)/)).toBeTruthy();
    act(() =>
      fake.emit(
        'training:progress',
        training({
          state: 'running',
          updatedAt: 2000,
          progress: { step: 500, total: 1000, percent: 50, etaSec: 540 },
          elapsedSec: 600,
          cost: { usd: 1.7, estimated: true, priceAsOf: '2026-12-03' },
        }),
      ),
    );
    expect(within(card).getByTestId('training-facts').textContent).toBe(
      '50% · Step 500 of 1000 · Elapsed 10 min · About 9 min left · About $1.70 in all (prices of 2026-12-03)',
    );
    expect(within(card).getByTestId('training-bar').getAttribute('aria-valuenow')).toBe('50');
    await user.click(within(card).getByRole('button', { name: 'Cancel…' }));
    expect(fake.fn['training:cancel']).not.toHaveBeenCalled();
    expect(within(card).getByText(/The time it has run is billed/)).toBeTruthy();
    await user.click(within(card).getByRole('button', { name: 'Keep training' }));
    expect(fake.fn['training:cancel']).not.toHaveBeenCalled();
    await user.click(within(card).getByRole('button', { name: 'Cancel…' }));
    await user.click(within(card).getByRole('button', { name: 'Cancel training' }));
    await waitFor(() => expect(fake.fn['training:cancel']).toHaveBeenCalledWith({ id: 'tr1' }));
  });

  it('a platform fault: the failure in words and Retry; earlier trainings listed below', async () => {
    const user = userEvent.setup();
    const failed = training({
      state: 'failed',
      retryable: true,
      error: {
        code: 'server',
        message: 'Replicate’s machine could not write its files (“read-only file system”). Press Retry.',
      },
    });
    const fake = studio([
      failed,
      training({
        id: 'tr0',
        state: 'canceled',
        createdAt: 500,
        destination: 'ada/old',
        error: { code: 'canceled', message: 'Canceled.' },
      }),
    ]);
    fake.handle('training:retry', () => ok(training({ id: 'tr2', state: 'queued', createdAt: 3000 })));
    startWith(fake, <TrainView />);
    const card = await screen.findByTestId('training-card');
    expect(within(card).getByText(/read-only file system/)).toBeTruthy();
    expect(screen.getByTestId('training-history').textContent).toContain('ada/old');
    await user.click(within(card).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(fake.fn['training:retry']).toHaveBeenCalledWith({ id: 'tr1' }));
    await waitFor(() => expect(screen.getByTestId('training-card').dataset.state).toBe('queued'));
  });
});

describe('the studio’s model picker', () => {
  it('lists the trained models with their trigger words; choosing one makes it the model and swaps the prompt’s trigger word', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio();
    const ref = `ada/ada-brand:${'a'.repeat(64)}`;
    fake.handle('training:list', () =>
      ok({
        trainings: [],
        models: [
          {
            ref,
            destination: 'ada/ada-brand',
            versionId: 'a'.repeat(64),
            triggerWord: 'DBRNQX',
            trainer: OSTRIS.ref,
            trainingId: 'rt1',
            trainedAt: Date.UTC(2026, 11, 3),
          },
        ],
      }),
    );
    startWith(fake, <ModelPicker />);
    await waitFor(() => expect(useSettings.getState().settings).toBeTruthy());
    await useModel.getState().load();
    useDraft.getState().setPrompt('subject at a desk');
    await user.click(screen.getByRole('button', { name: 'Change' }));
    const picker = await screen.findByTestId('model-picker');
    await waitFor(() => expect(picker.textContent).toContain('trigger word DBRNQX'));
    await user.click(within(picker).getByRole('button', { name: /ada\/ada-brand/ }));
    await waitFor(() => expect(fake.fn['settings:update']).toHaveBeenCalledWith({ defaultModel: ref }));
    expect(useDraft.getState().prompt).toBe('DBRNQX at a desk');
    expect(screen.queryByTestId('model-picker')).toBeNull();
  });
});
