/**
 * Starting the training on Replicate: `POST /v1/models/{trainer}/versions/{version}/trainings`
 * with the destination and the zip's URL. A create whose outcome is unknown (the connection
 * dropped, a 5xx) is looked for in `GET /v1/trainings` before it is ever sent again, so a lost
 * answer or a killed process never starts a second, billed, training.
 */
import { StudioError } from '../../../shared/errors';
import { httpStatusOf, OutcomeUnknownError } from '../replicate/gateway';
import type { Training } from './trainings-api';
import { trainingFailures } from './training-failures';
import type { TrainingRecord } from './training-journal';
import { failing, type Live, type TrainingRunContext } from './training-run';

export async function submit(ctx: TrainingRunContext, l: Live, mayHaveBeenSent: boolean): Promise<void> {
  const rec = l.rec;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0 || mayHaveBeenSent) {
      l.status = 'Checking whether Replicate received the training…';
      ctx.emit(l);
      let found = await reconcile(ctx, l);
      if (!found) {
        await ctx.sleep(1500);
        found = await reconcile(ctx, l);
      }
      if (found) return adopt(ctx, l, found);
      if (rec.cancelRequested) throw new StudioError('canceled', 'Canceled.');
    }
    try {
      const t = await ctx.api.create(
        rec.request.trainer,
        rec.trainerVersion!,
        { destination: rec.request.destination, input: trainerInput(rec) },
        ctx.call(l, true),
      );
      return adopt(ctx, l, t);
    } catch (e) {
      if (!(e instanceof OutcomeUnknownError)) {
        const status = httpStatusOf(e);
        if (status === 404) throw failing(trainingFailures.destinationMissing(rec.request.destination), 'missing');
        if (status === 403) throw failing(trainingFailures.destinationNotOwned(rec.request.destination), 'foreign');
        throw e;
      }
      ctx.log('warn', `training create outcome unknown for ${rec.id}; reconciling`);
      l.status = 'The connection dropped while starting the training; checking with Replicate…';
      ctx.emit(l);
      await ctx.sleep(Math.min(10_000, 1000 * 2 ** Math.min(attempt, 4)));
    }
  }
}

function trainerInput(rec: TrainingRecord): Record<string, unknown> {
  return { ...rec.request.input, input_images: rec.zipUrl!, trigger_word: rec.request.triggerWord };
}

/**
 * This job's training, if a create whose answer was lost made one: the same destination, the
 * same zip URL (one upload per job, so the URL is this job's own marker), created after the
 * job journaled `submitted` (on Replicate's clock).
 */
async function reconcile(ctx: TrainingRunContext, l: Live): Promise<Training | null> {
  const rec = l.rec;
  const skew = ctx.gateway.serverClockSkewMs();
  const earliest = (rec.submittedAt ?? rec.createdAt) + (skew ?? 0) - (skew === null ? 5 * 60_000 : 2_000);
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const res = await ctx.api.list(cursor, ctx.call(l, true));
    for (const t of res.results) {
      const created = t.created_at ? Date.parse(t.created_at) : NaN;
      if (Number.isFinite(created) && created < earliest) return null; // newest first: nothing older can be ours
      if (t.destination !== undefined && t.destination !== rec.request.destination) continue;
      if (t.input?.input_images === rec.zipUrl) return t;
    }
    if (!res.next) return null;
    cursor = res.next;
  }
  return null;
}

async function adopt(ctx: TrainingRunContext, l: Live, t: Training): Promise<void> {
  l.status = undefined;
  await ctx.write(l, { state: 'running', trainingId: t.id });
  if (l.rec.cancelRequested) await ctx.api.cancel(t.id).catch(() => {});
}
