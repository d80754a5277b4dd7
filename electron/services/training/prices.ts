/**
 * What a training costs: `metrics.predict_time` (seconds the trainer ran) × the hardware's price.
 * Replicate's API returns no prices, so they come from this table, dated, which the person can
 * correct: the app writes it once to `<library>/.sseelfie/training-prices.json` and reads that
 * file from then on (an edited price is used at once; a damaged file falls back to this table).
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
}

export const DEFAULT_PRICES: PriceTable = {
  asOf: '2025-06-01',
  currency: 'USD',
  perSecond: {
    cpu: 0.0001,
    'gpu-t4': 0.000225,
    'gpu-l40s': 0.000975,
    'gpu-l40s-2x': 0.00195,
    'gpu-a100-large': 0.0014,
    'gpu-a100-large-2x': 0.0028,
    'gpu-h100': 0.001525,
    'gpu-h100-8x': 0.0122,
  },
  trainerHardware: {
    'ostris/flux-dev-lora-trainer': 'gpu-h100',
    'replicate/fast-flux-trainer': 'gpu-h100-8x',
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

export class TrainingPrices {
  constructor(private readonly file: string) {}

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
