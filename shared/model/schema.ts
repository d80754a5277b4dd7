/**
 * A model's input schema, parsed from a Cog `openapi_schema` (Replicate's `latest_version`).
 * Pure: the renderer builds its form from this, main validates with it.
 *
 * The document is Cog's whole OpenAPI document (paths, PredictionRequest/Response, Status, …);
 * only `components.schemas.Input` is read. Cog versions write the same input in several dialects,
 * and each must give the same fields:
 * - Cog ≤ 0.9 (pydantic 1) and Cog ≥ 0.11 (which rewrites pydantic 2's output back): `choices=`
 *   inputs are `allOf: [{$ref}]` with the enum in `components.schemas.<name>`, siblings beside it.
 * - A bare `$ref` with siblings (pydantic ≥ 2.9 dropped the `allOf` wrapper, pydantic/pydantic#10029;
 *   pydantic 1 also writes a bare `$ref` for an enum with no default or description).
 * - `Optional[T]` as `anyOf: [{type: T, minimum, …}, {type: 'null'}]` with `default: null` beside it
 *   (raw pydantic 2), `anyOf: [{$ref}, {type: 'null'}]` for an optional enum, `nullable: true`
 *   (OpenAPI 3.0, Cog ≥ 0.15 and Cog's static generator), or `type: [T, 'null']` (OpenAPI 3.1).
 * `x-order` gives the order and `components.schemas.Input.required` the required fields.
 * Inputs the form cannot offer (arrays, objects, unions of several types, secrets) are skipped.
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

/** A local JSON pointer (`#/components/schemas/x`, RFC 6901 escapes); anything else is not followed. */
function resolveRef(root: Json, ref: string): Json | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let cur: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    let part: string;
    try {
      part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (!isObj(cur) || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = cur[part];
  }
  return isObj(cur) ? cur : undefined;
}

/** pydantic's default title, `name.title().replace('_', ' ')`: "num_outputs" → "Num Outputs". */
export function defaultTitle(name: string): string {
  return name.replace(/[A-Za-z]+/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).replace(/_/g, ' ');
}

/** What pydantic and Cog write into every enum schema: not a description of the field. */
const ENUM_BOILERPLATE = 'An enumeration.';
const MAX_DEPTH = 32;

const isNullSchema = (s: unknown): boolean =>
  isObj(s) &&
  (s.type === 'null' ||
    (Array.isArray(s.enum) && s.enum.length === 1 && s.enum[0] === null) ||
    ('const' in s && s.const === null));

/** Keys that say how a schema is built rather than what it is. */
const COMBINATORS = new Set(['$ref', 'allOf', 'anyOf', 'oneOf']);

/**
 * One property's schema as a single flat object: `$ref` targets, `allOf` parts and the one non-null
 * branch of an `anyOf`/`oneOf` merged under the property's own keys. `nullable` records a dropped
 * null. Returns null when the schema cannot be one plain value (a union of several types, a cycle,
 * a dangling reference).
 */
function flatten(root: Json, node: Json, seen: readonly string[], depth: number): Json | null {
  if (depth > MAX_DEPTH) return null;
  let out: Json = {};
  const merge = (part: Json) => {
    for (const [k, v] of Object.entries(part)) if (v !== undefined) out[k] = v;
  };
  if (typeof node.$ref === 'string') {
    if (seen.includes(node.$ref)) return null;
    const target = resolveRef(root, node.$ref);
    if (!target) return null;
    const flat = flatten(root, target, [...seen, node.$ref], depth + 1);
    if (!flat) return null;
    // A referenced schema is a type (e.g. Cog's enum named after the input): its title and
    // pydantic's "An enumeration." say nothing about the field.
    delete flat.title;
    if (flat.description === ENUM_BOILERPLATE) delete flat.description;
    merge(flat);
  }
  if (Array.isArray(node.allOf)) {
    for (const part of node.allOf) {
      if (!isObj(part)) return null;
      const flat = flatten(root, part, seen, depth + 1);
      if (!flat) return null;
      merge(flat);
    }
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const variants = node[key];
    if (!Array.isArray(variants)) continue;
    const nonNull = variants.filter((v) => !isNullSchema(v));
    if (nonNull.length < variants.length) out.nullable = true;
    if (nonNull.length > 1) return null; // str | int: not one control
    if (nonNull.length === 1) {
      if (!isObj(nonNull[0])) return null;
      const flat = flatten(root, nonNull[0], seen, depth + 1);
      if (!flat) return null;
      merge(flat);
    }
  }
  for (const [k, v] of Object.entries(node)) {
    if (COMBINATORS.has(k) || v === undefined) continue;
    if (k === 'nullable' && v !== true) continue; // never undo a null found in a branch
    out[k] = v;
  }
  // OpenAPI 3.1 / JSON Schema: `type: ['integer', 'null']`.
  if (Array.isArray(out.type)) {
    const types = out.type.filter((t) => t !== 'null');
    if (types.length < out.type.length) out.nullable = true;
    if (types.length > 1) return null;
    out = { ...out, type: types[0] };
    if (out.type === undefined) delete out.type;
  }
  return out;
}

const FIELD_TYPES: readonly string[] = ['string', 'integer', 'number', 'boolean'];

function fitsType(type: FieldType, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
  }
}

function inferType(def: Json): FieldType | undefined {
  const values = Array.isArray(def.enum)
    ? def.enum.filter((v) => v !== null)
    : 'const' in def && def.const !== null
      ? [def.const]
      : [];
  if (!values.length) return undefined;
  if (values.every((v) => typeof v === 'string')) return 'string';
  if (values.every((v) => typeof v === 'boolean')) return 'boolean';
  if (values.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'integer';
  if (values.every((v) => typeof v === 'number' && Number.isFinite(v))) return 'number';
  return undefined;
}

/** Reads a bound: `minimum`, plus `exclusiveMinimum` as a number (JSON Schema) or a flag (OpenAPI 3.0). */
function bound(def: Json, type: FieldType, side: 'minimum' | 'maximum'): number | undefined {
  const exclusiveKey = side === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum';
  const inclusive = typeof def[side] === 'number' && Number.isFinite(def[side]) ? (def[side] as number) : undefined;
  const excl = def[exclusiveKey];
  let exclusive: number | undefined;
  if (typeof excl === 'number' && Number.isFinite(excl)) exclusive = excl;
  else if (excl === true && inclusive !== undefined) exclusive = inclusive;
  if (exclusive === undefined) return inclusive;
  // Integers have a next value; a decimal field keeps the bound itself (the model says the rest).
  const open =
    type === 'integer' ? (side === 'minimum' ? Math.floor(exclusive) + 1 : Math.ceil(exclusive) - 1) : exclusive;
  if (inclusive === undefined || excl === true) return open;
  return side === 'minimum' ? Math.max(open, inclusive) : Math.min(open, inclusive);
}

function toField(name: string, def: Json, required: boolean, index: number): ModelField | null {
  const declared = typeof def.type === 'string' ? def.type : undefined;
  if (declared !== undefined && !FIELD_TYPES.includes(declared)) return null; // arrays, objects, null
  const type = (declared as FieldType | undefined) ?? inferType(def);
  if (!type) return null;
  // Cog's Secret (`format: password`, `x-cog-secret`): never a plain text box kept in drafts and presets.
  if (def['x-cog-secret'] === true || def.format === 'password') return null;
  const order =
    typeof def['x-order'] === 'number' && Number.isFinite(def['x-order']) ? (def['x-order'] as number) : 1000 + index;
  const field: ModelField = {
    name,
    title: typeof def.title === 'string' && def.title.trim() ? def.title : defaultTitle(name),
    type,
    required,
    order,
  };
  if (type === 'string' && def.format === 'uri') field.format = 'uri';
  if (typeof def.description === 'string' && def.description !== ENUM_BOILERPLATE) field.description = def.description;
  if (type !== 'boolean') {
    const values = Array.isArray(def.enum) ? def.enum : 'const' in def ? [def.const] : undefined;
    if (values) {
      const fitting = values.filter((v, i) => v !== null && fitsType(type, v) && values.indexOf(v) === i) as Array<
        string | number
      >;
      if (fitting.length) field.enum = fitting;
    }
    if (type === 'integer' || type === 'number') {
      const lo = bound(def, type, 'minimum');
      const hi = bound(def, type, 'maximum');
      if (lo !== undefined) field.minimum = lo;
      if (hi !== undefined) field.maximum = hi;
    }
  }
  let dflt = def.default;
  if (
    typeof dflt === 'string' &&
    (type === 'integer' || type === 'number') &&
    dflt.trim() !== '' &&
    Number.isFinite(Number(dflt))
  )
    dflt = Number(dflt);
  if (dflt !== null && dflt !== undefined && fitsType(type, dflt)) field.default = dflt as ModelField['default'];
  return field;
}

/** Parses a Cog openapi_schema. Throws a plain Error when the shape is not a Cog schema. */
export function parseOpenApiSchema(openapi: unknown): ModelSchema {
  if (!isObj(openapi)) throw new Error('schema is not an object');
  const input = resolveRef(openapi, '#/components/schemas/Input');
  if (!input || !isObj(input.properties)) throw new Error('schema has no components.schemas.Input.properties');
  const required = new Set(
    Array.isArray(input.required) ? input.required.filter((r): r is string => typeof r === 'string') : [],
  );
  const fields: ModelField[] = [];
  Object.entries(input.properties).forEach(([name, raw], index) => {
    if (!isObj(raw)) return;
    let field: ModelField | null;
    try {
      const def = flatten(openapi, raw, [], 0);
      field = def ? toField(name, def, required.has(name), index) : null;
    } catch {
      field = null; // a schema this reader does not understand is one input fewer, never a broken app
    }
    if (field) fields.push(field);
  });
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
