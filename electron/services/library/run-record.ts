/**
 * The shape of a run's `run.json` and how an older file is read. `run.json` is the truth about a
 * run; the gallery index (./gallery-index.ts) is only a cache of it.
 *
 * Flags and ratings live on each image (`images[i].flag`, `images[i].rating`). Files written
 * before culling existed carry `kept: number[]` (the star): reading one gives those images the
 * flag 'pick'. The file itself is rewritten in the new shape on its first change (a flag, a
 * rating, a deleted photo), never just because it was read: opening a library writes nothing.
 */
export type Flag = 'pick' | 'reject';

export interface RunImageRecord {
  index: number;
  file: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  /** Lightroom-style flag; absent = unflagged */
  flag?: Flag | null;
  /** 0–5 stars; absent = 0 */
  rating?: number;
}

export interface RunRecord {
  schema: 1;
  id: string;
  label: string;
  prompt: string;
  modelRef: string;
  version: string | null;
  predictionId: string | null;
  mode: 'txt2img' | 'img2img' | 'inpaint';
  /** the input as sent, with files replaced by their names in this folder */
  input: Record<string, unknown>;
  seed: number | null;
  predictTime: number | null;
  timings: { createdAt: number; submittedAt?: number; startedAt?: number; completedAt?: number; savedAt: number };
  images: RunImageRecord[];
  source: { file: string; width: number; height: number; from?: string } | null;
  mask: { file: string; width: number; height: number } | null;
  warnings: string[];
}

/** A run.json as an older version of the app wrote it. */
type StoredRun = RunRecord & { kept?: unknown };

const isFlag = (v: unknown): v is Flag => v === 'pick' || v === 'reject';

/** Clamps a stored rating to 0–5 (a hand-edited file must not break the gallery). */
export function cleanRating(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.max(0, Math.min(5, Math.round(v))) : 0;
}

/**
 * Reads a parsed run.json into the current shape; `migrated` says the file on disk is older (it
 * carried `kept`) and is rewritten on its next change. Returns null for something that is not a run.
 */
export function readRunRecord(raw: unknown): { record: RunRecord; migrated: boolean } | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as StoredRun;
  if (typeof r.id !== 'string' || !Array.isArray(r.images) || !r.timings || typeof r.timings.createdAt !== 'number')
    return null;
  const kept = new Set(Array.isArray(r.kept) ? r.kept.filter((n): n is number => typeof n === 'number') : []);
  const migrated = 'kept' in r;
  const images = r.images
    .filter((im) => im && typeof im.index === 'number' && typeof im.file === 'string')
    .map((im): RunImageRecord => {
      const out: RunImageRecord = { ...im };
      const flag = isFlag(im.flag) ? im.flag : kept.has(im.index) ? 'pick' : null;
      // An explicit flag in the new shape wins over an old star; the star maps onto Pick.
      if (flag) out.flag = flag;
      else delete out.flag;
      const rating = cleanRating(im.rating);
      if (rating) out.rating = rating;
      else delete out.rating;
      return out;
    });
  const record = { ...r, images } as StoredRun;
  delete record.kept;
  return { record: record as RunRecord, migrated };
}
