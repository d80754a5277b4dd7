/**
 * The schema reader against every dialect Cog versions write (see test/fixtures/cog-dialects/ for
 * where each shape comes from): each must give the same ModelField list, field by field, as Cog 0.9's.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_OPENAPI } from '../../../shared/model/builtin';
import { defaultTitle, parseOpenApiSchema, type ModelField } from '../../../shared/model/schema';
import { validateInput } from '../../../shared/model/validate';
import { CARD_EXAMPLE } from '../../fixtures/model-card';
import { BARE_REF, COG09_ALLOF, DIALECTS, EXPECTED_FIELDS, PYDANTIC2_ANYOF } from '../../fixtures/cog-dialects';
import simAllOf from '../../fixtures/openapi/cog-allof.json' with { type: 'json' };
import simBareRef from '../../fixtures/openapi/cog-bare-ref.json' with { type: 'json' };
import simNullable from '../../fixtures/openapi/cog-nullable.json' with { type: 'json' };
import simAnyOf from '../../fixtures/openapi/cog-pydantic2-anyof.json' with { type: 'json' };

const REFERENCE = parseOpenApiSchema(COG09_ALLOF).fields;

/** Compares two field lists one field at a time, so a failure names the field and the key. */
function expectSameFields(actual: readonly ModelField[], expected: readonly unknown[]) {
  expect(actual.map((f) => f.name)).toEqual((expected as ModelField[]).map((f) => f.name));
  expected.forEach((want, i) => {
    const got = actual[i]!;
    const w = want as ModelField;
    expect(got, w.name).toStrictEqual({ ...w, ...(w.enum ? { enum: [...w.enum] } : {}) });
    // the keys the form is built from, one by one (toStrictEqual above already covers them)
    expect(got.type, `${w.name}.type`).toBe(w.type);
    expect(got.enum, `${w.name}.enum`).toEqual(w.enum);
    expect([got.minimum, got.maximum], `${w.name} range`).toEqual([w.minimum, w.maximum]);
    expect(got.default, `${w.name}.default`).toBe(w.default);
    expect(got.required, `${w.name}.required`).toBe(w.required);
    expect(got.order, `${w.name}.order`).toBe(w.order);
    expect(got.format, `${w.name}.format`).toBe(w.format);
  });
}

/** A whole Cog document with one Input property changed (and extra component schemas). */
function withProps(
  base: unknown,
  props: Record<string, unknown>,
  schemas: Record<string, unknown> = {},
  required?: unknown,
): unknown {
  const doc = structuredClone(base) as {
    components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: unknown }> };
  };
  const input = doc.components.schemas.Input!;
  input.properties = { ...input.properties, ...props };
  if (required !== undefined) input.required = required;
  Object.assign(doc.components.schemas, schemas);
  return doc;
}
const field = (doc: unknown, name: string) => parseOpenApiSchema(doc).fields.find((f) => f.name === name);
const minimal = (props: Record<string, unknown>, schemas: Record<string, unknown> = {}, required?: unknown) =>
  withProps(
    { openapi: '3.0.2', components: { schemas: { Input: { type: 'object', title: 'Input', properties: {} } } } },
    props,
    schemas,
    required,
  );

describe('Cog 0.9 (allOf + $ref) is the reference', () => {
  it('gives the sseelfie-ai inputs of replicate-api.md §1.2, field by field', () => {
    expectSameFields(REFERENCE, EXPECTED_FIELDS);
  });

  it('reads only components.schemas.Input from the whole document (paths, envelope, Status are ignored)', () => {
    const doc = COG09_ALLOF as { paths: object; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.paths)).toContain('/predictions');
    expect(doc.components.schemas).toHaveProperty('PredictionResponse');
    expect(REFERENCE.some((f) => ['status', 'webhook', 'id', 'logs'].includes(f.name))).toBe(false);
  });

  it('the bundled fallback schema (shared/model/sseelfie-ai.openapi.json) gives the same fields', () => {
    expectSameFields(parseOpenApiSchema(BUILTIN_OPENAPI).fields, EXPECTED_FIELDS);
  });
});

describe.each(Object.entries(DIALECTS))('dialect %s', (_name, doc) => {
  it('gives the same ModelField list as Cog 0.9: names, types, enums in order, ranges, defaults, required, order', () => {
    expectSameFields(parseOpenApiSchema(doc).fields, REFERENCE);
  });

  it('validates the model card example and a bad value the same way', () => {
    const schema = parseOpenApiSchema(doc);
    expect(validateInput(schema, { ...CARD_EXAMPLE }).issues).toEqual([]);
    const bad = validateInput(schema, {
      prompt: 'x',
      aspect_ratio: 'custom',
      width: 100,
      height: 512,
      megapixels: '2',
      seed: 1.5,
    });
    expect(bad.issues).toEqual(
      validateInput(
        { fields: REFERENCE },
        { prompt: 'x', aspect_ratio: 'custom', width: 100, height: 512, megapixels: '2', seed: 1.5 },
      ).issues,
    );
    expect(bad.issues.map((i) => i.field).sort()).toEqual(['megapixels', 'seed', 'width']);
  });
});

/** The documents the simulator serves (test/fixtures/openapi, written with test/sim): each is the dialect it is named after. */
const SIM_FIXTURES: Array<[string, unknown, (props: Record<string, Record<string, unknown>>) => void]> = [
  [
    'cog-allof.json',
    simAllOf,
    (p) => expect(p.aspect_ratio!.allOf).toEqual([{ $ref: '#/components/schemas/aspect_ratio' }]),
  ],
  ['cog-bare-ref.json', simBareRef, (p) => expect(p.aspect_ratio!.$ref).toBe('#/components/schemas/aspect_ratio')],
  ['cog-nullable.json', simNullable, (p) => expect(p.seed!.nullable).toBe(true)],
  ['cog-pydantic2-anyof.json', simAnyOf, (p) => expect(p.height!.anyOf).toContainEqual({ type: 'null' })],
];

describe.each(SIM_FIXTURES)('the simulator’s %s', (_file, doc, isDialect) => {
  it('is a whole Cog document in its dialect', () => {
    const d = doc as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }> };
    };
    expect(d.paths).toHaveProperty('/predictions');
    expect(d.components.schemas).toHaveProperty('PredictionResponse');
    isDialect(d.components.schemas.Input!.properties!);
  });

  it('gives the same ModelField list as Cog 0.9, field by field', () => {
    expectSameFields(parseOpenApiSchema(doc).fields, EXPECTED_FIELDS);
  });
});

describe('the shapes each dialect is made of', () => {
  it('bare $ref: the enum comes from the target, default and description from beside the $ref', () => {
    const props = (
      BARE_REF as { components: { schemas: { Input: { properties: Record<string, Record<string, unknown>> } } } }
    ).components.schemas.Input.properties;
    expect(props.aspect_ratio).not.toHaveProperty('allOf');
    expect(field(BARE_REF, 'aspect_ratio')).toMatchObject({
      type: 'string',
      enum: EXPECTED_FIELDS[3].enum,
      default: '1:1',
      title: 'Aspect Ratio',
    });
    // `default: null` (pydantic 2 writes the Python None) is no default
    expect(props.seed!.default).toBeNull();
    expect(field(BARE_REF, 'seed')).not.toHaveProperty('default');
  });

  it('pydantic 2 anyOf: bounds inside the non-null branch or beside it; format uri inside; an optional enum', () => {
    const props = (
      PYDANTIC2_ANYOF as { components: { schemas: { Input: { properties: Record<string, Record<string, unknown>> } } } }
    ).components.schemas.Input.properties;
    expect(props.height!.anyOf).toEqual([{ type: 'integer', maximum: 1440, minimum: 256 }, { type: 'null' }]);
    expect(props.width!.minimum).toBe(256);
    expect(field(PYDANTIC2_ANYOF, 'height')).toMatchObject({ type: 'integer', minimum: 256, maximum: 1440 });
    expect(field(PYDANTIC2_ANYOF, 'width')).toMatchObject({ type: 'integer', minimum: 256, maximum: 1440 });
    expect(field(PYDANTIC2_ANYOF, 'image')).toMatchObject({ type: 'string', format: 'uri', required: false });
    expect(field(PYDANTIC2_ANYOF, 'megapixels')).toMatchObject({ type: 'string', enum: ['1', '0.25'], default: '1' });
  });

  it('nullable: true (OpenAPI 3.0; Cog ≥ 0.15 and its static generator) and type: [T, "null"] (OpenAPI 3.1)', () => {
    const doc = withProps(COG09_ALLOF, {
      seed: {
        type: 'integer',
        nullable: true,
        title: 'Seed',
        'x-order': 11,
        description: EXPECTED_FIELDS[11].description,
      },
      height: {
        type: ['integer', 'null'],
        minimum: 256,
        maximum: 1440,
        title: 'Height',
        'x-order': 4,
        description: EXPECTED_FIELDS[4].description,
      },
      image: {
        type: 'string',
        format: 'uri',
        nullable: true,
        title: 'Image',
        'x-order': 1,
        description: EXPECTED_FIELDS[1].description,
      },
    });
    expectSameFields(parseOpenApiSchema(doc).fields, REFERENCE);
  });

  it('an optional enum with no default: anyOf [$ref, null] or oneOf, no default', () => {
    const doc = withProps(COG09_ALLOF, {
      output_format: {
        anyOf: [{ $ref: '#/components/schemas/output_format' }, { type: 'null' }],
        default: null,
        'x-order': 12,
      },
      model: { oneOf: [{ type: 'null' }, { allOf: [{ $ref: '#/components/schemas/model' }] }], 'x-order': 7 },
    });
    expect(field(doc, 'output_format')).toStrictEqual({
      name: 'output_format',
      title: 'Output Format',
      type: 'string',
      enum: ['webp', 'jpg', 'png'],
      required: false,
      order: 12,
    });
    expect(field(doc, 'model')).toMatchObject({ type: 'string', enum: ['dev', 'schnell'], order: 7 });
    expect(field(doc, 'model')).not.toHaveProperty('default');
  });

  it('integer choices (Cog writes an IntEnum: {type: integer, enum}) keep their type and order', () => {
    const doc = minimal(
      {
        width: {
          allOf: [{ $ref: '#/components/schemas/width' }],
          default: 768,
          'x-order': 0,
          description: 'Width in pixels',
        },
        steps: { $ref: '#/components/schemas/steps', 'x-order': 1 },
        untyped: { enum: [3, 1, 2], default: 3, 'x-order': 2 },
      },
      {
        width: { enum: [512, 768, 1024], type: 'integer', title: 'width', description: 'An enumeration.' },
        steps: { enum: [4, 8], type: 'integer', title: 'steps', description: 'An enumeration.' },
      },
    );
    const [width, steps, untyped] = parseOpenApiSchema(doc).fields;
    expect(width).toStrictEqual({
      name: 'width',
      title: 'Width',
      type: 'integer',
      enum: [512, 768, 1024],
      default: 768,
      description: 'Width in pixels',
      required: false,
      order: 0,
    });
    expect(steps).toStrictEqual({
      name: 'steps',
      title: 'Steps',
      type: 'integer',
      enum: [4, 8],
      required: false,
      order: 1,
    });
    expect(untyped).toMatchObject({ type: 'integer', enum: [3, 1, 2], default: 3 });
  });

  it('Cog 0.11 Literal inputs: the description moved into the enum schema, title from the name', () => {
    // python/cog/server/helpers.py `_extract_enum_properties`: the property keeps only allOf and x-order
    const doc = minimal(
      { style: { allOf: [{ $ref: '#/components/schemas/style' }], 'x-order': 0 } },
      { style: { type: 'string', enum: ['photo', 'film'], title: 'style', description: 'The look of the photo' } },
      ['style'],
    );
    expect(parseOpenApiSchema(doc).fields).toStrictEqual([
      {
        name: 'style',
        title: 'Style',
        type: 'string',
        enum: ['photo', 'film'],
        description: 'The look of the photo',
        required: true,
        order: 0,
      },
    ]);
  });

  it('bounds: exclusiveMinimum as a number (JSON Schema) or a flag (OpenAPI 3.0); Cog itself writes only minimum/maximum', () => {
    const doc = minimal({
      a: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 10, 'x-order': 0 },
      b: { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true, 'x-order': 1 },
      c: { type: 'number', exclusiveMinimum: 0, maximum: 1, 'x-order': 2 },
      d: { anyOf: [{ type: 'integer', exclusiveMinimum: 5, minimum: 1 }, { type: 'null' }], 'x-order': 3 },
      e: { type: 'number', minimum: 'low', maximum: Infinity, 'x-order': 4 },
    });
    const [a, b, c, d, e] = parseOpenApiSchema(doc).fields;
    expect([a!.minimum, a!.maximum]).toEqual([1, 9]);
    expect([b!.minimum, b!.maximum]).toEqual([1, 9]);
    expect([c!.minimum, c!.maximum]).toEqual([0, 1]);
    expect([d!.minimum, d!.maximum]).toEqual([6, undefined]);
    expect([e!.minimum, e!.maximum]).toEqual([undefined, undefined]);
  });

  it('defaults: null is none, a default of another type is dropped, a numeric string on a number is read', () => {
    const doc = minimal({
      a: { type: 'integer', default: null, 'x-order': 0 },
      b: { type: 'boolean', default: 'yes', 'x-order': 1 },
      c: { type: 'number', default: '2.5', 'x-order': 2 },
      d: { anyOf: [{ type: 'string', default: 'inner' }, { type: 'null' }], 'x-order': 3 },
    });
    const [a, b, c, d] = parseOpenApiSchema(doc).fields;
    expect(a).not.toHaveProperty('default');
    expect(b).not.toHaveProperty('default');
    expect(c!.default).toBe(2.5);
    expect(d!.default).toBe('inner');
  });

  it('enums: order kept, null and duplicates dropped, values of another type dropped, const read as one choice', () => {
    const doc = minimal({
      a: { type: 'string', enum: ['b', 'a', null, 'b', 3], 'x-order': 0 },
      b: { const: 'only', 'x-order': 1 },
      c: { type: 'boolean', enum: [true, false], 'x-order': 2 },
    });
    const [a, b, c] = parseOpenApiSchema(doc).fields;
    expect(a!.enum).toEqual(['b', 'a']);
    expect(b).toMatchObject({ type: 'string', enum: ['only'] });
    expect(c).toStrictEqual({ name: 'c', title: 'C', type: 'boolean', required: false, order: 2 });
  });

  it('titles: the property’s own, else pydantic’s from the name; never an enum schema’s', () => {
    expect(defaultTitle('num_inference_steps')).toBe('Num Inference Steps');
    expect(defaultTitle('lora_scale2x')).toBe('Lora Scale2X'); // Python's str.title()
    expect(field(COG09_ALLOF, 'aspect_ratio')!.title).toBe('Aspect Ratio');
    const doc = minimal(
      { x: { allOf: [{ $ref: '#/components/schemas/x' }], title: 'Look', 'x-order': 0 } },
      { x: { type: 'string', enum: ['a'], title: 'x' } },
    );
    expect(field(doc, 'x')!.title).toBe('Look');
  });

  it('x-order orders the fields; without it fields keep the document’s order after the ordered ones', () => {
    const doc = minimal({
      late: { type: 'string' },
      b: { type: 'string', 'x-order': 1 },
      a: { type: 'string', 'x-order': 0 },
      broken: { type: 'string', 'x-order': 'first' },
    });
    expect(parseOpenApiSchema(doc).fields.map((f) => [f.name, f.order])).toEqual([
      ['a', 0],
      ['b', 1],
      ['late', 1000],
      ['broken', 1003],
    ]);
  });

  it('JSON pointer escapes in $ref are followed', () => {
    const doc = minimal(
      { a: { $ref: '#/components/schemas/a~1b', 'x-order': 0 } },
      { 'a/b': { type: 'string', enum: ['x', 'y'] } },
    );
    expect(field(doc, 'a')!.enum).toEqual(['x', 'y']);
  });
});

describe('inputs the form cannot offer are skipped, never a crash', () => {
  const doc = withProps(
    COG09_ALLOF,
    {
      images: { type: 'array', items: { type: 'string', format: 'uri' }, title: 'Images', 'x-order': 20 },
      options: { type: 'object', title: 'Options', 'x-order': 21 },
      api_key: { type: 'string', format: 'password', 'x-cog-secret': true, title: 'Api Key', 'x-order': 22 },
      token: { anyOf: [{ type: 'string', format: 'password', 'x-cog-secret': true }, { type: 'null' }], 'x-order': 23 },
      either: { anyOf: [{ type: 'string' }, { type: 'integer' }], 'x-order': 24 },
      either31: { type: ['string', 'integer'], 'x-order': 25 },
      loop: { $ref: '#/components/schemas/Loop', 'x-order': 26 },
      dangling: { allOf: [{ $ref: '#/components/schemas/Missing' }], 'x-order': 27 },
      external: { $ref: 'other.json#/Thing', 'x-order': 28 },
      to_array: { $ref: '#/components/schemas/Output', 'x-order': 29 },
      bad_part: { allOf: ['nope'], 'x-order': 30 },
      only_null: { type: 'null', 'x-order': 31 },
      no_type: { description: 'anything', 'x-order': 32 },
      not_a_schema: 'string',
      nothing: null,
      bad_escape: { $ref: '#/components/schemas/%E0%A4%A', 'x-order': 33 },
      deep: JSON.parse('{"allOf":['.repeat(60) + '{"type":"string"}' + ']}'.repeat(60)),
    },
    { Loop: { allOf: [{ $ref: '#/components/schemas/Loop' }] } },
    ['prompt', 'images', 7],
  );

  it('gives exactly the form’s fields, the same as without them', () => {
    expectSameFields(parseOpenApiSchema(doc).fields, REFERENCE);
  });

  it('refuses documents that are not Cog schemas with a plain error', () => {
    for (const bad of [
      null,
      'x',
      [],
      { openapi: '3' },
      { components: { schemas: { Input: { properties: [] } } } },
      { components: { schemas: { Input: 'x' } } },
    ]) {
      expect(() => parseOpenApiSchema(bad)).toThrow(Error);
    }
  });
});
