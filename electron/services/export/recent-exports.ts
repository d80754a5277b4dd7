/**
 * The files this app's exports wrote, and only those, for "Show in Finder / Explorer" after an
 * export: the renderer names a file by its path, so main checks the path against this list
 * instead of revealing whatever a (possibly compromised) page asks for. Kept in memory for the
 * life of the process, the most recent few thousand.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';

/** Enough for the largest export the contract accepts (2000 photos) and the ones before it. */
export const RECENT_EXPORTS = 4000;

/** Windows and macOS file names are case-insensitive by default: one file, whatever the case it is named in. */
function keyOf(p: string, platform: string): string {
  const resolved = path.resolve(p);
  return platform === 'win32' || platform === 'darwin' ? resolved.toLowerCase() : resolved;
}

export class RecentExports {
  /** key → the path as it was written; a Map keeps insertion order, so the oldest go first */
  private readonly files = new Map<string, string>();

  constructor(
    private readonly max = RECENT_EXPORTS,
    private readonly platform: string = process.platform,
  ) {}

  remember(file: string): void {
    const key = keyOf(file, this.platform);
    this.files.delete(key);
    this.files.set(key, path.resolve(file));
    while (this.files.size > this.max) this.files.delete(this.files.keys().next().value!);
  }

  has(file: string): boolean {
    return this.files.has(keyOf(file, this.platform));
  }

  /** The exported file to reveal: refused when an export of this window did not write it, not_found when it is gone since. */
  async revealable(file: string): Promise<string> {
    const written = path.isAbsolute(file) ? this.files.get(keyOf(file, this.platform)) : undefined;
    if (!written)
      throw new StudioError('forbidden', 'The app only shows files its own exports wrote. Export the photo again.');
    try {
      const st = await fs.stat(written);
      if (!st.isFile()) throw new Error('not a file');
    } catch (e) {
      throw new StudioError(
        'not_found',
        `${path.basename(written)} is no longer in ${path.dirname(written)} (was it moved or deleted?).`,
        { cause: e },
      );
    }
    return written;
  }
}
