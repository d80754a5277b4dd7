import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainingProgress } from '../../../../electron/services/training/training-log';
import { costOf, DEFAULT_PRICES, TrainingPrices } from '../../../../electron/services/training/prices';
import { trainingView } from '../../../../electron/services/training/training-view';
import type { TrainingRecord } from '../../../../electron/services/training/training-journal';

describe('training progress from the logs', () => {
  it('reads the last tqdm update of a \\r-rewritten bar with the trainer prefix', () => {
    const logs = [
      'Extracted 24 files from zip to input_images',
      'Starting train job',
      'flux_train_replicate:   0%|          | 0/3000 [00:00<?, ?it/s]\rflux_train_replicate:  50%|█████     | 1500/3000 [26:15<26:15, 1.05s/it, lr: 4.0e-04 loss: 3.1e-01]\rflux_train_replicate:  83%|████▎ | 2482/3000 [43:27<09:04, 1.05s/it, lr: 4.0e-04 loss: 2.472e-01]',
    ].join('\n');
    expect(parseTrainingProgress(logs)).toEqual({
      step: 2482,
      total: 3000,
      percent: 82,
      elapsedSec: 43 * 60 + 27,
      etaSec: 9 * 60 + 4,
      loss: 0.2472,
      learningRate: 0.0004,
    });
  });

  it('the first bar (eta "?"), a bar followed by a newline and more lines, hours in the times, no bar at all', () => {
    expect(parseTrainingProgress('flux_train_replicate:   0%|          | 0/1000 [00:00<?, ?it/s]')).toEqual({
      step: 0,
      total: 1000,
      percent: 0,
      elapsedSec: 0,
    });
    expect(
      parseTrainingProgress(
        'flux_train_replicate: 100%|██████████| 4000/4000 [1:10:02<00:00, 1.05s/it, lr: 4.0e-04 loss: 1.2e-01]\nSaving at step 4000\n',
      ),
    ).toMatchObject({ step: 4000, percent: 100, elapsedSec: 4202, etaSec: 0 });
    expect(parseTrainingProgress('Downloaded base weights in 2.4 seconds\nCaptioning image 3 of 10\n')).toBeUndefined();
    expect(parseTrainingProgress('')).toBeUndefined();
  });
});

describe('cost from the dated price table', () => {
  it('predict_time × the hardware price of the trainer', () => {
    expect(DEFAULT_PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(costOf(DEFAULT_PRICES, 'ostris/flux-dev-lora-trainer', 1200)).toBeCloseTo(1200 * 0.001525, 4);
    expect(costOf(DEFAULT_PRICES, 'replicate/fast-flux-trainer', 100)).toBeCloseTo(
      100 * DEFAULT_PRICES.perSecond['gpu-h100-8x']!,
      4,
    );
  });

  it('is written out once to be edited, and an edited price is the one used; a damaged file falls back', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sseelfie-prices-'));
    const file = path.join(dir, 'training-prices.json');
    const prices = new TrainingPrices(file);
    expect(await prices.table()).toEqual(DEFAULT_PRICES);
    expect(existsSync(file)).toBe(false); // looking writes nothing
    expect(await prices.table({ writeDefault: true })).toEqual(DEFAULT_PRICES);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(DEFAULT_PRICES);
    writeFileSync(file, JSON.stringify({ ...DEFAULT_PRICES, asOf: '2026-01-01', perSecond: { 'gpu-h100': 0.002 } }));
    const edited = await prices.table();
    expect(edited.asOf).toBe('2026-01-01');
    expect(costOf(edited, 'ostris/flux-dev-lora-trainer', 1000)).toBe(2);
    expect(edited.perSecond['gpu-t4']).toBe(DEFAULT_PRICES.perSecond['gpu-t4']);
    writeFileSync(file, '{ not json');
    expect(await prices.table()).toEqual(DEFAULT_PRICES);
  });
});

describe('the training view', () => {
  const rec: TrainingRecord = {
    v: 1,
    id: 't1',
    state: 'running',
    createdAt: 0,
    updatedAt: 0,
    trainingId: 'abc',
    startedAt: 1_000_000,
    request: {
      photos: [{ file: '/a.jpg' }],
      destination: 'me/m',
      triggerWord: 'SSLFQX',
      trainer: 'ostris/flux-dev-lora-trainer',
      input: {},
    },
  };
  it('while running: elapsed on the server clock, and the whole cost estimated from elapsed + time left', () => {
    const v = trainingView(rec, {
      progress: { step: 2482, total: 3000, percent: 82, etaSec: 544 },
      prices: DEFAULT_PRICES,
      serverNow: 1_000_000 + 2607_000,
    });
    expect(v.elapsedSec).toBe(2607);
    expect(v.cost).toEqual({
      usd: costOf(DEFAULT_PRICES, rec.request.trainer, 2607 + 544),
      estimated: true,
      priceAsOf: '2026-12-03',
    });
  });
  it('when done: the billed predict_time, not an estimate', () => {
    const v = trainingView(
      { ...rec, state: 'succeeded', completedAt: 1_000_000 + 3200_000, predictTime: 3150, versionId: 'f'.repeat(64) },
      { prices: DEFAULT_PRICES, serverNow: 9e12 },
    );
    expect(v).toMatchObject({
      elapsedSec: 3200,
      predictTime: 3150,
      modelRef: `me/m:${'f'.repeat(64)}`,
      cost: { usd: costOf(DEFAULT_PRICES, rec.request.trainer, 3150), estimated: false },
    });
  });
});
