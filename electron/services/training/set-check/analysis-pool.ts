/**
 * A small pool of worker threads running analysis-worker.ts: each photo goes to whichever worker
 * is free. Unlike HEIC decoding there is no slower path to fall back on in this thread (the face
 * model must never load in main), so a worker that cannot start or crashes is an error the
 * checker reports on the photo; a crashed worker is started afresh for the next photo.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { AnalysisKind, AnalysisReply, AnalysisRequest } from './analysis-worker';
import type { DetectedFace, PhotoAnalysis } from './face-analysis';
import type { RgbRaster } from './measures';

/** The built worker file (the app), or a way to start one (the CLI, the bench, tests). */
export type AnalysisWorkerSource = URL | (() => Worker);

export interface AnalysisPoolOptions {
  /** default: the machine's cores, at most 2 (each worker holds ~100 MB of models and heap) */
  workers?: number;
  /** per photo; the first one also loads the models (about a second) */
  timeoutMs?: number;
  /** idle workers exit after this long (default 60 s), giving their WebAssembly memory back */
  idleMs?: number;
}

export class AnalysisError extends Error {}

class Slot {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (r: AnalysisReply) => void>();

  constructor(private readonly source: AnalysisWorkerSource) {}

  get busy(): boolean {
    return this.pending.size > 0;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = typeof this.source === 'function' ? this.source() : new Worker(this.source);
    w.unref();
    w.on('message', (r: AnalysisReply) => {
      const done = this.pending.get(r.id);
      this.pending.delete(r.id);
      done?.(r);
    });
    w.on('error', (e) => this.fail(w, `the photo checker stopped: ${e.message}`));
    w.on('exit', (code) => this.fail(w, `the photo checker stopped (exit code ${code})`));
    this.worker = w;
    return w;
  }

  private fail(w: Worker, why: string) {
    if (this.worker === w) this.worker = null;
    for (const [id, done] of this.pending) done({ id, error: why });
    this.pending.clear();
  }

  request(rgb: RgbRaster, kind: AnalysisKind, timeoutMs: number): Promise<AnalysisReply> {
    let w: Worker;
    try {
      w = this.start();
    } catch (e) {
      return Promise.resolve({
        id: 0,
        error: `the photo checker could not start: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ id, error: `the photo checker took more than ${Math.round(timeoutMs / 1000)} s` });
        void this.stop();
      }, timeoutMs);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      // the raster is not needed here any more: move it instead of copying
      w.postMessage({ id, rgb, kind } satisfies AnalysisRequest, [rgb.data.buffer as ArrayBuffer]);
    });
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) {
      w.removeAllListeners('exit');
      for (const [id, done] of this.pending) done({ id, error: 'the check was stopped' });
      this.pending.clear();
      await w.terminate().catch(() => {});
    }
  }
}

export class AnalysisPool {
  readonly size: number;
  private readonly slots: Slot[];
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private readonly free: Slot[];

  constructor(source: AnalysisWorkerSource, opts: AnalysisPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(opts.workers ?? Math.min(2, availableParallelism())));
    this.slots = Array.from({ length: this.size }, () => new Slot(source));
    this.free = [...this.slots];
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.idleMs = opts.idleMs ?? 60_000;
  }

  private take(): Promise<Slot> {
    const s = this.free.shift();
    if (s) return Promise.resolve(s);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(slot: Slot) {
    const next = this.waiting.shift();
    if (next) next(slot);
    // the worker just used goes first: photos asked for one at a time (an export's crops) keep to the
    // one worker whose model is loaded, instead of waking the next one and loading it again
    else this.free.unshift(slot);
    if (this.free.length === this.size) {
      this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
      this.idleTimer.unref();
    }
  }

  /** Measures one photo in a worker. The raster's buffer is transferred (unusable afterwards). */
  async analyse(rgb: RgbRaster): Promise<PhotoAnalysis> {
    const r = await this.ask(rgb, 'analyse');
    if (!('analysis' in r)) throw new AnalysisError('the photo checker gave no measures');
    return r.analysis;
  }

  /**
   * The face boxes of one photo (in the raster's pixels, best score first), by the same workers and
   * the same loaded model as the training check: an export's default crop. The buffer is transferred.
   */
  async detectFaces(rgb: RgbRaster): Promise<DetectedFace[]> {
    const r = await this.ask(rgb, 'faces');
    if (!('faces' in r)) throw new AnalysisError('the face detector gave no faces');
    return r.faces;
  }

  private async ask(rgb: RgbRaster, kind: AnalysisKind): Promise<AnalysisReply> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const slot = await this.take();
    try {
      const r = await slot.request(rgb, kind, this.timeoutMs);
      if ('error' in r) throw new AnalysisError(r.error);
      return r;
    } finally {
      this.give(slot);
    }
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await Promise.all(this.slots.map((s) => s.stop()));
  }
}
