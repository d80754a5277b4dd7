/**
 * What a training costs: `metrics.predict_time` (seconds the trainer ran) × the hardware's price.
 * Replicate's API returns no prices, so they come from this table, dated, which the person can
 * correct: the app writes it once to `<library>/.sseelfie/training-prices.json` and reads that
 * file from then on (an edited price is used at once; a damaged file falls back to this table).
 *
 * Source of `perSecond`: https://replicate.com/pricing (its hardware table: "Nvidia H100 GPU
 * gpu-h100 $0.001525/sec", "8x Nvidia H100 GPU gpu-h100-8x $0.012200/sec", A100 80GB $0.001400,
 * L40S $0.000975, T4 $0.000225, CPU $0.000100), checked on 2026-12-03 against a stored copy of
 * that page; every price below matched it. `trainerSpeed` is not on any page: it is read from
 * the trainer's own tqdm lines (about 1.05 s a step on an H100, as in the example
 * `2482/3000 [43:27<09:04, 1.05s/it]`) plus a few minutes of setup (weights, captions, saving).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJson, writeJsonAtomic } from '../fs/atomic';

export interface PriceTable {
  /** when these prices were read from replicate.com/pricing */
  asOf: string;
  currency: 'USD';
  /** USD per second, by hardware SKU (GET /v1/hardware) */
  perSecond: Record<string, number>;
  /** which hardware each trainer runs on (its model page says so; the API does not) */
  trainerHardware: Record<string, string>;
  /** for the estimate before a training: seconds per step and of setup, by trainer (absent: no estimate) */
  trainerSpeed: Record<string, { secondsPerStep: number; setupSeconds: number }>;
}

export const DEFAULT_PRICES: PriceTable = {
  asOf: '2026-12-03',
  currency: 'USD',
  perSecond: {
    cpu: 0.0001,
    'gpu-t4': 0.000225,
    'gpu-l40s': 0.000975,
    'gpu-2x-l40s': 0.00195,
    'gpu-a100-large': 0.0014,
    'gpu-a100-large-2x': 0.0028,
    'gpu-h100': 0.001525,
    'gpu-h100-2x': 0.00305,
    'gpu-h100-4x': 0.0061,
    'gpu-h100-8x': 0.0122,
  },
  trainerHardware: {
    'ostris/flux-dev-lora-trainer': 'gpu-h100',
    'replicate/fast-flux-trainer': 'gpu-h100-8x',
  },
  // fast-flux-trainer prints no step timing we could read: no estimate rather than a guess
  trainerSpeed: {
    'ostris/flux-dev-lora-trainer': { secondsPerStep: 1.05, setupSeconds: 240 },
  },
};

function valid(t: unknown): t is PriceTable {
  const x = t as PriceTable;
  return (
    !!x &&
    typeof x.asOf === 'string' &&
    typeof x.perSecond === 'object' &&
    x.perSecond !== null &&
    typeof x.trainerHardware === 'object' &&
    x.trainerHardware !== null &&
    Object.values(x.perSecond).every((v) => typeof v === 'number' && v >= 0 && Number.isFinite(v))
  );
}

/** The edited speeds that are numbers (a typo in one does not lose the others). */
function validSpeeds(x: unknown): PriceTable['trainerSpeed'] {
  if (!x || typeof x !== 'object') return {};
  return Object.fromEntries(
    Object.entries(x as Record<string, { secondsPerStep?: unknown; setupSeconds?: unknown }>).filter(
      ([, v]) =>
        typeof v?.secondsPerStep === 'number' &&
        v.secondsPerStep > 0 &&
        typeof v.setupSeconds === 'number' &&
        v.setupSeconds >= 0,
    ),
  ) as PriceTable['trainerSpeed'];
}

export class TrainingPrices {
  constructor(private readonly file: string) {}

  /** where the person edits the table (shown beside the estimate) */
  get path(): string {
    return this.file;
  }

  /**
   * The edited table if there is a readable one, else the built-in one; `writeDefault` writes it
   * out for the person to edit (when a training starts, not on every look).
   */
  async table(opts: { writeDefault?: boolean } = {}): Promise<PriceTable> {
    let t: unknown;
    try {
      t = await readJson<unknown>(this.file);
    } catch {
      return DEFAULT_PRICES; // damaged: left as it is for the person to fix
    }
    if (valid(t))
      return {
        ...DEFAULT_PRICES,
        ...t,
        perSecond: { ...DEFAULT_PRICES.perSecond, ...t.perSecond },
        trainerHardware: { ...DEFAULT_PRICES.trainerHardware, ...t.trainerHardware },
        trainerSpeed: { ...DEFAULT_PRICES.trainerSpeed, ...validSpeeds(t.trainerSpeed) },
      };
    if (t !== null || !opts.writeDefault) return DEFAULT_PRICES;
    await fs.mkdir(path.dirname(this.file), { recursive: true }).catch(() => {});
    await writeJsonAtomic(this.file, DEFAULT_PRICES).catch(() => {});
    return DEFAULT_PRICES;
  }
}

export function hardwareOf(table: PriceTable, trainer: string): string {
  return table.trainerHardware[trainer] ?? 'gpu-h100';
}

/** USD for `seconds` on the trainer's hardware, or null when the table has no price for it. */
export function costOf(table: PriceTable, trainer: string, seconds: number): number | null {
  const price = table.perSecond[hardwareOf(table, trainer)];
  return price === undefined ? null : Math.round(seconds * price * 10_000) / 10_000;
}
