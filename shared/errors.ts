/**
 * Errors that cross process boundaries. Every failure a person can see is one of these codes with
 * a message that says what happened and what to do. Pure: used by main, renderer, CLI and tests.
 */
export const ERROR_CODES = [
  'invalid_input', // a field or file is wrong; `fields` says which
  'unauthenticated', // bad or missing API token
  'insufficient_credit', // 402: never retried
  'not_found', // model/version/prediction unknown or private
  'rate_limited', // 429 after our own waiting gave up
  'network', // offline / connection reset / DNS
  'server', // Replicate 5xx after retries
  'safety', // every image was removed by the safety checker
  'out_of_memory', // model ran out of GPU memory (E1001)
  'model_error', // the prediction failed for another reason
  'canceled', // the person canceled
  'lost', // results were removed by Replicate before we could download them
  'file_too_large',
  'unsupported_file',
  'corrupt_file',
  'disk', // could not write to the library (full disk, read-only, permissions)
  'locked', // another Sseelfie process is writing to this library
  'forbidden', // IPC sender or path not allowed
  'insecure_storage', // no OS keychain: the token can only be kept for this session
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  /** input field name, e.g. `width` or `prompt`; `image`/`mask` for files */
  field: string;
  message: string;
}

export interface StudioErrorShape {
  code: ErrorCode;
  message: string;
  fields?: FieldIssue[];
  /** for rate limits and retries: when it makes sense to try again */
  retryAfterMs?: number;
}

export class StudioError extends Error implements StudioErrorShape {
  readonly code: ErrorCode;
  readonly fields?: FieldIssue[];
  readonly retryAfterMs?: number;
  constructor(
    code: ErrorCode,
    message: string,
    extra: { fields?: FieldIssue[]; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'StudioError';
    this.code = code;
    if (extra.fields) this.fields = extra.fields;
    if (extra.retryAfterMs !== undefined) this.retryAfterMs = extra.retryAfterMs;
  }
  toShape(): StudioErrorShape {
    const s: StudioErrorShape = { code: this.code, message: this.message };
    if (this.fields) s.fields = this.fields;
    if (this.retryAfterMs !== undefined) s.retryAfterMs = this.retryAfterMs;
    return s;
  }
}

export function isStudioError(e: unknown): e is StudioError {
  return e instanceof StudioError;
}

/** Any thrown value → a shape safe to show (never a stack, never a raw object). */
export function toErrorShape(e: unknown): StudioErrorShape {
  if (e instanceof StudioError) return e.toShape();
  const msg = e instanceof Error ? e.message : String(e);
  return {
    code: 'internal',
    message: `Something went wrong inside the app: ${msg}. If it keeps happening, send the log (Help → Show logs).`,
  };
}
