/**
 * Every sentence a training stops or waits with, in one table (like jobs/failures.ts): what
 * happened and what to do, in the person's words. `retryable` marks the platform faults that a
 * new training of the same photos fixes (the Retry button); the service writes none of its own.
 */
import { StudioError, type StudioErrorShape } from '../../../shared/errors';
import { MIN_TRAINING_PHOTOS } from '../../../shared/training/training';

export interface TrainingFailure extends StudioErrorShape {
  retryable?: boolean;
}

const fail = (code: StudioErrorShape['code'], message: string, retryable = false): TrainingFailure =>
  retryable ? { code, message, retryable } : { code, message };

export const trainingFailures = {
  // ---------- refused before anything is sent ----------
  /** `rejected`: each photo the check refused, with its reasons (all of them go into `fields`) */
  tooFewPhotos: (ok: number, rejected: Array<{ file: string; problems: string[] }>) => {
    const reasons = rejected.flatMap((r) => r.problems);
    return new StudioError(
      'invalid_input',
      `Only ${ok} of your photos can be used for training, and it needs at least ${MIN_TRAINING_PHOTOS}. ${reasons.length ? `${reasons.slice(0, 6).join(' ')}${reasons.length > 6 ? ` (and ${reasons.length - 6} more)` : ''} ` : ''}Add more clear photos of your face (at least 512 pixels on the short side), then start again. Nothing was sent or charged.`,
      {
        fields: [
          { field: 'photos', message: `At least ${MIN_TRAINING_PHOTOS} usable photos are needed.` },
          ...rejected.map((r) => ({ field: r.file, message: r.problems.join(' ') || 'Not usable.' })),
        ],
      },
    );
  },
  noReadablePhotos: () =>
    new StudioError(
      'invalid_input',
      'None of these photos can be read. Pick JPEG, PNG, HEIC or WebP photos, then start again. Nothing was sent.',
      { fields: [{ field: 'photos', message: 'No readable photo.' }] },
    ),
  badName: (
    name: string,
    why = 'Use lowercase letters, digits, dashes, dots or underscores (for example my-brand-model).',
  ) =>
    new StudioError('invalid_input', `"${name}" cannot be a model name. ${why}`, {
      fields: [{ field: 'name', message: why }],
    }),
  badTriggerWord: (problem: string) =>
    new StudioError('invalid_input', `The trigger word cannot be used: ${problem}`, {
      fields: [{ field: 'triggerWord', message: problem }],
    }),
  unknownTrainer: (ref: string) =>
    new StudioError('invalid_input', `${ref} is not a trainer this app can use. Pick ostris/flux-dev-lora-trainer.`, {
      fields: [{ field: 'trainer', message: 'Unknown trainer.' }],
    }),
  trainerUnreadable: (ref: string, why: string) =>
    new StudioError(
      'not_found',
      `The settings of the trainer ${ref} could not be read from Replicate (${why}). Try again later, or pick ostris/flux-dev-lora-trainer.`,
    ),
  zipTooLarge: (bytes: number, photos: number) =>
    new StudioError(
      'file_too_large',
      `The ${photos} photos make a ${Math.ceil(bytes / 1024 / 1024)} MB zip, and Replicate accepts files up to 100 MB. Train on fewer photos (20 to 40 good ones are plenty), then start again. Nothing was sent.`,
    ),
  diskBeforeSending: (cause: unknown) =>
    new StudioError(
      'disk',
      `The training could not be written into your library, so nothing was sent to Replicate: ${cause instanceof Error ? cause.message : String(cause)}. Free some space or choose another library folder.`,
    ),

  // ---------- the destination model ----------
  destinationForeign: (owner: string, account: string) =>
    fail(
      'forbidden',
      `Replicate will not create a model under "${owner}": your token belongs to ${account}. Name the model ${account}/<name> (or just <name>), then start again. Nothing was charged.`,
    ),
  destinationMissing: (dest: string) =>
    fail(
      'not_found',
      `The model ${dest} does not exist on Replicate (it may have been deleted). Start the training again and the app creates it. Nothing was charged.`,
    ),
  destinationNotOwned: (dest: string) =>
    fail(
      'forbidden',
      `Your Replicate account may not add versions to ${dest}: it belongs to someone else. Choose a name of your own for the model and start again. Nothing was charged.`,
    ),

  // ---------- how a training failed on Replicate ----------
  trainerFailed: (error: string | null | undefined): TrainingFailure => {
    const err = (error ?? '').trim();
    if (/must be a zip file/i.test(err))
      return fail(
        'model_error',
        'The trainer could not open the photos: what reached it was not a zip file. Press Retry: the app builds the zip again from your photos and sends it.',
        true,
      );
    if (/no images found|input_images must be provided/i.test(err))
      return fail(
        'invalid_input',
        `The trainer found no photos in what it received. Make sure at least ${MIN_TRAINING_PHOTOS} of your photos are JPEG or PNG files the app can read, then start again.`,
      );
    if (/read-only file system/i.test(err))
      return fail(
        'server',
        'Replicate had a temporary problem on its side (its machine could not write the training files). It is not your photos. Press Retry to train again; the failed run may have been billed for the time it ran.',
        true,
      );
    if (/failed to create trained image/i.test(err))
      return fail(
        'server',
        'The training finished, but Replicate could not save the result as a model version (a temporary problem on its side). Press Retry to train again; the failed run may have been billed.',
        true,
      );
    if (/out of memory|CUDA out of memory|E1001/i.test(err))
      return fail(
        'out_of_memory',
        'The trainer ran out of memory. Use fewer or smaller photos, or a lower LoRA rank or batch size (Advanced), then start again.',
      );
    return fail(
      'model_error',
      `The training failed on Replicate: ${err.split('\n')[0] || 'no reason given'}. Check the settings (Advanced), then start again; if it keeps failing, send the log (Help → Show logs).`,
      !err,
    );
  },
  canceled: (sent: boolean): TrainingFailure =>
    fail(
      'canceled',
      sent
        ? 'Canceled. Replicate bills the time the trainer ran until then.'
        : 'Canceled before anything was sent to Replicate. Nothing was charged.',
    ),
  /** the finished version could not be read (its schema): the training is recorded once it can */
  versionUnreadable: (ref: string, why: string) =>
    fail(
      'not_found',
      `The training finished, but the new version ${ref} could not be read yet (${why}). It is kept: the app tries again on the next start.`,
    ),

  // ---------- asked of a training that cannot do it ----------
  unknownTraining: () => new StudioError('not_found', 'Unknown training.'),
  notRunning: () => new StudioError('invalid_input', 'This training is no longer running.'),
  notRetryable: () =>
    new StudioError(
      'invalid_input',
      'Only a training stopped by a temporary problem can be retried; start a new one instead.',
    ),
  /** kept while the network or Replicate is away: it continues by itself */
  kept: (shape: StudioErrorShape): TrainingFailure => ({
    ...shape,
    message: `${shape.message} The training is kept: it continues when Replicate answers again, without starting a second one.`,
  }),
} as const;

/** What a training shows while a call waits. */
export function trainingWaiting(reason: 'rate_limited' | 'server' | 'network', ms: number): string {
  const secs = Math.max(1, Math.ceil(ms / 1000));
  return reason === 'rate_limited'
    ? `Replicate asked us to slow down; trying again in ${secs} s.`
    : reason === 'network'
      ? ms > 0
        ? `The connection dropped; trying again in ${secs} s.`
        : 'Waiting for the connection to return…'
      : `Waiting for Replicate: it is not answering properly right now; trying again in ${secs} s. Your training is safe.`;
}
