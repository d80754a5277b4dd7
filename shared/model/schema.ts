/**
 * A model's input schema, parsed from a Cog `openapi_schema` (Replicate's `latest_version`).
 * Cog writes `choices=` inputs as `allOf: [{$ref}]` with the enum in `components.schemas.<name>`;
 * `x-order` gives the order and `components.schemas.Input.required` the required fields.
 * Pure: the renderer builds its form from this, main validates with it.
 */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean';

export interface ModelField {
  name: string;
  title: string;
  type: FieldType;
  /** `uri` for file inputs (image, mask) */
  format?: 'uri';
  description?: string;
  default?: string | number | boolean;
  enum?: Array<string | number>;
  minimum?: number;
  maximum?: number;
  required: boolean;
  order: number;
}

export interface ModelSchema {
  fields: ModelField[];
}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function resolveRef(root: Json, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let cur: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    if (!isObj(cur)) return undefined;
    cur = cur[part];
  }
  return isObj(cur) ? cur : undefined;
}

/** Parses a Cog openapi_schema. Throws a plain Error when the shape is not a Cog schema. */
export function parseOpenApiSchema(openapi: unknown): ModelSchema {
  if (!isObj(openapi)) throw new Error('schema is not an object');
  const input = resolveRef(openapi, '#/components/schemas/Input');
  if (!input || !isObj(input.properties)) throw new Error('schema has no components.schemas.Input.properties');
  const required = new Set(Array.isArray(input.required) ? (input.required as string[]) : []);
  const fields: ModelField[] = [];
  for (const [name, raw] of Object.entries(input.properties)) {
    if (!isObj(raw)) continue;
    // Merge allOf/$ref targets (enum definitions) under the property's own keys.
    let def: Json = { ...raw };
    if (Array.isArray(raw.allOf)) {
      for (const part of raw.allOf) {
        const target = isObj(part) && typeof part.$ref === 'string' ? resolveRef(openapi, part.$ref) : isObj(part) ? part : undefined;
        if (target) def = { ...target, ...def };
      }
    }
    if (typeof raw.$ref === 'string') {
      const target = resolveRef(openapi, raw.$ref);
      if (target) def = { ...target, ...def };
    }
    let type = def.type as string | undefined;
    if (!type && Array.isArray(def.enum) && def.enum.length) type = typeof def.enum[0] === 'number' ? 'number' : 'string';
    if (type !== 'string' && type !== 'integer' && type !== 'number' && type !== 'boolean') continue; // unsupported (arrays, objects)
    const field: ModelField = {
      name,
      title: typeof def.title === 'string' ? def.title : name,
      type,
      required: required.has(name),
      order: typeof def['x-order'] === 'number' ? (def['x-order'] as number) : 1000 + fields.length,
    };
    if (def.format === 'uri') field.format = 'uri';
    if (typeof def.description === 'string') field.description = def.description;
    if (def.default !== undefined && def.default !== null) field.default = def.default as ModelField['default'];
    if (Array.isArray(def.enum)) field.enum = def.enum as Array<string | number>;
    if (typeof def.minimum === 'number') field.minimum = def.minimum;
    if (typeof def.maximum === 'number') field.maximum = def.maximum;
    fields.push(field);
  }
  fields.sort((a, b) => a.order - b.order);
  return { fields };
}

export function fieldByName(schema: ModelSchema, name: string): ModelField | undefined {
  return schema.fields.find((f) => f.name === name);
}

/** The schema's defaults as an input object (what the model would use if a field is omitted). */
export function schemaDefaults(schema: ModelSchema): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const f of schema.fields) if (f.default !== undefined) out[f.name] = f.default;
  return out;
}

/** "Num Inference Steps" → "Steps": friendlier titles for the known fields. */
const TITLES: Record<string, string> = {
  aspect_ratio: 'Aspect ratio',
  num_outputs: 'Number of photos',
  num_inference_steps: 'Steps',
  guidance_scale: 'Guidance',
  prompt_strength: 'Change from the starting photo',
  output_format: 'File format',
  output_quality: 'Quality',
  disable_safety_checker: 'Disable safety checker',
  go_fast: 'Go fast',
  megapixels: 'Resolution',
  lora_scale: 'Likeness strength (LoRA scale)',
  extra_lora: 'Extra LoRA',
  extra_lora_scale: 'Extra LoRA strength',
  model: 'Base model',
};
/** The name a person sees for a field, in the form and in every validation message. */
export function fieldTitle(f: Pick<ModelField, 'name' | 'title'>): string {
  return TITLES[f.name] ?? f.title;
}
