/**
 * The words of the Train view: each photo's verdict (from main's check, problems.ts's messages),
 * the set's summary line and the check's progress. Pure, so the wording is tested on plain data.
 */
import type {
  TrainingPhotoViewT,
  TrainingSetAddResultT,
  TrainingSetProgressT,
  TrainingSetViewT,
} from '../../../shared/ipc/contract';

/** Codes that keep a photo out by default (electron/services/training/set-check/problems.ts EXCLUDING). */
const EXCLUDING = new Set(['unreadable', 'too-small', 'blurry', 'duplicate', 'no-face', 'several-faces']);
export const MIN_PHOTOS = 10;
export const MAX_PHOTOS = 40;

export type VerdictTone = 'ok' | 'advice' | 'excluded' | 'unchecked';

export interface VerdictWords {
  tone: VerdictTone;
  /** one short line on the photo */
  title: string;
  /** every message of the check, the reason first */
  details: string[];
  /** the person's choice against the check, in words */
  choice: string | null;
}

const first = (m: string) => m.split(/[.:]/)[0]!.trim();

export function verdictWords(p: TrainingPhotoViewT): VerdictWords {
  const v = p.verdict;
  if (!v)
    return { tone: 'unchecked', title: 'Not checked yet', details: [], choice: p.included ? null : 'Left out by you' };
  const reasons = v.problems.filter((x) => EXCLUDING.has(x.code));
  const advice = v.problems.filter((x) => !EXCLUDING.has(x.code));
  const details = [...reasons, ...advice].map((x) => x.message);
  const choice = p.overridden ? (p.included ? 'Included by you' : 'Left out by you') : null;
  if (reasons.length)
    return {
      tone: 'excluded',
      title: reasons[0]!.code === 'duplicate' ? 'Duplicate' : first(reasons[0]!.message),
      details,
      choice,
    };
  if (advice.length)
    return {
      tone: 'advice',
      title: advice.length === 1 ? first(advice[0]!.message) : `${advice.length} suggestions`,
      details,
      choice,
    };
  return { tone: 'ok', title: 'Good for training', details: [], choice };
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

/** "14 usable photos · 2 excluded · Add at least 10" */
export function summaryLine(s: TrainingSetViewT['summary']): string {
  const parts = [plural(s.included, 'usable photo')];
  if (s.excluded) parts.push(`${s.excluded} excluded`);
  if (s.unchecked) parts.push(`${s.unchecked} not checked yet`);
  if (s.included < MIN_PHOTOS) parts.push(`Add at least ${MIN_PHOTOS}`);
  else if (s.included > MAX_PHOTOS) parts.push(`Too many: use at most ${MAX_PHOTOS}`);
  else if (!s.unchecked) parts.push('Ready for training');
  return parts.join(' · ');
}

/** "Loading the face model…", then "Checking 3 of 14 · IMG_0042.jpg" */
export function progressLine(p: TrainingSetProgressT): string {
  if (p.done === 0 && p.loadingModel) return 'Loading the face model…';
  if (p.done >= p.total) return `Checked ${plural(p.total, 'photo')}`;
  return `Checking ${p.done + 1} of ${p.total}${p.name && p.done > 0 ? ` · last: ${p.name}` : ''}`;
}

/** What an add did, in one line: "Added 5 photos · 1 already in the set (IMG_0042.jpg)". */
export function addLine(r: Pick<TrainingSetAddResultT, 'added' | 'alreadyIn'>): string | null {
  const parts: string[] = [];
  if (r.added.length) parts.push(`Added ${plural(r.added.length, 'photo')}`);
  if (r.alreadyIn.length) {
    const names = r.alreadyIn.map((a) => (a.as === a.name ? a.name : `${a.name} as ${a.as}`));
    parts.push(
      `${r.alreadyIn.length} already in the set (${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''})`,
    );
  }
  return parts.length ? parts.join(' · ') : null;
}
