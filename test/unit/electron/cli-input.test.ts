/** The CLI's promises about input and about paid predictions: exit 2 means nothing was sent. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../electron/cli-core';
import { runCliAgainst } from './cli-harness';
import type { Simulator } from '../../sim/server';
import { FIXTURES, sim, tmpDir } from './jobs/harness';

let s: Simulator;
beforeAll(async () => {
  s = await sim();
});
afterAll(() => s.close());

// Real waits are Replicate's business; here only their order matters.
const quick = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((r, j) => (signal?.aborted ? j(signal.reason) : setTimeout(r, Math.min(ms, 5))));
const cli = (args: string[], extra: Parameters<typeof runCliAgainst>[2] = {}) =>
  runCliAgainst(s, args, { engine: { pollMinMs: 5, pollMaxMs: 20, sleep: quick }, ...extra });

function nothingLeft(lib: string) {
  const journal = path.join(lib, '.sseelfie', 'journal');
  expect(existsSync(journal) ? readdirSync(journal) : []).toEqual([]);
  const runs = path.join(lib, 'runs');
  expect(existsSync(runs) ? readdirSync(runs) : []).toEqual([]);
}

describe('CLI: bad input exits 2 and leaves nothing behind', () => {
  it('a truncated JPEG as --image', async () => {
    const lib = tmpDir();
    const full = readFileSync(path.join(FIXTURES, 'selfie-exif6.jpg'));
    const cut = path.join(lib, 'cut.jpg');
    writeFileSync(cut, full.subarray(0, Math.floor(full.length / 2)));
    const before = s.stats();
    const r = await cli(['generate', '--prompt', 'subject', '--image', cut, '--library', lib, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cut\.jpg/);
    nothingLeft(lib);
    expect(s.stats().createCalls).toBe(before.createCalls);
    expect(s.stats().uploads).toBe(before.uploads);
  });

  it('an all-black (empty) mask', async () => {
    const lib = tmpDir();
    const mask = path.join(lib, 'mask.png');
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } })
      .png()
      .toFile(mask);
    const before = s.stats();
    const r = await cli([
      'generate',
      '--prompt',
      'subject',
      '--image',
      path.join(FIXTURES, 'selfie.png'),
      '--mask',
      mask,
      '--library',
      lib,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mask is empty/i);
    nothingLeft(lib);
    expect(s.stats().uploads).toBe(before.uploads);
  });

  it('an SVG mask is refused like any non-photo, never rendered', async () => {
    const lib = tmpDir();
    const mask = path.join(lib, 'mask.svg');
    writeFileSync(
      mask,
      `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><image href="file:///etc/passwd" width="64" height="64"/><rect width="64" height="64" fill="#fff"/></svg>`,
    );
    const r = await cli([
      'generate',
      '--prompt',
      'subject',
      '--image',
      path.join(FIXTURES, 'selfie.png'),
      '--mask',
      mask,
      '--library',
      lib,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mask: .*mask\.svg/m);
    nothingLeft(lib);
  });

  it('an API address that would carry the token unencrypted', async () => {
    const r = await cli(['generate', '--prompt', 'subject', '--library', tmpDir()], {
      env: { REPLICATE_BASE_URL: 'http://api.example.com/v1' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/https/);
  });
});

describe('CLI: a paid prediction is never abandoned', () => {
  it('8 × 503 while polling: exit 0, saved', async () => {
    s.setFaults([{ endpoint: 'predictions.get', kind: 'status', status: 503, times: 8 }]);
    try {
      const r = await cli(['generate', '--prompt', 'subject', '--library', tmpDir(), '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'saved' });
    } finally {
      s.setFaults([]);
    }
  });

  it('a server that echoes the Authorization header: the token is in neither stdout nor stderr', async () => {
    const secret = `${s.token}`;
    const echo: CliIo['fetch'] = async (input, init) => {
      const res = await fetch(input, init);
      if (init?.method !== 'POST' || !String(input).endsWith('/predictions')) return res;
      const auth = (init.headers as Record<string, string>).Authorization;
      return new Response(JSON.stringify({ title: 'Teapot', detail: `refused, you sent "${auth}"`, status: 418 }), {
        status: 418,
        headers: { 'Content-Type': 'application/problem+json' },
      });
    };
    const r = await cli(['generate', '--prompt', 'subject', '--library', tmpDir(), '--json'], { fetch: echo });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('[redacted]');
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('offline mid-job: says so once on stderr, continues by itself, exit 0', async () => {
    const slow = await sim({ timing: { bootMs: 0, stepMs: 40 } });
    try {
      const run = cli(['generate', '--prompt', 'subject', '--library', tmpDir(), '--json'], {
        env: { REPLICATE_BASE_URL: slow.baseUrl, REPLICATE_API_TOKEN: slow.token },
        engine: { pollMinMs: 5, pollMaxMs: 20 }, // real waits for the network, as a person's run has
      });
      for (let i = 0; i < 400 && !slow.predictions().length; i++) await new Promise((r) => setTimeout(r, 5));
      await slow.setOffline(true);
      await new Promise((r) => setTimeout(r, 1800));
      await slow.setOffline(false);
      const r = await run;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr.match(/Offline: your jobs continue when the connection returns\./g)).toHaveLength(1);
      expect(r.stderr).toMatch(/Back online/);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'saved' });
      expect(slow.stats().predictionsCreated).toBe(1);
    } finally {
      await slow.close();
    }
  });
});
