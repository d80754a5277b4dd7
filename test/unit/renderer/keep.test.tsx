// @vitest-environment happy-dom
/**
 * "Keep the best": the star on saved photos (results card, gallery run, comparison) changes at
 * once, goes back with a message in words when main refuses, and the gallery's "Kept only" filter
 * asks main for `picksOnly` runs, with its own empty state and a star badge on tiles.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../renderer/app/App';
import { useCompare } from '../../../renderer/features/compare/compare-store';
import { useNav } from '../../../renderer/app/nav-store';
import { useKeep } from '../../../renderer/features/results/keep';
import type { Res, Result, RunSummaryT } from '../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, fail, ok, type FakeStudio } from './fake-studio';
import { openRunOfTile, startWith, teardown } from './setup';
import { T0, runDetail, runSummary, savedJob } from './run-fixtures';

afterEach(teardown);

const run = runSummary;
const detail = runDetail;

/** A library of runs main keeps flags for, like main's Library.setFlag (the star is Pick). */
function library(fake: FakeStudio, runs: RunSummaryT[]) {
  const byId = new Map(runs.map((r) => [r.id, structuredClone(r)]));
  fake.handle('library:list', (req?: { picksOnly?: boolean }) =>
    ok([...byId.values()].filter((r) => !req?.picksOnly || r.images.some((im) => im.flag === 'pick'))),
  );
  fake.handle('library:get', ({ runId }: { runId: string }) =>
    byId.has(runId) ? ok(detail(byId.get(runId)!)) : fail('not_found', 'No such run.'),
  );
  fake.handle(
    'library:setFlag',
    ({ items, flag }: { items: { runId: string; index: number }[]; flag: 'pick' | 'reject' | null }) => {
      const [{ runId, index }] = items as [{ runId: string; index: number }];
      const r = byId.get(runId);
      const im = r?.images.find((x) => x.index === index);
      if (!r || !im) return fail('not_found', 'This photo is no longer in the library.');
      im.flag = flag;
      return ok([structuredClone(r)]);
    },
  );
  return byId;
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function app(setup: (fake: FakeStudio) => void = () => {}) {
  const user = userEvent.setup();
  const fake = createFakeStudio({ token: WITH_TOKEN });
  setup(fake);
  startWith(fake, <App />);
  await screen.findByTestId('canvas-slot');
  return { user, fake };
}

async function openRun(user: ReturnType<typeof userEvent.setup>, label: string) {
  await user.click(await screen.findByRole('button', { name: 'Gallery' }));
  await openRunOfTile(user, label);
  return screen.findByTestId('run-detail');
}

describe('keep: the star on a saved photo', () => {
  it('in a gallery run: turns on at once, before main answers, and stays on when main stores it', async () => {
    let byId!: Map<string, RunSummaryT>;
    const { user, fake } = await app((f) => {
      byId = library(f, [run()]);
    });
    const page = await openRun(user, 'subject at a café');
    const stars = await within(page).findAllByRole('button', { name: 'Pick this photo' });
    expect(stars).toHaveLength(2);
    expect(stars.map((s) => s.getAttribute('aria-pressed'))).toEqual(['false', 'false']);

    const answer = deferred<Result<Res<'library:setFlag'>>>();
    fake.handle('library:setFlag', () => answer.promise);
    await user.click(stars[1]!);
    expect(fake.fn['library:setFlag']).toHaveBeenCalledWith({ items: [{ runId: 'run_1', index: 1 }], flag: 'pick' });
    // Optimistic: already "Kept" while main works.
    const kept = within(page).getByRole('button', { name: 'Picked' });
    expect(kept.getAttribute('aria-pressed')).toBe('true');
    expect(kept.getAttribute('aria-busy')).toBe('true');
    // A second click while main is asked is not sent.
    await user.click(kept);
    expect(fake.fn['library:setFlag']).toHaveBeenCalledTimes(1);

    const stored = structuredClone(byId.get('run_1')!);
    stored.images[1]!.flag = 'pick';
    await act(async () => answer.resolve(ok([stored])));
    await waitFor(() =>
      expect(within(page).getByRole('button', { name: 'Picked' }).getAttribute('aria-busy')).toBeNull(),
    );
    expect(within(page).getByRole('button', { name: 'Picked' }).getAttribute('aria-pressed')).toBe('true');
    expect(within(page).getAllByRole('button', { name: 'Pick this photo' })).toHaveLength(1);
    // The one mirror every view reads from holds main's answer (a gallery tile shows the same).
    expect(useKeep.getState().runs['run_1']![1]!.flag).toBe('pick');

    // And off again.
    library(fake, [stored]);
    await user.click(within(page).getByRole('button', { name: 'Picked' }));
    expect(fake.fn['library:setFlag']).toHaveBeenLastCalledWith({ items: [{ runId: 'run_1', index: 1 }], flag: null });
    await waitFor(() => expect(within(page).getAllByRole('button', { name: 'Pick this photo' })).toHaveLength(2));
  });

  it('goes back, with main’s reason in words, when main refuses', async () => {
    const { user, fake } = await app((f) => {
      library(f, [run()]);
    });
    const page = await openRun(user, 'subject at a café');
    const answer = deferred<Result<Res<'library:setFlag'>>>();
    fake.handle('library:setFlag', () => answer.promise);
    await user.click((await within(page).findAllByRole('button', { name: 'Pick this photo' }))[0]!);
    expect(within(page).getByRole('button', { name: 'Picked' }).getAttribute('aria-pressed')).toBe('true');

    await act(async () =>
      answer.resolve(fail('locked', 'Another Sseelfie Studio is writing to this library. Close it and try again.')),
    );
    await waitFor(() => expect(within(page).queryByRole('button', { name: 'Picked' })).toBeNull());
    expect(
      within(page)
        .getAllByRole('button', { name: 'Pick this photo' })
        .map((s) => s.getAttribute('aria-pressed')),
    ).toEqual(['false', 'false']);
    expect(
      within(screen.getByTestId('toasts')).getByText(
        'Could not pick this photo. Another Sseelfie Studio is writing to this library. Close it and try again.',
      ),
    ).toBeTruthy();
  });

  it('a photo already kept shows "Kept"; K stars the only photo of a run, or the photo that has the focus', async () => {
    const single = run({
      id: 'run_2',
      label: 'one photo',
      prompt: 'one photo',
      images: [
        { id: 'runs/run_2/1.webp', width: 896, height: 1088, index: 0, format: 'webp', flag: 'pick', rating: 0 },
      ],
    });
    const { user, fake } = await app((f) => {
      library(f, [single, run()]);
    });
    let page = await openRun(user, 'one photo');
    expect((await within(page).findByRole('button', { name: 'Picked' })).getAttribute('aria-pressed')).toBe('true');
    await user.keyboard('k');
    await waitFor(() =>
      expect(fake.fn['library:setFlag']).toHaveBeenCalledWith({ items: [{ runId: 'run_2', index: 0 }], flag: null }),
    );
    expect(await within(page).findByRole('button', { name: 'Pick this photo' })).toBeTruthy();

    // Two photos: K needs one of them focused.
    await user.click(within(page).getByRole('button', { name: /Gallery/ }));
    page = await openRun(user, 'subject at a café');
    await within(page).findAllByRole('button', { name: 'Pick this photo' });
    await user.keyboard('k');
    expect(fake.fn['library:setFlag']).toHaveBeenCalledTimes(1);
    within(page).getByRole('checkbox', { name: 'Compare photo 2' }).focus();
    await user.keyboard('k');
    await waitFor(() =>
      expect(fake.fn['library:setFlag']).toHaveBeenLastCalledWith({
        items: [{ runId: 'run_1', index: 1 }],
        flag: 'pick',
      }),
    );
  });

  it('on a results card: the index comes from the run in the library (by photo), else from the photo’s place', async () => {
    // The run's photos as main lists them: the second one (index 1) is kept already.
    const r = run();
    r.images[1]!.flag = 'pick';
    const { user, fake } = await app((f) => {
      library(f, [r]);
      f.handle('jobs:list', () => ok([savedJob(r)]));
    });
    const card = await screen.findByTestId('job-card');
    await waitFor(() =>
      expect(within(card).getByRole('button', { name: 'Picked' }).getAttribute('aria-pressed')).toBe('true'),
    );
    await user.click(within(card).getByRole('button', { name: 'Pick this photo' }));
    expect(fake.fn['library:setFlag']).toHaveBeenCalledWith({ items: [{ runId: 'run_1', index: 0 }], flag: 'pick' });
    await waitFor(() => expect(within(card).getAllByRole('button', { name: 'Picked' })).toHaveLength(2));
  });

  it('on a results card whose run is not listed yet: maps by position; no star while the job is still saving', async () => {
    const r = run({ id: 'run_3' });
    const { user, fake } = await app((f) => {
      f.handle('library:setFlag', ({ items }: { items: { index: number }[] }) => {
        const out = structuredClone(r);
        out.images[items[0]!.index]!.flag = 'pick';
        return ok([out]);
      });
    });
    act(() =>
      fake.emit('jobs:progress', { ...savedJob(r), state: 'downloading', images: savedJob(r).images.slice(0, 1) }),
    );
    const card = await screen.findByTestId('job-card');
    expect(within(card).queryByRole('button', { name: 'Pick this photo' })).toBeNull();
    act(() => fake.emit('jobs:progress', { ...savedJob(r), updatedAt: T0 + 20 }));
    await waitFor(() => expect(within(card).getAllByRole('button', { name: 'Pick this photo' })).toHaveLength(2));
    await user.click(within(card).getAllByRole('button', { name: 'Pick this photo' })[1]!);
    expect(fake.fn['library:setFlag']).toHaveBeenCalledWith({ items: [{ runId: 'run_3', index: 1 }], flag: 'pick' });
    await waitFor(() => expect(within(card).getByRole('button', { name: 'Picked' })).toBeTruthy());
  });

  it('in the comparison: a star per photo, K on the focused one', async () => {
    const a = run();
    const b = run({
      id: 'run_4',
      label: 'subject on stage',
      prompt: 'subject on stage',
      images: [{ id: 'runs/run_4/1.webp', width: 896, height: 1088, index: 0, format: 'webp', flag: null, rating: 0 }],
    });
    const { user, fake } = await app((f) => {
      library(f, [a, b]);
    });
    act(() => {
      useCompare.setState({
        items: [
          { id: a.images[1]!.id, runId: a.id, width: 896, height: 1088, index: 1, of: 2, prompt: a.prompt, seed: 42 },
          { id: b.images[0]!.id, runId: b.id, width: 896, height: 1088, index: 0, of: 1, prompt: b.prompt, seed: 42 },
        ],
        open: true,
      });
    });
    const compare = await screen.findByTestId('compare');
    const items = within(compare).getAllByTestId('compare-item');
    await user.click(within(items[0]!).getByRole('button', { name: 'Pick this photo' }));
    expect(fake.fn['library:setFlag']).toHaveBeenCalledWith({ items: [{ runId: 'run_1', index: 1 }], flag: 'pick' });
    within(items[1]!).getByRole('button', { name: 'Reuse this seed' }).focus();
    await user.keyboard('k');
    await waitFor(() =>
      expect(fake.fn['library:setFlag']).toHaveBeenLastCalledWith({
        items: [{ runId: 'run_4', index: 0 }],
        flag: 'pick',
      }),
    );
    await waitFor(() => expect(within(compare).getAllByRole('button', { name: 'Picked' })).toHaveLength(2));
  });
});

describe('gallery: the Picked chip', () => {
  const chip = (name: string) =>
    within(screen.getByTestId('filter-bar')).getByRole('button', { name: new RegExp(`^${name} `) });

  it('asks main’s index for the picks, counts them, says so when there are none, and follows library:changed', async () => {
    const { user, fake } = await app((f) => {
      library(f, [run()]);
    });
    await user.click(await screen.findByRole('button', { name: 'Gallery' }));
    expect(await screen.findAllByTestId('photo-tile')).toHaveLength(2);
    expect(chip('Picked').textContent).toContain('0');
    expect(chip('All').textContent).toContain('2');

    await user.click(chip('Picked'));
    expect(chip('Picked').getAttribute('aria-pressed')).toBe('true');
    await waitFor(() =>
      expect(fake.fn['library:query']).toHaveBeenLastCalledWith({ filter: { flag: 'pick' }, sort: 'newest' }),
    );
    const empty = await screen.findByTestId('gallery-filtered-empty');
    expect(within(empty).getByText('Nothing picked yet')).toBeTruthy();

    // A photo picked elsewhere: main says the library changed; the list is asked again, still filtered.
    await (fake.api.library as { setFlag(req: unknown): Promise<unknown> }).setFlag({
      items: [{ runId: 'run_1', index: 1 }],
      flag: 'pick',
    });
    act(() => fake.emit('library:changed', { runId: 'run_1', reason: 'updated' }));
    const tiles = await screen.findAllByTestId('photo-tile');
    expect(tiles).toHaveLength(1);
    expect(tiles[0]!.getAttribute('data-flag')).toBe('pick');
    expect(tiles[0]!.getAttribute('aria-label')).toMatch(/photo 2 of 2, Picked, no stars/);
    await waitFor(() => expect(chip('Picked').textContent).toContain('1'));

    // With a search too, both go to main.
    await user.type(screen.getByRole('searchbox', { name: 'Search prompts' }), 'stage');
    await waitFor(() =>
      expect(fake.fn['library:query']).toHaveBeenLastCalledWith({
        filter: { flag: 'pick', search: 'stage' },
        sort: 'newest',
      }),
    );
  });

  it('"Show every photo" in the empty state clears the filters', async () => {
    const { user, fake } = await app((f) => {
      library(f, [run()]);
    });
    await user.click(await screen.findByRole('button', { name: 'Gallery' }));
    await screen.findAllByTestId('photo-tile');
    await user.click(chip('Picked'));
    await user.click(await screen.findByRole('button', { name: 'Show every photo' }));
    await waitFor(() => expect(fake.fn['library:query']).toHaveBeenLastCalledWith({ filter: {}, sort: 'newest' }));
    expect(await screen.findAllByTestId('photo-tile')).toHaveLength(2);
    expect(useNav.getState().view).toBe('gallery');
  });
});
