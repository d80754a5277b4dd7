/**
 * Every sentence a job stops or waits with, in one table: what happened and what to do, in the
 * person's words. The engine and its steps (steps/) throw or show these and write none of their
 * own; job-ending.ts decides which of them ends a job and which only parks it.
 */
import { StudioError, type FieldIssue, type StudioErrorShape } from '../../../shared/errors';
import { diskError } from '../library/library';
import type { CallOptions } from '../replicate/gateway';

type WaitReason = Parameters<NonNullable<CallOptions['onWait']>>[0]['reason'];

const NOTHING_CHARGED = 'Canceled before it was sent to Replicate. Nothing was charged.';

export const jobFailures = {
  // ---------- refused before the job exists (nothing journaled, nothing sent) ----------
  invalidInput: (issues: FieldIssue[]) =>
    new StudioError('invalid_input', issues.map((i) => i.message).join(' '), { fields: issues }),
  maskWithoutPhoto: () =>
    new StudioError('invalid_input', 'A mask needs a starting photo.', {
      fields: [{ field: 'mask', message: 'Pick the photo the mask belongs to.' }],
    }),
  /**
   * The model's current version could not be looked up. The lookup's own error says why when
   * there is one (a refused token is not a connection problem), with its code.
   */
  unreachable: (modelRef: string, cause?: StudioError) =>
    cause && cause.code !== 'network'
      ? new StudioError(cause.code, `Could not look up the current version of ${modelRef}. ${cause.message}`)
      : new StudioError(
          'network',
          `Could not reach Replicate to look up the current version of ${modelRef}. Check your connection and try again.`,
        ),
  /** the journal could not be written when the job was to begin */
  diskBeforeSending: (cause: unknown) =>
    diskError(
      cause,
      'your library',
      'Nothing was sent to Replicate. Free some space or choose another library folder in Settings.',
    ),

  // ---------- asked of a job that cannot do it ----------
  notRunning: () => new StudioError('not_found', 'This job is no longer running.'),
  unknownJob: () => new StudioError('not_found', 'Unknown job.'),
  stillRunning: () => new StudioError('invalid_input', 'This job is still running; cancel it first.'),
  notRetryable: () =>
    new StudioError(
      'invalid_input',
      'Only a job that stopped part-way can be tried again; generate a new one instead.',
    ),

  // ---------- while preparing (still nothing sent) ----------
  library: (cause: unknown) => diskError(cause, 'your library'),
  sourceGone: () =>
    new StudioError('invalid_input', 'The starting photo is no longer available. Pick it again and press Generate.'),
  maskWithoutPreparedPhoto: () => new StudioError('invalid_input', 'A mask needs a starting photo.'),
  /** the painted mask lived only in memory, and the process ended before it was prepared */
  maskLostInRestart: () =>
    new StudioError(
      'invalid_input',
      'The app closed before this job was sent; nothing was charged. Paint the mask again and press Generate.',
    ),

  // ---------- canceled ----------
  /** the abort reason when a queued or preparing job is canceled */
  cancelSignal: () => new StudioError('canceled', 'Canceled.'),
  canceled: (sentToReplicate: boolean): StudioErrorShape => ({
    code: 'canceled',
    message: sentToReplicate ? 'Canceled.' : NOTHING_CHARGED,
  }),
  /** the prediction ended canceled (by us) or aborted (by Replicate, its deadline passed) */
  predictionCanceled: (aborted: boolean): StudioErrorShape => ({
    code: 'canceled',
    message: aborted ? 'Replicate stopped it before it started (deadline passed). Nothing was charged.' : 'Canceled.',
  }),

  // ---------- how a prediction failed ----------
  predictionFailed: (error: string | null | undefined): StudioError => {
    const err = error ?? 'unknown error';
    if (/NSFW/i.test(err))
      return new StudioError(
        'safety',
        "Replicate's safety checker removed every image of this run, so there is nothing to save. Rephrase the prompt (for example describe the clothing) and try again.",
      );
    if (/out of memory|E1001/i.test(err))
      return new StudioError(
        'out_of_memory',
        'The model ran out of memory on Replicate. Try fewer images at once or a smaller size.',
      );
    return new StudioError(
      'model_error',
      `The model could not make this photo: ${err.split('\n')[0]}. Try again; if it keeps failing, change the settings.`,
    );
  },
  noOutput: () => new StudioError('model_error', 'The model finished without any image. Try again.'),
  /** Replicate deleted the outputs before they were downloaded */
  lost: (seed: number | undefined) =>
    new StudioError(
      'lost',
      `Replicate deleted the results of this run before they could be downloaded (results are kept for one hour, and the app was not running).${seed !== undefined ? ` Run it again with seed ${seed} to get the same photos.` : ''}`,
    ),

  // ---------- stopped part-way, kept to be tried again ----------
  /** the library could not be written: the photos wait in the rescue folder */
  libraryWhileSaving: (cause: unknown, libraryRoot: string, rescueFolder: string) =>
    diskError(
      cause,
      `your library (${libraryRoot})`,
      `The downloaded photos are kept safe in ${rescueFolder}; free some space (or fix the folder) and press Try again, and they go into the library.`,
    ),
  /** any other stop after the create: the job stays journaled and continues without paying twice */
  kept: (shape: StudioErrorShape): StudioErrorShape =>
    shape.code === 'disk'
      ? shape
      : {
          ...shape,
          message: `${shape.message} This job is kept: press Try again (or restart the app) and it continues without paying twice.`,
        },
} as const;

/** What a job says while a call waits (gateway `onWait`): rate limit, lost connection, a bad minute at Replicate. */
export function waitingStatus(reason: WaitReason, ms: number, predictionExists: boolean): string {
  const secs = Math.max(1, Math.ceil(ms / 1000));
  return reason === 'rate_limited'
    ? `Replicate asked us to slow down; trying again in ${secs} s.`
    : reason === 'network'
      ? ms > 0
        ? `The connection dropped; trying again in ${secs} s.`
        : 'Waiting for the connection to return…'
      : `Waiting for Replicate: it is not answering properly right now; trying again in ${secs} s. ${predictionExists ? 'Your photos are safe.' : 'Nothing is lost.'}`;
}
