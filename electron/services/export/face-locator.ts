/**
 * Where the faces are in a photo, for the default crop of an export. A detector is being added
 * for training (electron/services/training/); the export service takes any FaceLocator as an
 * optional dependency and, without one (or when none is found), centres the crop with an
 * upper-third bias for portrait photos (sizes.ts defaultFocus).
 */
import type { NormalizedCrop } from '../../../shared/images';

/** A face's box in fractions of the image (0–1); `score` is the detector's confidence when it has one. */
export interface FaceBox extends NormalizedCrop {
  score?: number;
}

export interface FaceLocator {
  /** The faces in this encoded image (PNG, JPEG or WebP as saved in the library); [] for none. */
  locate(image: { bytes: Uint8Array; width: number; height: number }): Promise<FaceBox[]>;
}
