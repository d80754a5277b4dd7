/**
 * How a training fails: what flux-fine-tuner's extract_zip sees in the uploaded zip (`__MACOSX/`
 * and `._*` skipped; "input_images must be a zip file"), no images to train on, and the injected
 * trainer faults (faults.ts `trainer`: a read-only file system mid-run, "Failed to create trained
 * image" at the end). Part of the trainings API (trainings.ts); the texts mirror
 * replicate/flux-fine-tuner train.py and the errors users report.
 */
import { unzipSync } from 'fflate';
import type { TrainerFault } from './faults';
import type { Outcome } from './training-record';

const IMAGE_EXT = /\.(jpe?g|png|webp)$/i;

/** A zip as flux-fine-tuner's extract_zip sees it: is it one, and how many images and captions. */
export function inspectZip(
  bytes: Buffer | null,
): { zip: false } | { zip: true; files: number; images: number; captions: number } {
  if (!bytes || bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) return { zip: false };
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(bytes));
  } catch {
    return { zip: false };
  }
  const names = Object.keys(entries).filter(
    (n) => !n.startsWith('__MACOSX/') && !n.split('/').pop()!.startsWith('._') && !n.endsWith('/'),
  );
  return {
    zip: true,
    files: names.length,
    images: names.filter((n) => IMAGE_EXT.test(n)).length,
    captions: names.filter((n) => /\.txt$/i.test(n)).length,
  };
}

/** What a training with these inputs will do: succeed, or fail at setup, at a step or at the end. */
export function trainingOutcome(
  url: string | null,
  zip: ReturnType<typeof inspectZip> | null,
  trainerFault: TrainerFault | undefined,
  steps: number,
): Outcome {
  let outcome: Outcome = { kind: 'succeeded' };
  if (!url) outcome = { kind: 'failed', error: 'input_images must be provided', lines: [], atStep: 'setup' };
  else if (!zip || !zip.zip)
    outcome = {
      kind: 'failed',
      error: 'input_images must be a zip file',
      lines: [
        'Traceback (most recent call last):',
        '  File "/src/train.py", line 295, in train',
        '    extract_zip(input_images, INPUT_DIR)',
        'ValueError: input_images must be a zip file',
      ],
      atStep: 'setup',
    };
  // ai-toolkit's dataloader finds nothing to train on (the simulator's wording).
  else if (zip.images === 0)
    outcome = {
      kind: 'failed',
      error: 'No images found in input_images: the zip must contain .jpg, .jpeg, .png or .webp files',
      lines: [
        `Extracted ${zip.files} files from zip to input_images`,
        'Starting train job',
        'Exception: No images found in input_images',
      ],
      atStep: 'setup',
    };
  else if (trainerFault === 'read-only-fs')
    outcome = {
      kind: 'failed',
      error: "[Errno 30] Read-only file system: 'output/flux_train_replicate'",
      lines: ["OSError: [Errno 30] Read-only file system: 'output/flux_train_replicate'"],
      atStep: Math.max(1, Math.floor(steps / 3)),
    };
  else if (trainerFault === 'failed-to-create-image')
    outcome = {
      kind: 'failed',
      error: 'Failed to create trained image: the weights could not be pushed as a new version. Please try again.',
      lines: ['Failed to create trained image'],
      atStep: 'end',
    };
  return outcome;
}
