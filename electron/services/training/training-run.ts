/**
 * What the steps of a running training share with TrainingService (as jobs/job-context.ts does
 * for a job): the live training, the calls it makes, and how a step journals and announces a
 * change. The steps themselves are plain functions in training-upload.ts, training-destination.ts.
 */
import type { Sharp } from 'sharp';
import type { ImageInput } from '../images/image-types';
import type { CallOptions, ReplicateGateway } from '../replicate/gateway';
import type { TrainingsApi } from './trainings-api';
import type { TrainingJournal, TrainingRecord } from './training-journal';
import type { TrainingProgress } from './training-log';

/** A training this process is running. */
export interface Live {
  rec: TrainingRecord;
  abort: AbortController;
  progress?: TrainingProgress;
  /** a sentence for the window while a step waits or works ("Uploading the photos…") */
  status?: string;
  done: Promise<void>;
}

export interface TrainingRunContext {
  gateway: ReplicateGateway;
  api: TrainingsApi;
  journal: TrainingJournal;
  decode: (input: ImageInput) => Promise<Sharp>;
  /** the destination's hardware for POST /v1/models */
  hardware: string;
  /** journals the patch (before the side effect it announces) and tells the window */
  write(l: Live, patch?: Partial<TrainingRecord>): Promise<void>;
  /** tells the window (status and progress are not journaled) */
  emit(l: Live): void;
  /** the options of a call for this training: persistent ones never give up on a bad minute */
  call(l: Live, persistent: boolean): CallOptions;
  sleep(ms: number): Promise<void>;
  log(level: 'info' | 'warn', msg: string): void;
}

/** An error that carries the training's failure in words (training-failures.ts). */
export function failing(failure: unknown, what = 'training failure'): Error {
  return Object.assign(new Error(what), { failure });
}
