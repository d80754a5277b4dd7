/**
 * `npm run cli -- train ...`: the two halves of the command.
 *   train --images DIR --check [--json]   the local set check (train-check.ts): no network, no token
 *   train --images DIR --name ... (no --check)   training itself (train-run.ts), with the same local
 *                                         check deciding which photos go into the zip
 */
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli-core';
import { TrainingSetChecker } from '../services/training/set-check/set-checker';
import { LocalSetChecker, type TrainingSetChecker as PhotoChecker } from '../services/training/training-set-checker';
import { runTrainCheck, type TrainCheckIo } from './train-check';
import { TRAIN_USAGE as RUN_USAGE, runTrain } from './train-run';

/** `checker`: which photos a training may use, when the caller has its own (tests on synthetic photos) */
export type TrainCommandIo = TrainCheckIo & CliIo & { checker?: PhotoChecker };

export const TRAIN_USAGE = `  npm run cli -- train --images DIR --check [--json]
      check a folder of selfies for training, on this computer (no network, no token):
      each photo's problems and the set's; exit 0 with the report, 2 if DIR is missing or empty
${RUN_USAGE}`;

export async function runTrainCommand(args: string[], io: TrainCommandIo, usage: string): Promise<number> {
  if (!args.includes('--check')) {
    if (io.checker) return runTrain(args, io, { checker: io.checker });
    const pool = io.analysisPool();
    try {
      return await runTrain(args, io, { checker: new LocalSetChecker(new TrainingSetChecker(io.pipeline, pool)) });
    } finally {
      await pool.close();
    }
  }
  let values: { images?: string; json?: boolean; check?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { images: { type: 'string' }, check: { type: 'boolean' }, json: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.stderr(`${(e as Error).message}\n\n${usage}\n`);
    return 2;
  }
  return runTrainCheck(values, io);
}
