/**
 * How the API checks a prediction's (or training's) input against the version's OpenAPI schema
 * before anything runs, and the defaults the predictor then sees (part of model-rules.ts).
 * Replicate validates against the version schema and answers 422 `invalid_fields` on failure
 * (reference §1, Replicate's OpenAPI `predictions.create`).
 */
import { resolveProperty, type OpenApiSchema } from './cog-schema';

function inputProperties(schema: OpenApiSchema): Array<[string, ReturnType<typeof resolveProperty>]> {
  const props = schema.components.schemas.Input?.properties ?? {};
  return Object.entries(props)
    .map(([k, v]): [string, ReturnType<typeof resolveProperty>] => [k, resolveProperty(schema, v)])
    .sort((a, b) => (a[1]['x-order'] ?? 0) - (b[1]['x-order'] ?? 0));
}

export interface InvalidField {
  type: string;
  field: string;
  description: string;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** gojsonschema's `uri` check: a scheme is required and backslashes are rejected. */
function isUri(s: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s) && !s.includes('\\');
}

export function validateInput(schema: OpenApiSchema, input: unknown): InvalidField[] {
  if (jsonType(input) !== 'object') {
    return [
      {
        type: 'invalid_type',
        field: 'input',
        description: `Invalid type. Expected: object, given: ${jsonType(input)}`,
      },
    ];
  }
  const obj = input as Record<string, unknown>;
  const errors: InvalidField[] = [];
  for (const key of schema.components.schemas.Input?.required ?? []) {
    if (!(key in obj)) errors.push({ type: 'required', field: 'input', description: `${key} is required` });
  }
  for (const [key, prop] of inputProperties(schema)) {
    if (!(key in obj)) continue;
    const value = obj[key];
    const field = `input.${key}`;
    const given = jsonType(value);
    // `null` is a value only where the dialect says so (anyOf with null, nullable: true).
    if (value === null && prop.nullable) continue;
    const expected = prop.type;
    const typeOk = expected === undefined || given === expected || (expected === 'number' && given === 'integer');
    if (!typeOk) {
      errors.push({ type: 'invalid_type', field, description: `Invalid type. Expected: ${expected}, given: ${given}` });
      continue;
    }
    if (prop.enum && !prop.enum.includes(value)) {
      const allowed = prop.enum.map((e) => JSON.stringify(e)).join(', ');
      errors.push({ type: 'enum', field, description: `${field} must be one of the following: ${allowed}` });
      continue;
    }
    if (typeof value === 'number') {
      if (prop.minimum !== undefined && value < prop.minimum) {
        errors.push({
          type: 'greater_than_equal',
          field,
          description: `Must be greater than or equal to ${prop.minimum}`,
        });
      }
      if (prop.maximum !== undefined && value > prop.maximum) {
        errors.push({ type: 'less_than_equal', field, description: `Must be less than or equal to ${prop.maximum}` });
      }
    }
    if (prop.format === 'uri' && typeof value === 'string' && !isUri(value)) {
      errors.push({ type: 'format', field, description: "Does not match format 'uri'" });
    }
  }
  return errors;
}

/** Cog fills every missing input with its default (None when there is none). */
export function withDefaults(schema: OpenApiSchema, input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of inputProperties(schema)) {
    out[key] = key in input && input[key] !== null ? input[key] : (prop.default ?? null);
  }
  return out;
}
