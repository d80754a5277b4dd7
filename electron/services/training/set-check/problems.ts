/**
 * What the local training-set check can say about a photo and about the set, in words a person
 * reads on the photo. `ok` is false only for the codes that leave a photo out of the training by
 * default (EXCLUDING); the others are advice and leave it in.
 */

// The codes are defined once in shared/: the IPC schema of a verdict is made from the same lists.
import { PHOTO_CODES, SET_CODES, type PhotoCode, type SetCode } from '../../../../shared/training/training';
export { PHOTO_CODES, SET_CODES, type PhotoCode, type SetCode };

/** Codes that keep a photo out of the training by default. */
export const EXCLUDING: ReadonlySet<PhotoCode> = new Set([
  'unreadable',
  'too-small',
  'blurry',
  'duplicate',
  'no-face',
  'several-faces',
]);
/** Set problems that stop a training from starting (one-angle is advice). */
export const SET_BLOCKING: ReadonlySet<SetCode> = new Set(['too-few', 'too-many']);

export interface PhotoProblem {
  code: PhotoCode;
  message: string;
  /** the other photo (duplicate: the copy that is kept) */
  of?: string;
}
export interface SetProblem {
  code: SetCode;
  message: string;
}

export interface PhotoVerdict {
  file: string;
  ok: boolean;
  problems: PhotoProblem[];
}
export interface SetVerdict {
  ok: boolean;
  problems: SetProblem[];
}
export interface SetCheckReport {
  images: PhotoVerdict[];
  set: SetVerdict;
}

/**
 * The limits, in one place. Sizes follow the trainer: its smallest bucket is 512 px, it trains
 * best from 1024 px. The sharpness and face figures were calibrated on real photos (the
 * portraits in @vladmandic/face-api's demo folder; see test/fixtures/faces/README.md).
 */
export const LIMITS = {
  minShortSide: 512,
  goodShortSide: 1024,
  /**
   * Sharpness is the 90th percentile of the Laplacian's variance over an 8×8 grid of tiles of a
   * grey copy at most 1024 px long: the sharp face of a portrait lifts it even when the
   * background is soft. Measured on 12 real 600 px portraits: 36–478 (the softest are real, slightly
   * soft photos that still train); the same with a Gaussian blur of σ 2.5 px: 5–13 (σ 1.5: 11–51).
   */
  minSharpness: 25,
  /** SSD MobileNet v1 score above which a box counts as a face (spurious boxes on portraits score below 0.4) */
  faceScore: 0.5,
  /** a face shorter than this share of the photo's short side is advice: the trainer sees too few of its pixels */
  minFaceShare: 0.12,
  /** dHash bits (of 64) that may differ for two files to be the same picture */
  duplicateBits: 6,
  /**
   * face descriptor distance beyond which a face is not the set's person: the same photo mirrored
   * measured 0.16–0.41, 12 different people 0.51 and more
   */
  otherPersonDistance: 0.5,
  minPhotos: 10,
  maxPhotos: 40,
  /** yaw spread (see face-analysis.ts) under which every face looks the same way */
  minYawSpread: 0.25,
} as const;

const px = (w: number, h: number) => `${w} × ${h} pixels`;

export const photoMessages = {
  unreadable: (why: string) => `Can't be read: ${why}`,
  tooSmall: (w: number, h: number) =>
    `Too small: ${px(w, h)}. Training needs at least ${LIMITS.minShortSide} pixels on the short side; use the original photo, not a thumbnail or screenshot.`,
  lowResolution: (w: number, h: number) =>
    `Low resolution: ${px(w, h)}. It can be used, but photos with at least ${LIMITS.goodShortSide} pixels on the short side train a sharper model.`,
  blurry: () =>
    'Blurry: nothing in the photo is in sharp focus. Leave it out, or take it again holding the phone still.',
  duplicate: (keptName: string) =>
    `Duplicate of "${keptName}" (the same picture); that copy is kept, this one is left out.`,
  noFace: () => 'No face found. Training needs your face in every photo; leave this one out.',
  severalFaces: (n: number) => `${n} faces found. Use photos where you are alone, or crop the others out.`,
  faceTooSmall: () =>
    'Your face is small in this photo. It can be used, but close-ups and half-length shots teach the model your face better.',
  otherPerson: () =>
    'This face looks like a different person from most of the set. Check that it is you; if not, leave it out.',
};

export const setMessages = {
  tooFew: (usable: number) =>
    `Only ${usable} usable photo${usable === 1 ? '' : 's'}. Training needs at least ${LIMITS.minPhotos}: add more photos of yourself.`,
  tooMany: (usable: number) =>
    `${usable} usable photos. Training takes at most ${LIMITS.maxPhotos}: leave out the weakest ones.`,
  oneAngle: () =>
    'Your face looks the same way in every photo. Add some taken from the side and at an angle, so the model learns your face from more than one view.',
};
