/**
 * TrainingSetChecker: checks the selfies a person picked for training, on this computer, before
 * anything is uploaded. Each photo is opened by the studio's ImagePipeline (the same formats,
 * HEIC and EXIF orientation as an import), shrunk to at most 1024 px, and measured in a worker
 * thread (analysis-pool.ts); verdicts.ts turns the measures into the report.
 */
import path from 'node:path';
import { StudioError } from '../../../../shared/errors';
import type { ImagePipeline } from '../../images/image-pipeline';
import { decoding } from '../../images/opened-image';
import { AnalysisError, type AnalysisPool } from './analysis-pool';
import type { RgbRaster } from './measures';
import type { SetCheckReport } from './problems';
import { buildReport, type MeasuredPhoto } from './verdicts';

/** The long side the measures and the face detector work at. */
export const ANALYSIS_SIDE = 1024;

export interface CheckProgress {
  /** photos measured so far */
  done: number;
  total: number;
  /** the photo just measured */
  file: string;
}

export interface CheckOptions {
  onProgress?: (p: CheckProgress) => void;
  signal?: AbortSignal;
}

export class TrainingSetChecker {
  constructor(
    private readonly pipeline: ImagePipeline,
    private readonly pool: AnalysisPool,
  ) {}

  /** Checks `files` (absolute paths), in their order; the report lists them in that order. */
  async check(files: readonly string[], opts: CheckOptions = {}): Promise<SetCheckReport> {
    const { signal, onProgress } = opts;
    const measured: MeasuredPhoto[] = new Array(files.length);
    let next = 0;
    let done = 0;
    // one more photo in flight than there are workers, so decoding the next overlaps the inference
    const lanes = Math.min(files.length, this.pool.size + 1);
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < files.length) {
          throwIfCanceled(signal);
          const i = next++;
          measured[i] = await this.measure(files[i]!);
          throwIfCanceled(signal);
          onProgress?.({ done: ++done, total: files.length, file: files[i]! });
        }
      }),
    );
    return buildReport(measured);
  }

  private async measure(file: string): Promise<MeasuredPhoto> {
    const name = path.basename(file);
    let size: { width: number; height: number };
    let rgb: RgbRaster;
    try {
      size = await this.pipeline.inspect({ name, path: file });
      const image = await this.pipeline.decode({ name, path: file });
      const out = await decoding(name, () =>
        image
          .resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: 'inside', withoutEnlargement: true })
          .flatten({ background: '#ffffff' })
          .toColourspace('srgb')
          .removeAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true }),
      );
      if (out.info.channels !== 3) throw new StudioError('corrupt_file', `"${name}" gave an unexpected pixel layout.`);
      rgb = {
        width: out.info.width,
        height: out.info.height,
        data: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.length),
      };
    } catch (e) {
      if (e instanceof StudioError) return { file, unreadable: e.message };
      throw e;
    }
    try {
      return { file, ...size, analysis: await this.pool.analyse(rgb) };
    } catch (e) {
      // the photo opened but the checker itself failed: say so on the photo, keep checking the rest
      if (e instanceof AnalysisError)
        return { file, unreadable: `it could not be checked (${e.message}). Check the set again.` };
      throw e;
    }
  }
}

function throwIfCanceled(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw new StudioError('canceled', 'The photo check was canceled.');
}
