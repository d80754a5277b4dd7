/**
 * A job (one prediction) and the request that starts it (channels jobs:*, event jobs:progress).
 */
import { z } from 'zod';
import type { MaskBitmap } from '../../images';
import { AssetId, AssetRef, ErrorShape, Id, boundedRecord } from './common';

export const JOB_STATES = [
  'queued',
  'preparing',
  'submitted',
  'running',
  'downloading',
  'saved',
  'failed',
  'canceled',
  'lost',
] as const;
export const JobState = z.enum(JOB_STATES);
export const JobView = z.object({
  id: Id,
  runId: Id,
  state: JobState,
  label: z.string(),
  modelRef: z.string(),
  prompt: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  predictionId: z.string().optional(),
  numOutputs: z.number().int(),
  progress: z
    .object({ step: z.number(), total: z.number(), percent: z.number(), etaSec: z.number().optional() })
    .optional(),
  seed: z.number().int().optional(),
  /** e.g. "Replicate asked us to slow down; retrying in 12 s" */
  status: z.string().optional(),
  waitingUntil: z.number().optional(),
  error: ErrorShape.optional(),
  warnings: z.array(z.string()),
  images: z.array(AssetRef),
});

/** A painted mask (shared/images.ts), checked: sides up to 16 384 px and exactly width × height bytes. */
export const MaskPayload: z.ZodType<MaskBitmap, MaskBitmap> = z
  .object({
    width: z.number().int().min(1).max(16384),
    height: z.number().int().min(1).max(16384),
    data: z.instanceof(Uint8Array),
  })
  .refine((m) => m.data.length === m.width * m.height, 'mask data must be width×height bytes');

/** A starting image: a selfie on the shelf or an image of a saved run. */
export const ImageSource = z.object({ assetId: AssetId });

export const JobStartRequest = z.object({
  modelRef: z.string().max(200).optional(),
  input: boundedRecord(z.string().max(64), z.unknown(), 64),
  image: ImageSource.optional(),
  mask: MaskPayload.optional(),
  keepOutside: z.boolean().optional(),
  label: z.string().max(200).optional(),
  /** the same job again on purpose: without it, an identical request moments after the last is the same press */
  repeat: z.boolean().optional(),
});
