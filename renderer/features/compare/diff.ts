/**
 * The parameter diff of the Compare view (issue 11; rows from issue 12, bug 8): the SAME rows in
 * the same order for every photo, a row highlighted when its value is not the same for every
 * photo (the size included), and the prompt's words added and removed against photo A.
 *
 * A setting a run did not send shows the model's default where it is known (the run is of the
 * current model and the field is one whose default the model applies), else "—". A row is shown
 * when at least one photo has a value for it.
 */
import type { RunDetailT } from '../../../shared/ipc/contract';
import { formatNumber } from '../params/logic';

/** Settings worth showing under a photo, in the order people read them. */
export const SHOWN = [
  'aspect_ratio',
  'width',
  'height',
  'model',
  'num_inference_steps',
  'guidance_scale',
  'lora_scale',
  'prompt_strength',
  'go_fast',
  'megapixels',
  'extra_lora',
  'extra_lora_scale',
] as const;

/** Where a run did not send a field, the model used its default (when it is the current model). */
export const WITH_DEFAULTS: ReadonlySet<string> = new Set([
  'model',
  'num_inference_steps',
  'guidance_scale',
  'lora_scale',
]);

/** One photo of the comparison: what the compare list knows at once, and its run once loaded. */
export interface CompareColumn {
  width: number;
  height: number;
  /** the seed known before the run is loaded (the job's) */
  seed: number | null;
  /** null while loading or when the run is gone */
  run: RunDetailT | null;
  /** the current model's defaults when this run is of that model, else {} */
  defaults: Record<string, unknown>;
}

export interface CompareCell {
  value: string;
  /** the run did not send it; the value is the model's default */
  isDefault: boolean;
  /** the run did not send it and its default is not known here ("—") */
  missing: boolean;
}

export interface CompareRow {
  key: string;
  label: string;
  /** one per column, in the columns' order */
  cells: CompareCell[];
  /** the values are not all the same (among the columns whose run is loaded, for settings) */
  differs: boolean;
}

export const NOT_SENT = '—';

export function showValue(k: string, v: unknown): string {
  if (k === 'model') return v === 'schnell' ? 'Schnell' : v === 'dev' ? 'Dev' : String(v);
  if (typeof v === 'boolean') return v ? 'On' : 'Off';
  if (typeof v === 'number') return formatNumber(v);
  return String(v);
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

function settingCell(col: CompareColumn, k: string): CompareCell {
  const v = col.run?.input[k];
  if (present(v)) return { value: showValue(k, v), isDefault: false, missing: false };
  const d = WITH_DEFAULTS.has(k) ? col.defaults[k] : undefined;
  if (present(d)) return { value: showValue(k, d), isDefault: true, missing: false };
  return { value: NOT_SENT, isDefault: false, missing: true };
}

function differs(values: readonly string[]): boolean {
  return new Set(values).size > 1;
}

/**
 * Seed and Size first (known before the runs load), then every setting any loaded run has a
 * value for. `title` names a setting. Settings rows are built once a run is loaded; columns
 * still loading get cells too (so indexes match) but do not count for `differs`.
 */
export function compareRows(columns: readonly CompareColumn[], title: (k: string) => string): CompareRow[] {
  const rows: CompareRow[] = [];
  const seed = columns.map((c): CompareCell => {
    const s = c.run?.seed ?? c.seed;
    return typeof s === 'number'
      ? { value: String(s), isDefault: false, missing: false }
      : { value: NOT_SENT, isDefault: false, missing: true };
  });
  rows.push({ key: 'seed', label: 'Seed', cells: seed, differs: differs(seed.map((c) => c.value)) });
  const size = columns.map((c): CompareCell => ({
    value: `${c.width} × ${c.height}`,
    isDefault: false,
    missing: false,
  }));
  rows.push({ key: 'size', label: 'Size', cells: size, differs: differs(size.map((c) => c.value)) });

  const loaded = columns.map((c, i) => (c.run ? i : -1)).filter((i) => i >= 0);
  // Another LoRA explains settings that differ (and defaults that are not known).
  const refs = loaded.map((i) => columns[i]!.run!.modelRef.split(':')[0]!);
  if (differs(refs)) {
    const cells = columns.map((c): CompareCell =>
      c.run
        ? { value: c.run.modelRef.split(':')[0]!, isDefault: false, missing: false }
        : { value: NOT_SENT, isDefault: false, missing: true },
    );
    rows.push({ key: 'modelRef', label: 'LoRA model', cells, differs: true });
  }
  for (const k of SHOWN) {
    const cells = columns.map((c) => settingCell(c, k));
    const known = loaded.map((i) => cells[i]!);
    if (!known.some((c) => !c.missing)) continue;
    rows.push({ key: k, label: title(k), cells, differs: differs(known.map((c) => c.value)) });
  }
  return rows;
}

/** Words of a prompt, lower-cased, punctuation dropped, each once, in the order they appear. */
export function promptWords(prompt: string): string[] {
  const words = prompt.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? [];
  return [...new Set(words)];
}

export interface WordDiff {
  /** in this prompt, not in the reference's */
  added: string[];
  /** in the reference's prompt, not in this one */
  removed: string[];
}

/** The words `prompt` adds to and drops from `reference` (photo A's prompt). */
export function wordDiff(reference: string, prompt: string): WordDiff {
  const a = promptWords(reference);
  const b = promptWords(prompt);
  const inA = new Set(a);
  const inB = new Set(b);
  return { added: b.filter((w) => !inA.has(w)), removed: a.filter((w) => !inB.has(w)) };
}

/** The rows split for the diff panel: what differs first (highlighted), then what all share. */
export function splitRows(rows: readonly CompareRow[]): { differ: CompareRow[]; same: CompareRow[] } {
  return { differ: rows.filter((r) => r.differs), same: rows.filter((r) => !r.differs) };
}
