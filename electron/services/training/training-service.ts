/**
 * Trains the person's own FLUX LoRA model from their selfies on Replicate, and keeps the training
 * alive across restarts: check the photos, zip them, upload the zip (Files API), create the
 * private destination model if it is missing, start the training on the trainer's current
 * version, poll it (progress from the logs, elapsed time, an estimate, the cost), and record the
 * new version with its trigger word so the studio can use it at once. Every state is journaled
 * before the side effect it announces (training-journal.ts); every failure is said in the words
 * of training-failures.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Sharp } from 'sharp';
import { StudioError, toErrorShape } from '../../../shared/errors';
import type { TrainingViewT } from '../../../shared/ipc/contract';
import { MIN_TRAINING_PHOTOS } from '../../../shared/training/training';
import type { ImageInput } from '../images/image-types';
import { defaultSleep, httpStatusOf, type CallOptions, type ReplicateGateway } from '../replicate/gateway';
import type { ModelRegistry } from '../replicate/model-registry';
import type { PriceTable, TrainingPrices } from './prices';
import { TrainerCatalog } from './trainers';
import { TrainingsApi, type Training } from './trainings-api';
import { trainingFailures, trainingWaiting, type TrainingFailure } from './training-failures';
import { isActive, type TrainingJournal, type TrainingRecord } from './training-journal';
import { parseTrainingProgress } from './training-log';
import type { TrainingSetChecker } from './training-set-checker';
import type { TrainedModelRecord, TrainedModels } from './trained-models';
import { trainingView } from './training-view';
import { planStart, type StartSettings } from './training-start';
import type { Live, TrainingRunContext } from './training-run';
import { prepareAndUpload } from './training-upload';
import { ensureDestination } from './training-destination';
import { submit } from './training-submit';

export interface TrainingServiceOptions {
  gateway: ReplicateGateway;
  registry: ModelRegistry;
  journal: TrainingJournal;
  trained: TrainedModels;
  prices: TrainingPrices;
  checker: TrainingSetChecker;
  /** oriented, metadata-free decode of a photo (ImagePipeline.decode) */
  decode: (input: ImageInput) => Promise<Sharp>;
  onChange?: (view: TrainingViewT) => void;
  /** a new version is recorded: e.g. fill in its trigger word in Settings */
  onTrained?: (m: TrainedModelRecord) => void | Promise<void>;
  /** starts the new model's first test photo (a normal job); its job and run are kept with the training */
  firstPhoto?: (m: TrainedModelRecord) => Promise<{ jobId: string; runId: string }>;
  /** the destination's hardware for POST /v1/models (default gpu-h100, what trained FLUX versions run on) */
  hardware?: string;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  pollMinMs?: number;
  pollMaxMs?: number;
  log?: (level: 'info' | 'warn', msg: string) => void;
}

export interface TrainingStart extends StartSettings {
  photos: Array<{ file: string; caption?: string }>;
  /** train on every readable photo, also those the check flagged */
  includeFlagged?: boolean;
  /** the person checked and chose these photos already (the Train view's set): not checked again */
  chosen?: boolean;
}

export class TrainingService {
  readonly api: TrainingsApi;
  readonly trainers: TrainerCatalog;
  private readonly live = new Map<string, Live>();
  private readonly history = new Map<string, TrainingRecord>();
  private prices: PriceTable | null = null;
  private readonly sleep: NonNullable<TrainingServiceOptions['sleep']>;
  private readonly now: () => number;

  private readonly ctx: TrainingRunContext;

  constructor(private readonly o: TrainingServiceOptions) {
    this.api = new TrainingsApi(o.gateway);
    this.trainers = new TrainerCatalog(o.gateway);
    this.sleep = o.sleep ?? defaultSleep;
    this.now = o.now ?? Date.now;
    this.ctx = {
      gateway: o.gateway,
      api: this.api,
      journal: o.journal,
      decode: o.decode,
      hardware: o.hardware ?? 'gpu-h100',
      write: (l, patch) => this.write(l, patch),
      emit: (l) => this.emit(l),
      call: (l, persistent) => this.call(l, persistent),
      sleep: (ms) => this.sleep(ms),
      log: (level, msg) => o.log?.(level, msg),
    };
  }

  /** the price table's file, which the person may edit */
  get priceFile(): string {
    return this.o.prices.path;
  }

  async priceTable(opts: { writeDefault?: boolean } = {}): Promise<PriceTable> {
    this.prices = await this.o.prices.table(opts);
    return this.prices;
  }

  // ---------- start ----------

  /** Checks everything it can before anything is written or sent; returns once `queued` is journaled. */
  async start(req: TrainingStart): Promise<TrainingViewT> {
    const plan = await planStart(req, (ref) => this.trainers.get(ref));
    let photos = req.photos;
    if (!req.chosen) {
      const check = await this.o.checker.check(
        req.photos.map((p) => ({ file: p.file })),
        { minImages: MIN_TRAINING_PHOTOS },
      );
      const usable = check.images.filter((i) => i.ok || (req.includeFlagged && i.readable !== false));
      if (!usable.length && req.includeFlagged) throw trainingFailures.noReadablePhotos();
      if (usable.length < MIN_TRAINING_PHOTOS)
        throw trainingFailures.tooFewPhotos(
          usable.length,
          check.images.filter((i) => !i.ok).map((i) => ({ file: i.file, problems: i.problems })),
        );
      const chosen = new Set(usable.map((i) => i.file));
      photos = req.photos.filter((p) => chosen.has(p.file));
    } else if (photos.length < MIN_TRAINING_PHOTOS) {
      throw trainingFailures.tooFewPhotos(photos.length, []);
    }

    const owner = plan.owner ?? (await this.o.gateway.account()).username;
    const t = this.now();
    const rec: TrainingRecord = {
      v: 1,
      id: `t${t.toString(36)}${randomUUID().slice(0, 8)}`,
      state: 'queued',
      request: {
        photos: photos.map((p) => (p.caption?.trim() ? { file: p.file, caption: p.caption.trim() } : { file: p.file })),
        destination: `${owner}/${plan.modelName}`,
        triggerWord: req.triggerWord,
        trainer: plan.trainer.ref,
        input: plan.input,
      },
      createdAt: t,
      updatedAt: t,
    };
    try {
      await this.o.journal.write(rec);
    } catch (e) {
      throw trainingFailures.diskBeforeSending(e);
    }
    await this.priceTable({ writeDefault: true });
    const queued = this.view(rec);
    this.launch(rec);
    return queued;
  }

  /** Continues every training a previous process left unfinished; returns their views. */
  async resume(): Promise<TrainingViewT[]> {
    const out: TrainingViewT[] = [];
    if (!this.prices) await this.priceTable();
    for (const rec of await this.o.journal.all()) {
      if (this.live.has(rec.id)) continue;
      if (!isActive(rec)) {
        this.history.set(rec.id, rec);
        continue;
      }
      delete rec.error; // a parked training continues: its old reason no longer holds
      out.push(this.view(this.launch(rec).rec));
    }
    return out;
  }

  /** Starts the same photos and settings again, as a new training (after a platform fault). */
  async retry(id: string): Promise<TrainingViewT> {
    const rec = this.history.get(id) ?? (await this.o.journal.all()).find((r) => r.id === id);
    if (!rec) throw trainingFailures.unknownTraining();
    if (rec.state !== 'failed' || !rec.retryable) throw trainingFailures.notRetryable();
    const { photos, destination, triggerWord, trainer, input } = rec.request;
    return this.start({ photos, name: destination, triggerWord, trainer, input, chosen: true });
  }

  async cancel(id: string): Promise<TrainingViewT> {
    const l = this.live.get(id);
    if (!l) throw this.history.has(id) ? trainingFailures.notRunning() : trainingFailures.unknownTraining();
    l.rec.cancelRequested = true;
    await this.write(l);
    if (l.rec.trainingId)
      await this.api
        .cancel(l.rec.trainingId)
        .catch((e) => this.o.log?.('warn', `cancel ${l.rec.trainingId}: ${String(e)}`));
    else if (l.rec.state !== 'submitted') l.abort.abort(new StudioError('canceled', 'Canceled.'));
    return this.view(l.rec);
  }

  async list(): Promise<TrainingViewT[]> {
    await this.priceTable();
    for (const rec of await this.o.journal.all()) if (!this.live.has(rec.id)) this.history.set(rec.id, rec);
    return [...this.live.values()]
      .map((l) => l.rec)
      .concat([...this.history.values()].filter((r) => !this.live.has(r.id)))
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((r) => this.view(r));
  }

  trainedModels(): Promise<TrainedModelRecord[]> {
    return this.o.trained.list();
  }

  /** Resolves when the training has ended (for the CLI and tests). */
  async wait(id: string): Promise<TrainingViewT> {
    const l = this.live.get(id);
    if (l) await l.done;
    const rec = this.history.get(id);
    if (!rec) throw trainingFailures.unknownTraining();
    return this.view(rec);
  }

  async idle(): Promise<void> {
    while (this.live.size) await Promise.all([...this.live.values()].map((l) => l.done));
  }

  // ---------- running ----------

  private launch(rec: TrainingRecord): Live {
    const l: Live = { rec, abort: new AbortController(), done: Promise.resolve() };
    this.live.set(rec.id, l);
    l.done = this.run(l).finally(() => {
      this.live.delete(rec.id);
      this.history.set(rec.id, rec);
    });
    return l;
  }

  private async write(l: Live, patch: Partial<TrainingRecord> = {}): Promise<void> {
    Object.assign(l.rec, patch, { updatedAt: this.now() });
    await this.o.journal.write(l.rec);
    this.emit(l);
  }

  private emit(l: Live): void {
    this.o.onChange?.(this.view(l.rec, l));
  }

  /** Calls that a billed training depends on never give up on a bad minute or a lost network. */
  private call(l: Live, persistent: boolean): CallOptions {
    return {
      persistent,
      ...(persistent ? {} : { signal: l.abort.signal }),
      onWait: ({ reason, ms }) => {
        l.status = trainingWaiting(reason, ms);
        this.emit(l);
      },
    };
  }

  private async end(l: Live, state: 'succeeded' | 'failed' | 'canceled', f?: TrainingFailure): Promise<void> {
    const patch: Partial<TrainingRecord> = { state };
    if (f) {
      const { retryable, ...shape } = f;
      patch.error = shape;
      if (retryable) patch.retryable = true;
    }
    l.status = undefined;
    await this.write(l, patch);
    // The zip holds the person's photos: it leaves Replicate and this computer once it is not needed.
    if (l.rec.zipFileId) await this.o.gateway.deleteFile(l.rec.zipFileId).catch(() => {});
    await this.o.journal.removeZip(l.rec.id).catch(() => {});
  }

  private async run(l: Live): Promise<void> {
    const rec = l.rec;
    try {
      if (rec.state === 'queued' || rec.state === 'preparing' || rec.state === 'uploading')
        await prepareAndUpload(this.ctx, l);
      if (rec.state === 'uploading') {
        await ensureDestination(this.ctx, l);
        if (rec.cancelRequested) return await this.end(l, 'canceled', trainingFailures.canceled(false));
        const trainer = await this.trainers.get(rec.request.trainer);
        await this.write(l, { state: 'submitted', submittedAt: this.now(), trainerVersion: trainer.versionId });
        await submit(this.ctx, l, false);
      } else if (rec.state === 'submitted') {
        await submit(this.ctx, l, true);
      }
      if (rec.state === 'running') await this.poll(l);
    } catch (e) {
      const shape =
        e instanceof StudioError && e.code === 'canceled' && rec.cancelRequested
          ? trainingFailures.canceled(rec.state === 'submitted' || rec.state === 'running')
          : toTrainingFailure(e);
      this.o.log?.('warn', `training ${rec.id} stopped in ${rec.state}: ${shape.message}`);
      // Once a training exists or may exist, only Replicate's own answer ends it: anything else
      // (a disk that cannot be written, a crash in a step) parks it, still journaled as it was,
      // and the next resume continues it without starting a second one.
      const definite =
        (e as { failure?: unknown } | null)?.failure !== undefined ||
        (httpStatusOf(e) ?? 0) >= 400 ||
        shape.code === 'canceled';
      if ((rec.state === 'submitted' || rec.state === 'running') && !definite) {
        const { retryable: _r, ...kept } = trainingFailures.kept(shape);
        l.status = kept.message;
        rec.error = kept;
        await this.o.journal.write(rec).catch(() => {});
        this.emit(l);
        return;
      }
      await this.end(l, shape.code === 'canceled' ? 'canceled' : 'failed', shape).catch(() => {});
    }
  }

  private async poll(l: Live): Promise<void> {
    const rec = l.rec;
    const min = this.o.pollMinMs ?? 2000;
    const max = this.o.pollMaxMs ?? 15_000;
    let delay = min;
    for (;;) {
      const t = await this.api.get(rec.trainingId!, this.call(l, true));
      if (t.started_at) rec.startedAt = Date.parse(t.started_at);
      const p = parseTrainingProgress(t.logs);
      if (p) l.progress = p;
      l.status =
        t.status === 'starting'
          ? 'Waiting for a GPU on Replicate…'
          : p
            ? undefined
            : 'Preparing the photos on Replicate (downloading the base model, captioning)…';
      if (t.status === 'succeeded' || t.status === 'failed' || t.status === 'canceled' || t.status === 'aborted')
        return this.finish(l, t);
      this.emit(l);
      if (rec.cancelRequested) await this.api.cancel(rec.trainingId!).catch(() => {});
      await this.sleep(delay);
      delay = Math.min(max, Math.round(delay * 1.5));
    }
  }

  private async finish(l: Live, t: Training): Promise<void> {
    const rec = l.rec;
    if (t.completed_at) rec.completedAt = Date.parse(t.completed_at);
    if (t.metrics?.predict_time !== undefined) rec.predictTime = t.metrics.predict_time;
    if (t.status === 'canceled' || t.status === 'aborted')
      return this.end(l, 'canceled', trainingFailures.canceled(t.status === 'canceled'));
    if (t.status === 'failed') return this.end(l, 'failed', trainingFailures.trainerFailed(t.error));
    // output.version is the new version's id (some answers write owner/name:id)
    const versionId = String(t.output?.version ?? '')
      .split(':')
      .pop()!;
    if (!/^[0-9a-f]{64}$/.test(versionId))
      return this.end(l, 'failed', trainingFailures.trainerFailed('the training ended without a new version'));
    const ref = `${rec.request.destination}:${versionId}`;
    // Its inference schema is read from the version itself (and cached for offline use) before
    // it is offered; until Replicate answers, the training stays `running` and asks again.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.o.registry.resolve(ref, { refresh: true });
        break;
      } catch (e) {
        const shape = toErrorShape(e);
        if (!['network', 'server', 'rate_limited'].includes(shape.code) || attempt >= 20)
          return this.end(l, 'failed', trainingFailures.versionUnreadable(ref, shape.message));
        l.status = trainingFailures.versionUnreadable(ref, shape.message).message;
        this.emit(l);
        await this.sleep(Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
      }
    }
    const model: TrainedModelRecord = {
      ref,
      destination: rec.request.destination,
      versionId,
      triggerWord: rec.request.triggerWord,
      trainer: rec.request.trainer,
      trainingId: rec.trainingId!,
      trainedAt: rec.completedAt ?? this.now(),
    };
    await this.o.trained.record(model);
    // Filling in Settings is a convenience: it must not stop the training from being recorded.
    await Promise.resolve()
      .then(() => this.o.onTrained?.(model))
      .catch((e) => this.o.log?.('warn', `after training ${rec.id}: ${e instanceof Error ? e.message : String(e)}`));
    rec.versionId = versionId;
    await this.startFirstPhoto(l, model);
    await this.end(l, 'succeeded');
  }

  /**
   * The new model's first test photo, so the person sees themselves at once. Journaled as asked
   * before it is started: a process killed in between never makes a second one (it is a paid
   * photo); one that could not start is said on the training, which still succeeded.
   */
  private async startFirstPhoto(l: Live, model: TrainedModelRecord): Promise<void> {
    if (!this.o.firstPhoto || l.rec.firstPhoto) return;
    await this.write(l, { firstPhoto: { asked: true } });
    try {
      const { jobId, runId } = await this.o.firstPhoto(model);
      l.rec.firstPhoto = { asked: true, jobId, runId };
    } catch (e) {
      const message = toErrorShape(e).message;
      this.o.log?.('warn', `first test photo of ${model.ref}: ${message}`);
      l.rec.firstPhoto = { asked: true, error: message };
    }
  }

  // ---------- views ----------

  view(rec: TrainingRecord, l: Live | undefined = this.live.get(rec.id)): TrainingViewT {
    return trainingView(rec, {
      progress: l?.progress,
      status: l?.status,
      prices: this.prices,
      serverNow: this.now() + (this.o.gateway.serverClockSkewMs() ?? 0),
    });
  }
}

/** Any error a step threw, as the sentence a person reads. */
function toTrainingFailure(e: unknown): TrainingFailure {
  const f = (e as { failure?: TrainingFailure } | null)?.failure;
  if (f) return f;
  return toErrorShape(e);
}
