/**
 * The rescue folder (outside the library, in userData): where a downloaded photo goes when the
 * library cannot be written (a full disk, a read-only or vanished folder), so a paid photo is
 * never lost. Try again (or the next start) moves it into the library.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../fs/atomic';
import { jobFailures } from '../failures';
import type { JobRecord } from '../journal';
import type { JobContext } from '../job-context';

/** A download rescued by a run whose journal write also failed (same full disk). */
export async function findRescued(ctx: JobContext, jobId: string, index: number): Promise<string | undefined> {
  const dir = path.join(ctx.o.rescueDir, jobId);
  try {
    const hit = (await fs.readdir(dir)).find((f) => new RegExp(`^${index + 1}\\.(png|jpg|webp)$`).test(f));
    return hit ? path.join(dir, hit) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes into the library; if that fails the bytes go to the rescue folder so nothing is lost. */
export async function writeOrRescue(
  ctx: JobContext,
  rec: JobRecord,
  index: number,
  file: string,
  bytes: Uint8Array,
): Promise<void> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, bytes);
    if (rec.rescued?.[index]) {
      await fs.rm(rec.rescued[index]!, { force: true }).catch(() => {});
      delete rec.rescued[index];
    }
  } catch (e) {
    if (!rec.rescued?.[index]) {
      const dir = path.join(ctx.o.rescueDir, rec.id);
      await fs.mkdir(dir, { recursive: true });
      const target = path.join(dir, path.basename(file));
      await writeFileAtomic(target, bytes);
      (rec.rescued ??= {})[index] = target;
    }
    throw jobFailures.libraryWhileSaving(e, ctx.o.library.root, path.join(ctx.o.rescueDir, rec.id));
  }
}

/** The run is in the library: its rescued copies are no longer needed. */
export async function clearRescued(ctx: JobContext, jobId: string): Promise<void> {
  await fs.rm(path.join(ctx.o.rescueDir, jobId), { recursive: true, force: true }).catch(() => {});
}
