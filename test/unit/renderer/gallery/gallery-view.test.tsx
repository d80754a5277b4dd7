// @vitest-environment happy-dom
/**
 * The culling gallery (renderer/features/gallery/GalleryView.tsx) against a fake main: a key on a
 * selection is one call for every photo; the tile shows main's answer, or goes back with a message
 * when main refuses; auto-advance moves on; Delete rejected asks first, then the undo bar follows
 * main's `library:deletion` events, and a refusal of the trash offers a permanent delete.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../../renderer/app/App';
import type { FlagT, Result, RunSummaryT } from '../../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, fail, ok, type FakeStudio } from '../fake-studio';
import { startWith, teardown } from '../setup';

afterEach(teardown);

function run(id: string, createdAt: number, n: number): RunSummaryT {
  return {
    id,
    createdAt,
    prompt: `subject ${id}`,
    label: `subject ${id}`,
    modelRef: 'sandrasocial/sseelfie-ai',
    mode: 'txt2img',
    seed: 7,
    images: Array.from({ length: n }, (_, index) => ({
      id: `runs/${id}/${index + 1}.webp`,
      width: 1024,
      height: 1024,
      index,
      format: 'webp',
      flag: null,
      rating: 0,
    })),
    warnings: [],
  };
}

type Refs = { items: { runId: string; index: number }[] };

/** Main's library: flags and ratings stored per photo, every change answered with the runs as they now are. */
function library(fake: FakeStudio, runs: RunSummaryT[]) {
  const byId = new Map(runs.map((r) => [r.id, structuredClone(r)]));
  fake.handle('library:list', () => ok([...byId.values()].map((r) => structuredClone(r))));
  const change = (items: Refs['items'], fn: (im: RunSummaryT['images'][number]) => void) => {
    const touched = new Set<string>();
    for (const { runId, index } of items) {
      const im = byId.get(runId)?.images.find((x) => x.index === index);
      if (!im) return fail('not_found', 'One of these photos is no longer in the library; nothing was changed.');
      fn(im);
      touched.add(runId);
    }
    // As main does (app-services.ts): every change is announced.
    setTimeout(() => fake.emit('library:changed', { reason: 'updated' }), 0);
    return ok([...touched].map((id) => structuredClone(byId.get(id)!)));
  };
  fake.handle('library:setFlag', ({ items, flag }: Refs & { flag: FlagT }) => change(items, (im) => (im.flag = flag)));
  fake.handle('library:setRating', ({ items, rating }: Refs & { rating: number }) =>
    change(items, (im) => (im.rating = rating)),
  );
  return byId;
}

async function gallery(runs: RunSummaryT[], more: (f: FakeStudio) => void = () => {}) {
  const user = userEvent.setup();
  const fake = createFakeStudio({ token: WITH_TOKEN });
  const byId = library(fake, runs);
  more(fake);
  startWith(fake, <App />);
  await screen.findByTestId('canvas-slot');
  await user.click(within(screen.getByRole('navigation', { name: 'Views' })).getByRole('button', { name: 'Gallery' }));
  await screen.findAllByTestId('photo-tile');
  await waitFor(() =>
    expect(screen.getAllByTestId('photo-tile')[0]!.getAttribute('aria-label')).not.toBe('Loading photo'),
  );
  return { user, fake, byId, tiles: () => screen.getAllByTestId('photo-tile') };
}

const T0 = 1_764_000_000_000;

describe('culling in the grid', () => {
  it('Shift-click then P flags the whole selection in one call; 4 rates it; the tiles say so', async () => {
    const { user, fake, tiles } = await gallery([run('r2', T0 + 10, 2), run('r1', T0, 3)]);
    expect(tiles()).toHaveLength(5);
    await user.click(tiles()[1]!);
    await user.keyboard('{Shift>}');
    await user.click(tiles()[3]!);
    await user.keyboard('{/Shift}');
    expect(tiles().filter((t) => t.getAttribute('aria-selected') === 'true')).toHaveLength(3);
    await user.keyboard('p');
    expect(fake.fn['library:setFlag']).toHaveBeenCalledTimes(1);
    expect(fake.fn['library:setFlag']).toHaveBeenCalledWith({
      items: [
        { runId: 'r2', index: 1 },
        { runId: 'r1', index: 0 },
        { runId: 'r1', index: 1 },
      ],
      flag: 'pick',
    });
    await user.keyboard('4');
    await waitFor(() => expect(tiles()[3]!.getAttribute('data-rating')).toBe('4'));
    expect(tiles().map((t) => t.getAttribute('data-flag'))).toEqual([null, 'pick', 'pick', 'pick', null]);
    expect(tiles()[2]!.getAttribute('aria-label')).toBe('“subject r1”, photo 1 of 3, Picked, 4 stars');
    // The chips follow main's counts.
    await waitFor(() =>
      expect(within(screen.getByTestId('filter-bar')).getByRole('button', { name: /^Picked / }).textContent).toContain(
        '3',
      ),
    );
  });

  it('X then 3 while main is still answering: both are sent, in order, and both show at once', async () => {
    const { user, fake, tiles } = await gallery([run('r1', T0, 2)]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const flag = fake.fn['library:setFlag'].getMockImplementation() as (req: unknown) => Promise<Result<RunSummaryT[]>>;
    const rate = fake.fn['library:setRating'].getMockImplementation() as (
      req: unknown,
    ) => Promise<Result<RunSummaryT[]>>;
    fake.handle('library:setFlag', async (req: unknown) => {
      order.push('flag');
      await gate;
      return flag(req);
    });
    fake.handle('library:setRating', async (req: unknown) => {
      order.push('rating');
      return rate(req);
    });
    await user.click(tiles()[0]!);
    await user.keyboard('x3');
    // Shown before main answers either.
    expect(tiles()[0]!.getAttribute('data-flag')).toBe('reject');
    expect(tiles()[0]!.getAttribute('data-rating')).toBe('3');
    expect(order).toEqual(['flag']);
    release();
    await waitFor(() => expect(order).toEqual(['flag', 'rating']));
    await waitFor(() => expect(tiles()[0]!.getAttribute('aria-label')).toMatch(/Rejected, 3 stars$/));
  });

  it('a refused flag goes back, with main’s reason in words', async () => {
    const { user, fake, tiles } = await gallery([run('r1', T0, 2)]);
    fake.handle('library:setFlag', () =>
      fail('locked', 'Another Sseelfie Studio is writing to this library. Close it and try again.'),
    );
    await user.click(tiles()[0]!);
    await user.keyboard('x');
    expect(
      await screen.findByText(
        'Could not reject this photo. Another Sseelfie Studio is writing to this library. Close it and try again.',
      ),
    ).toBeTruthy();
    expect(tiles()[0]!.getAttribute('data-flag')).toBeNull();
  });

  it('with auto-advance on, a key moves to the next photo; the loupe (E) applies keys to the photo shown', async () => {
    const { user, fake, tiles } = await gallery([run('r1', T0, 3)]);
    await user.click(screen.getByRole('switch', { name: 'Auto-advance' }));
    await user.click(tiles()[0]!);
    await user.keyboard('x');
    await waitFor(() => expect(tiles()[1]!.getAttribute('aria-selected')).toBe('true'));
    await user.keyboard('e');
    const loupe = await screen.findByTestId('loupe');
    expect(loupe.getAttribute('data-key')).toBe('r1:1');
    await user.keyboard('2');
    await waitFor(() =>
      expect(fake.fn['library:setRating']).toHaveBeenLastCalledWith({ items: [{ runId: 'r1', index: 1 }], rating: 2 }),
    );
    await waitFor(() => expect(screen.getByTestId('loupe').getAttribute('data-key')).toBe('r1:2'));
    expect(screen.getByTestId('loupe-position').textContent).toBe('3 of 3');
    expect(localStorage.getItem('sseelfie.gallery.autoAdvance')).toBe('1');
    await user.keyboard('g');
    expect(await screen.findAllByTestId('photo-tile')).toHaveLength(3);
  });

  it('C puts 2–4 selected photos into the comparison; ⌘A selects all', async () => {
    const { user, tiles } = await gallery([run('r1', T0, 4), run('r0', T0 - 10, 1)]);
    await user.click(tiles()[0]!);
    await user.keyboard('{Control>}a{/Control}');
    expect(tiles().filter((t) => t.getAttribute('aria-selected') === 'true')).toHaveLength(5);
    await user.keyboard('c');
    expect(await screen.findByText('Select 2 to 4 photos to compare (5 selected).')).toBeTruthy();
    await user.click(tiles()[0]!);
    await user.keyboard('{Control>}');
    await user.click(tiles()[4]!);
    await user.keyboard('{/Control}');
    await user.keyboard('c');
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getAllByTestId('compare-item')).toHaveLength(2);
  });
});

describe('the grid', () => {
  it('coming back from the studio finds the grid where it was scrolled to', async () => {
    const runs = Array.from({ length: 60 }, (_, i) => run(`r${i}`, T0 - i * 10, 4));
    const { user } = await gallery(runs);
    const scroller = screen.getByTestId('gallery-scroller');
    await act(async () => {
      scroller.scrollTop = 3000;
      scroller.dispatchEvent(new Event('scroll'));
      await new Promise((r) => setTimeout(r, 50));
    });
    const rowAt = () => Number(screen.getAllByRole('row')[0]!.getAttribute('aria-rowindex'));
    await waitFor(() => expect(rowAt()).toBeGreaterThan(5));
    const before = rowAt();
    // The rows scrolled in reuse the elements of the rows gone: each tile says its own photo.
    await waitFor(() => {
      for (const t of screen.getAllByTestId('photo-tile')) {
        const at = Number(t.id.replace('tile-', ''));
        const runId = `r${Math.floor(at / 4)}`;
        expect(t.dataset.key?.startsWith(`${runId}:`)).toBe(true);
        expect(t.getAttribute('aria-label')).toMatch(new RegExp(`^“subject ${runId}”, photo ${(at % 4) + 1} of 4`));
      }
    });
    const views = within(screen.getByRole('navigation', { name: 'Views' }));
    await user.click(views.getByRole('button', { name: 'Studio' }));
    await screen.findByTestId('canvas-slot');
    await user.click(views.getByRole('button', { name: 'Gallery' }));
    await screen.findAllByTestId('photo-tile');
    expect(screen.getByTestId('gallery-scroller').scrollTop).toBe(3000);
    expect(rowAt()).toBe(before);
  });
});

describe('Delete rejected', () => {
  it('asks first, then the undo bar follows main: pending, Undo, and a refusal of the trash offers a permanent delete', async () => {
    let deleted = 0;
    const { user, fake } = await gallery([run('r1', T0, 2)], (f) => {
      f.handle('library:deleteRejected', () => {
        deleted++;
        return ok({ token: 'del_1', state: 'pending' as const, photos: 1, runs: 1, undoUntil: Date.now() + 10_000 });
      });
      f.handle('library:query', (req?: { filter?: { flag?: string } }) =>
        ok({
          items:
            req?.filter?.flag === 'reject'
              ? [{ runId: 'r1', index: 1 }]
              : [
                  { runId: 'r1', index: 0 },
                  { runId: 'r1', index: 1 },
                ],
          total: req?.filter?.flag === 'reject' ? 1 : 2,
          counts: {
            flag: { any: 2, pick: 0, reject: 1, unflagged: 1 },
            rating: [2, 0, 0, 0, 0, 0],
            model: [],
            aspect: [],
            mode: { txt2img: 2, img2img: 0, inpaint: 0 },
          },
        }),
      );
    });
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Delete rejected…' }) as HTMLButtonElement).disabled).toBe(false),
    );
    await user.click(screen.getByRole('button', { name: 'Delete rejected…' }));
    const dialog = await screen.findByTestId('delete-rejected');
    expect(await within(dialog).findByText('Delete 1 photo you rejected?')).toBeTruthy();
    // Cancel deletes nothing.
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(deleted).toBe(0);

    await user.click(screen.getByRole('button', { name: 'Delete rejected…' }));
    await user.click(
      await within(await screen.findByTestId('delete-rejected')).findByRole('button', { name: 'Move to trash' }),
    );
    expect(deleted).toBe(1);
    const bar = await screen.findByTestId('undo-bar');
    expect(bar.getAttribute('data-state')).toBe('pending');
    expect(bar.textContent).toMatch(/1 photo moved to the trash in \d+ s/);

    await user.click(within(bar).getByRole('button', { name: 'Undo' }));
    expect(fake.fn['library:undoDelete']).toHaveBeenCalledWith({ token: 'del_1' });
    act(() => fake.emit('library:deletion', { token: 'del_1', state: 'restored', photos: 1 }));
    expect(screen.getByTestId('undo-bar').textContent).toContain('1 photo brought back.');

    // The system trash refuses: said, with a permanent delete.
    act(() =>
      fake.emit('library:deletion', { token: 'del_2', state: 'pending', photos: 1, undoUntil: Date.now() + 10_000 }),
    );
    act(() =>
      fake.emit('library:deletion', { token: 'del_2', state: 'failed', photos: 1, reason: 'the file is in use' }),
    );
    const failed = screen.getAllByTestId('undo-bar').find((b) => b.getAttribute('data-state') === 'failed')!;
    expect(failed.getAttribute('role')).toBe('alert');
    expect(failed.textContent).toContain(
      'The system trash refused 1 photo: the file is in use. They are hidden, not deleted.',
    );
    fake.handle('library:deletePermanently', () => ok(null));
    await user.click(within(failed).getByRole('button', { name: 'Delete permanently' }));
    expect(fake.fn['library:deletePermanently']).toHaveBeenCalledWith({ token: 'del_2' });
  });
});
