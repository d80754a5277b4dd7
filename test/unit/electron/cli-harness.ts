/** Runs the CLI in this process against a simulator, capturing what it prints. */
import { runCli, type CliIo } from '../../../electron/cli-core';
import type { Simulator } from '../../sim/server';
import { tmpDir } from './jobs/harness';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` is merged over the simulator's token and address; everything else replaces the defaults. */
export async function runCliAgainst(
  s: Simulator,
  args: string[],
  extra: Partial<Omit<CliIo, 'env'>> & { env?: Record<string, string | undefined> } = {},
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    stdout: (x) => out.push(x),
    stderr: (x) => err.push(x),
    isTTY: false,
    engine: { pollMinMs: 5, pollMaxMs: 20 },
    userDataDir: tmpDir('sseelfie-cli-userdata-'),
    ...extra,
    env: { REPLICATE_API_TOKEN: s.token, REPLICATE_BASE_URL: s.baseUrl, ...extra.env },
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
