/** The gallery index is a cache of run.json: rebuilt when index.json is missing, damaged or from another folder. */
import { cpSync, existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../../../electron/services/library/library';
import { tmpDir } from '../jobs/harness';
import { readRunJson, runId, writeRun } from './run-fixtures';

async function withRuns(count = 3) {
  const root = tmpDir('sseelfie-index-');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = runId();
    ids.push(id);
    writeRun(root, {
      id,
      createdAt: 1000 + i,
      prompt: `run ${i}`,
      images: [{ flag: i === 0 ? 'pick' : undefined }, {}],
    });
  }
  const lib = new Library(root);
  await lib.ensure();
  return { root, lib, ids, indexFile: path.join(root, '.sseelfie', 'index.json') };
}

const photoIds = async (lib: Library) => (await lib.query()).items.map((i) => `${i.runId}:${i.index}`);

describe('gallery index', () => {
  it('with no index.json, rebuilds from the run.json files and writes one; the next open loads it', async () => {
    const { root, lib, ids, indexFile } = await withRuns();
    expect(existsSync(indexFile)).toBe(false);
    expect((await lib.query()).total).toBe(6);
    expect(lib.index.lastLoad).toMatchObject({ source: 'rebuilt', reason: 'missing', runs: 3 });
    await lib.flush();
    const stored = JSON.parse(readFileSync(indexFile, 'utf8'));
    expect(stored).toMatchObject({ format: 'sseelfie-gallery-index', version: 2, root: path.resolve(root) });
    expect(stored.runs.map((r: { id: string }) => r.id).sort()).toEqual([...ids].sort());

    const again = new Library(root);
    expect(await photoIds(again)).toEqual(await photoIds(lib));
    expect(again.index.lastLoad).toMatchObject({ source: 'cache', runs: 3 });
    expect((await again.query({ filter: { flag: 'pick' } })).items).toEqual([{ runId: ids[0], index: 0 }]);
  });

  it('a damaged index.json (or one of an older version) is rebuilt from run.json, not trusted', async () => {
    const { root, lib, indexFile } = await withRuns();
    const want = await photoIds(lib);
    await lib.flush();
    writeFileSync(indexFile, '{"format":"sseelfie-gallery-index","version":2,"root":');
    const damaged = new Library(root);
    expect(await photoIds(damaged)).toEqual(want);
    expect(damaged.index.lastLoad).toMatchObject({ source: 'rebuilt', reason: 'damaged' });
    await damaged.flush();
    expect(JSON.parse(readFileSync(indexFile, 'utf8')).runs).toHaveLength(3); // and written anew

    // The index an older version wrote (a bare list of summaries, with kept in it).
    writeFileSync(indexFile, JSON.stringify([{ id: 'x', createdAt: 1, images: [] }]));
    const old = new Library(root);
    expect(await photoIds(old)).toEqual(want);
    expect(old.index.lastLoad).toMatchObject({ source: 'rebuilt', reason: 'other-version' });
  });

  it('a library copied to another place (another computer) rebuilds there from its run.json files', async () => {
    const { root, lib, ids } = await withRuns();
    await lib.setFlag([{ runId: ids[2]!, index: 1 }], 'reject');
    await lib.flush();
    const copy = path.join(tmpDir('sseelfie-copied-'), 'Library');
    cpSync(root, copy, { recursive: true });
    // On the other computer a photo was culled by hand in its run.json before the app opened there.
    const rec = readRunJson(copy, ids[1]!);
    rec.images[0].rating = 5;
    writeFileSync(path.join(copy, 'runs', ids[1]!, 'run.json'), JSON.stringify(rec));
    const there = new Library(copy);
    const page = await there.query({ filter: { minRating: 5 } });
    expect(there.index.lastLoad).toMatchObject({ source: 'rebuilt', reason: 'other-folder' });
    expect(page.items).toEqual([{ runId: ids[1], index: 0 }]);
    expect(page.counts.flag).toMatchObject({ reject: 0 });
    expect((await there.query({ filter: { flag: 'reject' } })).items).toEqual([{ runId: ids[2], index: 1 }]);
  });

  it('the folders win on every open: a run deleted or added while the app was closed; verify() re-reads edited run.json', async () => {
    const { root, lib, ids } = await withRuns();
    await lib.query();
    await lib.flush();
    rmSync(path.join(root, 'runs', ids[0]!), { recursive: true });
    const added = runId('20260202-000000');
    writeRun(root, { id: added, createdAt: 5000, images: [{ rating: 3 }] });
    const next = new Library(root);
    expect((await next.query()).items.map((i) => i.runId)).toEqual([added, ids[2], ids[2], ids[1], ids[1]]);
    expect(next.index.lastLoad?.source).toBe('cache');

    // A run.json changed behind the app's back (synced from elsewhere): its mtime differs.
    const file = path.join(root, 'runs', ids[1]!, 'run.json');
    const rec = readRunJson(root, ids[1]!);
    rec.images[1].flag = 'reject';
    writeFileSync(file, JSON.stringify(rec));
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await next.verifyIndex()).toBe(true);
    expect((await next.query({ filter: { flag: 'reject' } })).items).toEqual([{ runId: ids[1], index: 1 }]);
    expect(await next.verifyIndex()).toBe(false); // nothing else changed
  });

  it('a damaged run.json is left out of the gallery instead of breaking it', async () => {
    const { root, ids } = await withRuns();
    writeFileSync(path.join(root, 'runs', ids[1]!, 'run.json'), '{ broken');
    const lib = new Library(root);
    expect(new Set((await lib.query()).items.map((i) => i.runId))).toEqual(new Set([ids[0], ids[2]]));
  });
});
