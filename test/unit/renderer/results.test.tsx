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
    images: j.images.map((im, index) => ({ ...im, index, format: 'webp', kept: false })),
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
      f.handle('library:keep', ({ index, kept }: { index: number; kept: boolean }) => {
        const r = summary(j);
        r.images[index]!.kept = kept;
        return ok(r);
      });
    });
    const card = await screen.findByTestId('job-card');
    const thumbs = card.querySelectorAll<HTMLElement>('.thumb');
    expect(thumbs).toHaveLength(2);
    // The second photo's compare box has the focus (as after Tab): K stars photo 2.
    within(thumbs[1]!).getByRole('checkbox').focus();
    await user.keyboard('k');
    await waitFor(() => expect(fake.fn['library:keep']).toHaveBeenCalledWith({ runId: 'run_1', index: 1, kept: true }));
    expect(fake.fn['library:keep']).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(within(thumbs[1]!).getByRole('button', { name: 'Kept' }).getAttribute('aria-pressed')).toBe('true'));
    expect(within(thumbs[0]!).getByRole('button', { name: 'Keep this photo' })).toBeTruthy();
    // The tooltip says so.
    expect(within(thumbs[0]!).getByRole('button', { name: 'Keep this photo' }).getAttribute('title')).toContain('(K)');
  });
});

describe('the top pill counts photos, as Generate and the cards do (bug 5)', () => {
  it('one generation of 4 photos is “4 photos in progress”; saved photos leave the count; jobs add up', async () => {
    const { fake } = await studio();
    act(() => fake.emit('jobs:progress', job({ state: 'running', numOutputs: 4, images: [], updatedAt: T0 + 1, progress: { step: 3, total: 28, percent: 10 } })));
    expect(await screen.findByRole('button', { name: '4 photos in progress' })).toBeTruthy();
    // Two of them are on disk already: two to go.
    act(() => fake.emit('jobs:progress', job({ state: 'downloading', numOutputs: 4, images: job().images, updatedAt: T0 + 2 })));
    expect(await screen.findByRole('button', { name: '2 photos in progress' })).toBeTruthy();
    // A second generation of one photo joins.
    act(() => fake.emit('jobs:progress', job({ id: 'job_2', runId: 'run_2', state: 'queued', numOutputs: 1, images: [], createdAt: T0 + 5, updatedAt: T0 + 5 })));
    expect(await screen.findByRole('button', { name: '3 photos in progress' })).toBeTruthy();
    act(() => fake.emit('jobs:progress', job({ state: 'saved', numOutputs: 4, updatedAt: T0 + 9 })));
    expect(await screen.findByRole('button', { name: '1 photo in progress' })).toBeTruthy();
    act(() => fake.emit('jobs:progress', job({ id: 'job_2', runId: 'run_2', state: 'canceled', numOutputs: 1, images: [], createdAt: T0 + 5, updatedAt: T0 + 9 })));
    await waitFor(() => expect(screen.queryByRole('button', { name: /in progress/ })).toBeNull());
  });
});

describe('results cards show photos in their real aspect ratio', () => {
  it('each photo’s frame has the photo’s own ratio (no square crop), and slots still to come take the run’s', async () => {
    const { fake } = await studio();
    act(() => fake.emit('jobs:progress', job({ state: 'downloading', numOutputs: 3, images: job().images.slice(0, 1), updatedAt: T0 + 2 })));
    const card = await screen.findByTestId('job-card');
    const frames = [...card.querySelectorAll<HTMLElement>('.thumb')];
    expect(frames).toHaveLength(3);
    for (const f of frames) expect(f.style.aspectRatio.replace(/\s/g, '')).toBe('896/1088');
    const img = within(frames[0]!).getByRole('img');
    expect([img.getAttribute('width'), img.getAttribute('height')]).toEqual(['896', '1088']);
    // A landscape run next to it keeps its own shape.
    act(() => fake.emit('jobs:progress', job({ id: 'job_2', runId: 'run_2', createdAt: T0 + 5, updatedAt: T0 + 6, numOutputs: 1, images: [{ id: 'runs/run_2/1.webp', width: 1344, height: 768 }] })));
    const [newest] = await screen.findAllByTestId('job-card');
    expect(newest!.querySelector<HTMLElement>('.thumb')!.style.aspectRatio.replace(/\s/g, '')).toBe('1344/768');
  });
});
