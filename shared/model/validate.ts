/**
 * Validation of model inputs against the model's schema, before any network call.
 * Messages are for people: they name the field by its title and say what would be accepted.
 */
import type { FieldIssue } from '../errors';
import { fieldTitle, type ModelField, type ModelSchema } from './schema';
import { checkExtraLora, planOutput, roundUp16, type OutputPlan } from './rules';

export interface ValidationContext {
  /** size of the prepared starting image, if any */
  image?: { width: number; height: number } | null;
  hasMask?: boolean;
}

export interface ValidationResult {
  ok: boolean;
  issues: FieldIssue[];
  /** notes that are not errors: rounded sizes, ignored fields */
  notes: string[];
  plan: OutputPlan;
}

function label(f: ModelField): string {
  return fieldTitle(f) || f.name;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(4)));
}

/** Checks one value against its field; returns a message or null. */
export function checkField(f: ModelField, v: unknown): string | null {
  if (v === undefined || v === null) return null;
  switch (f.type) {
    case 'boolean':
      if (typeof v !== 'boolean') return `${label(f)} must be on or off.`;
      return null;
    case 'string':
      if (typeof v !== 'string') return `${label(f)} must be text.`;
      if (f.enum && !f.enum.includes(v)) return `${label(f)} must be one of: ${f.enum.join(', ')}.`;
      if (f.format === 'uri' && v !== '' && !/^(https:\/\/|data:)/i.test(v))
        return `${label(f)} must be a file (an https link or data URI).`;
      return null;
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${label(f)} must be a number.`;
      if (f.type === 'integer' && !Number.isInteger(v)) return `${label(f)} must be a whole number.`;
      if (f.enum && !f.enum.includes(v)) return `${label(f)} must be one of: ${f.enum.join(', ')}.`;
      const { minimum: lo, maximum: hi } = f;
      if ((lo !== undefined && v < lo) || (hi !== undefined && v > hi)) {
        if (lo !== undefined && hi !== undefined) return `${label(f)} must be between ${fmt(lo)} and ${fmt(hi)}.`;
        if (lo !== undefined) return `${label(f)} must be at least ${fmt(lo)}.`;
        return `${label(f)} must be at most ${fmt(hi!)}.`;
      }
      return null;
    }
  }
}

export function validateInput(
  schema: ModelSchema,
  input: Record<string, unknown>,
  ctx: ValidationContext = {},
): ValidationResult {
  const issues: FieldIssue[] = [];
  const notes: string[] = [];
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  for (const key of Object.keys(input)) {
    if (!byName.has(key)) issues.push({ field: key, message: `"${key}" is not an input of this model.` });
  }
  for (const f of schema.fields) {
    const v = input[f.name];
    if (f.required && (v === undefined || v === null || (typeof v === 'string' && v.trim() === ''))) {
      issues.push({
        field: f.name,
        message: f.name === 'prompt' ? 'Write a prompt: describe the photo you want.' : `${label(f)} is required.`,
      });
      continue;
    }
    const msg = checkField(f, v);
    if (msg) issues.push({ field: f.name, message: msg });
  }
  const image = ctx.image ?? null;
  if (ctx.hasMask && !image && !input.image) {
    issues.push({ field: 'mask', message: 'A mask needs a starting photo: pick the photo to paint on first.' });
  }
  if (!image && input.aspect_ratio === 'custom') {
    for (const dim of ['width', 'height'] as const) {
      if (typeof input[dim] !== 'number' && byName.has(dim)) {
        issues.push({ field: dim, message: `A custom size needs both width and height; set the ${dim}.` });
      }
    }
    for (const dim of ['width', 'height'] as const) {
      const v = input[dim];
      if (typeof v === 'number' && Number.isInteger(v) && v % 16 !== 0)
        notes.push(`${dim === 'width' ? 'Width' : 'Height'} ${v} will be rounded up to ${roundUp16(v)}.`);
    }
  }
  if (typeof input.extra_lora === 'string' && byName.has('extra_lora')) {
    const m = checkExtraLora(input.extra_lora);
    if (m) issues.push({ field: 'extra_lora', message: m });
  }
  const plan = planOutput({ ...input, image, hasMask: !!ctx.hasMask });
  for (const [field, why] of Object.entries(plan.ignored)) {
    if (input[field] !== undefined && byName.has(field)) notes.push(`${label(byName.get(field)!)} is ignored: ${why}`);
  }
  return { ok: issues.length === 0, issues, notes, plan };
}

/** Types a `key=value` string by the schema (for the CLI's --set and for form text boxes). */
export function coerceValue(f: ModelField, raw: string): unknown {
  const s = raw.trim();
  switch (f.type) {
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(s)) return true;
      if (/^(false|0|no|off)$/i.test(s)) return false;
      return raw; // left as text: validation reports it
    case 'integer':
    case 'number': {
      if (s === '') return undefined;
      const n = Number(s);
      return Number.isNaN(n) ? raw : n;
    }
    default:
      return raw;
  }
}

/** Drops empty values and fields the model ignores, so the request shows only what matters. */
export function cleanInput(
  schema: ModelSchema,
  input: Record<string, unknown>,
  ctx: ValidationContext = {},
): Record<string, unknown> {
  const plan = planOutput({ ...input, image: ctx.image ?? null, hasMask: !!ctx.hasMask });
  const out: Record<string, unknown> = {};
  const names = new Set(schema.fields.map((f) => f.name));
  for (const [k, v] of Object.entries(input)) {
    if (!names.has(k) || v === undefined || v === null || v === '') continue;
    if (plan.ignored[k] && k !== 'go_fast') continue;
    out[k] = v;
  }
  return out;
}
