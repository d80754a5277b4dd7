/**
 * The export's FaceLocator on the training check's face detector: the photo is decoded here by
 * sharp (off the JS thread) to an RGB raster at most 1024 px long, and SSD MobileNet v1 finds the
 * boxes in one of the check's worker threads (analysis-pool.ts), so the model is loaded once for
 * both and never in main. Boxes come back in fractions of the photo, best score first; a box
 * below the check's own face score is not a face here either.
 */
import sharp from 'sharp';
import type { AnalysisPool } from '../training/set-check/analysis-pool';
import { LIMITS } from '../training/set-check/problems';
import type { FaceBox, FaceLocator } from './face-locator';

/** The long side the detector sees: the training check's (set-checker.ts ANALYSIS_SIDE), where its score is calibrated. */
export const LOCATE_SIDE = 1024;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export class DetectorFaceLocator implements FaceLocator {
  /** `pool`: the check's pool, started on first use (null: no worker in this process, so no face is found) */
  constructor(
    private readonly pool: () => AnalysisPool | null,
    private readonly minScore = LIMITS.faceScore,
  ) {}

  async locate(image: { bytes: Uint8Array; width: number; height: number }): Promise<FaceBox[]> {
    const pool = this.pool();
    if (!pool) return [];
    // Not rotated by EXIF: the crop is cut from the stored pixels (export-service.ts), so the boxes must be too.
    const { data, info } = await sharp(image.bytes, { failOn: 'error' })
      .resize(LOCATE_SIDE, LOCATE_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const w = info.width;
    const h = info.height;
    const found = await pool.detectFaces({
      width: w,
      height: h,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    });
    return found
      .filter((f) => f.score >= this.minScore)
      .map((f) => {
        const left = clamp01(f.box.x / w);
        const top = clamp01(f.box.y / h);
        return {
          left,
          top,
          width: clamp01((f.box.x + f.box.width) / w) - left,
          height: clamp01((f.box.y + f.box.height) / h) - top,
          score: f.score,
        };
      })
      .filter((b) => b.width > 0 && b.height > 0);
  }
}
