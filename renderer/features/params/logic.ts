/**
 * Pure helpers behind the parameters form: which fields show, how a slider steps, what is
 * validated and what is sent. Validation itself is the shared `validateInput` main also runs.
 */
import type { ModelField, ModelSchema } from '../../../shared/model/schema';
import { cleanInput, validateInput, type ValidationResult } from '../../../shared/model/validate';
import { checkExtraLora, planOutput, type OutputPlan } from '../../../shared/model/rules';
import type { DraftIssue, DraftValue } from './draft-store';

/** Shown above "More settings"; the rest are tucked away. */
export const PRIMARY_FIELDS = ['aspect_ratio', 'width', 'height', 'megapixels', 'num_outputs', 'seed'] as const;

export interface DraftInputs {
  prompt: string;
  values: Record<string, DraftValue>;
  raw: Record<string, string>;
}

export interface SourceSize {
  width: number;
  height: number;
}

/** Fields the form shows: everything except the prompt (its own box) and file inputs. */
export function formFields(fields: readonly ModelField[]): ModelField[] {
  const width = fields.find((f) => f.name === 'width');
  // People read a size as width × height; the schema lists height first.
  const rank = (f: ModelField) => (f.name === 'height' && width && width.order > f.order ? width.order + 0.5 : f.order);
  return [...fields].filter((f) => f.name !== 'prompt' && f.format !== 'uri').sort((a, b) => rank(a) - rank(b));
}

/** Width/height only matter with the "custom" aspect ratio (when the model has one). */
export function isHidden(f: ModelField, fields: readonly ModelField[], current: Record<string, unknown>): boolean {
  if (f.name !== 'width' && f.name !== 'height') return false;
  const aspect = fields.find((x) => x.name === 'aspect_ratio');
  if (!aspect) return false;
  return current.aspect_ratio !== 'custom';
}

/** The value the form displays: what the person set, else the model's default. */
export function currentValues(
  fields: readonly ModelField[],
  values: Record<string, DraftValue>,
): Record<string, DraftValue | undefined> {
  const out: Record<string, DraftValue | undefined> = {};
  for (const f of fields) out[f.name] = values[f.name] ?? f.default;
  return out;
}

/** The input to validate: the prompt, set values, and number-box text that is not a number yet. */
export function validationInput(d: DraftInputs, fields: readonly ModelField[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const names = new Set(fields.map((f) => f.name));
  if (names.has('prompt') || d.prompt) input.prompt = d.prompt;
  for (const [k, v] of Object.entries(d.values)) input[k] = v;
  for (const [k, text] of Object.entries(d.raw)) {
    if (text.trim() !== '' && typeof d.values[k] !== 'number') input[k] = text;
  }
  return input;
}

export interface DraftCheck {
  result: ValidationResult;
  /** field → first message (client rules, then main's for the last attempt) */
  issues: Record<string, string>;
  /** messages about fields the form does not show (e.g. from another model) */
  otherIssues: string[];
}

export function checkDraft(
  schema: ModelSchema,
  d: DraftInputs,
  source: SourceSize | null,
  serverIssues: readonly DraftIssue[] = [],
  hasMask = false,
): DraftCheck {
  const result = validateInput(schema, validationInput(d, schema.fields), {
    image: source,
    hasMask: hasMask && !!source,
  });
  const issues: Record<string, string> = {};
  const otherIssues: string[] = [];
  const shown = new Set(schema.fields.map((f) => f.name));
  for (const i of [...result.issues, ...serverIssues]) {
    if (shown.has(i.field)) issues[i.field] ??= i.message;
    else if (!otherIssues.includes(i.message)) otherIssues.push(i.message);
  }
  return { result, issues, otherIssues };
}

/** What `jobs.start` gets: only what matters to the model (empty and ignored fields dropped). */
export function requestInput(schema: ModelSchema, d: DraftInputs, source: SourceSize | null): Record<string, unknown> {
  const input: Record<string, unknown> = { ...d.values, prompt: d.prompt.trim() };
  return cleanInput(schema, input, { image: source });
}

/** Slider step: whole numbers for integers, otherwise about a hundredth of the range. */
export function stepFor(f: ModelField): number {
  if (f.type === 'integer') return 1;
  if (f.minimum === undefined || f.maximum === undefined) return 0.01;
  const range = f.maximum - f.minimum;
  if (range <= 2) return 0.01;
  if (range <= 20) return 0.05;
  return 1;
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(3)));
}

export function rangeText(f: ModelField): string | null {
  const lo = f.minimum;
  const hi = f.maximum;
  if (lo !== undefined && hi !== undefined) return `${formatNumber(lo)}–${formatNumber(hi)}`;
  if (lo !== undefined) return `at least ${formatNumber(lo)}`;
  if (hi !== undefined) return `at most ${formatNumber(hi)}`;
  return null;
}

/** Pixel size of each aspect ratio with the current megapixels (null for "custom"). */
export function aspectSize(aspect: string, megapixels: unknown): { width: number; height: number } | null {
  if (aspect === 'custom') return null;
  const p = planOutput({ aspect_ratio: aspect, megapixels });
  return p.width && p.height ? { width: p.width, height: p.height } : null;
}

/** Human titles for enum values the sseelfie-ai schema uses. */
export function optionLabel(field: string, v: string | number): string {
  const s = String(v);
  if (field === 'model') return s === 'dev' ? 'Dev (best quality)' : s === 'schnell' ? 'Schnell (fastest, 4 steps)' : s;
  if (field === 'megapixels')
    return s === '1' ? '1 megapixel' : s === '0.25' ? '0.25 megapixel (draft)' : `${s} megapixels`;
  if (field === 'output_format') return s.toUpperCase();
  return s;
}

export { fieldTitle } from '../../../shared/model/schema';

/** What an accepted `extra_lora` value is, in words (null: empty or not accepted). */
export function extraLoraKind(value: string): string | null {
  const v = value.trim();
  if (!v || checkExtraLora(v) !== null) return null;
  if (/^data:/i.test(v)) return 'An embedded LoRA file.';
  if (/huggingface\.co/i.test(v)) return 'A Hugging Face model.';
  if (/civitai\.com/i.test(v)) return 'A Civitai model.';
  if (/replicate\.delivery/i.test(v)) return 'A Replicate training file.';
  if (/^https:/i.test(v)) return 'A link to a .safetensors file.';
  return /\/[0-9a-f]{64}$/i.test(v) ? 'A Replicate model, at that version.' : 'A Replicate model (its latest version).';
}

/**
 * Fields the model ignores with these inputs, with the reason: the shared plan's, plus the
 * strength, which only matters when starting from a photo.
 */
export function ignoredFields(plan: OutputPlan, fields: readonly ModelField[]): Record<string, string> {
  const out = { ...plan.ignored };
  if (plan.mode === 'txt2img' && fields.some((f) => f.name === 'prompt_strength'))
    out.prompt_strength = 'Only used when starting from a photo: pick a selfie or a result first.';
  return out;
}

/** The inputs that decide the output size with this plan (none with a starting photo). */
const SIZE_FIELDS = ['aspect_ratio', 'megapixels', 'width', 'height'] as const;

/**
 * The size fields with a message, among those that decide the output size now: the size is then
 * not known, and the form must not show one beside the error (issue 12, bug 12).
 */
export function sizeProblem(
  plan: Pick<OutputPlan, 'mode' | 'ignored'>,
  issues: Record<string, string | undefined>,
): string[] {
  if (plan.mode !== 'txt2img') return [];
  return SIZE_FIELDS.filter((f) => !plan.ignored[f] && !!issues[f]);
}
