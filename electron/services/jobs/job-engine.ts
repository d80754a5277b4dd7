/**
 * The generation pipeline (design.md "The generation pipeline"). A job is one prediction:
 *   queued → preparing → submitted → running → downloading → saved   (or failed | canceled | lost)
 * Each transition is journaled before the side effect it announces, so a crash anywhere resumes
 * without losing a paid photo and without a second billed prediction:
 *  - `submitted` is written before POST /predictions; a create whose outcome is unknown is looked
 *    up in GET /predictions (matching version and input) before it is ever sent again.
 *  - outputs are downloaded the moment they exist (Replicate deletes them after an hour),
 *    verified, and written atomically; if the library cannot be written they are kept in a
 *    rescue folder and the job waits to be resumed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { StudioError, toErrorShape, type StudioErrorShape } from '../../../shared/errors';
import type { JobViewT } from '../../../shared/ipc/contract';
import type { CropRect, MaskBitmap } from '../../../shared/images';
import { cleanInput, validateInput } from '../../../shared/model/validate';
import { planModelSize, planOutput, sizeForInputImage } from '../../../shared/model/rules';
import { writeFileAtomic } from '../fs/atomic';
import { OutcomeUnknownError, defaultSleep, type CallOptions, type ReplicateGateway } from '../replicate/gateway';
import { isTerminal, type Prediction } from '../replicate/types';
import { parseDroppedImages, parseProgress, parseSeed, type LogProgress } from '../replicate/logs';
import type { ModelRegistry } from '../replicate/model-registry';
import { diskError, newRunId, type Library, type RunImageRecord, type RunRecord } from '../library/library';
import { isUnfinished, JobJournal, type JobRecord } from './journal';
import type { UploadCache } from './upload-cache';
import { cropMask } from '../images/mask-crop';
import { parametersText } from '../images/embed-metadata';
import { AdaptivePollPlanner, TailMemory, type PollPlanner } from './poll-planner';

/** What the engine needs from the image pipeline (electron/services/images). */
export interface ImageOps {
  inspect(input: { name: string; path?: string; bytes?: Uint8Array }): Promise<{ format: string; width: number; height: number }>;
  prepareForModel(input: { name: string; path?: string; bytes?: Uint8Array }): Promise<{
    bytes: Uint8Array; mime: string; width: number; height: number; sha256: string;
    crop: CropRect; sourceWidth: number; sourceHeight: number;
  }>;
  rasterizeMask(mask: MaskBitmap, target: { width: number; height: number }): Promise<{ bytes: Uint8Array; width: number; height: number; coverage: number }>;
  embedParameters(bytes: Uint8Array, format: 'png' | 'jpg' | 'webp', meta: { parameters: string; json: Record<string, unknown> }): Uint8Array | Promise<Uint8Array>;
  compositeKeepOutside?(args: {
    original: { name: string; path?: string; bytes?: Uint8Array }; result: Uint8Array; mask: Uint8Array;
    crop: CropRect;
  }): Promise<{ bytes: Uint8Array; format: 'png' | 'jpg'; width: number; height: number }>;
}

export interface StartRequest {
  modelRef: string;
  input: Record<string, unknown>;
  /** a local file to start from (a selfie, a saved result, a file given to the CLI) */
  image?: { name: string; path: string; assetId?: string };
  mask?: MaskBitmap;
  keepOutside?: boolean;
  label?: string;
  /** the person asked for the very same job again on purpose (not a double click) */
  repeat?: boolean;
}

/** Two identical requests this close together are one press (a double click), not two paid jobs. */
export const DUPLICATE_WINDOW_MS = 2500;

export interface EngineOptions {
  gateway: ReplicateGateway;
  registry: ModelRegistry;
  library: Library;
  uploads: UploadCache;
  images: ImageOps;
  /** outside the library: where downloads go when the library cannot be written */
  rescueDir: string;
  concurrency?: () => number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** shortest and longest wait between polls (AdaptivePollPlanner) */
  pollMinMs?: number;
  pollMaxMs?: number;
  /** another polling strategy (the bench compares with the old fixed backoff) */
  pollPlanner?: () => PollPlanner;
  /** how long after submission to look for a create whose answer was lost */
  reconcileWindowMs?: number;
  onChange?: (job: JobViewT) => void;
  onSaved?: (runId: string) => void;
  log?: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /** test hook: runs after every journal write; throwing simulates the process dying there */
  afterJournal?: (rec: JobRecord) => void | Promise<void>;
}

/** What start() prepared while validating: the files are written when the job is prepared. */
interface Prepared {
  image: Awaited<ReturnType<ImageOps['prepareForModel']>>;
  mask?: { bytes: Uint8Array; width: number; height: number };
}

interface Live {
  rec: JobRecord;
  prepared?: Prepared;
  /** Replicate answered the create with a refusal: nothing was made, so the job can end. */
  refused?: boolean;
  progress?: LogProgress;
  status?: string;
  waitingUntil?: number;
  abort: AbortController;
  mask?: StartRequest['mask'];
  /** picked up from the journal: a create may already have been sent */
  resumed?: boolean;
  done: Promise<void>;
  resolveDone: () => void;
}

/** Thrown by the test hook to stop a job as if the process had died. */
export class SimulatedCrash extends Error {}

const EXT: Record<string, 'png' | 'jpg' | 'webp'> = { png: 'png', jpeg: 'jpg', jpg: 'jpg', webp: 'webp' };

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

export class JobEngine {
  private jobs = new Map<string, Live>();
  private finished = new Map<string, JobRecord>();
  private queue: string[] = [];
  private running = 0;
  readonly journal: JobJournal;
  private readonly now: () => number;
  private readonly sleep: NonNullable<EngineOptions['sleep']>;
  /** how long this model takes after its last step, learned from this engine's jobs */
  private readonly tail = new TailMemory();
  /** identical start requests of the last moments, and the job each one became */
  private readonly recentStarts = new Map<string, { at: number; job: Promise<JobViewT> }>();

  constructor(private readonly o: EngineOptions) {
    this.journal = new JobJournal(path.join(o.library.appDir, 'journal'));
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? defaultSleep;
  }

  // ---------- public API ----------

  /**
   * Validates (no network call is made for invalid input), journals and queues a job. The same
   * request again within DUPLICATE_WINDOW_MS answers with the job the first one started, unless
   * it says `repeat`: one press, one paid job.
   */
  start(req: StartRequest): Promise<JobViewT> {
    const now = this.now();
    for (const [k, v] of this.recentStarts) if (now - v.at >= DUPLICATE_WINDOW_MS) this.recentStarts.delete(k);
    const key = stableJson({
      model: req.modelRef,
      input: req.input,
      image: req.image?.path ?? null,
      mask: req.mask ? createHash('sha256').update(req.mask.data).digest('hex') + `:${req.mask.width}x${req.mask.height}` : null,
      keepOutside: !!req.keepOutside,
      label: req.label ?? null,
    });
    const recent = this.recentStarts.get(key);
    if (recent && !req.repeat) return recent.job;
    const job = this.startNew(req);
    this.recentStarts.set(key, { at: now, job });
    job.catch(() => this.recentStarts.delete(key)); // a refused request may be corrected and sent again at once
    return job;
  }

  private async startNew(req: StartRequest): Promise<JobViewT> {
    const model = await this.o.registry.resolve(req.modelRef);
    let imageSize: { width: number; height: number } | null = null;
    if (req.image) {
      const info = await this.o.images.inspect({ name: req.image.name, path: req.image.path });
      // the size the photo will be prepared at, which is exactly what the model will output
      imageSize = planModelSize(info.width, info.height) ?? sizeForInputImage(info.width, info.height);
    }
    if (req.mask && !req.image) throw new StudioError('invalid_input', 'A mask needs a starting photo.', { fields: [{ field: 'mask', message: 'Pick the photo the mask belongs to.' }] });
    const ctx = { image: imageSize, hasMask: !!req.mask };
    const v = validateInput(model.schema, req.input, ctx);
    if (!v.ok) throw new StudioError('invalid_input', v.issues.map((i) => i.message).join(' '), { fields: v.issues });
    if (!model.versionId) {
      throw new StudioError('network', `Could not reach Replicate to look up the current version of ${model.ref}. Check your connection and try again.`);
    }
    // Decode the photo and the mask now, before the job exists: a truncated JPEG or an empty mask
    // is the person's input to fix (nothing is journaled, no folder is made, nothing is sent).
    const prepared = req.image ? await this.prepareInputs(req.image, req.mask) : undefined;
    await this.o.library.ensure();
    const input = cleanInput(model.schema, req.input, ctx);
    const now = this.now();
    const numOutputs = typeof input.num_outputs === 'number' ? input.num_outputs : Number(model.schema.fields.find((f) => f.name === 'num_outputs')?.default ?? 1);
    const prompt = String(req.input.prompt ?? '');
    const rec: JobRecord = {
      v: 1,
      id: `job_${now.toString(36)}${randomBytes(4).toString('hex')}`,
      runId: newRunId(new Date(now)),
      state: 'queued',
      label: req.label?.trim() || prompt.slice(0, 80),
      modelRef: model.ref.split(':')[0]!,
      versionId: model.versionId,
      prompt,
      input,
      numOutputs,
      createdAt: now,
      updatedAt: now,
      saved: {},
      warnings: v.notes.filter((n) => !/is ignored/.test(n)),
    };
    if (req.image) rec.source = { assetId: req.image.assetId ?? `file:${req.image.name}` };
    if (req.image) rec.sourcePath = req.image.path;
    if (req.mask) rec.wantsMask = true;
    if (req.keepOutside && req.mask) rec.keepOutside = true;
    const live = this.track(rec);
    live.mask = req.mask;
    live.prepared = prepared;
    try {
      await this.persist(rec);
    } catch (e) {
      this.jobs.delete(rec.id);
      live.resolveDone();
      throw e instanceof StudioError && e.code === 'disk' ? diskError(e.cause, 'your library', 'Nothing was sent to Replicate. Free some space or choose another library folder in Settings.') : e;
    }
    const view = this.view(rec);
    this.enqueue(rec.id);
    return view;
  }

  private async prepareInputs(image: { name: string; path: string }, mask: StartRequest['mask']): Promise<Prepared> {
    const prepared = await this.o.images.prepareForModel({ name: image.name, path: image.path });
    if (!mask) return { image: prepared };
    const m = await this.o.images.rasterizeMask(cropMask(mask, prepared), { width: prepared.width, height: prepared.height });
    return { image: prepared, mask: m };
  }

  async cancel(jobId: string): Promise<JobViewT> {
    const live = this.jobs.get(jobId);
    if (!live) {
      const f = this.finished.get(jobId);
      if (f) return this.view(f);
      throw new StudioError('not_found', 'This job is no longer running.');
    }
    const rec = live.rec;
    rec.cancelRequested = true;
    if (rec.state === 'queued' || rec.state === 'preparing') {
      live.abort.abort(new StudioError('canceled', 'Canceled.'));
      if (rec.state === 'queued') {
        this.queue = this.queue.filter((id) => id !== jobId);
        await this.finish(live, 'canceled', { code: 'canceled', message: 'Canceled before it was sent to Replicate. Nothing was charged.' });
      }
    } else if (rec.predictionId && (rec.state === 'submitted' || rec.state === 'running')) {
      live.status = 'Canceling…';
      this.emit(live);
      await this.o.gateway.cancelPrediction(rec.predictionId).catch((e) => this.o.log?.('warn', `cancel failed: ${toErrorShape(e).message}`));
    }
    return this.view(rec);
  }

  list(): JobViewT[] {
    return [...[...this.jobs.values()].map((l) => l.rec), ...this.finished.values()].sort((a, b) => a.createdAt - b.createdAt).map((r) => this.view(r));
  }

  get(jobId: string): JobViewT | undefined {
    const r = this.jobs.get(jobId)?.rec ?? this.finished.get(jobId);
    return r ? this.view(r) : undefined;
  }

  async dismiss(jobId: string): Promise<void> {
    if (this.jobs.has(jobId)) throw new StudioError('invalid_input', 'This job is still running; cancel it first.');
    this.finished.delete(jobId);
    await this.journal.remove(jobId);
  }

  /**
   * Tries a job again that stopped on a disk problem (its photos wait in the rescue folder, or
   * on Replicate): it continues from its journaled state, so nothing is paid twice.
   */
  async retry(jobId: string): Promise<JobViewT> {
    const rec = this.finished.get(jobId);
    if (!rec || !isUnfinished(rec)) throw new StudioError('invalid_input', 'Only a job that stopped part-way can be tried again; generate a new one instead.');
    this.finished.delete(jobId);
    delete rec.error;
    this.track(rec).resumed = true;
    this.enqueue(rec.id);
    return this.view(rec);
  }

  /** Resolves when the job reaches a terminal state (or stops waiting on a disk problem). */
  async wait(jobId: string): Promise<JobViewT> {
    const live = this.jobs.get(jobId);
    if (live) await live.done;
    const v = this.get(jobId);
    if (!v) throw new StudioError('not_found', 'Unknown job.');
    return v;
  }

  async idle(): Promise<void> {
    while (this.jobs.size) await Promise.all([...this.jobs.values()].map((l) => l.done));
  }

  /** Picks up what a previous process left: polls existing predictions, downloads, saves. */
  async resume(): Promise<JobViewT[]> {
    const recs = await this.journal.all();
    const resumed: JobViewT[] = [];
    for (const rec of recs) {
      if (this.jobs.has(rec.id) || this.finished.has(rec.id)) continue;
      if (!isUnfinished(rec)) {
        this.finished.set(rec.id, rec);
        continue;
      }
      delete rec.error;
      this.track(rec).resumed = true;
      this.enqueue(rec.id);
      resumed.push(this.view(rec));
    }
    return resumed;
  }

  /** SHA-256s of uploads that unfinished jobs still need. */
  inUseUploads(): Set<string> {
    const s = new Set<string>();
    for (const { rec } of this.jobs.values()) {
      if (rec.image) s.add(rec.image.sha256);
      if (rec.mask) s.add(rec.mask.sha256);
    }
    return s;
  }

  /**
   * Deletes from Replicate the uploads no unfinished job needs once their reuse window passed
   * (upload-cache.ts): after every job, and when a library is opened. Never fails.
   */
  sweepUploads(): Promise<void> {
    return this.o.uploads.sweep(this.inUseUploads()).then(
      () => {},
      () => {},
    );
  }

  // ---------- internals ----------

  private track(rec: JobRecord): Live {
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const live: Live = { rec, abort: new AbortController(), done, resolveDone };
    this.jobs.set(rec.id, live);
    return live;
  }

  private enqueue(id: string) {
    this.queue.push(id);
    this.pump();
  }

  private pump() {
    const limit = Math.max(1, this.o.concurrency?.() ?? 2);
    while (this.running < limit && this.queue.length) {
      const id = this.queue.shift()!;
      const live = this.jobs.get(id);
      if (!live) continue;
      this.running++;
      void this.drive(live).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private view(rec: JobRecord): JobViewT {
    const live = this.jobs.get(rec.id);
    const images = Object.values(rec.saved)
      .sort((a, b) => a.index - b.index)
      .map((im) => ({ id: `runs/${rec.runId}/${im.file}`, width: im.width, height: im.height }));
    const v: JobViewT = {
      id: rec.id,
      runId: rec.runId,
      state: rec.state,
      label: rec.label,
      modelRef: rec.modelRef,
      prompt: rec.prompt,
      createdAt: rec.createdAt,
      updatedAt: rec.updatedAt,
      numOutputs: rec.numOutputs,
      warnings: rec.warnings,
      images,
    };
    if (rec.predictionId) v.predictionId = rec.predictionId;
    if (rec.seed !== undefined) v.seed = rec.seed;
    if (rec.error) v.error = rec.error;
    if (live?.progress) v.progress = live.progress;
    if (live?.status) v.status = live.status;
    if (live?.waitingUntil) v.waitingUntil = live.waitingUntil;
    return v;
  }

  private emit(live: Live | JobRecord) {
    const rec = 'rec' in live ? live.rec : live;
    this.o.onChange?.(this.view(rec));
  }

  private async persist(rec: JobRecord) {
    rec.updatedAt = this.now();
    await this.journal.write(rec);
    this.emit(rec);
    await this.o.afterJournal?.(rec);
  }

  private async transition(live: Live, state: JobRecord['state'], patch: Partial<JobRecord> = {}) {
    Object.assign(live.rec, patch, { state });
    live.status = undefined;
    live.waitingUntil = undefined;
    await this.persist(live.rec);
  }

  /**
   * Every call a job makes is persistent: a photo that is (or may be) paid for is never given up
   * because Replicate had a bad minute or the network went away; the job waits and says so.
   */
  private callOpts(live: Live): CallOptions {
    return {
      signal: live.abort.signal,
      persistent: true,
      onWait: ({ reason, ms }) => {
        const secs = Math.max(1, Math.ceil(ms / 1000));
        live.waitingUntil = ms > 0 ? this.now() + ms : undefined;
        live.status =
          reason === 'rate_limited' ? `Replicate asked us to slow down; trying again in ${secs} s.` :
          reason === 'network' ? (ms > 0 ? `The connection dropped; trying again in ${secs} s.` : 'Waiting for the connection to return…') :
          `Waiting for Replicate: it is not answering properly right now; trying again in ${secs} s. ${live.rec.predictionId ? 'Your photos are safe.' : 'Nothing is lost.'}`;
        this.emit(live);
      },
    };
  }

  private async finish(live: Live, state: 'saved' | 'failed' | 'canceled' | 'lost', error?: StudioErrorShape) {
    const rec = live.rec;
    rec.state = state;
    if (error) rec.error = error;
    rec.updatedAt = this.now();
    live.progress = state === 'saved' ? live.progress : undefined;
    live.status = undefined;
    live.waitingUntil = undefined;
    if (state === 'saved') await this.journal.remove(rec.id);
    else await this.journal.write(rec).catch(() => {});
    this.jobs.delete(rec.id);
    this.finished.set(rec.id, rec);
    this.emit(rec);
    live.resolveDone();
    void this.sweepUploads();
  }

  private async drive(live: Live): Promise<void> {
    try {
      await this.advance(live);
    } catch (e) {
      if (e instanceof SimulatedCrash) {
        // The test "killed" the process here: leave the journal exactly as it is.
        this.jobs.delete(live.rec.id);
        live.resolveDone();
        return;
      }
      const shape = toErrorShape(e);
      if (live.rec.cancelRequested && (shape.code === 'canceled' || live.abort.signal.aborted)) {
        await this.finish(live, 'canceled', { code: 'canceled', message: live.rec.predictionId ? 'Canceled.' : 'Canceled before it was sent to Replicate. Nothing was charged.' });
        return;
      }
      if (this.mustKeep(live, shape)) {
        // A prediction exists (or may): the job is not over until Replicate says so. It stays in
        // the journal in its state, shown as Stopped with Try again, and resumes at the next start.
        live.rec.error = shape.code === 'disk' ? shape : { ...shape, message: `${shape.message} This job is kept: press Try again (or restart the app) and it continues without paying twice.` };
        await this.journal.write(live.rec).catch(() => {});
        this.jobs.delete(live.rec.id);
        this.finished.set(live.rec.id, live.rec);
        this.emit(live.rec);
        live.resolveDone();
        return;
      }
      this.o.log?.('warn', `job ${live.rec.id} failed: ${shape.code}: ${shape.message}`);
      await this.finish(live, shape.code === 'lost' ? 'lost' : shape.code === 'canceled' ? 'canceled' : 'failed', shape);
    }
  }

  /** Outcomes that end a job for good; anything else leaves a job with a prediction resumable. */
  private static readonly FINAL_CODES: ReadonlySet<string> = new Set(['lost', 'canceled', 'safety', 'out_of_memory', 'model_error']);

  private mustKeep(live: Live, shape: StudioErrorShape): boolean {
    const { state } = live.rec;
    if (state !== 'submitted' && state !== 'running' && state !== 'downloading') return false;
    if (JobEngine.FINAL_CODES.has(shape.code)) return false;
    // A create Replicate refused made nothing: the job ends with the reason.
    return !(live.refused && !live.rec.predictionId);
  }

  private async advance(live: Live): Promise<void> {
    const rec = live.rec;
    if (rec.state === 'queued' || rec.state === 'preparing') await this.prepare(live);
    if (rec.state === 'submitted' && !rec.predictionId) await this.submit(live, !!live.resumed);
    if (rec.state === 'submitted' || rec.state === 'running') await this.poll(live);
    if (rec.state === 'downloading') await this.download(live);
  }

  private async prepare(live: Live) {
    const rec = live.rec;
    // Preparing is local work with no side effect to announce: shown, not journaled. The prepared
    // files are journaled below, before the upload that is the next side effect.
    rec.state = 'preparing';
    rec.updatedAt = this.now();
    this.emit(live);
    const runDir = this.o.library.runDir(rec.runId);
    try {
      await fs.mkdir(runDir, { recursive: true });
    } catch (e) {
      throw diskError(e, 'your library');
    }
    const sourcePath = rec.sourcePath;
    if (rec.source && !rec.image) {
      if (!sourcePath) throw new StudioError('invalid_input', 'The starting photo is no longer available. Pick it again and press Generate.');
      // Prepared by start() in this process; prepared again from the file after a restart.
      const prepared = live.prepared?.image ?? (await this.o.images.prepareForModel({ name: path.basename(sourcePath), path: sourcePath }));
      const file = prepared.mime === 'image/png' ? 'source.png' : 'source.jpg';
      try {
        await fs.mkdir(runDir, { recursive: true });
        await writeFileAtomic(path.join(runDir, file), prepared.bytes);
      } catch (e) {
        throw diskError(e, 'your library');
      }
      rec.image = { file, sha256: prepared.sha256, mime: prepared.mime, width: prepared.width, height: prepared.height, sourceWidth: prepared.sourceWidth, sourceHeight: prepared.sourceHeight, crop: prepared.crop };
    }
    if (live.mask && !rec.mask) {
      if (!rec.image) throw new StudioError('invalid_input', 'A mask needs a starting photo.');
      const m = live.prepared?.mask ?? (await this.o.images.rasterizeMask(cropMask(live.mask, rec.image), { width: rec.image.width, height: rec.image.height }));
      const sha256 = createHash('sha256').update(m.bytes).digest('hex');
      try {
        await writeFileAtomic(path.join(runDir, 'mask.png'), m.bytes);
      } catch (e) {
        throw diskError(e, 'your library');
      }
      rec.mask = { file: 'mask.png', sha256, mime: 'image/png', width: m.width, height: m.height };
    } else if (rec.wantsMask && !rec.mask) {
      throw new StudioError('invalid_input', 'The app closed before this job was sent; nothing was charged. Paint the mask again and press Generate.');
    }
    if (rec.image || rec.mask) await this.persist(rec);
    live.prepared = undefined; // on disk now; the bytes need not stay in memory while uploading
    // Upload (cached by content hash: the same selfie is sent once).
    for (const key of ['image', 'mask'] as const) {
      const f = rec[key];
      if (!f || f.url) continue;
      const bytes = await fs.readFile(path.join(runDir, f.file));
      live.status = key === 'image' ? 'Uploading the photo…' : 'Uploading the mask…';
      this.emit(live);
      const { url } = await this.o.uploads.upload(f.sha256, new Uint8Array(bytes), { filename: f.file, contentType: f.mime }, this.callOpts(live));
      f.url = url;
    }
    live.abort.signal.throwIfAborted();
    // Journal "submitted" BEFORE the create: from here on a crash must reconcile, not re-send.
    await this.transition(live, 'submitted', { submittedAt: this.now() });
  }

  private submitInput(rec: JobRecord): Record<string, unknown> {
    const input = { ...rec.input };
    if (rec.image?.url) input.image = rec.image.url;
    if (rec.mask?.url) input.mask = rec.mask.url;
    return input;
  }

  /**
   * Finds a prediction this job already created (its create answer was lost). The API keeps no
   * tag of ours on a prediction, so "ours" is: same version, same input, created after this job
   * journaled `submitted` (on Replicate's clock, from the Date headers it sends), and not claimed
   * by another job or already saved in the library. Two identical prompts therefore never swap
   * predictions (and seeds), and an older identical run is never adopted.
   */
  private async reconcile(live: Live): Promise<Prediction | null> {
    const rec = live.rec;
    const want = stableJson(this.submitInput(rec));
    const submittedAt = rec.submittedAt ?? rec.createdAt;
    const skew = this.o.gateway.serverClockSkewMs();
    // Date headers have 1 s resolution; without one, allow for an unsynchronised laptop clock.
    const tolerance = skew === null ? (this.o.reconcileWindowMs ?? 5 * 60_000) : 2_000;
    const earliest = submittedAt + (skew ?? 0) - tolerance;
    const claimed = new Set<string>(await this.o.library.predictionIdsSince(submittedAt - 24 * 3600_000));
    for (const l of this.jobs.values()) if (l !== live && l.rec.predictionId) claimed.add(l.rec.predictionId);
    for (const r of this.finished.values()) if (r.predictionId) claimed.add(r.predictionId);
    let cursor: string | undefined;
    let best: Prediction | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await this.o.gateway.listPredictions(cursor ? { cursorUrl: cursor } : { createdAfter: new Date(earliest).toISOString() }, this.callOpts(live));
      for (const p of res.results) {
        if (claimed.has(p.id)) continue;
        const version = (p.version ?? '').split(':').pop();
        if (version !== rec.versionId) continue;
        const created = p.created_at ? Date.parse(p.created_at) : NaN;
        if (Number.isFinite(created) && created < earliest) continue;
        if (!p.input || stableJson(p.input) !== want) continue;
        // Several identical creates of this very job (retries) cannot exist: we reconcile before
        // every re-send. Among identical jobs' predictions, take the earliest after ours began.
        if (!best || (Date.parse(p.created_at ?? '') || Infinity) < (Date.parse(best.created_at ?? '') || Infinity)) best = p;
      }
      if (!res.next) break;
      cursor = res.next;
    }
    return best;
  }

  private async submit(live: Live, mayHaveBeenSent: boolean) {
    const rec = live.rec;
    const what = rec.modelRef;
    for (let attempt = 0; ; attempt++) {
      live.abort.signal.throwIfAborted();
      // Before (re)sending, look for a prediction an earlier attempt or process already created.
      if (attempt > 0 || mayHaveBeenSent) {
        live.status = 'Checking whether Replicate received the request…';
        this.emit(live);
        // Listing can lag the create by a moment: look twice before concluding it never happened.
        let found = await this.reconcile(live);
        if (!found) {
          await this.sleep(1500, live.abort.signal);
          found = await this.reconcile(live);
        }
        if (found) {
          await this.transition(live, 'running', { predictionId: found.id });
          return;
        }
      }
      try {
        const p = await this.o.gateway.createPrediction({ version: rec.versionId!, input: this.submitInput(rec) }, what, this.callOpts(live));
        await this.transition(live, 'running', { predictionId: p.id });
        if (rec.cancelRequested) await this.o.gateway.cancelPrediction(p.id).catch(() => {});
        return;
      } catch (e) {
        if (!(e instanceof OutcomeUnknownError)) {
          // Replicate answered and said no (bad input, no credit, unknown version): nothing was made.
          if (e instanceof StudioError) live.refused = true;
          throw e;
        }
        this.o.log?.('warn', `create outcome unknown for ${rec.id}; reconciling`);
        const ms = Math.min(10_000, 1000 * 2 ** Math.min(attempt, 4));
        live.status = 'Connection dropped while sending; checking with Replicate…';
        live.waitingUntil = this.now() + ms;
        this.emit(live);
        await this.sleep(ms, live.abort.signal);
      }
    }
  }

  /** Polls until the prediction ends; the planner decides how long each wait is (poll-planner.ts). */
  private async poll(live: Live) {
    const rec = live.rec;
    const plan = this.o.pollPlanner?.() ?? new AdaptivePollPlanner({ minMs: this.o.pollMinMs, maxMs: this.o.pollMaxMs, tail: this.tail });
    for (;;) {
      const p = await this.o.gateway.getPrediction(rec.predictionId!, { ...this.callOpts(live), signal: undefined });
      const now = this.now();
      if (p.data_removed) throw this.lostError(rec);
      if (p.status === 'processing' && rec.state !== 'running') await this.transition(live, 'running');
      const seed = parseSeed(p.logs);
      if (seed !== undefined && rec.seed === undefined) rec.seed = seed;
      const prog = parseProgress(p.logs);
      plan.observe({ now, status: p.status, ...(prog ? { step: prog.step, total: prog.total } : {}) });
      live.status = p.status === 'starting' ? 'Waiting for a GPU on Replicate…' : undefined;
      if (prog) live.progress = prog;
      live.waitingUntil = undefined;
      if (isTerminal(p.status)) {
        plan.finished(now);
        return this.onTerminal(live, p);
      }
      this.emit(live);
      if (rec.cancelRequested) await this.o.gateway.cancelPrediction(rec.predictionId!).catch(() => {});
      await this.sleep(plan.nextDelay(now), undefined);
    }
  }

  private lostError(rec: JobRecord): StudioError {
    const seed = rec.seed !== undefined ? ` Run it again with seed ${rec.seed} to get the same photos.` : '';
    return new StudioError('lost', `Replicate deleted the results of this run before they could be downloaded (results are kept for one hour, and the app was not running).${seed}`);
  }

  private async onTerminal(live: Live, p: Prediction) {
    const rec = live.rec;
    rec.startedAt = p.started_at ? Date.parse(p.started_at) : rec.startedAt;
    rec.completedAt = p.completed_at ? Date.parse(p.completed_at) : this.now();
    if (p.metrics?.predict_time !== undefined) rec.predictTime = p.metrics.predict_time;
    if (p.status === 'canceled' || p.status === 'aborted') {
      await this.finish(live, 'canceled', {
        code: 'canceled',
        message: p.status === 'aborted' ? 'Replicate stopped it before it started (deadline passed). Nothing was charged.' : 'Canceled.',
      });
      return;
    }
    if (p.status === 'failed') {
      const err = p.error ?? 'unknown error';
      if (/NSFW/i.test(err)) throw new StudioError('safety', "Replicate's safety checker removed every image of this run, so there is nothing to save. Rephrase the prompt (for example describe the clothing) and try again.");
      if (/out of memory|E1001/i.test(err)) throw new StudioError('out_of_memory', 'The model ran out of memory on Replicate. Try fewer images at once or a smaller size.');
      throw new StudioError('model_error', `The model could not make this photo: ${err.split('\n')[0]}. Try again; if it keeps failing, change the settings.`);
    }
    const outputs = Array.isArray(p.output) ? p.output.filter((u): u is string => typeof u === 'string') : typeof p.output === 'string' ? [p.output] : [];
    if (!outputs.length) throw new StudioError('model_error', 'The model finished without any image. Try again.');
    const dropped = parseDroppedImages(p.logs);
    if (outputs.length < rec.numOutputs) {
      const which = dropped.length ? ` (number ${dropped.map((i) => i + 1).join(' and ')})` : '';
      rec.warnings.push(`Replicate's safety checker removed ${rec.numOutputs - outputs.length} of ${rec.numOutputs} images${which}; the other ${outputs.length} ${outputs.length === 1 ? 'is' : 'are'} saved.`);
    }
    const seed = parseSeed(p.logs);
    if (seed !== undefined) rec.seed = seed;
    await this.transition(live, 'downloading', { outputs });
  }

  private async download(live: Live) {
    const rec = live.rec;
    const outputs = rec.outputs ?? [];
    const runDir = this.o.library.runDir(rec.runId);
    live.status = `Downloading ${outputs.length} image${outputs.length === 1 ? '' : 's'}…`;
    this.emit(live);
    let diskProblem: unknown = null;
    await Promise.all(
      outputs.map(async (url, index) => {
        if (rec.saved[index]) return;
        let bytes: Uint8Array;
        const rescued = rec.rescued?.[index] ?? (await this.findRescued(rec.id, index));
        let info: { format: string; width: number; height: number };
        if (rescued) {
          bytes = new Uint8Array(await fs.readFile(rescued));
          info = await this.o.images.inspect({ name: path.basename(rescued), bytes });
        } else {
          try {
            ({ bytes } = await this.o.gateway.download(url, { ...this.callOpts(live), signal: undefined }));
          } catch (e) {
            if (e instanceof StudioError && e.code === 'lost') throw this.lostError(rec);
            throw e;
          }
          try {
            info = await this.o.images.inspect({ name: `output ${index + 1}`, bytes });
          } catch {
            // A damaged transfer: fetch once more before giving up.
            ({ bytes } = await this.o.gateway.download(url, { ...this.callOpts(live), signal: undefined }));
            info = await this.o.images.inspect({ name: `output ${index + 1}`, bytes });
          }
          const format = EXT[info.format] ?? 'png';
          bytes = await this.o.images.embedParameters(bytes, format, {
            parameters: parametersText(rec, info.width, info.height),
            json: { prompt: rec.prompt, model: rec.modelRef, version: rec.versionId, predictionId: rec.predictionId, seed: rec.seed ?? null, index, input: rec.input },
          });
        }
        const format = EXT[info.format] ?? 'png';
        let file = `${index + 1}.${format}`;
        let out = { bytes, width: info.width, height: info.height, format: format as string };
        if (rec.keepOutside && rec.image && rec.mask && this.o.images.compositeKeepOutside && rec.sourcePath) {
          await this.writeOrRescue(rec, index, path.join(runDir, `${index + 1}-model.${format}`), bytes).catch((e) => (diskProblem ??= e));
          const maskBytes = new Uint8Array(await fs.readFile(path.join(runDir, rec.mask.file)));
          const c = await this.o.images.compositeKeepOutside({ original: { name: 'source', path: rec.sourcePath }, result: bytes, mask: maskBytes, crop: rec.image.crop });
          const composed = await this.o.images.embedParameters(c.bytes, c.format, {
            parameters: parametersText(rec, c.width, c.height),
            json: { prompt: rec.prompt, model: rec.modelRef, predictionId: rec.predictionId, seed: rec.seed ?? null, index, keptOutsideMask: true },
          });
          file = `${index + 1}.${c.format}`;
          out = { bytes: composed, width: c.width, height: c.height, format: c.format };
        }
        try {
          await this.writeOrRescue(rec, index, path.join(runDir, file), out.bytes);
          rec.saved[index] = { index, file, width: out.width, height: out.height, format: out.format, bytes: out.bytes.length };
        } catch (e) {
          diskProblem ??= e;
        }
      }),
    );
    if (diskProblem) {
      await this.journal.write(rec).catch(() => {});
      throw diskProblem instanceof StudioError ? diskProblem : diskError(diskProblem, 'your library');
    }
    await this.save(live);
  }

  /** A download rescued by a run whose journal write also failed (same full disk). */
  private async findRescued(jobId: string, index: number): Promise<string | undefined> {
    const dir = path.join(this.o.rescueDir, jobId);
    try {
      const hit = (await fs.readdir(dir)).find((f) => new RegExp(`^${index + 1}\\.(png|jpg|webp)$`).test(f));
      return hit ? path.join(dir, hit) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes into the library; if that fails the bytes go to the rescue folder so nothing is lost. */
  private async writeOrRescue(rec: JobRecord, index: number, file: string, bytes: Uint8Array) {
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, bytes);
      if (rec.rescued?.[index]) {
        await fs.rm(rec.rescued[index]!, { force: true }).catch(() => {});
        delete rec.rescued[index];
      }
    } catch (e) {
      if (!rec.rescued?.[index]) {
        const dir = path.join(this.o.rescueDir, rec.id);
        await fs.mkdir(dir, { recursive: true });
        const target = path.join(dir, path.basename(file));
        await writeFileAtomic(target, bytes);
        (rec.rescued ??= {})[index] = target;
      }
      throw diskError(e, `your library (${this.o.library.root})`, `The downloaded photos are kept safe in ${path.join(this.o.rescueDir, rec.id)}; free some space (or fix the folder) and press Try again, and they go into the library.`);
    }
  }

  private async save(live: Live) {
    const rec = live.rec;
    const plan = planOutput({ ...rec.input, image: rec.image ? { width: rec.image.width, height: rec.image.height } : null, hasMask: !!rec.mask });
    const images: RunImageRecord[] = Object.values(rec.saved).sort((a, b) => a.index - b.index);
    const input = { ...rec.input };
    if (rec.image) input.image = rec.image.file;
    if (rec.mask) input.mask = rec.mask.file;
    const run: RunRecord = {
      schema: 1,
      id: rec.runId,
      label: rec.label,
      prompt: rec.prompt,
      modelRef: rec.modelRef,
      version: rec.versionId,
      predictionId: rec.predictionId ?? null,
      mode: plan.mode,
      input,
      seed: rec.seed ?? null,
      predictTime: rec.predictTime ?? null,
      timings: { createdAt: rec.createdAt, submittedAt: rec.submittedAt, startedAt: rec.startedAt, completedAt: rec.completedAt, savedAt: this.now() },
      images,
      source: rec.image ? { file: rec.image.file, width: rec.image.width, height: rec.image.height, ...(rec.source ? { from: rec.source.assetId } : {}) } : null,
      mask: rec.mask ? { file: rec.mask.file, width: rec.mask.width, height: rec.mask.height } : null,
      warnings: rec.warnings,
    };
    await this.o.library.saveRun(run);
    await fs.rm(path.join(this.o.rescueDir, rec.id), { recursive: true, force: true }).catch(() => {});
    delete rec.error;
    await this.finish(live, 'saved');
    this.o.onSaved?.(rec.runId);
  }
}
