/**
 * A `heicDecoder` for ImagePipeline: a small pool of worker threads running heic-worker.ts that
 * share out the photo's tile rows; the bands are stitched here into one raster. Decoding HEVC in
 * WebAssembly is the whole cost of preparing a HEIC (about 1 s for 12 MP on one slow core), and
 * phone HEICs are grids of independent tiles, so the bands run truly in parallel.
 *
 * Any failure (a worker cannot start, crashes, times out, answers the wrong shape) answers `null`,
 * and the pipeline then decodes in the calling thread as before: slower, never a lost import.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { type HeicBand, type HeicLayout, type HeicRaster } from './heic';
import type { HeicReply, HeicRequest } from './heic-worker';
import { noteHeicTransformStatus } from './libheif-loader';

export interface HeicWorkerDecoder {
  (bytes: Uint8Array, layout?: HeicLayout): Promise<HeicRaster | null>;
  /** the displayed size and tile rows, read by a worker (null if it cannot) */
  probe(bytes: Uint8Array): Promise<HeicLayout | null>;
  close(): Promise<void>;
  /** how many workers a photo is split across */
  readonly size: number;
}

export interface HeicWorkerOptions {
  /** workers in the pool; default: the machine's cores, at most 6 (a 12 MP photo has 6 or 8 tile rows) */
  workers?: number;
  timeoutMs?: number;
  /**
   * idle workers exit after this long; default 2 minutes, so the selfie a person imported is
   * still warm when they press Generate (a cold start costs ~0.3 s here; each idle worker holds
   * its WebAssembly memory, tens of MB)
   */
  idleMs?: number;
}

/** The built worker file (the app), or a way to start one (entries that run from source, via tsx). */
export type HeicWorkerSource = URL | (() => Worker);

/** One worker thread, started on demand, restarted after a crash or a timeout. */
class WorkerSlot {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (r: HeicReply | null) => void>();
  broken = false;

  constructor(private readonly source: HeicWorkerSource) {}

  private start(): Worker | null {
    if (this.worker || this.broken) return this.worker;
    try {
      const w = typeof this.source === 'function' ? this.source() : new Worker(this.source);
      w.unref(); // an idle decoder never keeps the app (or the CLI) alive
      w.on('message', (r: HeicReply) => {
        if (r.transform) noteHeicTransformStatus(r.transform); // what the decoding really uses, for the log
        const done = this.pending.get(r.id);
        this.pending.delete(r.id);
        done?.(r);
      });
      w.on('error', () => {
        this.broken = true; // e.g. the file is missing from the package: stop trying
        this.settleAll();
      });
      w.on('exit', () => {
        if (this.worker === w) this.worker = null;
        this.settleAll();
      });
      this.worker = w;
    } catch {
      this.broken = true;
    }
    return this.worker;
  }

  private settleAll() {
    for (const done of this.pending.values()) done(null);
    this.pending.clear();
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  request(req: Omit<HeicRequest, 'id'>, timeoutMs: number): Promise<HeicReply | null> {
    const w = this.start();
    if (!w) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(null);
        void this.stop(); // a stuck decode: start afresh next time
      }, timeoutMs);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      w.postMessage({ id, ...req } satisfies HeicRequest);
    });
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.settleAll();
    if (w) await w.terminate().catch(() => {});
  }
}

export function createHeicWorkerDecoder(source: HeicWorkerSource, opts: HeicWorkerOptions = {}): HeicWorkerDecoder {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const idleMs = opts.idleMs ?? 120_000;
  const size = Math.max(1, Math.floor(opts.workers ?? Math.min(6, availableParallelism())));
  const slots = Array.from({ length: size }, () => new WorkerSlot(source));
  let idleTimer: NodeJS.Timeout | null = null;
  const scheduleIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    if (!slots.some((s) => s.busy))
      idleTimer = setTimeout(() => void Promise.all(slots.map((s) => s.stop())), idleMs).unref();
  };

  const decode = (async (bytes: Uint8Array, layout?: HeicLayout) => {
    if (idleTimer) clearTimeout(idleTimer);
    // One task per tile row, taken by whichever worker is free: a sky row decodes faster than a
    // face row, so fixed halves would leave a worker idle. Without a layout the rows are unknown
    // and one worker decodes everything.
    const tasks: Array<[number, number]> = layout
      ? Array.from({ length: layout.tileRows }, (_, r) => [r, r + 1])
      : [[0, Number.MAX_SAFE_INTEGER]];
    const replies: Array<HeicReply | null> = new Array(tasks.length).fill(null);
    let next = 0;
    let failed = false;
    await Promise.all(
      slots.map(async (slot) => {
        while (!failed && next < tasks.length) {
          const i = next++;
          const [fromRow, toRow] = tasks[i]!;
          const r = await slot.request({ bytes, rows: [fromRow, toRow] }, timeoutMs);
          replies[i] = r;
          if (!r || !('band' in r)) failed = true; // the pipeline decodes it itself; stop spending work
        }
      }),
    );
    scheduleIdle();
    return stitch(replies, layout);
  }) as HeicWorkerDecoder;
  decode.probe = async (bytes) => {
    if (idleTimer) clearTimeout(idleTimer);
    const r = await slots[0]!.request({ bytes }, timeoutMs);
    scheduleIdle();
    return r && 'layout' in r ? r.layout : null;
  };
  decode.close = async () => {
    if (idleTimer) clearTimeout(idleTimer);
    await Promise.all(slots.map((s) => s.stop()));
  };
  Object.defineProperty(decode, 'size', { value: size });
  return decode;
}

/** The bands as one raster, or null unless they are exactly the image's rows, top to bottom. */
function stitch(replies: Array<HeicReply | null>, layout?: HeicLayout): HeicRaster | null {
  const bands: HeicBand[] = [];
  for (const r of replies) {
    if (!r || !('band' in r)) return null;
    bands.push(r.band);
  }
  const first = bands[0];
  if (!first) return null;
  const { width, channels } = first;
  let y = 0;
  for (const b of bands) {
    if (
      b.width !== width ||
      b.channels !== channels ||
      b.y !== y ||
      b.data.byteLength !== b.width * b.height * b.channels
    )
      return null;
    y += b.height;
  }
  if (layout && (width !== layout.width || y !== layout.height)) return null;
  if (bands.length === 1) return { width, height: y, channels, data: first.data };
  const data = new Uint8Array(width * y * channels);
  for (const b of bands) data.set(b.data, b.y * width * channels);
  return { width, height: y, channels, data };
}
