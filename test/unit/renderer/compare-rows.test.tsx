// @vitest-environment happy-dom
/**
 * Compare (issue 12, bug 8): "Size" was never highlighted when the photos' sizes differ, and the
 * rows did not line up because the model's defaults were shown under some photos only (those of
 * the current model). Now every photo gets the same rows in the same order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, screen, waitFor, within } from '@testing-library/react';
import { CompareView } from '../../../renderer/features/results/CompareView';
import { compareRows, type CompareColumn } from '../../../renderer/features/results/compare-rows';
import { useModel } from '../../../renderer/store/studio';
import { useCompare, type CompareItem } from '../../../renderer/store/ui';
import type { RunDetailT } from '../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, fail, ok } from './fake-studio';
import { startWith, teardown } from './setup';

afterEach(() => teardown());

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

function item(r: RunDetailT, i = 0, of = 1): CompareItem {
  const im = r.images[i]!;
  return { id: im.id, runId: r.id, width: im.width, height: im.height, index: i, of, prompt: r.prompt, seed: r.seed };
}

const DEFAULTS = { model: 'dev', num_inference_steps: 28, guidance_scale: 3, lora_scale: 1 };
const title = (k: string) => ({ aspect_ratio: 'Aspect ratio', model: 'Base model', num_inference_steps: 'Steps', guidance_scale: 'Guidance', lora_scale: 'LoRA scale' })[k] ?? k;
const col = (r: RunDetailT | null, over: Partial<CompareColumn> = {}): CompareColumn => ({ width: 896, height: 1088, seed: r?.seed ?? null, run: r, defaults: r?.modelRef === 'sandrasocial/sseelfie-ai' ? DEFAULTS : {}, ...over });

describe('compare rows', () => {
  it('the same rows for every photo; Size highlighted when it differs; defaults where known, “—” where not', () => {
    const a = run('run_a', { seed: 11, input: { prompt: 'a', aspect_ratio: '4:5' } });
    const b = run('run_b', { seed: 22, modelRef: 'ada/me', input: { prompt: 'b', aspect_ratio: '16:9', num_inference_steps: 20 } });
    const rows = compareRows([col(a), col(b, { width: 1344, height: 768 })], title);
    expect(rows.map((r) => r.key)).toEqual(['seed', 'size', 'modelRef', 'aspect_ratio', 'model', 'num_inference_steps', 'guidance_scale', 'lora_scale']);
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
    expect(rows.map((r) => r.key)).toEqual(['seed', 'size', 'model', 'num_inference_steps', 'guidance_scale', 'lora_scale']);
    expect(rows.find((r) => r.key === 'guidance_scale')!.cells[0]).toEqual({ value: '2.5', isDefault: false, missing: false });
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

describe('the Compare view', () => {
  it('rows line up under every photo and Size is highlighted when the sizes differ', async () => {
    const a = run('run_a', { seed: 11, input: { prompt: 'a', aspect_ratio: '4:5' } });
    const b = run('run_b', {
      seed: 22,
      modelRef: 'ada/me',
      images: [{ id: 'runs/run_b/1.webp', width: 1344, height: 768, index: 0, format: 'webp', flag: null, rating: 0 }],
      input: { prompt: 'b', aspect_ratio: '16:9' },
    });
    const fake = createFakeStudio({ token: WITH_TOKEN });
    fake.handle('library:get', (req: { runId: string }) => (req.runId === 'run_a' ? ok(a) : req.runId === 'run_b' ? ok(b) : fail('not_found', 'No such run.')));
    startWith(fake, <CompareView />);
    await act(() => useModel.getState().load());
    act(() => useCompare.setState({ items: [item(a), item(b)], open: true }));
    const dialog = await screen.findByRole('dialog', { name: 'Compare 2 photos' });
    const cols = within(dialog).getAllByTestId('compare-item');
    await waitFor(() => expect(within(cols[1]!).queryByText('Aspect ratio')).toBeTruthy());
    await waitFor(() => expect(within(cols[0]!).queryByText('Steps')).toBeTruthy());
    const labels = (el: HTMLElement) => [...el.querySelectorAll('.compare-row dt')].map((d) => d.textContent);
    expect(labels(cols[0]!)).toEqual(labels(cols[1]!));
    expect(labels(cols[0]!)).toContain('Steps');
    const row = (el: HTMLElement, label: string) => [...el.querySelectorAll('.compare-row')].find((r) => r.querySelector('dt')?.textContent === label)!;
    for (const c of cols) {
      expect(row(c, 'Size').classList.contains('differs')).toBe(true);
      expect(row(c, 'Aspect ratio').classList.contains('differs')).toBe(true);
    }
    expect(row(cols[0]!, 'Steps').querySelector('dd')!.textContent).toBe('28');
    expect(row(cols[0]!, 'Steps').querySelector('dd')!.getAttribute('title')).toBe('The model’s default');
    expect(row(cols[1]!, 'Steps').querySelector('dd')!.textContent).toBe('—');
  });
});
