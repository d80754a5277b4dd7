/** Run folders written straight to disk, as the app (or an older version of it) leaves them. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '../../../../electron/services/library/run-record';

export interface FixtureImage {
  width?: number;
  height?: number;
  flag?: 'pick' | 'reject';
  rating?: number;
}

export interface FixtureRun {
  id: string;
  createdAt: number;
  prompt?: string;
  label?: string;
  modelRef?: string;
  mode?: RunRecord['mode'];
  images?: FixtureImage[];
  /** the old shape: indexes of the starred photos */
  kept?: number[];
}

let n = 0;
/** A run id the library accepts, unique within the test run. */
export function runId(stamp = '20260101-120000'): string {
  return `${stamp}-${(n++).toString(36).padStart(4, '0')}`;
}

export function writeRun(root: string, r: FixtureRun): RunRecord {
  const dir = path.join(root, 'runs', r.id);
  mkdirSync(dir, { recursive: true });
  const images = (r.images ?? [{}]).map((im, index) => {
    const file = `${index + 1}.png`;
    writeFileSync(path.join(dir, file), `png ${r.id} ${index}`);
    return {
      index,
      file,
      width: im.width ?? 1024,
      height: im.height ?? 1024,
      format: 'png',
      bytes: 10,
      ...(im.flag ? { flag: im.flag } : {}),
      ...(im.rating ? { rating: im.rating } : {}),
    };
  });
  const rec = {
    schema: 1 as const,
    id: r.id,
    label: r.label ?? r.prompt ?? 'subject',
    prompt: r.prompt ?? 'subject',
    modelRef: r.modelRef ?? 'sandrasocial/sseelfie-ai',
    version: null,
    predictionId: `p_${r.id}`,
    mode: r.mode ?? 'txt2img',
    input: { prompt: r.prompt ?? 'subject' },
    seed: 42,
    predictTime: 1,
    timings: { createdAt: r.createdAt, savedAt: r.createdAt + 1000 },
    images,
    source: null,
    mask: null,
    warnings: [],
    ...(r.kept ? { kept: r.kept } : {}),
  };
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify(rec, null, 2));
  return rec as RunRecord;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read run.json's fields freely
export function readRunJson(root: string, id: string): Record<string, any> {
  return JSON.parse(readFileSync(path.join(root, 'runs', id, 'run.json'), 'utf8'));
}
