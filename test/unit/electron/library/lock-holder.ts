/**
 * Real processes that take a library lock, for tests: the lock module bundled once with esbuild
 * and run by plain `node` (≈50 ms to start, where tsx takes ≈200 ms).
 * A holder answers JSON lines on stdin: {op:'acquire', at?} (at: start at that Date.now(), so
 * several processes start together) and {op:'release'}; it prints one JSON line per answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { build } from 'esbuild';

const HOLDER = `
import readline from 'node:readline';
import { LibraryLock } from './library-lock.mjs';
const [appDir, who, mode] = process.argv.slice(2);
const lock = LibraryLock.for(appDir, who);
const say = (o) => process.stdout.write(JSON.stringify({ pid: process.pid, ...o }) + '\\n');
setInterval(() => {}, 1 << 30); // the lock itself never keeps a process alive
async function acquire(at) {
  while (at && Date.now() < at - 3) await new Promise((r) => setTimeout(r, Math.max(1, at - Date.now() - 3)));
  while (at && Date.now() < at) {} // the last few ms: spin, so that contenders really start together
  try {
    await lock.acquire();
    say({ op: 'acquire', ok: true });
  } catch (e) {
    say({ op: 'acquire', ok: false, code: e.code, message: e.message });
  }
}
readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const m = JSON.parse(line);
  if (m.op === 'acquire') await acquire(m.at);
  if (m.op === 'release') { await lock.release(); say({ op: 'release', ok: true }); }
});
if (mode === 'hold') await acquire(0);
else say({ op: 'ready' });
`;

let dir: Promise<string> | undefined;
/** The folder with `holder.mjs` and the bundled lock, made once per test process. */
export function holderDir(): Promise<string> {
  return (dir ??= (async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'sseelfie-holder-'));
    await build({
      entryPoints: [path.resolve(import.meta.dirname, '../../../../electron/services/library/library-lock.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: path.join(d, 'library-lock.mjs'),
      logLevel: 'silent',
    });
    writeFileSync(path.join(d, 'holder.mjs'), HOLDER);
    return d;
  })());
}

export interface HolderReply {
  pid: number;
  op: 'ready' | 'acquire' | 'release';
  ok?: boolean;
  code?: string;
  message?: string;
}

export class Holder {
  private replies: HolderReply[] = [];
  private waiting: ((r: HolderReply) => void)[] = [];
  readonly exited: Promise<void>;

  private constructor(readonly child: ChildProcess) {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const r = JSON.parse(line) as HolderReply;
      const w = this.waiting.shift();
      if (w) w(r);
      else this.replies.push(r);
    });
    this.exited = new Promise((r) => child.once('exit', () => r()));
  }

  get pid() {
    return this.child.pid!;
  }

  /** Starts a holder; with `hold`, it takes the lock at once and this resolves with its answer. */
  static async start(
    appDir: string,
    who: string,
    opts: { hold?: boolean } = {},
  ): Promise<{ holder: Holder; first: HolderReply }> {
    const d = await holderDir();
    const child = spawn(process.execPath, [path.join(d, 'holder.mjs'), appDir, who, opts.hold ? 'hold' : 'serve'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const holder = new Holder(child);
    return { holder, first: await holder.next() };
  }

  next(): Promise<HolderReply> {
    const r = this.replies.shift();
    if (r) return Promise.resolve(r);
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      void this.exited.then(() => reject(new Error(`holder ${this.pid} exited`)));
    });
  }

  acquire(at?: number) {
    this.child.stdin!.write(`${JSON.stringify({ op: 'acquire', at })}\n`);
    return this.next();
  }

  release() {
    this.child.stdin!.write(`${JSON.stringify({ op: 'release' })}\n`);
    return this.next();
  }

  /** kill -9, and wait until the process is gone. */
  async kill9() {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
