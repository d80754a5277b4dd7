/**
 * Stale detection for LibraryLock (library-lock.ts): who else has or is taking a library, from
 * their sockets on this computer and the heartbeats of every computer, removing on the way what
 * the dead left behind (refused sockets, their heartbeats, stale heartbeats, old temp files).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rmQuiet, type Place } from './lock-place';
import { fromHello, isBeat, parse, probe, type Beat, type Other, type Probe } from './lock-wire';

export const STALE_MS = 30_000;
/** a heartbeat dated further in the future than this (a wrong clock) is not trusted */
const FUTURE_SKEW_MS = 5 * 60_000;
const TEMP_STALE_MS = 60_000;

/** Our own place among the contenders (its nonce and socket), never counted as another. */
export interface Self {
  nonce: string;
  sock: string | null;
}

function fresh(b: Beat, now: number) {
  const age = now - b.beat;
  return age < STALE_MS && age > -FUTURE_SKEW_MS;
}

/**
 * Everyone else who has or is taking this library. Cleans up after the dead on the way:
 * refused sockets, their heartbeats, stale heartbeats of other computers, leftover temp files.
 */
export async function survey(p: Place, self: Self): Promise<Other[]> {
  const now = Date.now();
  const host = os.hostname();
  // heartbeats before sockets: a heartbeat is written after its socket is visible, so one read
  // here whose socket is missing below belongs to a process that died (or stepped back)
  const beats = await readBeats(p.beatDir, now, self);
  const live = new Map<string, Probe>();
  const dead = new Set<string>();
  if (p.localDir) {
    const names = await fs.readdir(p.localDir).catch(() => [] as string[]);
    await Promise.all(
      names.map(async (f) => {
        const full = path.join(p.localDir!, f);
        const m = /^l-([0-9a-f]+)\.sock$/.exec(f);
        if (m) {
          if (m[1] === self.nonce) return;
          const r = await probe(full);
          if (r.kind === 'dead') dead.add(m[1]!);
          else if (r.kind !== 'gone') live.set(m[1]!, r);
        } else if (/^\.t-[0-9a-f]+\.sock$/.test(f)) {
          const st = await fs.lstat(full).catch(() => null);
          if (st && now - st.mtimeMs > TEMP_STALE_MS) await rmQuiet(full);
        }
      }),
    );
  }
  const others: Other[] = [];
  for (const [n, r] of live) others.push(fromHello(r.kind === 'live' ? r.hello : undefined, beats.get(n)));
  await Promise.all(
    [...dead].map(async (n) => {
      await rmQuiet(path.join(p.beatDir, `l-${n}.json`));
      await rmQuiet(path.join(p.localDir!, `l-${n}.sock`));
    }),
  );
  await Promise.all(
    [...beats].map(async ([n, b]) => {
      if (live.has(n) || dead.has(n)) return; // judged by its socket on this computer, whatever host name it gave
      const file = path.join(p.beatDir, `l-${n}.json`);
      if (b.host === host) {
        // this computer, its socket elsewhere (another user, another path to the same folder)
        const r = b.sock === self.sock ? ({ kind: 'dead' } as const) : await probe(b.sock);
        if (r.kind === 'live') return void others.push(fromHello(r.hello, b));
        if (r.kind === 'denied' && fresh(b, now))
          return void others.push({ ...fromHello(undefined, b), state: b.state }); // not ours to reach: trust its beat
        return rmQuiet(file);
      }
      if (fresh(b, now))
        others.push({
          who: b.who,
          pid: b.pid,
          host: b.host,
          state: b.state,
          ticket: b.ticket,
          since: b.since,
          foreign: true,
          lastSeenMs: Math.max(0, now - b.beat),
        });
      else await rmQuiet(file);
    }),
  );
  return others;
}

async function readBeats(dir: string, now: number, self: Self): Promise<Map<string, Beat>> {
  const out = new Map<string, Beat>();
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (f) => {
      const full = path.join(dir, f);
      const m = /^l-([0-9a-f]+)\.json$/.exec(f);
      if (m) {
        if (m[1] === self.nonce) return;
        const b = parse(await fs.readFile(full, 'utf8').catch(() => ''), isBeat);
        if (b) return void out.set(m[1]!, b);
        const st = await fs.stat(full).catch(() => null);
        if (st && now - st.mtimeMs > STALE_MS) await rmQuiet(full); // unreadable and old
      } else if (/^\.b-.*\.tmp$/.test(f)) {
        const st = await fs.stat(full).catch(() => null);
        if (st && now - st.mtimeMs > TEMP_STALE_MS) await rmQuiet(full);
      }
    }),
  );
  return out;
}
