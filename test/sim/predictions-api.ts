/**
 * The predictions API: create (version lookup, input validation with 422 `invalid_fields`, credit,
 * `Prefer: wait` sync mode with 201/202, `Cancel-After`), get, cancel, list with cursors, and the
 * prediction object in the key order of the recorded responses. Mirrors Replicate's OpenAPI
 * `predictions.*` operations and replicate-python's cassettes (reference §2); what the run does is
 * model-rules.ts, its state over time prediction-state.ts.
 */
import type { InputFiles } from './input-files';
import {
  planRun,
  replicateTime,
  validateInput,
  withDefaults,
  type CatalogModel,
  type ModelVersion,
} from './model-rules';
import type { OutputFiles } from './outputs';
import { TERMINAL, snapshot, type PredictionRecord, type Snapshot } from './prediction-state';
import {
  HttpError,
  NOT_FOUND,
  PAGE_SIZE,
  headerValue,
  json,
  paginate,
  parseTimeFilter,
  problem,
  readJson,
  sleep,
  type RequestContext,
  type SimResponse,
  type User,
} from './sim-http';
import type { PredictionJson } from './sim-types';

const INVALID_VERSION = {
  title: 'Invalid version or not permitted',
  detail: "The specified version does not exist (or perhaps you don't have permission to use it?)",
  status: 422,
};
const INSUFFICIENT_CREDIT = {
  title: 'Insufficient credit',
  detail:
    'You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit. Once you purchase credit, please wait a few minutes before trying again.',
  status: 402,
};

/** `Cancel-After`: `30`, `30s`, `5m`, `1h30m45s`; at least 5 s. */
export function parseCancelAfter(value: string): number | null {
  const v = value.trim();
  let sec: number;
  if (/^\d+$/.test(v)) sec = Number(v);
  else {
    const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v);
    if (!m || v === '') return null;
    sec = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  }
  return sec >= 5 ? sec * 1000 : null;
}

/**
 * `Prefer: wait` / `wait=N`. undefined: no wait requested; null: malformed. The API's own pattern,
 * `^wait(=([1-9]|[1-9][0-9]|60))?$`, lets 61–99 through; the hold never exceeds 60 s. `applied` is
 * the preference as the response echoes it in `Preference-Applied` (recorded: `Prefer: wait` gives
 * `Preference-Applied: wait`, `Prefer: wait=10` gives `wait=10`).
 */
export function parsePreferWait(header: string | undefined): { seconds: number; applied: string } | null | undefined {
  if (!header) return undefined;
  const token = header
    .split(',')
    .map((s) => s.trim())
    .find((s) => /^wait\b/i.test(s));
  if (!token) return undefined;
  const m = /^wait(?:=([1-9]|[1-9][0-9]|60))?$/.exec(token);
  if (!m) return null;
  return { seconds: m[1] ? Math.min(60, Number(m[1])) : 60, applied: token };
}

/** What the server lends this part: clock, ids, randomness, models, counters, timing, files. */
export interface PredictionsHost {
  now(): number;
  baseUrl(): string;
  closed(): boolean;
  newId(): string;
  nextSeq(): number;
  modelRandom: () => number;
  models: CatalogModel[];
  counters: { predictionsCreated: number };
  bootMs: number;
  stepMs: number;
  tailMs: number;
  retentionMs: number;
  inputs: InputFiles;
  outputs: OutputFiles;
}

export class PredictionsApi {
  readonly predictionsById = new Map<string, PredictionRecord>();
  private readonly models: CatalogModel[];
  private readonly modelRandom: () => number;
  private readonly now: () => number;
  private readonly counters: PredictionsHost['counters'];
  private readonly bootMs: number;
  private readonly stepMs: number;
  private readonly tailMs: number;
  private readonly retentionMs: number;
  private readonly inputs: InputFiles;
  private readonly outputs: OutputFiles;

  constructor(private readonly host: PredictionsHost) {
    this.models = host.models;
    this.modelRandom = host.modelRandom;
    this.now = () => host.now();
    this.counters = host.counters;
    this.bootMs = host.bootMs;
    this.stepMs = host.stepMs;
    this.tailMs = host.tailMs;
    this.retentionMs = host.retentionMs;
    this.inputs = host.inputs;
    this.outputs = host.outputs;
  }

  private get baseUrl(): string {
    return this.host.baseUrl();
  }

  private get closed(): boolean {
    return this.host.closed();
  }

  private newId(): string {
    return this.host.newId();
  }

  private findVersion(user: User, ref: unknown): { model: CatalogModel; version: ModelVersion } | null {
    if (typeof ref !== 'string') return null;
    const m = /^(?:([^/\s]+)\/([^/:\s]+):)?([0-9a-f]{64})$/.exec(ref);
    if (!m) return null;
    const [, owner, name, id] = m;
    for (const model of this.models) {
      if (model.visibility === 'private' && model.owner !== user.username) continue;
      if (owner !== undefined && (model.owner !== owner || model.name !== name)) continue;
      const version = model.versions.find((v) => v.id === id);
      if (version) return { model, version };
    }
    return null;
  }

  async createPrediction({ req, user }: RequestContext): Promise<SimResponse> {
    // Everything random is drawn before the first await, so a seeded run is reproducible even when
    // requests overlap.
    const id = this.newId();
    const nonce = this.newId();
    const random16 = Math.floor(this.modelRandom() * 65536);
    const random32 = Math.floor(this.modelRandom() * (2 ** 32 - 1));
    const loraLoadSec = 0.4 + this.modelRandom() * 2;

    const body = await readJson(req);
    const wait = parsePreferWait(headerValue(req.headers.prefer));
    if (wait === null) {
      return problem(400, 'Invalid Prefer header: use "wait" or "wait=N" with N from 1 to 60', 'Bad request');
    }
    const cancelAfterHeader = headerValue(req.headers['cancel-after']);
    const cancelAfterMs = cancelAfterHeader === undefined ? null : parseCancelAfter(cancelAfterHeader);
    if (cancelAfterHeader !== undefined && cancelAfterMs === null) {
      return problem(
        400,
        'Invalid Cancel-After header: use a duration such as 30s, 5m or 1h30m45s, at least 5s',
        'Bad request',
      );
    }
    const found = this.findVersion(user, body.version);
    if (!found) return json(422, INVALID_VERSION);
    const { model, version } = found;
    const input = body.input === undefined ? {} : body.input;
    const invalid = validateInput(version.schema, input);
    if (invalid.length) {
      return json(422, {
        title: 'Input validation failed',
        detail: invalid.map((f) => `- ${f.field}: ${f.description}\n`).join(''),
        status: 422,
        invalid_fields: invalid,
      });
    }
    if (user.credit === 'none') return json(402, INSUFFICIENT_CREDIT);

    const sent = input as Record<string, unknown>;
    const full = withDefaults(version.schema, sent);
    const files = await this.inputs.fetchInputFiles(user, full);
    const plan = planRun({
      predictor: version.predictor,
      input: full,
      downloadError: files.error,
      image: files.image,
      mask: files.mask,
      random16: () => random16,
      random32: () => random32,
      loraLoadSec,
    });
    const createdAt = this.now();
    const stepMs = this.stepMs * (plan.markers.slow ? 20 : 1);
    const startAt = createdAt + this.bootMs;
    // VAE decode, safety checker and upload follow a completed denoising loop; a run that failed
    // before or inside it (bad input, OOM) ends right there.
    const tail = plan.barTotal > 0 && plan.barLimit === plan.barTotal ? this.tailMs : 0;
    const rec: PredictionRecord = {
      seq: this.host.nextSeq(),
      id,
      createdBy: user.username,
      model,
      version,
      input: structuredClone(sent),
      createdAt,
      startAt,
      stepsEndAt: startAt + plan.runSteps * stepMs,
      endAt: startAt + plan.runSteps * stepMs + tail,
      stepMs,
      plan,
      deadline: cancelAfterMs === null ? null : createdAt + cancelAfterMs,
      canceledAt: null,
      sources: files.imageBytes || files.maskBytes ? { image: files.imageBytes, mask: files.maskBytes } : null,
      nonce,
      renders: new Map(),
    };
    if (typeof body.webhook === 'string') rec.webhook = body.webhook;
    if (Array.isArray(body.webhook_events_filter)) rec.webhookEventsFilter = body.webhook_events_filter.map(String);
    this.predictionsById.set(id, rec);
    this.counters.predictionsCreated += 1;
    if (rec.plan.outcome.kind === 'succeeded') {
      for (const i of rec.plan.outcome.kept)
        this.outputs.deliveryTokens.set(this.outputs.deliveryToken(rec, i), { id, index: i });
    }

    // What the create answer shows when the prediction has not visibly started: the recorded
    // responses have no started_at/completed_at/metrics keys, logs "", output null.
    const fresh: Snapshot = {
      status: 'starting',
      startedAt: null,
      completedAt: null,
      logs: '',
      output: null,
      error: null,
      removed: false,
    };
    // No Location header on creates (none in any recorded create response, sync or async).
    if (wait === undefined) {
      // The create response is written before the prediction is picked up: always `starting`.
      return json(201, this.predictionJson(rec, fresh, 'create'));
    }
    // Sync mode: hold until terminal, until the output files exist, or until N seconds pass.
    const applied = { 'preference-applied': wait.applied };
    const holdUntil = createdAt + wait.seconds * 1000;
    let snap = snapshot(rec, this.now(), this.retentionMs);
    while (
      !TERMINAL.has(snap.status) &&
      snap.output === null &&
      this.now() < holdUntil &&
      !this.closed &&
      !req.socket.destroyed
    ) {
      await sleep(5);
      snap = snapshot(rec, this.now(), this.retentionMs);
    }
    if (TERMINAL.has(snap.status) || snap.output !== null) {
      if (snap.output) await this.outputs.ensureRenders(rec);
      return json(201, this.predictionJson(rec, snap, 'create'), applied);
    }
    // Out of time. The OpenAPI description of predictions.create: "If this time is exceeded the
    // prediction will be returned in a "starting" state and need to be retrieved using the
    // predictions.get endpoint" (and replicate-python's run.py: "even if it is actually
    // processing"), which is what both official clients test before they poll. The spec's 202 is
    // "created but does not yet have all outputs"; the docs point to the Location header here.
    return json(202, this.predictionJson(rec, fresh, 'create'), {
      ...applied,
      location: `${this.baseUrl}/predictions/${id}`,
    });
  }

  /**
   * `create`: the answer to POST (no `source`); `list`: a list item (no `logs`); `get`: the full
   * object. Keys appear in the order of the recorded responses, `started_at`/`completed_at`/
   * `metrics` only once they have a value.
   */
  predictionJson(rec: PredictionRecord, s: Snapshot, kind: 'create' | 'get' | 'list' = 'get'): PredictionJson {
    const get = `${this.baseUrl}/predictions/${rec.id}`;
    const out: Partial<PredictionJson> = {
      id: rec.id,
      model: `${rec.model.owner}/${rec.model.name}`,
      version: rec.version.id,
      input: s.removed ? {} : structuredClone(rec.input),
    };
    if (kind !== 'list') out.logs = s.removed ? '' : s.logs;
    out.output = s.removed || !s.output ? null : s.output.map((i) => this.outputs.outputUrl(rec, i));
    out.data_removed = s.removed;
    out.error = s.error;
    out.status = s.status;
    if (kind !== 'create') out.source = 'api';
    out.created_at = replicateTime(rec.createdAt);
    if (s.startedAt !== null) out.started_at = replicateTime(s.startedAt);
    if (s.completedAt !== null) {
      out.completed_at = replicateTime(s.completedAt);
      const metrics: NonNullable<PredictionJson['metrics']> = {};
      if (s.startedAt !== null) metrics.predict_time = round6((s.completedAt - s.startedAt) / 1000);
      metrics.total_time = round6((s.completedAt - rec.createdAt) / 1000);
      out.metrics = metrics;
    }
    out.urls = { web: `https://replicate.com/p/${rec.id}`, get, cancel: `${get}/cancel` };
    if (rec.deadline !== null) out.deadline = replicateTime(rec.deadline);
    if (rec.webhook !== undefined) out.webhook = rec.webhook;
    if (rec.webhookEventsFilter !== undefined) out.webhook_events_filter = rec.webhookEventsFilter;
    return out as PredictionJson;
  }

  private ownPrediction(user: User, id: string): PredictionRecord {
    const rec = this.predictionsById.get(id);
    if (!rec || rec.createdBy !== user.username) throw new HttpError(json(404, NOT_FOUND));
    return rec;
  }

  async getPrediction({ user }: RequestContext, id: string): Promise<SimResponse> {
    const rec = this.ownPrediction(user, id);
    const snap = snapshot(rec, this.now(), this.retentionMs);
    // Replicate sets `output` only once the files are uploaded: render before answering.
    if (snap.output && !snap.removed) await this.outputs.ensureRenders(rec);
    return json(200, this.predictionJson(rec, snap));
  }

  async cancelPrediction({ user }: RequestContext, id: string): Promise<SimResponse> {
    const rec = this.ownPrediction(user, id);
    const t = this.now();
    if (!TERMINAL.has(snapshot(rec, t, this.retentionMs).status) && rec.canceledAt === null) rec.canceledAt = t;
    const snap = snapshot(rec, t, this.retentionMs);
    if (snap.output && !snap.removed) await this.outputs.ensureRenders(rec);
    return json(200, this.predictionJson(rec, snap));
  }

  sortedPredictions(): PredictionRecord[] {
    return [...this.predictionsById.values()].sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
  }

  async listPredictions({ user, url }: RequestContext): Promise<SimResponse> {
    const after = parseTimeFilter(url, 'created_after');
    const before = parseTimeFilter(url, 'created_before');
    const t = this.now();
    const mine = this.sortedPredictions().filter(
      (p) =>
        p.createdBy === user.username &&
        (after === null || p.createdAt >= after) &&
        (before === null || p.createdAt < before),
    );
    return json(
      200,
      paginate(
        mine,
        (p) => [p.createdAt, p.seq],
        url,
        PAGE_SIZE,
        (p) => this.predictionJson(p, snapshot(p, t, this.retentionMs), 'list'),
      ),
    );
  }
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
