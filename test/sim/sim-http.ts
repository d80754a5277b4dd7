/**
 * The simulator's HTTP plumbing, shared by every endpoint group: responses as Replicate writes them
 * (JSON, or `application/problem+json` for errors per RFC 7807, the recorded 404 body), the
 * authenticated user and request context, body reading with its 413, header parsing, Replicate's
 * cursor pagination (`{next, previous, results}`), and writing a response (whole, or cut short by
 * a `truncate` fault). Mirrors Replicate's OpenAPI and the replicate-python cassettes cited below.
 */
import type http from 'node:http';

export const MIB = 1024 * 1024;
export const JSON_BODY_LIMIT = 64 * MIB;
export const PAGE_SIZE = 100;

/**
 * 404s have no title: `{"detail": "...", "status": 404}` as application/problem+json in the recorded
 * responses (replicate-python cassettes trainings-create__invalid-destination.yaml) and in reports.
 */
export const NOT_FOUND = { detail: 'The requested resource could not be found.', status: 404 };

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** objects are sent as JSON */
  body?: Buffer | string | object | null;
}

/** Objects go out as `application/json`, or `application/problem+json` for errors (RFC 7807, as Replicate). */
export const json = (status: number, body: object, headers?: Record<string, string>): SimResponse => ({
  status,
  body,
  headers,
});
export const problem = (status: number, detail: string, title?: string): SimResponse =>
  json(status, title ? { title, detail, status } : { detail, status });

export const DELIVERY_NOT_FOUND: SimResponse = {
  status: 404,
  headers: { 'content-type': 'text/plain' },
  body: 'Not Found',
};

export class HttpError extends Error {
  constructor(readonly response: SimResponse) {
    super(`HTTP ${response.status}`);
  }
}

export interface User {
  token: string;
  username: string;
  name: string;
  credit: 'ok' | 'none';
}

export interface RequestContext {
  req: http.IncomingMessage;
  url: URL;
  user: User;
  /** a `trainer` fault fired on this trainings.create */
  trainerFault?: import('./faults').TrainerFault;
}

export function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function parseTimeFilter(url: URL, name: string): number | null {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return null;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new HttpError(problem(400, `${name} must be an ISO 8601 date-time`, 'Bad request'));
  return t;
}

type Key = [number, number];

/**
 * Replicate's `{next, previous, results}` pages, newest first. Cursors name the boundary item, not
 * an offset, so items created between two page reads don't shift the next page.
 */
export function paginate<T, J>(
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

export function send(res: http.ServerResponse, r: SimResponse, head: boolean, truncate = false): void {
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

export async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
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
export async function drain(req: http.IncomingMessage): Promise<void> {
  if (req.readableEnded) return;
  req.resume();
  await new Promise<void>((resolve) => {
    req.once('end', resolve);
    req.once('close', resolve);
    req.once('error', () => resolve());
  });
}

export async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req, JSON_BODY_LIMIT);
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
