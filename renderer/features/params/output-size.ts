/**
 * The size of the photo that will be SAVED, which is not always the size the model paints at.
 *
 * With "Keep everything outside the mask exactly" main puts the model's result back into the
 * starting photo (electron image-pipeline `compositeKeepOutside`, PNG, wired in services/jobs/image-ops.ts
 * `defaultImageOps`): the saved file has the decoded, upright original's own size, e.g. 600 × 800
 * although the model painted 592 × 800 (600 cut down to a multiple of 16). Without it, the
 * model's output is saved as it comes.
 *
 * Pure rules over shared/model/rules.ts; candidates for shared/ (main decides the same thing in
 * job-engine's download step).
 */
import type { OutputPlan } from '../../../shared/model/rules';

export interface Size {
  width: number;
  height: number;
}

/** What the saved photos will be. `model` is the size the model paints at, when it differs. */
export interface SavedSize extends Size {
  /** the result is composited back into the starting photo (keep outside the mask) */
  composited: boolean;
  model?: Size;
}

/** A selfie as the shelf lists it: the original's upright size, and the display copy painted on. */
export interface ShelfSelfie {
  width: number;
  height: number;
  image: { id: string };
}

/**
 * The starting photo's own size as main opens it. A selfie is painted on a display copy (at most
 * 4096 px) but main works from the original, so a selfie's original size wins; a result or a saved
 * run's photo is the file itself.
 */
export function originalSize(source: Size & { assetId: string }, selfies: readonly ShelfSelfie[] = []): Size {
  const s = selfies.find((x) => x.image.id === source.assetId);
  return s && s.width > 0 && s.height > 0
    ? { width: s.width, height: s.height }
    : { width: source.width, height: source.height };
}

/**
 * The size main will save: the original's for an inpaint run with keep-outside on (only then does
 * main composite), else the model's planned output. Null when the model's size is not known (an
 * unfinished custom size).
 */
export function savedSize(
  plan: Pick<OutputPlan, 'mode' | 'width' | 'height'>,
  original: Size | null,
  keepOutside: boolean,
): SavedSize | null {
  if (!plan.width || !plan.height) return null;
  const model = { width: plan.width, height: plan.height };
  if (plan.mode === 'inpaint' && keepOutside && original && original.width > 0 && original.height > 0) {
    const same = original.width === model.width && original.height === model.height;
    return { width: original.width, height: original.height, composited: true, ...(same ? {} : { model }) };
  }
  return { ...model, composited: false };
}

/** "600 × 800" */
export function sizeText(s: Size): string {
  return `${s.width} × ${s.height}`;
}
