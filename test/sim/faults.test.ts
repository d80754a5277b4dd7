/** Injected failures behave like the real network and gateway failures they stand for. */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector, mulberry32, parseFaultSpec, type FaultRule } from './faults';
import { startSimulator, type Simulator } from './server';
import { api, create, latestVersion, rawGet, run, solidImage, uploadFile } from './test-helpers';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(faults: FaultRule[] = [], seed = 1): Promise<Simulator> {
  sim = await startSimulator({ timing: { bootMs: 0, stepMs: 0 }, faults, seed });
  return sim;
}

describe('status faults', () => {
  it('429 carries Retry-After and the throttling text, then clears', async () => {
    const s = await start([{ endpoint: 'predictions.get', kind: 'status', status: 429, retryAfterSec: 7 }]);
    const { body } = await create(s, { prompt: 'x' });
    const throttled = await api(s, 'GET', `/predictions/${body.id}`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(throttled.body).toEqual({ detail: 'Request was throttled. Your rate limit resets in ~7s.', status: 429 });
    expect((await api(s, 'GET', `/predictions/${body.id}`)).status).toBe(200);
  });

  it('honours after and times, and rejects before auth like a gateway would', async () => {
    const s = await start([{ endpoint: 'account', kind: 'status', status: 503, after: 1, times: 2 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await api(s, 'GET', '/account')).status);
    expect(statuses).toEqual([200, 503, 503, 200]);
    s.setFaults([{ endpoint: 'account', kind: 'status', status: 500 }]);
    const r = await api(s, 'GET', '/account', { token: null });
    expect(r).toMatchObject({ status: 500, body: { detail: 'Internal server error', status: 500 } });
  });

  it('a 5xx on create does not create a prediction', async () => {
    const s = await start();
    const version = await latestVersion(s);
    s.setFaults([{ endpoint: 'predictions.create', kind: 'status', status: 502 }]);
    const r = await create(s, { prompt: 'x' }, { version });
    expect(r.status).toBe(502);
    expect(s.stats()).toMatchObject({ createCalls: 1, predictionsCreated: 0 });
  });
});

describe('the CLI fault specs the team uses', () => {
  it('predictions.get:status:503:8 answers eight 503s, then the prediction; the prediction runs on meanwhile', async () => {
    const s = await start([parseFaultSpec('predictions.get:status:503:8')]);
    const { body } = await create(s, { prompt: 'x' });
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await api(s, 'GET', `/predictions/${body.id}`)).status);
    expect(statuses).toEqual([...Array(8).fill(503), 200]);
    expect(s.predictions()[0]!.status).toBe('succeeded');
  });

  it('predictions.list:status:503:3 and predictions.create:lost-response together: the list finds the lost one after the outage', async () => {
    const s = await start();
    const version = await latestVersion(s);
    s.setFaults(['predictions.create:lost-response', 'predictions.list:status:503:3'].map(parseFaultSpec));
    await expect(create(s, { prompt: 'lost' }, { version })).rejects.toThrow(/fetch failed/);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await api(s, 'GET', '/predictions')).status);
    expect(statuses).toEqual([503, 503, 503, 200]);
    expect((await api(s, 'GET', '/predictions')).body.results[0].input).toEqual({ prompt: 'lost' });
  });

  it('output faults hit the delivery origin, and are recorded there', async () => {
    const s = await start();
    const p = await run(s, { prompt: 'x' });
    s.setFaults([parseFaultSpec('output:status:502:1')]);
    expect((await fetch(p.output![0]!)).status).toBe(502);
    expect((await fetch(p.output![0]!)).status).toBe(200);
    expect(
      s
        .stats()
        .requests.filter((r) => r.origin === 'delivery')
        .map((r) => r.status),
    ).toEqual([502, 200]);
  });
});

describe('connection faults', () => {
  it('reset: the client sees a socket error and nothing is created', async () => {
    const s = await start();
    const version = await latestVersion(s);
    s.setFaults([{ endpoint: 'predictions.create', kind: 'reset' }]);
    await expect(create(s, { prompt: 'x' }, { version })).rejects.toThrow(/fetch failed/);
    expect(s.stats()).toMatchObject({ createCalls: 1, predictionsCreated: 0 });
    expect(s.predictions()).toHaveLength(0);
  });

  it('lost-response: the prediction exists although the client saw a socket error', async () => {
    const s = await start();
    const version = await latestVersion(s);
    s.setFaults([{ endpoint: 'predictions.create', kind: 'lost-response' }]);
    await expect(create(s, { prompt: 'lost but billed' }, { version })).rejects.toThrow(/fetch failed/);
    expect(s.stats()).toMatchObject({ createCalls: 1, predictionsCreated: 1 });
    const list = await api(s, 'GET', '/predictions');
    expect(list.body.results).toHaveLength(1);
    expect(list.body.results[0].input).toEqual({ prompt: 'lost but billed' });
  });

  it('lost-response on upload: the file is stored', async () => {
    const s = await start([{ endpoint: 'files.create', kind: 'lost-response' }]);
    await expect(uploadFile(s, await solidImage(8, 8, [0, 0, 0]), 'a.png')).rejects.toThrow(/fetch failed/);
    expect(s.files()).toHaveLength(1);
    expect(s.stats().uploads).toBe(1);
  });

  it('truncate: Content-Length promises more bytes than arrive (outputs and file downloads)', async () => {
    const s = await start();
    const p = await run(s, { prompt: 'x', output_format: 'png' });
    s.setFaults([{ endpoint: 'output', kind: 'truncate' }]);
    const cut = await rawGet(p.output![0]!);
    expect(cut.status).toBe(200);
    expect(cut.complete).toBe(false);
    expect(cut.received).toBeLessThan(cut.contentLength);
    await expect(fetch(p.output![0]!).then((r) => r.arrayBuffer())).resolves.toBeInstanceOf(ArrayBuffer); // times: 1

    const file = await uploadFile(s, await solidImage(64, 64, [1, 2, 3]), 'x.png');
    s.setFaults([{ endpoint: 'files.get', kind: 'truncate' }]);
    const dl = await rawGet(`${file.body.urls.get}/download`, { authorization: `Bearer ${s.token}` });
    expect(dl.received).toBeLessThan(dl.contentLength);
    expect(dl.contentLength).toBe(file.body.size);
  });

  it('latency delays without changing the answer', async () => {
    const s = await start([{ endpoint: 'account', kind: 'latency', ms: 30, times: Infinity }]);
    for (let i = 0; i < 3; i++) expect((await api(s, 'GET', '/account')).status).toBe(200);
  });
});

describe('fault dice', () => {
  it('probability is deterministic for a seed', () => {
    const pattern = (seed: number) => {
      const f = new FaultInjector(
        [{ endpoint: 'predictions.get', kind: 'reset', probability: 0.5, times: Infinity }],
        mulberry32(seed),
      );
      return Array.from({ length: 40 }, () => (f.decide('predictions.get').action ? 1 : 0)).join('');
    };
    expect(pattern(42)).toBe(pattern(42));
    expect(pattern(42)).not.toBe(pattern(43));
    expect(pattern(42)).toMatch(/1/);
    expect(pattern(42)).toMatch(/0/);
  });

  it('a seeded simulator hits the same calls every run', async () => {
    const hits = async () => {
      const s = await startSimulator({
        seed: 99,
        timing: { bootMs: 0 },
        faults: [{ endpoint: 'account', kind: 'status', status: 500, probability: 0.3, times: Infinity }],
      });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await api(s, 'GET', '/account')).status);
      await s.close();
      return out;
    };
    expect(await hits()).toEqual(await hits());
  });

  it('latency stacks with the first other rule; other kinds are exclusive', () => {
    const f = new FaultInjector(
      [
        { endpoint: 'output', kind: 'latency', ms: 10 },
        { endpoint: 'output', kind: 'truncate' },
        { endpoint: 'output', kind: 'reset' },
      ],
      mulberry32(1),
    );
    expect(f.decide('output')).toEqual({ latencyMs: 10, action: { kind: 'truncate' } });
    expect(f.decide('output')).toEqual({ latencyMs: 0, action: { kind: 'reset' } });
    expect(f.decide('output')).toEqual({ latencyMs: 0, action: null });
  });

  it('parses CLI fault specs', () => {
    expect(parseFaultSpec('predictions.create:status:503:2')).toEqual({
      endpoint: 'predictions.create',
      kind: 'status',
      status: 503,
      times: 2,
    });
    expect(parseFaultSpec('output:truncate')).toEqual({ endpoint: 'output', kind: 'truncate' });
    expect(parseFaultSpec('predictions.get:reset:inf')).toEqual({
      endpoint: 'predictions.get',
      kind: 'reset',
      times: Infinity,
    });
    expect(parseFaultSpec('account:latency:800:3')).toEqual({
      endpoint: 'account',
      kind: 'latency',
      ms: 800,
      times: 3,
    });
    expect(() => parseFaultSpec('account:status:404')).toThrow(/429, 500, 502 or 503/);
    expect(() => parseFaultSpec('nowhere:reset')).toThrow(/Unknown fault endpoint/);
    expect(() => parseFaultSpec('account:explode')).toThrow(/Unknown fault kind/);
  });
});
