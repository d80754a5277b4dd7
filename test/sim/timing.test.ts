/**
 * Timing: boot, denoising steps and the tail after the last step (VAE decode, safety checker,
 * upload), the `realistic` preset, and logs that grow the way diffusers/tqdm print them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CARD_EXAMPLE } from '../fixtures/model-card';
import { REALISTIC_TIMING, startSimulator, type PredictionJson, type Simulator } from './server';
import { api, create, manualClock } from './test-helpers';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const get = async (id: string) => (await api<PredictionJson>(sim!, 'GET', `/predictions/${id}`)).body;
const lastLine = (logs: string) => logs.trimEnd().split('\n').pop();

describe('tailMs', () => {
  it('keeps a finished denoising loop `processing` for the tail, without outputs or closing lines', async () => {
    const clock = manualClock();
    sim = await startSimulator({ now: clock.now, timing: { bootMs: 1000, stepMs: 100, tailMs: 500 } });
    const { body } = await create(sim, { prompt: 'x', num_inference_steps: 10 });
    clock.advance(1000 + 10 * 100);
    let p = await get(body.id);
    expect(p.status).toBe('processing');
    expect(lastLine(p.logs)).toBe('100%|██████████| 10/10 [00:01<00:00, 10.00it/s]');
    expect(p.logs).not.toContain('Total safe images');
    expect(p.output).toBeNull();
    expect(p.metrics).toBeUndefined();
    clock.advance(499);
    expect((await get(body.id)).status).toBe('processing');
    clock.advance(1);
    p = await get(body.id);
    expect(p.status).toBe('succeeded');
    expect(p.logs).toMatch(/10\/10 \[00:01<00:00, 10\.00it\/s\]\nTotal safe images: 1 out of 1\n$/);
    expect(p.metrics).toEqual({ predict_time: 1.5, total_time: 2.5 });
  });

  it('applies only after a completed loop: an OOM in the first step fails at once; all-NSFW fails after the tail', async () => {
    const clock = manualClock();
    sim = await startSimulator({ now: clock.now, timing: { bootMs: 1000, stepMs: 100, tailMs: 500 } });
    const oom = (await create(sim, { prompt: 'x [oom]', num_inference_steps: 10 })).body;
    const nsfw = (await create(sim, { prompt: 'x [nsfw]', num_inference_steps: 10 })).body;
    clock.advance(1100);
    expect((await get(oom.id)).status).toBe('failed');
    clock.advance(900);
    expect((await get(nsfw.id)).status).toBe('processing');
    clock.advance(500);
    expect((await get(nsfw.id)).status).toBe('failed');
  });

  it('rejects negative or non-numeric timings', async () => {
    await expect(startSimulator({ timing: { tailMs: -1 } })).rejects.toThrow(/tailMs/);
    await expect(startSimulator({ timing: { stepMs: Number.NaN } })).rejects.toThrow(/stepMs/);
  });
});

describe('realistic preset', () => {
  it('boots for 3 s, takes 0.3 s a step and 1.2 s of tail; the card example gives 4 × 1344×768', async () => {
    expect(REALISTIC_TIMING).toEqual({ bootMs: 3000, stepMs: 300, tailMs: 1200 });
    const clock = manualClock();
    sim = await startSimulator({ now: clock.now, realistic: true, seed: 4 });
    const { body } = await create(sim, { ...CARD_EXAMPLE });
    clock.advance(2999);
    expect((await get(body.id)).status).toBe('starting');
    clock.advance(1);
    let p = await get(body.id);
    expect(p.status).toBe('processing');
    // Cog logs in the predictor's order, then the tqdm bar diffusers draws, one line per update.
    expect(p.logs).toMatch(
      /^Loaded LoRAs in \d\.\d\ds\nUsing seed: \d+\nPrompt: subject woman[^\n]*\n\[!\] txt2img mode\n {2}0%\| {10}\| 0\/32 \[00:00<\?, \?it\/s\]\n$/,
    );
    clock.advance(300);
    expect(lastLine((await get(body.id)).logs)).toBe('  3%|▎         | 1/32 [00:00<00:09,  3.33it/s]');
    clock.advance(9 * 300 + 150);
    p = await get(body.id);
    expect(lastLine(p.logs)).toBe(' 31%|███▏      | 10/32 [00:03<00:06,  3.33it/s]');
    expect(p.logs.split('\n').filter((l) => /\|\s*\d+\/32 \[/.test(l))).toHaveLength(11);
    clock.advance(22 * 300 - 150);
    p = await get(body.id);
    expect(p.status).toBe('processing');
    expect(lastLine(p.logs)).toBe('100%|██████████| 32/32 [00:09<00:00,  3.33it/s]');
    clock.advance(1200);
    p = await get(body.id);
    expect(p.status).toBe('succeeded');
    expect(p.output).toHaveLength(4);
    expect(p.metrics).toEqual({ predict_time: 10.8, total_time: 13.8 });
    expect(sim.predictions()[0]!.size).toEqual({ width: 1344, height: 768 });
  });

  it('explicit timings override the preset; 28 default steps take 8.4 s', async () => {
    const clock = manualClock();
    sim = await startSimulator({ now: clock.now, realistic: true, timing: { bootMs: 0 } });
    const { body } = await create(sim, { prompt: 'x' });
    clock.advance(28 * 300 + 1199);
    expect((await get(body.id)).status).toBe('processing');
    clock.advance(1);
    expect((await get(body.id)).status).toBe('succeeded');
  });
});
