/**
 * Which photos a training may use. The full check (faces, blur, duplicates…) is the set-check
 * service's (electron/services/training/set-check/); until it is wired in, the training service
 * takes any `TrainingSetChecker`, and `FallbackSetChecker` is the minimal one: a photo is ok when
 * the image pipeline can decode it and its short side is at least 512 px.
 */
import type { ImageInput } from '../images/image-types';
import type { TrainingSetChecker as LocalCheck } from './set-check/set-checker';

export interface SetCheckFile {
  /** absolute path of the photo */
  file: string;
  /** shown in messages */
  name?: string;
}

export interface TrainingSetCheck {
  images: Array<{ file: string; ok: boolean; problems: string[]; readable?: boolean }>;
  set: { ok: boolean; problems: string[] };
}

export interface TrainingSetChecker {
  check(files: SetCheckFile[], opts?: { minImages?: number }): Promise<TrainingSetCheck>;
}

export const MIN_TRAINING_SIDE = 512;

interface Inspector {
  inspect(input: ImageInput): Promise<{ width: number; height: number }>;
  decode(input: ImageInput): Promise<{ stats(): Promise<unknown> }>;
}

/** The fallback: decodable (every pixel read) and ≥ 512 px on the short side. Nothing else. */
export class FallbackSetChecker implements TrainingSetChecker {
  constructor(private readonly pipeline: Inspector) {}

  async check(files: SetCheckFile[], opts: { minImages?: number } = {}): Promise<TrainingSetCheck> {
    const images: TrainingSetCheck['images'] = [];
    for (const f of files) {
      const name = f.name ?? f.file.split(/[\\/]/).pop()!;
      try {
        const info = await this.pipeline.inspect({ name, path: f.file });
        await (await this.pipeline.decode({ name, path: f.file })).stats(); // reads every pixel: a damaged file fails here
        const short = Math.min(info.width, info.height);
        images.push(
          short >= MIN_TRAINING_SIDE
            ? { file: f.file, ok: true, problems: [], readable: true }
            : {
                file: f.file,
                ok: false,
                readable: true,
                problems: [
                  `"${name}" is ${info.width} × ${info.height} pixels; training needs at least ${MIN_TRAINING_SIDE} on the short side.`,
                ],
              },
        );
      } catch (e) {
        images.push({
          file: f.file,
          ok: false,
          readable: false,
          problems: [e instanceof Error ? e.message : String(e)],
        });
      }
    }
    const ok = images.filter((i) => i.ok).length;
    const min = opts.minImages ?? 10;
    return {
      images,
      set:
        ok >= min
          ? { ok: true, problems: [] }
          : { ok: false, problems: [`${ok} of ${files.length} photos can be used; at least ${min} are needed.`] },
    };
  }
}

/**
 * The full local check (set-check/: faces, sharpness, duplicates) as the training service's
 * checker: a photo the check leaves out is not trained on unless the person includes it.
 */
export class LocalSetChecker implements TrainingSetChecker {
  constructor(private readonly local: Pick<LocalCheck, 'check'>) {}

  async check(files: SetCheckFile[]): Promise<TrainingSetCheck> {
    const report = await this.local.check(files.map((f) => f.file));
    return {
      images: report.images.map((i) => ({
        file: i.file,
        ok: i.ok,
        problems: i.problems.map((p) => p.message),
        readable: !i.problems.some((p) => p.code === 'unreadable'),
      })),
      set: { ok: report.set.ok, problems: report.set.problems.map((p) => p.message) },
    };
  }
}
