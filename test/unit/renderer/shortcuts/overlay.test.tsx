// @vitest-environment happy-dom
/**
 * The app-wide shortcuts list (issue 12): "?" opens it in every view (not while typing), it lists
 * the keys of the view you are in plus the global ones, from the same table the handlers match
 * with, and Esc closes it before anything else happens.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../../renderer/app/App';
import { useCompare } from '../../../../renderer/features/compare/compare-store';
import { useNav } from '../../../../renderer/app/nav-store';
import type { RunDetailT, RunSummaryT } from '../../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, ok, sampleRun } from '../fake-studio';
import { startWith, teardown } from '../setup';

afterEach(teardown);

const RUN: RunSummaryT = sampleRun(1_764_000_000_000);
const DETAIL: RunDetailT = {
  ...RUN,
  input: { prompt: RUN.prompt },
  version: null,
  predictionId: null,
  predictTime: null,
  source: null,
  mask: null,
};

async function app() {
  const user = userEvent.setup();
  const fake = createFakeStudio({ token: WITH_TOKEN });
  fake.handle('library:list', () => ok([RUN]));
  fake.handle('library:get', () => ok(DETAIL));
  startWith(fake, <App />);
  await screen.findByTestId('canvas-slot');
  return { user, fake };
}

function openHelp(): HTMLElement {
  fireEvent.keyDown(window, { key: '?', shiftKey: true });
  return screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
}
const groups = (d: HTMLElement) =>
  within(d)
    .getAllByRole('heading', { level: 3 })
    .map((h) => h.textContent);

describe('shortcuts overlay', () => {
  it('opens with ? in the studio, the gallery, a run, the comparison and settings, with that view’s keys', async () => {
    await app();
    let d = openHelp();
    expect(groups(d)).toContain('Studio');
    expect(groups(d)).toContain('Everywhere');
    expect(d.textContent).toContain('Generate');
    expect(d.textContent).toContain('Studio / Gallery / Settings');
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();

    act(() => useNav.getState().go('gallery'));
    await screen.findByTestId('gallery');
    d = openHelp();
    expect(groups(d)).toEqual([
      'Views',
      'Cull (the selection in the grid, the photo in the loupe)',
      'Move and select',
      'Everywhere',
    ]);
    expect(d.textContent).toContain('Loupe: one photo large, filmstrip below');
    expect(d.textContent).toContain('Reject');
    fireEvent.keyDown(window, { key: 'Escape' });

    act(() => useNav.getState().openRun(RUN.id));
    await screen.findByTestId('run-detail');
    d = openHelp();
    expect(groups(d)).toEqual(['Saved run', 'Everywhere']);
    expect(d.textContent).toContain('Back to the gallery');
    expect(within(d).getByText('⌥')).toBeTruthy();
    // Esc closes the list first; the run page stays
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('run-detail')).toBeTruthy();

    act(() => {
      useCompare.setState({
        items: [0, 1].map((i) => ({
          id: `runs/run_9/${i}.webp`,
          runId: RUN.id,
          width: 896,
          height: 1088,
          index: i,
          of: 2,
          prompt: RUN.prompt,
          seed: 1234,
        })),
        open: true,
      });
    });
    const compare = await screen.findByTestId('compare');
    fireEvent.keyDown(compare, { key: '?', shiftKey: true });
    d = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(groups(d)).toEqual(['Compare', 'Everywhere']);
    fireEvent.keyDown(d, { key: 'Escape' });
    expect(screen.queryByRole('dialog', { name: 'Keyboard shortcuts' })).toBeNull();
    expect(screen.getByTestId('compare')).toBeTruthy();
    act(() => useCompare.getState().clear());

    act(() => useNav.getState().go('settings'));
    await screen.findByTestId('settings');
    d = openHelp();
    expect(groups(d)).toEqual(['Everywhere']);
  });

  it('lists the result viewer’s keys while the studio shows a result', async () => {
    await app();
    const { showPhoto } = await import('../../../../renderer/features/results/stage/stage-store');
    const { useJobs } = await import('../../../../renderer/features/results/jobs-store');
    const job = {
      id: 'job_1',
      runId: RUN.id,
      state: 'saved' as const,
      label: RUN.label,
      modelRef: RUN.modelRef,
      prompt: RUN.prompt,
      createdAt: 1,
      updatedAt: 2,
      numOutputs: 1,
      seed: 1234,
      warnings: [],
      images: [{ id: RUN.images[0]!.id, width: 896, height: 1088 }],
    };
    act(() => {
      useJobs.setState({ byId: { [job.id]: job } });
      showPhoto({ jobId: job.id, assetId: job.images[0]!.id });
    });
    const d = openHelp();
    expect(groups(d)).toEqual(['Result', 'Studio', 'Everywhere']);
    for (const t of [
      'Previous / next photo',
      'Pick (star) this photo',
      'Hold to see the photo it started from',
      'Zoom to 100 % / back to fit',
      'Back: 100 % → fit → the starting photo',
    ])
      expect(d.textContent).toContain(t);
    for (const k of ['←', '→', 'K', 'B', 'Z']) expect(within(d).getAllByText(k).length).toBeGreaterThan(0);
  });

  it('? typed into a text field is just a character', async () => {
    const { user } = await app();
    const prompt = screen.getByLabelText('Describe the photo');
    await user.click(prompt);
    await user.keyboard('why?');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect((prompt as HTMLTextAreaElement).value).toBe('why?');
    act(() => useNav.getState().go('gallery'));
    const search = await screen.findByRole('searchbox', { name: 'Search prompts' });
    await user.click(search);
    await user.keyboard('?');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('focus goes to its close button and back to where it was', async () => {
    const { user } = await app();
    act(() => useNav.getState().go('gallery'));
    const search = await screen.findByRole('searchbox', { name: 'Search prompts' });
    const kept = screen.getByRole('button', { name: /^Picked / });
    kept.focus();
    await user.keyboard('?');
    const d = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(document.activeElement).toBe(within(d).getByRole('button', { name: 'Close' }));
    await user.keyboard('{Escape}');
    expect(document.activeElement).toBe(kept);
    expect(search).toBeTruthy();
  });
});
