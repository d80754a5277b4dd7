/**
 * What the window and the CLI see of a training: its state, progress from the logs, elapsed
 * time (on Replicate's clock), and the cost: final from `predict_time`, or while it runs an
 * estimate of the whole (elapsed + the time tqdm says is left) at the table's price.
 */
import type { TrainingViewT } from '../../../shared/ipc/contract';
import { costOf, type PriceTable } from './prices';
import { isActive, type TrainingRecord } from './training-journal';
import type { TrainingProgress } from './training-log';

export function trainingView(
  rec: TrainingRecord,
  live: { progress?: TrainingProgress; status?: string; prices: PriceTable | null; serverNow: number },
): TrainingViewT {
  const v: TrainingViewT = {
    id: rec.id,
    state: rec.state,
    destination: rec.request.destination,
    trainer: rec.request.trainer,
    triggerWord: rec.request.triggerWord,
    photos: rec.request.photos.length,
    createdAt: rec.createdAt,
    updatedAt: rec.updatedAt,
  };
  if (rec.trainingId) v.trainingId = rec.trainingId;
  if (rec.versionId) v.modelRef = `${rec.request.destination}:${rec.versionId}`;
  if (live.progress) {
    const { step, total, percent, etaSec, loss } = live.progress;
    v.progress = {
      step,
      total,
      percent,
      ...(etaSec !== undefined ? { etaSec } : {}),
      ...(loss !== undefined ? { loss } : {}),
    };
  }
  if (rec.startedAt)
    v.elapsedSec = Math.max(0, Math.round(((rec.completedAt ?? live.serverNow) - rec.startedAt) / 1000));
  if (rec.predictTime !== undefined) v.predictTime = rec.predictTime;
  const table = live.prices;
  if (table) {
    if (rec.predictTime !== undefined) {
      const usd = costOf(table, rec.request.trainer, rec.predictTime);
      if (usd !== null) v.cost = { usd, estimated: false, priceAsOf: table.asOf };
    } else if (v.elapsedSec !== undefined && isActive(rec)) {
      const usd = costOf(table, rec.request.trainer, v.elapsedSec + (v.progress?.etaSec ?? 0));
      if (usd !== null) v.cost = { usd, estimated: true, priceAsOf: table.asOf };
    }
  }
  if (rec.firstPhoto?.jobId && rec.firstPhoto.runId)
    v.firstPhoto = { jobId: rec.firstPhoto.jobId, runId: rec.firstPhoto.runId };
  else if (rec.firstPhoto?.error) v.firstPhoto = { error: rec.firstPhoto.error };
  if (live.status) v.status = live.status;
  if (rec.error) v.error = rec.error;
  if (rec.retryable) v.retryable = true;
  return v;
}
