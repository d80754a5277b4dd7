/**
 * A typed client over `window.studio` (the preload bridge). Every bridge call resolves to a
 * `Result` envelope; the client unwraps it and throws a `StudioClientError` carrying the error's
 * code, message and field issues, so UI code can `try/await` and show the message as written by
 * main. A rejected bridge promise (bridge missing, serialization failure) becomes an `internal`
 * error with a sentence a person can act on.
 */
import {
  INVOKE_CHANNELS,
  SMALL_THUMB_PREFIX,
  SMALL_THUMB_SIDE,
  THUMB_PREFIX,
  splitChannel,
} from '../../shared/ipc/channels';
import type { StudioApi } from '../../shared/ipc/api';
import type { Result } from '../../shared/ipc/contract';
import type { ErrorCode, FieldIssue } from '../../shared/errors';

declare global {
  interface Window {
    studio: StudioApi;
  }
}

export class StudioClientError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldIssue[];
  readonly retryAfterMs?: number;
  constructor(code: ErrorCode, message: string, fields: FieldIssue[] = [], retryAfterMs?: number) {
    super(message);
    this.name = 'StudioClientError';
    this.code = code;
    this.fields = fields;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
  /** the message for one field, if main named it */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message;
  }
}

/** Any thrown value → a StudioClientError (what the UI shows). */
export function asClientError(e: unknown): StudioClientError {
  if (e instanceof StudioClientError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new StudioClientError(
    'internal',
    `The app could not talk to its background process (${msg}). Restart Sseelfie Studio; if it keeps happening, send the log (Settings → Show logs).`,
  );
}

type Unwrapped<F> = F extends (...args: infer A) => Promise<Result<infer T>> ? (...args: A) => Promise<T> : F;
type DomainKeys = Exclude<keyof StudioApi, 'assetBase' | 'platform'>;
export type StudioClient = { [D in DomainKeys]: { [K in keyof StudioApi[D]]: Unwrapped<StudioApi[D][K]> } };

export async function unwrap<T>(p: Promise<Result<T>> | Result<T>): Promise<T> {
  let r: Result<T>;
  try {
    r = await p;
  } catch (e) {
    throw asClientError(e);
  }
  if (!r || typeof r !== 'object' || !('ok' in r)) throw asClientError(new Error('malformed reply'));
  if (r.ok) return r.value;
  throw new StudioClientError(r.error.code, r.error.message, r.error.fields ?? [], r.error.retryAfterMs);
}

/** `window.studio` (globalThis in a page; the explicit window also covers test DOMs). */
function lookup(): StudioApi | undefined {
  const g = globalThis as { studio?: StudioApi; window?: { studio?: StudioApi } };
  return g.window?.studio ?? g.studio;
}

function bridge(): StudioApi {
  const s = lookup();
  if (!s)
    throw new StudioClientError('internal', 'The app bridge is missing: this page must run inside Sseelfie Studio.');
  return s;
}

/**
 * `client.token.set({token})` → the unwrapped value. Built from the channel list so it can never
 * drift from the contract; `window.studio` is looked up on every call (tests swap it).
 */
function buildClient(): StudioClient {
  const out: Record<string, Record<string, unknown>> = {};
  for (const ch of INVOKE_CHANNELS) {
    const [d, v] = splitChannel(ch);
    (out[d] ??= {})[v] = (req?: unknown) => {
      let p: Promise<Result<unknown>>;
      try {
        const fn = (bridge() as unknown as Record<string, Record<string, (r?: unknown) => Promise<Result<unknown>>>>)[
          d
        ]?.[v];
        if (!fn) throw new StudioClientError('internal', `The app bridge has no ${ch}.`);
        p = req === undefined ? fn() : fn(req);
      } catch (e) {
        return Promise.reject(asClientError(e));
      }
      return unwrap(p);
    };
  }
  return out as unknown as StudioClient;
}

export const client: StudioClient = buildClient();

/** Event subscriptions pass straight through (they return an unsubscribe). */
export function events(): Pick<StudioApi, 'jobs' | 'library' | 'settings' | 'network' | 'trainingset' | 'training'> {
  return bridge();
}

export function assetUrl(id: string): string {
  const base = lookup()?.assetBase ?? '';
  return base + id;
}

/**
 * A small WebP of a library image (main makes it on first request and caches it): 512 px on the
 * long side, or 256 px for a picture drawn at most that many device pixels across.
 */
export function thumbUrl(id: string, drawnPx = Infinity): string {
  return assetUrl(`${drawnPx <= SMALL_THUMB_SIDE ? SMALL_THUMB_PREFIX : THUMB_PREFIX}${id}`);
}

export function platform(): string {
  return lookup()?.platform ?? 'linux';
}

/** "⌘" on macOS, "Ctrl" elsewhere: for shortcut hints. */
export function modKeyLabel(): string {
  return platform() === 'darwin' ? '⌘' : 'Ctrl+';
}
