/**
 * Delete rejected: hidden at once, undoable, to the (test) trash when the undo window closes or
 * on quit; a crash in between loses nothing; a trash that refuses offers a permanent delete.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeletionEventT } from '../../../../shared/ipc/contract';
import { Library } from '../../../../electron/services/library/library';
import { TrashQueue, type TrashClock } from '../../../../electron/services/library/trash-queue';
import { tmpDir } from '../jobs/harness';
import { readRunJson, runId, writeRun } from './run-fixtures';

function fakeClock(start = 1_000_000) {
  let now = start;
  const timers: { at: number; fn: () => void; done: boolean }[] = [];
  const clock: TrashClock & { advance(ms: number): void } = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn, done: false };
      timers.push(t);
      return t;
    },
    clearTimeout: (h) => {
      (h as { done: boolean }).done = true;
    },
    advance(ms) {
      now += ms;
      for (const t of timers)
        if (!t.done && t.at <= now) {
          t.done = true;
          t.fn();
        }
    },
  };
  return clock;
}

/** A trash that moves things into a folder of the test, like the system trash would. */
function testTrash(dir: string) {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const trashItem = async (p: string) => {
    renameSync(p, path.join(dir, `${n++}-${path.basename(p)}`));
  };
  return {
    trashItem,
    contents: () =>
      readdirSync(dir)
        .map((f) => f.replace(/^\d+-/, ''))
        .sort(),
  };
}

async function setup(
  opts: { trashItem?: (p: string) => Promise<void>; clock?: ReturnType<typeof fakeClock>; root?: string } = {},
) {
  const root = opts.root ?? tmpDir('sseelfie-trash-');
  const lib = new Library(root);
  await lib.ensure();
  const trash = testTrash(path.join(root, '..', `${path.basename(root)}-trash`));
  const clock = opts.clock ?? fakeClock();
  const events: DeletionEventT[] = [];
  const queue = new TrashQueue({
    library: lib,
    trashItem: opts.trashItem ?? trash.trashItem,
    clock,
    undoMs: 10_000,
    onEvent: (e) => events.push(e),
  });
  const opened = await queue.open();
  return { root, lib, trash, clock, queue, events, opened };
}

function culledRuns(root: string) {
  const mixed = runId(),
    allRejected = runId(),
    kept = runId();
  writeRun(root, { id: mixed, createdAt: 3, images: [{ flag: 'reject' }, { flag: 'pick' }, { flag: 'reject' }] });
  writeRun(root, { id: allRejected, createdAt: 2, images: [{ flag: 'reject' }, { flag: 'reject' }] });
  writeRun(root, { id: kept, createdAt: 1, images: [{ flag: 'pick' }] });
  return { mixed, allRejected, kept };
}

const pendingFile = (root: string) =>
  JSON.parse(readFileSync(path.join(root, '.sseelfie', 'pending-deletions.json'), 'utf8')).entries as unknown[];

describe('delete rejected', () => {
  it('hides at once, undo shows them again, delete again: after the undo window the files are in the trash', async () => {
    const root = tmpDir('sseelfie-trash-');
    const runs = culledRuns(root);
    const { lib, queue, clock, trash, events } = await setup({ root });

    const d = await queue.deleteRejected();
    expect(d).toMatchObject({ state: 'pending', photos: 4, runs: 2, undoUntil: clock.now() + 10_000 });
    expect((await lib.query()).total).toBe(2); // only the two picks are left on screen
    expect((await lib.query()).counts.flag).toEqual({ any: 2, pick: 2, reject: 0, unflagged: 0 });
    expect((await lib.list()).map((r) => r.id)).toEqual([runs.mixed, runs.kept]);
    await expect(lib.get(runs.allRejected)).rejects.toMatchObject({ code: 'not_found' });
    expect(pendingFile(root)).toHaveLength(1);

    await queue.undo(d!.token);
    expect((await lib.query()).total).toBe(6);
    expect(pendingFile(root)).toHaveLength(0);
    clock.advance(20_000);
    await queue.idle();
    expect(trash.contents()).toEqual([]); // undone: nothing went
    await expect(queue.undo(d!.token)).rejects.toMatchObject({ code: 'not_found' });

    const again = await queue.deleteRejected();
    clock.advance(9_999);
    await queue.idle();
    expect(trash.contents()).toEqual([]);
    clock.advance(1);
    await queue.idle();
    // The run with every photo rejected went as a folder; the mixed run lost its two files.
    expect(trash.contents()).toEqual(['1.png', '3.png', runs.allRejected].sort());
    expect(existsSync(path.join(root, 'runs', runs.allRejected))).toBe(false);
    expect(readRunJson(root, runs.mixed).images.map((im: { file: string }) => im.file)).toEqual(['2.png']);
    expect(readdirSync(path.join(root, 'runs', runs.mixed)).sort()).toEqual(['2.png', 'run.json']);
    expect(pendingFile(root)).toHaveLength(0);
    expect((await lib.query()).total).toBe(2);
    // A fresh open (the index from disk) agrees.
    expect((await new Library(root).query()).items).toEqual([
      { runId: runs.mixed, index: 1 },
      { runId: runs.kept, index: 0 },
    ]);
    expect(events.map((e) => [e.token === again!.token, e.state, e.photos])).toEqual([
      [false, 'pending', 4],
      [false, 'restored', 4],
      [true, 'pending', 4],
      [true, 'trashed', 4],
    ]);
    expect(await queue.deleteRejected()).toBeNull(); // nothing rejected left
  });

  it('only the runs asked for; a flag set on a hidden photo is refused', async () => {
    const root = tmpDir('sseelfie-trash-');
    const runs = culledRuns(root);
    const { lib, queue } = await setup({ root });
    const d = await queue.deleteRejected([runs.mixed]);
    expect(d).toMatchObject({ photos: 2, runs: 1 });
    expect((await lib.query({ filter: { flag: 'reject' } })).items.map((i) => i.runId)).toEqual([
      runs.allRejected,
      runs.allRejected,
    ]);
    await expect(lib.setFlag([{ runId: runs.mixed, index: 0 }], 'pick')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('quitting closes the undo window: the photos go to the trash before the app exits', async () => {
    const root = tmpDir('sseelfie-trash-');
    const runs = culledRuns(root);
    const { queue, trash } = await setup({ root });
    await queue.deleteRejected([runs.allRejected]);
    await queue.flush();
    expect(trash.contents()).toEqual([runs.allRejected]);
    expect(queue.list()).toEqual([]);
  });

  it('a whole run (the run page’s Delete) goes through the same queue, with undo', async () => {
    const root = tmpDir('sseelfie-trash-');
    const runs = culledRuns(root);
    const { lib, queue, clock, trash } = await setup({ root });
    const d = await queue.deleteRun(runs.kept);
    expect(d).toMatchObject({ photos: 1, runs: 1 });
    expect((await lib.list()).map((r) => r.id)).not.toContain(runs.kept);
    clock.advance(10_000);
    await queue.idle();
    expect(trash.contents()).toEqual([runs.kept]);
    await expect(queue.deleteRun(runs.kept)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('a crash between hiding and trashing loses nothing', () => {
  it('reopened within the undo window: the photos are shown again, every file still there', async () => {
    const root = tmpDir('sseelfie-trash-');
    const runs = culledRuns(root);
    const clock = fakeClock();
    const first = await setup({ root, clock });
    await first.queue.deleteRejected();
    expect((await first.lib.query()).total).toBe(2);
    // The app dies here: no timer fires, nothing is flushed. It opens again 3 s later.
    clock.advance(0);
    const later = fakeClock(clock.now() + 3_000);
    const second = await setup({ root, clock: later });
    expect(second.opened).toEqual({ restored: 4, carriedOut: 0 });
    expect((await second.lib.query()).total).toBe(6);
    expect(readdirSync(path.join(root, 'runs', runs.mixed)).sort()).toEqual(['1.png', '2.png', '3.png', 'run.json']);
    expect(pendingFile(root)).toHaveLength(0);
    later.advance(60_000);
    await second.queue.idle();
    expect(second.trash.contents()).toEqual([]);
  });

  it('reopened after the window had closed (the app died while trashing): carried out then, without a second copy', async () => {
    const root = tmpDir('sseelfie-trash-');
    const runs = culledRuns(root);
    const clock = fakeClock();
    const first = await setup({ root, clock });
    // The trash took the first file, then the app died (the second move never returns) before run.json was rewritten.
    let calls = 0;
    let reached!: () => void;
    const dead = new Promise<void>((r) => (reached = r));
    const dying = new TrashQueue({
      library: first.lib,
      trashItem: async (p) => {
        if (calls++ === 0) return first.trash.trashItem(p);
        reached();
        return new Promise<void>(() => {});
      },
      clock,
      undoMs: 10_000,
    });
    await dying.deleteRejected([runs.mixed]);
    clock.advance(10_000);
    await dead;
    expect(readRunJson(root, runs.mixed).images).toHaveLength(3); // run.json not yet rewritten
    const second = await setup({ root, clock: fakeClock(clock.now() + 60_000) });
    expect(second.opened).toEqual({ restored: 0, carriedOut: 2 });
    expect(readRunJson(root, runs.mixed).images.map((im: { file: string }) => im.file)).toEqual(['2.png']);
    expect([...first.trash.contents()]).toEqual(['1.png', '3.png']);
    expect((await second.lib.query()).items.filter((i) => i.runId === runs.mixed)).toEqual([
      { runId: runs.mixed, index: 1 },
    ]);
  });
});

describe('the trash refuses', () => {
  it('says why, keeps the photos hidden and offers a permanent delete (or undo)', async () => {
    const root = tmpDir('sseelfie-trash-');
    const runs = culledRuns(root);
    const refuse = async () => {
      throw Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' });
    };
    const { lib, queue, clock, events } = await setup({ root, trashItem: refuse });
    const d = await queue.deleteRejected();
    clock.advance(10_000);
    await queue.idle();
    const failed = events.at(-1)!;
    expect(failed).toMatchObject({ token: d!.token, state: 'failed', photos: 4 });
    expect(failed.reason).toBe(
      'the system did not allow it (the file may be open in another app, or kept online only by OneDrive)',
    );
    expect(queue.list()).toMatchObject([{ token: d!.token, state: 'failed', photos: 4, reason: failed.reason }]);
    expect((await lib.query()).total).toBe(2); // still hidden: the person asked for them to go
    expect(readdirSync(path.join(root, 'runs', runs.mixed))).toContain('1.png');

    await queue.deletePermanently(d!.token);
    expect(existsSync(path.join(root, 'runs', runs.allRejected))).toBe(false);
    expect(readdirSync(path.join(root, 'runs', runs.mixed)).sort()).toEqual(['2.png', 'run.json']);
    expect(readRunJson(root, runs.mixed).images).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ token: d!.token, state: 'deleted', photos: 4 });
    expect(queue.list()).toEqual([]);
    await expect(queue.deletePermanently(d!.token)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('undo after a refusal shows them again; a refused deletion left at quit is shown again on the next open', async () => {
    const root = tmpDir('sseelfie-trash-');
    culledRuns(root);
    const refuse = async () => {
      throw Object.assign(new Error('busy'), { code: 'EBUSY' });
    };
    const { lib, queue, clock } = await setup({ root, trashItem: refuse });
    const d = await queue.deleteRejected();
    await expect(queue.deletePermanently(d!.token)).rejects.toMatchObject({ code: 'invalid_input' }); // only after a refusal
    clock.advance(10_000);
    await queue.idle();
    expect(queue.list()[0]).toMatchObject({ state: 'failed', reason: 'the file is in use by another app' });
    await queue.undo(d!.token);
    expect((await lib.query()).total).toBe(6);

    await queue.deleteRejected();
    await queue.flush(); // quit: the trash refuses again
    expect(queue.list()[0]).toMatchObject({ state: 'failed' });
    const next = await setup({ root, clock: fakeClock(clock.now() + 1000) });
    expect(next.opened).toEqual({ restored: 4, carriedOut: 0 });
    expect((await next.lib.query()).total).toBe(6);
  });
});
