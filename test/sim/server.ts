/**
 * A local stand-in for api.replicate.com and replicate.delivery, faithful to reference §1 and §2 and
 * to Replicate's OpenAPI document and recorded responses (see the notes at each rule): the same
 * routes, bodies, headers, status codes and error texts, the model's size/seed/safety rules, real
 * output images, data retention, and injectable network failures. The app is developed and tested
 * against it; it is never the app's backend, and it imports nothing from the app.
 *
 * Two listeners, like the real service: the API origin (`baseUrl`, `origin`) and a delivery origin
 * (`deliveryOrigin`) that serves the output files, so a test can tell which host a request reached
 * and whether it carried the token (`stats().requests[i].origin/authorized`).
 *
 * Prediction state is a pure function of the clock (created → starting for bootMs → processing for
 * steps × stepMs + tailMs → terminal), so no timers run, tests can drive time with `now`, and a
 * prediction keeps advancing while the simulator is offline.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultInjector, faultResponse, mulberry32, type Endpoint, type FaultAction, type FaultRule } from './faults';
import {
  DEFAULT_MODEL,
  PIL_BOMB_LIMIT,
  buildCatalogModel,
  logsAt,
  planRun,
  replicateTime,
  validateInput,
  withDefaults,
  type CatalogModel,
  type CogDialect,
  type DecodedInput,
  type ModelVersion,
  type RunPlan,
  type SimModel,
} from './model-rules';
import { probeImage, renderOutput, type RenderedImage } from './render';
import { TrainingsSim, trainerCatalog, type TrainingJson, type TrainingTiming } from './trainings';

export type { Endpoint, FaultRule } from './faults';
export type { SimModel, SimVersionSpec, OpenApiSchema, CogDialect } from './model-rules';
export { legacySchema, hotswapSchema } from './model-rules';
export { COG_DIALECTS, buildCogDocument } from './cog-schema';
export type { TrainingJson, TrainingTiming } from './trainings';

export interface SimTiming {
  /** time a prediction stays `starting` (queue + cold boot); default 300 */
  bootMs?: number;
  /** per denoising step; default 15 */
  stepMs?: number;
  /** after the last denoising step until `succeeded`: VAE decode, safety checker, upload; default 0 */
  tailMs?: number;
}

/** `realistic: true`: a cold boot, FLUX dev bf16 speed for the model card's 4 × 1344×768, and the tail. */
export const REALISTIC_TIMING: Required<SimTiming> = { bootMs: 3000, stepMs: 300, tailMs: 1200 };

export interface SimOptions {
  /** API port; 0 = random (default 0) */
  port?: number;
  /** delivery (output files) port; 0 = random (default 0) */
  deliveryPort?: number;
  /** default '127.0.0.1' */
  host?: string;
  /** default { r8_sim_token: { username: 'sim-user', name: 'Sim User' } } */
  tokens?: Record<string, { username: string; name?: string; credit?: 'ok' | 'none' }>;
  /** makes fault probabilities, random seeds and ids deterministic */
  seed?: number;
  /** see SimTiming; fields given here override the `realistic` preset */
  timing?: SimTiming;
  /** REALISTIC_TIMING instead of the fast defaults (boot 3 s, 0.3 s per step, 1.2 s tail) */
  realistic?: boolean;
  /** default 3_600_000: outputs/inputs/logs removed this long after completion */
  retentionMs?: number;
  /** default 24 h: uploaded files expire */
  fileTtlMs?: number;
  /** default 100 MiB: larger uploads get 413 */
  maxFileBytes?: number;
  /** clock, default Date.now */
  now?: () => number;
  faults?: FaultRule[];
  /** Cog dialect of every version's openapi_schema unless the model or version names one; default 'cog-allof' */
  schemaDialect?: CogDialect;
  /** overrides for sandrasocial/sseelfie-ai itself, e.g. `{ dialect: 'cog-bare-ref' }` or more versions */
  defaultModel?: Partial<Omit<SimModel, 'owner' | 'name'>>;
  /** more models, e.g. a private one or one with an old-schema version */
  extraModels?: SimModel[];
  /** how long trainings take (test/sim/trainings.ts): boot 300 ms, 4 ms per step, 100 ms setup */
  trainingTiming?: TrainingTiming;
}

export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';

/**
 * The prediction object as the API returns it (OpenAPI `schemas_prediction_response`; key order and
 * presence as in the recorded responses of replicate-python's cassettes): `started_at` appears once
 * the model started, `completed_at` and `metrics` once it ended. A create response has no `source`.
 */
export interface PredictionJson {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  /** absent in list results */
  logs: string;
  output: string[] | null;
  data_removed: boolean;
  error: string | null;
  status: PredictionStatus;
  /** absent in create responses */
  source?: 'api';
  created_at: string;
  started_at?: string;
  completed_at?: string;
  metrics?: { predict_time?: number; total_time?: number };
  urls: { web: string; get: string; cancel: string };
  deadline?: string;
  webhook?: string;
  webhook_events_filter?: string[];
}

/** What `Simulator.predictions()` shows: the API object plus what only the simulator knows. */
export interface SimPrediction extends PredictionJson {
  /** username of the token that created it */
  createdBy: string;
  /** the seed the model used (null when it failed before choosing one) */
  seed: number | null;
  /** output size the model chose (null when it failed before choosing one) */
  size: { width: number; height: number } | null;
}

/** One HTTP request as the simulator saw it. */
export interface SimRequest {
  method: string;
  /** path and query */
  path: string;
  /** 0 when no response was sent (reset, lost response, offline) */
  status: number;
  /** which listener it reached: the API (api.replicate.com) or the output host (replicate.delivery) */
  origin: 'api' | 'delivery';
  /** whether it carried an Authorization header (any value) */
  authorized: boolean;
}

export interface Simulator {
  /** 'http://127.0.0.1:PORT/v1' */
  baseUrl: string;
  /** 'http://127.0.0.1:PORT' (the API) */
  origin: string;
  /** 'http://127.0.0.1:PORT2': where output files are served, like replicate.delivery */
  deliveryOrigin: string;
  /** the first configured token */
  token: string;
  setFaults(rules: FaultRule[]): void;
  /**
   * true: both listeners close and every open connection is destroyed, so each request fails at
   * the network level (connection refused, or reset if it was in flight). false: listening again on
   * the same ports. The clock keeps running: predictions advance meanwhile.
   */
  setOffline(offline: boolean): Promise<void>;
  readonly offline: boolean;
  stats(): {
    createCalls: number;
    predictionsCreated: number;
    uploads: number;
    uploadBytes: number;
    requests: SimRequest[];
  };
  /** state at the current clock, newest first */
  predictions(): SimPrediction[];
  /** trainings at the current clock, newest first; `counters`: create calls, trainings and models created */
  trainings(): Array<TrainingJson & { createdBy: string }>;
  trainingStats(): { createCalls: number; trainingsCreated: number; modelsCreated: number };
  files(): Array<{ id: string; size: number; deleted: boolean }>;
  /** wall time spent rendering output images (overlapping renders counted once) */
  generationMs(): number;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------

const DEFAULT_TOKENS: NonNullable<SimOptions['tokens']> = { r8_sim_token: { username: 'sim-user', name: 'Sim User' } };
const MIB = 1024 * 1024;
const JSON_BODY_LIMIT = 64 * MIB;
const PAGE_SIZE = 100;

/**
 * 404s have no title: `{"detail": "...", "status": 404}` as application/problem+json in the recorded
 * responses (replicate-python cassettes trainings-create__invalid-destination.yaml) and in reports.
 */
const NOT_FOUND = { detail: 'The requested resource could not be found.', status: 404 };
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

/** Output file URLs: `<deliveryOrigin>/xezq/<49-char token>/out-<i>.<ext>`, like replicate.delivery's. */
const DELIVERY_PATH = /^\/xezq\/([A-Za-z0-9_-]+)\/out-(\d+)\.(png|jpg|webp)$/;

interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** objects are sent as JSON */
  body?: Buffer | string | object | null;
}

/** Objects go out as `application/json`, or `application/problem+json` for errors (RFC 7807, as Replicate). */
const json = (status: number, body: object, headers?: Record<string, string>): SimResponse => ({
  status,
  body,
  headers,
});
const problem = (status: number, detail: string, title?: string): SimResponse =>
  json(status, title ? { title, detail, status } : { detail, status });

const DELIVERY_NOT_FOUND: SimResponse = { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };

class HttpError extends Error {
  constructor(readonly response: SimResponse) {
    super(`HTTP ${response.status}`);
  }
}

interface User {
  token: string;
  username: string;
  name: string;
  credit: 'ok' | 'none';
}

interface PredictionRecord {
  seq: number;
  id: string;
  createdBy: string;
  model: CatalogModel;
  version: ModelVersion;
  /** the input as sent (the API echoes it, without defaults) */
  input: Record<string, unknown>;
  createdAt: number;
  startAt: number;
  /** the last denoising step ends; processing goes on for tailMs (decode, safety, upload) */
  stepsEndAt: number;
  endAt: number;
  stepMs: number;
  plan: RunPlan;
  deadline: number | null;
  canceledAt: number | null;
  webhook?: string;
  webhookEventsFilter?: string[];
  sources: { image: Buffer | null; mask: Buffer | null } | null;
  nonce: string;
  renders: Map<number, Promise<RenderedImage>>;
}

interface FileRecord {
  seq: number;
  id: string;
  owner: string;
  name: string;
  contentType: string;
  bytes: Buffer | null;
  size: number;
  sha256: string;
  md5: string;
  metadata: unknown;
  createdAt: number;
  expiresAt: number;
  deleted: boolean;
}

interface Snapshot {
  status: PredictionStatus;
  startedAt: number | null;
  completedAt: number | null;
  logs: string;
  output: number[] | null;
  error: string | null;
  removed: boolean;
}

const TERMINAL: ReadonlySet<PredictionStatus> = new Set(['succeeded', 'failed', 'canceled', 'aborted']);

function hash32(s: string): number {
  return createHash('sha256').update(s).digest().readUInt32BE(0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

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

// ---------------------------------------------------------------------------------------------

class ReplicateSimulator implements Simulator {
  baseUrl = '';
  origin = '';
  deliveryOrigin = '';
  readonly token: string;

  private readonly apiServer: http.Server;
  private readonly deliveryServer: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly users = new Map<string, User>();
  private readonly models: CatalogModel[];
  private readonly trainingsSim: TrainingsSim;
  private readonly predictionsById = new Map<string, PredictionRecord>();
  /** delivery path token → (prediction, output index) */
  private readonly deliveryTokens = new Map<string, { id: string; index: number }>();
  private readonly filesById = new Map<string, FileRecord>();
  private readonly faults: FaultInjector;
  private readonly modelRandom: () => number;
  private readonly idRandom: () => number;
  private readonly now: () => number;
  private readonly bootMs: number;
  private readonly stepMs: number;
  private readonly tailMs: number;
  private readonly retentionMs: number;
  private readonly fileTtlMs: number;
  private readonly maxFileBytes: number;
  private ports = { api: 0, delivery: 0 };
  private host = '127.0.0.1';
  private seq = 0;
  private closed = false;
  private isOffline = false;
  /** serialises setOffline/close so listeners are never opened and closed at once */
  private transition: Promise<void> = Promise.resolve();
  private counters = { createCalls: 0, predictionsCreated: 0, uploads: 0, uploadBytes: 0 };
  private readonly requestLog: SimRequest[] = [];
  private rendering = 0;
  private renderingSince = 0;
  private renderMs = 0;

  constructor(private readonly opts: SimOptions) {
    const tokens = opts.tokens ?? DEFAULT_TOKENS;
    for (const [token, u] of Object.entries(tokens)) {
      this.users.set(token, { token, username: u.username, name: u.name ?? u.username, credit: u.credit ?? 'ok' });
    }
    const first = Object.keys(tokens)[0];
    if (!first) throw new Error('SimOptions.tokens needs at least one token');
    this.token = first;
    const seed = opts.seed ?? randomBytes(4).readUInt32BE(0);
    this.faults = new FaultInjector(opts.faults ?? [], mulberry32(hash32(`${seed}:faults`)));
    this.modelRandom = mulberry32(hash32(`${seed}:model`));
    this.idRandom = mulberry32(hash32(`${seed}:ids`));
    this.now = opts.now ?? Date.now;
    const base = opts.realistic ? REALISTIC_TIMING : { bootMs: 300, stepMs: 15, tailMs: 0 };
    this.bootMs = opts.timing?.bootMs ?? base.bootMs;
    this.stepMs = opts.timing?.stepMs ?? base.stepMs;
    this.tailMs = opts.timing?.tailMs ?? base.tailMs;
    for (const [k, v] of Object.entries({ bootMs: this.bootMs, stepMs: this.stepMs, tailMs: this.tailMs })) {
      if (!(Number.isFinite(v) && v >= 0)) throw new Error(`SimOptions.timing.${k} must be a number >= 0, got ${v}`);
    }
    this.retentionMs = opts.retentionMs ?? 3_600_000;
    this.fileTtlMs = opts.fileTtlMs ?? 24 * 3_600_000;
    this.maxFileBytes = opts.maxFileBytes ?? 100 * MIB;
    const dialect = opts.schemaDialect ?? 'cog-allof';
    const sseelfie: SimModel = {
      ...DEFAULT_MODEL,
      ...(opts.defaultModel ?? {}),
      owner: DEFAULT_MODEL.owner,
      name: DEFAULT_MODEL.name,
    };
    this.models = [sseelfie, ...(opts.extraModels ?? [])].map((m) => buildCatalogModel(m, dialect));
    this.models.push(...trainerCatalog(dialect));
    this.trainingsSim = new TrainingsSim(
      {
        now: this.now,
        baseUrl: () => this.baseUrl,
        deliveryOrigin: () => this.deliveryOrigin,
        newId: () => this.newId(),
        nextSeq: () => ++this.seq,
        models: this.models,
        dialect,
        fileBytes: (username, url) => {
          const id = url.startsWith(`${this.baseUrl}/files/`) ? url.slice(this.baseUrl.length + 7) : null;
          const f = id ? this.filesById.get(id) : undefined;
          return f && f.owner === username && this.fileAvailable(f) ? f.bytes : null;
        },
        readJson: (req) => this.readJson(req),
        paginate: (items, keyOf, url, toJson) => paginate(items, keyOf, url, PAGE_SIZE, toJson),
      },
      opts.trainingTiming,
    );
    this.apiServer = this.makeServer('api');
    this.deliveryServer = this.makeServer('delivery');
  }

  private makeServer(origin: 'api' | 'delivery'): http.Server {
    const server = http.createServer((req, res) => {
      this.handle(origin, req, res).catch((err: unknown) => {
        // A bug in the simulator must be loud in tests but must not kill the process.
        console.error('[replicate-sim] internal error', err);
        if (!res.headersSent)
          this.send(res, json(500, { detail: 'Internal server error', status: 500 }), req.method === 'HEAD');
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 5_000;
    server.on('connection', (socket: Socket) => {
      // Offline means offline: a connection accepted in the instant before the listener closed dies too.
      if (this.isOffline || this.closed) {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private async listenOn(server: http.Server, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      server.once('error', onError);
      server.listen(port, this.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  async listen(): Promise<void> {
    this.host = this.opts.host ?? '127.0.0.1';
    this.ports.api = await this.listenOn(this.apiServer, this.opts.port ?? 0);
    this.ports.delivery = await this.listenOn(this.deliveryServer, this.opts.deliveryPort ?? 0);
    const shownHost = this.host.includes(':') ? `[${this.host}]` : this.host === '0.0.0.0' ? '127.0.0.1' : this.host;
    this.origin = `http://${shownHost}:${this.ports.api}`;
    this.baseUrl = `${this.origin}/v1`;
    this.deliveryOrigin = `http://${shownHost}:${this.ports.delivery}`;
  }

  private async stopListening(): Promise<void> {
    const closing = [this.apiServer, this.deliveryServer].map(
      (server) =>
        new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
        }),
    );
    // Idle keep-alive connections, requests in flight, held `Prefer: wait` requests: all reset.
    for (const server of [this.apiServer, this.deliveryServer]) server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await Promise.all(closing);
  }

  // --- public inspection API ------------------------------------------------------------------

  get offline(): boolean {
    return this.isOffline;
  }

  setOffline(offline: boolean): Promise<void> {
    this.transition = this.transition.then(async () => {
      if (this.closed || offline === this.isOffline) return;
      this.isOffline = offline;
      if (offline) {
        await this.stopListening();
      } else {
        // The same ports, so URLs handed out before (urls.get, output files, cursors) work again.
        await this.listenOn(this.apiServer, this.ports.api);
        await this.listenOn(this.deliveryServer, this.ports.delivery);
      }
    });
    return this.transition;
  }

  setFaults(rules: FaultRule[]): void {
    this.faults.set(rules);
  }

  stats() {
    return { ...this.counters, requests: this.requestLog.map((r) => ({ ...r })) };
  }

  predictions(): SimPrediction[] {
    const t = this.now();
    return this.sortedPredictions().map((rec) => {
      const plan = rec.plan;
      return {
        ...this.predictionJson(rec, this.snapshot(rec, t)),
        createdBy: rec.createdBy,
        seed: plan.seed,
        size: plan.width !== null && plan.height !== null ? { width: plan.width, height: plan.height } : null,
      };
    });
  }

  trainings() {
    return this.trainingsSim.trainings();
  }

  trainingStats() {
    return { ...this.trainingsSim.counters };
  }

  files(): Array<{ id: string; size: number; deleted: boolean }> {
    return [...this.filesById.values()]
      .sort((a, b) => b.seq - a.seq)
      .map((f) => ({ id: f.id, size: f.size, deleted: f.deleted }));
  }

  generationMs(): number {
    return this.renderMs + (this.rendering > 0 ? performance.now() - this.renderingSince : 0);
  }

  close(): Promise<void> {
    this.transition = this.transition.then(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.stopListening();
    });
    return this.transition;
  }

  // --- HTTP plumbing --------------------------------------------------------------------------

  private route(
    origin: 'api' | 'delivery',
    method: string,
    path: string,
  ): { endpoint: Endpoint; run: (ctx: RequestContext) => Promise<SimResponse> } | null {
    let m: RegExpExecArray | null;
    if (origin === 'delivery') {
      // The output host serves files only, to anyone holding the URL, and never needs a token.
      if ((m = DELIVERY_PATH.exec(path)) && (method === 'GET' || method === 'HEAD')) {
        const [, token, index, ext] = m;
        return { endpoint: 'output', run: () => this.getOutput(token!, Number(index), ext!) };
      }
      return null;
    }
    const seg = '([^/]+)';
    if (path === '/v1/account' && method === 'GET') return { endpoint: 'account', run: (c) => this.getAccount(c) };
    if ((m = new RegExp(`^/v1/models/${seg}/${seg}$`).exec(path)) && method === 'GET') {
      const [, owner, name] = m;
      return { endpoint: 'models.get', run: (c) => this.getModel(c, owner!, name!) };
    }
    if ((m = new RegExp(`^/v1/models/${seg}/${seg}/versions(?:/${seg})?$`).exec(path)) && method === 'GET') {
      const [, owner, name, id] = m;
      return { endpoint: 'models.versions', run: (c) => this.getVersions(c, owner!, name!, id) };
    }
    if (new RegExp(`^/v1/models/${seg}/${seg}/predictions$`).test(path) && method === 'POST') {
      return {
        endpoint: 'predictions.create',
        run: async (c) => (await this.readBody(c.req, JSON_BODY_LIMIT), json(404, NOT_FOUND)),
      };
    }
    if (path === '/v1/predictions' && method === 'POST')
      return { endpoint: 'predictions.create', run: (c) => this.createPrediction(c) };
    if (path === '/v1/predictions' && method === 'GET')
      return { endpoint: 'predictions.list', run: (c) => this.listPredictions(c) };
    if ((m = new RegExp(`^/v1/predictions/${seg}$`).exec(path)) && method === 'GET') {
      const id = m[1]!;
      return { endpoint: 'predictions.get', run: (c) => this.getPrediction(c, id) };
    }
    if ((m = new RegExp(`^/v1/predictions/${seg}/cancel$`).exec(path)) && method === 'POST') {
      const id = m[1]!;
      return { endpoint: 'predictions.cancel', run: (c) => this.cancelPrediction(c, id) };
    }
    if (path === '/v1/files' && method === 'POST') return { endpoint: 'files.create', run: (c) => this.createFile(c) };
    if (path === '/v1/files' && method === 'GET') return { endpoint: 'files.list', run: (c) => this.listFiles(c) };
    if ((m = new RegExp(`^/v1/files/${seg}(/download)?$`).exec(path)) && method === 'GET') {
      const [, id, download] = m;
      return { endpoint: 'files.get', run: (c) => this.getFile(c, id!, Boolean(download)) };
    }
    if ((m = new RegExp(`^/v1/files/${seg}$`).exec(path)) && method === 'DELETE') {
      const id = m[1]!;
      return { endpoint: 'files.delete', run: (c) => this.deleteFile(c, id) };
    }
    return this.trainingsSim.route(method, path);
  }

  private async handle(origin: 'api' | 'delivery', req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin === 'api' ? this.origin : this.deliveryOrigin);
    const method = req.method ?? 'GET';
    const entry: SimRequest = {
      method,
      path: url.pathname + url.search,
      status: 0,
      origin,
      authorized: req.headers.authorization !== undefined,
    };
    this.requestLog.push(entry);
    const head = method === 'HEAD';
    this.sweep();

    const route = this.route(origin, method, url.pathname);
    if (!route) {
      req.resume();
      entry.status = 404;
      this.send(res, origin === 'api' ? json(404, NOT_FOUND) : DELIVERY_NOT_FOUND, head);
      return;
    }
    if (route.endpoint === 'predictions.create' && url.pathname === '/v1/predictions') this.counters.createCalls += 1;

    const decision = this.faults.decide(route.endpoint);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    const action: FaultAction | null = decision.action;
    if (action?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (action?.kind === 'status') {
      await this.drain(req);
      const f = faultResponse(action);
      entry.status = f.status;
      this.send(res, json(f.status, f.body, f.headers), head);
      return;
    }

    let response: SimResponse;
    try {
      const user = route.endpoint === 'output' ? null : this.authenticate(req);
      response = await route.run({
        req,
        url,
        user: user as User,
        ...(action?.kind === 'trainer' ? { trainerFault: action.failure } : {}),
      });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      await this.drain(req);
      response = err.response;
    }
    if (action?.kind === 'lost-response' || req.socket.destroyed) {
      // Lost on purpose, or the connection is gone (offline, client gave up): nothing is sent.
      req.socket.destroy();
      return;
    }
    entry.status = response.status;
    this.send(res, response, head, action?.kind === 'truncate');
  }

  private send(res: http.ServerResponse, r: SimResponse, head: boolean, truncate = false): void {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    let body: Buffer;
    if (r.body == null) body = Buffer.alloc(0);
    else if (Buffer.isBuffer(r.body)) body = r.body;
    else if (typeof r.body === 'string') body = Buffer.from(r.body);
    else {
      body = Buffer.from(JSON.stringify(r.body));
      headers['content-type'] ??= r.status >= 400 ? 'application/problem+json' : 'application/json';
    }
    if (r.status !== 204) headers['content-length'] = String(body.length);
    res.writeHead(r.status, headers);
    if (head || r.status === 204) {
      res.end();
      return;
    }
    if (truncate && body.length > 1) {
      // Promise the whole body, deliver half, then drop the connection.
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  }

  private authenticate(req: http.IncomingMessage): User {
    const header = req.headers.authorization;
    const m = header ? /^(?:Bearer|Token)\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) throw new HttpError(problem(401, 'You did not pass an authentication token', 'Unauthenticated'));
    const user = this.users.get(m[1]!);
    // Recorded from the real API (replicate-python tests/cassettes/run__invalid-token.yaml).
    if (!user) throw new HttpError(problem(401, 'You did not pass a valid authentication token', 'Unauthenticated'));
    return user;
  }

  private async readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > limit;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk as Buffer);
    }
    if (tooLarge) throw new HttpError(json(413, { detail: 'File too large', status: 413 }));
    return Buffer.concat(chunks);
  }

  /** Read and discard what is left of a request body so the client is not cut off mid-upload. */
  private async drain(req: http.IncomingMessage): Promise<void> {
    if (req.readableEnded) return;
    req.resume();
    await new Promise<void>((resolve) => {
      req.once('end', resolve);
      req.once('close', resolve);
      req.once('error', () => resolve());
    });
  }

  private async readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
    const raw = await this.readBody(req, JSON_BODY_LIMIT);
    let parsed: unknown;
    try {
      parsed = raw.length ? JSON.parse(raw.toString('utf8')) : {};
    } catch {
      throw new HttpError(problem(400, 'Invalid JSON in request body', 'Bad request'));
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new HttpError(problem(400, 'Request body must be a JSON object', 'Bad request'));
    }
    return parsed as Record<string, unknown>;
  }

  /** Frees what retention and expiry removed, so long benchmark runs don't grow without bound. */
  private sweep(): void {
    const t = this.now();
    for (const rec of this.predictionsById.values()) {
      if ((rec.renders.size || rec.sources) && t >= this.completionTime(rec) + this.retentionMs) {
        rec.renders.clear();
        rec.sources = null;
        if (rec.plan.outcome.kind === 'succeeded')
          for (const i of rec.plan.outcome.kept) this.deliveryTokens.delete(this.deliveryToken(rec, i));
      }
    }
    for (const f of this.filesById.values()) if (f.bytes && t >= f.expiresAt) f.bytes = null;
  }

  private newId(): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let id = '';
    for (let i = 0; i < 26; i++) id += alphabet[Math.floor(this.idRandom() * alphabet.length)];
    return id;
  }

  // --- account and models ---------------------------------------------------------------------

  private async getAccount({ user }: RequestContext): Promise<SimResponse> {
    return json(200, {
      type: 'user',
      username: user.username,
      name: user.name,
      github_url: `https://github.com/${user.username}`,
    });
  }

  private visibleModel(user: User, owner: string, name: string): CatalogModel | null {
    const model = this.models.find((m) => m.owner === owner && m.name === name);
    if (!model) return null;
    if (model.visibility === 'private' && model.owner !== user.username) return null;
    return model;
  }

  private versionJson(v: ModelVersion) {
    return { id: v.id, created_at: v.createdAt, cog_version: v.cogVersion, openapi_schema: v.schema };
  }

  private async getModel({ user }: RequestContext, owner: string, name: string): Promise<SimResponse> {
    const model = this.visibleModel(user, owner, name);
    if (!model) return json(404, NOT_FOUND);
    const created = [...this.predictionsById.values()].filter((p) => p.model === model).length;
    const latest = model.versions[model.versions.length - 1];
    return json(200, {
      url: `https://replicate.com/${model.owner}/${model.name}`,
      owner: model.owner,
      name: model.name,
      description: model.description,
      visibility: model.visibility,
      github_url: null,
      paper_url: null,
      license_url: null,
      run_count: model.runCount + created,
      cover_image_url: null,
      default_example: null,
      // a new training destination has no version until its first training succeeds
      latest_version: latest ? this.versionJson(latest) : null,
    });
  }

  private async getVersions(
    { user, url }: RequestContext,
    owner: string,
    name: string,
    id: string | undefined,
  ): Promise<SimResponse> {
    const model = this.visibleModel(user, owner, name);
    if (!model) return json(404, NOT_FOUND);
    if (id !== undefined) {
      const v = model.versions.find((x) => x.id === id);
      return v ? json(200, this.versionJson(v)) : json(404, NOT_FOUND);
    }
    const newestFirst = [...model.versions].reverse();
    return json(
      200,
      paginate(
        newestFirst,
        (v) => [Date.parse(v.createdAt), v.index],
        url,
        PAGE_SIZE,
        (v) => this.versionJson(v),
      ),
    );
  }

  // --- predictions ----------------------------------------------------------------------------

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

  private async createPrediction({ req, user }: RequestContext): Promise<SimResponse> {
    // Everything random is drawn before the first await, so a seeded run is reproducible even when
    // requests overlap.
    const id = this.newId();
    const nonce = this.newId();
    const random16 = Math.floor(this.modelRandom() * 65536);
    const random32 = Math.floor(this.modelRandom() * (2 ** 32 - 1));
    const loraLoadSec = 0.4 + this.modelRandom() * 2;

    const body = await this.readJson(req);
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
    const files = await this.fetchInputFiles(user, full);
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
      seq: ++this.seq,
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
      for (const i of rec.plan.outcome.kept) this.deliveryTokens.set(this.deliveryToken(rec, i), { id, index: i });
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
    let snap = this.snapshot(rec, this.now());
    while (
      !TERMINAL.has(snap.status) &&
      snap.output === null &&
      this.now() < holdUntil &&
      !this.closed &&
      !req.socket.destroyed
    ) {
      await sleep(5);
      snap = this.snapshot(rec, this.now());
    }
    if (TERMINAL.has(snap.status) || snap.output !== null) {
      if (snap.output) await this.ensureRenders(rec);
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

  private async fetchInputFiles(
    user: User,
    input: Record<string, unknown>,
  ): Promise<{
    error: string | null;
    image: DecodedInput | null;
    mask: DecodedInput | null;
    imageBytes: Buffer | null;
    maskBytes: Buffer | null;
  }> {
    const out = {
      error: null as string | null,
      image: null as DecodedInput | null,
      mask: null as DecodedInput | null,
      imageBytes: null as Buffer | null,
      maskBytes: null as Buffer | null,
    };
    for (const key of ['image', 'mask'] as const) {
      const value = input[key];
      if (typeof value !== 'string' || value === '') continue;
      const got = await this.download(user, value);
      if ('error' in got) {
        out.error ??= `Failed to download input file: ${got.error}`;
        continue;
      }
      const decoded = await decodeForPil(got.bytes, got.name);
      if (key === 'image') {
        out.image = decoded;
        out.imageBytes = got.bytes;
      } else {
        out.mask = decoded;
        out.maskBytes = got.bytes;
      }
    }
    // A mask without an image is ignored: text-to-image.
    if (!out.image) {
      out.mask = null;
      out.maskBytes = null;
    }
    return out;
  }

  /** How Replicate fetches a file input: its own Files API, data URIs, or any URL. */
  private async download(user: User, value: string): Promise<{ bytes: Buffer; name: string } | { error: string }> {
    if (value.startsWith('data:')) {
      const m = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(value);
      if (!m) return { error: 'invalid data URI' };
      try {
        const bytes = m[2] ? Buffer.from(m[3]!, 'base64') : Buffer.from(decodeURIComponent(m[3]!), 'utf8');
        return { bytes, name: 'file' };
      } catch {
        return { error: 'invalid data URI' };
      }
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { error: `Invalid URL '${value}': No scheme supplied.` };
    }
    const notFound = { error: `404 Client Error: Not Found for url: ${value}` };
    if (url.origin === this.origin) {
      const file = /^\/v1\/files\/([^/]+)(?:\/download)?$/.exec(url.pathname);
      if (file) {
        const f = this.filesById.get(file[1]!);
        // Files are readable only by predictions of the account that uploaded them.
        if (!f || f.owner !== user.username || !this.fileAvailable(f) || !f.bytes) return notFound;
        return { bytes: f.bytes, name: f.name };
      }
      return notFound;
    }
    if (url.origin === this.deliveryOrigin) {
      // An earlier output used as an input (chaining photos): fetched from the output host.
      const out = DELIVERY_PATH.exec(url.pathname);
      const r = out ? await this.getOutput(out[1]!, Number(out[2]), out[3]!) : null;
      return r && r.status === 200 && Buffer.isBuffer(r.body)
        ? { bytes: r.body, name: `out-${out![2]}.${out![3]}` }
        : notFound;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return { error: `No connection adapters were found for '${value}'` };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) return { error: `${res.status} Client Error: ${res.statusText} for url: ${value}` };
      return { bytes: Buffer.from(await res.arrayBuffer()), name: url.pathname.split('/').pop() || 'file' };
    } catch (e) {
      return { error: `Connection error for url: ${value} (${(e as Error).message})` };
    }
  }

  /** When the prediction ends (or ended), as things stand: a cancel or deadline before the natural end wins. */
  private completionTime(rec: PredictionRecord): number {
    const cutoff = Math.min(rec.canceledAt ?? Infinity, rec.deadline ?? Infinity);
    return cutoff < rec.endAt ? cutoff : rec.endAt;
  }

  private snapshot(rec: PredictionRecord, t: number): Snapshot {
    const cutoff = Math.min(rec.canceledAt ?? Infinity, rec.deadline ?? Infinity);
    let s: Omit<Snapshot, 'removed'>;
    if (cutoff < rec.endAt && t >= cutoff) {
      const started = cutoff > rec.startAt;
      // A deadline that passes before the run starts aborts it (nothing billed); anything else cancels.
      const byDeadline =
        rec.deadline !== null && rec.deadline === cutoff && (rec.canceledAt === null || rec.canceledAt > cutoff);
      s = {
        status: !started && byDeadline ? 'aborted' : 'canceled',
        startedAt: started ? rec.startAt : null,
        completedAt: cutoff,
        logs: started ? logsAt(rec.plan, cutoff - rec.startAt, rec.stepMs, false) : '',
        output: null,
        error: null,
      };
    } else if (t < rec.startAt) {
      s = { status: 'starting', startedAt: null, completedAt: null, logs: '', output: null, error: null };
    } else if (t < rec.endAt) {
      s = {
        status: 'processing',
        startedAt: rec.startAt,
        completedAt: null,
        logs: logsAt(rec.plan, t - rec.startAt, rec.stepMs, false),
        output: null,
        error: null,
      };
    } else {
      const o = rec.plan.outcome;
      s = {
        status: o.kind,
        startedAt: rec.startAt,
        completedAt: rec.endAt,
        logs: logsAt(rec.plan, rec.endAt - rec.startAt, rec.stepMs, true),
        output: o.kind === 'succeeded' ? o.kept : null,
        error: o.kind === 'failed' ? o.error : null,
      };
    }
    return { ...s, removed: s.completedAt !== null && t >= s.completedAt + this.retentionMs };
  }

  /** A per-file token like replicate.delivery's (`xezq/<49 alphanumerics>/out-0.png`): not derivable from the id. */
  private deliveryToken(rec: PredictionRecord, index: number): string {
    return createHash('sha512')
      .update(`${rec.nonce}/${rec.id}/${index}`)
      .digest('base64url')
      .replace(/[-_]/g, 'x')
      .slice(0, 49);
  }

  private outputUrl(rec: PredictionRecord, index: number): string {
    return `${this.deliveryOrigin}/xezq/${this.deliveryToken(rec, index)}/out-${index}.${rec.plan.render!.format}`;
  }

  /**
   * `create`: the answer to POST (no `source`); `list`: a list item (no `logs`); `get`: the full
   * object. Keys appear in the order of the recorded responses, `started_at`/`completed_at`/
   * `metrics` only once they have a value.
   */
  private predictionJson(rec: PredictionRecord, s: Snapshot, kind: 'create' | 'get' | 'list' = 'get'): PredictionJson {
    const get = `${this.baseUrl}/predictions/${rec.id}`;
    const out: Partial<PredictionJson> = {
      id: rec.id,
      model: `${rec.model.owner}/${rec.model.name}`,
      version: rec.version.id,
      input: s.removed ? {} : structuredClone(rec.input),
    };
    if (kind !== 'list') out.logs = s.removed ? '' : s.logs;
    out.output = s.removed || !s.output ? null : s.output.map((i) => this.outputUrl(rec, i));
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

  private async getPrediction({ user }: RequestContext, id: string): Promise<SimResponse> {
    const rec = this.ownPrediction(user, id);
    const snap = this.snapshot(rec, this.now());
    // Replicate sets `output` only once the files are uploaded: render before answering.
    if (snap.output && !snap.removed) await this.ensureRenders(rec);
    return json(200, this.predictionJson(rec, snap));
  }

  private async cancelPrediction({ user }: RequestContext, id: string): Promise<SimResponse> {
    const rec = this.ownPrediction(user, id);
    const t = this.now();
    if (!TERMINAL.has(this.snapshot(rec, t).status) && rec.canceledAt === null) rec.canceledAt = t;
    const snap = this.snapshot(rec, t);
    if (snap.output && !snap.removed) await this.ensureRenders(rec);
    return json(200, this.predictionJson(rec, snap));
  }

  private sortedPredictions(): PredictionRecord[] {
    return [...this.predictionsById.values()].sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
  }

  private async listPredictions({ user, url }: RequestContext): Promise<SimResponse> {
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
        (p) => this.predictionJson(p, this.snapshot(p, t), 'list'),
      ),
    );
  }

  // --- outputs --------------------------------------------------------------------------------

  private ensureRenders(rec: PredictionRecord): Promise<RenderedImage[]> {
    const o = rec.plan.outcome;
    if (o.kind !== 'succeeded' || !rec.plan.render) return Promise.resolve([]);
    return Promise.all(o.kept.map((i) => this.renderOne(rec, i)));
  }

  private renderOne(rec: PredictionRecord, index: number): Promise<RenderedImage> {
    let p = rec.renders.get(index);
    if (!p) {
      const sources = rec.sources ?? { image: null, mask: null };
      p = this.timed(() =>
        renderOutput(rec.plan.render!, index, { image: sources.image, mask: sources.mask, nonce: rec.nonce }),
      );
      rec.renders.set(index, p);
    }
    return p;
  }

  private async timed<T>(work: () => Promise<T>): Promise<T> {
    if (this.rendering++ === 0) this.renderingSince = performance.now();
    try {
      return await work();
    } finally {
      if (--this.rendering === 0) this.renderMs += performance.now() - this.renderingSince;
    }
  }

  private async getOutput(token: string, index: number, ext: string): Promise<SimResponse> {
    const notFound = DELIVERY_NOT_FOUND;
    const ref = this.deliveryTokens.get(token);
    const rec = ref && ref.index === index ? this.predictionsById.get(ref.id) : undefined;
    if (!rec) return notFound;
    const snap = this.snapshot(rec, this.now());
    if (snap.removed || !snap.output?.includes(index) || rec.plan.render?.format !== ext) return notFound;
    const img = await this.renderOne(rec, index);
    return {
      status: 200,
      headers: { 'content-type': img.contentType, 'cache-control': 'public, max-age=3600' },
      body: img.bytes,
    };
  }

  // --- files ----------------------------------------------------------------------------------

  private fileAvailable(f: FileRecord): boolean {
    return !f.deleted && this.now() < f.expiresAt;
  }

  private fileJson(f: FileRecord) {
    return {
      id: f.id,
      name: f.name,
      content_type: f.contentType,
      size: f.size,
      etag: f.md5,
      checksums: { sha256: f.sha256, md5: f.md5 },
      metadata: f.metadata,
      created_at: replicateTime(f.createdAt),
      expires_at: replicateTime(f.expiresAt),
      urls: { get: `${this.baseUrl}/files/${f.id}` },
    };
  }

  private ownFile(user: User, id: string): FileRecord {
    const f = this.filesById.get(id);
    if (!f || f.owner !== user.username || !this.fileAvailable(f)) throw new HttpError(json(404, NOT_FOUND));
    return f;
  }

  private async createFile({ req, url, user }: RequestContext): Promise<SimResponse> {
    const id = this.newId();
    const type = headerValue(req.headers['content-type']) ?? '';
    if (!/^multipart\/form-data/i.test(type)) {
      await this.drain(req);
      return problem(400, 'Expected a multipart/form-data body with a "content" part', 'Bad request');
    }
    // Multipart framing adds a little; the exact limit is checked on the content part below.
    const raw = await this.readBody(req, this.maxFileBytes + 64 * 1024);
    let form: FormData;
    try {
      form = await new Request(url, { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    } catch {
      return problem(400, 'Malformed multipart/form-data body', 'Bad request');
    }
    const content = form.get('content');
    if (!(content instanceof Blob)) return problem(400, 'Missing "content" part', 'Bad request');
    if (content.size > this.maxFileBytes) return json(413, { detail: 'File too large', status: 413 });
    const filenameField = form.get('filename');
    const name =
      typeof filenameField === 'string' && filenameField
        ? filenameField
        : content instanceof File && content.name
          ? content.name
          : 'file';
    if (Buffer.byteLength(name) > 255)
      return problem(422, 'filename must be at most 255 bytes', 'Input validation failed');
    let metadata: unknown = {};
    const metaField = form.get('metadata');
    if (metaField !== null) {
      const text = typeof metaField === 'string' ? metaField : await metaField.text();
      try {
        metadata = text ? JSON.parse(text) : {};
      } catch {
        return problem(400, 'metadata must be valid JSON', 'Bad request');
      }
    }
    // The spec's `type` form field ("The content / MIME type for the file", default
    // application/octet-stream) wins over the content part's own type (curl `-F content=@x;type=…`).
    const typeField = form.get('type');
    const contentType =
      typeof typeField === 'string' && typeField.trim() ? typeField.trim() : content.type || 'application/octet-stream';
    const bytes = Buffer.from(await content.arrayBuffer());
    const createdAt = this.now();
    const f: FileRecord = {
      seq: ++this.seq,
      id,
      owner: user.username,
      name,
      contentType,
      bytes,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      md5: createHash('md5').update(bytes).digest('hex'),
      metadata,
      createdAt,
      expiresAt: createdAt + this.fileTtlMs,
      deleted: false,
    };
    this.filesById.set(id, f);
    this.counters.uploads += 1;
    this.counters.uploadBytes += f.size;
    return json(201, this.fileJson(f));
  }

  private async listFiles({ user, url }: RequestContext): Promise<SimResponse> {
    const mine = [...this.filesById.values()]
      .filter((f) => f.owner === user.username && this.fileAvailable(f))
      .sort((a, b) => b.seq - a.seq);
    return json(
      200,
      paginate(
        mine,
        (f) => [f.createdAt, f.seq],
        url,
        PAGE_SIZE,
        (f) => this.fileJson(f),
      ),
    );
  }

  private async getFile({ user }: RequestContext, id: string, download: boolean): Promise<SimResponse> {
    const f = this.ownFile(user, id);
    if (!download) return json(200, this.fileJson(f));
    return { status: 200, headers: { 'content-type': f.contentType }, body: f.bytes ?? Buffer.alloc(0) };
  }

  private async deleteFile({ user }: RequestContext, id: string): Promise<SimResponse> {
    const f = this.ownFile(user, id);
    f.deleted = true;
    f.bytes = null;
    return { status: 204 };
  }
}

interface RequestContext {
  req: http.IncomingMessage;
  url: URL;
  user: User;
  /** a `trainer` fault fired on this trainings.create */
  trainerFault?: import('./faults').TrainerFault;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

function parseTimeFilter(url: URL, name: string): number | null {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return null;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new HttpError(problem(400, `${name} must be an ISO 8601 date-time`, 'Bad request'));
  return t;
}

/** PIL's view of an input file: its size, or the exception Image.open would raise. */
async function decodeForPil(bytes: Buffer, name: string): Promise<DecodedInput> {
  const tmp = `/tmp/tmp${createHash('md5').update(bytes).digest('hex').slice(0, 8)}${name.replace(/[^\w.-]/g, '')}`;
  try {
    const { width, height } = await probeImage(bytes);
    if (width * height > PIL_BOMB_LIMIT) {
      return {
        ok: false,
        error: `Image size (${width * height} pixels) exceeds limit of ${PIL_BOMB_LIMIT} pixels, could be decompression bomb DOS attack.`,
      };
    }
    return { ok: true, width, height };
  } catch {
    return { ok: false, error: `cannot identify image file '${tmp}'` };
  }
}

type Key = [number, number];

/**
 * Replicate's `{next, previous, results}` pages, newest first. Cursors name the boundary item, not
 * an offset, so items created between two page reads don't shift the next page.
 */
function paginate<T, J>(
  items: T[],
  keyOf: (t: T) => Key,
  url: URL,
  size: number,
  toJson: (t: T) => J,
): { next: string | null; previous: string | null; results: J[] } {
  const cursor = url.searchParams.get('cursor');
  const older = (a: Key, b: Key) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  let start = 0;
  let end = Math.min(size, items.length);
  if (cursor) {
    let c: { d: 'n' | 'p'; k: Key };
    try {
      c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { d: 'n' | 'p'; k: Key };
      if ((c.d !== 'n' && c.d !== 'p') || !Array.isArray(c.k)) throw new Error('bad');
    } catch {
      throw new HttpError(problem(400, 'Invalid cursor', 'Bad request'));
    }
    if (c.d === 'n') {
      start = items.findIndex((it) => older(keyOf(it), c.k));
      if (start < 0) start = items.length;
      end = Math.min(start + size, items.length);
    } else {
      end = items.findIndex((it) => !older(c.k, keyOf(it)));
      if (end < 0) end = items.length;
      start = Math.max(0, end - size);
    }
  }
  const page = items.slice(start, end);
  const link = (d: 'n' | 'p', k: Key) => {
    const u = new URL(url);
    u.searchParams.set('cursor', Buffer.from(JSON.stringify({ d, k })).toString('base64url'));
    return u.toString();
  };
  return {
    next: end < items.length && page.length ? link('n', keyOf(page[page.length - 1]!)) : null,
    previous: start > 0 && page.length ? link('p', keyOf(page[0]!)) : null,
    results: page.map(toJson),
  };
}

export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const sim = new ReplicateSimulator(opts);
  await sim.listen();
  return sim;
}
