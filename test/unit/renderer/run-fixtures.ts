/**
 * A saved run as main describes it (its summary, its page, the job that made it), for the renderer
 * tests that put runs in front of a person: one source of these shapes, so a field added to the
 * contract is added here once.
 */
import type { JobViewT, RunDetailT, RunSummaryT } from '../../../shared/ipc/contract';

export const T0 = 1_764_000_000_000;

export function runSummary(over: Partial<RunSummaryT> = {}): RunSummaryT {
  return {
    id: 'run_1',
    createdAt: T0,
    prompt: 'subject at a café',
    label: 'subject at a café',
    modelRef: 'sandrasocial/sseelfie-ai',
    mode: 'txt2img',
    seed: 42,
    images: [
      { id: 'runs/run_1/1.webp', width: 896, height: 1088, index: 0, format: 'webp', flag: null, rating: 0 },
      { id: 'runs/run_1/2.webp', width: 896, height: 1088, index: 1, format: 'webp', flag: null, rating: 0 },
    ],
    warnings: [],
    ...over,
  };
}

export function runDetail(r: RunSummaryT, over: Partial<RunDetailT> = {}): RunDetailT {
  return {
    ...r,
    input: { prompt: r.prompt },
    version: null,
    predictionId: 'p1',
    predictTime: 3,
    source: null,
    mask: null,
    ...over,
  };
}

export function savedJob(r: RunSummaryT, over: Partial<JobViewT> = {}): JobViewT {
  return {
    id: 'job_1',
    runId: r.id,
    state: 'saved',
    label: r.label,
    modelRef: r.modelRef,
    prompt: r.prompt,
    createdAt: T0,
    updatedAt: T0 + 10,
    numOutputs: r.images.length,
    seed: 42,
    warnings: [],
    images: r.images.map((im) => ({ id: im.id, width: im.width, height: im.height })),
    ...over,
  };
}
