// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../renderer/app/App';
import { StudioClientError, client } from '../../../renderer/app/client';
import { useJobs } from '../../../renderer/features/results/jobs-store';
import type { JobViewT, RunDetailT, RunSummaryT } from '../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, fail, installFakeStudio, ok, sampleRun } from './fake-studio';
import { openRunOfTile, startWith, teardown } from './setup';

afterEach(teardown);

const T0 = 1_764_000_000_000;
function job(over: Partial<JobViewT> = {}): JobViewT {
  return {
    id: 'job_1',
    runId: 'run_1',
    state: 'queued',
    label: 'subject at a café',
    modelRef: 'sandrasocial/sseelfie-ai',
    prompt: 'subject at a café',
    createdAt: T0,
    updatedAt: T0,
    numOutputs: 2,
    warnings: [],
    images: [],
    ...over,
  };
}

async function studio() {
  const user = userEvent.setup();
  const fake = createFakeStudio({ token: WITH_TOKEN });
  startWith(fake, <App />);
  await screen.findByTestId('canvas-slot');
  await screen.findByRole('radiogroup', { name: 'Aspect ratio' }); // model schema loaded
  return { user, fake };
}

describe('studio: prompt, Generate and job progress', () => {
  it('Generate is disabled with a reason until there is a prompt, then starts a job with the input', async () => {
    const { user, fake } = await studio();
    const generate = screen.getByRole('button', { name: 'Generate' }) as HTMLButtonElement;
    expect(generate.disabled).toBe(true);
    expect(screen.getByText('Write a prompt to generate.')).toBeTruthy();
    expect(generate.getAttribute('aria-describedby')).toBeTruthy();

    fake.handle('jobs:start', () => ok(job()));
    await user.type(screen.getByLabelText('Describe the photo'), 'subject at a café');
    await user.click(screen.getByRole('radio', { name: /^4:5/ }));
    expect(generate.disabled).toBe(false);
    expect(screen.getByText(/1 photo at 896 × 1088/)).toBeTruthy();
    await user.click(generate);
    expect(fake.fn['jobs:start']).toHaveBeenCalledWith({ input: { prompt: 'subject at a café', aspect_ratio: '4:5' } });
    expect(await screen.findByTestId('job-card')).toBeTruthy();
  });

  it('Cmd/Ctrl+Enter in the prompt generates', async () => {
    const { user, fake } = await studio();
    fake.handle('jobs:start', () => ok(job()));
    await user.type(screen.getByLabelText('Describe the photo'), 'subject smiling');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(fake.fn['jobs:start']).toHaveBeenCalledTimes(1));
  });

  it('a scene fills the prompt with the model’s trigger word; a prompt without it gets a hint', async () => {
    const { user } = await studio();
    await user.click(screen.getByRole('button', { name: 'Speaking on stage' }));
    const prompt = screen.getByLabelText('Describe the photo') as HTMLTextAreaElement;
    expect(prompt.value).toMatch(/^subject speaking on stage/);
    await user.clear(prompt);
    await user.type(prompt, 'a woman in a blue blazer');
    expect(screen.getByText(/Include your trigger word/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add it' }));
    expect(prompt.value).toBe('subject, a woman in a blue blazer');
    expect(screen.queryByText(/Include your trigger word/)).toBeNull();
  });

  it('main’s error for Generate shows in words, with field messages inline', async () => {
    const { user, fake } = await studio();
    fake.handle('jobs:start', () =>
      fail('invalid_input', 'Some settings need attention.', [
        { field: 'guidance_scale', message: 'Guidance must be between 0 and 10.' },
      ]),
    );
    await user.type(screen.getByLabelText('Describe the photo'), 'subject');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(await screen.findByText('Some settings need attention.')).toBeTruthy();
    expect(await screen.findByText('Guidance must be between 0 and 10.')).toBeTruthy();
  });

  it('progress events update the card: state, step N of M, the bar, Cancel, then the saved photos', async () => {
    const { user, fake } = await studio();
    act(() =>
      fake.emit(
        'jobs:progress',
        job({ state: 'running', updatedAt: T0 + 1, progress: { step: 7, total: 28, percent: 25 } }),
      ),
    );
    const card = await screen.findByTestId('job-card');
    expect(within(card).getByText('Generating')).toBeTruthy();
    expect(within(card).getByText('Step 7 of 28')).toBeTruthy();
    expect(within(card).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');

    fake.handle('jobs:cancel', () => ok(job({ state: 'canceled', updatedAt: T0 + 2 })));
    await user.click(within(card).getByRole('button', { name: 'Cancel' }));
    expect(fake.fn['jobs:cancel']).toHaveBeenCalledWith({ jobId: 'job_1' });
    expect(await within(card).findByText('Canceled')).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Cancel' })).toBeNull();

    // An older event arriving late does not undo the newer state.
    act(() =>
      fake.emit(
        'jobs:progress',
        job({ state: 'running', updatedAt: T0 + 1, progress: { step: 8, total: 28, percent: 28 } }),
      ),
    );
    expect(within(card).getByText('Canceled')).toBeTruthy();

    act(() =>
      fake.emit(
        'jobs:progress',
        job({
          id: 'job_2',
          runId: 'run_2',
          state: 'saved',
          createdAt: T0 + 10,
          updatedAt: T0 + 20,
          images: [
            { id: 'runs/run_2/0.webp', width: 1024, height: 1024 },
            { id: 'runs/run_2/1.webp', width: 1024, height: 1024 },
          ],
        }),
      ),
    );
    const cards = await screen.findAllByTestId('job-card');
    expect(cards[0]!.getAttribute('data-state')).toBe('saved'); // newest first
    const imgs = within(cards[0]!).getAllByRole('img');
    expect(imgs.map((i) => i.getAttribute('src'))).toEqual([
      'studio-asset://asset/runs/run_2/0.webp',
      'studio-asset://asset/runs/run_2/1.webp',
    ]);

    // “Start from this” makes it the starting photo in the middle panel.
    await user.click(within(cards[0]!).getAllByRole('button', { name: /Start from this/ })[0]!);
    expect(within(screen.getByTestId('canvas-slot')).getByRole('img').getAttribute('src')).toBe(
      'studio-asset://asset/runs/run_2/0.webp',
    );
    expect(screen.getByText('Starting from a photo')).toBeTruthy();
  });

  it('a failed job says what happened, in words', async () => {
    const { fake } = await studio();
    act(() =>
      fake.emit(
        'jobs:progress',
        job({
          state: 'failed',
          updatedAt: T0 + 5,
          error: {
            code: 'insufficient_credit',
            message: 'Your Replicate account is out of credit. Add credit at replicate.com/account/billing.',
          },
        }),
      ),
    );
    const card = await screen.findByTestId('job-card');
    expect(within(card).getByText('Failed')).toBeTruthy();
    expect(within(card).getByText(/out of credit/)).toBeTruthy();
  });

  it('a job stopped by a full disk says where the photos are and offers Try again', async () => {
    const { user, fake } = await studio();
    const message =
      'Could not save to your library: the disk is full. The downloaded photos are kept safe in /u/rescued/job_1; free some space (or fix the folder) and press Try again, and they go into the library.';
    act(() =>
      fake.emit('jobs:progress', job({ state: 'downloading', updatedAt: T0 + 5, error: { code: 'disk', message } })),
    );
    const card = await screen.findByTestId('job-card');
    expect(within(card).getByText('Stopped')).toBeTruthy();
    expect(within(card).getByText(/kept safe in/)).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Cancel' })).toBeNull();
    fake.handle('jobs:retry', () => ok(job({ state: 'downloading', updatedAt: T0 + 6 })));
    await user.click(within(card).getByRole('button', { name: 'Try again' }));
    expect(fake.fn['jobs:retry']).toHaveBeenCalledWith({ jobId: 'job_1' });
    expect(await within(card).findByRole('button', { name: 'Cancel' })).toBeTruthy();
    expect(within(card).queryByText(/kept safe in/)).toBeNull();
  });

  it('a model that cannot be loaded is explained, and Generate says so', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio({ token: WITH_TOKEN });
    fake.handle('models:get', () =>
      fail(
        'not_found',
        'Replicate has no model “ada/nope” (or it is private to another account). Check the name in Settings.',
      ),
    );
    startWith(fake, <App />);
    expect(await screen.findByText(/Replicate has no model “ada\/nope”/)).toBeTruthy();
    expect(screen.getByText('The model’s settings could not be loaded; see the message above.')).toBeTruthy();
    fake.handle('models:get', (req: { refresh?: boolean }) => {
      expect(req.refresh).toBe(true);
      return ok({ ref: 'ada/nope', owner: 'ada', name: 'nope', versionId: null, fields: [], source: 'live' as const });
    });
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('ada/nope')).toBeTruthy();
  });

  it('jobs still running at start-up are shown from jobs.list', async () => {
    const fake = createFakeStudio({ token: WITH_TOKEN });
    fake.handle('jobs:list', () => ok([job({ state: 'submitted' })]));
    startWith(fake, <App />);
    expect(await screen.findByText('Sent to Replicate')).toBeTruthy();
    // Its 2 photos (not "1", the job): the pill counts what Generate and the card count.
    expect(screen.getByRole('button', { name: '2 photos in progress' })).toBeTruthy();
  });
});

const RUN: RunSummaryT = sampleRun(T0);
const DETAIL: RunDetailT = {
  ...RUN,
  input: { prompt: RUN.prompt, aspect_ratio: '4:5', go_fast: true, guidance_scale: 2.5 },
  version: 'abc',
  predictionId: 'p1',
  predictTime: 7.25,
  source: null,
  mask: null,
};

describe('gallery', () => {
  it('lists runs, refreshes on library:changed, and opens a run with its parameters', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio({ token: WITH_TOKEN });
    startWith(fake, <App />);
    await user.click(await screen.findByRole('button', { name: 'Gallery' }));
    expect(await screen.findByText('Your gallery is empty')).toBeTruthy();

    fake.handle('library:list', () => ok([RUN]));
    fake.handle('library:get', () => ok(DETAIL));
    act(() => fake.emit('library:changed', { runId: 'run_9', reason: 'added' }));
    await openRunOfTile(user, 'subject in a sunlit studio');
    const detail = await screen.findByTestId('run-detail');
    expect(fake.fn['library:get']).toHaveBeenCalledWith({ runId: 'run_9' });
    expect(within(detail).getByRole('img').getAttribute('src')).toBe('studio-asset://asset/runs/run_9/0.webp');
    expect(within(detail).getByText('Aspect ratio')).toBeTruthy();
    expect(within(detail).getByText('4:5')).toBeTruthy();
    expect(within(detail).getByText('Go fast')).toBeTruthy();
    expect(within(detail).getByText('On')).toBeTruthy();
    expect(within(detail).getByText('7.3 s')).toBeTruthy();

    // “Remix” fills the studio's form.
    await user.click(within(detail).getByRole('button', { name: /Remix/ }));
    expect(((await screen.findByLabelText('Describe the photo')) as HTMLTextAreaElement).value).toBe(
      'subject in a sunlit studio',
    );
  });

  it('delete asks first and then removes the run', async () => {
    const user = userEvent.setup();
    const fake = createFakeStudio({ token: WITH_TOKEN });
    // Like main: a removed run is not listed again (the grid asks when it is shown).
    let runs = [RUN];
    fake.handle('library:list', () => ok(runs));
    fake.handle('library:get', () => ok(DETAIL));
    fake.handle('library:remove', () => {
      runs = [];
      return ok({ token: 'del_1', state: 'pending' as const, photos: 1, runs: 1, undoUntil: Date.now() + 10_000 });
    });
    startWith(fake, <App />);
    await user.click(await screen.findByRole('button', { name: 'Gallery' }));
    await openRunOfTile(user, 'subject in a sunlit studio');
    await user.click(await screen.findByRole('button', { name: /Delete…/ }));
    expect(fake.fn['library:remove']).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(fake.fn['library:remove']).toHaveBeenCalledWith({ runId: 'run_9' }));
    // Back in the gallery, and the run is not listed any more.
    await waitFor(() =>
      expect(screen.queryAllByRole('gridcell', { name: /^“subject in a sunlit studio”/ })).toHaveLength(0),
    );
  });
});

describe('client', () => {
  it('unwraps Results and throws StudioClientError with code, message and fields', async () => {
    const fake = createFakeStudio();
    installFakeStudio(fake);
    expect(await client.settings.get()).toMatchObject({ theme: 'system' });
    fake.handle('settings:update', () =>
      fail('invalid_input', 'Not valid.', [{ field: 'theme', message: 'Pick one.' }]),
    );
    const err = await client.settings.update({ theme: 'dark' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioClientError);
    expect((err as StudioClientError).code).toBe('invalid_input');
    expect((err as StudioClientError).fieldMessage('theme')).toBe('Pick one.');
  });

  it('a bridge that rejects becomes an internal error in words', async () => {
    const fake = createFakeStudio();
    installFakeStudio(fake);
    fake.fn['jobs:list'].mockImplementation(async () => {
      throw new Error('channel closed');
    });
    await useJobs.getState().load();
    expect(useJobs.getState().error?.code).toBe('internal');
    expect(useJobs.getState().error?.message).toContain('channel closed');
  });
});

describe('selfie shelf', () => {
  const SELFIE = {
    id: 'selfie_1',
    name: 'me-at-home.heic',
    addedAt: T0,
    width: 3024,
    height: 4032,
    image: { id: 'selfies/selfie_1.jpg', width: 1080, height: 1440 },
    thumb: { id: 'selfies/selfie_1.thumb.jpg', width: 192, height: 256 },
  };

  it('imports picked files through main, lists them, explains the ones it refused', async () => {
    const { user, fake } = await studio();
    expect(screen.getByText(/Add a few selfies/)).toBeTruthy();
    fake.handle('selfies:import', () =>
      ok({
        imported: [SELFIE],
        duplicates: [],
        errors: [
          { name: 'broken.jpg', code: 'corrupt_file' as const, message: 'This photo is damaged and cannot be opened.' },
        ],
      }),
    );
    fake.handle('selfies:list', () => ok([SELFIE]));
    const files = [
      new File([new Uint8Array([1, 2, 3])], 'me-at-home.heic', { type: 'image/heic' }),
      new File([new Uint8Array([0])], 'broken.jpg', { type: 'image/jpeg' }),
    ];
    await user.upload(screen.getByTestId('selfie-input') as HTMLInputElement, files);
    expect(await screen.findByText('Added 1 selfie.')).toBeTruthy();
    expect(screen.getByText('1 file could not be added:')).toBeTruthy();
    expect(screen.getByText('broken.jpg: This photo is damaged and cannot be opened.')).toBeTruthy();
    const req = fake.fn['selfies:import'].mock.calls[0]![0] as { files: File[] };
    expect(req.files.map((f) => f.name)).toEqual(['me-at-home.heic', 'broken.jpg']);

    // Picking it makes it the starting photo: the size now comes from it.
    await user.click(screen.getByRole('button', { name: 'Selfie me-at-home.heic' }));
    expect(within(screen.getByTestId('canvas-slot')).getByRole('img').getAttribute('src')).toBe(
      'studio-asset://asset/selfies/selfie_1.jpg',
    );
    // main crops the sides down to multiples of 16 (1080 → 1072), so the model makes 1072 × 1440.
    expect(screen.getByTestId('output-size').textContent).toContain('1072 × 1440 px');

    // Removing asks first.
    await user.click(screen.getByRole('button', { name: 'Remove me-at-home.heic from the shelf' }));
    expect(fake.fn['selfies:remove']).not.toHaveBeenCalled();
    await user.click(
      within(screen.getByRole('alertdialog', { name: 'Remove me-at-home.heic?' })).getByRole('button', {
        name: 'Remove',
      }),
    );
    expect(fake.fn['selfies:remove']).toHaveBeenCalledWith({ id: 'selfie_1' });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Selfie me-at-home.heic' })).toBeNull());
    expect(within(screen.getByTestId('canvas-slot')).queryByRole('img')).toBeNull();
  });

  it('a photo already on the shelf is said as such, not counted as added (issue 12, bug 3)', async () => {
    const { user, fake } = await studio();
    const four = ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg'].map((name, i) => ({ ...SELFIE, id: `selfie_${i + 2}`, name }));
    fake.handle('selfies:import', () =>
      ok({
        imported: four,
        duplicates: [{ name: 'IMG_0042.jpg', id: 'selfie_1', shelfName: 'IMG_0042.jpg' }],
        errors: [],
      }),
    );
    const files = ['a.jpg', 'b.jpg', 'IMG_0042.jpg', 'c.jpg', 'd.jpg'].map(
      (n) => new File([new Uint8Array([1])], n, { type: 'image/jpeg' }),
    );
    await user.upload(screen.getByTestId('selfie-input') as HTMLInputElement, files);
    const result = await screen.findByTestId('import-result');
    await waitFor(() =>
      expect(result.textContent).toContain('Added 4 selfies · 1 already on the shelf (IMG_0042.jpg)'),
    );
    expect(result.textContent).not.toContain('Added 5');

    // Only photos already there: nothing is called added; a different name says which selfie it is.
    await user.click(within(result).getByRole('button', { name: 'Dismiss' }));
    fake.handle('selfies:import', () =>
      ok({ imported: [], duplicates: [{ name: 'copy.jpg', id: 'selfie_1', shelfName: 'IMG_0042.jpg' }], errors: [] }),
    );
    await user.upload(screen.getByTestId('selfie-input') as HTMLInputElement, [
      new File([new Uint8Array([1])], 'copy.jpg', { type: 'image/jpeg' }),
    ]);
    const again = await screen.findByTestId('import-result');
    await waitFor(() => expect(again.textContent).toContain('copy.jpg is already on the shelf (as “IMG_0042.jpg”).'));
    expect(again.textContent).not.toContain('Added');
  });

  it('a failed import says why in words', async () => {
    const { user, fake } = await studio();
    fake.handle('selfies:import', () =>
      fail('locked', 'Another Sseelfie Studio is writing to this library. Close it and try again.'),
    );
    await user.upload(screen.getByTestId('selfie-input') as HTMLInputElement, [
      new File([new Uint8Array([1])], 'a.jpg', { type: 'image/jpeg' }),
    ]);
    expect(await screen.findByText(/Another Sseelfie Studio is writing/)).toBeTruthy();
  });
});
