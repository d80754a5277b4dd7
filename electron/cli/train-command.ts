/**
 * `npm run cli -- train ...`: the seam between the two halves of the command.
 *   train --images DIR --check [--json]   the local set check (train-check.ts), no network
 *   train ... (without --check)           training itself: see train-run.ts, which
 *                                         takes over the branch marked below
 */
import { parseArgs } from 'node:util';
import { runTrainCheck, type TrainCheckIo } from './train-check';

export type TrainCommandIo = TrainCheckIo & { env: Record<string, string | undefined> };

export const TRAIN_USAGE = `  npm run cli -- train --images DIR --check [--json]
      check a folder of selfies for training, on this computer (no network, no token):
      each photo's problems and the set's; exit 0 with the report, 2 if DIR is missing or empty`;

export async function runTrainCommand(args: string[], io: TrainCommandIo, usage: string): Promise<number> {
  if (!args.includes('--check')) {
    // ── training itself: see train-run.ts (owned by the training part of the CLI), whose
    //    runTrain(args, io) takes over this branch with its own options and exit codes.
    io.stderr(`Training from the command line is not available in this version; to check a set of photos add --check.\n\n${usage}\n`);
    return 2;
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
