/**
 * `setOffline`: the network, not the API, goes away. Every connection to either port is refused or
 * reset (no HTTP answer at all), predictions keep advancing on the clock, and the simulator comes
 * back on the same ports so every URL handed out before still works.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './server';
import { api, create, manualClock } from './test-helpers';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** The error code of a request that failed below HTTP, or the status if it got an answer. */
function rawStatus(url: string, agent?: http.Agent): Promise<{ status?: number; code?: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: agent ?? false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ code: e.code }));
  });
}

describe('offline', () => {
  it('refuses both ports, keeps the clock running, and comes back on the same ports', async () => {
    const clock = manualClock();
    sim = await startSimulator({ now: clock.now, timing: { bootMs: 1000, stepMs: 100, tailMs: 200 } });
    const { body: p } = await create(sim, { prompt: 'through the outage', num_inference_steps: 10 });
    const [apiOrigin, deliveryOrigin] = [sim.origin, sim.deliveryOrigin];

    await sim.setOffline(true);
    expect(sim.offline).toBe(true);
    expect(await rawStatus(`${sim.baseUrl}/predictions/${p.id}`)).toEqual({ code: 'ECONNREFUSED' });
    expect(await rawStatus(`${sim.deliveryOrigin}/xezq/whatever/out-0.webp`)).toEqual({ code: 'ECONNREFUSED' });
    await expect(api(sim, 'GET', `/predictions/${p.id}`)).rejects.toThrow(/fetch failed/);
    // Nothing answered, so nothing was logged as answered.
    expect(sim.stats().requests.filter((r) => r.path === `/v1/predictions/${p.id}`)).toHaveLength(0);

    clock.advance(1000 + 10 * 100 + 200); // the whole run happens while we are away
    await sim.setOffline(false);
    expect(sim.offline).toBe(false);
    expect([sim.origin, sim.deliveryOrigin]).toEqual([apiOrigin, deliveryOrigin]);
    const back = await api(sim, 'GET', `/predictions/${p.id}`);
    expect(back.body.status).toBe('succeeded');
    const file = await fetch(back.body.output[0]);
    expect(file.status).toBe(200);
  });

  it('resets connections that were open: idle keep-alive sockets and requests in flight', async () => {
    const clock = manualClock();
    sim = await startSimulator({ now: clock.now, timing: { bootMs: 1000, stepMs: 100 } });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await rawStatus(`${sim.baseUrl}/account`, agent)).status).toBe(401); // socket now idle in the agent
    const before = sim.stats().predictionsCreated;
    // A `Prefer: wait` request held open by the server when the network drops.
    const held = create(sim, { prompt: 'held' }, { headers: { prefer: 'wait=60' } });
    while (sim.stats().predictionsCreated === before) await new Promise((r) => setTimeout(r, 2));

    await sim.setOffline(true);
    await expect(held).rejects.toThrow(/fetch failed/);
    const reused = await rawStatus(`${sim.baseUrl}/account`, agent);
    expect(['ECONNRESET', 'ECONNREFUSED']).toContain(reused.code);
    agent.destroy();
    await sim.setOffline(false);
    // The prediction the lost request created is there, as after any lost response.
    expect((await api(sim, 'GET', '/predictions')).body.results.map((r: { input: unknown }) => r.input)).toEqual([
      { prompt: 'held' },
    ]);
  });

  it('repeated or overlapping switches settle in order; close works while offline', async () => {
    sim = await startSimulator({ timing: { bootMs: 0, stepMs: 0 } });
    await Promise.all([sim.setOffline(true), sim.setOffline(true), sim.setOffline(false), sim.setOffline(true)]);
    expect(sim.offline).toBe(true);
    expect(await rawStatus(`${sim.baseUrl}/account`)).toEqual({ code: 'ECONNREFUSED' });
    await sim.setOffline(false);
    await sim.setOffline(false);
    expect((await api(sim, 'GET', '/account')).status).toBe(200);
    await sim.setOffline(true);
    await sim.close();
    sim = undefined;
  });
});
