/**
 * Every HTTP call to Replicate. Written against the HTTP API rather than npm `replicate` 1.4.0,
 * whose retries fire with no delay, ignore Retry-After and re-send POSTs after network errors
 * (duplicate billed predictions), and whose data-uri mode leaks the token into the input
 * (reference/replicate-api.md §3). Here:
 *  - 429 waits for Retry-After (or the "~Ns" in the body) and retries: the request was refused.
 *  - GET/DELETE retry 5xx and network errors with exponential backoff and jitter.
 *  - POST /predictions never retries a request whose outcome is unknown: it throws
 *    OutcomeUnknownError and the job engine reconciles against the predictions list first.
 *  - Errors become StudioErrors a person understands; the token appears in none of them.
 */
import { StudioError, type FieldIssue } from '../../../shared/errors';
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
}

export interface CallOptions {
  signal?: AbortSignal;
  /** told before each wait, so the UI can show "rate limited, retrying in N s" */
  onWait?: (info: { reason: 'rate_limited' | 'server' | 'network'; ms: number; attempt: number }) => void;
  /** override the token (validating a new one before it is stored) */
  token?: string;
  /** keep retrying network errors forever (polling while offline) */
  untilOnline?: boolean;
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

export function networkError(e: unknown): StudioError {
  return new StudioError('network', 'Could not reach Replicate. Check your internet connection; the app will keep trying.', { cause: e });
}

/** Maps Replicate's problem-details responses to messages a person can act on. */
export function httpError(status: number, body: ProblemBody | null, what: string, retryMs?: number | null): StudioError {
  const detail = body?.detail?.trim();
  switch (status) {
    case 401:
      return new StudioError('unauthenticated', 'Replicate did not accept this API token. Copy it again, whole, from replicate.com/account/api-tokens, or create a new one there.');
    case 402:
      return new StudioError('insufficient_credit', 'Your Replicate account is out of credit. Add credit at replicate.com/account/billing, wait a few minutes, then try again. Nothing was charged for this photo.');
    case 403:
      return new StudioError('not_found', `Your Replicate account is not allowed to use ${what}.`);
    case 404:
      return new StudioError('not_found', `Replicate could not find ${what}. Check the model name in Settings; private models need their owner's token.`);
    case 413:
      return new StudioError('file_too_large', 'Replicate refused the file because it is too large (files up to 100 MB are accepted).');
    case 422: {
      const fields: FieldIssue[] = (body?.invalid_fields ?? []).map((f) => ({
        field: (f.field ?? 'input').replace(/^input\.?/, '') || 'input',
        message: f.description ?? 'is not valid',
      }));
      if (body?.title?.startsWith('Invalid version'))
        return new StudioError('not_found', `Replicate does not know this version of ${what}, or your account may not use it. Pick the model again in Settings to use its latest version.`);
      return new StudioError('invalid_input', `Replicate refused the settings: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ') || detail || 'invalid input'}.`, { fields });
    }
    case 429:
      return new StudioError('rate_limited', 'Replicate is limiting how fast requests can be made. The app waited and will try again shortly.', retryMs ? { retryAfterMs: retryMs } : {});
    default:
      if (status >= 500) return new StudioError('server', `Replicate had a problem (${status}). It usually passes within minutes; try again.`);
      return new StudioError('internal', `Replicate answered ${status}${detail ? `: ${detail}` : ''}.`);
  }
}

async function readProblem(res: Response): Promise<ProblemBody | null> {
  try {
    const text = await res.text();
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

  constructor(private readonly opts: GatewayOptions) {
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.maxWaitMs = opts.maxWaitMs ?? 60_000;
  }

  private backoff(attempt: number): number {
    const base = Math.min(8000, 500 * 2 ** attempt);
    return Math.round(base / 2 + this.random() * (base / 2)); // "equal jitter"
  }

  private url(path: string): string {
    if (/^https?:\/\//.test(path)) return path;
    return this.opts.baseUrl().replace(/\/+$/, '') + path;
  }

  private async headers(extra: Record<string, string>, call: CallOptions): Promise<Record<string, string>> {
    const token = call.token ?? (await this.opts.token());
    if (!token) throw new StudioError('unauthenticated', 'Add your Replicate API token first (Settings → API token).');
    return { Authorization: `Bearer ${token}`, 'User-Agent': this.opts.userAgent ?? 'sseelfie-studio', ...extra };
  }

  /**
   * One API call with the retry policy above. `safeToRepeat` says whether re-sending after an
   * unknown outcome is harmless (GET, DELETE, cancel); otherwise OutcomeUnknownError is thrown.
   */
  async call<T>(method: string, path: string, what: string, init: { body?: RequestInit['body']; json?: unknown; headers?: Record<string, string>; safeToRepeat: boolean }, call: CallOptions = {}): Promise<T> {
    let attempt = 0;
    for (;;) {
      call.signal?.throwIfAborted();
      const headers = await this.headers(init.json !== undefined ? { 'Content-Type': 'application/json', ...init.headers } : { ...init.headers }, call);
      let res: Response;
      try {
        res = await this.opts.fetch(this.url(path), {
          method,
          headers,
          body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
          signal: call.signal,
        });
      } catch (e) {
        if (call.signal?.aborted || isAbort(e)) throw call.signal?.reason ?? e;
        if (!init.safeToRepeat) throw new OutcomeUnknownError(e);
        if (!call.untilOnline && attempt + 1 >= this.maxAttempts) throw networkError(e);
        const ms = this.backoff(Math.min(attempt, 6));
        call.onWait?.({ reason: 'network', ms, attempt });
        await this.sleep(ms, call.signal);
        attempt++;
        continue;
      }
      if (res.ok) {
        if (res.status === 204) return null as T;
        try {
          return (await res.json()) as T;
        } catch (e) {
          if (call.signal?.aborted) throw call.signal.reason;
          // Body cut off mid-way: the request was processed but we did not see the answer.
          if (!init.safeToRepeat) throw new OutcomeUnknownError(e);
          if (attempt + 1 >= this.maxAttempts) throw networkError(e);
          await this.sleep(this.backoff(attempt), call.signal);
          attempt++;
          continue;
        }
      }
      const body = await readProblem(res);
      if (res.status === 429) {
        const wait = retryAfterMs(res, body) ?? this.backoff(attempt);
        if (attempt + 1 >= this.maxAttempts) throw httpError(429, body, what, wait);
        const ms = Math.min(wait + Math.round(this.random() * 250), this.maxWaitMs);
        call.onWait?.({ reason: 'rate_limited', ms, attempt });
        await this.sleep(ms, call.signal);
        attempt++;
        continue;
      }
      if (res.status >= 500) {
        if (!init.safeToRepeat) throw new OutcomeUnknownError(httpError(res.status, body, what));
        if (attempt + 1 >= this.maxAttempts) throw httpError(res.status, body, what);
        const ms = retryAfterMs(res, body) ?? this.backoff(attempt);
        call.onWait?.({ reason: 'server', ms, attempt });
        await this.sleep(Math.min(ms, this.maxWaitMs), call.signal);
        attempt++;
        continue;
      }
      throw httpError(res.status, body, what);
    }
  }

  account(call: CallOptions = {}) {
    return this.call<{ type?: string; username: string; name?: string }>('GET', '/account', 'your account', { safeToRepeat: true }, call);
  }

  getModel(owner: string, name: string, call: CallOptions = {}) {
    return this.call<ModelObject>('GET', `/models/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`, `the model ${owner}/${name}`, { safeToRepeat: true }, call);
  }

  getVersion(owner: string, name: string, version: string, call: CallOptions = {}) {
    return this.call<ModelVersion>('GET', `/models/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`, `the model ${owner}/${name}`, { safeToRepeat: true }, call);
  }

  /** Never repeated on an unknown outcome: the caller must reconcile (see JobEngine). */
  createPrediction(body: { version: string; input: Record<string, unknown> }, what: string, call: CallOptions = {}) {
    return this.call<Prediction>('POST', '/predictions', what, { json: body, safeToRepeat: false }, call);
  }

  getPrediction(id: string, call: CallOptions = {}) {
    return this.call<Prediction>('GET', `/predictions/${encodeURIComponent(id)}`, 'this prediction', { safeToRepeat: true }, call);
  }

  listPredictions(params: { createdAfter?: string; cursorUrl?: string }, call: CallOptions = {}) {
    const path = params.cursorUrl ?? `/predictions${params.createdAfter ? `?created_after=${encodeURIComponent(params.createdAfter)}` : ''}`;
    return this.call<PredictionPage>('GET', path, 'your predictions', { safeToRepeat: true }, call);
  }

  cancelPrediction(id: string, call: CallOptions = {}) {
    return this.call<Prediction>('POST', `/predictions/${encodeURIComponent(id)}/cancel`, 'this prediction', { safeToRepeat: true }, call);
  }

  /** Upload through the Files API. Not repeated blindly: a duplicate would leave a copy of a selfie on Replicate. */
  uploadFile(bytes: Uint8Array, meta: { filename: string; contentType: string; metadata?: Record<string, unknown> }, call: CallOptions = {}) {
    const form = new FormData();
    form.append('content', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: meta.contentType }), meta.filename);
    form.append('filename', meta.filename);
    form.append('metadata', new Blob([JSON.stringify(meta.metadata ?? {})], { type: 'application/json' }));
    return this.call<FileObject>('POST', '/files', 'the file upload', { body: form, safeToRepeat: false }, call);
  }

  listFiles(cursorUrl?: string, call: CallOptions = {}) {
    return this.call<{ next: string | null; results: FileObject[] }>('GET', cursorUrl ?? '/files', 'your files', { safeToRepeat: true }, call);
  }

  async deleteFile(id: string, call: CallOptions = {}): Promise<void> {
    try {
      await this.call<null>('DELETE', `/files/${encodeURIComponent(id)}`, 'the uploaded file', { safeToRepeat: true }, call);
    } catch (e) {
      if (e instanceof StudioError && e.code === 'not_found') return; // already gone: that is what we wanted
      throw e;
    }
  }

  /**
   * Downloads an output file (no Authorization: replicate.delivery does not need it and the token
   * must not go to a CDN). Verifies the length against Content-Length; retries on failure.
   */
  async download(url: string, call: CallOptions = {}): Promise<{ bytes: Uint8Array; contentType: string | null }> {
    let attempt = 0;
    for (;;) {
      call.signal?.throwIfAborted();
      try {
        const res = await this.opts.fetch(url, { signal: call.signal });
        if (res.status === 404 || res.status === 410) {
          throw new StudioError('lost', 'Replicate has already deleted this result (results are kept for one hour).');
        }
        if (!res.ok) throw httpError(res.status, null, 'the result file');
        const expected = Number(res.headers.get('content-length') ?? NaN);
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (Number.isFinite(expected) && bytes.length !== expected) throw new Error(`download cut short: ${bytes.length} of ${expected} bytes`);
        if (bytes.length === 0) throw new Error('download was empty');
        return { bytes, contentType: res.headers.get('content-type') };
      } catch (e) {
        if (call.signal?.aborted) throw call.signal.reason;
        if (e instanceof StudioError && (e.code === 'lost' || e.code === 'not_found')) throw e;
        if (!call.untilOnline && attempt + 1 >= this.maxAttempts) throw e instanceof StudioError ? e : networkError(e);
        const ms = this.backoff(Math.min(attempt, 6));
        call.onWait?.({ reason: 'network', ms, attempt });
        await this.sleep(ms, call.signal);
        attempt++;
      }
    }
  }
}
