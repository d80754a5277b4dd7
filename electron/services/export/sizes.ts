/**
 * The pixels an export gets: which part of the photo (the crop, in source pixels) and its output
 * size, for each size of shared/export.ts. Never enlarges: a photo smaller than the target is
 * exported at the largest size of the target's shape that it holds, with a warning that says so.
 */
import type { CropRect, FocusPoint, NormalizedCrop } from '../../../shared/images';
import { SIZE_TARGETS, type ExportSize } from '../../../shared/export';
import type { FaceBox } from './face-locator';

/** A crop the person moved: a point to centre on, or the rectangle to keep (fractions of the image). */
export type CropSpec = { focus: FocusPoint } | { rect: NormalizedCrop };

export interface ExportPlan {
  /** the part of the source that is kept, in source pixels */
  crop: CropRect;
  width: number;
  height: number;
  /** set when the photo is smaller than the target and was not enlarged */
  warning?: string;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * Where the crop is centred when the person did not move it: on the largest face when one is
 * found, otherwise the middle, a third from the top for portrait and square photos (where the face
 * of a portrait usually is).
 */
export function defaultFocus(width: number, height: number, faces: readonly FaceBox[] = []): FocusPoint {
  const face = mainFace(faces);
  if (face) return { x: clamp(face.left + face.width / 2, 0, 1), y: clamp(face.top + face.height / 2, 0, 1) };
  return { x: 0.5, y: height >= width ? 1 / 3 : 0.5 };
}

/**
 * The face a crop is centred on: the largest (the person the photo is of; a face in the background
 * is smaller), the more confident one of two the same size.
 */
export function mainFace(faces: readonly FaceBox[]): FaceBox | undefined {
  return [...faces].sort((a, b) => b.width * b.height - a.width * a.height || (b.score ?? 0) - (a.score ?? 0))[0];
}

/** A normalised rectangle in whole source pixels, inside the image and at least 1×1. */
function toPixels(r: NormalizedCrop, W: number, H: number): CropRect {
  const left = clamp(Math.round(r.left * W), 0, W - 1);
  const top = clamp(Math.round(r.top * H), 0, H - 1);
  const width = clamp(Math.round(r.width * W), 1, W - left);
  const height = clamp(Math.round(r.height * H), 1, H - top);
  return { left, top, width, height };
}

/** The largest rectangle of aspect `a` (width/height) inside `within`, centred on `focus` (source pixels) as far as it can be. */
function fitAspect(within: CropRect, a: number, focus: { x: number; y: number }): CropRect {
  let width = within.width;
  let height = Math.round(width / a);
  if (height > within.height) {
    height = within.height;
    width = Math.min(within.width, Math.round(height * a));
  }
  const left = within.left + clamp(Math.round(focus.x - width / 2) - within.left, 0, within.width - width);
  const top = within.top + clamp(Math.round(focus.y - height / 2) - within.top, 0, within.height - height);
  return { left, top, width, height };
}

function dims(w: number, h: number) {
  return `${w}×${h}`;
}

export function planExport(
  W: number,
  H: number,
  size: ExportSize,
  crop?: CropSpec,
  faces: readonly FaceBox[] = [],
): ExportPlan {
  const whole: CropRect = { left: 0, top: 0, width: W, height: H };
  const target = SIZE_TARGETS[size].target;
  const focusFrac = crop && 'focus' in crop ? crop.focus : defaultFocus(W, H, faces);
  const focus = { x: clamp(focusFrac.x, 0, 1) * W, y: clamp(focusFrac.y, 0, 1) * H };
  const region = crop && 'rect' in crop ? toPixels(crop.rect, W, H) : whole;

  if (target.kind === 'original') return { crop: region, width: region.width, height: region.height };

  if (target.kind === 'long-side') {
    const long = Math.max(region.width, region.height);
    if (long <= target.longSide) {
      const warning =
        long < target.longSide
          ? `This photo is ${dims(region.width, region.height)}, smaller than ${target.longSide} px on its long side: it was exported at its own size, not enlarged.`
          : undefined;
      return { crop: region, width: region.width, height: region.height, ...(warning ? { warning } : {}) };
    }
    const s = target.longSide / long;
    return {
      crop: region,
      width: Math.max(1, Math.round(region.width * s)),
      height: Math.max(1, Math.round(region.height * s)),
    };
  }

  // A box: the crop takes the target's shape, inside the rectangle the person kept (or the whole photo).
  const a = target.width / target.height;
  const inRect = crop && 'rect' in crop;
  const c = fitAspect(
    region,
    a,
    inRect ? { x: region.left + region.width / 2, y: region.top + region.height / 2 } : focus,
  );
  if (c.width >= target.width && c.height >= target.height)
    return { crop: c, width: target.width, height: target.height };
  const s = Math.min(c.width / target.width, c.height / target.height);
  const width = Math.max(1, Math.min(c.width, Math.floor(target.width * s)));
  const height = Math.max(1, Math.min(c.height, Math.floor(target.height * s)));
  return {
    crop: c,
    width,
    height,
    warning: `This photo holds only ${dims(width, height)} in the ${SIZE_TARGETS[size].label} shape, smaller than ${dims(target.width, target.height)}: it was exported at that size, not enlarged.`,
  };
}
