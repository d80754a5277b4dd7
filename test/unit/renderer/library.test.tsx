// @vitest-environment happy-dom
/**
 * The library as a person meets it (issue 12): "Show in folder" names the photo being looked at;
 * a library switch leaves nothing of the old library on screen (Results column, shelf, compare,
 * the open run, the starting photo); the notice about the previous library, its move and its
 * "use the default folder" button.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../renderer/app/App';
import type { JobViewT, RunDetailT, RunSummaryT } from '../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, ok, type FakeStudio } from './fake-studio';
import { startWith, teardown } from './setup';

afterEach(teardown);

const T0 = 1_764_000_000_000;

function run(over: Partial<RunSummaryT> = {}): RunSummaryT {
  return {
    id: 'run_1',
    createdAt: T0,
    prompt: 'subject at a café',
    label: 'subject at a café',
    modelRef: 'sandrasocial/sseelfie-ai',
    mode: 'txt2img',
    seed: 42,
    images: [
      { id: 'runs/run_1/1.webp', width: 896, height: 1088, index: 0, format: 'webp', kept: false },
      // the safety checker removed the photo in between: positions and indexes differ
      { id: 'runs/run_1/3.webp', width: 896, height: 1088, index: 2, format: 'webp', kept: false },
    ],
    warnings: [],
    ...over,
  };
}
const detail = (r: RunSummaryT): RunDetailT => ({ ...r, input: { prompt: r.prompt }, version: null, predictionId: 'p1', predictTime: 3, source: null, mask: null });
function savedJob(r: RunSummaryT, over: Partial<JobViewT> = {}): JobViewT {
  return {
    id: 'job_1',
    runId: r.id,
    state: 'saved',
    label: r.label,
    modelRef: r.modelRef,
    prompt: r.prompt,
    createdAt: T0,
    updatedAt: T0 + 10,
    numOutputs: r.images.length,
    seed: 42,
    warnings: [],
    images: r.images.map((im) => ({ id: im.id, width: im.width, height: im.height })),
    ...over,
  };
}

async function app(setup: (fake: FakeStudio) => void = () => {}) {
  const user = userEvent.setup();
  const fake = createFakeStudio({ token: WITH_TOKEN });
  setup(fake);
  startWith(fake, <App />);
  await screen.findByTestId('canvas-slot');
  return { user, fake };
}

describe('"Show in folder" selects the photo', () => {
  it('on the run page: each photo names its own index; the header shows the run folder', async () => {
    const r = run();
    const { user, fake } = await app((f) => {
      f.handle('library:list', () => ok([r]));
      f.handle('library:get', () => ok(detail(r)));
    });
    await user.click(await screen.findByRole('button', { name: 'Gallery' }));
    await user.click(await screen.findByRole('button', { name: /Open “subject at a café”/ }));
    const page = await screen.findByTestId('run-detail');
    await user.click(await within(page).findByRole('button', { name: 'Show photo 2 in its folder' }));
    expect(fake.fn['library:reveal']).toHaveBeenLastCalledWith({ runId: 'run_1', index: 2 });
    await user.click(within(page).getByRole('button', { name: 'Show photo 1 in its folder' }));
    expect(fake.fn['library:reveal']).toHaveBeenLastCalledWith({ runId: 'run_1', index: 0 });
    await user.click(within(page).getByRole('button', { name: /Show in folder/ }));
    expect(fake.fn['library:reveal']).toHaveBeenLastCalledWith({ runId: 'run_1' });
  });

  it('in the studio: the photo shown large is the one revealed', async () => {
    const r = run();
    const { user, fake } = await app((f) => {
      f.handle('library:list', () => ok([r]));
      f.handle('jobs:list', () => ok([savedJob(r)]));
    });
    await user.click(await screen.findByRole('button', { name: 'Show photo 2 large' }));
    await user.click(within(screen.getByTestId('canvas-slot')).getByRole('button', { name: 'Show in folder' }));
    expect(fake.fn['library:reveal']).toHaveBeenLastCalledWith({ runId: 'run_1', index: 2 });
  });
});
