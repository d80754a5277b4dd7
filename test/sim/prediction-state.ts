/**
 * A prediction's state as a pure function of the clock (see server.ts): what the simulator keeps
 * about a prediction, and its status, logs and output at any moment: `starting` for bootMs,
 * `processing` for steps × stepMs + tailMs, then terminal; a cancel or a `Cancel-After` deadline
 * cuts it short (`canceled`, or `aborted` before it started), and retention removes its data.
 * The statuses and the data removal mirror Replicate's OpenAPI and reference §2.
 */
import { logsAt, type CatalogModel, type ModelVersion, type RunPlan } from './model-rules';
import type { RenderedImage } from './render';
import type { PredictionStatus } from './sim-types';

export interface PredictionRecord {
  seq: number;
  id: string;
  createdBy: string;
  model: CatalogModel;
  version: ModelVersion;
  /** the input as sent (the API echoes it, without defaults) */
  input: Record<string, unknown>;
  createdAt: number;
  startAt: number;
  /** the last denoising step ends; processing goes on for tailMs (decode, safety, upload) */
  stepsEndAt: number;
  endAt: number;
  stepMs: number;
  plan: RunPlan;
  deadline: number | null;
  canceledAt: number | null;
  webhook?: string;
  webhookEventsFilter?: string[];
  sources: { image: Buffer | null; mask: Buffer | null } | null;
  nonce: string;
  renders: Map<number, Promise<RenderedImage>>;
}

export interface Snapshot {
  status: PredictionStatus;
  startedAt: number | null;
  completedAt: number | null;
  logs: string;
  output: number[] | null;
  error: string | null;
  removed: boolean;
}

export const TERMINAL: ReadonlySet<PredictionStatus> = new Set(['succeeded', 'failed', 'canceled', 'aborted']);

/** When the prediction ends (or ended), as things stand: a cancel or deadline before the natural end wins. */
export function completionTime(rec: PredictionRecord): number {
  const cutoff = Math.min(rec.canceledAt ?? Infinity, rec.deadline ?? Infinity);
  return cutoff < rec.endAt ? cutoff : rec.endAt;
}

export function snapshot(rec: PredictionRecord, t: number, retentionMs: number): Snapshot {
  const cutoff = Math.min(rec.canceledAt ?? Infinity, rec.deadline ?? Infinity);
  let s: Omit<Snapshot, 'removed'>;
  if (cutoff < rec.endAt && t >= cutoff) {
    const started = cutoff > rec.startAt;
    // A deadline that passes before the run starts aborts it (nothing billed); anything else cancels.
    const byDeadline =
      rec.deadline !== null && rec.deadline === cutoff && (rec.canceledAt === null || rec.canceledAt > cutoff);
    s = {
      status: !started && byDeadline ? 'aborted' : 'canceled',
      startedAt: started ? rec.startAt : null,
      completedAt: cutoff,
      logs: started ? logsAt(rec.plan, cutoff - rec.startAt, rec.stepMs, false) : '',
      output: null,
      error: null,
    };
  } else if (t < rec.startAt) {
    s = { status: 'starting', startedAt: null, completedAt: null, logs: '', output: null, error: null };
  } else if (t < rec.endAt) {
    s = {
      status: 'processing',
      startedAt: rec.startAt,
      completedAt: null,
      logs: logsAt(rec.plan, t - rec.startAt, rec.stepMs, false),
      output: null,
      error: null,
    };
  } else {
    const o = rec.plan.outcome;
    s = {
      status: o.kind,
      startedAt: rec.startAt,
      completedAt: rec.endAt,
      logs: logsAt(rec.plan, rec.endAt - rec.startAt, rec.stepMs, true),
      output: o.kind === 'succeeded' ? o.kept : null,
      error: o.kind === 'failed' ? o.error : null,
    };
  }
  return { ...s, removed: s.completedAt !== null && t >= s.completedAt + retentionMs };
}
