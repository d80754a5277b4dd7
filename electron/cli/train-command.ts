/**
 * `npm run cli -- train …`: dispatches to the training run (train-run.ts). The set check
 * (`train --check`) is added here by the set-check work; this file only dispatches.
 */
import type { CliIo } from '../cli-core';
import { runTrain } from './train-run';

export function runTrainCommand(args: string[], io: CliIo): Promise<number> {
  return runTrain(args, io);
}
