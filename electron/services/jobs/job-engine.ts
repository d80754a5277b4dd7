/**
 * The job engine: one job is one prediction, and the engine queues, runs, resumes and ends them.
 *   queued → preparing → submitted → running → downloading → saved   (or failed | canceled | lost)
 * Each transition is journaled (journal.ts) before the side effect it announces, so a crash
 * anywhere resumes without losing a paid photo and without a second billed prediction. The steps
 * are one file each in steps/: prepare.ts (prepare and upload), submit.ts (create, reconcile a
 * lost create), poll.ts, deliver.ts (download, composite, embed, rescue, save). end() below is
 * the one place a job ends; what an error means for a job is in job-ending.ts, and every sentence
 * a job fails or waits with is in failures.ts. docs/architecture.md describes the whole pipeline.
 */
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { StudioError, toErrorShape } from '../../../shared/errors';
import type { JobViewT } from '../../../shared/ipc/contract';
import type { MaskBitmap } from '../../../shared/images';
import { cleanInput, validateInput } from '../../../shared/model/validate';
import { planModelSize, sizeForInputImage } from '../../../shared/model/rules';
import { defaultSleep } from '../replicate/gateway';
import { newRunId } from '../library/library';
import { jobFailures } from './failures';
import { persist, type Ending, type EngineOptions, type JobContext, type LiveJob } from './job-context';
import { endingAfter } from './job-ending';
import { isUnfinished, JobJournal, type JobRecord } from './journal';
import { TailMemory } from './poll-planner';
import { stableJson } from './stable-json';
import { deliver } from './steps/deliver';
import { poll } from './steps/poll';
import { prepareAndUpload, prepareInputs } from './steps/prepare';
import { submit } from './steps/submit';

export { SimulatedCrash, type EngineOptions } from './job-context';
export type { ImageOps } from './image-ops';

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

export class JobEngine {
  private jobs = new Map<string, LiveJob>();
  private finished = new Map<string, JobRecord>();
  private queue: string[] = [];
  private running = 0;
  readonly journal: JobJournal;
  private readonly now: () => number;
  /** identical start requests of the last moments, and the job each one became */
  private readonly recentStarts = new Map<string, { at: number; job: Promise<JobViewT> }>();
  /** what the steps see of the engine */
  private readonly ctx: JobContext;

  constructor(private readonly o: EngineOptions) {
    this.journal = new JobJournal(path.join(o.library.appDir, 'journal'));
    this.now = o.now ?? Date.now;
    this.ctx = {
      o,
      journal: this.journal,
      tail: new TailMemory(),
      now: this.now,
      sleep: o.sleep ?? defaultSleep,
      emit: (rec) => this.emit(rec),
      claimedPredictionIds: (except) => {
        const ids = new Set<string>();
        for (const l of this.jobs.values()) if (l !== except && l.rec.predictionId) ids.add(l.rec.predictionId);
        for (const r of this.finished.values()) if (r.predictionId) ids.add(r.predictionId);
        return ids;
      },
      end: (live, ending) => this.end(live, ending),
    };
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
      mask: req.mask
        ? createHash('sha256').update(req.mask.data).digest('hex') + `:${req.mask.width}x${req.mask.height}`
        : null,
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
    if (req.mask && !req.image) throw jobFailures.maskWithoutPhoto();
    const ctx = { image: imageSize, hasMask: !!req.mask };
    const v = validateInput(model.schema, req.input, ctx);
    if (!v.ok) throw jobFailures.invalidInput(v.issues);
    if (!model.versionId) throw jobFailures.unreachable(model.ref, model.lookupError);
    // Decode the photo and the mask now, before the job exists: a truncated JPEG or an empty mask
    // is the person's input to fix (nothing is journaled, no folder is made, nothing is sent).
    const prepared = req.image ? await prepareInputs(this.o.images, req.image, req.mask) : undefined;
    await this.o.library.ensure();
    const input = cleanInput(model.schema, req.input, ctx);
    const now = this.now();
    const numOutputs =
      typeof input.num_outputs === 'number'
        ? input.num_outputs
        : Number(model.schema.fields.find((f) => f.name === 'num_outputs')?.default ?? 1);
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
      await persist(this.ctx, rec);
    } catch (e) {
      await this.end(live, { as: 'vanished' });
      throw e instanceof StudioError && e.code === 'disk' ? jobFailures.diskBeforeSending(e.cause) : e;
    }
    const view = this.view(rec);
    this.enqueue(rec.id);
    return view;
  }

  async cancel(jobId: string): Promise<JobViewT> {
    const live = this.jobs.get(jobId);
    if (!live) {
      const f = this.finished.get(jobId);
      if (f) return this.view(f);
      throw jobFailures.notRunning();
    }
    const rec = live.rec;
    rec.cancelRequested = true;
    if (rec.state === 'queued' || rec.state === 'preparing') {
      live.abort.abort(jobFailures.cancelSignal());
      if (rec.state === 'queued') {
        this.queue = this.queue.filter((id) => id !== jobId);
        await this.end(live, { as: 'canceled', error: jobFailures.canceled(false) });
      }
    } else if (rec.predictionId && (rec.state === 'submitted' || rec.state === 'running')) {
      live.status = 'Canceling…';
      this.emit(rec);
      await this.o.gateway
        .cancelPrediction(rec.predictionId)
        .catch((e) => this.o.log?.('warn', `cancel failed: ${toErrorShape(e).message}`));
    }
    return this.view(rec);
  }

  list(): JobViewT[] {
    return [...[...this.jobs.values()].map((l) => l.rec), ...this.finished.values()]
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((r) => this.view(r));
  }

  get(jobId: string): JobViewT | undefined {
    const r = this.jobs.get(jobId)?.rec ?? this.finished.get(jobId);
    return r ? this.view(r) : undefined;
  }

  async dismiss(jobId: string): Promise<void> {
    if (this.jobs.has(jobId)) throw jobFailures.stillRunning();
    this.finished.delete(jobId);
    await this.journal.remove(jobId);
  }

  /**
   * Tries a job again that stopped on a disk problem (its photos wait in the rescue folder, or
   * on Replicate): it continues from its journaled state, so nothing is paid twice.
   */
  async retry(jobId: string): Promise<JobViewT> {
    const rec = this.finished.get(jobId);
    if (!rec || !isUnfinished(rec)) throw jobFailures.notRetryable();
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
    if (!v) throw jobFailures.unknownJob();
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

  private track(rec: JobRecord): LiveJob {
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const live: LiveJob = { rec, abort: new AbortController(), done, resolveDone };
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

  private emit(rec: JobRecord) {
    this.o.onChange?.(this.view(rec));
  }

  /** Runs the steps the job still needs, from its journaled state; an error decides how it ends. */
  private async drive(live: LiveJob): Promise<void> {
    try {
      const rec = live.rec;
      if (rec.state === 'queued' || rec.state === 'preparing') await prepareAndUpload(this.ctx, live);
      if (rec.state === 'submitted' && !rec.predictionId) await submit(this.ctx, live, !!live.resumed);
      if (rec.state === 'submitted' || rec.state === 'running') await poll(this.ctx, live);
      if (rec.state === 'downloading') await deliver(this.ctx, live);
    } catch (e) {
      const ending = endingAfter(live, e);
      if ('log' in ending && ending.log) this.o.log?.('warn', ending.log);
      await this.end(live, ending);
    }
  }

  /**
   * The one place a job ends (Ending, job-context.ts): its journal entry is removed (saved), kept
   * with the reason (failed, canceled, lost, parked) or left alone (vanished); then it leaves the
   * running jobs, the window hears, wait() returns, and uploads nobody needs any more are swept.
   */
  private async end(live: LiveJob, ending: Ending): Promise<void> {
    const rec = live.rec;
    if (ending.as === 'vanished') {
      this.jobs.delete(rec.id);
      live.resolveDone();
      return;
    }
    if (ending.as === 'parked') {
      // Still in its state; Try again or the next start continues it.
      rec.error = ending.error;
      await this.journal.write(rec).catch(() => {});
    } else {
      rec.state = ending.as;
      if (ending.as === 'saved') delete rec.error;
      else rec.error = ending.error;
      rec.updatedAt = this.now();
      if (ending.as !== 'saved') live.progress = undefined;
      live.status = undefined;
      live.waitingUntil = undefined;
      if (ending.as === 'saved') await this.journal.remove(rec.id);
      else await this.journal.write(rec).catch(() => {});
    }
    this.jobs.delete(rec.id);
    this.finished.set(rec.id, rec);
    this.emit(rec);
    live.resolveDone();
    if (ending.as !== 'parked') void this.sweepUploads();
  }
}
