/**
 * Reads a training's logs: the trainer (ai-toolkit inside flux-fine-tuner) prints tqdm bars
 * prefixed with its job name and rewrites them with `\r`, e.g.
 * `flux_train_replicate:  83%|████▎ | 2482/3000 [43:27<09:04, 1.05s/it, lr: 4.0e-04 loss: 2.472e-01]`.
 * The last bar in the text is where the training is.
 */
export interface TrainingProgress {
  step: number;
  total: number;
  percent: number;
  elapsedSec?: number;
  etaSec?: number;
  loss?: number;
  learningRate?: number;
}

function seconds(t: string): number | undefined {
  if (!/^\d+(:\d+){0,2}$/.test(t)) return undefined;
  return t
    .split(':')
    .map(Number)
    .reduce((acc, n) => acc * 60 + n, 0);
}

const BAR = /^(?:[\w.-]+:\s*)?(\d+)%\|[^|]*\|\s*(\d+)\/(\d+)(?:\s*\[([\d:]+)<([\d:?]+)(?:,([^\]]*))?\])?/;

export function parseTrainingProgress(logs: string | null | undefined): TrainingProgress | undefined {
  if (!logs) return undefined;
  const lines = logs.split(/\r\n|\r|\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = BAR.exec(lines[i]!.trim());
    if (!m) continue;
    const step = Number(m[2]);
    const total = Number(m[3]);
    const out: TrainingProgress = { step, total, percent: total ? Math.floor((step / total) * 100) : Number(m[1]) };
    const elapsed = m[4] ? seconds(m[4]) : undefined;
    const eta = m[5] ? seconds(m[5]) : undefined;
    if (elapsed !== undefined) out.elapsedSec = elapsed;
    if (eta !== undefined) out.etaSec = eta;
    const loss = /loss:\s*([\d.eE+-]+)/.exec(m[6] ?? '');
    const lr = /lr:\s*([\d.eE+-]+)/.exec(m[6] ?? '');
    if (loss && Number.isFinite(Number(loss[1]))) out.loss = Number(loss[1]);
    if (lr && Number.isFinite(Number(lr[1]))) out.learningRate = Number(lr[1]);
    return out;
  }
  return undefined;
}
