/** The culling and finding channels through the real handler map and dispatcher (the contract is checked both ways). */
import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../../electron/app-services';
import { dispatch } from '../../../../electron/ipc-dispatch';
import { MemoryCipher } from '../../../../electron/services/settings/token-vault';
import type { InvokeChannel } from '../../../../shared/ipc/channels';
import { tmpDir } from '../jobs/harness';
import { runId, writeRun } from './run-fixtures';

let app: AppServices;
let now = 5_000_000;
const timers: { at: number; fn: () => void }[] = [];
const events: Array<[string, any]> = [];
const root = tmpDir('sseelfie-channels-');
const libraryDir = path.join(root, 'library');
const trashDir = path.join(root, 'trash');
const a = runId(),
  b = runId();

const call = (ch: InvokeChannel, arg?: unknown) => dispatch(app.handlers, ch, arg);
async function ok<T = any>(ch: InvokeChannel, arg?: unknown): Promise<T> {
  const r = await call(ch, arg);
  if (!r.ok) throw new Error(`${ch}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  writeRun(libraryDir, { id: a, createdAt: 1, prompt: 'subject at a café', images: [{}, {}, {}] });
  writeRun(libraryDir, { id: b, createdAt: 2, prompt: 'subject on a rooftop', kept: [0], images: [{}, {}] });
  mkdirSync(trashDir, { recursive: true });
  app = await createAppServices({
    userDataDir: path.join(root, 'userData'),
    defaultLibraryDir: libraryDir,
    cipher: new MemoryCipher('keychain'),
    emit: (ch, p) => void events.push([ch, p]),
    trashItem: async (p) => renameSync(p, path.join(trashDir, path.basename(p))),
    trash: {
      undoMs: 10_000,
      clock: { now: () => now, setTimeout: (fn, ms) => timers.push({ at: now + ms, fn }), clearTimeout: () => {} },
    },
  });
});
afterAll(async () => {
  await app.dispose();
});

describe('library channels', () => {
  it('P / X / stars on a selection, the filter counts follow, library:changed tells the mirrors', async () => {
    const start = await ok('library:query', { filter: { flag: 'pick' } });
    expect(start.items).toEqual([{ runId: b, index: 0 }]); // the old star is a Pick
    const runs = await ok<any[]>('library:setFlag', {
      items: [
        { runId: a, index: 0 },
        { runId: a, index: 2 },
        { runId: b, index: 1 },
      ],
      flag: 'reject',
    });
    expect(runs.map((r) => r.id).sort()).toEqual([a, b].sort());
    expect(events.at(-1)).toEqual(['library:changed', { reason: 'updated' }]);
    await ok('library:setRating', { items: [{ runId: a, index: 1 }], rating: 3 });
    expect(events.at(-1)).toEqual(['library:changed', { runId: a, reason: 'updated' }]);
    const page = await ok('library:query', { filter: { search: 'CAFE' }, sort: 'rating' });
    expect(page).toMatchObject({
      total: 3,
      items: [
        { runId: a, index: 1 },
        { runId: a, index: 0 },
        { runId: a, index: 2 },
      ],
    });
    expect(page.counts.flag).toEqual({ any: 3, pick: 0, reject: 2, unflagged: 1 });
    expect(page.counts.rating).toEqual([3, 1, 1, 1, 0, 0]);
    const recs = await ok<any[]>('library:records', { runIds: [b] });
    expect(recs[0].images.map((im: any) => [im.flag, im.rating])).toEqual([
      ['pick', 0],
      ['reject', 0],
    ]);
  });

  it('refuses bad requests with a clear error and changes nothing', async () => {
    const bad = await call('library:setRating', { items: [{ runId: a, index: 0 }], rating: 6 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('library:setFlag', { items: [], flag: 'pick' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await call('library:setFlag', { items: [{ runId: a, index: 0 }], flag: 'maybe' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await call('library:query', { filter: { flag: 'pick', nonsense: 1 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('delete rejected → undo → delete again → in the trash when the window closes', async () => {
    const d = await ok('library:deleteRejected');
    expect(d).toMatchObject({ state: 'pending', photos: 3, runs: 2, undoUntil: now + 10_000 });
    expect(events.at(-1)).toEqual([
      'library:deletion',
      { token: d.token, state: 'pending', photos: 3, undoUntil: now + 10_000 },
    ]);
    expect((await ok('library:query')).total).toBe(2);
    expect(await ok('library:deletions')).toEqual([d]);
    await ok('library:undoDelete', { token: d.token });
    expect((await ok('library:query')).total).toBe(5);
    const again = await ok('library:deleteRejected', { runIds: [a, b] });
    now += 10_000;
    for (const t of timers.splice(0)) if (t.at <= now) t.fn();
    await app.trash().idle();
    expect(readdirSync(trashDir).sort()).toEqual(['1.png', '2.png', '3.png'].sort());
    expect(events.at(-1)).toEqual(['library:deletion', { token: again.token, state: 'trashed', photos: 3 }]);
    expect((await ok('library:query')).items).toEqual([
      { runId: b, index: 0 },
      { runId: a, index: 1 },
    ]);
    expect(await call('library:undoDelete', { token: again.token })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await ok('library:deleteRejected')).toBeNull();
  });
});
