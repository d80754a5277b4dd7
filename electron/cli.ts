#!/usr/bin/env node
/** Entry point of `npm run cli`; see ./cli-core.ts. */
import { runCli } from './cli-core';

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: !!process.stderr.isTTY,
  env: process.env,
});
process.exitCode = code;
