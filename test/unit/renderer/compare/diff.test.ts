/**
 * The parameter diff of Compare (issue 11; rows from issue 12, bug 8): the same rows for every
 * photo, Size highlighted when the sizes differ, the model's defaults where known and "—" where
 * not, and the prompt's words added and removed against photo A.
 */
import { describe, expect, it } from 'vitest';
import {
  compareRows,
  promptWords,
  splitRows,
  wordDiff,
  type CompareColumn,
} from '../../../../renderer/features/compare/diff';
import type { RunDetailT } from '../../../../shared/ipc/contract';

function run(id: string, over: Partial<RunDetailT> = {}): RunDetailT {
  return {
    id,
    createdAt: 1,
    prompt: `subject ${id}`,
    label: `subject ${id}`,
    modelRef: 'sandrasocial/sseelfie-ai',
    mode: 'txt2img',
    seed: 7,
    images: [{ id: `runs/${id}/1.webp`, width: 896, height: 1088, index: 0, format: 'webp', flag: null, rating: 0 }],
    warnings: [],
    input: { prompt: `subject ${id}` },
    version: null,
    predictionId: null,
    predictTime: null,
    source: null,
    mask: null,
    ...over,
  };
}

const DEFAULTS = { model: 'dev', num_inference_steps: 28, guidance_scale: 3, lora_scale: 1 };
const title = (k: string) =>
  ({
    aspect_ratio: 'Aspect ratio',
    model: 'Base model',
    num_inference_steps: 'Steps',
    guidance_scale: 'Guidance',
    lora_scale: 'LoRA scale',
  })[k] ?? k;
const col = (r: RunDetailT | null, over: Partial<CompareColumn> = {}): CompareColumn => ({
  width: 896,
  height: 1088,
  seed: r?.seed ?? null,
  run: r,
  defaults: r?.modelRef === 'sandrasocial/sseelfie-ai' ? DEFAULTS : {},
  ...over,
});

describe('compare rows', () => {
  it('the same rows for every photo; Size highlighted when it differs; defaults where known, “—” where not', () => {
    const a = run('run_a', { seed: 11, input: { prompt: 'a', aspect_ratio: '4:5' } });
    const b = run('run_b', {
      seed: 22,
      modelRef: 'ada/me',
      input: { prompt: 'b', aspect_ratio: '16:9', num_inference_steps: 20 },
    });
    const rows = compareRows([col(a), col(b, { width: 1344, height: 768 })], title);
    expect(rows.map((r) => r.key)).toEqual([
      'seed',
      'size',
      'modelRef',
      'aspect_ratio',
      'model',
      'num_inference_steps',
      'guidance_scale',
      'lora_scale',
    ]);
    for (const r of rows) expect(r.cells).toHaveLength(2);
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.size!.cells.map((c) => c.value)).toEqual(['896 × 1088', '1344 × 768']);
    expect(by.size!.differs).toBe(true);
    expect(by.seed!.differs).toBe(true);
    expect(by.modelRef!.cells.map((c) => c.value)).toEqual(['sandrasocial/sseelfie-ai', 'ada/me']);
    expect(by.num_inference_steps!.cells).toEqual([
      { value: '28', isDefault: true, missing: false },
      { value: '20', isDefault: false, missing: false },
    ]);
    expect(by.guidance_scale!.cells).toEqual([
      { value: '3', isDefault: true, missing: false },
      { value: '—', isDefault: false, missing: true },
    ]);
    expect(by.model!.cells.map((c) => c.value)).toEqual(['Dev', '—']);
  });

  it('the same size, seed and settings: nothing highlighted; photos of one run share its seed', () => {
    const a = run('run_a', { input: { prompt: 'a', guidance_scale: 2.5 } });
    const rows = compareRows([col(a), col(a)], title);
    expect(rows.filter((r) => r.differs)).toEqual([]);
    expect(rows.map((r) => r.key)).toEqual([
      'seed',
      'size',
      'model',
      'num_inference_steps',
      'guidance_scale',
      'lora_scale',
    ]);
    expect(rows.find((r) => r.key === 'guidance_scale')!.cells[0]).toEqual({
      value: '2.5',
      isDefault: false,
      missing: false,
    });
  });

  it('a photo still loading (or gone) keeps its Seed and Size and does not count for the settings', () => {
    const a = run('run_a', { input: { prompt: 'a', aspect_ratio: '4:5' } });
    const rows = compareRows([col(a), col(null, { seed: 9, width: 1344, height: 768 })], title);
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.seed!.cells.map((c) => c.value)).toEqual(['7', '9']);
    expect(by.size!.differs).toBe(true);
    expect(by.aspect_ratio!.differs).toBe(false); // only one run known
    expect(by.modelRef).toBeUndefined();
  });
});

describe('prompt words', () => {
  it('lower-cased words, punctuation dropped, each once, apostrophes and hyphens kept inside a word', () => {
    expect(promptWords('Subject at a café, soft window-light; subject’s smile. 35mm')).toEqual([
      'subject',
      'at',
      'a',
      'café',
      'soft',
      'window-light',
      'subject’s',
      'smile',
      '35mm',
    ]);
    expect(promptWords('  ,, ')).toEqual([]);
  });

  it('words added and removed against the reference, in their prompt’s order', () => {
    expect(wordDiff('subject at a café, soft light', 'subject at a rooftop bar, golden light')).toEqual({
      added: ['rooftop', 'bar', 'golden'],
      removed: ['café', 'soft'],
    });
    expect(wordDiff('Subject, soft light', 'soft light subject')).toEqual({ added: [], removed: [] });
  });

  it('splits rows into what differs and what all share', () => {
    const a = run('run_a', { seed: 1, input: { prompt: 'a', guidance_scale: 2 } });
    const b = run('run_b', { seed: 2, input: { prompt: 'b', guidance_scale: 2 } });
    const { differ, same } = splitRows(compareRows([col(a), col(b)], title));
    expect(differ.map((r) => r.key)).toEqual(['seed']);
    expect(same.map((r) => r.key)).toEqual(['size', 'model', 'num_inference_steps', 'guidance_scale', 'lora_scale']);
  });
});
