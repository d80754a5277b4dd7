/**
 * One writer per library: the app and the CLI hold `.sseelfie/lock` while they write. A lock left
 * by a process that no longer runs is taken over; a live one gives a clear message instead of
 * two processes interleaving journal writes.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class LibraryLock {
  private held = false;
  constructor(private readonly file: string, private readonly who: string) {}

  static for(appDir: string, who: string) {
    return new LibraryLock(path.join(appDir, 'lock'), who);
  }

  async acquire(): Promise<void> {
    if (this.held) return;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const me = JSON.stringify({ pid: process.pid, host: os.hostname(), who: this.who, since: Date.now() });
    for (let i = 0; i < 2; i++) {
      try {
        await fs.writeFile(this.file, me, { flag: 'wx' });
        this.held = true;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let other: { pid?: number; host?: string; who?: string } = {};
      try {
        other = JSON.parse(await fs.readFile(this.file, 'utf8'));
      } catch {
        /* unreadable lock: treat as stale */
      }
      const sameHost = other.host === os.hostname();
      if (other.pid && sameHost && other.pid !== process.pid && alive(other.pid)) {
        throw new StudioError('locked', `This library is in use by ${other.who ?? 'another Sseelfie process'} (process ${other.pid}). Close it, or use another library folder.`);
      }
      if (other.pid && !sameHost) {
        throw new StudioError('locked', `This library is in use on another computer (${other.host}). Close Sseelfie there first.`);
      }
      await fs.rm(this.file, { force: true }); // stale
    }
    throw new StudioError('locked', 'Could not take the library lock.');
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await fs.rm(this.file, { force: true }).catch(() => {});
  }
}
