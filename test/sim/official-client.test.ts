/**
 * The simulator driven by Replicate's own npm client, replicate@1.4.0: whatever that client assumes
 * about the real API (checked in its source) must hold against the simulator too, or tests against
 * the simulator would not mean what they say.
 */
import { readFileSync } from 'node:fs';
import Replicate from 'replicate';
import { afterEach, describe, expect, it } from 'vitest';
import { COG_DIALECTS, type CogDialect } from './cog-schema';
import { startSimulator, type SimOptions, type Simulator } from './server';
import { manualClock, solidImage } from './test-helpers';
import { fixturePath } from './write-openapi-fixtures';

const MODEL = 'sandrasocial/sseelfie-ai';

let sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function start(opts: SimOptions = {}): Promise<{ sim: Simulator; replicate: Replicate; version: string }> {
  const sim = await startSimulator({ seed: 21, timing: { bootMs: 0, stepMs: 0 }, ...opts });
  sims.push(sim);
  const replicate = new Replicate({ auth: sim.token, baseUrl: sim.baseUrl });
  const model = await replicate.models.get('sandrasocial', 'sseelfie-ai');
  return { sim, replicate, version: model.latest_version!.id };
}

/** Waits (real time) until `cond` holds; the simulator answers on its own event loop turns. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function apiError(p: Promise<unknown>): Promise<{ name: string; message: string; response: Response }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; message: string; response: Response };
  }
  throw new Error('expected the call to fail');
}

describe('replicate.run() in its default block mode', () => {
  it('gets the output by polling after the 60 s sync window runs out (the answer says `starting`)', async () => {
    const clock = manualClock();
    const { sim, replicate, version } = await start({
      now: clock.now,
      timing: { bootMs: 2000, stepMs: 100, tailMs: 500 },
    });
    const before = sim.stats().predictionsCreated;
    // [slow]: 20 × 100 ms per step, so 50 steps take 100 s: longer than the 60 s `Prefer: wait`.
    const running = replicate.run(`${MODEL}:${version}`, {
      input: { prompt: 'a long one [slow]', num_inference_steps: 50 },
    });
    await until(() => sim.stats().predictionsCreated > before, 'the create');
    clock.advance(60_000);
    const polled = () =>
      sim.stats().requests.filter((r) => r.method === 'GET' && /^\/v1\/predictions\/[a-z0-9]+$/.test(r.path));
    // The client polls only because the timed-out answer says `starting`; had it said
    // `processing` (the old simulator), run() would have resolved to null right here.
    await until(() => polled().length > 0, 'the first poll');
    const create = sim.stats().requests.find((r) => r.method === 'POST' && r.path === '/v1/predictions')!;
    expect(create.status).toBe(202);
    expect(sim.predictions()[0]!.status).toBe('processing');
    clock.advance(50_000);
    const output = await running;
    const [done] = sim.predictions();
    expect(done!.status).toBe('succeeded');
    expect(output).toEqual(done!.output);
    expect(output).toEqual([expect.stringMatching(new RegExp(`^${sim.deliveryOrigin}/xezq/\\w+/out-0\\.webp$`))]);
  });

  it('returns the output from the sync answer itself when the model finishes in time (no poll)', async () => {
    const clock = manualClock();
    const { sim, replicate, version } = await start({
      now: clock.now,
      timing: { bootMs: 2000, stepMs: 100, tailMs: 500 },
    });
    const before = sim.stats().predictionsCreated;
    const running = replicate.run(`${MODEL}:${version}`, { input: { prompt: 'quick', num_outputs: 2 } });
    await until(() => sim.stats().predictionsCreated > before, 'the create');
    clock.advance(2000 + 28 * 100 + 500);
    const output = (await running) as string[];
    expect(output).toHaveLength(2);
    expect(
      sim.stats().requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/predictions/')),
    ).toHaveLength(0);
    const create = sim.stats().requests.find((r) => r.method === 'POST' && r.path === '/v1/predictions')!;
    expect(create.status).toBe(201);
  });
});

describe('predictions, files and errors through the client', () => {
  it('predictions.create / get / list, and paginate() across two pages', async () => {
    const clock = manualClock();
    const { sim, replicate, version } = await start({ now: clock.now, timing: { bootMs: 1000, stepMs: 10 } });
    const created = await replicate.predictions.create({ version, input: { prompt: 'hello', seed: 3 } });
    expect(created).toMatchObject({ status: 'starting', input: { prompt: 'hello', seed: 3 }, output: null, logs: '' });
    expect(created.started_at).toBeUndefined();
    clock.advance(1000 + 28 * 10);
    const got = await replicate.predictions.get(created.id);
    expect(got.status).toBe('succeeded');
    expect(got.logs).toContain('Using seed: 3\n');
    expect(got.output).toHaveLength(1);
    const ids = [created.id];
    for (let i = 0; i < 100; i++) {
      clock.advance(1);
      ids.push((await replicate.predictions.create({ version, input: { prompt: `p${i}` } })).id);
    }
    const first = await replicate.predictions.list();
    expect(first.results).toHaveLength(100);
    expect(first.results[0]!.id).toBe(ids[100]);
    expect(first.next).toMatch(new RegExp(`^${sim.baseUrl}/predictions\\?cursor=`));
    const seen: string[] = [];
    for await (const page of replicate.paginate(() => replicate.predictions.list()))
      seen.push(...page.map((p) => p.id));
    expect(seen).toEqual([...ids].reverse());
  });

  it('files.create keeps the Blob type; a Buffer is application/octet-stream; get, list and delete', async () => {
    const { replicate } = await start();
    const png = await solidImage(8, 8, [1, 2, 3]);
    const typed = await replicate.files.create(new Blob([new Uint8Array(png)], { type: 'image/png' }), {
      purpose: 'selfie',
    });
    expect(typed).toMatchObject({ content_type: 'image/png', size: png.length, metadata: { purpose: 'selfie' } });
    const untyped = await replicate.files.create(png);
    expect(untyped.content_type).toBe('application/octet-stream');
    expect((await replicate.files.get(typed.id)).urls.get).toBe(typed.urls.get);
    expect((await replicate.files.list()).results.map((f) => f.id)).toEqual([untyped.id, typed.id]);
    expect(await replicate.files.delete(typed.id)).toBe(true);
  });

  it('failures arrive as ApiError carrying the problem+json body', async () => {
    const { sim, replicate, version } = await start();
    const missing = await apiError(replicate.predictions.get('nosuchprediction0000000000'));
    expect(missing.name).toBe('ApiError');
    expect(missing.response.status).toBe(404);
    expect(missing.response.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.message).toContain('{"detail":"The requested resource could not be found.","status":404}');

    const wrong = new Replicate({ auth: 'r8_not_a_token', baseUrl: sim.baseUrl });
    const unauth = await apiError(wrong.accounts.current());
    expect(unauth.response.status).toBe(401);
    expect(unauth.message).toContain(
      '{"title":"Unauthenticated","detail":"You did not pass a valid authentication token","status":401}',
    );

    const invalid = await apiError(replicate.predictions.create({ version, input: { prompt: 'x', num_outputs: 9 } }));
    expect(invalid.response.status).toBe(422);
    expect(invalid.response.headers.get('content-type')).toBe('application/problem+json');
    expect(invalid.message).toContain('"title":"Input validation failed"');
    expect(invalid.message).toContain('"invalid_fields":[{"type":"less_than_equal","field":"input.num_outputs"');
  });
});

describe('the output host', () => {
  it('gets no token: every delivery request is unauthenticated, every API request carries one', async () => {
    const { sim, replicate, version } = await start();
    const output = (await replicate.run(`${MODEL}:${version}`, { input: { prompt: 'x', num_outputs: 2 } })) as string[];
    expect(output).toHaveLength(2);
    // The client hands back plain strings for http: URLs (FileOutput is only for https:), so the
    // files are fetched the way its FileOutput does: a bare fetch without headers.
    for (const url of output) expect((await fetch(url)).status).toBe(200);
    const reqs = sim.stats().requests;
    const delivery = reqs.filter((r) => r.origin === 'delivery');
    expect(delivery).toHaveLength(2);
    expect(delivery.every((r) => !r.authorized && r.status === 200)).toBe(true);
    expect(reqs.filter((r) => r.origin === 'api').every((r) => r.authorized)).toBe(true);
    // The record tells a token apart: a request that does send one is flagged.
    await fetch(output[0]!, { headers: { authorization: `Bearer ${sim.token}` } });
    expect(sim.stats().requests.at(-1)).toMatchObject({ origin: 'delivery', authorized: true });
    expect(new URL(output[0]!).origin).toBe(sim.deliveryOrigin);
    expect(sim.deliveryOrigin).not.toBe(sim.origin);
  });
});

describe('openapi_schema in every Cog dialect', () => {
  const fixture = (d: CogDialect) => JSON.parse(readFileSync(fixturePath(d), 'utf8'));

  it.each(COG_DIALECTS)(
    '%s: the whole Cog document, exactly the fixture file, and the model runs on it',
    async (dialect) => {
      const { replicate, version } = await start({ schemaDialect: dialect });
      const model = await replicate.models.get('sandrasocial', 'sseelfie-ai');
      const doc = model.latest_version!.openapi_schema as any;
      expect(doc).toEqual(fixture(dialect));
      expect((await replicate.models.versions.get('sandrasocial', 'sseelfie-ai', version)).openapi_schema).toEqual(doc);
      expect(Object.keys(doc)).toEqual(['info', 'paths', 'openapi', 'components']); // jsonb order, as served
      expect(Object.keys(doc.paths).sort()).toEqual([
        '/',
        '/health-check',
        '/predictions',
        '/predictions/{prediction_id}',
        '/predictions/{prediction_id}/cancel',
        '/shutdown',
      ]);
      for (const name of [
        'Input',
        'Output',
        'Status',
        'WebhookEvent',
        'ValidationError',
        'HTTPValidationError',
        'PredictionRequest',
        'PredictionResponse',
        'aspect_ratio',
        'model',
        'output_format',
        'megapixels',
      ]) {
        expect(doc.components.schemas[name], name).toBeDefined();
      }
      const props = doc.components.schemas.Input.properties;
      expect(Object.values(props).every((p: any) => Number.isInteger(p['x-order']))).toBe(true);
      expect(doc.components.schemas.Input.required).toEqual(['prompt']);
      const ar = props.aspect_ratio;
      const seed = props.seed;
      switch (dialect) {
        case 'cog-allof':
          expect(ar.allOf).toEqual([{ $ref: '#/components/schemas/aspect_ratio' }]);
          expect(seed).toMatchObject({ type: 'integer', title: 'Seed' });
          break;
        case 'cog-bare-ref':
          expect(ar.$ref).toBe('#/components/schemas/aspect_ratio');
          expect(ar.allOf).toBeUndefined();
          expect(seed.type).toBe('integer');
          break;
        case 'cog-pydantic2-anyof':
          expect(ar.$ref).toBe('#/components/schemas/aspect_ratio');
          expect(seed).toMatchObject({ anyOf: [{ type: 'integer' }, { type: 'null' }], default: null });
          expect(props.height.anyOf[0]).toEqual({ type: 'integer', minimum: 256, maximum: 1440 });
          expect(doc.components.schemas.PredictionResponse.properties.error.anyOf).toEqual([
            { type: 'string' },
            { type: 'null' },
          ]);
          break;
        case 'cog-nullable':
          expect(ar.allOf).toEqual([{ $ref: '#/components/schemas/aspect_ratio' }]);
          expect(seed).toMatchObject({ type: 'integer', nullable: true });
          break;
      }
      expect(ar).toMatchObject({ default: '1:1', 'x-order': 3 });

      // The API validates against the served document, whatever its dialect.
      const badEnum = await apiError(
        replicate.predictions.create({ version, input: { prompt: 'x', aspect_ratio: '7:5' } }),
      );
      expect(badEnum.message).toContain('input.aspect_ratio must be one of the following: \\"1:1\\"');
      const badRange = await apiError(replicate.predictions.create({ version, input: { prompt: 'x', height: 100 } }));
      expect(badRange.message).toContain('"field":"input.height"');
      // `null` is a value only where the dialect declares it (anyOf with null, nullable).
      const nullSeed = replicate.predictions.create({ version, input: { prompt: 'x', seed: null } });
      if (dialect === 'cog-pydantic2-anyof' || dialect === 'cog-nullable')
        await expect(nullSeed).resolves.toMatchObject({ status: 'starting' });
      else expect((await apiError(nullSeed)).message).toContain('Invalid type. Expected: integer, given: null');
      // Defaults come from the document: webp, 1:1 → 1024×1024.
      const output = (await replicate.run(`${MODEL}:${version}`, { input: { prompt: 'defaults' } })) as string[];
      expect(output[0]).toMatch(/out-0\.webp$/);
    },
  );

  it('a model can hold versions written in different dialects', async () => {
    const { replicate } = await start({
      defaultModel: { versions: [{ dialect: 'cog-allof' }, { dialect: 'cog-pydantic2-anyof' }] },
    });
    const { results } = await replicate.models.versions.list('sandrasocial', 'sseelfie-ai');
    expect(results.map((v) => v.cog_version)).toEqual(['0.11.1', '0.9.26']);
    expect((results[0]!.openapi_schema as any).components.schemas.Input.properties.seed.anyOf).toBeDefined();
    expect((results[1]!.openapi_schema as any).components.schemas.Input.properties.aspect_ratio.allOf).toBeDefined();
  });
});
