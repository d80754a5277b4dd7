/**
 * Trainings (your own model from your selfies) and the training set gathered for them (channels
 * training:*, trainingset:*, events training:progress, trainingset:progress).
 */
import { z } from 'zod';
import { ERROR_CODES } from '../../errors';
import {
  PHOTO_CODES,
  QUALITY_PRESET_NAMES,
  SET_CODES,
  TRAINING_STATES,
  triggerWordProblem,
} from '../../training/training';
import { AssetRef, ErrorShape, Id, boundedRecord } from './common';
import { ModelFieldSchema } from './models';

// ---------- trainings (your own model from your selfies) ----------
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
  /** for the estimate before Train (the price table's figures); null: none for this trainer */
  speed: z.object({ secondsPerStep: z.number(), setupSeconds: z.number() }).nullable(),
  /** the price table the person can edit (<library>/.sseelfie/training-prices.json) */
  priceFile: z.string(),
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
  /** the new model's first test photo: its job and run, or why it could not start */
  firstPhoto: z.object({ jobId: Id.optional(), runId: Id.optional(), error: z.string().optional() }).optional(),
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
    /** the Train view's set (default: the current one); main reads its included photos itself */
    setId: Id.optional(),
    /** the model's name under your account, or owner/name (checked in main, with the reason in words) */
    name: z.string().max(140),
    triggerWord: z.string().superRefine((v, ctx) => {
      const p = triggerWordProblem(v);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    }),
    trainer: z.string().max(200).optional(),
    /** Simple: a quality preset; Advanced: `input` (over the preset's), checked against the trainer's schema in main */
    preset: z.enum(QUALITY_PRESET_NAMES as [string, ...string[]]).optional(),
    input: boundedRecord(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean()]), 64).optional(),
  })
  .strict();

/** The selfies gathered for training a model (electron/services/training/training-set.ts). */
const PhotoCodeSchema = z.enum(PHOTO_CODES);
const SetCodeSchema = z.enum(SET_CODES);
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
