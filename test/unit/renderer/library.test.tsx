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
import type { RunSummaryT } from '../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, fail, ok, type FakeStudio } from './fake-studio';
import { openRunOfTile, startWith, teardown } from './setup';
import { T0, runDetail, runSummary, savedJob } from './run-fixtures';

afterEach(teardown);

/** A run whose second photo is its third output: the safety checker removed the one in between, so
 * positions and indexes differ. */
const run = (over: Partial<RunSummaryT> = {}): RunSummaryT =>
  runSummary({
    images: [
      { id: 'runs/run_1/1.webp', width: 896, height: 1088, index: 0, format: 'webp', flag: null, rating: 0 },
      { id: 'runs/run_1/3.webp', width: 896, height: 1088, index: 2, format: 'webp', flag: null, rating: 0 },
    ],
    ...over,
  });
const detail = runDetail;

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
    await openRunOfTile(user, 'subject at a café');
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

const OLD = '/Users/ada/Pictures/Sseelfie Studio';
const NEW = '/Volumes/Photos/Brand';
const OLD_SELFIE = {
  id: 's_old0001',
  name: 'me.jpg',
  addedAt: T0,
  width: 600,
  height: 800,
  image: { id: 'selfies/s_old0001/display.jpg', width: 600, height: 800 },
  thumb: { id: 'selfies/s_old0001/thumb.webp', width: 192, height: 256 },
};

/** main after "Change…": the new library is empty, the old one is remembered with its photos. */
function switchTo(fake: FakeStudio, previous = { dir: OLD, runs: 1, selfies: 1, move: null }) {
  const view = { ...settingsAt(NEW), libraryIsDefault: false };
  fake.handle('settings:chooseLibrary', () => {
    fake.handle('jobs:list', () => ok([]));
    fake.handle('selfies:list', () => ok([]));
    fake.handle('library:list', () => ok([]));
    fake.handle('library:previous', () => ok(previous));
    // main sends these while answering, as app-services' switchLibrary does
    fake.emit('settings:changed', view);
    fake.emit('library:changed', { reason: 'switched' });
    return ok(view);
  });
}
function settingsAt(dir: string) {
  return {
    libraryDir: dir,
    libraryIsDefault: dir === OLD,
    defaultModel: 'sandrasocial/sseelfie-ai',
    apiBaseUrl: 'https://api.replicate.com/v1',
    apiBaseFromEnv: false,
    theme: 'system' as const,
    concurrency: 2,
    uploadRetentionMinutes: 60,
    triggerWords: {},
    exportDir: null,
    notices: [],
  };
}
const srcs = () => Array.from(document.querySelectorAll('img')).map((i) => i.getAttribute('src') ?? '');

describe('a library switch', () => {
  it('leaves nothing of the old library on screen: results, shelf, compare, the open run, the starting photo', async () => {
    const r = run();
    const { user, fake } = await app((f) => {
      f.handle('library:list', () => ok([r]));
      f.handle('library:get', () => ok(detail(r)));
      f.handle('jobs:list', () => ok([savedJob(r)]));
      f.handle('selfies:list', () => ok([OLD_SELFIE]));
    });
    const card = await screen.findByTestId('job-card');
    await user.click(within(card).getByRole('checkbox', { name: /Compare photo 1/ }));
    await user.click(within(card).getAllByRole('button', { name: /Start from this/ })[0]!);
    expect(await screen.findByRole('button', { name: 'Selfie me.jpg' })).toBeTruthy();
    expect(srcs().some((s) => s.includes('runs/run_1/'))).toBe(true);
    // the run is open in the gallery when the switch happens
    await user.click(screen.getByRole('button', { name: 'Gallery' }));
    await openRunOfTile(user, 'subject at a café');
    await screen.findByTestId('run-detail');

    switchTo(fake);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(await screen.findByRole('button', { name: /Change…/ }));
    expect(await screen.findByText(NEW)).toBeTruthy();
    await waitFor(() => expect(fake.fn['jobs:list']).toHaveBeenCalledTimes(2));

    await user.click(screen.getByRole('button', { name: 'Gallery' }));
    expect(screen.queryByTestId('run-detail')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Studio' }));
    await waitFor(() => expect(screen.queryByTestId('job-card')).toBeNull());
    expect(screen.queryByRole('button', { name: 'Selfie me.jpg' })).toBeNull();
    expect(screen.getByTestId('canvas-slot').getAttribute('data-shows')).toBe('empty');
    expect(screen.queryByRole('button', { name: /Compare 1/ })).toBeNull();
    // no image anywhere still points into the old library
    expect(srcs().filter((s) => s.includes('runs/run_1/') || s.includes('selfies/s_old0001/'))).toEqual([]);
  });

  it('says where the photos are, moves them here with progress, opens or dismisses the previous library', async () => {
    const { user, fake } = await app();
    switchTo(fake);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(await screen.findByRole('button', { name: /Change…/ }));
    const notice = await screen.findByTestId('previous-library');
    expect(notice.textContent).toContain(`Your photos are in the previous library ${OLD}: 1 run and 1 selfie.`);

    await user.click(within(notice).getByRole('button', { name: 'Open the previous library' }));
    expect(fake.fn['library:openPrevious']).toHaveBeenCalled();

    let finish!: () => void;
    fake.handle(
      'library:movePrevious',
      () =>
        new Promise((resolve) => {
          finish = () => {
            const end = {
              state: 'done' as const,
              from: OLD,
              total: 2,
              done: 2,
              runsMoved: 1,
              selfiesMoved: 1,
              skipped: [],
            };
            fake.handle('library:previous', () => ok(null));
            fake.handle('library:list', () => ok([run()]));
            fake.emit('library:moveProgress', end);
            fake.emit('library:changed', { reason: 'rebuilt' });
            resolve(ok(end));
          };
        }),
    );
    await user.click(within(notice).getByRole('button', { name: 'Move them here' }));
    act(() =>
      fake.emit('library:moveProgress', {
        state: 'moving',
        from: OLD,
        total: 2,
        done: 1,
        runsMoved: 1,
        selfiesMoved: 0,
        skipped: [],
      }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('previous-library').textContent).toContain('Moving your photos here: 1 of 2'),
    );
    const cancel = within(screen.getByTestId('previous-library')).getByRole('button', { name: 'Cancel' });
    expect(cancel).toBeTruthy();
    await act(async () => finish());
    await waitFor(() =>
      expect(screen.getByTestId('previous-library').textContent).toContain(
        'Moved 1 run and 1 selfie into this library.',
      ),
    );
    // the shelf and the gallery are read again from the library they are now in
    await waitFor(() => expect(fake.fn['selfies:list'].mock.calls.length).toBeGreaterThanOrEqual(3));
    await user.click(within(screen.getByTestId('previous-library')).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('previous-library')).toBeNull();
  });

  it('a refused or partial move says why; Dismiss forgets the previous library in main', async () => {
    const { user, fake } = await app();
    switchTo(fake, { dir: OLD, runs: 3, selfies: 0, move: null });
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(await screen.findByRole('button', { name: /Change…/ }));
    const notice = await screen.findByTestId('previous-library');
    fake.handle('library:movePrevious', () =>
      fail(
        'invalid_input',
        'Photos are still being made. Wait for them to finish (or cancel them), then move your photos.',
      ),
    );
    await user.click(within(notice).getByRole('button', { name: 'Move them here' }));
    expect(await within(notice).findByText(/Photos are still being made/)).toBeTruthy();

    fake.handle('library:movePrevious', () => {
      fake.handle('library:previous', () => ok({ dir: OLD, runs: 1, selfies: 0, move: null }));
      return ok({
        state: 'done' as const,
        from: OLD,
        total: 3,
        done: 3,
        runsMoved: 2,
        selfiesMoved: 0,
        skipped: [
          {
            kind: 'run' as const,
            id: '20260101-090000-aaaa',
            reason:
              'A different run named 20260101-090000-aaaa is already in this library; this one stays in the previous library.',
          },
        ],
      });
    });
    await user.click(within(notice).getByRole('button', { name: 'Move them here' }));
    await waitFor(() =>
      expect(screen.getByTestId('previous-library').textContent).toContain('Moved 2 runs into this library.'),
    );
    expect(screen.getByTestId('previous-library').textContent).toContain('1 run stayed in the previous library:');
    expect(screen.getByTestId('previous-library').textContent).toContain(
      `Still in the previous library ${OLD}: 1 run.`,
    );
    expect(screen.getByTestId('previous-library').textContent).toContain(
      'A different run named 20260101-090000-aaaa is already in this library',
    );

    await user.click(within(screen.getByTestId('previous-library')).getByRole('button', { name: 'Dismiss' }));
    expect(fake.fn['library:forgetPrevious']).toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByTestId('previous-library')).toBeNull());
  });

  it('the gallery shows the same notice; “Use the default folder” is there only to be used when it is not the default', async () => {
    const { user, fake } = await app();
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const useDefault = await screen.findByRole('button', { name: 'Use the default folder' });
    expect((useDefault as HTMLButtonElement).disabled).toBe(true);
    switchTo(fake);
    await user.click(screen.getByRole('button', { name: /Change…/ }));
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Use the default folder' }) as HTMLButtonElement).disabled).toBe(
        false,
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Gallery' }));
    expect((await screen.findByTestId('previous-library')).textContent).toContain(
      `Your photos are in the previous library ${OLD}`,
    );
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    fake.handle('settings:useDefaultLibrary', () => ok(settingsAt(OLD)));
    await user.click(screen.getByRole('button', { name: 'Use the default folder' }));
    expect(fake.fn['settings:useDefaultLibrary']).toHaveBeenCalled();
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Use the default folder' }) as HTMLButtonElement).disabled).toBe(true),
    );
  });
});
