/**
 * Headers and key sets over plain HTTP, as recorded from the real API (replicate-python's test
 * cassettes) and described by its OpenAPI document (api.replicate.com/openapi.json).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type PredictionJson, type Simulator } from './server';
import { api, create, manualClock, solidImage } from './test-helpers';

const clock = manualClock();
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    now: clock.now,
    timing: { bootMs: 1000, stepMs: 100, tailMs: 100 },
    tokens: { r8_sim_token: { username: 'sim-user' }, r8_broke: { username: 'broke', credit: 'none' } },
  });
});
afterAll(() => sim.close());

const get = (id: string) => api<PredictionJson>(sim, 'GET', `/predictions/${id}`);

describe('prediction key sets through the lifecycle', () => {
  it('create → starting → processing → succeeded → list item', async () => {
    const created = await create(sim, { prompt: 'keys', num_inference_steps: 2 });
    expect(Object.keys(created.body)).toEqual([
      'id',
      'model',
      'version',
      'input',
      'logs',
      'output',
      'data_removed',
      'error',
      'status',
      'created_at',
      'urls',
    ]);
    const common = [
      'id',
      'model',
      'version',
      'input',
      'logs',
      'output',
      'data_removed',
      'error',
      'status',
      'source',
      'created_at',
    ];
    expect(Object.keys((await get(created.body.id)).body)).toEqual([...common, 'urls']);
    clock.advance(1000);
    const processing = (await get(created.body.id)).body;
    expect(Object.keys(processing)).toEqual([...common, 'started_at', 'urls']);
    clock.advance(300);
    const done = await get(created.body.id);
    expect(done.headers.get('content-type')).toBe('application/json');
    expect(Object.keys(done.body)).toEqual([...common, 'started_at', 'completed_at', 'metrics', 'urls']);
    expect(Object.keys(done.body.metrics!)).toEqual(['predict_time', 'total_time']);
    expect(Object.keys(done.body.urls)).toEqual(['web', 'get', 'cancel']);
    const list = await api(sim, 'GET', '/predictions');
    expect(Object.keys(list.body)).toEqual(['next', 'previous', 'results']);
    expect(Object.keys(list.body.results[0])).toEqual(
      common.filter((k) => k !== 'logs').concat(['started_at', 'completed_at', 'metrics', 'urls']),
    );
  });

  it('a Cancel-After deadline and a webhook show up as keys of their own', async () => {
    const r = await api(sim, 'POST', '/predictions', {
      body: {
        version: (await api(sim, 'GET', '/models/sandrasocial/sseelfie-ai')).body.latest_version.id,
        input: { prompt: 'x' },
        webhook: 'https://example.com/hook',
        webhook_events_filter: ['completed'],
      },
      headers: { 'cancel-after': '30s' },
    });
    expect(r.body).toMatchObject({
      deadline: expect.any(String),
      webhook: 'https://example.com/hook',
      webhook_events_filter: ['completed'],
    });
    expect(r.headers.get('location')).toBeNull();
  });
});

describe('error bodies are application/problem+json', () => {
  it.each([
    [
      '401 missing token',
      () => api(sim, 'GET', '/account', { token: null }),
      401,
      { title: 'Unauthenticated', detail: 'You did not pass an authentication token', status: 401 },
    ],
    [
      '404 unknown route',
      () => api(sim, 'GET', '/nowhere'),
      404,
      { detail: 'The requested resource could not be found.', status: 404 },
    ],
    [
      '402 no credit',
      () => create(sim, { prompt: 'x' }, { token: 'r8_broke' }),
      402,
      { title: 'Insufficient credit', status: 402 },
    ],
    ['422 bad input', () => create(sim, { prompt: 1 }), 422, { title: 'Input validation failed', status: 422 }],
    [
      '400 bad Prefer',
      () => create(sim, { prompt: 'x' }, { headers: { prefer: 'wait=0' } }),
      400,
      { title: 'Bad request', status: 400 },
    ],
  ])('%s', async (_name, call, status, body) => {
    const r = await call();
    expect(r.status).toBe(status);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    expect(r.body).toMatchObject(body);
    expect(typeof r.body.detail).toBe('string');
  });

  it('gateway faults too', async () => {
    sim.setFaults([{ endpoint: 'account', kind: 'status', status: 503 }]);
    const r = await api(sim, 'GET', '/account');
    expect(r.status).toBe(503);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    sim.setFaults([]);
  });
});

describe('two origins', () => {
  it('the delivery origin serves output files only; the API origin serves none', async () => {
    const { body } = await create(sim, { prompt: 'x', num_inference_steps: 1 });
    clock.advance(1300);
    const url = new URL((await get(body.id)).body.output![0]!);
    expect(url.origin).toBe(sim.deliveryOrigin);
    expect(url.pathname).toMatch(/^\/xezq\/[A-Za-z0-9]{49}\/out-0\.webp$/);
    const ok = await fetch(url);
    expect([ok.status, ok.headers.get('content-type')]).toEqual([200, 'image/webp']);
    expect((await fetch(`${sim.origin}${url.pathname}`)).status).toBe(404);
    const apiOnDelivery = await fetch(`${sim.deliveryOrigin}/v1/account`, {
      headers: { authorization: `Bearer ${sim.token}` },
    });
    expect([apiOnDelivery.status, await apiOnDelivery.text()]).toEqual([404, 'Not Found']);
    // The token in the path is not the prediction id: URLs cannot be guessed from ids.
    expect(url.pathname).not.toContain(body.id);
    expect((await fetch(`${sim.deliveryOrigin}/xezq/${'a'.repeat(49)}/out-0.webp`)).status).toBe(404);
  });
});

describe('files', () => {
  it('the `type` form field sets content_type, over the part’s own type', async () => {
    const png = await solidImage(4, 4, [9, 9, 9]);
    const form = new FormData();
    form.append('content', new Blob([new Uint8Array(png)], { type: 'application/octet-stream' }), 'photo.png');
    form.append('type', 'image/png');
    const res = await fetch(`${sim.baseUrl}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.token}` },
      body: form,
    });
    expect(res.status).toBe(201);
    const f = (await res.json()) as any;
    expect(f).toMatchObject({ name: 'photo.png', content_type: 'image/png', size: png.length });
    const dl = await fetch(`${f.urls.get}/download`, { headers: { authorization: `Bearer ${sim.token}` } });
    expect(dl.headers.get('content-type')).toBe('image/png');
    expect(Object.keys(f)).toEqual([
      'id',
      'name',
      'content_type',
      'size',
      'etag',
      'checksums',
      'metadata',
      'created_at',
      'expires_at',
      'urls',
    ]);
  });
});
