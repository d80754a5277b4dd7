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

/**
 * Words a prompt already means something by: as a trigger word the model would mix its idea of
 * "photo" or "woman" with the person's face. Not a dictionary: the words people type here.
 */
const COMMON_WORDS = new Set(
  (
    'a an and are as at be but by for from has have he her him his i in is it its me my of on or our she so the their ' +
    'them they this to us was we with you your yours mine myself self selfie selfies photo photos picture image ' +
    'portrait headshot face faces person people man men woman women girl boy lady guy child kid baby adult human ' +
    'model models brand style look looks name new my_model test train training lora flux dev token tok word trigger ' +
    'hello hi yes no ok good best nice cool love happy smile beautiful pretty handsome cute young old black white red ' +
    'blue green yellow pink gold dark light day night home work office city beach studio camera professional ' +
    'business ceo founder coach doctor artist actor actress mom mum dad mother father sister brother wife husband ' +
    'friend boss queen king prince princess star sun moon'
  ).split(' '),
);

/** A trigger word the trainer and a prompt can carry: one token of letters and digits, 3–24, not a common word. */
export function triggerWordProblem(word: string): string | null {
  if (/\s/.test(word.trim())) return 'Use one word, no spaces (for example SSLFQX).';
  if (!/^[A-Za-z0-9_]{3,24}$/.test(word)) return 'Use 3 to 24 letters or digits, no spaces (for example SSLFQX).';
  if (/^\d+$/.test(word)) return 'Use at least one letter.';
  if (COMMON_WORDS.has(word.toLowerCase()))
    return `"${word}" is a word the model already knows, so it would mix it with your face. Use a made-up word (for example SSLFQX).`;
  return null;
}

const MODEL_NAME = /^[a-z0-9][a-z0-9_.-]{0,99}$/;
/** Replicate account names: letters, digits, dashes and underscores */
const OWNER = /^[A-Za-z0-9][A-Za-z0-9_-]{0,38}$/;

/** The new model's name: `model` (under the token's account) or `owner/model`, as Replicate accepts it. */
export function nameProblem(name: string): string | null {
  const parts = name.trim().split('/');
  if (parts.length > 2) return 'Use the model’s name, or your account and the name as owner/model.';
  const [owner, model] = parts.length === 2 ? parts : [null, parts[0]!];
  if (owner !== null && !OWNER.test(owner)) return `"${owner}" cannot be a Replicate account name.`;
  if (!model) return 'Give your model a name, for example my-brand-model.';
  if (!MODEL_NAME.test(model))
    return 'Use lowercase letters, digits, dashes, dots or underscores, starting with a letter or digit (for example my-brand-model).';
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

/**
 * The Simple mode's quality presets: only the fields the trainer's schema has are sent (ostris
 * counts `steps`, fast-flux-trainer `training_steps`). 1000 steps at rank 16 is the trainer's own
 * default and what its README recommends for a face; fewer learn the face less well.
 */
export const QUALITY_PRESETS = {
  quick: {
    label: 'Quick',
    help: '600 steps: a first look at your model; the likeness is rougher.',
    input: { steps: 600, training_steps: 600, lora_rank: 16 },
  },
  balanced: {
    label: 'Balanced',
    help: '1000 steps, the trainer’s default: a good likeness for most sets.',
    input: { steps: 1000, training_steps: 1000, lora_rank: 16 },
  },
  best: {
    label: 'Best likeness',
    help: '2000 steps at a higher LoRA rank: more detail of your face, twice the time and cost.',
    input: { steps: 2000, training_steps: 2000, lora_rank: 32 },
  },
} as const;
export type QualityPreset = keyof typeof QUALITY_PRESETS;
export const QUALITY_PRESET_NAMES = Object.keys(QUALITY_PRESETS) as QualityPreset[];

/** The trainer inputs a preset sets, limited to the fields the trainer's schema has. */
export function presetInput(preset: QualityPreset, fieldNames: Iterable<string>): Record<string, number> {
  const names = new Set(fieldNames);
  return Object.fromEntries(Object.entries(QUALITY_PRESETS[preset].input).filter(([k]) => names.has(k)));
}

/** The fields that count a trainer's steps (ostris: `steps`, fast-flux-trainer: `training_steps`). */
export const STEP_FIELDS = ['steps', 'training_steps'] as const;

/** How long a training of `steps` takes and costs, from the price table's dated figures; null when it has none. */
export function trainingEstimate(
  steps: number,
  speed: { secondsPerStep: number; setupSeconds: number } | null | undefined,
  pricePerSecond: number | null | undefined,
): { seconds: number; usd: number | null } | null {
  if (!speed || !Number.isFinite(steps) || steps <= 0) return null;
  const seconds = Math.round(speed.setupSeconds + steps * speed.secondsPerStep);
  return { seconds, usd: pricePerSecond == null ? null : Math.round(seconds * pricePerSecond * 100) / 100 };
}

/** The first test photo a new model makes by itself, so the person sees themselves at once. */
export function firstPhotoPrompt(triggerWord: string): string {
  return `a professional headshot of ${triggerWord}, soft window light, neutral background, looking at the camera, sharp focus`;
}
export const FIRST_PHOTO_LABEL = 'First test photo';

/** What the local check can say about one photo of a training set (the verdicts' codes). */
export const PHOTO_CODES = [
  'unreadable',
  'too-small',
  'low-resolution',
  'blurry',
  'duplicate',
  'no-face',
  'several-faces',
  'face-too-small',
  'other-person',
] as const;
export type PhotoCode = (typeof PHOTO_CODES)[number];

/** What it can say about the set as a whole. */
export const SET_CODES = ['too-few', 'too-many', 'one-angle'] as const;
export type SetCode = (typeof SET_CODES)[number];
