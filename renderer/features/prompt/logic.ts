/**
 * Pure helpers behind the prompt editor: the shipped photoshoot pack and style fragments (data in
 * assets/packs, `{trigger}` → the model's trigger word), the trigger-word check, fragments toggled
 * in and out of the prompt text, and the length estimate against the model's text encoders.
 */
import packData from '../../../assets/packs/brand-photoshoot.json';
import fragmentData from '../../../assets/packs/style-fragments.json';

export interface Scene {
  id: string;
  title: string;
  category: string;
  aspect_ratio: string;
  prompt: string;
}
export interface Pack {
  id: string;
  title: string;
  description: string;
  scenes: readonly Scene[];
}
export interface StyleFragment {
  id: string;
  label: string;
  text: string;
}

export const PACK: Pack = packData as Pack;
export const FRAGMENTS: readonly StyleFragment[] = (fragmentData as { fragments: StyleFragment[] }).fragments;

/** Scenes offered as one-click starters under an empty prompt. */
export const STARTER_SCENES: readonly Scene[] = [
  'office-portrait',
  'cafe-laptop',
  'speaking-on-stage',
  'city-walk',
  'home-office',
]
  .map((id) => PACK.scenes.find((s) => s.id === id))
  .filter((s): s is Scene => !!s);

/** Categories in the order they first appear, each with its scenes. */
export function scenesByCategory(scenes: readonly Scene[] = PACK.scenes): Array<{ category: string; scenes: Scene[] }> {
  const out: Array<{ category: string; scenes: Scene[] }> = [];
  for (const s of scenes) {
    let g = out.find((x) => x.category === s.category);
    if (!g) out.push((g = { category: s.category, scenes: [] }));
    g.scenes.push(s);
  }
  return out;
}

/** The scene's prompt with the trigger word in place of `{trigger}` ("a person" without one). */
export function scenePrompt(scene: Pick<Scene, 'prompt'>, triggerWord: string | undefined): string {
  const tw = triggerWord?.trim() || 'a person';
  return scene.prompt.replace(/\{(trigger|tw)\}/g, tw);
}

// ---------- trigger word ----------

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** true when the prompt mentions the trigger word as a word (case-insensitive) */
export function mentionsTrigger(prompt: string, triggerWord: string): boolean {
  const tw = triggerWord.trim();
  if (!tw) return true;
  return new RegExp(`(^|[^\\p{L}\\p{N}_])${escapeRe(tw)}($|[^\\p{L}\\p{N}_])`, 'iu').test(prompt);
}

/** "subject, the rest" (nothing added when it is already there). */
export function addTrigger(prompt: string, triggerWord: string): string {
  const tw = triggerWord.trim();
  const p = prompt.trim();
  if (!tw || mentionsTrigger(p, tw)) return prompt;
  return p ? `${tw}, ${p}` : tw;
}

/** The trigger word Settings keep for a model (`owner/name`, with or without a version). */
export function triggerFor(
  triggerWords: Record<string, string> | undefined,
  model: { ref: string; owner: string; name: string } | null | undefined,
): string | undefined {
  if (!triggerWords || !model) return undefined;
  const base = `${model.owner}/${model.name}`;
  const tw = triggerWords[base] ?? triggerWords[model.ref] ?? triggerWords[model.ref.split(':')[0]!];
  return tw?.trim() ? tw.trim() : undefined;
}

/**
 * The prompt with the trigger word put where the caret is (replacing a selection), spaced from
 * the words around it, and where the caret goes after it. Already in the prompt: unchanged, with
 * its first occurrence as the selection (so the person sees where it is).
 */
export function insertTrigger(
  prompt: string,
  triggerWord: string,
  selection: { start: number; end: number } = { start: prompt.length, end: prompt.length },
): { text: string; start: number; end: number } {
  const tw = triggerWord.trim();
  if (!tw) return { text: prompt, start: selection.start, end: selection.end };
  if (mentionsTrigger(prompt, tw)) {
    const m = new RegExp(`(^|[^\\p{L}\\p{N}_])(${escapeRe(tw)})($|[^\\p{L}\\p{N}_])`, 'iu').exec(prompt)!;
    const at = m.index + m[1]!.length;
    return { text: prompt, start: at, end: at + m[2]!.length };
  }
  const a = Math.max(0, Math.min(prompt.length, selection.start));
  const b = Math.max(a, Math.min(prompt.length, selection.end));
  const before = prompt.slice(0, a);
  const after = prompt.slice(b);
  const lead = before && !/\s$/.test(before) ? ' ' : '';
  // At the very start of a prompt it leads, as "Add it" puts it: "subject, a woman at a café".
  const trail = after && !/^[\s,.;:!?)]/.test(after) ? (before.trim() ? ' ' : ', ') : '';
  const text = `${before}${lead}${tw}${trail}${after}`;
  const caret = before.length + lead.length + tw.length;
  return { text, start: caret, end: caret };
}

/** The trainer's default trigger word (ostris/flux-dev-lora-trainer `trigger_word`). */
export const TRAINER_DEFAULT_TRIGGER = 'TOK';

/**
 * A trigger word a model's description names ("trigger word: ADA", "use the trigger word `TOK`",
 * "Trigger: mira"), or undefined. Only a single word-like token is taken.
 */
export function triggerFromDescription(description: string | undefined | null): string | undefined {
  if (!description) return undefined;
  const m = /\btrigger(?:[\s_-]*word)?\b\s*(?:is|=|:|-)?\s*[“"'`‘]?([\p{L}\p{N}_][\p{L}\p{N}_-]{1,39})[”"'`’]?/iu.exec(
    description,
  );
  const word = m?.[1];
  if (!word || /^(word|words|is|the|to|in|your|you|a|an|and|or|of|for|with|it|this|that)$/i.test(word))
    return undefined;
  return word;
}

// ---------- style fragments ----------

/** Whether the fragment's text is in the prompt (case-insensitive): the chip shows "on". */
export function hasFragment(prompt: string, text: string): boolean {
  return prompt.toLowerCase().includes(text.trim().toLowerCase());
}

/** Appends the fragment as its own comma-separated part. */
export function addFragment(prompt: string, text: string): string {
  if (hasFragment(prompt, text)) return prompt;
  const p = prompt.replace(/[\s,;]+$/, '');
  return p ? `${p}, ${text.trim()}` : text.trim();
}

/** Takes the fragment out again, with the comma that joined it, leaving the rest as typed. */
export function removeFragment(prompt: string, text: string): string {
  const t = text.trim();
  if (!t) return prompt;
  const re = new RegExp(`\\s*,?\\s*${escapeRe(t)}\\s*(,\\s*)?`, 'gi');
  let out = prompt.replace(re, (m, _trailing, offset: number) => {
    const before = prompt.slice(0, offset).trim();
    const after = prompt.slice(offset + m.length).trim();
    // Keep one separator between what was before and after it.
    return before && after ? ', ' : '';
  });
  out = out.replace(/^[\s,]+/, '').replace(/,\s*,/g, ',');
  return out;
}

export function toggleFragment(prompt: string, text: string): string {
  return hasFragment(prompt, text) ? removeFragment(prompt, text) : addFragment(prompt, text);
}

/** The fragments whose text is in the prompt (they go with every scene of a photoshoot). */
export function activeFragments(prompt: string, fragments: readonly StyleFragment[] = FRAGMENTS): StyleFragment[] {
  return fragments.filter((f) => hasFragment(prompt, f.text));
}

// ---------- length ----------

/** T5's token budget: 512 with dev, 256 with schnell (cog-flux max_sequence_length). */
export function t5Limit(model: unknown): number {
  return model === 'schnell' ? 256 : 512;
}
/** CLIP reads 77 tokens; about 60 words of English. */
export const CLIP_TOKENS = 77;

export function wordCount(text: string): number {
  const t = text.trim();
  return t ? t.split(/\s+/).length : 0;
}

/** About how many tokens: the larger of ~4 characters per token and ~1.3 tokens per word. */
export function estimateTokens(text: string): number {
  const t = text.trim();
  if (!t) return 0;
  return Math.ceil(Math.max(t.length / 4, wordCount(t) * 1.3));
}

export type LengthLevel = 'ok' | 'warn' | 'over';
export interface LengthFeedback {
  tokens: number;
  limit: number;
  level: LengthLevel;
  /** 0..1 of the limit (capped) */
  fraction: number;
  /** past CLIP's window: the start of the prompt weighs most */
  pastClip: boolean;
  /** the line under the prompt */
  text: string;
}

export function lengthFeedback(prompt: string, model: unknown): LengthFeedback {
  const tokens = estimateTokens(prompt);
  const limit = t5Limit(model);
  const level: LengthLevel = tokens > limit ? 'over' : tokens >= limit * 0.8 ? 'warn' : 'ok';
  const name = model === 'schnell' ? 'Schnell' : 'Dev';
  let text = `about ${tokens} of ${limit} tokens`;
  if (level === 'over') text = `about ${tokens} tokens: ${name} reads only the first ${limit}, the rest is cut off`;
  else if (level === 'warn') text = `about ${tokens} of ${limit} tokens: close to what ${name} reads`;
  return { tokens, limit, level, fraction: Math.min(1, tokens / limit), pastClip: tokens > CLIP_TOKENS, text };
}
