/**
 * Which ending an error gives a job. A job with a prediction (or one that may exist) is not over
 * until Replicate says so: any error of ours, the disk's or the network's parks it, journaled in
 * its state and resumable without paying twice. Only answers that say it is over end it for good.
 */
import { toErrorShape, type StudioErrorShape } from '../../../shared/errors';
import { jobFailures } from './failures';
import { SimulatedCrash, type Ending, type LiveJob } from './job-context';

/** Outcomes that end a job for good; anything else leaves a job with a prediction resumable. */
const FINAL_CODES: ReadonlySet<string> = new Set(['lost', 'canceled', 'safety', 'out_of_memory', 'model_error']);

function mustKeep(live: LiveJob, shape: StudioErrorShape): boolean {
  const { state } = live.rec;
  if (state !== 'submitted' && state !== 'running' && state !== 'downloading') return false;
  if (FINAL_CODES.has(shape.code)) return false;
  // A create Replicate refused made nothing: the job ends with the reason.
  return !(live.refused && !live.rec.predictionId);
}

/** The ending of a job whose steps threw `e`. */
export function endingAfter(live: LiveJob, e: unknown): Ending {
  // The test "killed" the process here: leave the journal exactly as it is.
  if (e instanceof SimulatedCrash) return { as: 'vanished' };
  const shape = toErrorShape(e);
  const rec = live.rec;
  if (rec.cancelRequested && (shape.code === 'canceled' || live.abort.signal.aborted))
    return { as: 'canceled', error: jobFailures.canceled(!!rec.predictionId) };
  // A prediction exists (or may): shown as Stopped with Try again, resumed at the next start.
  if (mustKeep(live, shape)) return { as: 'parked', error: jobFailures.kept(shape) };
  return {
    as: shape.code === 'lost' ? 'lost' : shape.code === 'canceled' ? 'canceled' : 'failed',
    error: shape,
    log: `job ${rec.id} failed: ${shape.code}: ${shape.message}`,
  };
}
