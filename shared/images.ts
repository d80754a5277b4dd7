/**
 * The two image shapes both processes use, declared once: the crop rectangle (the part of the
 * person's photo the model is shown) and the mask bitmap (what the mask painter exports, what
 * `jobs:start` carries, what main crops and rasterizes). Types only: no DOM, no Node.
 */

/** A rectangle of an image in whole pixels, measured from its top-left corner. */
export interface CropRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * A painted mask: `width × height` bytes, one per pixel, row by row from the top. 255 means
 * "repaint this pixel", 0 "keep it" (main reads anything from 128 up as repaint).
 */
export interface MaskBitmap {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * A CropRect measured in fractions of the image's width and height (0–1) instead of pixels, so a
 * crop the person moved on a preview applies to the full-size file: what `export:photos` carries.
 */
export type NormalizedCrop = CropRect;

/** A point of an image in fractions of its width and height (0–1): where a crop is centred. */
export interface FocusPoint {
  x: number;
  y: number;
}
