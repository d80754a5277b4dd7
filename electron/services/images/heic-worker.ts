/**
 * Worker-thread entry that decodes a band of a HEIC's tile rows (libheif WebAssembly): the pool in
 * heic-worker-decoder.ts gives each worker a band, so a 12 MP phone photo is decoded on every core,
 * and the main process, which answers IPC and sends progress events, never stalls on it.
 * Built to dist-electron/heic-worker.js next to main.js (vite.config.ts).
 */
import { parentPort } from 'node:worker_threads';
import { openHeic, type HeicBand } from './heic';

export interface HeicRequest {
  id: number;
  bytes: Uint8Array;
  /** tile rows fromRow .. toRow (exclusive) */
  fromRow: number;
  toRow: number;
}
export type HeicReply = { id: number; band: HeicBand } | { id: number; error: string };

parentPort?.on('message', ({ id, bytes, fromRow, toRow }: HeicRequest) => {
  let opened: ReturnType<typeof openHeic> | undefined;
  try {
    opened = openHeic(bytes);
    const band = opened.decodeRows(fromRow, toRow); // a fresh buffer, not a view of WASM memory
    parentPort!.postMessage({ id, band } satisfies HeicReply, [band.data.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) } satisfies HeicReply);
  } finally {
    opened?.dispose();
  }
});
