/**
 * One writer per library, decided by the operating system.
 *
 * A holder is a *listening local socket*: the kernel closes it when its process ends, however it
 * ends (kill -9, crash, power loss), so a dead holder never blocks and no PID is ever trusted (a
 * dead-but-unreaped process, or an unrelated process that got the same PID after a reboot, still
 * "exists" for `kill(pid, 0)`; its socket does not answer).
 *
 * - Windows: one named pipe per library, `\\.\pipe\sseelfie-lock-<hash of the real path, lower-cased>`.
 *   libuv creates the first instance of a pipe server with FILE_FLAG_FIRST_PIPE_INSTANCE and maps
 *   the ERROR_ACCESS_DENIED it gets when the name already has a server to UV_EADDRINUSE (libuv
 *   src/win/pipe.c, uv_pipe_bind / uv_pipe_bind2: "Attempt to create the first pipe with
 *   FILE_FLAG_FIRST_PIPE_INSTANCE. If this fails then there's already a pipe server for the given
 *   pipe name."), so a second `listen` fails with EADDRINUSE; and "Windows will close and remove
 *   the pipe when the owning process exits" (Node's net docs, IPC support). The OS decides.
 * - macOS / Linux: a Unix socket file is not exclusive (bind fails while the *file* exists, even
 *   after its process died), so each contender listens on a socket with a name of its own in a
 *   private folder for this library, `/tmp/sseelfie-<uid>/<hash>/l-<nonce>.sock`, and looks at the
 *   others: connected = alive, ECONNREFUSED = dead (its file is removed). Publish, then look:
 *   1. listen on a hidden name `.t-<nonce>.sock`, then rename it to `l-<nonce>.sock`, so a visible
 *      name always belongs to a socket that is already listening (between bind and listen a
 *      connect is refused, and a peer would delete a live contender);
 *   2. only then list the folder and connect to every other `l-*.sock`.
 *   If two contenders run at once, the one whose rename came second lists the folder after the
 *   first one's socket is visible, so at least one of them sees the other; a contender takes the
 *   library only when its look, made while its own socket stayed visible, found nobody alive.
 *   Hence never two holders. Seeing a holder refuses at once; seeing only other contenders, the
 *   younger ones (later ticket) step back and retry, the oldest looks again, so one of them wins.
 *   The folder is on this computer (never in the library): a socket file on a network share or a
 *   synced folder would look dead from another computer and be deleted there, and FAT/exFAT
 *   drives and SMB shares cannot hold socket files at all; it is also far below the 104-byte
 *   sun_path limit of macOS, which Node does not check (it silently truncates the name).
 * - Another computer (a library on a network share): each contender and holder also keeps a
 *   heartbeat `<library>/.sseelfie/locks/l-<nonce>.json`, rewritten every 10 s. A fresh one
 *   (< 30 s) from another computer blocks with its name and age; a stale one is removed, so a
 *   computer that went away holds the library for 30 s at most, never for ever. A heartbeat whose
 *   socket is on this computer is judged by its socket, not by the host name (a Mac's host name
 *   changes with the network).
 * - The `.sseelfie/lock` PID file of older versions is never read; it is removed when we win.
 *
 * This file is the acquisition (publish, look, contend, win, heartbeat, release); where the lock
 * lives per platform is lock-place.ts, the hello and probing a socket lock-wire.ts, and who else
 * is there (stale detection and the clean-up after the dead) lock-survey.ts.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import { code, placeOf, rmQuiet, type Place } from './lock-place';
import { STALE_MS, survey } from './lock-survey';
import { fromHello, listen, probe, type Beat, type Hello, type LockState, type Other } from './lock-wire';

export type { LockState } from './lock-wire';

/** Who has (or is taking) a library: for messages and for a "who has it" view. */
export interface LockHolder {
  who: string;
  pid: number;
  host: string;
  state: LockState;
  since: number;
  /** false when known only from another computer's heartbeat */
  sameComputer: boolean;
  /** for another computer: how long ago its heartbeat was written */
  lastSeenMs?: number;
}

const BEAT_MS = 10_000;
/** how long contenders may take to settle who wins before the others are refused */
const CONTEND_MS = 3000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function refusal(o: Other | null): StudioError {
  if (!o)
    return new StudioError(
      'locked',
      'Another Sseelfie window or the CLI is opening this library right now. Try again in a moment.',
    );
  if (o.foreign) {
    const ago = Math.max(0, Math.round((o.lastSeenMs ?? 0) / 1000));
    return new StudioError(
      'locked',
      `This library is in use on the computer “${o.host}”${o.who ? ` by ${o.who}` : ''} (last seen ${ago} s ago). Close Sseelfie there, then try again. If that computer is off or asleep, the library frees itself within ${STALE_MS / 1000} seconds.`,
    );
  }
  if (o.who && o.pid) {
    return new StudioError(
      'locked',
      `This library is in use by ${o.who} (process ${o.pid}). Close it there (or let it finish), then try again. Nothing needs deleting: the library frees itself as soon as that process ends.`,
    );
  }
  return new StudioError(
    'locked',
    'This library is in use by another Sseelfie window or the CLI on this computer. Close it there, then try again.',
  );
}

/** Locks still held when the process exits normally: their files go with it (kill -9 is handled by the next one). */
const heldLocks = new Set<LibraryLock>();
let exitHook = false;

export class LibraryLock {
  private held = false;
  private queue: Promise<unknown> = Promise.resolve();
  private place: Place | null = null;
  private server: net.Server | null = null;
  private readonly conns = new Set<net.Socket>();
  /** the visible socket, or the pipe */
  private sock: string | null = null;
  private nonce = '';
  private ticket = '';
  private since = 0;
  private state: LockState = 'acquiring';
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly appDir: string,
    private readonly who: string,
  ) {}

  /** The lock of the library whose app folder (`<library>/.sseelfie`) is `appDir`. */
  static for(appDir: string, who: string) {
    return new LibraryLock(appDir, who);
  }

  /** Takes the library, or throws StudioError('locked') saying who has it and what to do. */
  acquire(): Promise<void> {
    return this.serial(() => this.doAcquire());
  }

  release(): Promise<void> {
    return this.serial(async () => {
      if (!this.held) return;
      this.held = false;
      heldLocks.delete(this);
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      const dir = this.place?.localDir;
      await this.withdraw();
      if (dir) await fs.rmdir(dir).catch(() => {}); // only when empty; a contender that loses it re-creates it
    });
  }

  /** Who has this library now (this process included), or null when nobody does. */
  holder(): Promise<LockHolder | null> {
    return this.serial(async () => {
      if (this.held)
        return {
          who: this.who,
          pid: process.pid,
          host: os.hostname(),
          state: 'holding' as const,
          since: this.since,
          sameComputer: true,
        };
      const p = await placeOf(this.appDir);
      const others = await survey(p, { nonce: this.nonce, sock: this.sock });
      if (p.pipe) {
        const r = await probe(p.pipe);
        if (r.kind === 'live') others.unshift(fromHello(r.hello, undefined));
      }
      const o = others.find((x) => x.state === 'holding') ?? others[0];
      if (!o) return null;
      return {
        who: o.who ?? 'another Sseelfie process',
        pid: o.pid ?? 0,
        host: o.host ?? '',
        state: o.state === 'acquiring' ? 'acquiring' : 'holding',
        since: o.since ?? 0,
        sameComputer: !o.foreign,
        ...(o.lastSeenMs !== undefined ? { lastSeenMs: o.lastSeenMs } : {}),
      };
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private hello(): Hello {
    return {
      v: 1,
      who: this.who,
      pid: process.pid,
      host: os.hostname(),
      state: this.state,
      ticket: this.ticket,
      since: this.since,
      nonce: this.nonce,
    };
  }

  private async doAcquire(): Promise<void> {
    if (this.held) return;
    const p = await placeOf(this.appDir);
    this.place = p;
    this.since = Date.now();
    // older contenders win ties; the random part keeps two tickets from being equal
    this.ticket = `${this.since.toString(36).padStart(9, '0')}.${randomBytes(4).toString('hex')}`;
    const deadline = Date.now() + CONTEND_MS;
    let last: Other | null = null;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        if (Date.now() > deadline) throw refusal(last);
        await sleep((10 + Math.random() * 20) * Math.min(attempt, 4));
      }
      this.state = 'acquiring';
      if (p.pipe) {
        const busy = await this.publishPipe(p);
        if (busy) {
          last = busy;
          if (busy.state === 'holding') throw refusal(busy);
          continue; // someone is taking it right now, or the name is being freed: look again
        }
      } else {
        await this.publishSocket(p);
      }
      let outcome: 'won' | Other;
      try {
        await this.writeBeat();
        outcome = await this.contend(p, deadline);
      } catch (e) {
        await this.withdraw();
        throw e;
      }
      if (outcome === 'won') return this.won();
      await this.withdraw();
      if (outcome.state === 'holding' || Date.now() > deadline) throw refusal(outcome);
      last = outcome; // an older contender: step back, then try again
    }
  }

  /** Looks at the others while our socket stays visible: 'won' when nobody else is there. */
  private async contend(p: Place, deadline: number): Promise<'won' | Other> {
    for (;;) {
      const others = await survey(p, { nonce: this.nonce, sock: this.sock });
      if (others.length === 0) return 'won';
      const holding = others.find((o) => o.state === 'holding');
      if (holding) return holding;
      const ahead = others.find((o) => o.state === 'unknown' || !o.ticket || o.ticket < this.ticket);
      if (ahead) return ahead; // an older contender (or one that does not say): step back
      if (Date.now() > deadline) return others[0]!;
      await sleep(5 + Math.random() * 10); // we are the oldest: the others step back; look again
    }
  }

  private async won() {
    this.state = 'holding';
    this.held = true;
    heldLocks.add(this);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const l of heldLocks) l.dropSync();
      });
    }
    await this.writeBeat();
    this.timer = setInterval(() => void this.serial(() => this.tick()).catch(() => {}), BEAT_MS);
    this.timer.unref();
    await rmQuiet(path.join(this.appDir, 'lock')); // the PID file of older versions
  }

  private makeServer(): net.Server {
    const server = net.createServer((c) => {
      this.conns.add(c);
      c.on('close', () => this.conns.delete(c));
      c.on('error', () => {});
      c.end(`${JSON.stringify(this.hello())}\n`);
    });
    server.on('error', () => {});
    server.unref(); // a lock left held never keeps the process alive
    return server;
  }

  /** Unix: listen on a hidden name, then make it visible; only a listening socket is ever seen. */
  private async publishSocket(p: Place, nonce = randomBytes(6).toString('hex')): Promise<void> {
    const dir = p.localDir!;
    const hidden = path.join(dir, `.t-${nonce}.sock`);
    const visible = path.join(dir, `l-${nonce}.sock`);
    for (let i = 0; ; i++) {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const server = this.makeServer();
      try {
        await listen(server, hidden);
        await fs.rename(hidden, visible);
      } catch (e) {
        server.close();
        await rmQuiet(hidden);
        if (code(e) === 'ENOENT' && i < 5) continue; // the folder was tidied away by a release just now
        throw e;
      }
      const old = this.server;
      this.server = server;
      this.sock = visible;
      this.nonce = nonce;
      old?.close();
      return;
    }
  }

  /** Windows: the pipe is ours, or returns what its server says about itself. */
  private async publishPipe(p: Place): Promise<Other | null> {
    const server = this.makeServer();
    try {
      await listen(server, p.pipe!);
    } catch (e) {
      server.close();
      if (code(e) !== 'EADDRINUSE') throw e;
      const r = await probe(p.pipe!);
      return r.kind === 'live' ? fromHello(r.hello, undefined) : { state: 'unknown', foreign: false };
    }
    this.server = server;
    this.sock = p.pipe!;
    this.nonce = randomBytes(6).toString('hex');
    return null;
  }

  private beatFile(nonce = this.nonce) {
    return path.join(this.place!.beatDir, `l-${nonce}.json`);
  }

  /** Best effort: a library that cannot be written to still gets the lock on this computer. */
  private async writeBeat() {
    if (!this.place || !this.sock) return;
    const beat: Beat = { ...this.hello(), beat: Date.now(), sock: this.sock };
    const tmp = path.join(this.place.beatDir, `.b-${this.nonce}-${randomBytes(3).toString('hex')}.tmp`);
    try {
      await fs.mkdir(this.place.beatDir, { recursive: true });
      await fs.writeFile(tmp, JSON.stringify(beat));
      await fs.rename(tmp, this.beatFile());
    } catch {
      await rmQuiet(tmp);
    }
  }

  /** Every 10 s while held: the heartbeat, and our socket file kept fresh (and put back if a cleaner took it). */
  private async tick() {
    if (!this.held || !this.place) return;
    if (this.place.localDir && this.sock) {
      const now = new Date();
      try {
        await fs.utimes(this.sock, now, now);
      } catch (e) {
        if (code(e) === 'ENOENT') await this.publishSocket(this.place, this.nonce).catch(() => {});
      }
    }
    await this.writeBeat();
  }

  /** Gives up our place: heartbeat first, then the socket, so a heartbeat never outlives its socket. */
  private async withdraw() {
    const server = this.server;
    if (this.place && this.nonce) await rmQuiet(this.beatFile());
    if (this.sock && this.place?.localDir) await rmQuiet(this.sock);
    if (server) {
      server.close();
      for (const c of this.conns) c.destroy();
    }
    this.server = null;
    this.sock = null;
    this.nonce = '';
  }

  private dropSync() {
    try {
      if (this.place && this.nonce) rmSync(this.beatFile(), { force: true });
      if (this.sock && this.place?.localDir) rmSync(this.sock, { force: true });
    } catch {
      /* exiting anyway */
    }
  }
}
