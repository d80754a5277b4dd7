/**
 * The job journal: one small JSON file per job in `<library>/.sseelfie/journal/`, written
 * atomically BEFORE the side effect each state announces. After a crash, `resume` reads it and
 * continues from the last recorded state: no lost photo, no second billed prediction.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StudioErrorShape } from '../../../shared/errors';
import type { JobStateT } from '../../../shared/ipc/contract';
import type { CropRect } from '../../../shared/images';
import { ACTIVE_JOB_STATES } from '../../../shared/job-states';
import { readJson, writeJsonAtomic } from '../fs/atomic';
import { diskError, type RunImageRecord } from '../library/library';

export interface PreparedFile {
  file: string; // name inside the run folder
  sha256: string;
  mime: string;
  width: number;
  height: number;
  url?: string; // Replicate file URL once uploaded
}

export interface JobRecord {
  v: 1;
  id: string;
  runId: string;
  state: JobStateT;
  label: string;
  modelRef: string;
  versionId: string | null;
  prompt: string;
  /** model input without files (image/mask are added from `image`/`mask` when submitting) */
  input: Record<string, unknown>;
  numOutputs: number;
  createdAt: number;
  updatedAt: number;
  source?: { assetId: string };
  image?: PreparedFile & { sourceWidth: number; sourceHeight: number; crop: CropRect };
  mask?: PreparedFile;
  /** the local file the run starts from (selfie, earlier result, CLI file) */
  sourcePath?: string;
  /** the request had a mask (kept in memory until prepared; if the process dies first, the job cannot resume) */
  wantsMask?: boolean;
  keepOutside?: boolean;
  submittedAt?: number;
  predictionId?: string;
  startedAt?: number;
  completedAt?: number;
  predictTime?: number;
  seed?: number;
  outputs?: string[];
  saved: Record<string, RunImageRecord>;
  /** images written outside the library because it could not be written (full disk...) */
  rescued?: Record<string, string>;
  cancelRequested?: boolean;
  error?: StudioErrorShape;
  warnings: string[];
}

/** An entry the next start picks up again: its job is in one of the active states (shared/job-states.ts). */
export function isUnfinished(rec: JobRecord): boolean {
  return ACTIVE_JOB_STATES.has(rec.state);
}

export class JobJournal {
  constructor(readonly dir: string) {}

  private file(id: string) {
    return path.join(this.dir, `${id}.json`);
  }

  /** A full or read-only disk is said in words: the job itself is kept (the last entry stays). */
  async write(rec: JobRecord): Promise<void> {
    try {
      await fs.mkdir(this.dir, { recursive: true });
      await writeJsonAtomic(this.file(rec.id), rec);
    } catch (e) {
      throw diskError(
        e,
        `the job journal in your library (${this.dir})`,
        'Your job is kept: free some space (or make the folder writable) and press Try again, or restart the app; nothing is paid twice.',
      );
    }
  }

  async remove(id: string): Promise<void> {
    await fs.rm(this.file(id), { force: true });
  }

  async all(): Promise<JobRecord[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const out: JobRecord[] = [];
    for (const n of names) {
      if (!n.endsWith('.json') || n.startsWith('.')) continue;
      try {
        const rec = await readJson<JobRecord>(path.join(this.dir, n));
        if (rec && rec.v === 1 && typeof rec.id === 'string') out.push(rec);
      } catch {
        // a damaged entry cannot be resumed; leave it for inspection
      }
    }
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }
}
