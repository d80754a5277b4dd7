/**
 * From the measures of every photo to the report: each photo's problems (size, sharpness, faces),
 * the duplicates and the other person, which need the whole set, and the set's own problems.
 * Pure, so every rule is tested on plain numbers.
 */
import path from 'node:path';
import type { PhotoAnalysis } from './face-analysis';
import { euclidean, hammingDistance } from './measures';
import {
  EXCLUDING,
  LIMITS,
  photoMessages,
  SET_BLOCKING,
  setMessages,
  type PhotoProblem,
  type PhotoVerdict,
  type SetCheckReport,
  type SetProblem,
} from './problems';

/** One photo as measured: its displayed size and analysis, or why it could not be read. */
export type MeasuredPhoto =
  { file: string; width: number; height: number; analysis: PhotoAnalysis } | { file: string; unreadable: string };

type Readable = Extract<MeasuredPhoto, { analysis: PhotoAnalysis }>;

const isReadable = (m: MeasuredPhoto): m is Readable => 'analysis' in m;

/** The faces that count (weak second boxes appear on real single portraits). */
export function countedFaces(a: PhotoAnalysis) {
  return a.faces.filter((f) => f.score >= LIMITS.faceScore);
}

function ownProblems(m: Readable): PhotoProblem[] {
  const problems: PhotoProblem[] = [];
  const short = Math.min(m.width, m.height);
  if (short < LIMITS.minShortSide)
    problems.push({ code: 'too-small', message: photoMessages.tooSmall(m.width, m.height) });
  else if (short < LIMITS.goodShortSide)
    problems.push({ code: 'low-resolution', message: photoMessages.lowResolution(m.width, m.height) });
  if (m.analysis.sharpness < LIMITS.minSharpness) problems.push({ code: 'blurry', message: photoMessages.blurry() });
  const faces = countedFaces(m.analysis);
  if (faces.length === 0) problems.push({ code: 'no-face', message: photoMessages.noFace() });
  else if (faces.length > 1)
    problems.push({ code: 'several-faces', message: photoMessages.severalFaces(faces.length) });
  else if (faces[0]!.box.height / Math.min(m.analysis.width, m.analysis.height) < LIMITS.minFaceShare) {
    problems.push({ code: 'face-too-small', message: photoMessages.faceTooSmall() });
  }
  return problems;
}

const excluded = (problems: readonly PhotoProblem[]) => problems.some((p) => EXCLUDING.has(p.code));

/**
 * Groups of the same picture (hashes within LIMITS.duplicateBits, transitively); in each the
 * copy kept is the one with no other reason to leave it out, then the most pixels, then the
 * sharpest, then the first. Returns, for each left-out copy, the index of the kept one.
 */
function duplicates(items: Array<{ m: Readable; problems: PhotoProblem[] }>): Map<number, number> {
  const parent = items.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (hammingDistance(items[i]!.m.analysis.hash, items[j]!.m.analysis.hash) <= LIMITS.duplicateBits)
        parent[root(j)] = root(i);
    }
  }
  const groups = new Map<number, number[]>();
  items.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]));
  const leftOut = new Map<number, number>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const rank = (i: number) => {
      const { m, problems } = items[i]!;
      return [excluded(problems) ? 0 : 1, m.width * m.height, m.analysis.sharpness, -i];
    };
    const kept = members.reduce((best, i) => {
      const a = rank(i);
      const b = rank(best);
      for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! > b[k]! ? i : best;
      return best;
    });
    for (const i of members) if (i !== kept) leftOut.set(i, kept);
  }
  return leftOut;
}

/**
 * Faces far from the set's majority: the photo whose face is near the most others anchors the
 * majority (itself and those near it); only when that is more than half of the single-face
 * photos is anyone flagged, and then each face whose median distance to the majority is beyond
 * LIMITS.otherPersonDistance.
 */
function otherPeople(descriptors: Array<{ index: number; d: number[] }>): Set<number> {
  const out = new Set<number>();
  if (descriptors.length < 3) return out;
  const near = descriptors.map((a) =>
    descriptors.filter((b) => b !== a && euclidean(a.d, b.d) < LIMITS.otherPersonDistance),
  );
  let anchor = 0;
  near.forEach((n, i) => {
    if (n.length > near[anchor]!.length) anchor = i;
  });
  const majority = [descriptors[anchor]!, ...near[anchor]!];
  if (majority.length * 2 <= descriptors.length) return out;
  for (const a of descriptors) {
    const dists = majority
      .filter((b) => b !== a)
      .map((b) => euclidean(a.d, b.d))
      .sort((x, y) => x - y);
    const median = dists[Math.floor(dists.length / 2)] ?? 0;
    if (median >= LIMITS.otherPersonDistance) out.add(a.index);
  }
  return out;
}

export function buildReport(measured: readonly MeasuredPhoto[]): SetCheckReport {
  const problems: PhotoProblem[][] = measured.map((m) =>
    isReadable(m) ? ownProblems(m) : [{ code: 'unreadable', message: photoMessages.unreadable(m.unreadable) }],
  );
  const readable = measured.flatMap((m, index) => (isReadable(m) ? [{ m, index, problems: problems[index]! }] : []));

  const dup = duplicates(readable);
  for (const [i, kept] of dup) {
    const keptFile = readable[kept]!.m.file;
    problems[readable[i]!.index]!.push({
      code: 'duplicate',
      message: photoMessages.duplicate(path.basename(keptFile)),
      of: keptFile,
    });
  }

  const singles = readable.flatMap(({ m, index }) => {
    const faces = countedFaces(m.analysis);
    return faces.length === 1 && !excluded(problems[index]!)
      ? [{ index, d: faces[0]!.descriptor, yaw: faces[0]!.yaw }]
      : [];
  });
  for (const i of otherPeople(singles))
    problems[i]!.push({ code: 'other-person', message: photoMessages.otherPerson() });

  const images: PhotoVerdict[] = measured.map((m, i) => ({
    file: m.file,
    ok: !excluded(problems[i]!),
    problems: problems[i]!,
  }));
  const usable = images.filter((v) => v.ok).length;
  const setProblems: SetProblem[] = [];
  if (usable < LIMITS.minPhotos) setProblems.push({ code: 'too-few', message: setMessages.tooFew(usable) });
  if (usable > LIMITS.maxPhotos) setProblems.push({ code: 'too-many', message: setMessages.tooMany(usable) });
  const yaws = singles.filter((s) => images[s.index]!.ok).map((s) => s.yaw);
  if (yaws.length >= 3 && Math.max(...yaws) - Math.min(...yaws) < LIMITS.minYawSpread) {
    setProblems.push({ code: 'one-angle', message: setMessages.oneAngle() });
  }
  return { images, set: { ok: !setProblems.some((p) => SET_BLOCKING.has(p.code)), problems: setProblems } };
}
