// @vitest-environment happy-dom
/**
 * The studio's results column (issue 12): K on a result card stars that photo, the top pill
 * counts photos, photos keep their real aspect ratio, and a failed card offers Try again only
 * where trying again can help (the same request, through the normal start path).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../renderer/app/App';
import { useJobs } from '../../../renderer/features/results/jobs-store';
import type { JobViewT, RunSummaryT } from '../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, ok, type FakeStudio } from './fake-studio';
import { startWith, teardown } from './setup';

afterEach(teardown);

const T0 = 1_764_000_000_000;

function job(over: Partial<JobViewT> = {}): JobViewT {
  return {
    id: 'job_1',
    runId: 'run_1',
    state: 'saved',
    label: 'subject at a café',
    modelRef: 'sandrasocial/sseelfie-ai',
    prompt: 'subject at a café',
    createdAt: T0,
    updatedAt: T0 + 10,
    numOutputs: 2,
    seed: 42,
    warnings: [],
    images: [
      { id: 'runs/run_1/1.webp', width: 896, height: 1088 },
      { id: 'runs/run_1/2.webp', width: 896, height: 1088 },
    ],
    ...over,
  };
}

function summary(j: JobViewT): RunSummaryT {
  return {
    id: j.runId,
    createdAt: j.createdAt,
    prompt: j.prompt,
    label: j.label,
    modelRef: j.modelRef,
    mode: 'txt2img',
    seed: j.seed ?? null,
    images: j.images.map((im, index) => ({ ...im, index, format: 'webp', flag: null, rating: 0 })),
    warnings: [],
  };
}

async function studio(setup: (fake: FakeStudio) => void = () => {}) {
  const user = userEvent.setup();
  const fake = createFakeStudio({ token: WITH_TOKEN });
  setup(fake);
  startWith(fake, <App />);
  await screen.findByTestId('canvas-slot');
  return { user, fake };
}

describe('results card: K keeps the photo that has the focus (bug 4)', () => {
  it('K on a focused photo of a card stars that photo, and only that one', async () => {
    const j = job();
    const { user, fake } = await studio((f) => {
      f.handle('jobs:list', () => ok([j]));
      f.handle('library:setFlag', ({ items, flag }: { items: { index: number }[]; flag: 'pick' | 'reject' | null }) => {
        const r = summary(j);
        r.images[items[0]!.index]!.flag = flag;
        return ok([r]);
      });
    });
    const card = await screen.findByTestId('job-card');
    const thumbs = card.querySelectorAll<HTMLElement>('.thumb');
    expect(thumbs).toHaveLength(2);
    // The second photo's compare box has the focus (as after Tab): K stars photo 2.
    within(thumbs[1]!).getByRole('checkbox').focus();
    await user.keyboard('k');
    await waitFor(() =>
      expect(fake.fn['library:setFlag']).toHaveBeenCalledWith({ items: [{ runId: 'run_1', index: 1 }], flag: 'pick' }),
    );
    expect(fake.fn['library:setFlag']).toHaveBeenCalledTimes(1);
    await waitFor(() =>
      expect(within(thumbs[1]!).getByRole('button', { name: 'Picked' }).getAttribute('aria-pressed')).toBe('true'),
    );
    expect(within(thumbs[0]!).getByRole('button', { name: 'Pick this photo' })).toBeTruthy();
    // The tooltip says so.
    expect(within(thumbs[0]!).getByRole('button', { name: 'Pick this photo' }).getAttribute('title')).toContain('(P)');
  });
});

describe('the top pill counts photos, as Generate and the cards do (bug 5)', () => {
  it('one generation of 4 photos is “4 photos in progress”; saved photos leave the count; jobs add up', async () => {
    const { fake } = await studio();
    act(() =>
      fake.emit(
        'jobs:progress',
        job({
          state: 'running',
          numOutputs: 4,
          images: [],
          updatedAt: T0 + 1,
          progress: { step: 3, total: 28, percent: 10 },
        }),
      ),
    );
    expect(await screen.findByRole('button', { name: '4 photos in progress' })).toBeTruthy();
    // Two of them are on disk already: two to go.
    act(() =>
      fake.emit('jobs:progress', job({ state: 'downloading', numOutputs: 4, images: job().images, updatedAt: T0 + 2 })),
    );
    expect(await screen.findByRole('button', { name: '2 photos in progress' })).toBeTruthy();
    // A second generation of one photo joins.
    act(() =>
      fake.emit(
        'jobs:progress',
        job({
          id: 'job_2',
          runId: 'run_2',
          state: 'queued',
          numOutputs: 1,
          images: [],
          createdAt: T0 + 5,
          updatedAt: T0 + 5,
        }),
      ),
    );
    expect(await screen.findByRole('button', { name: '3 photos in progress' })).toBeTruthy();
    act(() => fake.emit('jobs:progress', job({ state: 'saved', numOutputs: 4, updatedAt: T0 + 9 })));
    expect(await screen.findByRole('button', { name: '1 photo in progress' })).toBeTruthy();
    act(() =>
      fake.emit(
        'jobs:progress',
        job({
          id: 'job_2',
          runId: 'run_2',
          state: 'canceled',
          numOutputs: 1,
          images: [],
          createdAt: T0 + 5,
          updatedAt: T0 + 9,
        }),
      ),
    );
    await waitFor(() => expect(screen.queryByRole('button', { name: /in progress/ })).toBeNull());
  });
});

describe('results cards show photos in their real aspect ratio', () => {
  it('each photo’s frame has the photo’s own ratio (no square crop), and slots still to come take the run’s', async () => {
    const { fake } = await studio();
    act(() =>
      fake.emit(
        'jobs:progress',
        job({ state: 'downloading', numOutputs: 3, images: job().images.slice(0, 1), updatedAt: T0 + 2 }),
      ),
    );
    const card = await screen.findByTestId('job-card');
    const frames = [...card.querySelectorAll<HTMLElement>('.thumb')];
    expect(frames).toHaveLength(3);
    for (const f of frames) expect(f.style.aspectRatio.replace(/\s/g, '')).toBe('896/1088');
    const img = within(frames[0]!).getByRole('img');
    expect([img.getAttribute('width'), img.getAttribute('height')]).toEqual(['896', '1088']);
    // A landscape run next to it keeps its own shape.
    act(() =>
      fake.emit(
        'jobs:progress',
        job({
          id: 'job_2',
          runId: 'run_2',
          createdAt: T0 + 5,
          updatedAt: T0 + 6,
          numOutputs: 1,
          images: [{ id: 'runs/run_2/1.webp', width: 1344, height: 768 }],
        }),
      ),
    );
    const [newest] = await screen.findAllByTestId('job-card');
    expect(newest!.querySelector<HTMLElement>('.thumb')!.style.aspectRatio.replace(/\s/g, '')).toBe('1344/768');
  });
});

describe('a failed card offers Try again where trying again can help', () => {
  /** Generate from the prompt panel; main answers with a queued job. */
  async function generate(user: ReturnType<typeof userEvent.setup>, fake: FakeStudio, numOutputs = 1) {
    let n = 0;
    fake.handle('jobs:start', () => {
      n++;
      return ok(
        job({
          id: `job_${n}`,
          runId: `run_${n}`,
          state: 'queued',
          numOutputs,
          images: [],
          createdAt: T0 + n * 100,
          updatedAt: T0 + n * 100,
        }),
      );
    });
    await screen.findByRole('radiogroup', { name: 'Aspect ratio' });
    await user.type(screen.getByLabelText('Describe the photo'), 'subject at a café');
    if (numOutputs > 1) {
      const count = screen.getByRole('textbox', { name: 'Number of photos' });
      await user.clear(count);
      await user.type(count, String(numOutputs));
    }
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(fake.fn['jobs:start']).toHaveBeenCalledTimes(1));
    return fake.fn['jobs:start'].mock.calls[0]![0] as { input: Record<string, unknown> };
  }
  function fails(
    fake: FakeStudio,
    code: NonNullable<JobViewT['error']>['code'],
    message: string,
    over: Partial<JobViewT> = {},
  ) {
    act(() =>
      fake.emit(
        'jobs:progress',
        job({
          state: 'failed',
          images: [],
          numOutputs: 1,
          createdAt: T0 + 100,
          updatedAt: T0 + 150,
          error: { code, message },
          ...over,
        }),
      ),
    );
  }

  it('a server error: Try again sends the same request through jobs.start; the new card takes the failed one’s place', async () => {
    const { user, fake } = await studio();
    const first = await generate(user, fake);
    fails(fake, 'server', 'Replicate had a problem (503). It usually passes within minutes; try again.');
    const card = await screen.findByRole('article', { name: /^Failed: / });
    await user.click(within(card).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(fake.fn['jobs:start']).toHaveBeenCalledTimes(2));
    expect(fake.fn['jobs:start'].mock.calls[1]![0]).toEqual({ ...first, repeat: true }); // the same request, marked as deliberate so main does not take it for a double click
    expect(fake.fn['jobs:retry']).not.toHaveBeenCalled(); // that one is for jobs stopped part-way
    await waitFor(() => expect(fake.fn['jobs:dismiss']).toHaveBeenCalledWith({ jobId: 'job_1' }));
    await waitFor(() => expect(screen.getAllByTestId('job-card')).toHaveLength(1));
    expect(screen.getByTestId('job-card').getAttribute('data-state')).toBe('queued');
  });

  it('out of memory: the hint, and the same request with 1 photo', async () => {
    const { user, fake } = await studio();
    await generate(user, fake, 4);
    fails(
      fake,
      'out_of_memory',
      'The model ran out of memory on Replicate. Try fewer images at once or a smaller size.',
      { numOutputs: 4 },
    );
    const card = await screen.findByRole('article', { name: /^Failed: / });
    expect(within(card).getByText('Fewer photos at once, or a smaller size, need less memory.')).toBeTruthy();
    await user.click(within(card).getByRole('button', { name: 'With 1 photo' }));
    await waitFor(() => expect(fake.fn['jobs:start']).toHaveBeenCalledTimes(2));
    expect((fake.fn['jobs:start'].mock.calls[1]![0] as { input: Record<string, unknown> }).input).toMatchObject({
      prompt: 'subject at a café',
      num_outputs: 1,
    });
  });

  it('not for input to fix or no credit (the message says what to do); a bad token points to Settings', async () => {
    const { user, fake } = await studio();
    await generate(user, fake);
    fails(
      fake,
      'insufficient_credit',
      'Your Replicate account is out of credit. Add credit at replicate.com/account/billing, wait a few minutes, then try again.',
    );
    let card = await screen.findByRole('article', { name: /^Failed: / });
    expect(within(card).getByText(/out of credit/)).toBeTruthy();
    expect(within(card).queryByRole('button', { name: 'Try again' })).toBeNull();

    fails(fake, 'invalid_input', 'Replicate refused the input: width must be a multiple of 16.', {
      updatedAt: T0 + 160,
    });
    card = await screen.findByRole('article', { name: /^Failed: / });
    await within(card).findByText(/multiple of 16/);
    expect(within(card).queryByRole('button', { name: 'Try again' })).toBeNull();

    fails(fake, 'unauthenticated', 'Replicate did not accept your API token. Check it in Settings.', {
      updatedAt: T0 + 170,
    });
    await user.click(await within(card).findByRole('button', { name: 'Open Settings' }));
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeTruthy();
  });

  it('safety: only with a random seed (a locked seed makes the same photo again)', async () => {
    const { user, fake } = await studio();
    await generate(user, fake);
    fails(
      fake,
      'safety',
      "Replicate's safety checker removed every image of this run. Rephrase the prompt and try again.",
    );
    const card = await screen.findByRole('article', { name: /^Failed: / });
    expect(within(card).getByRole('button', { name: 'Try again' })).toBeTruthy();
    expect(within(card).getByText(/new random seed/)).toBeTruthy();
    act(() =>
      useJobs.setState((s) => ({
        requests: { job_1: { ...s.requests.job_1!, input: { ...s.requests.job_1!.input, seed: 7 } } },
      })),
    );
    expect(within(card).queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('a failed job from before a reload (its request unknown): says how, and puts its prompt back', async () => {
    const { user } = await studio((f) => {
      f.handle('jobs:list', () =>
        ok([job({ state: 'failed', images: [], error: { code: 'network', message: 'Could not reach Replicate.' } })]),
      );
    });
    const card = await screen.findByRole('article', { name: /^Failed: / });
    expect(within(card).queryByRole('button', { name: 'Try again' })).toBeNull();
    await user.click(within(card).getByRole('button', { name: 'Use this prompt' }));
    expect((screen.getByLabelText('Describe the photo') as HTMLTextAreaElement).value).toBe('subject at a café');
  });

  it('the kept request is dropped once the job is saved (a mask can weigh megabytes)', async () => {
    const { user, fake } = await studio();
    await generate(user, fake);
    expect(Object.keys(useJobs.getState().requests)).toEqual(['job_1']);
    act(() => fake.emit('jobs:progress', job({ state: 'saved', createdAt: T0 + 100, updatedAt: T0 + 200 })));
    expect(useJobs.getState().requests).toEqual({});
  });
});
