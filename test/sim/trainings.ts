/**
 * The simulator's trainings: `POST /v1/models` (a destination), `GET /v1/hardware`, and the
 * trainings API (create on a trainer version, get, list with cursors, cancel), with the two FLUX
 * LoRA trainers and what they do to a zip of photos. Wired from server.ts (`TrainingsSim.route`).
 *
 * Sources (read, not imported):
 * - Replicate's HTTP API reference (replicate.com/docs/reference/http, trainings): the training object
 *   `{id, model, version, destination, input, logs, output:{version, weights}, error, status,
 *   created_at, started_at, completed_at, metrics{predict_time, total_time}, urls{web,get,cancel},
 *   source}`, statuses as predictions, output pushed as a new version of the destination;
 * - replicate/flux-fine-tuner train.py (the code of ostris/flux-dev-lora-trainer): its inputs,
 *   defaults and bounds (gradient_checkpointing has no description: `descripton=` is misspelt
 *   there), the secrets, "input_images must be a zip file", `Extracted N files from zip`,
 *   JOB_NAME `flux_train_replicate` (the tqdm prefix), `__MACOSX/` and `._*` skipped;
 * - replicate-python's `Training` model (it carries `destination`).
 * The inputs of replicate/fast-flux-trainer are from its model page, not its code: clients must
 * read them from the version's schema, as they must for the other trainer.
 *
 * A training, like a prediction, is a pure function of the clock: `starting` for bootMs, then
 * `processing` (weights download, unzip, captions, steps × stepMs), then a terminal state.
 *
 * This file owns the endpoints and a training's lifecycle; beside it: trainers.ts (the trainers'
 * inputs and schemas), training-failures.ts (zip inspection, failure modes), training-logs.ts (the
 * logs and tqdm lines), training-record.ts (what is kept about a training).
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { Endpoint, TrainerFault } from './faults';
import {
  hotswapSchema,
  replicateTime,
  validateInput,
  versionIdFor,
  withDefaults,
  type CatalogModel,
  type CogDialect,
} from './model-rules';
import { inspectZip, trainingOutcome } from './training-failures';
import { TrainingLogs } from './training-logs';
import type { TrainingRecord } from './training-record';
import { TRAINERS, asInputDocument } from './trainers';

export {
  FAST_FLUX_TRAINER_INPUTS,
  FLUX_LORA_TRAINER_INPUTS,
  TRAINERS,
  trainerCatalog,
  trainerSchema,
} from './trainers';
export { inspectZip } from './training-failures';

export interface TrainingTiming {
  /** `starting`: queue and boot of the training machine; default 300 */
  bootMs?: number;
  /** per training step; default 4 */
  stepMs?: number;
  /** downloading weights, unzipping, captioning before step 0; and saving after the last; default 100 each */
  setupMs?: number;
}

export type TrainingStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';

export interface TrainingJson {
  id: string;
  model: string;
  version: string;
  destination: string;
  input: Record<string, unknown>;
  logs?: string;
  output: { version: string; weights: string } | null;
  data_removed: boolean;
  error: string | null;
  status: TrainingStatus;
  source?: 'api';
  created_at: string;
  started_at?: string;
  completed_at?: string;
  metrics?: { predict_time?: number; total_time?: number };
  urls: { web: string; get: string; cancel: string };
  webhook?: string;
  webhook_events_filter?: string[];
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: object | null;
}

interface Ctx {
  req: http.IncomingMessage;
  url: URL;
  user: { username: string; credit: 'ok' | 'none' };
  trainerFault?: TrainerFault;
}

/** What the server lends this part: its clock, ids, models, uploaded files, body reader, pages. */
export interface TrainingsHost {
  now(): number;
  baseUrl(): string;
  deliveryOrigin(): string;
  newId(): string;
  nextSeq(): number;
  models: CatalogModel[];
  dialect: CogDialect;
  /** bytes of an uploaded file the user owns, from its `urls.get`; null when it is not one */
  fileBytes(username: string, url: string): Buffer | null;
  readJson(req: http.IncomingMessage): Promise<Record<string, unknown>>;
  paginate<T, J>(items: T[], keyOf: (t: T) => [number, number], url: URL, toJson: (t: T) => J): object;
}

const NOT_FOUND = { detail: 'The requested resource could not be found.', status: 404 };
const json = (status: number, body: object): Reply => ({ status, body });
const problem = (status: number, detail: string, title?: string): Reply =>
  json(status, title ? { title, detail, status } : { detail, status });

/** `GET /v1/hardware` (names as Replicate lists them). */
export const HARDWARE = [
  { name: 'CPU', sku: 'cpu' },
  { name: 'Nvidia T4 GPU', sku: 'gpu-t4' },
  { name: 'Nvidia L40S GPU', sku: 'gpu-l40s' },
  { name: '2x Nvidia L40S GPU', sku: 'gpu-2x-l40s' },
  { name: 'Nvidia A100 (80GB) GPU', sku: 'gpu-a100-large' },
  { name: '2x Nvidia A100 (80GB) GPU', sku: 'gpu-a100-large-2x' },
  { name: 'Nvidia H100 GPU', sku: 'gpu-h100' },
  { name: '8x Nvidia H100 GPU', sku: 'gpu-h100-8x' },
] as const;

interface Snap {
  status: TrainingStatus;
  startedAt: number | null;
  completedAt: number | null;
  logs: string;
  error: string | null;
}

const NAME_RE = /^[a-z0-9][a-z0-9._-]*$/;

export class TrainingsSim {
  private readonly byId = new Map<string, TrainingRecord>();
  readonly counters = { createCalls: 0, trainingsCreated: 0, modelsCreated: 0 };
  private readonly bootMs: number;
  private readonly stepMs: number;
  private readonly setupMs: number;
  private readonly logs: TrainingLogs;

  constructor(
    private readonly host: TrainingsHost,
    timing: TrainingTiming = {},
  ) {
    this.bootMs = timing.bootMs ?? 300;
    this.stepMs = timing.stepMs ?? 4;
    this.setupMs = timing.setupMs ?? 100;
    this.logs = new TrainingLogs(this.setupMs, this.stepMs);
  }

  route(method: string, path: string): { endpoint: Endpoint; run: (c: Ctx) => Promise<Reply> } | null {
    let m: RegExpExecArray | null;
    const seg = '([^/]+)';
    if (path === '/v1/models' && method === 'POST')
      return { endpoint: 'models.create', run: (c) => this.createModel(c) };
    if (path === '/v1/hardware' && method === 'GET')
      return { endpoint: 'hardware.list', run: async () => json(200, [...HARDWARE]) };
    if ((m = new RegExp(`^/v1/models/${seg}/${seg}/versions/${seg}/trainings$`).exec(path)) && method === 'POST') {
      const [, owner, name, version] = m;
      return { endpoint: 'trainings.create', run: (c) => this.create(c, owner!, name!, version!) };
    }
    if (path === '/v1/trainings' && method === 'GET') return { endpoint: 'trainings.list', run: (c) => this.list(c) };
    if ((m = new RegExp(`^/v1/trainings/${seg}$`).exec(path)) && method === 'GET') {
      const id = m[1]!;
      return { endpoint: 'trainings.get', run: (c) => this.get(c, id) };
    }
    if ((m = new RegExp(`^/v1/trainings/${seg}/cancel$`).exec(path)) && method === 'POST') {
      const id = m[1]!;
      return { endpoint: 'trainings.cancel', run: (c) => this.cancel(c, id) };
    }
    return null;
  }

  /** Every training in its state now, newest first (what only the simulator sees, for tests). */
  trainings(): Array<TrainingJson & { createdBy: string }> {
    this.settle();
    return this.sorted().map((r) => ({ ...this.toJson(r, 'get'), createdBy: r.createdBy }));
  }

  /** Pushes the versions of trainings that finished since the last request (called before each). */
  settle(): void {
    const t = this.host.now();
    for (const r of this.byId.values()) {
      if (
        r.pushed ||
        r.outcome.kind !== 'succeeded' ||
        t < r.endAt ||
        (r.canceledAt !== null && r.canceledAt < r.endAt)
      )
        continue;
      const index = r.destination.versions.length;
      r.pushed = {
        id: versionIdFor(r.destination.owner, r.destination.name, index),
        index,
        createdAt: replicateTime(r.endAt),
        predictor: 'hotswap',
        dialect: this.host.dialect,
        cogVersion: '0.9.26',
        schema: hotswapSchema(this.host.dialect),
      };
      r.destination.versions.push(r.pushed);
    }
  }

  // --- models.create ---------------------------------------------------------------------------

  private async createModel({ req, user }: Ctx): Promise<Reply> {
    const body = await this.host.readJson(req);
    const { owner, name, visibility, hardware, description } = body as Record<string, unknown>;
    const missing = ['owner', 'name', 'visibility', 'hardware'].filter((k) => typeof body[k] !== 'string' || !body[k]);
    if (missing.length) {
      return json(422, {
        title: 'Input validation failed',
        detail: missing.map((k) => `- ${k}: ${k} is required\n`).join(''),
        status: 422,
        invalid_fields: missing.map((k) => ({ type: 'required', field: k, description: `${k} is required` })),
      });
    }
    if (owner !== user.username)
      return problem(403, `You do not have permission to create models for ${String(owner)}.`, 'Forbidden');
    if (!NAME_RE.test(name as string))
      return problem(
        400,
        'Model names may contain only lowercase letters, numbers, dashes, underscores and periods, and must start with a letter or number.',
        'Bad request',
      );
    if (visibility !== 'public' && visibility !== 'private')
      return problem(400, 'visibility must be "public" or "private"', 'Bad request');
    if (!HARDWARE.some((h) => h.sku === hardware))
      return problem(400, `Invalid hardware SKU "${String(hardware)}". See GET /v1/hardware.`, 'Bad request');
    if (this.host.models.some((m) => m.owner === owner && m.name === name))
      return problem(409, 'A model with that name and owner already exists.', 'Conflict');
    const model: CatalogModel = {
      owner: owner as string,
      name: name as string,
      description: typeof description === 'string' ? description : '',
      visibility,
      runCount: 0,
      versions: [],
    };
    this.host.models.push(model);
    this.counters.modelsCreated += 1;
    return json(201, {
      url: `https://replicate.com/${model.owner}/${model.name}`,
      owner: model.owner,
      name: model.name,
      description: model.description || null,
      visibility,
      github_url: null,
      paper_url: null,
      license_url: null,
      run_count: 0,
      cover_image_url: null,
      default_example: null,
      latest_version: null,
    });
  }

  // --- trainings ------------------------------------------------------------------------------

  private async create(
    { req, user, trainerFault }: Ctx,
    owner: string,
    name: string,
    versionId: string,
  ): Promise<Reply> {
    this.counters.createCalls += 1;
    const id = this.host.newId();
    const body = await this.host.readJson(req);
    const trainer = TRAINERS.find((t) => t.owner === owner && t.name === name);
    const model = trainer && this.host.models.find((m) => m.owner === owner && m.name === name);
    const version = model?.versions.find((v) => v.id === versionId);
    if (!trainer || !version) return json(404, NOT_FOUND);
    const dest = typeof body.destination === 'string' ? /^([^/\s]+)\/([^/\s]+)$/.exec(body.destination) : null;
    if (!dest) return problem(400, 'destination must be of the form owner/name', 'Bad request');
    const destination = this.host.models.find((m) => m.owner === dest[1] && m.name === dest[2]);
    // A private model of someone else is invisible: the same 404 as a missing one (recorded:
    // replicate-python cassettes trainings-create__invalid-destination.yaml).
    if (!destination || (destination.visibility === 'private' && destination.owner !== user.username))
      return json(404, NOT_FOUND);
    if (destination.owner !== user.username)
      return problem(
        403,
        `You do not have permission to push to ${destination.owner}/${destination.name}.`,
        'Forbidden',
      );
    const doc = asInputDocument(version.schema);
    const input = body.input === undefined ? {} : body.input;
    const invalid = validateInput(doc, input);
    if (invalid.length) {
      return json(422, {
        title: 'Input validation failed',
        detail: invalid.map((f) => `- ${f.field}: ${f.description}\n`).join(''),
        status: 422,
        invalid_fields: invalid,
      });
    }
    if (user.credit === 'none') {
      return problem(
        402,
        'You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit. Once you purchase credit, please wait a few minutes before trying again.',
        'Insufficient credit',
      );
    }
    const sent = input as Record<string, unknown>;
    const full = withDefaults(doc, sent);
    const steps = Number(full[trainer.stepsInput] ?? 1000);
    const url = typeof full.input_images === 'string' ? full.input_images : null;
    const zip = url ? inspectZip(this.host.fileBytes(user.username, url)) : null;
    const outcome = trainingOutcome(url, zip, trainerFault, steps);
    const createdAt = this.host.now();
    const startAt = createdAt + this.bootMs;
    const stepsStartAt = startAt + this.setupMs;
    const fullEnd = stepsStartAt + steps * this.stepMs + this.setupMs;
    const endAt =
      outcome.kind === 'failed' && outcome.atStep === 'setup'
        ? stepsStartAt
        : outcome.kind === 'failed' && typeof outcome.atStep === 'number'
          ? stepsStartAt + outcome.atStep * this.stepMs
          : fullEnd;
    const rec: TrainingRecord = {
      seq: this.host.nextSeq(),
      id,
      createdBy: user.username,
      trainer,
      version,
      destination,
      input: structuredClone(sent),
      createdAt,
      startAt,
      stepsStartAt,
      endAt,
      steps,
      images: zip && zip.zip ? zip.images : 0,
      captions: zip && zip.zip ? zip.captions : 0,
      autocaption: full.autocaption !== false,
      outcome,
      canceledAt: null,
      pushed: null,
      weightsToken: createHash('sha256').update(`${id}/weights`).digest('base64url').replace(/[-_]/g, 'x').slice(0, 49),
    };
    if (typeof body.webhook === 'string') rec.webhook = body.webhook;
    if (Array.isArray(body.webhook_events_filter)) rec.webhookEventsFilter = body.webhook_events_filter as string[];
    this.byId.set(id, rec);
    this.counters.trainingsCreated += 1;
    return json(201, this.toJson(rec, 'create'));
  }

  private own(user: Ctx['user'], id: string): TrainingRecord | null {
    const r = this.byId.get(id);
    return r && r.createdBy === user.username ? r : null;
  }

  private async get({ user }: Ctx, id: string): Promise<Reply> {
    this.settle();
    const r = this.own(user, id);
    return r ? json(200, this.toJson(r, 'get')) : json(404, NOT_FOUND);
  }

  private async cancel({ user }: Ctx, id: string): Promise<Reply> {
    const r = this.own(user, id);
    if (!r) return json(404, NOT_FOUND);
    const t = this.host.now();
    if (r.canceledAt === null && t < r.endAt) r.canceledAt = t;
    this.settle();
    return json(200, this.toJson(r, 'get'));
  }

  private sorted(): TrainingRecord[] {
    return [...this.byId.values()].sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
  }

  private async list({ user, url }: Ctx): Promise<Reply> {
    this.settle();
    const mine = this.sorted().filter((r) => r.createdBy === user.username);
    return json(
      200,
      this.host.paginate(
        mine,
        (r) => [r.createdAt, r.seq],
        url,
        (r) => this.toJson(r, 'list'),
      ),
    );
  }

  // --- state ----------------------------------------------------------------------------------

  private snapshot(r: TrainingRecord, t: number): Snap {
    if (r.canceledAt !== null && r.canceledAt < r.endAt && t >= r.canceledAt) {
      const started = r.canceledAt > r.startAt;
      return {
        status: 'canceled',
        startedAt: started ? r.startAt : null,
        completedAt: r.canceledAt,
        logs: started ? this.logs.logsAt(r, r.canceledAt, false) : '',
        error: null,
      };
    }
    if (t < r.startAt) return { status: 'starting', startedAt: null, completedAt: null, logs: '', error: null };
    if (t < r.endAt)
      return {
        status: 'processing',
        startedAt: r.startAt,
        completedAt: null,
        logs: this.logs.logsAt(r, t, false),
        error: null,
      };
    return {
      status: r.outcome.kind,
      startedAt: r.startAt,
      completedAt: r.endAt,
      logs: this.logs.logsAt(r, r.endAt, true),
      error: r.outcome.kind === 'failed' ? r.outcome.error : null,
    };
  }

  private toJson(r: TrainingRecord, kind: 'create' | 'get' | 'list'): TrainingJson {
    const s = this.snapshot(r, this.host.now());
    if (s.status === 'succeeded' && !r.pushed) this.settle(); // the clock passed endAt since the last settle
    const get = `${this.host.baseUrl()}/trainings/${r.id}`;
    const out: Partial<TrainingJson> = {
      id: r.id,
      model: `${r.trainer.owner}/${r.trainer.name}`,
      version: r.version.id,
      destination: `${r.destination.owner}/${r.destination.name}`,
      input: structuredClone(r.input),
    };
    if (kind !== 'list') out.logs = s.logs;
    out.output =
      s.status === 'succeeded' && r.pushed
        ? { version: r.pushed.id, weights: `${this.host.deliveryOrigin()}/xezq/${r.weightsToken}/trained_model.tar` }
        : null;
    out.data_removed = false;
    out.error = s.error;
    out.status = s.status;
    if (kind !== 'create') out.source = 'api';
    out.created_at = replicateTime(r.createdAt);
    if (s.startedAt !== null) out.started_at = replicateTime(s.startedAt);
    if (s.completedAt !== null) {
      out.completed_at = replicateTime(s.completedAt);
      out.metrics = {
        ...(s.startedAt !== null ? { predict_time: round6((s.completedAt - s.startedAt) / 1000) } : {}),
        total_time: round6((s.completedAt - r.createdAt) / 1000),
      };
    }
    out.urls = { web: `https://replicate.com/p/${r.id}`, get, cancel: `${get}/cancel` };
    if (r.webhook !== undefined) out.webhook = r.webhook;
    if (r.webhookEventsFilter !== undefined) out.webhook_events_filter = r.webhookEventsFilter;
    return out as TrainingJson;
  }
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
