/**
 * test/fixtures/openapi/*.json are what the simulator serves as `openapi_schema` (the app's schema
 * reader is tested against them), so they may not drift from the generator. Regenerate with
 * `npx tsx test/sim/write-openapi-fixtures.ts`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COG_DIALECTS, buildCogDocument, jsonbOrder, resolveProperty, type CogInput } from './cog-schema';
import { HOTSWAP_INPUTS } from './model-rules';
import { OPENAPI_FIXTURE_DIR, fixturePath, fixtureText } from './write-openapi-fixtures';

describe('openapi fixtures', () => {
  it('exist under their stable names, one per dialect', () => {
    const names = readdirSync(OPENAPI_FIXTURE_DIR).sort();
    expect(names).toEqual(['cog-allof.json', 'cog-bare-ref.json', 'cog-nullable.json', 'cog-pydantic2-anyof.json']);
  });

  it.each(COG_DIALECTS)('%s.json is byte for byte what the generator writes', (d) => {
    expect(readFileSync(fixturePath(d), 'utf8')).toBe(fixtureText(d));
  });

  it.each(COG_DIALECTS)('%s: every input resolves to the same field, whatever the dialect', (d) => {
    const doc = JSON.parse(readFileSync(fixturePath(d), 'utf8'));
    for (const [i, f] of HOTSWAP_INPUTS.entries()) {
      const p = resolveProperty(doc, doc.components.schemas.Input.properties[f.name]);
      expect(p, f.name).toMatchObject({ type: f.type, 'x-order': i });
      if (f.choices) expect(p.enum, f.name).toEqual(f.choices);
      if (f.default !== undefined && f.default !== null) expect(p.default, f.name).toEqual(f.default);
      if (f.minimum !== undefined) expect(p.minimum, f.name).toBe(f.minimum);
      if (f.maximum !== undefined) expect(p.maximum, f.name).toBe(f.maximum);
      expect(p.nullable, f.name).toBe(f.default === null && (d === 'cog-pydantic2-anyof' || d === 'cog-nullable'));
    }
  });
});

describe('cog document details', () => {
  it('keys come in Postgres jsonb order, as Replicate serves stored schemas', () => {
    expect(Object.keys(jsonbOrder({ openapi: 1, info: 2, components: 3, paths: 4 }))).toEqual([
      'info',
      'paths',
      'openapi',
      'components',
    ]);
    expect(Object.keys(jsonbOrder({ seed: 1, image: 2, mask: 3, $ref: 4 }))).toEqual(['$ref', 'mask', 'seed', 'image']);
    expect(jsonbOrder([{ b: 1, a: 2 }])).toEqual([{ a: 2, b: 1 }]);
  });

  it('an optional enum is anyOf [{$ref}, {type: null}] in the pydantic 2 dialect and allOf + nullable in Cog ≥ 0.15', () => {
    const inputs: CogInput[] = [{ name: 'style', type: 'string', choices: ['a', 'b'], default: null }];
    const raw = buildCogDocument(inputs, 'cog-pydantic2-anyof').components.schemas;
    expect(raw.Input!.properties!.style).toEqual({
      anyOf: [{ $ref: '#/components/schemas/style' }, { type: 'null' }],
      default: null,
      'x-order': 0,
    });
    expect(raw.style).toEqual({ enum: ['a', 'b'], type: 'string', title: 'style' });
    const nullable = buildCogDocument(inputs, 'cog-nullable').components.schemas;
    expect(nullable.Input!.properties!.style).toEqual({
      allOf: [{ $ref: '#/components/schemas/style' }],
      nullable: true,
      'x-order': 0,
    });
    expect(nullable.Input!.required).toBeUndefined();
  });
});
