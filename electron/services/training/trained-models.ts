/**
 * The models the person trained, in `<library>/.sseelfie/trained-models.json`: each version with
 * its trigger word, so the studio can offer it as the model (Settings → model, `models:get`
 * resolves its schema from the version itself) with the trigger word filled in.
 */
import { readJson, writeJsonAtomic } from '../fs/atomic';

export interface TrainedModelRecord {
  /** owner/name:version, what the studio's model setting takes */
  ref: string;
  destination: string;
  versionId: string;
  triggerWord: string;
  trainer: string;
  trainingId: string;
  trainedAt: number;
}

export class TrainedModels {
  constructor(private readonly file: string) {}

  async list(): Promise<TrainedModelRecord[]> {
    try {
      const all = await readJson<TrainedModelRecord[]>(this.file);
      return Array.isArray(all) ? all : [];
    } catch {
      return [];
    }
  }

  /** Adds (or replaces, by ref) a version; newest first. */
  async record(m: TrainedModelRecord): Promise<void> {
    const all = (await this.list()).filter((x) => x.ref !== m.ref);
    await writeJsonAtomic(this.file, [m, ...all]);
  }
}
