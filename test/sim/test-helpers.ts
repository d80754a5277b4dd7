/** Small helpers shared by the simulator's own tests. */
import http from 'node:http';
import sharp from 'sharp';
import type { PredictionJson, Simulator } from './server';

export interface ApiResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function api<T = any>(
  sim: Simulator,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(opts.headers ?? {}) };
  const token = opts.token === undefined ? sim.token : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${sim.baseUrl}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2025, 5, 1, 12, 0, 0)) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

export async function latestVersion(
  sim: Simulator,
  model = 'sandrasocial/sseelfie-ai',
  token?: string,
): Promise<string> {
  const r = await api(sim, 'GET', `/models/${model}`, { token });
  return r.body.latest_version.id as string;
}

export async function create(
  sim: Simulator,
  input: Record<string, unknown>,
  opts: { version?: string; headers?: Record<string, string>; token?: string } = {},
): Promise<ApiResult<PredictionJson>> {
  const version = opts.version ?? (await latestVersion(sim, undefined, opts.token));
  return api<PredictionJson>(sim, 'POST', '/predictions', {
    body: { version, input },
    headers: opts.headers,
    token: opts.token,
  });
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'aborted']);

/** Polls (real clock) until the prediction is terminal. */
export async function waitDone(sim: Simulator, id: string, token?: string): Promise<PredictionJson> {
  for (let i = 0; i < 2000; i++) {
    const r = await api<PredictionJson>(sim, 'GET', `/predictions/${id}`, { token });
    if (TERMINAL.has(r.body.status)) return r.body;
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error(`prediction ${id} did not finish`);
}

export async function run(
  sim: Simulator,
  input: Record<string, unknown>,
  opts: { version?: string; token?: string } = {},
): Promise<PredictionJson> {
  const r = await create(sim, input, opts);
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`);
  return waitDone(sim, r.body.id, opts.token);
}

export async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

export async function solidImage(
  width: number,
  height: number,
  rgb: [number, number, number],
  format: 'png' | 'jpeg' = 'png',
): Promise<Buffer> {
  const img = sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
  return format === 'png' ? img.png().toBuffer() : img.jpeg().toBuffer();
}

export async function uploadFile(
  sim: Simulator,
  bytes: Buffer,
  name: string,
  type = 'image/png',
  token = sim.token,
): Promise<ApiResult> {
  const form = new FormData();
  form.append('content', new Blob([new Uint8Array(bytes)], { type }), name);
  form.append('metadata', new Blob([JSON.stringify({ purpose: 'test' })], { type: 'application/json' }));
  const res = await fetch(`${sim.baseUrl}/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

export function dataUri(bytes: Buffer, type = 'image/png'): string {
  return `data:${type};base64,${bytes.toString('base64')}`;
}

/** Raw GET that reports how many body bytes arrived before the connection ended. */
export function rawGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentLength: number; received: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers }, (res) => {
      let received = 0;
      res.on('data', (c: Buffer) => (received += c.length));
      const finish = (complete: boolean) =>
        resolve({
          status: res.statusCode ?? 0,
          contentLength: Number(res.headers['content-length']),
          received,
          complete,
        });
      res.on('end', () => finish(true));
      res.on('aborted', () => finish(false));
      res.on('error', () => finish(false));
      res.on('close', () => finish(res.complete));
    });
    req.on('error', reject);
  });
}
