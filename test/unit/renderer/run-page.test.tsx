// @vitest-environment happy-dom
/**
 * A saved run's page (issue 12): every setting the run used, the model's defaults included and
 * marked, in Compare's number format; the model and its version; leaving it with Esc or Alt+←
 * (back to where the person came from, a dialog closed first); the whole-run delete dialog; and
 * the view keys (Ctrl/Cmd+1/2/3) with the focus on the view's heading after a switch.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../renderer/app/App';
import { useNav } from '../../../renderer/app/nav-store';
import type { RunDetailT, RunSummaryT } from '../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, fail, ok, type FakeStudio } from './fake-studio';
import { openRunOfTile, startWith, teardown } from './setup';
import { runDetail, runSummary } from './run-fixtures';

afterEach(teardown);

const VERSION = '5a4c3b2a19f8e7d6c5b4a3928170f6e5d4c3b2a19f8e7d6c5b4a39281706f5e4';

/** A landscape run (1216×832), so the page's sizes are not the fixtures' default portrait. */
const summary = (over: Partial<RunSummaryT> = {}): RunSummaryT =>
  runSummary({
    images: [
      { id: 'runs/run_1/1.webp', width: 1216, height: 832, index: 0, format: 'webp', flag: null, rating: 0 },
      { id: 'runs/run_1/2.webp', width: 1216, height: 832, index: 1, format: 'webp', flag: null, rating: 0 },
    ],
    ...over,
  });
const detail = (r: RunSummaryT, input: Record<string, unknown>): RunDetailT =>
  runDetail(r, { input, version: VERSION });

async function app(setup: (fake: FakeStudio) => void = () => {}) {
  const user = userEvent.setup();
  const fake = createFakeStudio({ token: WITH_TOKEN });
  const run = summary();
  fake.handle('library:list', () => ok([run]));
  fake.handle('library:get', ({ runId }: { runId: string }) =>
    runId === run.id
      ? ok(
          detail(run, {
            prompt: run.prompt,
            aspect_ratio: '3:2',
            num_inference_steps: 8,
            guidance_scale: 2.7555555,
            seed: 42,
            num_outputs: 2,
          }),
        )
      : fail('not_found', 'No such run.'),
  );
  fake.handle('library:remove', () =>
    ok({ token: 'del_1', state: 'pending' as const, photos: 2, runs: 1, undoUntil: Date.now() + 10_000 }),
  );
  setup(fake);
  startWith(fake, <App />);
  await screen.findByTestId('canvas-slot');
  return { user, fake };
}

async function openFromGallery(user: ReturnType<typeof userEvent.setup>) {
  await user.click(within(screen.getByRole('navigation', { name: 'Views' })).getByRole('button', { name: 'Gallery' }));
  await openRunOfTile(user, 'subject at a café');
  const page = await screen.findByTestId('run-detail');
  await within(page).findByText('subject at a café', { selector: '.run-info-prompt' });
  return page;
}

/** The settings list as label → [value, marked default]. */
function settingsOf(page: HTMLElement): Record<string, [string, boolean]> {
  const list = within(page).getByTestId('run-settings');
  const out: Record<string, [string, boolean]> = {};
  for (const row of Array.from(list.querySelectorAll<HTMLElement>('[data-setting]'))) {
    const value = row.querySelector('[data-value]')!.textContent!;
    out[row.querySelector('dt')!.textContent!] = [value, row.hasAttribute('data-default')];
  }
  return out;
}

const mod = { metaKey: true };

describe('run page: every setting the run used', () => {
  it('shows the sent settings and the model’s defaults for the rest, marked, in Compare’s number format', async () => {
    const { user, fake } = await app();
    const page = await openFromGallery(user);
    await waitFor(() => expect(settingsOf(page)['Steps']).toBeTruthy());
    const s = settingsOf(page);
    expect(s['Aspect ratio']).toEqual(['3:2', false]);
    expect(s['Steps']).toEqual(['8', false]);
    expect(s['Number of photos']).toEqual(['2', false]);
    // 3 decimals, like Compare (formatNumber), not a formatter of its own
    expect(s['Guidance']).toEqual(['2.756', false]);
    // not sent: the version's defaults, said to be defaults
    expect(s['Base model']).toEqual(['Dev', true]);
    expect(s['Likeness strength (LoRA scale)']).toEqual(['1', true]);
    expect(s['Quality']).toEqual(['80', true]);
    expect(s['File format']).toEqual(['webp', true]);
    expect(s['Go fast']).toEqual(['Off', true]);
    expect(s['Resolution']).toEqual(['1', true]);
    // what a prompt-only run did not use is not listed as if it had been
    expect(s['Change from the starting photo']).toBeUndefined();
    expect(s['Extra LoRA strength']).toBeUndefined();
    expect(within(page).getAllByText('default').length).toBe(Object.values(s).filter(([, d]) => d).length);
    // the defaults are those of the run's own version
    expect(fake.fn['models:get']).toHaveBeenCalledWith({ ref: `sandrasocial/sseelfie-ai:${VERSION}` });
  });

  it('names the model and its version: short on the page, the full id in its title', async () => {
    const { user } = await app();
    const page = await openFromGallery(user);
    expect(within(page).getByTestId('run-model').textContent).toBe('sandrasocial/sseelfie-ai');
    const version = within(page).getByTestId('run-version');
    expect(version.textContent).toBe(VERSION.slice(0, 12));
    expect(version.getAttribute('title')).toContain(VERSION);
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await user.click(within(page).getByRole('button', { name: 'Copy the version id' }));
    expect(writeText).toHaveBeenCalledWith(VERSION);
    expect(await screen.findByText('Version id copied.')).toBeTruthy();
  });

  it('says when the model’s defaults cannot be known, and still lists what the run sent', async () => {
    const { user } = await app((f) => f.handle('models:get', () => fail('network', 'Replicate could not be reached.')));
    const page = await openFromGallery(user);
    await waitFor(() =>
      expect(within(page).getByTestId('defaults-unknown').textContent).toContain('(Replicate could not be reached)'),
    );
    const s = settingsOf(page);
    expect(s['Steps']).toEqual(['8', false]);
    expect(s['Base model']).toBeUndefined();
  });
});

describe('run page: leaving it', () => {
  it('Esc and Alt+← go back to the gallery grid', async () => {
    const { user } = await app();
    await openFromGallery(user);
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('run-detail')).toBeNull();
    expect(screen.getByTestId('gallery')).toBeTruthy();
    await openFromGallery(user);
    fireEvent.keyDown(window, { key: 'ArrowLeft', altKey: true });
    expect(screen.queryByTestId('run-detail')).toBeNull();
    expect(screen.getByTestId('gallery')).toBeTruthy();
  });

  it('a run opened from the studio goes back to the studio, and its back button says so', async () => {
    const { user } = await app();
    act(() => useNav.getState().openRun('run_1'));
    const page = await screen.findByTestId('run-detail');
    expect(within(page).getByRole('button', { name: 'Studio' })).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.getByTestId('studio')).toBeTruthy();
  });

  it('the delete dialog: Cancel (not “Keep”), Esc closes it without leaving, focus back on Delete…', async () => {
    const { user, fake } = await app();
    const page = await openFromGallery(user);
    const del = within(page).getByRole('button', { name: /Delete…/ });
    await user.click(del);
    const dialog = screen.getByRole('dialog', { name: /Delete this run/ });
    expect(dialog.textContent).toContain('2 photos');
    expect(within(dialog).queryByRole('button', { name: 'Keep' })).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(del);

    await user.click(del);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('run-detail')).toBeTruthy();
    expect(document.activeElement).toBe(del);

    await user.click(del);
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByTestId('run-detail')).toBeNull());
    expect(fake.fn['library:remove']).toHaveBeenCalledWith({ runId: 'run_1' });
  });
});

describe('views by keyboard', () => {
  it('Cmd/Ctrl+1/2/3: studio, the gallery grid (from a run too), settings; the heading gets the focus', async () => {
    const { user } = await app();
    await openFromGallery(user);
    fireEvent.keyDown(window, { key: '2', ...mod });
    expect(screen.queryByTestId('run-detail')).toBeNull();
    expect(screen.getByTestId('gallery')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Gallery' }));

    fireEvent.keyDown(window, { key: '3', ctrlKey: true });
    await screen.findByTestId('settings');
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Settings' }));
    expect(document.activeElement!.getAttribute('tabindex')).toBe('-1');

    fireEvent.keyDown(window, { key: '1', ...mod });
    expect(screen.getByTestId('studio')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1, name: 'Studio' }));

    await user.click(
      within(screen.getByRole('navigation', { name: 'Views' })).getByRole('button', { name: 'Gallery' }),
    );
    await openRunOfTile(user, 'subject at a café');
    const page = await screen.findByTestId('run-detail');
    await waitFor(() => expect(document.activeElement).toBe(within(page).getByRole('heading', { level: 1 })));
  });

  it('the studio starts with a skip link to the Results column', async () => {
    const { user } = await app();
    const studio = screen.getByTestId('studio');
    const first = studio.querySelector<HTMLElement>(
      'a[href], button:not([disabled]), input:not([disabled]), textarea, select, [tabindex]:not([tabindex="-1"])',
    );
    expect(first?.textContent).toBe('Skip to results');
    await user.click(first!);
    expect(document.activeElement).toBe(screen.getByRole('complementary', { name: 'Results' }));
  });
});
