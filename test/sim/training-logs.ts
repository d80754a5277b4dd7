/**
 * A training's logs at a moment of its run (part of the trainings API, trainings.ts): base weights
 * download, `Extracted N files from zip`, LLaVA captions, then ai-toolkit's tqdm bar prefixed with
 * its JOB_NAME `flux_train_replicate` and carrying lr and loss, and the closing lines. Mirrors
 * replicate/flux-fine-tuner train.py and ai-toolkit's output; the bar itself is tqdm's
 * (prediction-logs.ts `tqdmLine`).
 */
import { tqdmLine } from './model-rules';
import type { TrainingRecord } from './training-record';

/** The logs of trainings run with one timing (TrainingTiming.setupMs and stepMs). */
export class TrainingLogs {
  constructor(
    private readonly setupMs: number,
    private readonly stepMs: number,
  ) {}

  /**
   * The trainer's output at `t`: lines end in `\n`, but tqdm rewrites its bar with `\r` (Cog keeps
   * them as they come), each update prefixed with the ai-toolkit job name and carrying lr and loss.
   */
  logsAt(r: TrainingRecord, t: number, finished: boolean): string {
    const out: string[] = ['Environment language: Not set', 'Updated environment language: en_US.UTF-8'];
    const failedAtSetup = r.outcome.kind === 'failed' && r.outcome.atStep === 'setup';
    if (t >= r.startAt + this.setupMs / 3) out.push('Downloaded base weights in 2.4096 seconds');
    if (failedAtSetup) {
      if (finished && r.outcome.kind === 'failed') out.push(...r.outcome.lines);
      return out.join('\n') + '\n';
    }
    if (t >= r.startAt + this.setupMs / 2) {
      out.push(`Extracted ${r.images + r.captions} files from zip to input_images`);
      if (r.autocaption && r.captions < r.images) {
        out.push('Loading LLaVA model...');
        for (let i = 0; i < r.images - r.captions; i++)
          out.push(`Captioning image ${i + 1} of ${r.images - r.captions}`);
      }
    }
    if (t < r.stepsStartAt) return out.join('\n') + '\n';
    out.push('Starting train job', 'Running  1 process', `Generating baseline samples before training`);
    const done = Math.min(r.steps, Math.floor((t - r.stepsStartAt) / Math.max(this.stepMs, 1e-9)));
    const last =
      r.outcome.kind === 'failed' && typeof r.outcome.atStep === 'number' ? Math.min(done, r.outcome.atStep) : done;
    const every = Math.max(1, Math.ceil(r.steps / 200));
    const bars: string[] = [];
    const sec = r.trainer.logSecPerStep;
    for (let k = 0; k <= last; k += every) bars.push(this.bar(k, r.steps, sec));
    if (last % every !== 0) bars.push(this.bar(last, r.steps, sec));
    let text = out.join('\n') + '\n' + bars.join('\r');
    if (finished || (r.outcome.kind === 'failed' && last === r.outcome.atStep && finished)) {
      text += '\n';
      if (r.outcome.kind === 'succeeded' || (r.outcome.kind === 'failed' && r.outcome.atStep === 'end')) {
        text += `Saving at step ${r.steps}\nSaved to output/flux_train_replicate/flux_train_replicate.safetensors\n`;
      }
      if (r.outcome.kind === 'failed') text += r.outcome.lines.join('\n') + '\n';
    }
    return text;
  }

  private bar(n: number, total: number, secPerStep: number): string {
    const lr = '4.0e-04';
    const loss = (0.45 * Math.exp(-n / Math.max(total, 1)) + 0.05 * Math.abs(Math.sin(n))).toExponential(3);
    return `flux_train_replicate: ${tqdmLine(n, total, secPerStep).replace(/\]$/, `, lr: ${lr} loss: ${loss}]`)}`;
  }
}
