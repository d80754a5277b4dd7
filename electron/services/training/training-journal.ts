/**
 * The training journal: one JSON file per training in `<library>/.sseelfie/trainings/`, written
 * atomically BEFORE the side effect each state announces (as jobs/journal.ts does for photos):
 *
 * | journaled | before |
 * | --- | --- |
 * | `queued` (the photos, name, trigger word, input) | anything else |
 * | `uploading` with the zip's file name and SHA-256 (the zip is written beside the entry first) | the upload |
 * | `uploading` with the zip's URL | creating the model and the training |
 * | `submitted` with `submittedAt`, the trainer version and the destination | POST …/trainings |
 * | `running` with the training id | polling |
 * | `running` with `firstPhoto: {asked}` | starting the new model's first test photo (a job) |
 * | `succeeded` with the version | (after the version is recorded in trained-models.json) |
 *
 * A training journaled `submitted` without an id is looked for in GET /v1/trainings before its
 * create is ever sent again, so a process killed in between never starts a second (billed) one.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StudioErrorShape } from '../../../shared/errors';
import { ACTIVE_TRAINING_STATES, type TrainingState } from '../../../shared/training/training';
import { readJson, writeJsonAtomic } from '../fs/atomic';

export interface TrainingRequestRecord {
  photos: Array<{ file: string; caption?: string }>;
  /** owner/name */
  destination: string;
  triggerWord: string;
  trainer: string;
  /** the trainer's inputs besides input_images and trigger_word */
  input: Record<string, unknown>;
}

export interface TrainingRecord {
  v: 1;
  id: string;
  state: TrainingState;
  request: TrainingRequestRecord;
  createdAt: number;
  updatedAt: number;
  zipFile?: string;
  zipSha256?: string;
  zipUrl?: string;
  zipFileId?: string;
  trainerVersion?: string;
  submittedAt?: number;
  trainingId?: string;
  startedAt?: number;
  completedAt?: number;
  predictTime?: number;
  versionId?: string;
  cancelRequested?: boolean;
  /** the new model's first test photo: asked (journaled before it starts), then its job and run, or why not */
  firstPhoto?: { asked: true; jobId?: string; runId?: string; error?: string };
  error?: StudioErrorShape;
  retryable?: boolean;
}

export function isActive(rec: TrainingRecord): boolean {
  return ACTIVE_TRAINING_STATES.has(rec.state);
}

export class TrainingJournal {
  constructor(readonly dir: string) {}

  file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  zipPath(id: string): string {
    return path.join(this.dir, `${id}.zip`);
  }

  async write(rec: TrainingRecord): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await writeJsonAtomic(this.file(rec.id), rec);
  }

  async writeZip(id: string, bytes: Uint8Array): Promise<string> {
    await fs.mkdir(this.dir, { recursive: true });
    const p = this.zipPath(id);
    await fs.writeFile(p, bytes);
    return p;
  }

  async removeZip(id: string): Promise<void> {
    await fs.rm(this.zipPath(id), { force: true });
  }

  async all(): Promise<TrainingRecord[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const out: TrainingRecord[] = [];
    for (const n of names) {
      if (!n.endsWith('.json') || n.startsWith('.')) continue;
      try {
        const rec = await readJson<TrainingRecord>(path.join(this.dir, n));
        if (rec && rec.v === 1 && typeof rec.id === 'string') out.push(rec);
      } catch {
        // a damaged entry cannot be resumed; it stays for inspection
      }
    }
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }
}
