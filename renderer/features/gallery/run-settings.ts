/**
 * Every setting a saved run used, for its page (issue 12): what it sent (run.json's input), and for
 * everything it did not send the default of the model version it ran on, marked as a default, so
 * the page says exactly what made the photos. Values are written by Compare's formatter
 * (compare/diff.ts `showValue`), so a number reads the same on both.
 *
 * A default the run could not have used is left out instead of shown as if it had been: the
 * strength of a run without a starting photo, the extra LoRA's strength without an extra LoRA.
 * Settings the run sent that the schema does not know (an older version) are listed too.
 */
import type { ModelField } from '../../../shared/model/schema';
import { fieldTitle } from '../params/logic';
import { showValue } from '../compare/diff';

export interface RunSetting {
  key: string;
  label: string;
  value: string;
  /** not sent: the model's default */
  isDefault: boolean;
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/** File inputs are saved beside run.json; the page shows them as pictures. */
const FILE_WORDS: Record<string, string> = { image: 'Starting photo', mask: 'Painted mask' };

/** Defaults that did not apply to this run (so they did not make its photos). */
function notApplied(k: string, input: Record<string, unknown>): boolean {
  if (k === 'prompt_strength') return !present(input.image);
  if (k === 'extra_lora_scale') return !present(input.extra_lora);
  return false;
}

function display(k: string, v: unknown): string {
  if (FILE_WORDS[k]) return FILE_WORDS[k]!;
  if (typeof v === 'string' && v.startsWith('data:')) return '(embedded file)';
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return showValue(k, v);
}

function titleOf(k: string, fields: readonly ModelField[] | null): string {
  const f = fields?.find((x) => x.name === k);
  return f ? fieldTitle(f) : fieldTitle({ name: k, title: k.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()) });
}

/**
 * The rows, in the form's order (the schema's, width before height), then what the schema does
 * not know. `fields` null: the version's schema could not be read, so only what was sent is
 * known. `skip` leaves out keys shown elsewhere on the page (the prompt, the seed).
 */
export function runSettings(
  input: Record<string, unknown>,
  fields: readonly ModelField[] | null,
  skip: ReadonlySet<string>,
): RunSetting[] {
  const width = fields?.find((f) => f.name === 'width');
  const rank = (f: ModelField) => (f.name === 'height' && width && width.order > f.order ? width.order + 0.5 : f.order);
  const ordered = fields ? [...fields].sort((a, b) => rank(a) - rank(b)) : [];
  const rows: RunSetting[] = [];
  const seen = new Set<string>();
  for (const f of ordered) {
    seen.add(f.name);
    if (skip.has(f.name)) continue;
    const v = input[f.name];
    if (present(v))
      rows.push({ key: f.name, label: titleOf(f.name, fields), value: display(f.name, v), isDefault: false });
    else if (f.default !== undefined && !FILE_WORDS[f.name] && !notApplied(f.name, input))
      rows.push({ key: f.name, label: titleOf(f.name, fields), value: display(f.name, f.default), isDefault: true });
  }
  for (const [k, v] of Object.entries(input)) {
    if (seen.has(k) || skip.has(k) || !present(v)) continue;
    rows.push({ key: k, label: titleOf(k, fields), value: display(k, v), isDefault: false });
  }
  return rows;
}

/** "owner/name" of a model reference (without its version). */
export function modelName(ref: string): string {
  return ref.split(':')[0]!;
}

/** The reference that names the exact version a run ran on (its schema has that run's defaults). */
export function versionRef(modelRef: string, version: string | null): string {
  return version ? `${modelName(modelRef)}:${version}` : modelRef;
}

/** A version id as shown: its first 12 characters, like Replicate's own pages. */
export function shortVersion(id: string): string {
  return id.slice(0, 12);
}
