/**
 * Moving the photos of the previous library into the current one (issue 12, bug 2): whole run
 * and selfie folders, by rename on one volume, else copied into a hidden `.incoming-<id>` folder,
 * renamed into place and only then removed at the source; progress as it goes; cancel leaves no
 * half run anywhere; a run already in the new library is never overwritten (skipped and said).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LibraryMove, type MoveProgress } from '../../../../electron/services/library/library-move';
import { Library } from '../../../../electron/services/library/library';
import { tmpDir } from '../jobs/harness';

const RUN_A = '20260101-090000-aaaa';
const RUN_B = '20260102-090000-bbbb';
const RUN_C = '20260103-090000-cccc';
const SELFIE = 's_abc123def';

function writeRun(root: string, id: string, photos = 2, tag = 'x') {
  const dir = path.join(root, 'runs', id);
  mkdirSync(dir, { recursive: true });
  const images = Array.from({ length: photos }, (_, i) => {
    writeFileSync(path.join(dir, `${i}.png`), `png ${id} ${i} ${tag}`.repeat(50));
    return { index: i, file: `${i}.png`, width: 8, height: 8, format: 'png', bytes: 10 };
  });
  writeFileSync(
    path.join(dir, 'run.json'),
    JSON.stringify({
      schema: 1,
      id,
      label: `run ${id}`,
      prompt: `prompt ${tag}`,
      modelRef: 'o/m',
      version: null,
      predictionId: null,
      mode: 'txt2img',
      input: {},
      seed: 1,
      predictTime: null,
      timings: { createdAt: Date.parse('2026-01-01'), savedAt: 1 },
      images,
      source: null,
      mask: null,
      warnings: [],
    }),
  );
}
function writeSelfie(root: string, id: string) {
  const dir = path.join(root, 'selfies', id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'original.jpg'), 'jpeg bytes');
  writeFileSync(path.join(dir, 'display.jpg'), 'display bytes');
  writeFileSync(path.join(dir, 'selfie.json'), JSON.stringify({ id, name: 'me.jpg', sha256: 'f'.repeat(64) }));
}
function libraries() {
  const base = tmpDir('sseelfie-move-');
  const from = path.join(base, 'old');
  const to = path.join(base, 'new');
  mkdirSync(path.join(to, 'runs'), { recursive: true });
  return { from, to };
}
/** A rename that cannot cross from one library to the other, as between two disks. */
function noCrossing(from: string, calls: string[] = []) {
  return async (a: string, b: string) => {
    calls.push(`${path.basename(a)} -> ${path.basename(b)}`);
    if (a.startsWith(from + path.sep) !== b.startsWith(from + path.sep))
      throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
    await fs.rename(a, b);
  };
}
const tree = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

describe('LibraryMove', () => {
  it('on one volume: renames whole run and selfie folders into the new library, with progress; the new library lists them', async () => {
    const { from, to } = libraries();
    writeRun(from, RUN_A);
    writeRun(from, RUN_B, 3);
    writeSelfie(from, SELFIE);
    // a run folder without run.json is an unfinished job of that library: it stays there
    mkdirSync(path.join(from, 'runs', RUN_C), { recursive: true });
    writeFileSync(path.join(from, 'runs', RUN_C, 'source.jpg'), 'prepared');
    const before = readFileSync(path.join(from, 'runs', RUN_B, '2.png'));
    const seen: MoveProgress[] = [];
    const calls: string[] = [];
    const r = await new LibraryMove(from, to, {
      onProgress: (p) => seen.push(structuredClone(p)),
      rename: noCrossing('/nowhere', calls),
    }).run();
    expect(r).toMatchObject({ state: 'done', total: 3, done: 3, runsMoved: 2, selfiesMoved: 1, skipped: [] });
    expect(calls.every((c) => !c.includes('.incoming'))).toBe(true); // renamed in one step
    expect(tree(path.join(to, 'runs'))).toEqual([RUN_A, RUN_B]);
    expect(readFileSync(path.join(to, 'runs', RUN_B, '2.png'))).toEqual(before);
    expect(tree(path.join(to, 'selfies'))).toEqual([SELFIE]);
    expect(tree(path.join(from, 'runs'))).toEqual([RUN_C]);
    expect(seen[0]).toMatchObject({ state: 'moving', done: 0, total: 3 });
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ state: 'done', done: 3 });
    expect((await new Library(to).list()).map((x) => x.id).sort()).toEqual([RUN_A, RUN_B]);
  });

  it('across volumes (rename says EXDEV): copies into .incoming-<id>, renames it into place, then removes the source', async () => {
    const { from, to } = libraries();
    writeRun(from, RUN_A);
    writeSelfie(from, SELFIE);
    const bytes = readFileSync(path.join(from, 'runs', RUN_A, '1.png'));
    const calls: string[] = [];
    const r = await new LibraryMove(from, to, { rename: noCrossing(from, calls) }).run();
    expect(r).toMatchObject({ state: 'done', runsMoved: 1, selfiesMoved: 1, skipped: [] });
    expect(calls).toEqual(
      expect.arrayContaining([
        `${RUN_A} -> ${RUN_A}`,
        `.incoming-${RUN_A} -> ${RUN_A}`,
        `.incoming-${SELFIE} -> ${SELFIE}`,
      ]),
    );
    expect(tree(path.join(to, 'runs', RUN_A))).toEqual(['0.png', '1.png', 'run.json']);
    expect(readFileSync(path.join(to, 'runs', RUN_A, '1.png'))).toEqual(bytes);
    expect(tree(path.join(to, 'runs')).some((n) => n.startsWith('.incoming'))).toBe(false);
    expect(tree(path.join(from, 'runs'))).toEqual([]);
    expect(tree(path.join(from, 'selfies'))).toEqual([]);
  });

  it('cancel in the middle of copying a run: that run stays whole in the old library, nothing of it in the new one', async () => {
    const { from, to } = libraries();
    writeRun(from, RUN_A);
    writeRun(from, RUN_B, 3);
    const stop = new AbortController();
    let copied = 0;
    const r = await new LibraryMove(from, to, {
      rename: noCrossing(from),
      copyFile: async (a, b) => {
        await fs.copyFile(a, b);
        // runs go newest first: B (3 photos and run.json) is copied whole; stop after A's first file
        if (++copied === 5) stop.abort();
      },
    }).run(stop.signal);
    expect(r).toMatchObject({ state: 'canceled', runsMoved: 1 });
    expect(tree(path.join(to, 'runs'))).toEqual([RUN_B]);
    expect(tree(path.join(from, 'runs'))).toEqual([RUN_A]);
    expect(tree(path.join(from, 'runs', RUN_A))).toEqual(['0.png', '1.png', 'run.json']);
    // moving again finishes the job
    const again = await new LibraryMove(from, to, { rename: noCrossing(from) }).run();
    expect(again).toMatchObject({ state: 'done', runsMoved: 1 });
    expect(tree(path.join(to, 'runs'))).toEqual([RUN_A, RUN_B]);
  });

  it('never overwrites a run already in the new library: it is skipped and said; a copy left by an interrupted move is finished', async () => {
    const { from, to } = libraries();
    writeRun(from, RUN_A, 2, 'old');
    writeRun(to, RUN_A, 2, 'new'); // another run with that folder name
    writeRun(from, RUN_B);
    writeRun(to, RUN_B); // the very same run: a move that stopped before removing the source
    mkdirSync(path.join(to, 'runs', `.incoming-${RUN_C}`), { recursive: true }); // a crash's leftover
    const r = await new LibraryMove(from, to, { rename: noCrossing(from) }).run();
    expect(r.state).toBe('done');
    expect(r.runsMoved).toBe(1);
    expect(r.skipped).toEqual([{ kind: 'run', id: RUN_A, reason: expect.stringContaining('already in this library') }]);
    expect(JSON.parse(readFileSync(path.join(to, 'runs', RUN_A, 'run.json'), 'utf8')).prompt).toBe('prompt new');
    expect(JSON.parse(readFileSync(path.join(from, 'runs', RUN_A, 'run.json'), 'utf8')).prompt).toBe('prompt old');
    expect(tree(path.join(from, 'runs'))).toEqual([RUN_A]);
    expect(tree(path.join(to, 'runs'))).toEqual([RUN_A, RUN_B]);
  });

  it('survey counts what a library holds: saved runs and selfies, not unfinished folders', async () => {
    const { from } = libraries();
    writeRun(from, RUN_A);
    writeSelfie(from, SELFIE);
    mkdirSync(path.join(from, 'runs', RUN_C), { recursive: true });
    expect(await LibraryMove.survey(from)).toEqual({ runs: [RUN_A], selfies: [SELFIE] });
    expect(await LibraryMove.survey(path.join(from, 'missing'))).toEqual({ runs: [], selfies: [] });
  });
});
