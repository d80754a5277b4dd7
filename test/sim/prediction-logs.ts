/**
 * A prediction's logs at a moment of its run: the planned lines and tqdm progress bars exactly as
 * diffusers prints them (part of model-rules.ts). Mirrors tqdm's `format_meter` (bar characters,
 * Python's round-half-even percentage, `it/s` vs `s/it`).
 */
import type { RunPlan } from './run-plan';

const TQDM_CHARS = ' ▏▎▍▌▋▊▉█';

/** Python's `'{:3.0f}'.format(x)` rounds half to even. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function tqdmTime(sec: number): string {
  const s = Math.floor(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}`;
  return h ? `${h}:${mmss}` : mmss;
}

/** One tqdm progress line as diffusers prints it, e.g. ` 36%|███▌      | 10/28 [00:01<00:01,  9.87it/s]`. */
export function tqdmLine(n: number, total: number, secPerStep: number): string {
  const frac = total ? n / total : 0;
  const pct = `${String(roundHalfEven(frac * 100)).padStart(3, ' ')}%`;
  const nsyms = TQDM_CHARS.length - 1;
  const [full, part] = [Math.floor(Math.floor(frac * 10 * nsyms) / nsyms), Math.floor(frac * 10 * nsyms) % nsyms];
  let bar = TQDM_CHARS[nsyms]!.repeat(full);
  if (full < 10) bar += TQDM_CHARS[part]! + ' '.repeat(10 - full - 1);
  const elapsed = n * secPerStep;
  if (n === 0 || secPerStep <= 0) {
    const remaining = n === 0 || secPerStep <= 0 ? '?' : tqdmTime((total - n) * secPerStep);
    return `${pct}|${bar}| ${n}/${total} [${tqdmTime(elapsed)}<${remaining}, ?it/s]`;
  }
  const rate = 1 / secPerStep;
  const rateFmt =
    rate >= 1 ? `${rate.toFixed(2).padStart(5, ' ')}it/s` : `${secPerStep.toFixed(2).padStart(5, ' ')}s/it`;
  return `${pct}|${bar}| ${n}/${total} [${tqdmTime(elapsed)}<${tqdmTime((total - n) * secPerStep)}, ${rateFmt}]`;
}

/**
 * The prediction's logs after `elapsedMs` of predict() time. `finished` adds the closing lines.
 */
export function logsAt(plan: RunPlan, elapsedMs: number, stepMs: number, finished: boolean): string {
  if (elapsedMs < 0) return '';
  const lines = [...plan.preLines];
  if (plan.barTotal > 0) {
    const done = finished || stepMs <= 0 ? plan.barLimit : Math.min(plan.barLimit, Math.floor(elapsedMs / stepMs));
    for (let k = 0; k <= done; k++) lines.push(tqdmLine(k, plan.barTotal, stepMs / 1000));
  }
  if (finished) lines.push(...plan.postLines);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
