import { describe, expect, it } from 'vitest';
import {
  OutcomeUnknownError,
  ReplicateGateway,
  retryAfterMs,
  type FetchFn,
} from '../../../../electron/services/replicate/gateway';
import { StudioError } from '../../../../shared/errors';

type Step = Response | Error | ((req: { url: string; init?: RequestInit }) => Response);

function scripted(steps: Step[]) {
  const calls: Array<{ url: string; method: string; headers: Record<string, string> }> = [];
  const fetchFn: FetchFn = async (input, init) => {
    const url = String(input);
    calls.push({
      url,
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(Object.entries((init?.headers as Record<string, string>) ?? {})),
    });
    const s = steps.shift();
    if (!s) throw new Error('no more scripted responses');
    if (s instanceof Error) throw s;
    return typeof s === 'function' ? s({ url, init }) : s;
  };
  return { fetchFn, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

function gateway(steps: Step[]) {
  const s = scripted(steps);
  const waits: number[] = [];
  const g = new ReplicateGateway({
    fetch: s.fetchFn,
    baseUrl: () => 'https://api.example/v1',
    token: async () => 'r8_secret_token_value',
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
  });
  return { g, calls: s.calls, waits };
}

describe('ReplicateGateway retry policy (not inheriting replicate@1.4.0 bugs)', () => {
  it('waits for Retry-After on 429 before retrying, and tells the caller', async () => {
    const { g, calls, waits } = gateway([
      json(429, { detail: 'Request was throttled.' }, { 'Retry-After': '3' }),
      json(201, { id: 'p1', status: 'starting' }),
    ]);
    const told: number[] = [];
    const p = await g.createPrediction({ version: 'v', input: { prompt: 'x' } }, 'm', {
      onWait: ({ ms }) => told.push(ms),
    });
    expect(p.id).toBe('p1');
    expect(calls).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(3000);
    expect(told[0]).toBe(waits[0]);
  });

  it('reads the wait from the body when there is no Retry-After header', () => {
    const res = new Response('', { status: 429 });
    expect(retryAfterMs(res, { detail: 'Request was throttled. Your rate limit resets in ~30s.' })).toBe(30_000);
    expect(retryAfterMs(res, { detail: 'Expected available in 1 second.' })).toBe(1000);
  });

  it('never re-sends a create after a network error: the outcome is unknown', async () => {
    const { g, calls } = gateway([new TypeError('fetch failed'), json(201, { id: 'dup' })]);
    await expect(g.createPrediction({ version: 'v', input: {} }, 'm')).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(calls).toHaveLength(1);
  });

  it('treats a 5xx on create as unknown outcome too (it may have been processed)', async () => {
    const { g, calls } = gateway([json(502, { detail: 'Bad gateway' })]);
    await expect(g.createPrediction({ version: 'v', input: {} }, 'm')).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(calls).toHaveLength(1);
  });

  it('retries GETs on 5xx and network errors with growing, jittered waits', async () => {
    const { g, calls, waits } = gateway([
      json(503, {}),
      new TypeError('fetch failed'),
      json(200, { id: 'p', status: 'processing' }),
    ]);
    expect((await g.getPrediction('p')).status).toBe('processing');
    expect(calls).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
  });

  it('does not retry 402 and explains it', async () => {
    const { g, calls } = gateway([
      json(402, { title: 'Insufficient credit', detail: 'You have insufficient credit', status: 402 }),
    ]);
    const e = await g.createPrediction({ version: 'v', input: {} }, 'm').catch((x) => x);
    expect(e).toBeInstanceOf(StudioError);
    expect(e.code).toBe('insufficient_credit');
    expect(e.message).toMatch(/billing/);
    expect(calls).toHaveLength(1);
  });

  it('maps 422 invalid_fields to field messages', async () => {
    const { g } = gateway([
      json(422, {
        title: 'Input validation failed',
        detail: '- input.num_outputs: Must be less than or equal to 4\n',
        status: 422,
        invalid_fields: [
          { type: 'less_than_equal', field: 'input.num_outputs', description: 'Must be less than or equal to 4' },
        ],
      }),
    ]);
    const e = await g.createPrediction({ version: 'v', input: {} }, 'm').catch((x) => x);
    expect(e.code).toBe('invalid_input');
    expect(e.fields).toEqual([{ field: 'num_outputs', message: 'Must be less than or equal to 4' }]);
  });

  it('maps 401 to a token message that never contains the token', async () => {
    const { g } = gateway([
      json(401, { title: 'Unauthenticated', detail: 'Invalid or expired API token.', status: 401 }),
    ]);
    const e = await g.account().catch((x) => x);
    expect(e.code).toBe('unauthenticated');
    expect(JSON.stringify({ m: e.message, s: e.toShape() })).not.toContain('r8_secret_token_value');
  });

  it('sends the token only to the API, never to output file hosts', async () => {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const { g, calls } = gateway([
      json(200, { username: 'u' }),
      new Response(bytes, { status: 200, headers: { 'Content-Length': '4' } }),
    ]);
    await g.account();
    await g.download('https://replicate.delivery/x/out-0.png');
    expect(calls[0]!.headers.Authorization).toBe('Bearer r8_secret_token_value');
    expect(calls[1]!.headers.Authorization).toBeUndefined();
  });

  it('retries a download that arrives shorter than Content-Length', async () => {
    const short = new Response(new Uint8Array([1, 2]), { status: 200, headers: { 'Content-Length': '4' } });
    const full = new Response(new Uint8Array([1, 2, 3, 4]), { status: 200, headers: { 'Content-Length': '4' } });
    const { g, calls } = gateway([short, full]);
    const { bytes } = await g.download('https://replicate.delivery/x/out-0.png');
    expect(bytes).toHaveLength(4);
    expect(calls).toHaveLength(2);
  });

  it('reports a removed output as lost, without retrying', async () => {
    const { g, calls } = gateway([new Response('gone', { status: 404 })]);
    const e = await g.download('https://replicate.delivery/x/out-0.png').catch((x) => x);
    expect(e.code).toBe('lost');
    expect(calls).toHaveLength(1);
  });

  it('stops waiting when the caller aborts', async () => {
    const s = scripted([json(503, {}), json(503, {})]);
    const ac = new AbortController();
    const g = new ReplicateGateway({
      fetch: s.fetchFn,
      baseUrl: () => 'https://api.example/v1',
      token: async () => 't0ken_value',
      sleep: async () => ac.abort(new Error('stop')),
    });
    await expect(g.getPrediction('p', { signal: ac.signal })).rejects.toThrow('stop');
  });

  it('asks for a token before calling when there is none', async () => {
    const g = new ReplicateGateway({
      fetch: async () => json(200, {}),
      baseUrl: () => 'https://x/v1',
      token: async () => null,
    });
    await expect(g.account()).rejects.toMatchObject({ code: 'unauthenticated' });
  });
});
