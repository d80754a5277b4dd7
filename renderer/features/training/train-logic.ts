/**
 * The training form and a training's progress, as plain data: the suggested trigger word, what
 * the form would send (Simple preset or Advanced inputs) and what is wrong with it, the estimate
 * before Train, and a running or finished training in words. Main checks everything again.
 */
import type { TrainerInfoT, TrainingViewT } from '../../../shared/ipc/contract';
import type { ModelField } from '../../../shared/model/schema';
import { checkField, coerceValue } from '../../../shared/model/validate';
import {
  nameProblem,
  presetInput,
  STEP_FIELDS,
  suggestTriggerWord,
  trainingEstimate,
  triggerWordProblem,
  type QualityPreset,
} from '../../../shared/training/training';

export type FormMode = 'simple' | 'advanced';

export interface TrainForm {
  name: string;
  triggerWord: string;
  trainer: string;
  mode: FormMode;
  preset: QualityPreset;
  /** Advanced: the text or value of each field the person changed (the rest keep the trainer's default) */
  values: Record<string, string | number | boolean>;
}

/** Inputs the app fills in itself, or that would send the person's secrets to a third party. */
const NOT_IN_FORM = new Set([
  'input_images',
  'trigger_word',
  // "skip training, use someone's LoRA from Hugging Face": not a training of the person's selfies
  'skip_training_and_use_pretrained_hf_lora_url',
]);
const SECRET = /token|api_key|password|secret/i;
/** Uploading to Hugging Face or logging to Weights & Biases needs that service's secret, which the app never asks for. */
const NEEDS_A_SECRET = /^(hf_|wandb_)/;

/** The trainer's own fields the Advanced form shows, in its order. */
export function advancedFields(t: TrainerInfoT | undefined): ModelField[] {
  if (!t) return [];
  return t.fields
    .filter(
      (f) => !NOT_IN_FORM.has(f.name) && !SECRET.test(f.name) && !NEEDS_A_SECRET.test(f.name) && f.format !== 'uri',
    )
    .sort((a, b) => a.order - b.order);
}

/** A model name from what the person typed: "Ada's brand model" → "adas-brand-model". */
export function slugName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[-_.]+|-+$/g, '')
    .slice(0, 100);
}

/** A repeatable random sequence from a text (mulberry32 over its hash): the same name suggests the same word. */
export function seededRandom(text: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A made-up trigger word from the model's name, not one of the person's other models' words:
 * "ada-brand" → "DBRNQX". `random` is injectable so tests can rely on the letters.
 */
export function suggestTrigger(name: string, taken: readonly string[], random: () => number = Math.random): string {
  const used = new Set(taken.map((w) => w.toUpperCase()));
  const modelPart = name.split('/').pop() ?? '';
  for (let i = 0; i < 50; i++) {
    const w = suggestTriggerWord(modelPart, random);
    if (!used.has(w) && !triggerWordProblem(w)) return w;
  }
  // every 6-letter form of this name is taken: a longer one
  return suggestTriggerWord(modelPart + 'x', random) + Math.floor(random() * 90 + 10);
}

/** The value a field's text means (numbers typed as text are numbers), or the text when it is not one. */
function valueOf(f: ModelField, v: string | number | boolean): unknown {
  if (typeof v !== 'string' || f.type === 'string') return v;
  const trimmed = v.trim();
  if (!trimmed) return undefined;
  return coerceValue(f, trimmed);
}

/** What the form sends as `input`: Simple → the preset's fields; Advanced → the fields the person changed. */
export function formInput(form: TrainForm, t: TrainerInfoT | undefined): Record<string, string | number | boolean> {
  if (!t) return {};
  if (form.mode === 'simple')
    return presetInput(
      form.preset,
      t.fields.map((f) => f.name),
    );
  const out: Record<string, string | number | boolean> = {};
  for (const f of advancedFields(t)) {
    if (!(f.name in form.values)) continue;
    const v = valueOf(f, form.values[f.name]!);
    if (v !== undefined && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out[f.name] = v;
  }
  return out;
}

/** The Advanced form's start: the preset the person had chosen, over the trainer's defaults. */
export function advancedStart(preset: QualityPreset, t: TrainerInfoT | undefined): TrainForm['values'] {
  return t
    ? presetInput(
        preset,
        t.fields.map((f) => f.name),
      )
    : {};
}

export interface FormProblems {
  name?: string;
  triggerWord?: string;
  trainer?: string;
  /** Advanced fields, by name */
  fields: Record<string, string>;
}

export function formProblems(form: TrainForm, t: TrainerInfoT | undefined): FormProblems {
  const p: FormProblems = { fields: {} };
  const n = form.name.trim() ? nameProblem(form.name) : 'Give your model a name, for example my-brand-model.';
  if (n) p.name = n;
  const tw = form.triggerWord.trim() ? triggerWordProblem(form.triggerWord.trim()) : 'Choose a trigger word.';
  if (tw) p.triggerWord = tw;
  if (!t) p.trainer = 'The trainer’s settings are not loaded yet.';
  if (t && form.mode === 'advanced')
    for (const f of advancedFields(t)) {
      if (!(f.name in form.values)) continue;
      const v = valueOf(f, form.values[f.name]!);
      const problem = checkField(f, v);
      if (problem) p.fields[f.name] = problem;
    }
  return p;
}

export const hasProblems = (p: FormProblems) =>
  !!(p.name || p.triggerWord || p.trainer || Object.keys(p.fields).length);

/** The steps the form would train for (the trainer's default when Advanced leaves it alone). */
export function stepsOf(form: TrainForm, t: TrainerInfoT | undefined): number | null {
  if (!t) return null;
  const input = formInput(form, t);
  for (const name of STEP_FIELDS) {
    const f = t.fields.find((x) => x.name === name);
    if (!f) continue;
    const v = input[name] ?? f.default;
    return typeof v === 'number' ? v : null;
  }
  return null;
}

export interface EstimateWords {
  /** "About 22 minutes · about $2.01" */
  line: string;
  /** where the figures come from, and where to correct them */
  source: string;
}

export function estimateWords(form: TrainForm, t: TrainerInfoT | undefined): EstimateWords | null {
  if (!t) return null;
  const steps = stepsOf(form, t);
  const source = `Estimate from the price table of ${t.priceAsOf} (${t.hardware}${t.pricePerSecond !== null ? ` at $${t.pricePerSecond}/s` : ''}); Replicate bills the seconds the trainer runs. Correct the prices in ${t.priceFile}.`;
  const est = steps === null ? null : trainingEstimate(steps, t.speed, t.pricePerSecond);
  if (!est)
    return {
      line: `No time estimate for ${t.ref}: the price table has no speed for it${t.pricePerSecond !== null ? `; it costs $${t.pricePerSecond} a second while it runs` : ''}.`,
      source,
    };
  return {
    line: `${steps} steps · about ${duration(est.seconds)}${est.usd !== null ? ` · about ${usd(est.usd)}` : ''}`,
    source,
  };
}

// ---------- a training in words ----------

/** "42 s", "7 min", "1 h 05 min" */
export function duration(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export const usd = (n: number) => `$${n < 10 ? n.toFixed(2) : n.toFixed(0)}`;

const STATE_WORDS: Record<TrainingViewT['state'], string> = {
  queued: 'Getting ready…',
  preparing: 'Preparing your photos…',
  uploading: 'Uploading your photos…',
  submitted: 'Starting the training on Replicate…',
  running: 'Training your model…',
  succeeded: 'Your model is ready',
  failed: 'The training stopped',
  canceled: 'Canceled',
};

export const isRunning = (v: TrainingViewT) => !['succeeded', 'failed', 'canceled'].includes(v.state);

export interface ProgressWords {
  title: string;
  /** main's own sentence of what it is doing or waiting for, when it has one */
  status: string | null;
  /** 0–100, null: not known yet (indeterminate bar) */
  percent: number | null;
  /** "Step 420 of 1000", "Elapsed 7 min", "About 9 min left", "$0.64 so far" */
  facts: string[];
  /** failed: what happened and what to do (main's words) */
  error: string | null;
  canRetry: boolean;
  canCancel: boolean;
}

export function progressWords(v: TrainingViewT): ProgressWords {
  const running = isRunning(v);
  const facts: string[] = [];
  if (v.progress) facts.push(`Step ${v.progress.step} of ${v.progress.total}`);
  if (v.elapsedSec !== undefined) facts.push(`${running ? 'Elapsed' : 'Took'} ${duration(v.elapsedSec)}`);
  if (running && v.progress?.etaSec !== undefined) facts.push(`About ${duration(v.progress.etaSec)} left`);
  if (v.cost)
    facts.push(
      v.cost.estimated
        ? `About ${usd(v.cost.usd)} in all (prices of ${v.cost.priceAsOf})`
        : `${usd(v.cost.usd)} (${v.predictTime !== undefined ? `${Math.round(v.predictTime)} s billed, ` : ''}prices of ${v.cost.priceAsOf})`,
    );
  const percent =
    v.state === 'succeeded' ? 100 : v.progress ? Math.max(0, Math.min(100, v.progress.percent)) : running ? null : 0;
  return {
    title: STATE_WORDS[v.state],
    status: v.status ?? null,
    percent,
    facts,
    error: v.state === 'failed' || v.state === 'canceled' ? (v.error?.message ?? null) : null,
    canRetry: v.state === 'failed' && !!v.retryable,
    canCancel: running,
  };
}

/** "ada/my-model · 12 photos · SSLFQX" */
export function trainingLine(v: TrainingViewT): string {
  return `${v.destination} · ${v.photos} photos · trigger word ${v.triggerWord}`;
}
