/**
 * Worker threads for entries that run from TypeScript source through tsx (`npm run cli`, the
 * bench): tsx's loader does not reach a worker's entry file, so a tiny CommonJS bootstrap
 * registers it first and then imports the real entry. The app itself runs built JavaScript
 * (dist-electron/heic-worker.js) and never needs this.
 */
import { Worker } from 'node:worker_threads';

const BOOT = `const { workerData } = require('node:worker_threads');
import('tsx/esm/api')
  .then(({ register }) => { register(); return import(workerData.entry); })
  .catch((e) => { console.error(e); process.exit(1); });`;

export function tsxWorker(entry: URL): () => Worker {
  return () => new Worker(BOOT, { eval: true, workerData: { entry: entry.href } });
}
