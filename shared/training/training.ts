/**
 * What a training is, for both processes: its states, the trigger word and the Simple mode's
 * quality presets. Pure; the IPC shapes are in shared/ipc/contract.ts.
 */

/** queued → preparing (zip) → uploading → submitted → running → succeeded | failed | canceled */
export const TRAINING_STATES = [
  'queued',
  'preparing',
  'uploading',
  'submitted',
  'running',
  'succeeded',
  'failed',
  'canceled',
] as const;
export type TrainingState = (typeof TRAINING_STATES)[number];

/** Not over yet: resumed after a restart. */
export const ACTIVE_TRAINING_STATES: ReadonlySet<TrainingState> = new Set<TrainingState>([
  'queued',
  'preparing',
  'uploading',
  'submitted',
  'running',
]);

/** The trainer the app uses unless the person picks another it could read. */
export const DEFAULT_TRAINER = 'ostris/flux-dev-lora-trainer';
/** Offered only when its schema could be read from Replicate (never assumed). */
export const OPTIONAL_TRAINERS = ['replicate/fast-flux-trainer'] as const;

/** Fewer ok photos than this and the app does not start a training. */
export const MIN_TRAINING_PHOTOS = 10;

export const TRIGGER_WORD_HELP =
  'The trigger word is a made-up word the model learns to mean you. Put it in a prompt (for example "a photo of SSLFQX at a desk") and the model draws you; leave it out and it draws a stranger. Pick something that is not a real word, so nothing the model already knows gets in the way.';

/** A trigger word the trainer and a prompt can carry: letters and digits, 3–24, not all digits. */
export function triggerWordProblem(word: string): string | null {
  if (!/^[A-Za-z0-9_]{3,24}$/.test(word)) return 'Use 3 to 24 letters or digits, no spaces (for example SSLFQX).';
  if (/^\d+$/.test(word)) return 'Use at least one letter.';
  return null;
}

/**
 * A token unlikely to be a word: up to 4 consonants of the model name, then letters rarely seen
 * together (Q, X, Z, J, K) until it is 6 long, in capitals. "sandra-brand" → "SNDRQX".
 */
export function suggestTriggerWord(modelName: string, random: () => number = Math.random): string {
  const base =
    modelName
      .toUpperCase()
      .replace(/[^B-DF-HJ-NP-TV-Z]/g, '')
      .slice(0, 4) || 'SSL';
  const rare = 'QXZJK';
  let out = base;
  while (out.length < 6) out += rare[Math.floor(random() * rare.length)]!;
  return out;
}

/** The Simple mode's quality presets: only the fields the trainer's schema has are sent. */
export const QUALITY_PRESETS = {
  quick: { label: 'Quick (about 10 minutes)', input: { steps: 600, training_steps: 600, lora_rank: 16 } },
  balanced: { label: 'Balanced (about 20 minutes)', input: { steps: 1000, training_steps: 1000, lora_rank: 16 } },
  best: { label: 'Best likeness (about 40 minutes)', input: { steps: 2000, training_steps: 2000, lora_rank: 32 } },
} as const;
export type QualityPreset = keyof typeof QUALITY_PRESETS;
export const QUALITY_PRESET_NAMES = Object.keys(QUALITY_PRESETS) as QualityPreset[];
