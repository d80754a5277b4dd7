import { describe, expect, it } from 'vitest';
import { AdaptivePollPlanner, TailMemory, type PollPlanner } from '../../../../electron/services/jobs/poll-planner';

/** A prediction on a virtual clock: `bootMs` starting, `steps` × `stepMs` processing, then `tailMs`. */
function prediction(o: { bootMs: number; stepMs: number; steps: number; tailMs: number }) {
  const end = o.bootMs + o.steps * o.stepMs + o.tailMs;
  return {
    end,
    at(t: number) {
      if (t < o.bootMs) return { status: 'starting' };
      if (t >= end) return { status: 'succeeded', step: o.steps, total: o.steps };
      return { status: 'processing', step: Math.min(o.steps, Math.floor((t - o.bootMs) / o.stepMs)), total: o.steps };
    },
  };
}

/** Polls a prediction with a planner until it is seen done; returns requests made and how late. */
function drive(planner: PollPlanner, p: ReturnType<typeof prediction>) {
  let t = 0;
  let requests = 0;
  for (;;) {
    requests++;
    const seen = p.at(t);
    planner.observe({ now: t, ...seen });
    if (seen.status === 'succeeded') {
      planner.finished(t);
      return { requests, lateMs: t - p.end };
    }
    t += planner.nextDelay(t);
  }
}

/** replicate.run()'s way: every 500 ms. */
function fixedEvery(ms: number): PollPlanner {
  return { observe() {}, nextDelay: () => ms, finished() {} };
}

const REALISTIC = { bootMs: 3000, stepMs: 300, steps: 28, tailMs: 1200 };

describe('AdaptivePollPlanner', () => {
  it('backs off while the prediction waits for a GPU', () => {
    const p = new AdaptivePollPlanner();
    p.observe({ now: 0, status: 'starting' });
    expect([0, 1, 2, 3, 4, 5].map(() => p.nextDelay(0))).toEqual([1000, 1500, 2250, 3375, 4000, 4000]);
  });

  it('once it has learned the tail, sees the end within 150 ms, with fewer requests than polling every 500 ms', () => {
    const tail = new TailMemory();
    const runs = [0, 1, 2, 3].map(() => drive(new AdaptivePollPlanner({ tail }), prediction(REALISTIC)));
    const peer = drive(fixedEvery(500), prediction(REALISTIC));
    for (const r of runs.slice(1)) {
      expect(r.lateMs).toBeLessThan(150);
      expect(r.requests).toBeLessThan(peer.requests);
    }
    expect(runs[0]!.requests).toBeLessThan(peer.requests);
    expect(Math.abs(tail.value - REALISTIC.tailMs)).toBeLessThan(300);
  });

  it('waits long while the end is far, short near it (requests cluster before the end)', () => {
    const plan = new AdaptivePollPlanner({ tail: new TailMemory(1200) });
    const p = prediction(REALISTIC);
    const times: number[] = [];
    let t = 3000;
    for (let i = 0; i < 40; i++) {
      const seen = p.at(t);
      plan.observe({ now: t, ...seen });
      if (seen.status === 'succeeded') break;
      times.push(t);
      t += plan.nextDelay(t);
    }
    const lastSecond = times.filter((x) => x > p.end - 1000).length;
    const firstHalf = times.filter((x) => x < 3000 + (p.end - 3000) / 2).length;
    expect(lastSecond).toBeGreaterThanOrEqual(firstHalf);
  });

  it('a model much slower than its pace said is not polled ten times a second for ever', () => {
    const plan = new AdaptivePollPlanner({ tail: new TailMemory(100) });
    plan.observe({ now: 0, status: 'processing', step: 1, total: 4 });
    plan.observe({ now: 100, status: 'processing', step: 4, total: 4 });
    // expected end passed long ago; nothing changes
    const delays = [1000, 5000, 20_000].map(
      (t) => (plan.observe({ now: t, status: 'processing', step: 4, total: 4 }), plan.nextDelay(t)),
    );
    expect(delays[0]).toBeGreaterThanOrEqual(100);
    expect(delays[2]).toBe(1000);
  });

  it('never waits outside its bounds (the tests run it with 5–20 ms)', () => {
    const plan = new AdaptivePollPlanner({ minMs: 5, maxMs: 20 });
    const p = prediction({ bootMs: 100, stepMs: 10, steps: 28, tailMs: 50 });
    let t = 0;
    for (let i = 0; i < 200; i++) {
      const seen = p.at(t);
      plan.observe({ now: t, ...seen });
      if (seen.status === 'succeeded') break;
      const d = plan.nextDelay(t);
      expect(d).toBeGreaterThanOrEqual(5);
      expect(d).toBeLessThanOrEqual(20);
      t += d;
    }
  });
});
