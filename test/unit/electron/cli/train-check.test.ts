/** `cli train --images DIR --check [--json]`: the report's shape, the exit codes, no network or token. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../electron/cli-core';
import { AnalysisPool } from '../../../../electron/services/training/set-check/analysis-pool';
import { PHOTO_CODES, SET_CODES } from '../../../../electron/services/training/set-check/problems';
import { jpeg, portrait } from '../../../fixtures/faces/real-photos';
import { buildSetCheckWorker } from '../training/set-check/worker-build';

let workerUrl: URL;
let root: string;
let photos: string;
const pools: AnalysisPool[] = [];

beforeAll(async () => {
  workerUrl = await buildSetCheckWorker();
  root = mkdtempSync(path.join(tmpdir(), 'train-check-cli-'));
  photos = path.join(root, 'selfies');
  mkdirSync(photos);
  const p = await jpeg(await portrait(1));
  writeFileSync(path.join(photos, 'me.jpg'), p);
  writeFileSync(path.join(photos, 'me-again.jpg'), await sharp(p).resize(560).jpeg({ quality: 80 }).toBuffer());
  writeFileSync(path.join(photos, 'readme.txt'), 'not a photo');
  writeFileSync(path.join(photos, '.DS_Store'), 'finder noise');
  mkdirSync(path.join(photos, 'old'));
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  rmSync(root, { recursive: true, force: true });
});

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  // no token, no address, and a fetch that fails the test if anything tries the network
  const fetch = (() => {
    throw new Error('train --check must not use the network');
  }) as unknown as typeof globalThis.fetch;
  const code = await runCli(args, {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    isTTY: false,
    env: {},
    fetch,
    trainingCheck: {
      analysisPool: () => {
        const p = new AnalysisPool(workerUrl, { workers: 1, timeoutMs: 120_000 });
        pools.push(p);
        return p;
      },
    },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('cli train --check', () => {
  it('--json prints the report of every photo in the folder and exits 0', async () => {
    const r = await cli(['train', '--images', photos, '--check', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      images: Array<{ file: string; ok: boolean; problems: Array<{ code: string; message: string; of?: string }> }>;
      set: { ok: boolean; problems: Array<{ code: string; message: string }> };
    };
    expect(Object.keys(report).sort()).toEqual(['images', 'set']);
    // absolute paths, sorted by name; hidden files and sub-folders are not photos
    expect(report.images.map((im) => im.file)).toEqual(
      ['me-again.jpg', 'me.jpg', 'readme.txt'].map((f) => path.join(photos, f)),
    );
    for (const im of report.images) {
      expect(Object.keys(im).sort()).toEqual(['file', 'ok', 'problems']);
      for (const p of im.problems) {
        expect(PHOTO_CODES).toContain(p.code);
        expect(typeof p.message).toBe('string');
        if (p.of !== undefined) expect(path.isAbsolute(p.of)).toBe(true);
      }
    }
    const [again, me, txt] = report.images;
    expect(again!.ok).toBe(false);
    expect(again!.problems.find((p) => p.code === 'duplicate')).toEqual({
      code: 'duplicate',
      message: expect.any(String),
      of: path.join(photos, 'me.jpg'),
    });
    expect(me).toEqual({
      file: path.join(photos, 'me.jpg'),
      ok: true,
      problems: [{ code: 'low-resolution', message: expect.stringContaining('600 × 780') }],
    });
    expect(txt!.ok).toBe(false);
    expect(txt!.problems.map((p) => p.code)).toEqual(['unreadable']);
    expect(report.set.ok).toBe(false);
    expect(report.set.problems.map((p) => p.code)).toEqual(['too-few']);
    for (const p of report.set.problems) expect(SET_CODES).toContain(p.code);
  });

  it('without --json prints the verdicts in words', async () => {
    const r = await cli(['train', '--images', photos, '--check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok   me.jpg');
    expect(r.stdout).toContain('out  me-again.jpg');
    expect(r.stdout).toContain('duplicate: Duplicate of "me.jpg"');
    expect(r.stdout).toContain('1 of 3 photos usable. The set is not ready to train yet.');
    expect(r.stdout).toContain('too-few: Only 1 usable photo. Training needs at least 10');
  });

  it('exits 2 with a sentence when the folder is missing, empty, a file, or not given', async () => {
    const missing = await cli(['train', '--images', path.join(root, 'nope'), '--check', '--json']);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain(`The folder ${path.join(root, 'nope')} does not exist.`);
    const emptyDir = path.join(root, 'empty');
    mkdirSync(emptyDir);
    writeFileSync(path.join(emptyDir, '.hidden'), 'x');
    const empty = await cli(['train', '--images', emptyDir, '--check']);
    expect(empty).toMatchObject({ code: 2, stdout: '' });
    expect(empty.stderr).toContain('holds no photos');
    const file = await cli(['train', '--images', path.join(photos, 'me.jpg'), '--check']);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('is a file, not a folder');
    const none = await cli(['train', '--check']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('needs --images DIR');
    const bad = await cli(['train', '--images', photos, '--check', '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--bogus'");
  });

  it('lists train --check in the usage', async () => {
    const r = await cli(['help']);
    expect(r.stdout).toContain('npm run cli -- train --images DIR --check [--json]');
  });
});
