// @vitest-environment happy-dom
/**
 * The Compare view (issue 11): the diff beside the photos (what differs highlighted, prompt words
 * added and removed against A, what all share), the starting photo as an extra column when the
 * runs began from one, and the keys: W wipe and F flicker for two photos, S swap, P picks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { CompareView } from '../../../../renderer/features/compare/CompareView';
import { useModel } from '../../../../renderer/features/params/model-store';
import { useCompare, type CompareItem } from '../../../../renderer/features/compare/compare-store';
import type { RunDetailT } from '../../../../shared/ipc/contract';
import { WITH_TOKEN, createFakeStudio, fail, ok } from '../fake-studio';
import { startWith, teardown } from '../setup';

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

async function open(runs: RunDetailT[]) {
  const fake = createFakeStudio({ token: WITH_TOKEN });
  fake.handle('library:get', (req: { runId: string }) => {
    const r = runs.find((x) => x.id === req.runId);
    return r ? ok(r) : fail('not_found', 'No such run.');
  });
  fake.handle(
    'library:setFlag',
    (req: { items: Array<{ runId: string; index: number }>; flag: 'pick' | 'reject' | null }) => {
      const [{ runId, index }] = req.items as [{ runId: string; index: number }];
      const r = runs.find((x) => x.id === runId)!;
      const { input: _input, version: _v, predictionId: _p, predictTime: _t, source: _s, mask: _m, ...summary } = r;
      return ok([{ ...summary, images: r.images.map((im) => (im.index === index ? { ...im, flag: req.flag } : im)) }]);
    },
  );
  startWith(fake, <CompareView />);
  await act(() => useModel.getState().load());
  act(() => useCompare.setState({ items: runs.map((r) => item(r)), open: true }));
  const dialog = await screen.findByRole('dialog', { name: `Compare ${runs.length} photos` });
  return { fake, dialog };
}

const rowOf = (dialog: HTMLElement, key: string) =>
  dialog.querySelector<HTMLTableRowElement>(`.compare-table tr[data-key="${key}"]`);

describe('the Compare view', () => {
  it('the diff: what differs highlighted (Seed, Size, LoRA scale, Steps), prompt words, then what all share', async () => {
    const a = run('run_a', {
      seed: 11,
      prompt: 'subject at a café, soft light',
      input: { prompt: 'subject at a café, soft light', aspect_ratio: '4:5', lora_scale: 1, guidance_scale: 3 },
    });
    const b = run('run_b', {
      seed: 22,
      prompt: 'subject at a rooftop bar, soft light',
      images: [{ id: 'runs/run_b/1.webp', width: 1344, height: 768, index: 0, format: 'webp', flag: null, rating: 0 }],
      input: {
        prompt: 'subject at a rooftop bar, soft light',
        aspect_ratio: '16:9',
        lora_scale: 0.8,
        num_inference_steps: 20,
        guidance_scale: 3,
      },
    });
    const { dialog } = await open([a, b]);
    const diff = within(dialog).getByTestId('compare-diff');
    await waitFor(() => expect(rowOf(dialog, 'lora_scale')).toBeTruthy());
    expect(within(diff).getByRole('heading', { name: 'What differs' })).toBeTruthy();
    const cells = (key: string) => [...rowOf(dialog, key)!.querySelectorAll('td')].map((td) => td.textContent);
    for (const k of ['seed', 'size', 'aspect_ratio', 'lora_scale', 'num_inference_steps'])
      expect(rowOf(dialog, k)!.classList.contains('differs'), k).toBe(true);
    expect(cells('seed')).toEqual(['11', '22']);
    expect(cells('size')).toEqual(['896 × 1088', '1344 × 768']);
    expect(cells('lora_scale')).toEqual(['1', '0.8']);
    expect(cells('num_inference_steps')).toEqual(['28', '20']); // A sent none: the model's default, said so
    expect(rowOf(dialog, 'num_inference_steps')!.querySelector('td')!.getAttribute('title')).toBe(
      'The model’s default',
    );
    const words = dialog.querySelector('.compare-diff [data-key="prompt"] [data-letter="B"]')!;
    expect([...words.querySelectorAll('ins')].map((x) => x.textContent)).toEqual(['+rooftop', '+bar']);
    expect([...words.querySelectorAll('del')].map((x) => x.textContent)).toEqual(['−café']);
    // Guidance is the same for both: listed once under "The same for all", not highlighted.
    expect(rowOf(dialog, 'guidance_scale')).toBeNull();
    const same = diff.querySelector('.compare-same [data-key="guidance_scale"]')!;
    expect(same.textContent).toBe('Guidance3');
  });

  it('the starting photo of an img2img run is an extra column, which can be hidden', async () => {
    const source = { id: 'sources/abc.webp', width: 1024, height: 1024 };
    const a = run('run_a', { mode: 'img2img', source, input: { prompt: 'a', prompt_strength: 0.8 } });
    const b = run('run_b', { mode: 'img2img', source, seed: 8, input: { prompt: 'b', prompt_strength: 0.6 } });
    const { dialog } = await open([a, b]);
    const col = await within(dialog).findByTestId('compare-source');
    expect(within(col).getByRole('img', { name: 'The starting photo' }).getAttribute('src')).toContain(
      'sources/abc.webp',
    );
    expect(within(dialog).getAllByTestId('compare-source')).toHaveLength(1); // one source, shown once
    await waitFor(() =>
      expect([...rowOf(dialog, 'prompt_strength')!.querySelectorAll('td')].map((td) => td.textContent)).toEqual([
        '0.8',
        '0.6',
      ]),
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Starting photo' }));
    expect(within(dialog).queryByTestId('compare-source')).toBeNull();
  });

  it('keys: W wipes and F flickers two photos, S swaps A and B, P picks the active photo', async () => {
    const a = run('run_a', { seed: 1 });
    const b = run('run_b', { seed: 2 });
    const { dialog, fake } = await open([a, b]);
    const root = within(dialog).getByTestId('compare-root');
    await waitFor(() => expect(document.activeElement).toBe(root));
    // Every photo is drawn by the shared view (a transform written directly, not by React).
    for (const img of within(dialog).getAllByRole('img'))
      expect(img.style.transform).toMatch(/^translate\(.+\) scale\(.+\)$/);
    fireEvent.keyDown(root, { key: 'w' });
    const wipe = within(dialog).getByTestId('compare-wipe');
    expect(
      within(wipe)
        .getAllByRole('img')
        .map((i) => i.getAttribute('alt')),
    ).toEqual(['Photo A: subject run_a', 'Photo B: subject run_b']);
    const range = within(dialog).getByRole('slider', { name: 'Wipe position' });
    fireEvent.input(range, { target: { value: '30' } });
    expect(wipe.style.getPropertyValue('--wipe')).toBe('0.3');
    fireEvent.keyDown(root, { key: 's' });
    expect(useCompare.getState().items.map((i) => i.runId)).toEqual(['run_b', 'run_a']);
    expect(within(within(dialog).getByTestId('compare-wipe')).getAllByRole('img')[0]!.getAttribute('alt')).toBe(
      'Photo A: subject run_b',
    );
    fireEvent.keyDown(root, { key: 'f' });
    const flicker = within(dialog).getByTestId('compare-flicker');
    expect(flicker.getAttribute('data-showing')).toBe('a');
    fireEvent.keyDown(root, { key: 'f' });
    expect(within(dialog).queryByTestId('compare-flicker')).toBeNull();
    expect(within(dialog).getAllByTestId('compare-pane')).toHaveLength(2);
    fireEvent.keyDown(root, { key: 'p' });
    await waitFor(() =>
      expect(fake.fn['library:setFlag']).toHaveBeenCalledWith({ items: [{ runId: 'run_b', index: 0 }], flag: 'pick' }),
    );
    await waitFor(() => expect(within(dialog).getAllByRole('button', { name: 'Picked' })).toHaveLength(1));
  });

  it('three photos: no wipe or flicker (they are for two), S moves the active photo to A', async () => {
    const { dialog } = await open([run('run_a'), run('run_b'), run('run_c')]);
    const root = within(dialog).getByTestId('compare-root');
    expect(within(dialog).queryByRole('button', { name: 'Wipe' })).toBeNull();
    fireEvent.keyDown(root, { key: 'w' });
    expect(within(dialog).queryByTestId('compare-wipe')).toBeNull();
    fireEvent.pointerEnter(within(dialog).getAllByTestId('compare-item')[2]!);
    fireEvent.keyDown(root, { key: 's' });
    expect(useCompare.getState().items.map((i) => i.runId)).toEqual(['run_c', 'run_b', 'run_a']);
  });
});
