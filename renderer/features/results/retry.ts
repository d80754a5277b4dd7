/**
 * "Try again" on a failed card, only where trying again can help. Main's `jobs:retry` continues a
 * job that stopped part-way (its prediction exists, nothing is paid twice); a job that *failed* is
 * over, so trying again means starting the same request again, as a new generation, through the
 * normal start path. The renderer kept that request when the job started (`useJobs.requests`);
 * after a reload it is gone, and the card says how to try again by hand.
 *
 * Where the same request cannot succeed (a wrong input, no credit, a bad token, a model that does
 * not exist) main's message already says what to fix; a button would only bill the same failure.
 */
import type { Req, JobViewT } from '../../../shared/ipc/contract';
import type { ErrorCode } from '../../../shared/errors';
import { StudioClientError } from '../../app/client';
import { useJobs } from './jobs-store';

/** Failures that pass, or that the person fixes outside the request (free disk space, close the other app). */
const PASSING: ReadonlySet<ErrorCode> = new Set([
  'network',
  'server',
  'rate_limited',
  'model_error',
  'out_of_memory',
  'lost',
  'disk',
  'locked',
  'internal',
]);

export type RetryAdvice =
  /** the same request again; `fewer`: also offer it with 1 photo (less GPU memory) */
  | { kind: 'retry'; hint?: string; fewer?: boolean }
  /** trying again needs a change elsewhere first: a button that goes there */
  | { kind: 'settings' }
  /** it could help, but the request is not known any more (started before a reload) */
  | { kind: 'by-hand' }
  | { kind: 'none' };

function outputs(req: Req<'jobs:start'>): number {
  const n = req.input.num_outputs;
  return typeof n === 'number' && n > 0 ? n : 1;
}

export function retryAdvice(job: JobViewT, req: Req<'jobs:start'> | undefined): RetryAdvice {
  if (job.state !== 'failed' && job.state !== 'lost') return { kind: 'none' };
  const code = job.error?.code ?? (job.state === 'lost' ? 'lost' : 'internal');
  if (code === 'unauthenticated' || code === 'not_found') return { kind: 'settings' };
  let advice: RetryAdvice;
  if (code === 'safety') {
    // A new random seed makes a new photo, which may pass; a locked seed makes the same one again.
    if (req && req.input.seed !== undefined && req.input.seed !== null && req.input.seed !== '')
      return { kind: 'none' };
    advice = {
      kind: 'retry',
      hint: 'Trying again makes a different photo (new random seed); it may pass the safety checker.',
    };
  } else if (code === 'out_of_memory') {
    advice = {
      kind: 'retry',
      hint: 'Fewer photos at once, or a smaller size, need less memory.',
      fewer: !!req && outputs(req) > 1,
    };
  } else if (code === 'lost') {
    advice = { kind: 'retry', hint: 'Trying again makes new photos (a new prediction, billed again).' };
  } else if (PASSING.has(code)) {
    advice = { kind: 'retry' };
  } else {
    return { kind: 'none' };
  }
  return req ? advice : { kind: 'by-hand' };
}

/**
 * Starts the failed job's request again (optionally with other input values); the new
 * generation's card takes the failed one's place. Throws what `jobs.start` throws (in words).
 */
export async function tryAgain(job: JobViewT, input?: Record<string, unknown>): Promise<void> {
  const { requests, start, dismiss } = useJobs.getState();
  const req = requests[job.id];
  if (!req)
    throw new StudioClientError(
      'invalid_input',
      'This generation’s settings are not known any more; generate it again from the prompt panel.',
    );
  // Deliberate: main must not take it for a double click of the first press (repeat).
  await start({ ...(input ? { ...req, input: { ...req.input, ...input } } : req), repeat: true });
  // The failed card goes; a failure to forget it only leaves it listed.
  await dismiss(job.id).catch(() => undefined);
}
