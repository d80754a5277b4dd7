#!/usr/bin/env node
/** Entry point of `npm run cli`; see ./cli-core.ts. */
import { runCli } from './cli-core';
import { defaultImageOps } from './app-services';
import { ImagePipeline } from './services/images/image-pipeline';
import { createHeicWorkerDecoder } from './services/images/heic-worker-decoder';
import { tsxWorker } from './tsx-worker';

// HEIC tiles are decoded across worker threads, as in the app
const heicDecoder = createHeicWorkerDecoder(tsxWorker(new URL('./services/images/heic-worker.ts', import.meta.url)));

const pipeline = new ImagePipeline({ heicDecoder });
const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: !!process.stderr.isTTY,
  env: process.env,
  images: defaultImageOps(pipeline),
  trainingCheck: { pipeline },
});
await heicDecoder.close();
process.exitCode = code;
