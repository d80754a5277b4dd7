/**
 * Every HTTP call to Replicate. Written against the HTTP API rather than npm `replicate` 1.4.0,
 * whose retries fire with no delay (a delay computed as a float fails its own integer check: a
 * 429 with `Retry-After: 1` is sent 6 times in ~20 ms), ignore Retry-After and re-send a POST 6
 * times after a network error (duplicate billed predictions), and whose data-uri mode sends the
 * client object itself, token included, as the prediction's input. Here:
 *  - 429 waits for Retry-After (or the "~Ns" in the body) and retries: the request was refused.
 *  - GET/DELETE retry 5xx and network errors with exponential backoff and jitter.
 *  - POST /predictions never retries a request whose outcome is unknown: it throws
 *    OutcomeUnknownError and the job engine reconciles against the predictions list first.
 *  - `persistent` calls (a job whose prediction exists or may exist) never give up on 5xx, 429 or
 *    a lost connection: a paid photo is only given up when Replicate itself says it is gone.
 *    While the network is down they wait on the shared Connectivity instead of retrying.
 *  - The token goes only to the configured API origin (https, or http to this computer), never
 *    to a cursor or file URL on another origin, and is cut out of every answer before anything
 *    reads it: a server that echoes the Authorization header cannot put it in an error or journal.
 *  - Errors become StudioErrors a person understands; the token appears in none of them.
 */
import { StudioError, type FieldIssue } from '../../../shared/errors';
import { apiBaseProblem } from '../../../shared/api-base';
import { Connectivity } from './connectivity';
import type { FileObject, ModelObject, ModelVersion, Prediction, PredictionPage } from './types';

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface GatewayOptions {
  fetch: FetchFn;
  baseUrl: () => string;
  token: () => Promise<string | null>;
  /** injectable for tests; must reject with the signal's reason when aborted */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  maxAttempts?: number;
  /** cap on a single wait (Retry-After can be long); the caller sees `onWait` for each wait */
  maxWaitMs?: number;
  userAgent?: string;
  /** shared knowledge of whether Replicate is reachable; made from `fetch` when not given */
  connectivity?: Connectivity;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** told before each wait, so the UI can show "rate limited, retrying in N s" */
  onWait?: (info: { reason: 'rate_limited' | 'server' | 'network'; ms: number; attempt: number }) => void;
  /** override the token (validating a new one before it is stored) */
  token?: string;
  /** override the API address (checking a token against a new address before switching to it) */
  baseUrl?: string;
  /** tries before giving up (default the gateway's); a person waiting on a check wants an answer soon */
  attempts?: number;
  /**
   * A paid photo depends on this call: never give up on server errors, rate limits or a lost
   * connection (waiting for the network to return), only on answers that say it is over.
   */
  persistent?: boolean;
}

/** The request may or may not have reached Replicate (connection dropped, 5xx on a POST). */
export class OutcomeUnknownError extends Error {
  constructor(override readonly cause: unknown) {
    super('The connection dropped before Replicate answered; the request may or may not have been processed.');
    this.name = 'OutcomeUnknownError';
  }
}

export const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

interface ProblemBody {
  title?: string;
  detail?: string;
  status?: number;
  invalid_fields?: Array<{ type?: string; field?: string; description?: string }>;
}

/** Retry-After header (seconds or HTTP date), else "resets in ~30s" / "available in 1 second" in the body. */
export function retryAfterMs(res: Response, body: ProblemBody | null, now = Date.now()): number | null {
  const h = res.headers.get('retry-after');
  if (h) {
    const secs = Number(h);
    if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
    const date = Date.parse(h);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const m = /(?:~|in\s+)(\d+(?:\.\d+)?)\s*(?:s\b|sec|second)/i.exec(body?.detail ?? '');
  return m ? Number(m[1]) * 1000 : null;
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');
}

/** "Replicate" for Replicate's own API, else the host the person configured (the simulator, a proxy). */
function serverName(base: string | undefined): string {
  if (!base) return 'Replicate';
  try {
    const host = new URL(base).host;
    return host === 'api.replicate.com' ? 'Replicate' : host;
  } catch {
    return 'Replicate';
  }
}

export function networkError(e: unknown, base?: string): StudioError {
  const name = serverName(base);
  const address =
    name === 'Replicate' ? '' : ' If you changed the API address (Settings → Advanced), check that it is right.';
  return new StudioError(
    'network',
    `Could not reach ${name}. Check your internet connection, then try again.${address}`,
    { cause: e },
  );
}

/**
 * The connection was never made (refused, no such host, no network): the request did not reach
 * any server, so even a POST certainly did nothing. Node's fetch puts the system error code in
 * `cause.code`; Electron's net.fetch says `net::ERR_…` in the message.
 */
export function neverSent(e: unknown): boolean {
  const code = (e as { cause?: { code?: string } })?.cause?.code;
  if (code && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'].includes(code))
    return true;
  const msg = e instanceof Error ? e.message : String(e);
  return /ERR_(CONNECTION_REFUSED|NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|ADDRESS_UNREACHABLE|INTERNET_DISCONNECTED)/.test(
    msg,
  );
}

/** A create or upload that never left this computer, to a server that has not answered once. */
export function unreachableError(e: unknown, base: string): StudioError {
  const name = serverName(base);
  return new StudioError(
    'network',
    `Could not reach ${name}, so nothing was sent and nothing was billed. Check your internet connection${name === 'Replicate' ? '' : `, and the API address in Settings → Advanced (it is ${base})`}, then press Try again.`,
    { cause: e },
  );
}

/** The HTTP status of a refusal from `call` (403, 404, 409…), or undefined for anything else. */
export function httpStatusOf(e: unknown): number | undefined {
  const s = (e as { httpStatus?: unknown } | null)?.httpStatus;
  return typeof s === 'number' ? s : undefined;
}

/** Cuts every occurrence of the token out of a text (an answer that echoes the request's headers). */
export function scrubSecret(text: string, secret: string | null | undefined): string {
  return secret && secret.length >= 4 && text.includes(secret) ? text.split(secret).join('[redacted]') : text;
}

/** Maps Replicate's problem-details responses to messages a person can act on. */
export function httpError(
  status: number,
  body: ProblemBody | null,
  what: string,
  retryMs?: number | null,
): StudioError {
  const detail = body?.detail?.trim();
  switch (status) {
    case 401:
      return new StudioError(
        'unauthenticated',
        'Replicate did not accept this API token. Copy it again, whole, from replicate.com/account/api-tokens, or create a new one there.',
      );
    case 402:
      return new StudioError(
        'insufficient_credit',
        'Your Replicate account is out of credit. Add credit at replicate.com/account/billing, wait a few minutes, then try again. Nothing was charged for this photo.',
      );
    case 403:
      return new StudioError('not_found', `Your Replicate account is not allowed to use ${what}.`);
    case 404:
      return new StudioError(
        'not_found',
        `Replicate could not find ${what}. Check the model name in Settings; private models need their owner's token.`,
      );
    case 413:
      return new StudioError(
        'file_too_large',
        'Replicate refused the file because it is too large (files up to 100 MB are accepted).',
      );
    case 422: {
      const fields: FieldIssue[] = (body?.invalid_fields ?? []).map((f) => ({
        field: (f.field ?? 'input').replace(/^input\.?/, '') || 'input',
        message: f.description ?? 'is not valid',
      }));
      if (body?.title?.startsWith('Invalid version'))
        return new StudioError(
          'not_found',
          `Replicate does not know this version of ${what}, or your account may not use it. Pick the model again in Settings to use its latest version.`,
        );
      return new StudioError(
        'invalid_input',
        `Replicate refused the settings: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ') || detail || 'invalid input'}.`,
        { fields },
      );
    }
    case 429:
      return new StudioError(
        'rate_limited',
        'Replicate is limiting how fast requests can be made. The app waited and will try again shortly.',
        retryMs ? { retryAfterMs: retryMs } : {},
      );
    default:
      if (status >= 500)
        return new StudioError(
          'server',
          `Replicate had a problem (${status}). It usually passes within minutes; try again.`,
        );
      return new StudioError('internal', `Replicate answered ${status}${detail ? `: ${detail}` : ''}.`);
  }
}

async function readProblem(res: Response, token: string): Promise<ProblemBody | null> {
  try {
    const text = scrubSecret(await res.text(), token);
    return text ? (JSON.parse(text) as ProblemBody) : null;
  } catch {
    return null;
  }
}

export class ReplicateGateway {
  private readonly sleep: NonNullable<GatewayOptions['sleep']>;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly maxWaitMs: number;
  readonly connectivity: Connectivity;
  private skewMs: number | null = null;
  /** API origins that have answered since start: a refused connection to one of them means offline */
  private readonly answered = new Set<string>();

  constructor(private readonly opts: GatewayOptions) {
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.maxWaitMs = opts.maxWaitMs ?? 60_000;
    this.connectivity =
      opts.connectivity ??
      new Connectivity({
        sleep: this.sleep,
        // No token, nothing billed: any HTTP answer from the API's origin means the path works.
        probe: async (signal) => {
          const res = await opts.fetch(new URL(this.base()).origin + '/', { method: 'HEAD', signal });
          await res.body?.cancel().catch(() => {});
        },
      });
  }

  private backoff(attempt: number): number {
    const base = Math.min(8000, 500 * 2 ** Math.min(attempt, 10));
    return Math.round(base / 2 + this.random() * (base / 2)); // "equal jitter"
  }

  /** The configured API base, refused when it could hand the token to someone else. */
  private base(call: CallOptions = {}): string {
    const base = (call.baseUrl ?? this.opts.baseUrl()).replace(/\/+$/, '');
    const problem = apiBaseProblem(base);
    if (problem) throw new StudioError('forbidden', `The API address in Settings cannot be used: ${problem}`);
    return base;
  }

  /**
   * A path on the API, or an absolute URL the API gave us (a page cursor). Absolute URLs must be
   * on the API's own origin: a cursor pointing elsewhere would receive the token.
   */
  private url(path: string, call: CallOptions): string {
    const base = this.base(call);
    if (!/^[a-z][a-z0-9+.-]*:/i.test(path)) return base + path;
    let target: URL;
    try {
      target = new URL(path);
    } catch {
      throw new StudioError('internal', 'Replicate sent a link the app cannot read.');
    }
    if (target.origin !== new URL(base).origin) {
      throw new StudioError(
        'forbidden',
        `Replicate's answer pointed to another server (${target.host}); the app does not send your token there.`,
      );
    }
    return target.toString();
  }

  /**
   * Replicate's clock minus ours, from the Date header of its answers (1 s resolution), or null
   * before any answer carried one. Reconciling a lost create compares Replicate's created_at
   * with the moment we journaled the job, so both must be on one clock.
   */
  serverClockSkewMs(): number | null {
    return this.skewMs;
  }

  private noteServerClock(res: Response) {
    const d = Date.parse(res.headers.get('date') ?? '');
    if (!Number.isFinite(d)) return;
    const skew = d + 500 - Date.now(); // the header is truncated to the second: centre it
    this.skewMs = this.skewMs === null ? skew : Math.round(this.skewMs * 0.7 + skew * 0.3);
  }

  private async token(call: CallOptions): Promise<string> {
    const token = call.token ?? (await this.opts.token());
    if (!token) throw new StudioError('unauthenticated', 'Add your Replicate API token first (Settings → API token).');
    return token;
  }

  /**
   * Waits before retrying a persistent call after no answer: for the network when it is down
   * (one probe for everyone), otherwise with backoff. Returns the next attempt number; an outage
   * that came and went starts the count again, so the first request after it goes out at once.
   */
  private async waitForNetwork(attempt: number, call: CallOptions): Promise<number> {
    const before = this.connectivity.current.since;
    this.connectivity.reportNoAnswer();
    call.onWait?.({ reason: 'network', ms: 0, attempt });
    await this.connectivity.whenOnline(call.signal);
    if (this.connectivity.current.since !== before) return 0;
    const ms = this.backoff(attempt);
    call.onWait?.({ reason: 'network', ms, attempt });
    await this.sleep(ms, call.signal);
    return attempt + 1;
  }

  /**
   * One API call with the retry policy above. `safeToRepeat` says whether re-sending after an
   * unknown outcome is harmless (GET, DELETE, cancel); otherwise OutcomeUnknownError is thrown.
   */
  async call<T>(
    method: string,
    path: string,
    what: string,
    init: { body?: RequestInit['body']; json?: unknown; headers?: Record<string, string>; safeToRepeat: boolean },
    call: CallOptions = {},
  ): Promise<T> {
    let attempt = 0;
    const giveUp = () => !call.persistent && attempt + 1 >= (call.attempts ?? this.maxAttempts);
    for (;;) {
      call.signal?.throwIfAborted();
      const url = this.url(path, call);
      const token = await this.token(call);
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        'User-Agent': this.opts.userAgent ?? 'sseelfie-studio',
        ...(init.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...init.headers,
      };
      let res: Response;
      try {
        res = await this.opts.fetch(url, {
          method,
          headers,
          body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
          signal: call.signal,
          redirect: 'error', // a redirect would carry the Authorization header to wherever it points
        });
      } catch (e) {
        if (call.signal?.aborted || isAbort(e)) throw call.signal?.reason ?? e;
        if (!init.safeToRepeat) {
          if (neverSent(e)) {
            // Nothing reached a server, so re-sending cannot duplicate anything. If this server
            // answered before, the network went away: wait for it. If it never answered, the
            // address (or the machine's network) is wrong: say so instead of waiting for ever.
            if (call.persistent && this.answered.has(new URL(url).origin)) {
              attempt = await this.waitForNetwork(attempt, call);
              continue;
            }
            throw unreachableError(e, this.base(call));
          }
          if (call.persistent) this.connectivity.reportNoAnswer();
          throw new OutcomeUnknownError(e);
        }
        if (call.persistent) {
          attempt = await this.waitForNetwork(attempt, call);
          continue;
        }
        if (giveUp()) throw networkError(e, this.base(call));
        const ms = this.backoff(attempt);
        call.onWait?.({ reason: 'network', ms, attempt });
        await this.sleep(ms, call.signal);
        attempt++;
        continue;
      }
      this.connectivity.reportAnswer();
      this.answered.add(new URL(url).origin);
      this.noteServerClock(res);
      if (res.ok) {
        if (res.status === 204) return null as T;
        try {
          return JSON.parse(scrubSecret(await res.text(), token)) as T;
        } catch (e) {
          if (call.signal?.aborted) throw call.signal.reason;
          // Body cut off mid-way: the request was processed but we did not see the answer.
          if (!init.safeToRepeat) throw new OutcomeUnknownError(e);
          if (giveUp()) throw networkError(e, this.base(call));
          await this.sleep(this.backoff(attempt), call.signal);
          attempt++;
          continue;
        }
      }
      const body = await readProblem(res, token);
      if (res.status === 429) {
        const wait = retryAfterMs(res, body) ?? this.backoff(attempt);
        if (giveUp()) throw httpError(429, body, what, wait);
        const ms = Math.min(wait + Math.round(this.random() * 250), this.maxWaitMs);
        call.onWait?.({ reason: 'rate_limited', ms, attempt });
        await this.sleep(ms, call.signal);
        attempt++;
        continue;
      }
      if (res.status >= 500) {
        if (!init.safeToRepeat) throw new OutcomeUnknownError(httpError(res.status, body, what));
        if (giveUp()) throw httpError(res.status, body, what);
        const ms = Math.min(retryAfterMs(res, body) ?? this.backoff(attempt), this.maxWaitMs);
        call.onWait?.({ reason: 'server', ms, attempt });
        await this.sleep(ms, call.signal);
        attempt++;
        continue;
      }
      // The status rides along (not in the shape a person sees): a caller may need 403 from 404.
      throw Object.assign(httpError(res.status, body, what), { httpStatus: res.status });
    }
  }

  account(call: CallOptions = {}) {
    return this.call<{ type?: string; username: string; name?: string }>(
      'GET',
      '/account',
      'your account',
      { safeToRepeat: true },
      call,
    );
  }

  getModel(owner: string, name: string, call: CallOptions = {}) {
    return this.call<ModelObject>(
      'GET',
      `/models/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`,
      `the model ${owner}/${name}`,
      { safeToRepeat: true },
      call,
    );
  }

  getVersion(owner: string, name: string, version: string, call: CallOptions = {}) {
    return this.call<ModelVersion>(
      'GET',
      `/models/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`,
      `the model ${owner}/${name}`,
      { safeToRepeat: true },
      call,
    );
  }

  /** Never repeated on an unknown outcome: the caller must reconcile (see JobEngine). */
  createPrediction(body: { version: string; input: Record<string, unknown> }, what: string, call: CallOptions = {}) {
    return this.call<Prediction>('POST', '/predictions', what, { json: body, safeToRepeat: false }, call);
  }

  getPrediction(id: string, call: CallOptions = {}) {
    return this.call<Prediction>(
      'GET',
      `/predictions/${encodeURIComponent(id)}`,
      'this prediction',
      { safeToRepeat: true },
      call,
    );
  }

  listPredictions(params: { createdAfter?: string; cursorUrl?: string }, call: CallOptions = {}) {
    const path =
      params.cursorUrl ??
      `/predictions${params.createdAfter ? `?created_after=${encodeURIComponent(params.createdAfter)}` : ''}`;
    return this.call<PredictionPage>('GET', path, 'your predictions', { safeToRepeat: true }, call);
  }

  cancelPrediction(id: string, call: CallOptions = {}) {
    return this.call<Prediction>(
      'POST',
      `/predictions/${encodeURIComponent(id)}/cancel`,
      'this prediction',
      { safeToRepeat: true },
      call,
    );
  }

  /** Upload through the Files API. Not repeated blindly: a duplicate would leave a copy of a selfie on Replicate. */
  uploadFile(
    bytes: Uint8Array,
    meta: { filename: string; contentType: string; metadata?: Record<string, unknown> },
    call: CallOptions = {},
  ) {
    const form = new FormData();
    form.append('content', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: meta.contentType }), meta.filename);
    form.append('filename', meta.filename);
    form.append('metadata', new Blob([JSON.stringify(meta.metadata ?? {})], { type: 'application/json' }));
    return this.call<FileObject>('POST', '/files', 'the file upload', { body: form, safeToRepeat: false }, call);
  }

  listFiles(cursorUrl?: string, call: CallOptions = {}) {
    return this.call<{ next: string | null; results: FileObject[] }>(
      'GET',
      cursorUrl ?? '/files',
      'your files',
      { safeToRepeat: true },
      call,
    );
  }

  async deleteFile(id: string, call: CallOptions = {}): Promise<void> {
    try {
      await this.call<null>(
        'DELETE',
        `/files/${encodeURIComponent(id)}`,
        'the uploaded file',
        { safeToRepeat: true },
        call,
      );
    } catch (e) {
      if (e instanceof StudioError && e.code === 'not_found') return; // already gone: that is what we wanted
      throw e;
    }
  }

  /**
   * Downloads an output file (no Authorization: replicate.delivery does not need it and the token
   * must not go to a CDN). Verifies the length against Content-Length; retries on failure, for
   * ever when `persistent` (the photo is paid for), until Replicate says the file is gone.
   */
  async download(url: string, call: CallOptions = {}): Promise<{ bytes: Uint8Array; contentType: string | null }> {
    let attempt = 0;
    for (;;) {
      call.signal?.throwIfAborted();
      let res: Response;
      try {
        res = await this.opts.fetch(url, { signal: call.signal });
      } catch (e) {
        if (call.signal?.aborted || isAbort(e)) throw call.signal?.reason ?? e;
        if (call.persistent) {
          attempt = await this.waitForNetwork(attempt, call);
          continue;
        }
        if (attempt + 1 >= this.maxAttempts) throw networkError(e);
        await this.sleep(this.backoff(attempt), call.signal);
        attempt++;
        continue;
      }
      this.connectivity.reportAnswer();
      try {
        if (res.status === 404 || res.status === 410) {
          throw new StudioError('lost', 'Replicate has already deleted this result (results are kept for one hour).');
        }
        if (!res.ok) throw httpError(res.status, null, 'the result file');
        const expected = Number(res.headers.get('content-length') ?? NaN);
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (Number.isFinite(expected) && bytes.length !== expected)
          throw new Error(`download cut short: ${bytes.length} of ${expected} bytes`);
        if (bytes.length === 0) throw new Error('download was empty');
        return { bytes, contentType: res.headers.get('content-type') };
      } catch (e) {
        if (call.signal?.aborted) throw call.signal.reason;
        if (e instanceof StudioError && (e.code === 'lost' || e.code === 'not_found')) throw e;
        if (!call.persistent && attempt + 1 >= this.maxAttempts) throw e instanceof StudioError ? e : networkError(e);
        const ms = this.backoff(attempt);
        call.onWait?.({ reason: e instanceof StudioError && e.code === 'server' ? 'server' : 'network', ms, attempt });
        await this.sleep(ms, call.signal);
        attempt++;
      }
    }
  }
}
