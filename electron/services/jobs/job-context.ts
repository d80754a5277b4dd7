/**
 * What the pipeline's steps (steps/) share with the engine: the engine's options, a job held in
 * memory while it runs (LiveJob), and the few things every step does the same way: journal a
 * record before the side effect it announces, move to a state, make a call that waits rather
 * than give up a paid photo. The engine builds one JobContext; each step is a function of it.
 */
import type { StudioErrorShape } from '../../../shared/errors';
import type { JobViewT } from '../../../shared/ipc/contract';
import type { MaskBitmap } from '../../../shared/images';
import type { CallOptions, ReplicateGateway } from '../replicate/gateway';
import type { LogProgress } from '../replicate/logs';
import type { ModelRegistry } from '../replicate/model-registry';
import type { Library } from '../library/library';
import type { PreparedImage, RasterizedMask } from '../images/image-types';
import { waitingStatus } from './failures';
import type { ImageOps } from './image-ops';
import type { JobJournal, JobRecord } from './journal';
import type { PollPlanner, TailMemory } from './poll-planner';
import type { UploadCache } from './upload-cache';

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

/** Thrown by the test hook to stop a job as if the process had died. */
export class SimulatedCrash extends Error {}

/** How a job leaves this process's hands; JobEngine.end() is the one place that carries it out. */
export type Ending =
  /** saved in the library: its journal entry is removed */
  | { as: 'saved' }
  /** over for good: the journal keeps the entry (with the reason) until the person dismisses it */
  | { as: 'failed' | 'canceled' | 'lost'; error: StudioErrorShape; log?: string }
  /** stopped part-way, still in its state: shown with Try again, resumed at the next start */
  | { as: 'parked'; error: StudioErrorShape }
  /** gone from this process only, the journal as it was: the test hook "killed" it, or it was never journaled */
  | { as: 'vanished' };

/** What start() prepared while validating: the files are written when the job is prepared. */
export interface Prepared {
  image: PreparedImage;
  mask?: RasterizedMask;
}

/** A job of this process, from start() (or resume) until it ends: its record plus what is only in memory. */
export interface LiveJob {
  rec: JobRecord;
  prepared?: Prepared;
  /** Replicate answered the create with a refusal: nothing was made, so the job can end. */
  refused?: boolean;
  progress?: LogProgress;
  status?: string;
  waitingUntil?: number;
  abort: AbortController;
  /** the painted mask, until it is prepared (it is never journaled) */
  mask?: MaskBitmap;
  /** picked up from the journal: a create may already have been sent */
  resumed?: boolean;
  done: Promise<void>;
  resolveDone: () => void;
}

export interface JobContext {
  readonly o: EngineOptions;
  readonly journal: JobJournal;
  /** how long this model takes after its last step, learned from this engine's jobs */
  readonly tail: TailMemory;
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** tells the window (onChange) how the job looks now */
  emit(rec: JobRecord): void;
  /** prediction ids that belong to other jobs of this engine, running or finished */
  claimedPredictionIds(except: LiveJob): Set<string>;
  /** the one way a job ends (job-engine.ts) */
  end(live: LiveJob, ending: Ending): Promise<void>;
}

/** Journals the record, then tells the window and runs the test hook (which may "crash" here). */
export async function persist(ctx: JobContext, rec: JobRecord): Promise<void> {
  rec.updatedAt = ctx.now();
  await ctx.journal.write(rec);
  ctx.emit(rec);
  await ctx.o.afterJournal?.(rec);
}

/** Moves the job to `state` (with `patch`), journaled before whatever that state announces. */
export async function transition(
  ctx: JobContext,
  live: LiveJob,
  state: JobRecord['state'],
  patch: Partial<JobRecord> = {},
): Promise<void> {
  Object.assign(live.rec, patch, { state });
  live.status = undefined;
  live.waitingUntil = undefined;
  await persist(ctx, live.rec);
}

/**
 * Every call a job makes is persistent: a photo that is (or may be) paid for is never given up
 * because Replicate had a bad minute or the network went away; the job waits and says so.
 */
export function callOptions(ctx: JobContext, live: LiveJob): CallOptions {
  return {
    signal: live.abort.signal,
    persistent: true,
    onWait: ({ reason, ms }) => {
      live.waitingUntil = ms > 0 ? ctx.now() + ms : undefined;
      // The last "about N s left" from the logs is no longer known while we cannot ask.
      if (live.progress?.etaSec !== undefined)
        live.progress = { step: live.progress.step, total: live.progress.total, percent: live.progress.percent };
      live.status = waitingStatus(reason, ms, !!live.rec.predictionId);
      ctx.emit(live.rec);
    },
  };
}
