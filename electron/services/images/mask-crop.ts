/**
 * The mask is painted over the whole (oriented) source photo; the prepared image is that source
 * scaled and centre-cropped to multiples of 16 (PreparedImage.crop). Cut the same region out of
 * the mask, in the mask's own resolution, so image and mask stay aligned pixel for pixel.
 */
import type { CropRect, MaskBitmap } from '../../../shared/images';

export function cropMask(
  mask: MaskBitmap,
  image: { sourceWidth: number; sourceHeight: number; crop: CropRect },
): MaskBitmap {
  const sx = mask.width / image.sourceWidth;
  const sy = mask.height / image.sourceHeight;
  const left = Math.min(mask.width - 1, Math.max(0, Math.round(image.crop.left * sx)));
  const top = Math.min(mask.height - 1, Math.max(0, Math.round(image.crop.top * sy)));
  const width = Math.max(1, Math.min(mask.width - left, Math.round(image.crop.width * sx)));
  const height = Math.max(1, Math.min(mask.height - top, Math.round(image.crop.height * sy)));
  if (left === 0 && top === 0 && width === mask.width && height === mask.height) return mask;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    data.set(mask.data.subarray((top + y) * mask.width + left, (top + y) * mask.width + left + width), y * width);
  return { width, height, data };
}
