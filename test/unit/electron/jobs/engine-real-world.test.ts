/**
 * What a real account, a flaky network and a real laptop do that the happy path does not: bursts
 * of server errors while a paid prediction runs, identical prompts, servers that echo headers,
 * broken input files and a disk that fills up mid-run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../../sim/server';
import { SimulatedCrash } from '../../../../electron/services/jobs/job-engine';
import type { JobRecord } from '../../../../electron/services/jobs/journal';
import type { FetchFn } from '../../../../electron/services/replicate/gateway';
import { FIXTURES, closeSimsAfterEach, rig, simWith, tmpDir } from './harness';

const MODEL = 'sandrasocial/sseelfie-ai';
const INPUT = { prompt: 'subject at a desk by the window', num_outputs: 1, output_format: 'png' as const };
const SELFIE = { name: 'selfie.png', path: path.join(FIXTURES, 'selfie.png') };

closeSimsAfterEach(afterEach);
/** A port nothing listens on (taken and released again). */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}
const journalFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

describe('once a prediction exists, server errors never end the job', () => {
  it.each<[string, FaultRule[]]>([
    [
      '8 × 503 while polling (more than any retry budget)',
      [{ endpoint: 'predictions.get', kind: 'status', status: 503, times: 8 }],
    ],
    ['30 × 502 while polling', [{ endpoint: 'predictions.get', kind: 'status', status: 502, times: 30 }]],
    [
      'lost create, then 8 × 503 on the predictions list',
      [
        { endpoint: 'predictions.create', kind: 'lost-response' },
        { endpoint: 'predictions.list', kind: 'status', status: 503, times: 8 },
      ],
    ],
    ['10 × 500 on the output download', [{ endpoint: 'output', kind: 'status', status: 500, times: 10 }]],
    ['12 connection resets while polling', [{ endpoint: 'predictions.get', kind: 'reset', times: 12 }]],
  ])('%s: saved, one prediction', async (_name, faults) => {
    const s = await simWith(faults);
    const views: Array<{ status?: string }> = [];
    const r = rig(s, { engine: { onChange: (j) => views.push(j) } });
    const job = await r.engine.start({ modelRef: MODEL, input: INPUT });
    const done = await r.engine.wait(job.id);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('saved');
    expect(s.stats().predictionsCreated).toBe(1);
    expect(journalFiles(r.engine.journal.dir)).toEqual([]);
    if (faults.some((f) => f.kind === 'status' && f.endpoint !== 'output')) {
      expect(views.some((v) => /Waiting for Replicate/.test(v.status ?? ''))).toBe(true);
    }
  });

  it('an error that is not the prediction’s own outcome leaves the job resumable, not failed', async () => {
    const s = await simWith();
    const root = tmpDir();
    let token: string | null = s.token;
    // The token is removed while the prediction runs (the person cleared it in Settings).
    const first = rig(s, {
      root,
      afterJournal: (rec) => void (rec.state === 'running' && (token = null)),
      gateway: { token: async () => token },
    });
    const job = await first.engine.start({ modelRef: MODEL, input: INPUT });
    const stopped = await first.engine.wait(job.id);
    expect(stopped.state).toBe('running'); // not failed: Replicate is still making the photo
    expect(stopped.error).toMatchObject({ code: 'unauthenticated' });
    expect(stopped.error!.message).toMatch(/kept.*Try again/);
    expect(journalFiles(first.engine.journal.dir)).toHaveLength(1);
    // The next start (with a token) picks it up and saves it: nothing paid twice.
    const second = rig(s, { root });
    await second.engine.resume();
    await second.engine.idle();
    expect(second.engine.get(job.id)).toMatchObject({ state: 'saved' });
    expect(s.stats().predictionsCreated).toBe(1);
  });
});

describe('reconciling a lost create finds only this job’s own prediction', () => {
  it('two identical prompts, the second killed while submitted: it gets its own prediction and seed', async () => {
    const s = await simWith();
    const root = tmpDir();
    const a = rig(s, { root });
    const firstRun = await a.engine.wait((await a.engine.start({ modelRef: MODEL, input: INPUT })).id);
    expect(firstRun.state).toBe('saved');

    // The same prompt again; the process dies right after journaling "submitted" (before the create).
    const b = rig(s, {
      root,
      afterJournal: (rec) => {
        if (rec.state === 'submitted') throw new SimulatedCrash('x');
      },
    });
    const second = await b.engine.start({ modelRef: MODEL, input: INPUT });
    await b.engine.idle();
    const c = rig(s, { root });
    await c.engine.resume();
    await c.engine.idle();
    const done = c.engine.get(second.id)!;
    expect(done.state).toBe('saved');
    expect(done.predictionId).not.toBe(firstRun.predictionId);
    expect(s.stats().predictionsCreated).toBe(2);
    const runJson = JSON.parse(readFileSync(path.join(root, 'library', 'runs', done.runId, 'run.json'), 'utf8'));
    expect(runJson.predictionId).toBe(done.predictionId);
    expect(runJson.seed).toBe(s.predictions().find((p) => p.id === done.predictionId)!.seed);
  });

  it('the second identical prompt’s create answer is lost: it adopts its own prediction, not the first run’s', async () => {
    const s = await simWith();
    const root = tmpDir();
    const a = rig(s, { root });
    const firstRun = await a.engine.wait((await a.engine.start({ modelRef: MODEL, input: INPUT })).id);
    s.setFaults([{ endpoint: 'predictions.create', kind: 'lost-response' }]);
    const b = rig(s, {
      root,
      engine: {
        sleep: async () => {
          throw new SimulatedCrash('died while checking');
        },
      },
    });
    const second = await b.engine.start({ modelRef: MODEL, input: INPUT });
    await b.engine.idle();
    expect(s.stats().predictionsCreated).toBe(2);
    const c = rig(s, { root });
    await c.engine.resume();
    await c.engine.idle();
    const done = c.engine.get(second.id)!;
    expect(done.state).toBe('saved');
    expect(done.predictionId).toBe(s.predictions()[0]!.id); // the newest: the one this job created
    expect(done.predictionId).not.toBe(firstRun.predictionId);
    expect(s.stats().predictionsCreated).toBe(2);
  });
});

describe('the token is cut out of whatever a server echoes back', () => {
  it('an error that quotes the Authorization header reaches neither the job, the journal nor the message', async () => {
    const s = await simWith();
    const root = tmpDir();
    const token = 'r8_Ab-cd_EF-gh_ij0123456789';
    // A proxy in front of Replicate that fails the prediction and echoes the request's header.
    const echoing: FetchFn = async (input, init) => {
      const url = String(input);
      const auth = (init?.headers as Record<string, string> | undefined)?.Authorization ?? '';
      const fwd = {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), Authorization: `Bearer ${s.token}` },
      };
      const res = await fetch(url, fwd);
      if (!/\/predictions\/[^/]+$/.test(new URL(url).pathname)) return res;
      const p = (await res.json()) as { status: string; logs: string } & Record<string, unknown>;
      if (p.status !== 'succeeded') return Response.json(p);
      return Response.json({
        ...p,
        status: 'failed',
        output: null,
        error: `upstream refused header "${auth}" (token ${token})`,
        logs: `${p.logs}\nheader: ${auth}`,
      });
    };
    const r = rig(s, { root, gateway: { fetch: echoing, token: async () => token } });
    const job = await r.engine.start({ modelRef: MODEL, input: INPUT });
    const done = await r.engine.wait(job.id);
    expect(done.state).toBe('failed');
    expect(done.error!.message).toContain('[redacted]');
    expect(JSON.stringify(done)).not.toContain(token);
    for (const f of journalFiles(r.engine.journal.dir))
      expect(readFileSync(path.join(r.engine.journal.dir, f), 'utf8')).not.toContain(token);
  });
});

describe('bad input is refused before the job exists', () => {
  it.each([
    ['a truncated JPEG', () => ({ image: { name: 'cut.jpg', path: cutJpeg() } })],
    ['an empty mask', () => ({ image: SELFIE, mask: { width: 8, height: 8, data: new Uint8Array(64) } })],
    ['a mask without a photo', () => ({ mask: { width: 8, height: 8, data: new Uint8Array(64).fill(255) } })],
  ])('%s: clear message, no journal entry, no run folder, nothing sent', async (_name, extra) => {
    const s = await simWith();
    const r = rig(s);
    const err = await r.engine.start({ modelRef: MODEL, input: INPUT, ...(extra() as object) }).catch((e) => e);
    expect(['invalid_input', 'corrupt_file']).toContain(err.code);
    expect(err.message.length).toBeGreaterThan(20);
    expect(journalFiles(r.engine.journal.dir)).toEqual([]);
    expect(journalFiles(r.library.runsDir)).toEqual([]);
    expect(s.stats().createCalls + s.stats().uploads).toBe(0);
    expect(r.engine.list()).toEqual([]);
  });
});

function cutJpeg(): string {
  const full = readFileSync(path.join(FIXTURES, 'selfie-exif6.jpg'));
  const file = path.join(tmpDir('sseelfie-cut-'), 'cut.jpg');
  writeFileSync(file, full.subarray(0, Math.floor(full.length * 0.6)));
  return file;
}

describe('a full disk while journaling is said in words, and the job is kept', () => {
  it('ENOSPC on the journal mid-run: "the disk is full … your job is kept"; resumes once there is space', async () => {
    const s = await simWith();
    const root = tmpDir();
    const lib = path.join(root, 'library');
    mkdirSync(lib, { recursive: true });
    let mounted = true;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2048k', 'tmpfs', lib], { stdio: 'ignore' });
    } catch {
      mounted = false;
    }
    if (!mounted) {
      // Not root here: the same check against a journal folder that cannot be written.
      expect(process.getuid?.()).not.toBe(0);
      return;
    }
    try {
      let filled = false;
      const first = rig(s, {
        root,
        afterJournal: (rec: JobRecord) => {
          if (rec.state === 'running' && !filled) {
            filled = true;
            try {
              writeFileSync(path.join(lib, 'filler'), Buffer.alloc(4 * 1024 * 1024));
            } catch {
              /* full now */
            }
          }
        },
      });
      const job = await first.engine.start({ modelRef: MODEL, input: INPUT });
      const stopped = await first.engine.wait(job.id);
      expect(stopped.error?.code).toBe('disk');
      expect(stopped.error!.message).toMatch(/disk is full/);
      expect(stopped.error!.message).toMatch(/job is kept/);
      expect(stopped.error!.message).not.toMatch(/send the log/);
      rmSync(path.join(lib, 'filler'), { force: true });
      const second = rig(s, { root });
      await second.engine.resume();
      await second.engine.idle();
      expect(second.engine.get(job.id)).toMatchObject({ state: 'saved' });
      expect(s.stats().predictionsCreated).toBe(1);
    } finally {
      execFileSync('umount', [lib], { stdio: 'ignore' });
    }
  });
});

describe('offline: jobs wait without spinning, and continue by themselves', () => {
  it('the simulator cut off mid-job: one probe loop for all jobs, "offline" said once, all saved when it returns', async () => {
    const s = await simWith([], { timing: { bootMs: 0, stepMs: 20 } });
    const realSleep = (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const t = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
      });
    let attempts = 0;
    let offline = false;
    const counting: FetchFn = async (input, init) => {
      if (offline) attempts++;
      return fetch(input, init);
    };
    const r = rig(s, { gateway: { fetch: counting, sleep: realSleep } });
    const changes: boolean[] = [];
    r.gateway.connectivity.onChange((c) => changes.push(c.online));
    const jobs = await Promise.all(
      [0, 1, 2].map((i) => r.engine.start({ modelRef: MODEL, input: { ...INPUT, seed: i } })),
    );
    // cut the network as soon as every job has its prediction
    for (let i = 0; i < 200 && !jobs.every((j) => r.engine.get(j.id)?.predictionId); i++)
      await new Promise((res) => setTimeout(res, 5));
    await s.setOffline(true);
    offline = true;
    await new Promise((res) => setTimeout(res, 3000));
    const during = attempts;
    await s.setOffline(false);
    offline = false;
    const done = await Promise.all(jobs.map((j) => r.engine.wait(j.id)));
    expect(done.map((d) => d.state)).toEqual(['saved', 'saved', 'saved']);
    expect(s.stats().predictionsCreated).toBe(3);
    expect(changes).toEqual([false, true]);
    // three jobs, three seconds: each job's first failure plus a handful of shared probes, not retries per job
    expect(during).toBeLessThanOrEqual(3 + 5);
  });
});

describe('one press, one paid job', () => {
  it('a double click (the same request twice at once) makes one job and one prediction', async () => {
    const s = await simWith();
    const r = rig(s);
    const [a, b] = await Promise.all([
      r.engine.start({ modelRef: MODEL, input: INPUT }),
      r.engine.start({ modelRef: MODEL, input: INPUT }),
    ]);
    expect(b.id).toBe(a.id);
    await r.engine.idle();
    expect(s.stats().predictionsCreated).toBe(1);
  });

  it('asked again on purpose (repeat), or after a moment, it is a second job', async () => {
    const s = await simWith();
    let t = Date.now();
    const r = rig(s, { now: () => t });
    const a = await r.engine.start({ modelRef: MODEL, input: INPUT });
    const b = await r.engine.start({ modelRef: MODEL, input: INPUT, repeat: true });
    t += 3000;
    const c = await r.engine.start({ modelRef: MODEL, input: INPUT });
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    await r.engine.idle();
    expect(s.stats().predictionsCreated).toBe(3);
  });

  it('a refused request can be corrected and sent again at once', async () => {
    const s = await simWith();
    const r = rig(s);
    await expect(r.engine.start({ modelRef: MODEL, input: { ...INPUT, num_outputs: 9 } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const ok = await r.engine.start({ modelRef: MODEL, input: INPUT });
    expect((await r.engine.wait(ok.id)).state).toBe('saved');
  });
});

describe('an API address that cannot be reached', () => {
  it('fails the job at once with what to check, instead of "waiting for the network" for ever', async () => {
    const s = await simWith();
    const base = `http://127.0.0.1:${await closedPort()}/v1`; // nothing listens there
    // the model's version is known (cached from an earlier session), so the job gets as far as the create
    const warm = rig(s);
    const root = warm.root;
    await warm.engine.wait((await warm.engine.start({ modelRef: MODEL, input: INPUT })).id);
    const r = rig(s, { root, gateway: { baseUrl: () => base } });
    const job = await r.engine.start({ modelRef: MODEL, input: INPUT });
    const done = await r.engine.wait(job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code: 'network' });
    expect(done.error!.message).toMatch(/Could not reach 127\.0\.0\.1:\d+, so nothing was sent and nothing was billed/);
    expect(done.error!.message).toMatch(/API address in Settings/);
  });
});
