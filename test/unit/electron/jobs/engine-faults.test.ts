/**
 * Every injected fault, every crash point: nothing paid for is lost and each job creates exactly
 * one prediction.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../../sim/server';
import { SimulatedCrash } from '../../../../electron/services/jobs/job-engine';
import type { JobRecord } from '../../../../electron/services/jobs/journal';
import { FIXTURES, closeSimsAfterEach, rig, simWith, tmpDir } from './harness';

const MODEL = 'sandrasocial/sseelfie-ai';
const INPUT = { prompt: 'subject in a cafe with a laptop', num_outputs: 2, output_format: 'png' as const };
closeSimsAfterEach(afterEach);

async function savedFiles(root: string, runId: string) {
  const dir = path.join(root, 'library', 'runs', runId);
  const files = readdirSync(dir).filter((f) => /^\d\.png$/.test(f));
  for (const f of files) expect((await sharp(path.join(dir, f)).metadata()).format).toBe('png');
  return files;
}

describe('faults: nothing lost, exactly one prediction per job', () => {
  it.each<[string, FaultRule[]]>([
    [
      '429 with Retry-After on create',
      [{ endpoint: 'predictions.create', kind: 'status', status: 429, retryAfterSec: 1, times: 2 }],
    ],
    ['500 on create (not processed)', [{ endpoint: 'predictions.create', kind: 'status', status: 500 }]],
    ['503 on create', [{ endpoint: 'predictions.create', kind: 'status', status: 503, times: 2 }]],
    ['connection reset on create (not processed)', [{ endpoint: 'predictions.create', kind: 'reset' }]],
    ['create processed but its response lost', [{ endpoint: 'predictions.create', kind: 'lost-response' }]],
    [
      'create processed, response lost, and the list call fails once',
      [
        { endpoint: 'predictions.create', kind: 'lost-response' },
        { endpoint: 'predictions.list', kind: 'status', status: 502 },
      ],
    ],
    [
      '429 and 5xx while polling',
      [
        { endpoint: 'predictions.get', kind: 'status', status: 429, retryAfterSec: 1 },
        { endpoint: 'predictions.get', kind: 'status', status: 503, times: 3, after: 1 },
      ],
    ],
    ['connection resets while polling', [{ endpoint: 'predictions.get', kind: 'reset', times: 3 }]],
    ['truncated output downloads', [{ endpoint: 'output', kind: 'truncate', times: 2 }]],
    ['500 on output downloads', [{ endpoint: 'output', kind: 'status', status: 500, times: 2 }]],
    [
      'slow everything',
      [
        { endpoint: 'predictions.get', kind: 'latency', ms: 30, times: 5 },
        { endpoint: 'output', kind: 'latency', ms: 30, times: 2 },
      ],
    ],
  ])('%s', async (_name, faults) => {
    const s = await simWith(faults);
    const r = rig(s);
    const job = await r.engine.start({ modelRef: MODEL, input: INPUT });
    const done = await r.engine.wait(job.id);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('saved');
    expect(s.stats().predictionsCreated).toBe(1);
    expect(await savedFiles(r.root, done.runId)).toHaveLength(2);
  });

  it.each<[string, FaultRule[]]>([
    ['upload answered 503 then succeeds', [{ endpoint: 'files.create', kind: 'status', status: 503 }]],
    ['upload processed but its response lost', [{ endpoint: 'files.create', kind: 'lost-response' }]],
    ['upload rate limited', [{ endpoint: 'files.create', kind: 'status', status: 429, retryAfterSec: 1 }]],
  ])('%s: the selfie ends up on Replicate once', async (_name, faults) => {
    const s = await simWith(faults);
    const r = rig(s);
    const job = await r.engine.start({
      modelRef: MODEL,
      input: { prompt: 'subject' },
      image: { name: 'selfie.png', path: path.join(FIXTURES, 'selfie.png') },
    });
    const done = await r.engine.wait(job.id);
    expect(done.state).toBe('saved');
    expect(s.files().filter((f) => !f.deleted)).toHaveLength(1);
    expect(s.stats().predictionsCreated).toBe(1);
  });

  it('a rate limit shows a countdown on the job while it waits', async () => {
    const s = await simWith([{ endpoint: 'predictions.create', kind: 'status', status: 429, retryAfterSec: 2 }]);
    const views: Array<{ status?: string; waitingUntil?: number }> = [];
    const r = rig(s, { engine: { onChange: (j) => views.push(j) } });
    const done = await r.engine.wait((await r.engine.start({ modelRef: MODEL, input: INPUT })).id);
    expect(done.state).toBe('saved');
    const waiting = views.find((v) => v.status?.includes('slow down'));
    expect(waiting?.status).toMatch(/trying again in \d+ s/);
    expect(waiting?.waitingUntil).toEqual(expect.any(Number));
  });
});

describe('a process killed at each state resumes without a lost photo or a second prediction', () => {
  it.each(['queued', 'preparing', 'submitted', 'running', 'downloading'] as const)(
    'killed right after journaling "%s"',
    async (state) => {
      const s = await simWith();
      const root = tmpDir();
      let crashed = false;
      const first = rig(s, {
        root,
        afterJournal: (rec: JobRecord) => {
          if (!crashed && rec.state === state) {
            crashed = true;
            throw new SimulatedCrash(state);
          }
        },
      });
      const job = await first.engine
        .start({
          modelRef: MODEL,
          input: INPUT,
          image: { name: 'selfie.png', path: path.join(FIXTURES, 'selfie.png') },
        })
        .catch((e) => {
          if (e instanceof SimulatedCrash) return null; // died while journaling "queued"
          throw e;
        });
      void job;
      await first.engine.idle();
      expect(crashed).toBe(true);
      expect(readdirSync(first.engine.journal.dir)).toHaveLength(1);

      const second = rig(s, { root });
      const resumed = await second.engine.resume();
      expect(resumed).toHaveLength(1);
      await second.engine.idle();
      const done = second.engine.get(resumed[0]!.id)!;
      expect(done.error).toBeUndefined();
      expect(done.state).toBe('saved');
      expect(s.stats().predictionsCreated).toBe(1);
      expect(await savedFiles(root, done.runId)).toHaveLength(2);
      expect(readdirSync(second.engine.journal.dir)).toEqual([]);
    },
  );

  it('killed mid-create (processed, response lost) then resumed: reconciled, not re-sent', async () => {
    const s = await simWith([{ endpoint: 'predictions.create', kind: 'lost-response' }]);
    const root = tmpDir();
    const first = rig(s, {
      root,
      engine: {
        // the process dies while it is checking with Replicate after the lost answer
        sleep: async () => {
          throw new SimulatedCrash('mid-reconcile');
        },
      },
    });
    const job = await first.engine.start({ modelRef: MODEL, input: INPUT });
    await first.engine.idle();
    expect(s.stats().predictionsCreated).toBe(1);
    const second = rig(s, { root });
    await second.engine.resume();
    await second.engine.idle();
    expect(second.engine.get(job.id)!.state).toBe('saved');
    expect(s.stats().predictionsCreated).toBe(1);
  });

  it('after Replicate deleted the outputs (one hour), the job is marked lost with an explanation', async () => {
    let t = Date.now();
    const s = await simWith([], { now: () => t, retentionMs: 60 * 60_000 });
    const root = tmpDir();
    const first = rig(s, {
      root,
      afterJournal: (rec) => {
        if (rec.state === 'running') throw new SimulatedCrash('x');
      },
    });
    const job = await first.engine.start({ modelRef: MODEL, input: INPUT });
    await first.engine.idle();
    t += 2 * 60 * 60_000; // the app was closed for two hours
    const second = rig(s, { root });
    await second.engine.resume();
    await second.engine.idle();
    const done = second.engine.get(job.id)!;
    expect(done.state).toBe('lost');
    expect(done.error!.message).toMatch(/deleted the results.*one hour/);
  });

  it('a job whose painted mask never reached disk fails honestly on resume, without a prediction', async () => {
    const s = await simWith();
    const root = tmpDir();
    const first = rig(s, {
      root,
      afterJournal: (rec) => {
        if (rec.state === 'queued') throw new SimulatedCrash('x');
      },
    });
    await first.engine
      .start({
        modelRef: MODEL,
        input: { prompt: 'subject' },
        image: { name: 'selfie.png', path: path.join(FIXTURES, 'selfie.png') },
        mask: { width: 4, height: 4, data: new Uint8Array(16).fill(255) },
      })
      .catch(() => null);
    const second = rig(s, { root });
    const [j] = await second.engine.resume();
    await second.engine.idle();
    expect(second.engine.get(j!.id)).toMatchObject({ state: 'failed', error: { code: 'invalid_input' } });
    expect(s.stats().createCalls).toBe(0);
  });
});

/** A tiny filesystem of our own to make "disk full" and "read-only" real (we run as root). */
function tryMount(dir: string, sizeKb: number): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const umount = (dir: string) => {
  try {
    execFileSync('umount', [dir], { stdio: 'ignore' });
  } catch {
    /* not mounted */
  }
};

describe('a full disk or read-only library is reported without losing the download', () => {
  it.each(['full', 'read-only'] as const)(
    '%s library at download time: photos rescued, then saved on resume',
    async (kind) => {
      const s = await simWith();
      const root = tmpDir();
      const libMount = path.join(root, 'library');
      const mounted = tryMount(libMount, 4096);
      let broke = false;
      const breakDisk = () => {
        if (mounted && kind === 'full') {
          try {
            writeFileSync(path.join(libMount, 'filler'), Buffer.alloc(8 * 1024 * 1024));
          } catch {
            /* the disk is now full */
          }
        } else if (mounted) {
          execFileSync('mount', ['-o', 'remount,ro', libMount]);
        } else {
          // no mount permission: make the run folder impossible to create instead
          mkdirSync(path.join(libMount, 'runs'), { recursive: true });
        }
        broke = true;
      };
      try {
        const first = rig(s, {
          root,
          afterJournal: (rec) => {
            if (rec.state === 'downloading' && !broke) {
              breakDisk();
              if (!mounted) writeFileSync(path.join(libMount, 'runs', rec.runId), 'not a folder');
            }
          },
        });
        const job = await first.engine.start({ modelRef: MODEL, input: INPUT });
        const stuck = await first.engine.wait(job.id);
        expect(stuck.error?.code).toBe('disk');
        expect(stuck.error!.message, stuck.error!.message).toMatch(
          kind === 'full' && mounted ? /disk is full/ : /read-only|not allowed|system said/,
        );
        expect(stuck.error!.message).toMatch(/kept safe/);
        const rescued = readdirSync(path.join(root, 'rescued', job.id));
        expect(rescued).toHaveLength(2);

        // The person frees space / fixes the folder and tries again.
        if (mounted && kind === 'full') rmSync(path.join(libMount, 'filler'), { force: true });
        else if (mounted) execFileSync('mount', ['-o', 'remount,rw', libMount]);
        else rmSync(path.join(libMount, 'runs', stuck.runId), { force: true });

        const second = rig(s, { root });
        await second.engine.resume();
        await second.engine.idle();
        const done = second.engine.get(job.id)!;
        expect(done.state).toBe('saved');
        expect(await savedFiles(root, done.runId)).toHaveLength(2);
        expect(existsSync(path.join(root, 'rescued', job.id, '1.png'))).toBe(false);
        expect(s.stats().predictionsCreated).toBe(1);
      } finally {
        if (mounted) umount(libMount);
      }
    },
  );

  it('Try again in the same session moves the rescued photos into the library once the folder is fixed', async () => {
    const s = await simWith();
    const root = tmpDir();
    const lib = path.join(root, 'library');
    let broke = false;
    const r = rig(s, {
      root,
      afterJournal: (rec) => {
        if (rec.state === 'downloading' && !broke) {
          broke = true;
          rmSync(path.join(lib, 'runs', rec.runId), { recursive: true, force: true });
          writeFileSync(path.join(lib, 'runs', rec.runId), 'not a folder'); // the run folder cannot be written
        }
      },
    });
    const job = await r.engine.start({ modelRef: MODEL, input: INPUT });
    const stuck = await r.engine.wait(job.id);
    expect(stuck).toMatchObject({ state: 'downloading', error: { code: 'disk' } });
    expect(stuck.error!.message).toMatch(/press Try again/);
    await expect(r.engine.retry('job_nope')).rejects.toMatchObject({ code: 'invalid_input' });
    rmSync(path.join(lib, 'runs', stuck.runId), { force: true });
    await r.engine.retry(job.id);
    const done = await r.engine.wait(job.id);
    expect(done.state).toBe('saved');
    expect(await savedFiles(root, done.runId)).toHaveLength(2);
    expect(s.stats().predictionsCreated).toBe(1);
  });

  it('a read-only library is refused before anything is paid for', async () => {
    const s = await simWith();
    const root = tmpDir();
    mkdirSync(path.join(root, 'library'), { recursive: true });
    writeFileSync(path.join(root, 'library', 'runs'), 'a file where the runs folder should be');
    const r = rig(s, { root });
    await expect(r.engine.start({ modelRef: MODEL, input: INPUT })).rejects.toMatchObject({ code: 'disk' });
    expect(s.stats().createCalls).toBe(0);
  });
});
