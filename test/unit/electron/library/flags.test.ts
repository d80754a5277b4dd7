/** Pick / Reject / stars, stored in each run's run.json; an old kept star reads as Pick. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import * as atomic from '../../../../electron/services/fs/atomic';
import { Library } from '../../../../electron/services/library/library';
import { tmpDir } from '../jobs/harness';
import { readRunJson, runId, writeRun } from './run-fixtures';

vi.mock('../../../../electron/services/fs/atomic', async (orig) => {
  const real = await orig<typeof import('../../../../electron/services/fs/atomic')>();
  return { ...real, writeJsonAtomic: vi.fn(real.writeJsonAtomic) };
});
const writes = vi.mocked(atomic.writeJsonAtomic);
const runJsonWrites = () => writes.mock.calls.map((c) => c[0]).filter((f) => f.endsWith('run.json'));

async function library() {
  const root = tmpDir('sseelfie-flags-');
  const lib = new Library(root);
  await lib.ensure();
  return { root, lib };
}

describe('flags and ratings', () => {
  it('an old run.json with kept stars reads as Pick, and is rewritten in the new shape only on its first change', async () => {
    const { root, lib } = await library();
    const id = runId();
    writeRun(root, { id, createdAt: 1000, images: [{}, {}, {}], kept: [0, 2] });
    const before = readFileSync(path.join(root, 'runs', id, 'run.json'), 'utf8');

    const [run] = await lib.list();
    expect(run!.images.map((im) => [im.flag, im.rating])).toEqual([
      ['pick', 0],
      [null, 0],
      ['pick', 0],
    ]);
    expect((await lib.get(id)).images.map((im) => im.flag)).toEqual(['pick', null, 'pick']);
    expect((await lib.query({ filter: { flag: 'pick' } })).items).toEqual([
      { runId: id, index: 0 },
      { runId: id, index: 2 },
    ]);
    // Reading wrote nothing: the file is as the old version left it.
    expect(readFileSync(path.join(root, 'runs', id, 'run.json'), 'utf8')).toBe(before);

    await lib.setRating([{ runId: id, index: 1 }], 4);
    const onDisk = readRunJson(root, id);
    expect(onDisk.kept).toBeUndefined();
    expect(onDisk.images.map((im: { flag?: string; rating?: number }) => [im.flag ?? null, im.rating ?? 0])).toEqual([
      ['pick', 0],
      [null, 4],
      ['pick', 0],
    ]);
  });

  it('a key on a selection across runs writes each run.json once, atomically, and answers the runs as they now are', async () => {
    const { root, lib } = await library();
    const a = runId(),
      b = runId(),
      c = runId();
    writeRun(root, { id: a, createdAt: 1, images: [{}, {}, {}, {}] });
    writeRun(root, { id: b, createdAt: 2, images: [{}, {}] });
    writeRun(root, { id: c, createdAt: 3, images: [{}] });
    await lib.list();
    writes.mockClear();
    const runs = await lib.setFlag(
      [
        { runId: a, index: 0 },
        { runId: a, index: 2 },
        { runId: a, index: 3 },
        { runId: b, index: 1 },
      ],
      'reject',
    );
    expect(runJsonWrites().sort()).toEqual([a, b].map((id) => path.join(root, 'runs', id, 'run.json')).sort());
    expect(runs.map((r) => [r.id, r.images.map((im) => im.flag)])).toEqual([
      [a, ['reject', null, 'reject', 'reject']],
      [b, [null, 'reject']],
    ]);
    expect(readRunJson(root, a).images.map((im: { flag?: string }) => im.flag ?? null)).toEqual([
      'reject',
      null,
      'reject',
      'reject',
    ]);
    expect(readRunJson(root, c).images[0].flag).toBeUndefined();
    // No temp file is left beside run.json (the write was temp + rename).
    expect(readdirSync(path.join(root, 'runs', a)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // Unflag and stars; the index follows without reading the files again.
    await lib.setFlag([{ runId: a, index: 0 }], null);
    await lib.setRating(
      [
        { runId: a, index: 0 },
        { runId: c, index: 0 },
      ],
      5,
    );
    const page = await lib.query({ filter: { minRating: 5 } });
    expect(page.items).toEqual([
      { runId: c, index: 0 },
      { runId: a, index: 0 },
    ]);
    expect(page.counts.flag).toEqual({ any: 2, pick: 0, reject: 0, unflagged: 2 });
  });

  it('a selection with a photo that is gone changes nothing, and says so', async () => {
    const { root, lib } = await library();
    const a = runId(),
      b = runId();
    writeRun(root, { id: a, createdAt: 1, images: [{}, {}] });
    writeRun(root, { id: b, createdAt: 2, images: [{}] });
    const mtime = statSync(path.join(root, 'runs', a, 'run.json')).mtimeMs;
    await expect(
      lib.setFlag(
        [
          { runId: a, index: 0 },
          { runId: b, index: 5 },
        ],
        'pick',
      ),
    ).rejects.toMatchObject({
      code: 'not_found',
      message: 'One of these photos is no longer in the library; nothing was changed.',
    });
    await expect(lib.setRating([{ runId: '20990101-000000-nope', index: 0 }], 3)).rejects.toMatchObject({
      code: 'not_found',
      message: 'This photo is no longer in the library.',
    });
    expect(statSync(path.join(root, 'runs', a, 'run.json')).mtimeMs).toBe(mtime);
    expect(readRunJson(root, a).images[0].flag).toBeUndefined();
  });

  it('changes to one run are made one at a time: a burst of keys loses none of them', async () => {
    const { root, lib } = await library();
    const a = runId();
    writeRun(root, { id: a, createdAt: 1, images: [{}, {}, {}, {}] });
    await Promise.all([
      lib.setFlag([{ runId: a, index: 0 }], 'pick'),
      lib.setFlag([{ runId: a, index: 1 }], 'reject'),
      lib.setRating([{ runId: a, index: 2 }], 3),
      lib.setRating([{ runId: a, index: 0 }], 2),
    ]);
    expect(
      readRunJson(root, a).images.map((im: { flag?: string; rating?: number }) => [im.flag ?? null, im.rating ?? 0]),
    ).toEqual([
      ['pick', 2],
      ['reject', 0],
      [null, 3],
      [null, 0],
    ]);
  });
});
