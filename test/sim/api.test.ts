/** The simulator speaks Replicate's HTTP API (reference §2): bodies, status codes, lifecycle. */
import Replicate from 'replicate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type PredictionJson, type Simulator } from './server';
import { api, create, download, latestVersion, manualClock, run, solidImage, waitDone } from './test-helpers';

const TOKENS = {
  r8_sim_token: { username: 'sim-user', name: 'Sim User' },
  r8_broke: { username: 'broke-user', credit: 'none' as const },
  r8_owner: { username: 'studio-owner' },
};

describe('auth, account and models', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      tokens: TOKENS,
      timing: { bootMs: 0, stepMs: 0 },
      extraModels: [
        { owner: 'studio-owner', name: 'secret', visibility: 'private' },
        { owner: 'sim-user', name: 'retrained', versions: [{ predictor: 'legacy' }, {}, {}] },
      ],
    });
  });
  afterAll(() => sim.close());

  it('401 without a token and with a wrong one', async () => {
    const missing = await api(sim, 'GET', '/account', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      title: 'Unauthenticated',
      detail: 'You did not pass an authentication token',
      status: 401,
    });
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    // The text the real API sent for a wrong token (replicate-python cassette run__invalid-token.yaml).
    const wrong = await api(sim, 'GET', '/account', { token: 'r8_nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      title: 'Unauthenticated',
      detail: 'You did not pass a valid authentication token',
      status: 401,
    });
    expect(wrong.headers.get('content-type')).toBe('application/problem+json');
  });

  it('accepts Bearer and Token schemes on /account', async () => {
    const bearer = await api(sim, 'GET', '/account');
    expect(bearer.body).toEqual({
      type: 'user',
      username: 'sim-user',
      name: 'Sim User',
      github_url: 'https://github.com/sim-user',
    });
    const res = await fetch(`${sim.baseUrl}/account`, { headers: { authorization: `Token ${sim.token}` } });
    expect(res.status).toBe(200);
  });

  it('serves the model with its Cog schema as latest_version', async () => {
    const r = await api(sim, 'GET', '/models/sandrasocial/sseelfie-ai');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      url: 'https://replicate.com/sandrasocial/sseelfie-ai',
      owner: 'sandrasocial',
      name: 'sseelfie-ai',
      visibility: 'public',
      cover_image_url: null,
      default_example: null,
    });
    const v = r.body.latest_version;
    expect(v.id).toMatch(/^[0-9a-f]{64}$/);
    expect(v.cog_version).toMatch(/^0\.9\./);
    const input = v.openapi_schema.components.schemas.Input;
    expect(input.required).toEqual(['prompt']);
    expect(input.properties.aspect_ratio.allOf[0].$ref).toBe('#/components/schemas/aspect_ratio');
    // Stable across restarts: the app may have stored it.
    const again = await startSimulator({ timing: { bootMs: 0 } });
    expect(await latestVersion(again)).toBe(v.id);
    await again.close();
  });

  it('lists versions newest first and serves one by id', async () => {
    const list = await api(sim, 'GET', '/models/sim-user/retrained/versions');
    expect(list.body.next).toBeNull();
    expect(list.body.previous).toBeNull();
    expect(list.body.results).toHaveLength(3);
    const dates = list.body.results.map((v: { created_at: string }) => Date.parse(v.created_at));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    const latest = await latestVersion(sim, 'sim-user/retrained');
    expect(list.body.results[0].id).toBe(latest);
    const oldest = list.body.results[2];
    expect(oldest.openapi_schema.components.schemas.Input.properties.go_fast).toBeUndefined();
    const one = await api(sim, 'GET', `/models/sim-user/retrained/versions/${oldest.id}`);
    expect(one.body.id).toBe(oldest.id);
    expect((await api(sim, 'GET', `/models/sim-user/retrained/versions/${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('404 for unknown models and for private models of others', async () => {
    const notFound = { detail: 'The requested resource could not be found.', status: 404 };
    expect(await api(sim, 'GET', '/models/nobody/nothing')).toMatchObject({ status: 404, body: notFound });
    expect(await api(sim, 'GET', '/models/studio-owner/secret')).toMatchObject({ status: 404, body: notFound });
    expect((await api(sim, 'GET', '/models/studio-owner/secret', { token: 'r8_owner' })).status).toBe(200);
    const secretVersion = await latestVersion(sim, 'studio-owner/secret', 'r8_owner');
    const other = await create(sim, { prompt: 'x' }, { version: secretVersion });
    expect(other.status).toBe(422);
    const own = await create(sim, { prompt: 'x' }, { version: secretVersion, token: 'r8_owner' });
    expect(own.status).toBe(201);
  });
});

describe('creating predictions', () => {
  let sim: Simulator;
  let version: string;
  beforeAll(async () => {
    sim = await startSimulator({ tokens: TOKENS, timing: { bootMs: 0, stepMs: 0 } });
    version = await latestVersion(sim);
  });
  afterAll(() => sim.close());

  it('returns 201 with the new prediction, starting, keys as recorded from the real API', async () => {
    const r = await create(sim, { prompt: 'hello' });
    expect(r.status).toBe(201);
    const p = r.body;
    // replicate-python cassette test_predictions_create_blocking (2024-10): no source, and no
    // started_at/completed_at/metrics keys before they have a value.
    expect(Object.keys(p)).toEqual([
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
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(p.id).toMatch(/^[a-z0-9]{26}$/);
    expect(p).toMatchObject({
      model: 'sandrasocial/sseelfie-ai',
      version,
      input: { prompt: 'hello' },
      logs: '',
      output: null,
      error: null,
      status: 'starting',
      data_removed: false,
    });
    expect(p.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(p.urls).toEqual({
      web: `https://replicate.com/p/${p.id}`,
      get: `${sim.baseUrl}/predictions/${p.id}`,
      cancel: `${sim.baseUrl}/predictions/${p.id}/cancel`,
    });
    // No create response the real API recorded carries a Location header.
    expect(r.headers.get('location')).toBeNull();
    expect(r.headers.get('preference-applied')).toBeNull();
  });

  it('accepts the bare id and owner/name:id, not owner/name', async () => {
    expect((await create(sim, { prompt: 'x' }, { version: `sandrasocial/sseelfie-ai:${version}` })).status).toBe(201);
    const invalid = {
      title: 'Invalid version or not permitted',
      detail: "The specified version does not exist (or perhaps you don't have permission to use it?)",
      status: 422,
    };
    for (const v of ['sandrasocial/sseelfie-ai', 'a'.repeat(64), `other/model:${version}`, undefined]) {
      const r = await api(sim, 'POST', '/predictions', { body: { version: v, input: { prompt: 'x' } } });
      expect(r.status).toBe(422);
      expect(r.body).toEqual(invalid);
    }
  });

  it('404 on the official-model endpoint for this community model', async () => {
    const r = await api(sim, 'POST', '/models/sandrasocial/sseelfie-ai/predictions', {
      body: { input: { prompt: 'x' } },
    });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ detail: 'The requested resource could not be found.', status: 404 });
  });

  it('422 with invalid_fields for schema violations', async () => {
    const over = await create(sim, { prompt: 'x', num_outputs: 5 });
    expect(over.status).toBe(422);
    expect(over.body).toEqual({
      title: 'Input validation failed',
      detail: '- input.num_outputs: Must be less than or equal to 4\n',
      status: 422,
      invalid_fields: [
        { type: 'less_than_equal', field: 'input.num_outputs', description: 'Must be less than or equal to 4' },
      ],
    });
    const missing = await create(sim, { num_outputs: 1 });
    expect(missing.body).toMatchObject({
      detail: '- input: prompt is required\n',
      invalid_fields: [{ type: 'required', field: 'input', description: 'prompt is required' }],
    });
    const badEnum = await create(sim, { prompt: 'x', aspect_ratio: '7:5' });
    expect((badEnum.body as any).invalid_fields[0]).toEqual({
      type: 'enum',
      field: 'input.aspect_ratio',
      description:
        'input.aspect_ratio must be one of the following: "1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21", "custom"',
    });
    const badType = await create(sim, { prompt: 'x', num_outputs: '2', megapixels: 1, width: 100 });
    expect((badType.body as any).invalid_fields).toEqual([
      { type: 'greater_than_equal', field: 'input.width', description: 'Must be greater than or equal to 256' },
      {
        type: 'invalid_type',
        field: 'input.num_outputs',
        description: 'Invalid type. Expected: integer, given: string',
      },
      {
        type: 'invalid_type',
        field: 'input.megapixels',
        description: 'Invalid type. Expected: string, given: integer',
      },
    ]);
    const badUri = await create(sim, { prompt: 'x', image: 'photo.jpg' });
    expect((badUri.body as any).invalid_fields[0]).toEqual({
      type: 'format',
      field: 'input.image',
      description: "Does not match format 'uri'",
    });
    expect(sim.stats().predictionsCreated).toBeGreaterThan(0);
  });

  it('402 for an account without credit', async () => {
    const r = await create(sim, { prompt: 'x' }, { token: 'r8_broke' });
    expect(r.status).toBe(402);
    expect(r.body).toEqual({
      title: 'Insufficient credit',
      detail:
        'You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit. Once you purchase credit, please wait a few minutes before trying again.',
      status: 402,
    });
  });

  it('Prefer: wait returns the finished prediction with its outputs and Preference-Applied', async () => {
    const r = await create(sim, { prompt: 'x', num_outputs: 2 }, { headers: { prefer: 'wait' } });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('succeeded');
    expect(r.body.output).toHaveLength(2);
    expect(r.headers.get('location')).toBeNull();
    // Echoed as sent (cassettes: `Prefer: wait` → `wait`, `Prefer: wait=10` → `wait=10`).
    expect(r.headers.get('preference-applied')).toBe('wait');
    expect((await download(r.body.output![1]!)).length).toBeGreaterThan(100);
    expect((await create(sim, { prompt: 'x' }, { headers: { prefer: 'wait=100' } })).status).toBe(400);
    const five = await create(sim, { prompt: 'x' }, { headers: { prefer: 'wait=5' } });
    expect(five.body.status).toBe('succeeded');
    expect(five.headers.get('preference-applied')).toBe('wait=5');
  });

  it('works with the official npm client (replicate@1.4.0)', async () => {
    const replicate = new Replicate({ auth: sim.token, baseUrl: sim.baseUrl, useFileOutput: false });
    const file = await replicate.files.create(await solidImage(64, 48, [10, 200, 10]));
    expect(file.urls.get).toBe(`${sim.baseUrl}/files/${file.id}`);
    const created = await replicate.predictions.create({ version, input: { prompt: 'npm', image: file.urls.get } });
    const done = await replicate.wait(created, { interval: 5 });
    expect(done.status).toBe('succeeded');
    expect(done.output).toEqual([
      expect.stringMatching(new RegExp(`^${sim.deliveryOrigin}/xezq/[A-Za-z0-9]{49}/out-0\\.webp$`)),
    ]);
    const output = await replicate.run(`sandrasocial/sseelfie-ai:${version}`, {
      input: { prompt: 'run', num_outputs: 2 },
    });
    expect(output).toHaveLength(2);
    expect((await replicate.accounts.current()).username).toBe('sim-user');
  });
});

describe('lifecycle on a controllable clock', () => {
  const clock = manualClock();
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ timing: { bootMs: 1000, stepMs: 100 }, now: clock.now, seed: 3 });
  });
  afterAll(() => sim.close());

  const get = async (id: string) => (await api<PredictionJson>(sim, 'GET', `/predictions/${id}`)).body;

  it('goes starting → processing with growing logs → succeeded', async () => {
    const { body: created } = await create(sim, { prompt: 'x', num_inference_steps: 10, seed: 42 });
    expect((await get(created.id)).status).toBe('starting');
    clock.advance(1000);
    let p = await get(created.id);
    expect(p.status).toBe('processing');
    expect(p.started_at).not.toBeNull();
    expect(p.logs).toMatch(/Using seed: 42\n[\s\S]* {2}0%\| {10}\| 0\/10 \[00:00<\?, \?it\/s\]\n$/);
    clock.advance(350);
    p = await get(created.id);
    expect(p.logs.trim().split('\n').pop()).toBe(' 30%|███       | 3/10 [00:00<00:00, 10.00it/s]');
    expect(p.metrics).toBeUndefined();
    expect(Object.keys(p)).not.toContain('completed_at');
    clock.advance(650);
    p = await get(created.id);
    expect(p.status).toBe('succeeded');
    expect(p.metrics).toEqual({ predict_time: 1, total_time: 2 });
    expect(p.logs).toContain('100%|██████████| 10/10 [00:01<00:00, 10.00it/s]\nTotal safe images: 1 out of 1\n');
  });

  it('Prefer: wait=N gives up after N seconds and answers 202 with the prediction as `starting`', async () => {
    const version = await latestVersion(sim);
    const before = sim.stats().predictionsCreated;
    const pending = create(sim, { prompt: 'x', num_inference_steps: 10 }, { version, headers: { prefer: 'wait=1' } });
    while (sim.stats().predictionsCreated === before) await new Promise((r) => setTimeout(r, 2));
    // Boot 1 s, then 10 steps of 100 ms: at 1.5 s the model is processing, yet the answer says
    // `starting` (OpenAPI predictions.create; replicate-python run.py), which is what makes both
    // official clients poll instead of taking `output: null` as the result.
    clock.advance(1500);
    const r = await pending;
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'starting', output: null, logs: '' });
    expect(Object.keys(r.body)).not.toContain('started_at');
    expect(r.headers.get('preference-applied')).toBe('wait=1');
    // The docs' "fetch the prediction again via the URL provided in the Location header".
    expect(r.headers.get('location')).toBe(r.body.urls.get);
    expect((await get(r.body.id)).status).toBe('processing');
  });

  it('Cancel-After aborts a prediction that has not started, and cancels one that has', async () => {
    const slowBoot = await startSimulator({ timing: { bootMs: 10_000, stepMs: 100 }, now: clock.now });
    const a = await create(slowBoot, { prompt: 'x' }, { headers: { 'cancel-after': '5s' } });
    expect(a.body.deadline).toBeDefined();
    clock.advance(5000);
    const aborted = (await api<PredictionJson>(slowBoot, 'GET', `/predictions/${a.body.id}`)).body;
    expect(aborted).toMatchObject({ status: 'aborted', output: null, error: null });
    expect(aborted.started_at).toBeUndefined();
    expect(aborted.metrics).toEqual({ total_time: 5 });
    await slowBoot.close();

    // [slow] × 50 steps = 100 s of processing: the 1 min deadline strikes while it runs.
    const b = await create(sim, { prompt: 'x [slow]', num_inference_steps: 50 }, { headers: { 'cancel-after': '1m' } });
    clock.advance(61_000);
    expect(await get(b.body.id)).toMatchObject({ status: 'canceled', metrics: { predict_time: 59, total_time: 60 } });

    for (const bad of ['3s', '5 minutes', '']) {
      expect((await create(sim, { prompt: 'x' }, { headers: { 'cancel-after': bad } })).status).toBe(400);
    }
    expect((await create(sim, { prompt: 'x' }, { headers: { 'cancel-after': '1h30m45s' } })).status).toBe(201);
  });

  it('cancels a running prediction; terminal ones stay as they are', async () => {
    const { body } = await create(sim, { prompt: 'x [slow]', num_inference_steps: 4 });
    clock.advance(1000 + 2 * 2000 + 500); // [slow]: 20 × 100 ms per step
    const canceled = await api<PredictionJson>(sim, 'POST', `/predictions/${body.id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe('canceled');
    expect(canceled.body.logs).toContain('| 2/4 [');
    expect(canceled.body.logs).not.toContain('| 3/4 [');
    clock.advance(60_000);
    expect((await get(body.id)).status).toBe('canceled');

    const { body: other } = await create(sim, { prompt: 'x', num_inference_steps: 1 });
    clock.advance(2000);
    const again = await api<PredictionJson>(sim, 'POST', `/predictions/${other.id}/cancel`);
    expect(again.body.status).toBe('succeeded');
    expect(again.body.output).toHaveLength(1);
    expect((await api(sim, 'POST', '/predictions/nosuchprediction0000000000/cancel')).status).toBe(404);
  });

  it('removes data after the retention period; outputs then 404', async () => {
    const { body } = await create(sim, { prompt: 'keep me', num_inference_steps: 1 });
    clock.advance(1100);
    const done = await get(body.id);
    expect(done.status).toBe('succeeded');
    const url = done.output![0]!;
    expect((await fetch(url)).status).toBe(200);
    clock.advance(3_600_000);
    const removed = await get(body.id);
    expect(removed).toMatchObject({ status: 'succeeded', data_removed: true, output: null, input: {}, logs: '' });
    expect((await fetch(url)).status).toBe(404);
  });
});

describe('listing predictions', () => {
  const clock = manualClock();
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ tokens: TOKENS, timing: { bootMs: 0, stepMs: 0 }, now: clock.now });
  });
  afterAll(() => sim.close());

  it('pages 100 at a time, newest first, with cursors and created_after', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 105; i++) {
      ids.push((await create(sim, { prompt: `p${i}` })).body.id);
      clock.advance(1000);
    }
    await create(sim, { prompt: 'someone else' }, { token: 'r8_owner' });
    const first = await api(sim, 'GET', '/predictions');
    expect(first.body.results).toHaveLength(100);
    expect(first.body.results[0].id).toBe(ids[104]);
    expect(first.body.results[0].input).toEqual({ prompt: 'p104' });
    expect(first.body.results[0].logs).toBeUndefined();
    expect(first.body.previous).toBeNull();
    const next = new URL(first.body.next);
    expect(next.searchParams.get('cursor')).toBeTruthy();
    const second = await api(sim, 'GET', `/predictions${next.search}`);
    expect(second.body.results.map((p: PredictionJson) => p.id)).toEqual(ids.slice(0, 5).reverse());
    expect(second.body.next).toBeNull();
    const back = await api(sim, 'GET', `/predictions${new URL(second.body.previous).search}`);
    expect(back.body.results.map((p: PredictionJson) => p.id)).toEqual(
      first.body.results.map((p: PredictionJson) => p.id),
    );

    const createdAt100 = first.body.results.find((p: PredictionJson) => p.id === ids[100]).created_at;
    // created_after is inclusive ("created at or after", OpenAPI predictions.list); created_before is not.
    const after = await api(sim, 'GET', `/predictions?created_after=${encodeURIComponent(createdAt100)}`);
    expect(after.body.results.map((p: PredictionJson) => p.id)).toEqual(ids.slice(100).reverse());
    const before = await api(
      sim,
      'GET',
      `/predictions?created_before=${encodeURIComponent(createdAt100)}&created_after=${encodeURIComponent(first.body.results.find((p: PredictionJson) => p.id === ids[97]).created_at)}`,
    );
    expect(before.body.results.map((p: PredictionJson) => p.id)).toEqual([ids[99], ids[98], ids[97]]);
    expect((await api(sim, 'GET', '/predictions?cursor=garbage')).status).toBe(400);
  });

  it('shows only the token owner’s predictions', async () => {
    const other = await api(sim, 'GET', '/predictions', { token: 'r8_owner' });
    expect(other.body.results).toHaveLength(1);
    const theirId = other.body.results[0].id;
    expect((await api(sim, 'GET', `/predictions/${theirId}`)).status).toBe(404);
  });
});

describe('inspection API', () => {
  it('predictions(), stats() and generationMs()', async () => {
    const sim = await startSimulator({ timing: { bootMs: 0, stepMs: 0 } });
    const p = await run(sim, { prompt: 'x', seed: 5, aspect_ratio: '3:2' });
    await download(p.output![0]!);
    const [inspected] = sim.predictions();
    expect(inspected).toMatchObject({
      id: p.id,
      status: 'succeeded',
      createdBy: 'sim-user',
      seed: 5,
      size: { width: 1216, height: 832 },
    });
    const stats = sim.stats();
    expect(stats.createCalls).toBe(1);
    expect(stats.predictionsCreated).toBe(1);
    expect(stats.requests.some((r) => r.method === 'POST' && r.path === '/v1/predictions' && r.status === 201)).toBe(
      true,
    );
    expect(sim.generationMs()).toBeGreaterThan(0);
    await sim.close();
  });

  it('waitDone helper sees the same object as GET', async () => {
    const sim = await startSimulator({ timing: { bootMs: 0, stepMs: 1 } });
    const { body } = await create(sim, { prompt: 'x', num_inference_steps: 3 });
    const done = await waitDone(sim, body.id);
    expect(done.status).toBe('succeeded');
    await sim.close();
  });
});
