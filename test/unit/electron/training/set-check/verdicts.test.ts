/** The rules from measures to report, on plain numbers (the real photos are in set-checker.test.ts). */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FoundFace, PhotoAnalysis } from '../../../../../electron/services/training/set-check/face-analysis';
import { buildReport, type MeasuredPhoto } from '../../../../../electron/services/training/set-check/verdicts';
import { EXCLUDING, LIMITS, PHOTO_CODES } from '../../../../../electron/services/training/set-check/problems';

/** A unit descriptor along axis `person` (people far apart), nudged by `jitter` (same person, another photo). */
function descriptor(person: number, jitter = 0): number[] {
  const d = new Array(128).fill(0);
  d[person] = 1;
  d[127 - person] = jitter;
  return d;
}
const face = (o: Partial<FoundFace> = {}): FoundFace => ({
  score: 0.95,
  box: { x: 300, y: 200, width: 300, height: 380 },
  yaw: 0,
  descriptor: descriptor(0),
  ...o,
});
let n = 0;
/** A good photo: 3024 × 4032, sharp, one big face; a hash of its own unless given. */
function photo(
  o: { faces?: FoundFace[]; sharpness?: number; width?: number; height?: number; hash?: string; file?: string } = {},
): MeasuredPhoto {
  n++;
  const analysis: PhotoAnalysis = {
    width: 768,
    height: 1024,
    sharpness: o.sharpness ?? 300,
    hash: o.hash ?? createHash('sha256').update(String(n)).digest('hex').slice(0, 16), // random bits: about 32 apart
    faces: o.faces ?? [face({ yaw: ((n % 5) - 2) * 0.15 })],
  };
  return { file: o.file ?? `/photos/${n}.jpg`, width: o.width ?? 3024, height: o.height ?? 4032, analysis };
}
const codes = (r: ReturnType<typeof buildReport>, i: number) => r.images[i]!.problems.map((p) => p.code);

describe('photo verdicts', () => {
  it('ok is false exactly for the codes that leave a photo out; advice leaves it in', () => {
    expect([...EXCLUDING].sort()).toEqual([
      'blurry',
      'duplicate',
      'no-face',
      'several-faces',
      'too-small',
      'unreadable',
    ]);
    expect(PHOTO_CODES.filter((c) => !EXCLUDING.has(c)).sort()).toEqual([
      'face-too-small',
      'low-resolution',
      'other-person',
    ]);
    const r = buildReport([
      photo({ width: 800, height: 1000 }), // low-resolution
      photo({ width: 500, height: 900 }), // too-small
      photo({ faces: [face({ box: { x: 0, y: 0, width: 60, height: 80 } })] }), // face-too-small
      photo({ faces: [face(), face({ score: LIMITS.faceScore - 0.01 })] }), // the weak second box does not count
      photo({ faces: [face(), face({ score: 0.8 })] }),
      photo({ faces: [face({ score: 0.35 })] }), // only a weak box: no face
      photo({ sharpness: LIMITS.minSharpness - 1 }),
      { file: '/photos/broken.jpg', unreadable: '"broken.jpg" is damaged.' },
    ]);
    expect(r.images.map((im) => [codes(r, r.images.indexOf(im)), im.ok])).toEqual([
      [['low-resolution'], true],
      [['too-small'], false],
      [['face-too-small'], true],
      [[], true],
      [['several-faces'], false],
      [['no-face'], false],
      [['blurry'], false],
      [['unreadable'], false],
    ]);
    expect(r.images[4]!.problems[0]!.message).toMatch(/^2 faces found/);
    expect(r.images[1]!.problems[0]!.message).toContain('500 × 900 pixels');
    expect(r.images[7]!.problems[0]!.message).toBe('Can\'t be read: "broken.jpg" is damaged.');
  });

  it('a duplicate names the copy that is kept: the larger one, unless that one is left out anyway', () => {
    const small = photo({ hash: 'ffff0000ffff0000', width: 1200, height: 1600, file: '/p/small.jpg' });
    const large = photo({ hash: 'ffff0000ffff0001', file: '/p/large.jpg' }); // 1 bit apart
    const other = photo({ hash: '0123456789abcdef' });
    let r = buildReport([small, large, other]);
    expect(r.images[0]!.problems).toEqual([
      { code: 'duplicate', message: expect.stringContaining('"large.jpg"'), of: '/p/large.jpg' },
    ]);
    expect(r.images[1]!.problems).toEqual([]);
    expect(r.images[2]!.problems).toEqual([]);
    // the larger copy is blurry: the sharp smaller one is kept
    const blurryLarge = photo({ hash: 'ffff0000ffff0001', sharpness: 5, file: '/p/large.jpg' });
    r = buildReport([small, blurryLarge]);
    expect(codes(r, 0)).toEqual([]);
    expect(codes(r, 1)).toEqual(['blurry', 'duplicate']);
    expect(r.images[1]!.problems[1]!.of).toBe('/p/small.jpg');
  });

  it('a face far from the majority of the set is advice; without a majority nobody is flagged', () => {
    const me = [0.1, 0.2, 0.15, 0.05].map((j) => photo({ faces: [face({ descriptor: descriptor(0, j) })] }));
    const stranger = photo({ faces: [face({ descriptor: descriptor(1) })] });
    const r = buildReport([...me, stranger]);
    expect(r.images.map((_, i) => codes(r, i))).toEqual([[], [], [], [], ['other-person']]);
    expect(r.images[4]!.ok).toBe(true);
    const everyone = buildReport([0, 1, 2, 3].map((p) => photo({ faces: [face({ descriptor: descriptor(p) })] })));
    expect(everyone.images.every((im) => im.problems.length === 0)).toBe(true);
  });
});

describe('set verdict', () => {
  it('fewer than 10 usable photos: not ready; 10 to 40: ready; more than 40: not ready', () => {
    const nine = buildReport([
      ...Array.from({ length: 9 }, () => photo()),
      photo({ sharpness: 1 }),
      photo({ faces: [] }),
    ]);
    expect(nine.set).toEqual({
      ok: false,
      problems: [
        { code: 'too-few', message: 'Only 9 usable photos. Training needs at least 10: add more photos of yourself.' },
      ],
    });
    const ten = buildReport(Array.from({ length: 10 }, () => photo()));
    expect(ten.set).toEqual({ ok: true, problems: [] });
    const forty = buildReport(Array.from({ length: 40 }, () => photo()));
    expect(forty.set.ok).toBe(true);
    const many = buildReport(Array.from({ length: 41 }, () => photo()));
    expect(many.set.ok).toBe(false);
    expect(many.set.problems.map((p) => p.code)).toEqual(['too-many']);
    expect(many.set.problems[0]!.message).toContain('41 usable photos');
    expect(buildReport([]).set.problems[0]!.message).toBe(
      'Only 0 usable photos. Training needs at least 10: add more photos of yourself.',
    );
  });

  it('every face turned the same way is advice for the set, which can still train', () => {
    const front = buildReport(Array.from({ length: 12 }, (_, i) => photo({ faces: [face({ yaw: (i % 3) * 0.05 })] })));
    expect(front.set).toEqual({
      ok: true,
      problems: [{ code: 'one-angle', message: expect.stringContaining('same way in every photo') }],
    });
    const varied = buildReport(
      Array.from({ length: 12 }, (_, i) => photo({ faces: [face({ yaw: ((i % 5) - 2) * 0.15 })] })),
    );
    expect(varied.set.problems).toEqual([]);
  });
});
