/**
 * Trainings (your own model from your selfies) and the training set gathered for them (channels
 * training:*, trainingset:*, events training:progress, trainingset:progress).
 */
import { z } from 'zod';
import { ERROR_CODES } from '../../errors';
import { QUALITY_PRESET_NAMES, TRAINING_STATES, triggerWordProblem } from '../../training/training';
import { AssetId, AssetRef, ErrorShape, Id, boundedRecord } from './common';
import { ModelFieldSchema } from './models';

// ---------- trainings (your own model from your selfies) ----------
const ModelName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'Use lowercase letters, digits, dashes, dots or underscores.');
export const TrainerInfo = z.object({
  ref: z.string(),
  versionId: z.string(),
  description: z.string().optional(),
  /** the trainer's own TrainingInput, read from its version (the Advanced form) */
  fields: z.array(ModelFieldSchema),
  hardware: z.string(),
  /** USD per second of the price table, and the date the table was written */
  pricePerSecond: z.number().nullable(),
  priceAsOf: z.string(),
});
export const TrainingView = z.object({
  id: Id,
  state: z.enum(TRAINING_STATES),
  /** owner/name of the destination model */
  destination: z.string(),
  trainer: z.string(),
  triggerWord: z.string(),
  photos: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
  trainingId: z.string().optional(),
  /** owner/name:version once it succeeded: pick it as the model in Settings */
  modelRef: z.string().optional(),
  progress: z
    .object({
      step: z.number(),
      total: z.number(),
      percent: z.number(),
      etaSec: z.number().optional(),
      loss: z.number().optional(),
    })
    .optional(),
  elapsedSec: z.number().optional(),
  predictTime: z.number().optional(),
  cost: z.object({ usd: z.number(), estimated: z.boolean(), priceAsOf: z.string() }).optional(),
  status: z.string().optional(),
  error: ErrorShape.optional(),
  /** a platform fault: Retry starts it again */
  retryable: z.boolean().optional(),
});
export const TrainedModel = z.object({
  ref: z.string(),
  destination: z.string(),
  versionId: z.string(),
  triggerWord: z.string(),
  trainer: z.string(),
  trainingId: z.string(),
  trainedAt: z.number(),
});
export const TrainingStartRequest = z
  .object({
    /** selfies from the shelf, each with an optional caption (written as name.txt in the zip) */
    photos: z
      .array(z.object({ assetId: AssetId, caption: z.string().max(1000).optional() }).strict())
      .min(1)
      .max(200),
    /** the model's name under your account, or owner/name */
    name: z.union([ModelName, z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*\/[a-z0-9][a-z0-9_.-]*$/)]),
    triggerWord: z.string().superRefine((v, ctx) => {
      const p = triggerWordProblem(v);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    }),
    trainer: z.string().max(200).optional(),
    preset: z.enum(QUALITY_PRESET_NAMES as [string, ...string[]]).optional(),
    /** Advanced: the trainer's own inputs, checked against its schema in main */
    input: boundedRecord(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean()]), 64).optional(),
    includeFlagged: z.boolean().optional(),
  })
  .strict();

/** The selfies gathered for training a model (electron/services/training/training-set.ts). */
const PhotoCodeSchema = z.enum([
  'unreadable',
  'too-small',
  'low-resolution',
  'blurry',
  'duplicate',
  'no-face',
  'several-faces',
  'face-too-small',
  'other-person',
]);
const SetCodeSchema = z.enum(['too-few', 'too-many', 'one-angle']);
export const TrainingPhotoView = z.object({
  id: Id,
  name: z.string(),
  file: z.string(),
  addedAt: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  caption: z.string(),
  included: z.boolean(),
  overridden: z.boolean(),
  /** null until the photo has been checked */
  verdict: z
    .object({
      ok: z.boolean(),
      problems: z.array(z.object({ code: PhotoCodeSchema, message: z.string(), of: Id.optional() })),
    })
    .nullable(),
  image: AssetRef,
  thumb: AssetRef,
});
export const TrainingSetView = z.object({
  id: Id,
  photos: z.array(TrainingPhotoView),
  summary: z.object({
    included: z.number().int(),
    excluded: z.number().int(),
    unchecked: z.number().int(),
    ready: z.boolean(),
    problems: z.array(z.object({ code: SetCodeSchema, message: z.string() })),
  }),
  checkedAt: z.number().nullable(),
});
export const TrainingSetAddResult = z.object({
  set: TrainingSetView,
  added: z.array(Id),
  alreadyIn: z.array(z.object({ name: z.string(), as: z.string() })),
  errors: z.array(z.object({ name: z.string(), code: z.enum(ERROR_CODES), message: z.string() })),
});
export const TrainingSetProgress = z.object({
  setId: Id,
  done: z.number().int(),
  total: z.number().int(),
  loadingModel: z.boolean(),
  name: z.string().optional(),
});
