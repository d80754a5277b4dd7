/** The set-check worker as the app runs it: bundled like vite.config.ts does, run in real worker threads. */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// inside the repo so the bundle's requires of face-api and TensorFlow.js resolve from node_modules, as in the app
const OUT = path.resolve('node_modules/.cache/sseelfie-test');

export async function buildSetCheckWorker(): Promise<URL> {
  mkdirSync(OUT, { recursive: true });
  // one bundle per checkout: node_modules may be shared by several worktrees, each with its own worker source
  const tree = createHash('sha256').update(process.cwd()).digest('hex').slice(0, 10);
  const outfile = path.join(OUT, `set-check-worker-${tree}.mjs`);
  await build({
    entryPoints: ['electron/services/training/set-check/analysis-worker.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['@vladmandic/face-api', '@tensorflow/*'],
    outfile,
    logLevel: 'silent',
  });
  return pathToFileURL(outfile);
}
