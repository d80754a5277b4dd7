/**
 * A `heicDecoder` for ImagePipeline that runs heic-worker.ts in a worker thread. Any failure (the
 * worker cannot start, crashes, times out) answers `null`, and the pipeline then decodes in the
 * calling thread as before: slower for the rest of the app, never a lost import.
 */
import { Worker } from 'node:worker_threads';
import type { HeicReply } from './heic-worker';

export interface HeicWorkerDecoder {
  (bytes: Uint8Array): Promise<{ width: number; height: number; data: Uint8Array; channels: 4 } | null>;
  close(): Promise<void>;
}

export function createHeicWorkerDecoder(workerUrl: URL, opts: { timeoutMs?: number; idleMs?: number } = {}): HeicWorkerDecoder {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const idleMs = opts.idleMs ?? 30_000;
  let worker: Worker | null = null;
  let broken = false;
  let nextId = 1;
  let idleTimer: NodeJS.Timeout | null = null;
  const pending = new Map<number, (r: HeicReply | null) => void>();

  const settleAll = () => {
    for (const done of pending.values()) done(null);
    pending.clear();
  };
  const stop = async () => {
    const w = worker;
    worker = null;
    if (w) await w.terminate().catch(() => {});
  };
  const start = (): Worker | null => {
    if (worker || broken) return worker;
    try {
      const w = new Worker(workerUrl);
      w.unref(); // an idle decoder never keeps the app (or the CLI) alive
      w.on('message', (r: HeicReply) => {
        const done = pending.get(r.id);
        pending.delete(r.id);
        done?.(r);
      });
      w.on('error', () => {
        broken = true; // e.g. the file is missing from the package: stop trying
        settleAll();
      });
      w.on('exit', () => {
        if (worker === w) worker = null;
        settleAll();
      });
      worker = w;
    } catch {
      broken = true;
    }
    return worker;
  };

  const decode = (async (bytes: Uint8Array) => {
    const w = start();
    if (!w) return null;
    if (idleTimer) clearTimeout(idleTimer);
    const id = nextId++;
    const reply = await new Promise<HeicReply | null>((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(null);
        void stop(); // a stuck decode: start afresh next time
      }, timeoutMs);
      pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      w.postMessage({ id, bytes });
    });
    if (!pending.size) idleTimer = setTimeout(() => void stop(), idleMs).unref();
    if (!reply || 'error' in reply) return null;
    return { width: reply.width, height: reply.height, data: reply.data, channels: 4 as const };
  }) as HeicWorkerDecoder;
  decode.close = async () => {
    if (idleTimer) clearTimeout(idleTimer);
    settleAll();
    await stop();
  };
  return decode;
}
