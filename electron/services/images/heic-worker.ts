/**
 * Worker-thread entry that reads a HEIC's layout or decodes a band of its tile rows (libheif
 * WebAssembly): the pool in heic-worker-decoder.ts shares a photo's rows out, so a 12 MP phone photo
 * is decoded on every core, and the main process, which answers IPC and sends progress events,
 * never loads libheif or stalls on it.
 * Built to dist-electron/heic-worker.js next to main.js (vite.config.ts).
 */
import { parentPort } from 'node:worker_threads';
import { openHeic, type HeicBand, type HeicLayout } from './heic';
import { loadLibheif, type HeicTransformStatus } from './libheif-loader';

/** Decode tile rows fromRow .. toRow (exclusive); without rows, only read the layout. */
export interface HeicRequest {
  id: number;
  bytes: Uint8Array;
  rows?: [fromRow: number, toRow: number];
}
/** `transform`: which inverse transform this worker's libheif uses, and why (main logs it). */
export type HeicReply = (
  { id: number; band: HeicBand } | { id: number; layout: HeicLayout } | { id: number; error: string }
) & { transform?: HeicTransformStatus };

parentPort?.on('message', async ({ id, bytes, rows }: HeicRequest) => {
  let opened: Awaited<ReturnType<typeof openHeic>> | undefined;
  try {
    opened = await openHeic(bytes);
    const { status: transform } = await loadLibheif(); // loaded by openHeic: answers at once
    if (!rows) {
      const layout: HeicLayout = { width: opened.width, height: opened.height, tileRows: opened.tiling.rows };
      parentPort!.postMessage({ id, layout, transform } satisfies HeicReply);
      return;
    }
    const band = opened.decodeRows(rows[0], rows[1]); // a fresh buffer, not a view of WASM memory
    parentPort!.postMessage({ id, band, transform } satisfies HeicReply, [band.data.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) } satisfies HeicReply);
  } finally {
    opened?.dispose();
  }
});
