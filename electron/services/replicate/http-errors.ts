/**
 * What a failed call to Replicate means and says: the StudioErrors a person reads (the token in
 * none of them), the outcome-unknown marker of a create that may have gone through, and reading
 * an answer's problem body and Retry-After. The retry policy that uses them is http-client.ts.
 */
import { StudioError, type FieldIssue } from '../../../shared/errors';

/** The request may or may not have reached Replicate (connection dropped, 5xx on a POST). */
export class OutcomeUnknownError extends Error {
  constructor(override readonly cause: unknown) {
    super('The connection dropped before Replicate answered; the request may or may not have been processed.');
    this.name = 'OutcomeUnknownError';
  }
}

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

export function isAbort(e: unknown): boolean {
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

export async function readProblem(res: Response, token: string): Promise<ProblemBody | null> {
  try {
    const text = scrubSecret(await res.text(), token);
    return text ? (JSON.parse(text) as ProblemBody) : null;
  } catch {
    return null;
  }
}
