/** `npm run cli -- list`: every photo with its flag and rating, the same library the app reads. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../electron/cli-core';
import { tmpDir } from '../jobs/harness';
import { runId, writeRun } from '../library/run-fixtures';

async function cli(args: string[]) {
  let stdout = '',
    stderr = '';
  const code = await runCli(args, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTTY: false,
    env: {},
    userDataDir: tmpDir('sseelfie-cli-ud-'),
  });
  return { code, stdout, stderr };
}

describe('cli list', () => {
  const lib = tmpDir('sseelfie-cli-list-');
  const a = runId(),
    b = runId();
  writeRun(lib, { id: a, createdAt: 1, prompt: 'subject at a café', images: [{ flag: 'reject' }, { rating: 4 }] });
  writeRun(lib, { id: b, createdAt: 2, prompt: 'subject on a rooftop', kept: [1], images: [{}, {}] });

  it('--json gives each photo its flag and rating (an old star reads as Pick) and the files', async () => {
    const r = await cli(['list', '--library', lib, '--json']);
    expect(r.code).toBe(0);
    const runs = JSON.parse(r.stdout);
    expect(runs.map((x: { id: string }) => x.id)).toEqual([b, a]);
    expect(
      runs[0].images.map((im: { index: number; flag: string; rating: number }) => [im.index, im.flag, im.rating]),
    ).toEqual([
      [0, null, 0],
      [1, 'pick', 0],
    ]);
    expect(
      runs[1].images.map((im: { index: number; flag: string; rating: number }) => [im.index, im.flag, im.rating]),
    ).toEqual([
      [0, 'reject', 0],
      [1, null, 4],
    ]);
    expect(runs[1].files).toEqual([path.join(lib, 'runs', a, '1.png'), path.join(lib, 'runs', a, '2.png')]);
  });

  it('filters by flag, stars and prompt words; bad values exit 2 with a message', async () => {
    const picks = JSON.parse((await cli(['list', '--library', lib, '--json', '--flag', 'pick'])).stdout);
    expect(
      picks.map((x: { id: string; images: { index: number }[] }) => [x.id, x.images.map((im) => im.index)]),
    ).toEqual([[b, [1]]]);
    const rated = JSON.parse(
      (await cli(['list', '--library', lib, '--json', '--min-rating', '4', '--search', 'CAFE'])).stdout,
    );
    expect(
      rated.map((x: { id: string; images: { index: number }[] }) => [x.id, x.images.map((im) => im.index)]),
    ).toEqual([[a, [1]]]);
    const text = await cli(['list', '--library', lib]);
    expect(text.stdout).toContain('2 image(s) (1 rejected, best ★★★★)');
    expect(text.stdout).toContain('2 image(s) (1 picked)');
    expect(await cli(['list', '--library', lib, '--flag', 'maybe'])).toMatchObject({
      code: 2,
      stderr: '--flag maybe: use pick, reject or unflagged.\n',
    });
    expect(await cli(['list', '--library', lib, '--min-rating', '9'])).toMatchObject({
      code: 2,
      stderr: '--min-rating 9: use a whole number of stars from 0 to 5.\n',
    });
    expect((await cli(['list', '--library', lib, '--nope'])).code).toBe(2);
  });
});
