// @vitest-environment happy-dom
/**
 * The newest photo large in the studio's centre (issue 12): Generate turns the centre to the new
 * run, its photos show when they arrive, a click on a result shows it there (the studio stays),
 * the arrows walk the filmstrip and on into the next run, K keeps the shown photo, Esc returns;
 * picking a base photo still opens the painter, and the painter's mask is still what Generate
 * sends while the viewer covers it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../renderer/app/App';
import { useNav } from '../../../renderer/app/nav-store';
import { useSelection } from '../../../renderer/features/studio/selection-store';
import { currentMask, maskDocFor, resetMaskSession } from '../../../renderer/features/canvas/mask-session';
import { stageTarget, stepPhoto, useStage } from '../../../renderer/features/results/stage/stage-store';
import { fitScale, anchorScroll } from '../../../renderer/features/results/stage/fit';
import type { JobViewT, RunDetailT } from '../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, ok, type FakeStudio } from './fake-studio';
import { startWith, teardown } from './setup';

afterEach(() => {
  teardown();
  resetMaskSession();
});

const T0 = 1_764_000_000_000;
const img = (run: string, i: number, w = 896, h = 1088) => ({ id: `runs/${run}/${i}.webp`, width: w, height: h });

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
    images: [img('run_1', 0), img('run_1', 1)],
    ...over,
  };
}

const SELFIE = { assetId: 'selfies/s1/display.jpg', width: 600, height: 800, label: 'Selfie “me.jpg”' };

async function studio(setup: (fake: FakeStudio) => void = () => {}) {
  const user = userEvent.setup();
  const fake = createFakeStudio({ token: WITH_TOKEN });
  setup(fake);
  startWith(fake, <App />);
  await screen.findByTestId('canvas-slot');
  await screen.findByRole('radiogroup', { name: 'Aspect ratio' });
  return { user, fake };
}

const slot = () => screen.getByTestId('canvas-slot');
const shownSrc = () => within(slot()).getByTestId('stage-photo').getAttribute('src');

describe('the centre after Generate', () => {
  it('turns to the new run at once (its progress), then shows its first photo large with the filmstrip', async () => {
    const { user, fake } = await studio();
    expect(slot().getAttribute('data-shows')).toBe('empty');
    fake.handle('jobs:start', () => ok(job({ state: 'queued', images: [], updatedAt: T0 })));
    await user.type(screen.getByLabelText('Describe the photo'), 'subject at a café');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(slot().getAttribute('data-shows')).toBe('result'));
    expect(within(slot()).getByTestId('stage-pending')).toBeTruthy();
    act(() =>
      fake.emit(
        'jobs:progress',
        job({ state: 'running', images: [], updatedAt: T0 + 1, progress: { step: 7, total: 28, percent: 25 } }),
      ),
    );
    expect(within(slot()).getByText('Step 7 of 28')).toBeTruthy();

    act(() => fake.emit('jobs:progress', job({ updatedAt: T0 + 5 })));
    expect(shownSrc()).toBe('studio-asset://asset/runs/run_1/0.webp');
    expect(within(slot()).getByTestId('result-meta').textContent).toBe('Photo 1 of 2 · 896 × 1088 · seed 42');
    const strip = within(screen.getByTestId('filmstrip')).getAllByRole('button', { name: /^Photo \d of 2$/ });
    expect(strip.map((b) => b.getAttribute('aria-current'))).toEqual(['true', null]);
    // The results card marks the photo that is shown.
    expect(screen.getByTestId('job-card').querySelectorAll('.thumb')[0]!.classList.contains('is-shown')).toBe(true);
  });

  it('a click on a result shows it in the centre: the studio stays; the run page is an explicit control', async () => {
    const { user } = await studio((f) => f.handle('jobs:list', () => ok([job()])));
    const card = await screen.findByTestId('job-card');
    await user.click(within(card).getByRole('button', { name: 'Show photo 2 large' }));
    expect(useNav.getState().view).toBe('studio');
    expect(shownSrc()).toBe('studio-asset://asset/runs/run_1/1.webp');
    // The keyboard follows it there.
    expect(document.activeElement).toBe(screen.getByTestId('stage-viewport'));
    await user.click(within(card).getByRole('button', { name: 'Details' }));
    expect(useNav.getState()).toMatchObject({ view: 'gallery', openRunId: 'run_1' });
  });

  it('← → walk the filmstrip, then on into the neighbouring run; K keeps the shown photo; Esc returns', async () => {
    const older = job();
    const newer = job({
      id: 'job_2',
      runId: 'run_2',
      createdAt: T0 + 100,
      updatedAt: T0 + 110,
      numOutputs: 1,
      images: [img('run_2', 0, 1344, 768)],
    });
    const { fake } = await studio((f) => {
      f.handle('jobs:list', () => ok([older, newer]));
      f.handle(
        'library:setFlag',
        ({ items, flag }: { items: { runId: string; index: number }[]; flag: 'pick' | 'reject' | null }) => {
          const { runId, index } = items[0]!;
          const j = runId === 'run_1' ? older : newer;
          return ok([
            {
              id: runId,
              createdAt: j.createdAt,
              prompt: j.prompt,
              label: j.label,
              modelRef: j.modelRef,
              mode: 'txt2img' as const,
              seed: 42,
              images: j.images.map((im, i) => ({
                ...im,
                index: i,
                format: 'webp',
                flag: i === index ? flag : null,
                rating: 0,
              })),
              warnings: [],
            },
          ]);
        },
      );
    });
    await waitFor(() => expect(shownSrc()).toBe('studio-asset://asset/runs/run_2/0.webp')); // the newest photos
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    expect(shownSrc()).toBe('studio-asset://asset/runs/run_1/0.webp');
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    expect(shownSrc()).toBe('studio-asset://asset/runs/run_1/1.webp');
    fireEvent.keyDown(window, { key: 'ArrowRight' }); // the end
    expect(shownSrc()).toBe('studio-asset://asset/runs/run_1/1.webp');
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    fireEvent.keyDown(window, { key: 'ArrowLeft' });
    expect(shownSrc()).toBe('studio-asset://asset/runs/run_2/0.webp');
    fireEvent.keyDown(window, { key: 'ArrowRight' });
    fireEvent.keyDown(window, { key: 'ArrowRight' });

    // Arrows in the prompt or on a slider are theirs.
    const prompt = screen.getByLabelText('Describe the photo');
    fireEvent.keyDown(prompt, { key: 'ArrowLeft' });
    fireEvent.keyDown(screen.getByRole('slider', { name: 'Number of photos slider' }), { key: 'ArrowLeft' });
    expect(shownSrc()).toBe('studio-asset://asset/runs/run_1/1.webp');

    fireEvent.keyDown(window, { key: 'k' });
    await waitFor(() =>
      expect(fake.fn['library:setFlag']).toHaveBeenCalledWith({ items: [{ runId: 'run_1', index: 1 }], flag: 'pick' }),
    );
    await waitFor(() =>
      expect(
        within(screen.getByRole('group', { name: 'Photo' }))
          .getByRole('button', { name: 'Picked' })
          .getAttribute('aria-pressed'),
      ).toBe('true'),
    );
    // Typed in the prompt, K is a letter.
    fireEvent.keyDown(prompt, { key: 'k' });
    expect(fake.fn['library:setFlag']).toHaveBeenCalledTimes(1);

    // Z: 100 %; Esc: fit; Esc: back to the start (the newest photo one click away).
    fireEvent.keyDown(window, { key: 'z' });
    expect(screen.getByTestId('stage-viewport').getAttribute('data-zoom')).toBe('actual');
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.getByTestId('stage-viewport').getAttribute('data-zoom')).toBe('fit');
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(slot().getAttribute('data-shows')).toBe('empty');
    fireEvent.click(within(slot()).getByRole('button', { name: 'Show the newest photo' }));
    expect(shownSrc()).toBe('studio-asset://asset/runs/run_2/0.webp');
  });
});

describe('the viewer and the mask painter', () => {
  const DETAIL = (j: JobViewT, mode: RunDetailT['mode'], input: Record<string, unknown>): RunDetailT => ({
    id: j.runId,
    createdAt: j.createdAt,
    prompt: j.prompt,
    label: j.label,
    modelRef: j.modelRef,
    mode,
    seed: 42,
    images: j.images.map((im, index) => ({ ...im, index, format: 'webp', flag: null, rating: 0 })),
    warnings: [],
    input,
    version: null,
    predictionId: 'p1',
    predictTime: 3,
    source: { id: `runs/${j.runId}/source.jpg`, width: 592, height: 800 },
    mask: mode === 'inpaint' ? { id: `runs/${j.runId}/mask.png`, width: 592, height: 800 } : null,
  });

  it('picking a base opens the painter; Generate turns to the result; the switch says which is shown; the mask still goes to Generate', async () => {
    const { user, fake } = await studio();
    act(() => useSelection.getState().setSource(SELFIE));
    expect(slot().getAttribute('data-shows')).toBe('editor');
    expect(screen.queryByTestId('centre-switch')).toBeNull();
    // Something painted on the base.
    act(() => void maskDocFor(SELFIE.assetId, 600, 800).doc.push({ kind: 'fill' }));
    await waitFor(() => expect(screen.getByTestId('canvas-mode').textContent).toBe('Repainting the masked area'));

    const started = job({ state: 'queued', images: [], numOutputs: 1, updatedAt: T0 });
    fake.handle('jobs:start', () => ok(started));
    await user.type(screen.getByLabelText('Describe the photo'), 'subject in a red scarf');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await waitFor(() => expect(slot().getAttribute('data-shows')).toBe('result'));
    const sent = fake.fn['jobs:start'].mock.calls[0]![0] as { mask?: { width: number } };
    expect(sent.mask?.width).toBe(600);
    const sw = screen.getByTestId('centre-switch');
    expect(within(sw).getByRole('button', { name: 'Result' }).getAttribute('aria-pressed')).toBe('true');
    // The painter is covered: the mask is still the one Generate reads.
    expect(screen.queryByTestId('mask-editor')).toBeNull();
    expect(currentMask(SELFIE.assetId)?.width).toBe(600);
    expect(screen.getByTestId('generate-summary').textContent).toContain('repainting the masked area');

    // Its photo arrives: large, with before/after (main's prepared copy of the base) and the strength.
    const saved = job({ numOutputs: 1, images: [img('run_1', 0, 592, 800)], updatedAt: T0 + 9 });
    fake.handle('library:get', () => ok(DETAIL(saved, 'inpaint', { prompt: saved.prompt, prompt_strength: 0.55 })));
    act(() => fake.emit('jobs:progress', saved));
    await waitFor(() =>
      expect(within(slot()).getByTestId('result-meta').textContent).toContain('Repainted area · strength 0.55'),
    );
    expect(within(screen.getByTestId('job-card')).getByTestId('job-strength').textContent).toBe(
      'Repainted area · strength 0.55',
    );
    const before = within(slot()).getByTestId('stage-before') as HTMLImageElement;
    expect(before.getAttribute('src')).toBe('studio-asset://asset/runs/run_1/source.jpg');
    expect(before.hidden).toBe(true);
    // Press and hold: the starting photo in its place; let go: the result.
    const hold = screen.getByRole('button', { name: 'Before: hold to see the starting photo' });
    fireEvent.pointerDown(hold, { pointerId: 1 });
    expect(before.hidden).toBe(false);
    expect(hold.getAttribute('aria-pressed')).toBe('true');
    fireEvent.pointerUp(hold, { pointerId: 1 });
    expect(before.hidden).toBe(true);
    fireEvent.keyDown(window, { key: 'b' });
    expect(before.hidden).toBe(false);
    fireEvent.keyUp(window, { key: 'b' });
    expect(before.hidden).toBe(true);

    // Another generation runs; back to the painter meanwhile, the mask as it was.
    act(() =>
      fake.emit(
        'jobs:progress',
        job({ id: 'job_0', runId: 'run_0', createdAt: T0 + 15, updatedAt: T0 + 15, state: 'running', images: [] }),
      ),
    );
    await user.click(within(sw).getByRole('button', { name: 'Edit the starting photo' }));
    expect(slot().getAttribute('data-shows')).toBe('editor');
    expect(screen.getByTestId('canvas-mode').textContent).toBe('Repainting the masked area');

    // Its photo arriving does not take the centre from the painter: "Result" says new.
    act(() =>
      fake.emit(
        'jobs:progress',
        job({
          id: 'job_0',
          runId: 'run_0',
          createdAt: T0 + 15,
          updatedAt: T0 + 20,
          state: 'downloading',
          images: [img('run_0', 0)],
        }),
      ),
    );
    expect(slot().getAttribute('data-shows')).toBe('editor');
    expect(within(sw).getByRole('button', { name: /Result/ }).textContent).toContain('new');
    await user.click(within(sw).getByRole('button', { name: /Result/ }));
    expect(shownSrc()).toBe('studio-asset://asset/runs/run_0/0.webp');

    // "Start from this" on the shown photo: the painter, on that photo.
    await user.click(
      within(screen.getByRole('group', { name: 'Photo' })).getByRole('button', { name: 'Start from this' }),
    );
    expect(slot().getAttribute('data-shows')).toBe('editor');
    expect(useSelection.getState().source?.assetId).toBe('runs/run_0/0.webp');
    expect(useStage.getState().view).toBe('start');
  });

  it('txt2img runs offer no before/after and no strength', async () => {
    const { fake } = await studio((f) => f.handle('jobs:list', () => ok([job()])));
    fake.handle('library:get', () => ok(DETAIL(job(), 'txt2img', { prompt: 'x' })));
    await waitFor(() => expect(slot().getAttribute('data-shows')).toBe('result'));
    await waitFor(() => expect(fake.fn['library:get']).toHaveBeenCalled());
    expect(screen.queryByRole('button', { name: /Before/ })).toBeNull();
    expect(screen.queryByTestId('job-strength')).toBeNull();
  });
});

describe('stage rules (pure)', () => {
  it('shows the pick, else the followed job, else the newest photos; arrows cross runs in the results order', () => {
    const a = job();
    const b = job({ id: 'job_2', runId: 'run_2', createdAt: T0 + 100, updatedAt: T0 + 50, images: [img('run_2', 0)] });
    const running = job({
      id: 'job_3',
      runId: 'run_3',
      createdAt: T0 + 200,
      updatedAt: T0 + 200,
      state: 'running',
      images: [],
    });
    const byId = { job_1: a, job_2: b, job_3: running };
    // The newest photos are the ones saved last (b was saved after a: updatedAt).
    expect(stageTarget(byId, { pick: null, follow: null })).toMatchObject({ job: { id: 'job_2' }, index: 0 });
    expect(stageTarget(byId, { pick: null, follow: 'job_3' })).toMatchObject({ job: { id: 'job_3' }, index: 0 });
    expect(stageTarget(byId, { pick: { jobId: 'job_1', assetId: a.images[1]!.id }, follow: 'job_3' })).toMatchObject({
      job: { id: 'job_1' },
      index: 1,
    });
    // A pick that is gone falls back.
    expect(stageTarget(byId, { pick: { jobId: 'job_9', assetId: 'x' }, follow: null })?.job.id).toBe('job_2');
    expect(stageTarget({}, { pick: null, follow: 'job_1' })).toBeNull();
    // job_2 (newer) → job_1 photo 0 → photo 1 → end.
    expect(stepPhoto(byId, { job: b, index: 0 }, 1)).toEqual({ jobId: 'job_1', assetId: a.images[0]!.id });
    expect(stepPhoto(byId, { job: a, index: 0 }, 1)).toEqual({ jobId: 'job_1', assetId: a.images[1]!.id });
    expect(stepPhoto(byId, { job: a, index: 1 }, 1)).toBeNull();
    expect(stepPhoto(byId, { job: a, index: 0 }, -1)).toEqual({ jobId: 'job_2', assetId: b.images[0]!.id });
  });

  it('fit never goes above 100 %, keeps room for the bar; zooming keeps the point under the pointer', () => {
    const pad = { top: 56, right: 16, bottom: 16, left: 16 };
    expect(fitScale(600, 600, 896, 1088, pad)).toBeCloseTo((600 - 72) / 1088);
    expect(fitScale(3000, 3000, 896, 1088, pad)).toBe(1);
    // The photo's centre under the viewport's centre.
    expect(anchorScroll(0.5, 0.5, 300, 250, 896, 1088, { x: 24, y: 56 })).toEqual({
      left: 24 + 448 - 300,
      top: 56 + 544 - 250,
    });
    expect(anchorScroll(0, 0, 300, 250, 896, 1088, { x: 24, y: 56 })).toEqual({ left: 0, top: 0 });
  });
});
