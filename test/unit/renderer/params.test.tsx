// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ParamsForm } from '../../../renderer/features/params/ParamsForm';
import { checkDraft, formFields, requestInput, stepFor } from '../../../renderer/features/params/logic';
import { resetStores } from '../../../renderer/app/reset-stores';
import { useModel } from '../../../renderer/features/params/model-store';
import { useDraft } from '../../../renderer/features/params/draft-store';
import { useSelection } from '../../../renderer/features/studio/selection-store';
import { BUILTIN_SCHEMA } from '../../../shared/model/builtin';
import type { ModelField } from '../../../shared/model/schema';

function field(name: string): ModelField {
  return BUILTIN_SCHEMA.fields.find((f) => f.name === name)!;
}

beforeEach(() => {
  useModel.setState({
    info: {
      ref: 'sandrasocial/sseelfie-ai',
      owner: 'sandrasocial',
      name: 'sseelfie-ai',
      versionId: null,
      fields: BUILTIN_SCHEMA.fields,
      source: 'builtin',
    },
  });
});
afterEach(() => {
  cleanup();
  resetStores();
});

async function renderForm(openMore = true) {
  const user = userEvent.setup();
  render(<ParamsForm />);
  if (openMore) await user.click(screen.getByRole('button', { name: /More settings/ }));
  return user;
}

describe('parameters form from the model schema', () => {
  it('number fields with a range get a slider and a number box with the schema’s limits and help text', async () => {
    await renderForm();
    const slider = screen.getByRole('slider', { name: 'Steps slider' }) as HTMLInputElement;
    expect([slider.min, slider.max, slider.step, slider.value]).toEqual(['1', '50', '1', '28']);
    const guidance = screen.getByRole('slider', { name: 'Guidance slider' }) as HTMLInputElement;
    expect([guidance.min, guidance.max, guidance.value]).toEqual(['0', '10', '3']);
    expect(Number(guidance.step)).toBeLessThan(1);
    const photos = screen.getByRole('slider', { name: 'Number of photos slider' }) as HTMLInputElement;
    expect([photos.min, photos.max]).toEqual(['1', '4']);
    expect(screen.getByText('1–50')).toBeTruthy();
    expect(screen.getAllByText('-1–3')).toHaveLength(2); // lora_scale and extra_lora_scale
    expect(screen.getByText(/Number of denoising steps/)).toBeTruthy();
    // The seed has no range: Random or Locked to a number, never a slider.
    expect(screen.getByRole('radio', { name: 'Random' }).getAttribute('aria-checked')).toBe('true');
    expect(screen.queryByRole('textbox', { name: 'Seed' })).toBeNull();
    expect(screen.queryByRole('slider', { name: 'Seed slider' })).toBeNull();
  });

  it('enums become selects, booleans switches; file inputs (image, mask) are not shown', async () => {
    await renderForm();
    const format = screen.getByRole('combobox', { name: 'File format' }) as HTMLSelectElement;
    expect([...format.options].map((o) => o.value)).toEqual(['webp', 'jpg', 'png']);
    expect(format.value).toBe('webp');
    const model = screen.getByRole('combobox', { name: 'Base model' }) as HTMLSelectElement;
    expect([...model.options].map((o) => o.textContent)).toEqual(['Dev (best quality)', 'Schnell (fastest, 4 steps)']);
    const fast = screen.getByRole('switch', { name: 'Go fast' });
    expect(fast.getAttribute('aria-checked')).toBe('false');
    expect(screen.getByRole('switch', { name: 'Disable safety checker' })).toBeTruthy();
    expect(screen.queryByLabelText('Image')).toBeNull();
    expect(screen.queryByLabelText('Mask')).toBeNull();
    const names = formFields(BUILTIN_SCHEMA.fields).map((f) => f.name);
    expect(names).not.toContain('image');
    expect(names.indexOf('width')).toBeLessThan(names.indexOf('height'));
  });

  it('the aspect ratio picker shows the real pixel sizes, halved at 0.25 megapixel', async () => {
    const user = await renderForm(false);
    const group = screen.getByRole('radiogroup', { name: 'Aspect ratio' });
    expect(within(group).getByRole('radio', { name: /^1:1/ }).getAttribute('aria-checked')).toBe('true');
    expect(within(group).getByText('1216 × 832')).toBeTruthy();
    expect(within(group).getByText('768 × 1344')).toBeTruthy();
    await user.click(within(group).getByRole('radio', { name: /^3:2/ }));
    expect(useDraft.getState().values.aspect_ratio).toBe('3:2');
    expect(screen.getByTestId('output-size').textContent).toContain('1216 × 832 px');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Resolution' }), '0.25');
    expect(within(group).getByText('608 × 416')).toBeTruthy();
    expect(screen.getByTestId('output-size').textContent).toContain('608 × 416 px');
  });

  it('an out-of-range value shows the field’s message inline and marks it invalid', async () => {
    const user = await renderForm();
    const steps = screen.getByRole('textbox', { name: 'Steps' });
    await user.clear(steps);
    await user.type(steps, '80');
    expect(screen.getByText('Steps must be between 1 and 50.')).toBeTruthy();
    expect(steps.getAttribute('aria-invalid')).toBe('true');
    await user.clear(steps);
    await user.type(steps, '12.5');
    expect(screen.getByText('Steps must be a whole number.')).toBeTruthy();
    await user.clear(steps);
    await user.type(steps, 'abc');
    expect(screen.getByText('Steps must be a number.')).toBeTruthy();
    await user.clear(steps);
    await user.type(steps, '20');
    expect(screen.queryByText(/Steps must/)).toBeNull();
    expect(useDraft.getState().values.num_inference_steps).toBe(20);
  });

  it('width and height appear only with a custom aspect ratio; sizes are rounded up to 16 with a note', async () => {
    const user = await renderForm(false);
    expect(screen.queryByRole('textbox', { name: 'Width' })).toBeNull();
    await user.click(screen.getByRole('radio', { name: /^custom/ }));
    const width = screen.getByRole('textbox', { name: 'Width' });
    const height = screen.getByRole('textbox', { name: 'Height' });
    expect(screen.getByText('A custom size needs both width and height; set the width.')).toBeTruthy();
    await user.type(width, '1000');
    await user.type(height, '5000');
    expect(screen.getByText('Height must be between 256 and 1440.')).toBeTruthy();
    await user.clear(height);
    await user.type(height, '800');
    expect(screen.getByText('Rounded up to 1008 px (the model works in multiples of 16).')).toBeTruthy();
    expect(screen.queryByText(/Height 800 will be rounded/)).toBeNull(); // 800 is a multiple of 16
    expect(screen.getByTestId('output-size').textContent).toContain('1008 × 800 px');
    // megapixels does nothing with a custom size: disabled, with the reason.
    expect((screen.getByRole('combobox', { name: 'Resolution' }) as HTMLSelectElement).disabled).toBe(true);
    expect(screen.getByText(/Custom sizes use the width and height you set/)).toBeTruthy();
  });

  it('prompt strength is disabled with the reason until there is a starting photo', async () => {
    await renderForm();
    expect(
      (screen.getByRole('slider', { name: 'Change from the starting photo slider' }) as HTMLInputElement).disabled,
    ).toBe(true);
    expect(screen.getByText(/Only used when starting from a photo/)).toBeTruthy();
  });

  it('starting from a photo: the size comes from the photo; the size fields and go_fast say why they are off', async () => {
    useSelection.setState({ source: { assetId: 'runs/r1/0.webp', width: 1000, height: 1500, label: 'Result 1' } });
    await renderForm();
    expect(screen.queryByRole('radiogroup', { name: 'Aspect ratio' })).toBeNull();
    expect(screen.getAllByText(/The output takes the size of the starting image/).length).toBeGreaterThan(0);
    expect(
      (screen.getByRole('slider', { name: 'Change from the starting photo slider' }) as HTMLInputElement).disabled,
    ).toBe(false);
    expect(screen.getByTestId('output-size').textContent).toContain('960 × 1440 px');
    expect((screen.getByRole('switch', { name: 'Go fast' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Starting from a photo always runs at full precision/)).toBeTruthy();
  });

  it('messages main returned for the last Generate land next to their field', async () => {
    useDraft.setState({ serverIssues: [{ field: 'output_format', message: 'This model cannot write that format.' }] });
    await renderForm(false); // a field with a message opens “More settings” by itself
    expect(screen.getByText('This model cannot write that format.')).toBeTruthy();
  });
});

describe('params logic', () => {
  it('sends only what matters: the prompt, values set, nothing the model ignores', () => {
    const d = { prompt: '  subject at a desk  ', values: { aspect_ratio: '3:2', width: 900, num_outputs: 2 }, raw: {} };
    expect(requestInput(BUILTIN_SCHEMA, d, null)).toEqual({
      prompt: 'subject at a desk',
      aspect_ratio: '3:2',
      num_outputs: 2,
    });
    const check = checkDraft(BUILTIN_SCHEMA, d, null);
    expect(check.result.ok).toBe(true);
    expect(check.result.notes.join(' ')).toContain('Width is ignored');
  });

  it('an empty prompt is an issue of the prompt field', () => {
    const check = checkDraft(BUILTIN_SCHEMA, { prompt: '', values: {}, raw: {} }, null);
    expect(check.issues.prompt).toBe('Write a prompt: describe the photo you want.');
  });

  it('slider steps: whole numbers for integers, fine steps for small ranges', () => {
    expect(stepFor(field('num_inference_steps'))).toBe(1);
    expect(stepFor(field('prompt_strength'))).toBe(0.01);
    expect(stepFor(field('guidance_scale'))).toBe(0.05);
  });
});
