/**
 * How a result was made, in words for its card and the studio's centre: from a photo or a
 * painted mask, the strength used (the model's default when the run did not set it), and the
 * photo it started from (the "before"). From what the renderer sent when the job started, then
 * from main's record of the run once it is saved (`library:get`): main's JobView says none of it.
 */
import type { JobViewT } from '../../../shared/ipc/contract';
import { useModel } from '../params/model-store';
import { useRunDetail } from './run-details';
import type { StartedWith } from './stage/stage-store';

const MODE_WORDS = { img2img: 'From a photo', inpaint: 'Repainted area' } as const;

/** The run's facts the viewer shows: how it was made, its strength, the photo it started from. */
export interface RunFacts {
  mode: 'txt2img' | 'img2img' | 'inpaint' | null;
  /** the prompt_strength used (the model's default when the run did not set it) */
  strength: number | null;
  strengthIsDefault: boolean;
  /** the starting photo, for the before/after */
  before: { id: string; width: number; height: number } | null;
}

/** What the run was made with: from what the renderer sent, then from main's record once saved. */
export function useRunFacts(job: JobViewT, started: StartedWith | undefined, opts: { needBefore: boolean }): RunFacts {
  const known = started && (started.mode === 'txt2img' || (!opts.needBefore && started.strength !== undefined));
  const detail = useRunDetail(job.runId, job.state === 'saved' && !known);
  const def = useModel((s) => s.info?.fields.find((f) => f.name === 'prompt_strength')?.default);
  const d = detail && detail !== 'missing' ? detail : null;
  const mode = d?.mode ?? started?.mode ?? null;
  const sent = d ? d.input.prompt_strength : started?.strength;
  const strength = typeof sent === 'number' ? sent : typeof def === 'number' ? def : null;
  const base = started?.base;
  const before = d?.source ?? (base ? { id: base.assetId, width: base.width, height: base.height } : null);
  return {
    mode,
    strength: mode && mode !== 'txt2img' ? strength : null,
    strengthIsDefault: typeof sent !== 'number',
    before: mode && mode !== 'txt2img' ? before : null,
  };
}

/** "From a photo · strength 0.75" (nothing for a run made from the prompt alone). */
export function strengthText(f: RunFacts): string | null {
  if (!f.mode || f.mode === 'txt2img') return null;
  const s = f.strength === null ? '' : ` · strength ${f.strength.toFixed(2)}${f.strengthIsDefault ? ' (default)' : ''}`;
  return `${MODE_WORDS[f.mode]}${s}`;
}
