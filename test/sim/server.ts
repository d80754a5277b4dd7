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
 *
 * This file assembles the simulator: its options and listeners, the request pipeline (request
 * log, fault injection, authentication) and the inspection API. Each concern is a module:
 * sim-types.ts (the public types), routes.ts (the routing table), sim-http.ts (responses, bodies,
 * pagination), models-api.ts, predictions-api.ts with prediction-state.ts (state as a function of
 * the clock), input-files.ts, outputs.ts (output files on the delivery origin), files-api.ts,
 * trainings.ts, faults.ts, and model-rules.ts (what the model does). Importers use this file only.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultInjector, faultResponse, mulberry32, type FaultAction, type FaultRule } from './faults';
import { FilesApi } from './files-api';
import { InputFiles } from './input-files';
import { DEFAULT_MODEL, buildCatalogModel, type CatalogModel, type SimModel } from './model-rules';
import { ModelsApi } from './models-api';
import { OutputFiles } from './outputs';
import { completionTime, snapshot } from './prediction-state';
import { PredictionsApi } from './predictions-api';
import { routeRequest, type SimApis } from './routes';
import {
  DELIVERY_NOT_FOUND,
  HttpError,
  MIB,
  NOT_FOUND,
  PAGE_SIZE,
  drain,
  json,
  paginate,
  problem,
  readJson,
  send,
  sleep,
  type SimResponse,
  type User,
} from './sim-http';
import { REALISTIC_TIMING, type SimOptions, type SimPrediction, type SimRequest, type Simulator } from './sim-types';
import { TrainingsSim, trainerCatalog } from './trainings';

export type { Endpoint, FaultRule } from './faults';
export type { SimModel, SimVersionSpec, OpenApiSchema, CogDialect } from './model-rules';
export { legacySchema, hotswapSchema } from './model-rules';
export { COG_DIALECTS, buildCogDocument } from './cog-schema';
export type { TrainingJson, TrainingTiming } from './trainings';
export { REALISTIC_TIMING } from './sim-types';
export type {
  PredictionJson,
  PredictionStatus,
  SimOptions,
  SimPrediction,
  SimRequest,
  SimTiming,
  Simulator,
} from './sim-types';
export { parseCancelAfter, parsePreferWait } from './predictions-api';

const DEFAULT_TOKENS: NonNullable<SimOptions['tokens']> = { r8_sim_token: { username: 'sim-user', name: 'Sim User' } };

function hash32(s: string): number {
  return createHash('sha256').update(s).digest().readUInt32BE(0);
}

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
  private readonly filesApi: FilesApi;
  private readonly outputs: OutputFiles;
  private readonly predictionsApi: PredictionsApi;
  private readonly modelsApi: ModelsApi;
  private readonly apis: SimApis;
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
    const shared = {
      now: () => this.now(),
      baseUrl: () => this.baseUrl,
      newId: () => this.newId(),
      nextSeq: () => ++this.seq,
    };
    this.filesApi = new FilesApi({
      ...shared,
      counters: this.counters,
      fileTtlMs: this.fileTtlMs,
      maxFileBytes: this.maxFileBytes,
    });
    this.outputs = new OutputFiles({
      now: shared.now,
      deliveryOrigin: () => this.deliveryOrigin,
      retentionMs: this.retentionMs,
      prediction: (id) => this.predictionsApi.predictionsById.get(id),
    });
    this.predictionsApi = new PredictionsApi({
      ...shared,
      closed: () => this.closed,
      modelRandom: this.modelRandom,
      models: this.models,
      counters: this.counters,
      bootMs: this.bootMs,
      stepMs: this.stepMs,
      tailMs: this.tailMs,
      retentionMs: this.retentionMs,
      inputs: new InputFiles({
        origin: () => this.origin,
        deliveryOrigin: () => this.deliveryOrigin,
        files: this.filesApi,
        outputs: this.outputs,
      }),
      outputs: this.outputs,
    });
    this.modelsApi = new ModelsApi(this.models, this.predictionsApi.predictionsById);
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
          const f = id ? this.filesApi.filesById.get(id) : undefined;
          return f && f.owner === username && this.filesApi.fileAvailable(f) ? f.bytes : null;
        },
        readJson: (req) => readJson(req),
        paginate: (items, keyOf, url, toJson) => paginate(items, keyOf, url, PAGE_SIZE, toJson),
      },
      opts.trainingTiming,
    );
    this.apis = {
      outputs: this.outputs,
      modelsApi: this.modelsApi,
      predictionsApi: this.predictionsApi,
      filesApi: this.filesApi,
      trainingsSim: this.trainingsSim,
    };
    this.apiServer = this.makeServer('api');
    this.deliveryServer = this.makeServer('delivery');
  }

  private makeServer(origin: 'api' | 'delivery'): http.Server {
    const server = http.createServer((req, res) => {
      this.handle(origin, req, res).catch((err: unknown) => {
        // A bug in the simulator must be loud in tests but must not kill the process.
        console.error('[replicate-sim] internal error', err);
        if (!res.headersSent)
          send(res, json(500, { detail: 'Internal server error', status: 500 }), req.method === 'HEAD');
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
    return this.predictionsApi.sortedPredictions().map((rec) => {
      const plan = rec.plan;
      return {
        ...this.predictionsApi.predictionJson(rec, snapshot(rec, t, this.retentionMs)),
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
    return [...this.filesApi.filesById.values()]
      .sort((a, b) => b.seq - a.seq)
      .map((f) => ({ id: f.id, size: f.size, deleted: f.deleted }));
  }

  generationMs(): number {
    return this.outputs.generationMs();
  }

  close(): Promise<void> {
    this.transition = this.transition.then(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.stopListening();
    });
    return this.transition;
  }

  // --- the request pipeline (routes.ts finds the endpoint; sim-http.ts reads and writes) -------

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

    const route = routeRequest(this.apis, origin, method, url.pathname);
    if (!route) {
      req.resume();
      entry.status = 404;
      send(res, origin === 'api' ? json(404, NOT_FOUND) : DELIVERY_NOT_FOUND, head);
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
      await drain(req);
      const f = faultResponse(action);
      entry.status = f.status;
      send(res, json(f.status, f.body, f.headers), head);
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
      await drain(req);
      response = err.response;
    }
    if (action?.kind === 'lost-response' || req.socket.destroyed) {
      // Lost on purpose, or the connection is gone (offline, client gave up): nothing is sent.
      req.socket.destroy();
      return;
    }
    entry.status = response.status;
    send(res, response, head, action?.kind === 'truncate');
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

  /** Frees what retention and expiry removed, so long benchmark runs don't grow without bound. */
  private sweep(): void {
    const t = this.now();
    for (const rec of this.predictionsApi.predictionsById.values()) {
      if ((rec.renders.size || rec.sources) && t >= completionTime(rec) + this.retentionMs) {
        rec.renders.clear();
        rec.sources = null;
        if (rec.plan.outcome.kind === 'succeeded')
          for (const i of rec.plan.outcome.kept) this.outputs.deliveryTokens.delete(this.outputs.deliveryToken(rec, i));
      }
    }
    for (const f of this.filesApi.filesById.values()) if (f.bytes && t >= f.expiresAt) f.bytes = null;
  }

  private newId(): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let id = '';
    for (let i = 0; i < 26; i++) id += alphabet[Math.floor(this.idRandom() * alphabet.length)];
    return id;
  }
}

export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const sim = new ReplicateSimulator(opts);
  await sim.listen();
  return sim;
}
