import { describe, expect, it } from 'vitest';
import { BUILTIN_SCHEMA, BUILTIN_OPENAPI } from '../../../shared/model/builtin';
import { parseOpenApiSchema, schemaDefaults } from '../../../shared/model/schema';
import { checkExtraLora, parseModelRef, planOutput, roundUp16, sizeForInputImage } from '../../../shared/model/rules';
import { cleanInput, coerceValue, validateInput } from '../../../shared/model/validate';

describe('Cog schema parsing', () => {
  it('resolves enums behind allOf/$ref, keeps x-order and required', () => {
    const names = BUILTIN_SCHEMA.fields.map((f) => f.name);
    expect(names.slice(0, 4)).toEqual(['prompt', 'image', 'mask', 'aspect_ratio']);
    const ar = BUILTIN_SCHEMA.fields.find((f) => f.name === 'aspect_ratio')!;
    expect(ar.enum).toEqual([
      '1:1',
      '16:9',
      '21:9',
      '3:2',
      '2:3',
      '4:5',
      '5:4',
      '3:4',
      '4:3',
      '9:16',
      '9:21',
      'custom',
    ]);
    expect(ar.default).toBe('1:1');
    expect(ar.type).toBe('string');
    expect(BUILTIN_SCHEMA.fields.find((f) => f.name === 'prompt')!.required).toBe(true);
    expect(BUILTIN_SCHEMA.fields.find((f) => f.name === 'image')!.format).toBe('uri');
    expect(schemaDefaults(BUILTIN_SCHEMA)).toMatchObject({
      num_outputs: 1,
      guidance_scale: 3,
      go_fast: false,
      megapixels: '1',
      output_format: 'webp',
    });
  });

  it('gives another model its own form (older flux-fine-tuner schema without go_fast)', () => {
    const old = structuredClone(BUILTIN_OPENAPI) as {
      components: { schemas: { Input: { properties: Record<string, unknown> } } };
    };
    delete old.components.schemas.Input.properties.go_fast;
    (old.components.schemas.Input.properties.lora_scale as { maximum: number }).maximum = 2;
    const s = parseOpenApiSchema(old);
    expect(s.fields.some((f) => f.name === 'go_fast')).toBe(false);
    expect(s.fields.find((f) => f.name === 'lora_scale')!.maximum).toBe(2);
  });

  it('refuses a document that is not a Cog schema', () => {
    expect(() => parseOpenApiSchema({ openapi: '3' })).toThrow(/Input/);
  });
});

describe('size rules', () => {
  it('follows the aspect table and megapixels', () => {
    expect(planOutput({ aspect_ratio: '16:9' })).toMatchObject({ mode: 'txt2img', width: 1344, height: 768 });
    expect(planOutput({ aspect_ratio: '16:9', megapixels: '0.25' })).toMatchObject({ width: 672, height: 384 });
    expect(planOutput({ aspect_ratio: '9:21' })).toMatchObject({ width: 640, height: 1536 });
  });
  it('rounds custom sizes up to 16 and runs them in bf16', () => {
    expect(roundUp16(1000)).toBe(1008);
    const p = planOutput({ aspect_ratio: 'custom', width: 1000, height: 700, go_fast: true, lora_scale: 1 });
    expect(p).toMatchObject({ width: 1008, height: 704, fastIgnored: true, effectiveLoraScale: 1 });
  });
  it('multiplies the LoRA scale by 1.5 only when fp8 really runs', () => {
    expect(planOutput({ aspect_ratio: '1:1', go_fast: true, lora_scale: 0.8 }).effectiveLoraScale).toBeCloseTo(1.2);
    expect(planOutput({ go_fast: true, lora_scale: 0.8, image: { width: 800, height: 600 } }).effectiveLoraScale).toBe(
      0.8,
    );
  });
  it('takes the input image size: fit 1440, never upscale, round up to 16', () => {
    expect(sizeForInputImage(3000, 2000)).toEqual({ width: 1440, height: 960 });
    expect(sizeForInputImage(4032, 3024)).toEqual({ width: 1440, height: 1088 });
    expect(sizeForInputImage(500, 333)).toEqual({ width: 512, height: 336 });
    const p = planOutput({ aspect_ratio: '16:9', image: { width: 600, height: 800 }, hasMask: true });
    expect(p.mode).toBe('inpaint');
    expect(Object.keys(p.ignored)).toEqual(
      expect.arrayContaining(['aspect_ratio', 'width', 'height', 'megapixels', 'go_fast']),
    );
  });
});

describe('validation before any network call', () => {
  const v = (input: Record<string, unknown>, ctx = {}) => validateInput(BUILTIN_SCHEMA, input, ctx);
  it('accepts the model card example', () => {
    const r = v({
      model: 'dev',
      prompt: 'subject woman at luxury hotel balcony',
      go_fast: false,
      lora_scale: 1,
      num_outputs: 4,
      aspect_ratio: '16:9',
      output_format: 'png',
      guidance_scale: 2.7,
      output_quality: 100,
      num_inference_steps: 32,
    });
    expect(r.issues).toEqual([]);
    expect(r.plan).toMatchObject({ width: 1344, height: 768 });
  });
  it.each([
    [{ prompt: '' }, 'prompt', /Write a prompt/],
    [{ prompt: 'x', num_outputs: 5 }, 'num_outputs', /between 1 and 4/],
    [{ prompt: 'x', num_outputs: 2.5 }, 'num_outputs', /whole number/],
    [{ prompt: 'x', guidance_scale: 'high' }, 'guidance_scale', /must be a number/],
    [{ prompt: 'x', aspect_ratio: '7:5' }, 'aspect_ratio', /one of/],
    [{ prompt: 'x', go_fast: 'yes' }, 'go_fast', /on or off/],
    [{ prompt: 'x', width: 100, aspect_ratio: 'custom', height: 512 }, 'width', /between 256 and 1440/],
    [{ prompt: 'x', aspect_ratio: 'custom', width: 512 }, 'height', /both width and height/],
    [{ prompt: 'x', extra_lora: 'not a lora!' }, 'extra_lora', /huggingface/],
    [{ prompt: 'x', nonsense: 1 }, 'nonsense', /not an input/],
    [{ prompt: 'x', lora_scale: 3.5 }, 'lora_scale', /between -1 and 3/],
  ])('%j → %s', (input, field, msg) => {
    const r = v(input);
    expect(r.ok).toBe(false);
    const issue = r.issues.find((i) => i.field === field);
    expect(issue?.message).toMatch(msg);
  });
  it('refuses a mask without a starting photo', () => {
    expect(v({ prompt: 'x' }, { hasMask: true }).issues[0]).toMatchObject({ field: 'mask' });
  });
  it('notes rounding and ignored fields', () => {
    const r = v({ prompt: 'x', aspect_ratio: 'custom', width: 1000, height: 704 });
    expect(r.notes.join(' ')).toMatch(/1000 will be rounded up to 1008/);
    const withImage = v({ prompt: 'x', aspect_ratio: '16:9' }, { image: { width: 800, height: 600 } });
    expect(withImage.notes.join(' ')).toMatch(/ignored/);
  });
  it('accepts every extra_lora form the model accepts', () => {
    for (const ok of [
      'fofr/flux-pixar-cars',
      `fofr/flux-pixar-cars/${'a'.repeat(64)}`,
      'huggingface.co/owner/model',
      'https://huggingface.co/o/m/resolve/main/x.safetensors',
      'civitai.com/models/12345/name',
      'https://example.com/w.safetensors?x=1',
      'https://replicate.delivery/xezq/abc/trained_model.tar',
    ]) {
      expect(checkExtraLora(ok), ok).toBeNull();
    }
  });
  it('types --set values by the schema and drops ignored fields', () => {
    const f = (n: string) => BUILTIN_SCHEMA.fields.find((x) => x.name === n)!;
    expect(coerceValue(f('num_outputs'), '4')).toBe(4);
    expect(coerceValue(f('go_fast'), 'true')).toBe(true);
    expect(coerceValue(f('megapixels'), '1')).toBe('1');
    expect(cleanInput(BUILTIN_SCHEMA, { prompt: 'x', width: 512, aspect_ratio: '1:1', seed: '' })).toEqual({
      prompt: 'x',
      aspect_ratio: '1:1',
    });
  });
  it('parses model references', () => {
    expect(parseModelRef('sandrasocial/sseelfie-ai')).toEqual({ owner: 'sandrasocial', name: 'sseelfie-ai' });
    expect(parseModelRef(`a/b:${'F'.repeat(64)}`)?.version).toBe('f'.repeat(64));
    expect(parseModelRef('nope')).toBeNull();
  });
});
