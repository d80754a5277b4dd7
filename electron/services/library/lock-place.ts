/**
 * Where a library's lock lives on this computer, the platform-specific part of LibraryLock
 * (library-lock.ts): the named pipe on Windows, the private socket folder under /tmp elsewhere,
 * and the heartbeat folder in the library; and the small file helpers the lock's modules share.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';

/** sun_path is 104 bytes on macOS, 108 on Linux, NUL included */
const SUN_PATH_MAX = 103;

export interface Place {
  appDir: string;
  beatDir: string;
  /** Unix: this library's private socket folder */
  localDir?: string;
  /** Windows: this library's pipe */
  pipe?: string;
}

export const code = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;
export const rmQuiet = (f: string) => fs.rm(f, { force: true }).catch(() => {});
export const isWindows = process.platform === 'win32';

/** `/tmp/sseelfie-<uid>`, ours alone (not a folder someone else made), else the same in os.tmpdir(). */
async function privateRoot(): Promise<string> {
  const uid = process.getuid?.() ?? 0;
  for (const base of ['/tmp', os.tmpdir()]) {
    const dir = path.join(base, `sseelfie-${uid}`);
    await fs.mkdir(dir, { mode: 0o700 }).catch(() => {});
    const st = await fs.lstat(dir).catch(() => null);
    if (st?.isDirectory() && st.uid === uid && (st.mode & 0o022) === 0 && Buffer.byteLength(dir) <= SUN_PATH_MAX - 40)
      return dir;
  }
  throw new StudioError('internal', `Could not make a private folder for the library lock in /tmp or ${os.tmpdir()}.`);
}

export async function placeOf(appDir: string): Promise<Place> {
  await fs.mkdir(appDir, { recursive: true });
  const real = await fs.realpath(appDir);
  // Windows and macOS volumes are case-insensitive by default: one library, one name
  const norm = isWindows || process.platform === 'darwin' ? real.toLowerCase() : real;
  const hash = createHash('sha256').update(norm).digest('hex');
  const beatDir = path.join(appDir, 'locks');
  if (isWindows) return { appDir, beatDir, pipe: `\\\\.\\pipe\\sseelfie-lock-${hash.slice(0, 32)}` };
  return { appDir, beatDir, localDir: path.join(await privateRoot(), hash.slice(0, 16)) };
}
