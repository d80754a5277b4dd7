/**
 * Step 3, poll: asks Replicate about the prediction until it ends, as often as the poll planner
 * (poll-planner.ts) says, reading progress and the seed from its logs. A prediction that ended
 * well journals `downloading` with its output URLs; one that failed says why (failures.ts).
 */
import { isTerminal, type Prediction } from '../../replicate/types';
import { parseDroppedImages, parseProgress, parseSeed } from '../../replicate/logs';
import { jobFailures } from '../failures';
import { callOptions, transition, type JobContext, type LiveJob } from '../job-context';
import { AdaptivePollPlanner } from '../poll-planner';

/** Polls until the prediction ends; the planner decides how long each wait is (poll-planner.ts). */
export async function poll(ctx: JobContext, live: LiveJob): Promise<void> {
  const rec = live.rec;
  const plan =
    ctx.o.pollPlanner?.() ??
    new AdaptivePollPlanner({ minMs: ctx.o.pollMinMs, maxMs: ctx.o.pollMaxMs, tail: ctx.tail });
  for (;;) {
    const p = await ctx.o.gateway.getPrediction(rec.predictionId!, { ...callOptions(ctx, live), signal: undefined });
    const now = ctx.now();
    if (p.data_removed) throw jobFailures.lost(rec.seed);
    if (p.status === 'processing' && rec.state !== 'running') await transition(ctx, live, 'running');
    const seed = parseSeed(p.logs);
    if (seed !== undefined && rec.seed === undefined) rec.seed = seed;
    const prog = parseProgress(p.logs);
    plan.observe({ now, status: p.status, ...(prog ? { step: prog.step, total: prog.total } : {}) });
    live.status = p.status === 'starting' ? 'Waiting for a GPU on Replicate…' : undefined;
    if (prog) live.progress = prog;
    live.waitingUntil = undefined;
    if (isTerminal(p.status)) {
      plan.finished(now);
      return onTerminal(ctx, live, p);
    }
    ctx.emit(rec);
    if (rec.cancelRequested) await ctx.o.gateway.cancelPrediction(rec.predictionId!).catch(() => {});
    await ctx.sleep(plan.nextDelay(now), undefined);
  }
}

async function onTerminal(ctx: JobContext, live: LiveJob, p: Prediction): Promise<void> {
  const rec = live.rec;
  rec.startedAt = p.started_at ? Date.parse(p.started_at) : rec.startedAt;
  rec.completedAt = p.completed_at ? Date.parse(p.completed_at) : ctx.now();
  if (p.metrics?.predict_time !== undefined) rec.predictTime = p.metrics.predict_time;
  if (p.status === 'canceled' || p.status === 'aborted') {
    await ctx.end(live, { as: 'canceled', error: jobFailures.predictionCanceled(p.status === 'aborted') });
    return;
  }
  if (p.status === 'failed') throw jobFailures.predictionFailed(p.error);
  const outputs = Array.isArray(p.output)
    ? p.output.filter((u): u is string => typeof u === 'string')
    : typeof p.output === 'string'
      ? [p.output]
      : [];
  if (!outputs.length) throw jobFailures.noOutput();
  const dropped = parseDroppedImages(p.logs);
  if (outputs.length < rec.numOutputs) {
    const which = dropped.length ? ` (number ${dropped.map((i) => i + 1).join(' and ')})` : '';
    rec.warnings.push(
      `Replicate's safety checker removed ${rec.numOutputs - outputs.length} of ${rec.numOutputs} images${which}; the other ${outputs.length} ${outputs.length === 1 ? 'is' : 'are'} saved.`,
    );
  }
  const seed = parseSeed(p.logs);
  if (seed !== undefined) rec.seed = seed;
  await transition(ctx, live, 'downloading', { outputs });
}
