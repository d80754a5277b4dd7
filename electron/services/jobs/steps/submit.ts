/**
 * Step 2, submit and reconcile: POST /predictions once. `submitted` is already journaled, so a
 * create whose outcome is unknown (the connection dropped, a 5xx) is never simply sent again:
 * this job's prediction is first looked for in GET /predictions, and adopted if it is there.
 */
import { StudioError } from '../../../../shared/errors';
import { OutcomeUnknownError } from '../../replicate/gateway';
import type { Prediction } from '../../replicate/types';
import type { JobRecord } from '../journal';
import { callOptions, transition, type JobContext, type LiveJob } from '../job-context';
import { stableJson } from '../stable-json';

/** The model input as sent: the journaled input plus the uploaded files' URLs. */
function submitInput(rec: JobRecord): Record<string, unknown> {
  const input = { ...rec.input };
  if (rec.image?.url) input.image = rec.image.url;
  if (rec.mask?.url) input.mask = rec.mask.url;
  return input;
}

/**
 * Finds a prediction this job already created (its create answer was lost). The API keeps no
 * tag of ours on a prediction, so "ours" is: same version, same input, created after this job
 * journaled `submitted` (on Replicate's clock, from the Date headers it sends), and not claimed
 * by another job or already saved in the library. Two identical prompts therefore never swap
 * predictions (and seeds), and an older identical run is never adopted.
 */
async function reconcile(ctx: JobContext, live: LiveJob): Promise<Prediction | null> {
  const rec = live.rec;
  const want = stableJson(submitInput(rec));
  const submittedAt = rec.submittedAt ?? rec.createdAt;
  const skew = ctx.o.gateway.serverClockSkewMs();
  // Date headers have 1 s resolution; without one, allow for an unsynchronised laptop clock.
  const tolerance = skew === null ? (ctx.o.reconcileWindowMs ?? 5 * 60_000) : 2_000;
  const earliest = submittedAt + (skew ?? 0) - tolerance;
  const claimed = new Set<string>(await ctx.o.library.predictionIdsSince(submittedAt - 24 * 3600_000));
  for (const id of ctx.claimedPredictionIds(live)) claimed.add(id);
  let cursor: string | undefined;
  let best: Prediction | null = null;
  for (let page = 0; page < 10; page++) {
    const res = await ctx.o.gateway.listPredictions(
      cursor ? { cursorUrl: cursor } : { createdAfter: new Date(earliest).toISOString() },
      callOptions(ctx, live),
    );
    for (const p of res.results) {
      if (claimed.has(p.id)) continue;
      const version = (p.version ?? '').split(':').pop();
      if (version !== rec.versionId) continue;
      const created = p.created_at ? Date.parse(p.created_at) : NaN;
      if (Number.isFinite(created) && created < earliest) continue;
      if (!p.input || stableJson(p.input) !== want) continue;
      // Several identical creates of this very job (retries) cannot exist: we reconcile before
      // every re-send. Among identical jobs' predictions, take the earliest after ours began.
      if (!best || (Date.parse(p.created_at ?? '') || Infinity) < (Date.parse(best.created_at ?? '') || Infinity))
        best = p;
    }
    if (!res.next) break;
    cursor = res.next;
  }
  return best;
}

/** Creates the prediction (or finds the one already created) and journals `running` with its id. */
export async function submit(ctx: JobContext, live: LiveJob, mayHaveBeenSent: boolean): Promise<void> {
  const rec = live.rec;
  const what = rec.modelRef;
  for (let attempt = 0; ; attempt++) {
    live.abort.signal.throwIfAborted();
    // Before (re)sending, look for a prediction an earlier attempt or process already created.
    if (attempt > 0 || mayHaveBeenSent) {
      live.status = 'Checking whether Replicate received the request…';
      ctx.emit(rec);
      // Listing can lag the create by a moment: look twice before concluding it never happened.
      let found = await reconcile(ctx, live);
      if (!found) {
        await ctx.sleep(1500, live.abort.signal);
        found = await reconcile(ctx, live);
      }
      if (found) {
        await transition(ctx, live, 'running', { predictionId: found.id });
        return;
      }
    }
    try {
      const p = await ctx.o.gateway.createPrediction(
        { version: rec.versionId!, input: submitInput(rec) },
        what,
        callOptions(ctx, live),
      );
      await transition(ctx, live, 'running', { predictionId: p.id });
      if (rec.cancelRequested) await ctx.o.gateway.cancelPrediction(p.id).catch(() => {});
      return;
    } catch (e) {
      if (!(e instanceof OutcomeUnknownError)) {
        // Replicate answered and said no (bad input, no credit, unknown version): nothing was made.
        if (e instanceof StudioError) live.refused = true;
        throw e;
      }
      ctx.o.log?.('warn', `create outcome unknown for ${rec.id}; reconciling`);
      const ms = Math.min(10_000, 1000 * 2 ** Math.min(attempt, 4));
      live.status = 'Connection dropped while sending; checking with Replicate…';
      live.waitingUntil = ctx.now() + ms;
      ctx.emit(rec);
      await ctx.sleep(ms, live.abort.signal);
    }
  }
}
