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
import { StudioError } from '../../../shared/errors';
import { apiBaseProblem } from '../../../shared/api-base';
import { Connectivity } from './connectivity';
import {
  OutcomeUnknownError,
  httpError,
  isAbort,
  networkError,
  neverSent,
  readProblem,
  retryAfterMs,
  scrubSecret,
  unreachableError,
} from './http-errors';

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

/**
 * One call to the API with the retry policy above (`call`) and one download of an output
 * (`download`); the endpoints are named in ReplicateGateway (gateway.ts).
 */
export class ReplicateHttp {
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
