/**
 * Output sizes and step counts as the predictors compute them (part of model-rules.ts).
 * Mirrors cog-flux predict.py ASPECT_RATIOS, size_from_aspect_megapixels, make_multiple_of_16;
 * diffusers_predictor.py MAX_IMAGE_SIZE handling and diffusers' img2img `get_timesteps`; PIL's
 * decompression-bomb limit.
 */
import type { Predictor } from './model-catalog';

export const ASPECT_RATIOS: Record<string, readonly [number, number]> = {
  '1:1': [1024, 1024],
  '16:9': [1344, 768],
  '21:9': [1536, 640],
  '3:2': [1216, 832],
  '2:3': [832, 1216],
  '4:5': [896, 1088],
  '5:4': [1088, 896],
  '3:4': [896, 1152],
  '4:3': [1152, 896],
  '9:16': [768, 1344],
  '9:21': [640, 1536],
};

export const MAX_IMAGE_SIZE = 1440;

/** Rounds UP (the description says "nearest"; the code does ((n+15)//16)*16). */
export function makeMultipleOf16(n: number): number {
  return Math.floor((n + 15) / 16) * 16;
}

export function sizeFromAspect(aspect: string, megapixels: unknown): [number, number] {
  const [w, h] = ASPECT_RATIOS[aspect] ?? ASPECT_RATIOS['1:1']!;
  return megapixels === '0.25' ? [Math.floor(w / 2), Math.floor(h / 2)] : [w, h];
}

/** img2img/inpaint output size from the input image size. */
export function sizeForInputImage(width: number, height: number, predictor: Predictor): [number, number] {
  if (predictor === 'legacy') return [makeMultipleOf16(width), makeMultipleOf16(height)];
  const scale = Math.min(MAX_IMAGE_SIZE / width, MAX_IMAGE_SIZE / height, 1);
  let w = width;
  let h = height;
  if (scale < 1) {
    w = Math.trunc(width * scale);
    h = Math.trunc(height * scale);
  }
  return [makeMultipleOf16(w), makeMultipleOf16(h)];
}

/** diffusers img2img/inpaint `get_timesteps`: strength shortens the schedule. */
export function stepsAfterStrength(steps: number, strength: number): number {
  const init = Math.min(steps * strength, steps);
  const tStart = Math.trunc(Math.max(steps - init, 0));
  return steps - tStart;
}

/** PIL refuses images above 2 × MAX_IMAGE_PIXELS (DecompressionBombError). */
export const PIL_BOMB_LIMIT = 2 * 89_478_485;
