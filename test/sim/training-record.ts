/**
 * What the simulator keeps about one training (trainings.ts creates it; training-logs.ts and
 * training-failures.ts read it): its trainer, destination, timeline and planned outcome. The
 * fields the API shows mirror the training object of reference §2.9 / Replicate's OpenAPI.
 */
import type { CatalogModel, ModelVersion } from './model-rules';
import type { TrainerSpec } from './trainers';

export type Outcome =
  { kind: 'succeeded' } | { kind: 'failed'; error: string; lines: string[]; atStep: number | 'setup' | 'end' };

export interface TrainingRecord {
  seq: number;
  id: string;
  createdBy: string;
  trainer: TrainerSpec;
  version: ModelVersion;
  destination: CatalogModel;
  input: Record<string, unknown>;
  createdAt: number;
  startAt: number;
  stepsStartAt: number;
  endAt: number;
  steps: number;
  images: number;
  captions: number;
  autocaption: boolean;
  outcome: Outcome;
  canceledAt: number | null;
  webhook?: string;
  webhookEventsFilter?: string[];
  /** the destination version this training pushed (once it succeeded) */
  pushed: ModelVersion | null;
  weightsToken: string;
}
