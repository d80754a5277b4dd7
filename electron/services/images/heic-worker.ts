/**
 * Worker-thread entry that decodes HEIC (libheif WebAssembly, ~1 s for 12 MP): in the main
 * process that time would stall every IPC reply and progress event. Built to
 * dist-electron/heic-worker.js next to main.js (vite.config.ts).
 */
import { parentPort } from 'node:worker_threads';
import { openHeic } from './heic';

export interface HeicRequest {
  id: number;
  bytes: Uint8Array;
}
export type HeicReply = { id: number; width: number; height: number; data: Uint8Array } | { id: number; error: string };

parentPort?.on('message', async ({ id, bytes }: HeicRequest) => {
  let opened: Awaited<ReturnType<typeof openHeic>> | undefined;
  try {
    opened = await openHeic(bytes);
    const r = await opened.decode();
    const data = new Uint8Array(r.data); // own copy: never transfer a view of WASM memory
    parentPort!.postMessage({ id, width: r.width, height: r.height, data } satisfies HeicReply, [data.buffer]);
  } catch (e) {
    parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) } satisfies HeicReply);
  } finally {
    opened?.dispose();
  }
});
