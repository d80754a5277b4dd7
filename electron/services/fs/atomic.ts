import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Atomic file writes: temp file in the same folder, fsync, rename. A reader (or a crash) sees the
 * old file or the new one, never half of one. The folder is fsynced too on POSIX so the rename
 * itself survives a power cut.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  opts: { durable?: boolean } = {},
): Promise<void> {
  // `durable: false` (caches): still atomic (never half a file), but not fsynced.
  const durable = opts.durable ?? true;
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await fs.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data);
    if (durable) await fh.sync();
  } catch (e) {
    await fh.close().catch(() => {});
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
  await fh.close();
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
  if (durable && process.platform !== 'win32') {
    const dh = await fs.open(dir, 'r').catch(() => null);
    if (dh)
      await dh
        .sync()
        .catch(() => {})
        .finally(() => dh.close());
  }
}

export async function writeJsonAtomic(file: string, value: unknown, opts: { durable?: boolean } = {}): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', opts);
}

/** Reads JSON; `null` when the file does not exist. Throws on corrupt content (callers decide). */
export async function readJson<T = unknown>(file: string): Promise<T | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return JSON.parse(text) as T;
}
