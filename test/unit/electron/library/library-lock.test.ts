/**
 * The library lock against real processes and the real OS: no mocks. Holders are small `node`
 * processes (lock-holder.ts) that are killed with SIGKILL, raced against each other, and asked
 * who they are over their sockets.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibraryLock } from '../../../../electron/services/library/library-lock';
import { tmpDir } from '../jobs/harness';
import { Holder, holderDir } from './lock-holder';

const started: Holder[] = [];
const used = new Set<string>();
async function start(appDir: string, who: string, hold = false) {
  used.add(appDir);
  const r = await Holder.start(appDir, who, { hold });
  started.push(r.holder);
  return r;
}
/** Holders started a few at a time ahead of use: starting node is most of these tests' time. */
function ahead(appDir: string, who: string, total: number, depth = 4) {
  const queue: Promise<{ holder: Holder }>[] = [];
  let made = 0;
  const fill = () => {
    while (queue.length < depth && made < total) {
      made++;
      queue.push(start(appDir, who));
    }
  };
  fill();
  return async () => {
    const next = queue.shift()!;
    fill();
    return (await next).holder;
  };
}
beforeAll(() => holderDir());
afterAll(async () => {
  await Promise.all(started.map((h) => h.kill9()));
  // taking and giving back each library sweeps what the killed holders left in the socket folder
  for (const appDir of used) {
    const lock = LibraryLock.for(appDir, 'sweep');
    await lock.acquire();
    await lock.release();
  }
});

const appDirOf = (root: string) => path.join(root, '.sseelfie');
const beatsIn = (appDir: string) =>
  existsSync(path.join(appDir, 'locks'))
    ? readdirSync(path.join(appDir, 'locks')).filter((f) => /^l-.*\.json$/.test(f))
    : [];

function heartbeat(appDir: string, o: { host: string; who?: string; beat: number; state?: 'holding' | 'acquiring' }) {
  mkdirSync(path.join(appDir, 'locks'), { recursive: true });
  const nonce = 'feedc0ffee42';
  const file = path.join(appDir, 'locks', `l-${nonce}.json`);
  const since = o.beat - 60_000;
  writeFileSync(
    file,
    JSON.stringify({
      v: 1,
      who: o.who ?? 'Sseelfie Studio',
      pid: 4242,
      host: o.host,
      state: o.state ?? 'holding',
      ticket: `${since.toString(36).padStart(9, '0')}.00000000`,
      since,
      nonce,
      beat: o.beat,
      sock: '/tmp/sseelfie-501/0123456789abcdef/l-feedc0ffee42.sock',
    }),
  );
  return file;
}

/** 'Z' once a process has died and nobody has reaped it yet (Linux: /proc; macOS: ps). */
async function waitZombie(pid: number) {
  for (let i = 0; i < 400; i++) {
    let stat: string;
    if (existsSync('/proc/self/stat')) {
      const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
      stat = s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
    } else {
      stat = await new Promise<string>((r) => {
        const ps = spawn('ps', ['-o', 'stat=', '-p', String(pid)]);
        let out = '';
        ps.stdout.on('data', (d) => (out += d));
        ps.on('close', () => r(out.trim()));
      });
    }
    if (stat.startsWith('Z')) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`process ${pid} never became a zombie`);
}

describe('LibraryLock', () => {
  it('kill -9 of the holder, then acquire at once: taken every time, 20 times in a row', async () => {
    const appDir = appDirOf(tmpDir('sseelfie-lock-'));
    const next = ahead(appDir, 'the Sseelfie CLI', 20);
    for (let i = 0; i < 20; i++) {
      const holder = await next();
      expect(await holder.acquire(), `round ${i}`).toMatchObject({ op: 'acquire', ok: true });
      await holder.kill9();
      const lock = LibraryLock.for(appDir, 'resume');
      await lock.acquire(); // at once: no waiting for anything to go stale
      await lock.release();
    }
    // the dead left nothing behind that blocks or piles up
    expect(beatsIn(appDir)).toEqual([]);
  });

  // Windows has no zombies (the pipe goes with the process): only Unix has this case.
  (process.platform === 'win32' ? () => undefined : it)(
    'a holder that died but is not reaped yet (its PID still "exists") does not block',
    async () => {
      const appDir = appDirOf(tmpDir('sseelfie-lock-'));
      const d = await holderDir();
      // `exec sleep` replaces the shell with a parent that never waits for its child
      const sh = spawn(
        'sh',
        [
          '-c',
          `"${process.execPath}" "${path.join(d, 'holder.mjs')}" "${appDir}" "Sseelfie Studio" hold & exec sleep 30`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        const line = await new Promise<string>((r) => readline.createInterface({ input: sh.stdout }).once('line', r));
        const { pid, ok } = JSON.parse(line) as { pid: number; ok: boolean };
        expect(ok).toBe(true);
        process.kill(pid, 'SIGKILL');
        await waitZombie(pid);
        expect(() => process.kill(pid, 0)).not.toThrow(); // what the old PID lock took for a live holder
        const lock = LibraryLock.for(appDir, 'resume');
        await lock.acquire();
        await lock.release();
      } finally {
        sh.kill('SIGKILL');
      }
    },
  );

  it('an old-style lock file naming a live, unrelated process does not block, and is tidied away', async () => {
    const root = tmpDir('sseelfie-lock-');
    const appDir = appDirOf(root);
    const unrelated = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      mkdirSync(appDir, { recursive: true });
      writeFileSync(
        path.join(appDir, 'lock'),
        JSON.stringify({ pid: unrelated.pid, host: os.hostname(), who: 'Sseelfie Studio', since: Date.now() }),
      );
      const lock = LibraryLock.for(appDir, 'the Sseelfie CLI');
      await lock.acquire();
      expect(existsSync(path.join(appDir, 'lock'))).toBe(false);
      await lock.release();
    } finally {
      unrelated.kill();
    }
  });

  it('two live writers exclude each other, the refusal names the holder; release lets the other in', async () => {
    const appDir = appDirOf(tmpDir('sseelfie-lock-'));
    const { holder, first } = await start(appDir, 'Sseelfie Studio', true);
    expect(first.ok).toBe(true);
    const mine = LibraryLock.for(appDir, 'the Sseelfie CLI');
    const t0 = Date.now();
    const err = await mine.acquire().then(
      () => null,
      (e: unknown) => e,
    );
    expect(Date.now() - t0).toBeLessThan(500); // a holder is refused at once, not after a wait
    expect(err).toMatchObject({ code: 'locked' });
    expect((err as Error).message).toMatch(new RegExp(`in use by Sseelfie Studio \\(process ${holder.pid}\\)`));
    expect((err as Error).message).toMatch(/Close it there/);
    expect(await mine.holder()).toMatchObject({
      who: 'Sseelfie Studio',
      pid: holder.pid,
      state: 'holding',
      sameComputer: true,
    });

    expect(await holder.release()).toMatchObject({ op: 'release', ok: true });
    expect(await mine.holder()).toBeNull();
    await mine.acquire();
    await mine.acquire(); // taking it again is a no-op
    expect(await holder.acquire()).toMatchObject({
      ok: false,
      code: 'locked',
      message: expect.stringContaining(`in use by the Sseelfie CLI (process ${process.pid})`),
    });
    // two locks in one process exclude each other too
    await expect(LibraryLock.for(appDir, 'Sseelfie Studio').acquire()).rejects.toMatchObject({ code: 'locked' });
    await mine.release();
    expect(await holder.acquire()).toMatchObject({ ok: true });
    await holder.release();
  });

  it('three processes taking over a stale lock at the same moment: exactly one wins, 20 rounds', async () => {
    const appDir = appDirOf(tmpDir('sseelfie-lock-'));
    const next = ahead(appDir, 'Sseelfie Studio', 3 + 20);
    let procs = [await next(), await next(), await next()];
    for (let round = 0; round < 20; round++) {
      const at = Date.now() + 15;
      const replies = await Promise.all(procs.map((p) => p.acquire(at)));
      const winners = replies.filter((r) => r.ok);
      expect(winners, `round ${round}: ${JSON.stringify(replies)}`).toHaveLength(1);
      const winner = procs.find((p) => p.pid === winners[0]!.pid)!;
      for (const r of replies.filter((x) => !x.ok)) {
        expect(r.code).toBe('locked');
        expect(r.message).toMatch(/in use by Sseelfie Studio \(process \d+\)|opening this library right now/);
      }
      // the winner dies holding it: the next round takes over a stale lock
      await winner.kill9();
      procs = [...procs.filter((p) => p !== winner), await next()];
    }
  });

  it('a fresh heartbeat from another computer blocks, naming it; a stale one is removed and does not', async () => {
    const appDir = appDirOf(tmpDir('sseelfie-lock-'));
    const file = heartbeat(appDir, { host: 'studio-imac.local', beat: Date.now() - 4000 });
    const lock = LibraryLock.for(appDir, 'the Sseelfie CLI');
    const err = await lock.acquire().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'locked' });
    expect((err as Error).message).toMatch(
      /in use on the computer “studio-imac\.local” by Sseelfie Studio \(last seen [45] s ago\)/,
    );
    expect((err as Error).message).toMatch(/frees itself within 30 seconds/);
    expect(existsSync(file)).toBe(true);
    expect(await lock.holder()).toMatchObject({
      host: 'studio-imac.local',
      sameComputer: false,
      lastSeenMs: expect.any(Number),
    });
    expect(beatsIn(appDir)).toEqual([path.basename(file)]); // our own heartbeat went with the refusal

    heartbeat(appDir, { host: 'studio-imac.local', beat: Date.now() - 45_000 });
    await lock.acquire();
    expect(existsSync(file)).toBe(false);
    // while held, our own heartbeat tells other computers who has it
    const [mine] = beatsIn(appDir);
    expect(JSON.parse(readFileSync(path.join(appDir, 'locks', mine!), 'utf8'))).toMatchObject({
      who: 'the Sseelfie CLI',
      pid: process.pid,
      host: os.hostname(),
      state: 'holding',
    });
    await lock.release();
    expect(beatsIn(appDir)).toEqual([]);

    // a clock far ahead does not make a heartbeat hold for ever
    heartbeat(appDir, { host: 'studio-imac.local', beat: Date.now() + 24 * 3600_000 });
    await lock.acquire();
    await lock.release();
  });

  // Windows host names do not follow the network: only macOS and Linux have this case.
  (process.platform === 'win32' ? () => undefined : it)(
    'a crashed holder on this computer whose host name has changed since (a Mac on another network) does not block',
    async () => {
      const appDir = appDirOf(tmpDir('sseelfie-lock-'));
      const { holder } = await start(appDir, 'Sseelfie Studio', true);
      await holder.kill9();
      const [beat] = beatsIn(appDir);
      const file = path.join(appDir, 'locks', beat!);
      writeFileSync(
        file,
        JSON.stringify({
          ...JSON.parse(readFileSync(file, 'utf8')),
          host: 'Alexs-MacBook-Air.local',
          beat: Date.now(),
        }),
      );
      const lock = LibraryLock.for(appDir, 'resume');
      await lock.acquire(); // its socket file here says it is this computer's, and dead
      expect(existsSync(file)).toBe(false);
      await lock.release();
    },
  );

  it('a library with a very long path works the same (the socket lives in a short private folder)', async () => {
    const deep = path.join(tmpDir('sseelfie-lock-'), 'a'.repeat(80), 'b'.repeat(80), 'My Photo Library');
    const appDir = appDirOf(deep);
    const { holder, first } = await start(appDir, 'Sseelfie Studio', true);
    expect(first.ok).toBe(true);
    await expect(LibraryLock.for(appDir, 'x').acquire()).rejects.toMatchObject({ code: 'locked' });
    await holder.kill9();
    const lock = LibraryLock.for(appDir, 'x');
    await lock.acquire();
    await lock.release();
  });
});
