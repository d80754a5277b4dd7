/**
 * A library switch through the real handlers (issue 12, bug 2): main says `switched`, remembers
 * the library left with its photos, moves them here on request (refused while photos are being
 * made, or while the previous library is in use elsewhere), and "Use the default folder" goes back.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../../electron/app-services';
import { dispatch } from '../../../../electron/ipc-dispatch';
import { MemoryCipher } from '../../../../electron/services/settings/token-vault';
import { LibraryLock } from '../../../../electron/services/library/library-lock';
import type { InvokeChannel } from '../../../../shared/ipc/channels';
import type { Simulator } from '../../../sim/server';
import { sim, tmpDir } from '../jobs/harness';

const RUN = '20260101-090000-aaaa';
function writeRun(root: string, id: string) {
  const dir = path.join(root, 'runs', id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '0.png'), 'png');
  writeFileSync(
    path.join(dir, 'run.json'),
    JSON.stringify({
      schema: 1,
      id,
      label: 'a run',
      prompt: 'subject at a café',
      modelRef: 'o/m',
      version: null,
      predictionId: null,
      mode: 'txt2img',
      input: {},
      seed: 1,
      predictTime: null,
      timings: { createdAt: 1, savedAt: 1 },
      images: [{ index: 0, file: '0.png', width: 8, height: 8, format: 'png', bytes: 3 }],
      source: null,
      mask: null,
      warnings: [],
    }),
  );
}

const open: Array<{ dispose(): Promise<unknown> } | Simulator> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await ('dispose' in x ? x.dispose() : x.close());
});

async function app() {
  const root = tmpDir('sseelfie-prev-');
  const events: Array<[string, any]> = [];
  const opened: string[] = [];
  let next: string | null = null;
  const services: AppServices = await createAppServices({
    userDataDir: path.join(root, 'userData'),
    defaultLibraryDir: path.join(root, 'library'),
    cipher: new MemoryCipher('keychain'),
    emit: (ch, p) => void events.push([ch, p]),
    chooseDirectory: async () => next,
    openPath: async (p) => void opened.push(p),
    engine: { pollMinMs: 5, pollMaxMs: 20 },
  });
  open.push(services);
  const call = (ch: InvokeChannel, arg?: unknown) => dispatch(services.handlers, ch, arg);
  const ok = async <T = any>(ch: InvokeChannel, arg?: unknown): Promise<T> => {
    const r = await call(ch, arg);
    if (!r.ok) throw new Error(`${ch}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  return { root, services, events, opened, call, ok, choose: (d: string | null) => (next = d) };
}

describe('switching the library', () => {
  it('says switched, remembers the library left, moves its photos here, and goes back to the default', async () => {
    const a = await app();
    const first = a.services.library().root;
    writeRun(first, RUN);
    expect(await a.ok('library:previous')).toBeNull();

    const other = path.join(a.root, 'Brand photos');
    a.choose(other);
    const view = await a.ok('settings:chooseLibrary');
    expect(view).toMatchObject({ libraryDir: other, libraryIsDefault: false });
    expect(a.events).toContainEqual(['library:changed', { reason: 'switched' }]);
    expect(await a.ok('library:list')).toEqual([]);
    expect(await a.ok('library:previous')).toEqual({ dir: first, runs: 1, selfies: 0, move: null });

    await a.ok('library:openPrevious');
    expect(a.opened).toEqual([first]);

    a.events.length = 0;
    const moved = await a.ok('library:movePrevious');
    expect(moved).toMatchObject({ state: 'done', runsMoved: 1, total: 1, done: 1, skipped: [] });
    expect(a.events.filter(([c]) => c === 'library:moveProgress').map(([, p]) => p.state)).toEqual([
      'moving',
      'moving',
      'done',
    ]);
    expect(a.events).toContainEqual(['library:changed', { reason: 'rebuilt' }]);
    expect((await a.ok<Array<{ id: string }>>('library:list')).map((r) => r.id)).toEqual([RUN]);
    expect((await a.services.serveAsset(`runs/${RUN}/0.png`)).status).toBe(200);
    // emptied: nothing left to say about it
    expect(await a.ok('library:previous')).toBeNull();

    // "Use the default folder": back, and now the folder left holds the run
    const back = await a.ok('settings:useDefaultLibrary');
    expect(back).toMatchObject({ libraryDir: first, libraryIsDefault: true });
    expect(await a.ok('library:previous')).toMatchObject({ dir: other, runs: 1 });
    // already the default: nothing happens
    a.events.length = 0;
    await a.ok('settings:useDefaultLibrary');
    expect(a.events.filter(([c]) => c === 'library:changed')).toEqual([]);
    await a.ok('library:forgetPrevious');
    expect(await a.ok('library:previous')).toBeNull();
  });

  it('a previous library on a drive that is unplugged is not mentioned, and not forgotten either', async () => {
    const a = await app();
    const first = a.services.library().root;
    writeRun(first, RUN);
    a.choose(path.join(a.root, 'other'));
    await a.ok('settings:chooseLibrary');
    const unplugged = `${first}-unplugged`;
    renameSync(first, unplugged);
    expect(await a.ok('library:previous')).toBeNull();
    renameSync(unplugged, first);
    expect(await a.ok('library:previous')).toMatchObject({ dir: first, runs: 1 });
  });

  it('the library left is remembered across a restart, until dismissed', async () => {
    const a = await app();
    writeRun(a.services.library().root, RUN);
    a.choose(path.join(a.root, 'elsewhere'));
    await a.ok('settings:chooseLibrary');
    await a.services.dispose();
    open.length = 0;
    const again = await createAppServices({
      userDataDir: path.join(a.root, 'userData'),
      defaultLibraryDir: path.join(a.root, 'library'),
      cipher: new MemoryCipher('keychain'),
      emit: () => {},
    });
    open.push(again);
    const r = await dispatch(again.handlers, 'library:previous', undefined);
    expect(r).toMatchObject({ ok: true, value: { dir: path.join(a.root, 'library'), runs: 1 } });
  });

  it('refuses to move while photos are being made, and while the previous library is in use elsewhere', async () => {
    const s = await sim({ timing: { bootMs: 60_000, stepMs: 1 } });
    open.push(s);
    const a = await app();
    await a.ok('settings:update', { apiBaseUrl: s.baseUrl });
    await a.ok('token:set', { token: s.token });
    writeRun(a.services.library().root, RUN);
    const left = a.services.library().root;
    a.choose(path.join(a.root, 'new'));
    await a.ok('settings:chooseLibrary');

    const job = await a.ok<{ id: string }>('jobs:start', { input: { prompt: 'subject on a balcony' } });
    const busy = await a.call('library:movePrevious');
    expect(busy).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('still being made') },
    });
    await a.ok('jobs:cancel', { jobId: job.id });
    await a.services.engine().idle();

    // the CLI (or another computer) is writing to the previous library: nothing moves
    const cli = LibraryLock.for(path.join(left, '.sseelfie'), 'the Sseelfie CLI');
    await cli.acquire();
    try {
      const locked = await a.call('library:movePrevious');
      expect(locked).toMatchObject({
        ok: false,
        error: { code: 'locked', message: expect.stringContaining('Nothing was moved: the previous library') },
      });
      expect(await a.ok('library:list')).toEqual([]);
    } finally {
      await cli.release();
    }
    expect(await a.ok('library:movePrevious')).toMatchObject({ state: 'done', runsMoved: 1 });
  });
});
