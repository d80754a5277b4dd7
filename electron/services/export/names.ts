/**
 * File names for exported photos: the date the photo was made, the scene (or the first words of
 * the prompt) as a slug without accents, and the seed, e.g.
 * `2026-12-03_cafe-portrait-window_seed-48213.jpg`. A name already taken gets -2, -3, … (the
 * export service checks the folder; `taken` here is what this export already used).
 */

/** Words that say nothing in a file name. */
const STOP = new Set(
  'a an the of at in on by with and or for to from into near over under their his her its this that is are wearing while during'.split(
    ' ',
  ),
);

const MAX_WORDS = 4;
const MAX_SLUG = 48;

/** "Café — portrait by the window" → "cafe-portrait-window" (accents stripped, stop words and the trigger word left out). */
export function slug(text: string, drop: readonly string[] = []): string {
  const dropped = new Set(drop.map((d) => d.toLowerCase()));
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOP.has(w) && !dropped.has(w));
  let out = '';
  for (const w of words.slice(0, MAX_WORDS)) {
    const next = out ? `${out}-${w}` : w.slice(0, MAX_SLUG);
    if (next.length > MAX_SLUG) break;
    out = next;
  }
  return out || 'photo';
}

export interface NameSource {
  createdAt: number;
  /** the scene's name for a photoshoot, otherwise the start of the prompt */
  label: string;
  prompt: string;
  seed: number | null;
}

function localDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The name without its extension and without a collision suffix. */
export function baseName(src: NameSource, drop: readonly string[] = []): string {
  const words = src.label.trim() && !src.prompt.startsWith(src.label.trim()) ? src.label : src.prompt;
  const parts = [localDate(src.createdAt), slug(words, drop)];
  if (src.seed !== null && Number.isFinite(src.seed)) parts.push(`seed-${src.seed}`);
  return parts.join('_');
}

/** `base.ext`, or `base-2.ext`, `base-3.ext`, … : the first for which `isFree` says yes. */
export async function firstFreeName(
  base: string,
  ext: string,
  isFree: (name: string) => Promise<boolean> | boolean,
): Promise<string> {
  for (let n = 1; n < 10_000; n++) {
    const name = n === 1 ? `${base}.${ext}` : `${base}-${n}.${ext}`;
    if (await isFree(name)) return name;
  }
  throw new Error(`no free name for ${base}.${ext}`);
}
