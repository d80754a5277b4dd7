/**
 * When to ask Replicate again about a running prediction. Outputs are worth most the moment they
 * exist (a person is watching; Replicate deletes them after an hour), and every request counts
 * against the rate limit, so the engine asks rarely while nothing can change and often right when
 * the photos should be done:
 *
 *  - `starting` (queued, or a GPU booting): back off, 1 s growing to `maxMs` (4 s). Nothing to predict.
 *  - `processing` with a step counter in the logs: the steps seen at two moments give the pace,
 *    the pace gives when the last step ends, and the time the model needs after it (decoding, the
 *    safety checker, uploading: learned from earlier jobs) gives the expected end. Each wait is
 *    half the time left, so the requests land densely near the end and sparsely before it.
 *  - past the expected end: every `minMs`, easing off if the model is much slower than expected.
 *
 * Pure and clock-free (the caller passes `now`), so it is tested step by step.
 */
export interface PollObservation {
  now: number;
  status: string;
  /** denoising step counter from the logs, if any */
  step?: number;
  total?: number;
}

export interface PollPlanner {
  observe(o: PollObservation): void;
  /** milliseconds to wait before the next request */
  nextDelay(now: number): number;
  /** the prediction finished at `now` (first seen terminal): lets the planner learn */
  finished(now: number): void;
}

export interface AdaptivePlanOptions {
  minMs?: number;
  maxMs?: number;
  /** what the model needs after its last step, before the first job has measured it */
  tail?: TailMemory;
}

/**
 * Time from the last denoising step to `succeeded`, remembered across jobs of one engine (an
 * exponentially weighted mean; it depends on the model, the output format and the image count,
 * which stay much the same between a person's jobs).
 */
export class TailMemory {
  constructor(private ms = 1000) {}
  get value(): number {
    return this.ms;
  }
  learn(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0 || ms > 120_000) return;
    this.ms = Math.round(this.ms * 0.6 + ms * 0.4);
  }
}

export class AdaptivePollPlanner implements PollPlanner {
  private readonly minMs: number;
  private readonly maxMs: number;
  private readonly tail: TailMemory;
  private status = '';
  private startingDelay: number;
  /** first and latest moments a step count was seen (the pace between them) */
  private first?: { t: number; step: number };
  private last?: { t: number; step: number };
  private total = 0;
  /** when the last step is expected to end, on our clock */
  private stepsEnd?: number;
  private lateSince?: number;

  constructor(o: AdaptivePlanOptions = {}) {
    this.minMs = o.minMs ?? 100;
    this.maxMs = Math.max(this.minMs, o.maxMs ?? 4000);
    this.tail = o.tail ?? new TailMemory();
    this.startingDelay = this.firstStartingDelay();
  }

  observe(o: PollObservation): void {
    if (o.status !== this.status) {
      this.status = o.status;
      if (o.status === 'starting') this.startingDelay = this.firstStartingDelay();
    }
    if (o.step === undefined || !o.total) return;
    this.total = o.total;
    // A count seen for the first time: it changed somewhere in the last interval; take the moment
    // it was seen (a late estimate only makes the expected end a little later).
    if (!this.last || o.step !== this.last.step) {
      const sample = { t: o.now, step: o.step };
      if (!this.first || o.step < this.first.step) this.first = sample;
      this.last = sample;
    }
    const pace = this.paceMs();
    if (pace !== null && this.last) this.stepsEnd = this.last.t + (this.total - this.last.step) * pace;
    else if (o.step >= o.total) this.stepsEnd = this.last?.t ?? o.now;
  }

  private firstStartingDelay() {
    return Math.min(this.maxMs, Math.max(this.minMs, 1000));
  }

  /** Milliseconds per step, from two different counts seen at two moments. */
  private paceMs(): number | null {
    if (!this.first || !this.last || this.last.step <= this.first.step) return null;
    return (this.last.t - this.first.t) / (this.last.step - this.first.step);
  }

  private expectedEnd(): number | undefined {
    return this.stepsEnd === undefined ? undefined : this.stepsEnd + this.tail.value;
  }

  nextDelay(now: number): number {
    if (this.status === 'starting' || !this.status) {
      const d = this.startingDelay;
      this.startingDelay = Math.min(this.maxMs, Math.round(this.startingDelay * 1.5));
      return d;
    }
    const end = this.expectedEnd();
    if (end === undefined) return Math.min(this.maxMs, 1000); // processing, no counter yet
    const left = end - now;
    if (left > this.minMs) {
      this.lateSince = undefined;
      return Math.min(this.maxMs, Math.max(this.minMs, Math.round(left / 2)));
    }
    // Past the expected end: ask often, but a model much slower than its pace said gets a
    // growing pause (up to 1 s) rather than ten requests a second for minutes.
    this.lateSince ??= now;
    const late = now - this.lateSince;
    return Math.min(this.maxMs, Math.min(1000, this.minMs + Math.round(late / 10)));
  }

  finished(now: number): void {
    if (this.stepsEnd !== undefined) this.tail.learn(now - this.stepsEnd);
  }
}
