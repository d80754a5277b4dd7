/**
 * The simulator's public surface (re-exported by server.ts, where importers get it): the options a
 * test starts it with, the prediction object as the API returns it, what only the simulator shows
 * (the seed, the size, every request it saw), and the `Simulator` handle itself. The prediction
 * object mirrors Replicate's OpenAPI `schemas_prediction_response` and the recorded responses of
 * replicate-python's cassettes.
 */
import type { FaultRule } from './faults';
import type { CogDialect, SimModel } from './model-rules';
import type { TrainingJson, TrainingTiming } from './trainings';

export interface SimTiming {
  /** time a prediction stays `starting` (queue + cold boot); default 300 */
  bootMs?: number;
  /** per denoising step; default 15 */
  stepMs?: number;
  /** after the last denoising step until `succeeded`: VAE decode, safety checker, upload; default 0 */
  tailMs?: number;
}

/** `realistic: true`: a cold boot, FLUX dev bf16 speed for the model card's 4 × 1344×768, and the tail. */
export const REALISTIC_TIMING: Required<SimTiming> = { bootMs: 3000, stepMs: 300, tailMs: 1200 };

export interface SimOptions {
  /** API port; 0 = random (default 0) */
  port?: number;
  /** delivery (output files) port; 0 = random (default 0) */
  deliveryPort?: number;
  /** default '127.0.0.1' */
  host?: string;
  /** default { r8_sim_token: { username: 'sim-user', name: 'Sim User' } } */
  tokens?: Record<string, { username: string; name?: string; credit?: 'ok' | 'none' }>;
  /** makes fault probabilities, random seeds and ids deterministic */
  seed?: number;
  /** see SimTiming; fields given here override the `realistic` preset */
  timing?: SimTiming;
  /** REALISTIC_TIMING instead of the fast defaults (boot 3 s, 0.3 s per step, 1.2 s tail) */
  realistic?: boolean;
  /** default 3_600_000: outputs/inputs/logs removed this long after completion */
  retentionMs?: number;
  /** default 24 h: uploaded files expire */
  fileTtlMs?: number;
  /** default 100 MiB: larger uploads get 413 */
  maxFileBytes?: number;
  /** clock, default Date.now */
  now?: () => number;
  faults?: FaultRule[];
  /** Cog dialect of every version's openapi_schema unless the model or version names one; default 'cog-allof' */
  schemaDialect?: CogDialect;
  /** overrides for sandrasocial/sseelfie-ai itself, e.g. `{ dialect: 'cog-bare-ref' }` or more versions */
  defaultModel?: Partial<Omit<SimModel, 'owner' | 'name'>>;
  /** more models, e.g. a private one or one with an old-schema version */
  extraModels?: SimModel[];
  /** how long trainings take (test/sim/trainings.ts): boot 300 ms, 4 ms per step, 100 ms setup */
  trainingTiming?: TrainingTiming;
}

export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';

/**
 * The prediction object as the API returns it (OpenAPI `schemas_prediction_response`; key order and
 * presence as in the recorded responses of replicate-python's cassettes): `started_at` appears once
 * the model started, `completed_at` and `metrics` once it ended. A create response has no `source`.
 */
export interface PredictionJson {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  /** absent in list results */
  logs: string;
  output: string[] | null;
  data_removed: boolean;
  error: string | null;
  status: PredictionStatus;
  /** absent in create responses */
  source?: 'api';
  created_at: string;
  started_at?: string;
  completed_at?: string;
  metrics?: { predict_time?: number; total_time?: number };
  urls: { web: string; get: string; cancel: string };
  deadline?: string;
  webhook?: string;
  webhook_events_filter?: string[];
}

/** What `Simulator.predictions()` shows: the API object plus what only the simulator knows. */
export interface SimPrediction extends PredictionJson {
  /** username of the token that created it */
  createdBy: string;
  /** the seed the model used (null when it failed before choosing one) */
  seed: number | null;
  /** output size the model chose (null when it failed before choosing one) */
  size: { width: number; height: number } | null;
}

/** One HTTP request as the simulator saw it. */
export interface SimRequest {
  method: string;
  /** path and query */
  path: string;
  /** 0 when no response was sent (reset, lost response, offline) */
  status: number;
  /** which listener it reached: the API (api.replicate.com) or the output host (replicate.delivery) */
  origin: 'api' | 'delivery';
  /** whether it carried an Authorization header (any value) */
  authorized: boolean;
}

export interface Simulator {
  /** 'http://127.0.0.1:PORT/v1' */
  baseUrl: string;
  /** 'http://127.0.0.1:PORT' (the API) */
  origin: string;
  /** 'http://127.0.0.1:PORT2': where output files are served, like replicate.delivery */
  deliveryOrigin: string;
  /** the first configured token */
  token: string;
  setFaults(rules: FaultRule[]): void;
  /**
   * true: both listeners close and every open connection is destroyed, so each request fails at
   * the network level (connection refused, or reset if it was in flight). false: listening again on
   * the same ports. The clock keeps running: predictions advance meanwhile.
   */
  setOffline(offline: boolean): Promise<void>;
  readonly offline: boolean;
  stats(): {
    createCalls: number;
    predictionsCreated: number;
    uploads: number;
    uploadBytes: number;
    requests: SimRequest[];
  };
  /** state at the current clock, newest first */
  predictions(): SimPrediction[];
  /** trainings at the current clock, newest first; `counters`: create calls, trainings and models created */
  trainings(): Array<TrainingJson & { createdBy: string }>;
  trainingStats(): { createCalls: number; trainingsCreated: number; modelsCreated: number };
  files(): Array<{ id: string; size: number; deleted: boolean }>;
  /** wall time spent rendering output images (overlapping renders counted once) */
  generationMs(): number;
  close(): Promise<void>;
}
