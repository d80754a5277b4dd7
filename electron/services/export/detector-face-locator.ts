/**
 * The export's FaceLocator on the training check's face detector: the photo is decoded here by
 * sharp (off the JS thread) to an RGB raster at most 1024 px long, and SSD MobileNet v1 finds the
 * boxes in one of the check's worker threads (analysis-pool.ts), so the model is loaded once for
 * both and never in main. Boxes come back in fractions of the photo, best score first; a box
 * below the check's own face score is not a face here either.
 *
 * The detector squares its input (padding) before shrinking it to 512 px, so in a wide photo a
 * face loses most of its pixels: a 16:9 photo whose face is a tenth of its width is often missed.
 * When the whole photo gives no face and it is far from square, its overlapping squares are
 * looked at too (two, or three for a panorama), each at the detector's full resolution.
 */
import sharp from 'sharp';
import type { AnalysisPool } from '../training/set-check/analysis-pool';
import { LIMITS } from '../training/set-check/problems';
import type { FaceBox, FaceLocator } from './face-locator';

/** The long side the detector sees: the training check's (set-checker.ts ANALYSIS_SIDE), where its score is calibrated. */
export const LOCATE_SIDE = 1024;
/** Photos longer than this against their short side are also looked at in squares. */
const TILE_FROM_ASPECT = 1.25;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

export class DetectorFaceLocator implements FaceLocator {
  /** `pool`: the check's pool, started on first use (null: no worker in this process, so no face is found) */
  constructor(
    private readonly pool: () => AnalysisPool | null,
    private readonly minScore = LIMITS.faceScore,
  ) {}

  async locate(image: { bytes: Uint8Array; width: number; height: number }): Promise<FaceBox[]> {
    const pool = this.pool();
    if (!pool) return [];
    const { width: W, height: H } = image;
    const whole = await this.detect(pool, image.bytes, { left: 0, top: 0, width: W, height: H }, W, H);
    if (whole.length || Math.max(W, H) / Math.min(W, H) < TILE_FROM_ASPECT) return whole;
    const found: FaceBox[] = [];
    for (const tile of squares(W, H)) found.push(...(await this.detect(pool, image.bytes, tile, W, H)));
    return dedupe(found);
  }

  /** The faces in `region` of the photo (source pixels), in fractions of the whole photo. */
  private async detect(pool: AnalysisPool, bytes: Uint8Array, region: Region, W: number, H: number) {
    // Not rotated by EXIF: the crop is cut from the stored pixels (export-service.ts), so the boxes must be too.
    let img = sharp(bytes, { failOn: 'error' });
    if (region.width !== W || region.height !== H) img = img.extract(region);
    const { data, info } = await img
      .resize(LOCATE_SIDE, LOCATE_SIDE, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const sx = region.width / info.width;
    const sy = region.height / info.height;
    const found = await pool.detectFaces({
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    });
    return found
      .filter((f) => f.score >= this.minScore)
      .map((f) => {
        const left = clamp01((region.left + f.box.x * sx) / W);
        const top = clamp01((region.top + f.box.y * sy) / H);
        return {
          left,
          top,
          width: clamp01((region.left + (f.box.x + f.box.width) * sx) / W) - left,
          height: clamp01((region.top + (f.box.y + f.box.height) * sy) / H) - top,
          score: f.score,
        };
      })
      .filter((b) => b.width > 0 && b.height > 0);
  }
}

/** Squares of the short side along the long one, overlapping, from one end to the other. */
export function squares(W: number, H: number): Region[] {
  const side = Math.min(W, H);
  const long = Math.max(W, H);
  const count = Math.max(2, Math.ceil(long / side));
  const step = (long - side) / (count - 1);
  return Array.from({ length: count }, (_, i) => {
    const at = Math.round(i * step);
    return W >= H ? { left: at, top: 0, width: side, height: side } : { left: 0, top: at, width: side, height: side };
  });
}

/** One box per face where squares overlap: of two boxes that mostly cover each other, the better score stays. */
function dedupe(boxes: FaceBox[]): FaceBox[] {
  const kept: FaceBox[] = [];
  for (const b of [...boxes].sort((x, y) => (y.score ?? 0) - (x.score ?? 0))) {
    if (!kept.some((k) => iou(k, b) > 0.3)) kept.push(b);
  }
  return kept;
}

function iou(a: FaceBox, b: FaceBox): number {
  const w = Math.max(0, Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left));
  const h = Math.max(0, Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top));
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}
