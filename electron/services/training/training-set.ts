/**
 * TrainingSets: the selfies a person gathers to train their own model, kept in the library as
 * `training-sets/<set id>/`: each photo as the import makes it (upright, every metadata field
 * stripped, full resolution; PNG when the file was a PNG, JPEG otherwise, since the trainer's
 * captioner reads no HEIC) and `set.json` with what the person decided (include, caption) and the
 * last check's verdicts. The folder sits beside `runs/` and `selfies/` rather than in `.sseelfie/`
 * because the asset protocol never serves the app's own folder, and the grid shows these photos.
 *
 * The training service takes a set id and reads `trainingPhotos()`: the included files and captions.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError, toErrorShape, type ErrorCode } from '../../../shared/errors';
import type { FileTransfer } from '../../../shared/ipc/api';
import { MAX_IMPORT_BYTES } from '../../../shared/ipc/channels';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../fs/atomic';
import type { ImagePipeline } from '../images/image-pipeline';
import { fileErrors } from '../images/formats';
import { decoding } from '../images/opened-image';
import { diskError } from '../library/library';
import { LIMITS, setMessages, type PhotoCode, type SetCheckReport, type SetCode } from './set-check/problems';
import type { CheckOptions } from './set-check/set-checker';

export const SETS_DIR = 'training-sets';
const SET_ID = /^t_[a-z0-9]{6,24}$/;
const PHOTO_ID = /^p_[a-z0-9]{6,24}$/;
/** far more than a training takes (LIMITS.maxPhotos): a bound on what one folder may hold */
export const MAX_SET_PHOTOS = 200;
export const MAX_CAPTION = 1000;
const THUMB_SIDE = 512;

export interface PhotoVerdictRecord {
  ok: boolean;
  /** `of`: the id of the other photo (a duplicate: the copy that is kept) */
  problems: Array<{ code: PhotoCode; message: string; of?: string }>;
}

export interface TrainingPhotoRecord {
  id: string;
  /** the file as the person named it (IMG_0042.HEIC) */
  name: string;
  /** the stored copy in the set's folder (IMG_0042.jpg): the name the check's messages and the zip use */
  file: string;
  addedAt: number;
  width: number;
  height: number;
  /** SHA-256 of the bytes as imported: the same file twice is added once */
  sha256: string;
  /** the person's decision; null: follow the check (in unless it found a reason to leave it out) */
  included: boolean | null;
  caption: string;
  /** the last check's verdict; null until the photo has been checked */
  verdict: PhotoVerdictRecord | null;
}

interface StoredSet {
  version: 1;
  id: string;
  createdAt: number;
  photos: TrainingPhotoRecord[];
  /** the last check's problems of the whole set that do not follow from the count (one-angle) */
  setAdvice: Array<{ code: SetCode; message: string }>;
  checkedAt: number | null;
}

export interface TrainingPhotoView {
  id: string;
  name: string;
  file: string;
  addedAt: number;
  width: number;
  height: number;
  caption: string;
  /** goes into the training: the person's choice, else the verdict's ok (unchecked: in) */
  included: boolean;
  /** the person chose against (or for) what the check suggests */
  overridden: boolean;
  verdict: PhotoVerdictRecord | null;
  image: { id: string; width: number; height: number };
  thumb: { id: string; width: number; height: number };
}

export interface TrainingSetView {
  id: string;
  photos: TrainingPhotoView[];
  summary: {
    included: number;
    excluded: number;
    unchecked: number;
    /** a training can start from this set (enough photos, not too many; everything checked) */
    ready: boolean;
    problems: Array<{ code: SetCode; message: string }>;
  };
  checkedAt: number | null;
}

export interface AddReport {
  set: TrainingSetView;
  added: string[];
  /** files whose bytes are already a photo of the set */
  alreadyIn: Array<{ name: string; as: string }>;
  errors: Array<{ name: string; code: ErrorCode; message: string }>;
}

export interface TrainingSetCheckProgress {
  setId: string;
  done: number;
  total: number;
  /** no photo has been measured yet and the face model is not loaded: the wait is the model loading */
  loadingModel: boolean;
  /** the photo just checked */
  name?: string;
}

export interface SetChecker {
  check(files: readonly string[], opts?: CheckOptions): Promise<SetCheckReport>;
}

export interface TrainingSetsOptions {
  /** the library folder */
  root: string;
  images: Pick<ImagePipeline, 'inspect' | 'decode'>;
  /** the local check (null: it cannot run here, e.g. the worker file is missing) */
  checker: () => SetChecker | null;
  onProgress?: (p: TrainingSetCheckProgress) => void;
  now?: () => number;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A file name the asset protocol and a zip both take: letters, digits, `_`, `-`, `.`. */
function safeStem(name: string): string {
  const stem = path.basename(name).replace(/\.[^.]*$/, '');
  const clean = stem
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 80);
  return clean || 'photo';
}

function thumbSize(w: number, h: number) {
  const s = Math.min(1, THUMB_SIDE / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * s)), height: Math.max(1, Math.round(h * s)) };
}

const defaultIncluded = (p: TrainingPhotoRecord) => p.verdict?.ok ?? true;
const isIncluded = (p: TrainingPhotoRecord) => p.included ?? defaultIncluded(p);

/** How long after a check the face model is still loaded (the analysis pool's idle time, less a margin). */
const MODEL_WARM_MS = 50_000;

export class TrainingSets {
  private readonly now: () => number;
  private queue: Promise<unknown> = Promise.resolve();
  private checking: AbortController | null = null;
  private lastMeasuredAt = -Infinity;

  constructor(private readonly o: TrainingSetsOptions) {
    this.now = o.now ?? Date.now;
  }

  get dir() {
    return path.join(this.o.root, SETS_DIR);
  }

  private setDir(id: string) {
    if (!SET_ID.test(id)) throw new StudioError('invalid_input', 'Unknown training set.');
    return path.join(this.dir, id);
  }

  /** One change to set.json at a time (an add while a check runs must not lose either). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The set the person is working on: the newest one, made when there is none yet. */
  private async current(create: boolean): Promise<StoredSet | null> {
    let ids: string[] = [];
    try {
      ids = (await fs.readdir(this.dir)).filter((d) => SET_ID.test(d));
    } catch {
      // no folder yet
    }
    let newest: StoredSet | null = null;
    for (const id of ids) {
      const s = await this.read(id).catch(() => null); // a damaged set.json is skipped, never overwritten
      if (s && (!newest || s.createdAt > newest.createdAt)) newest = s;
    }
    if (newest || !create) return newest;
    const id = `t_${this.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const set: StoredSet = { version: 1, id, createdAt: this.now(), photos: [], setAdvice: [], checkedAt: null };
    try {
      await fs.mkdir(this.setDir(id), { recursive: true });
    } catch (e) {
      throw diskError(e, 'your library');
    }
    await this.write(set);
    return set;
  }

  private async read(id: string): Promise<StoredSet | null> {
    const s = await readJson<StoredSet>(path.join(this.setDir(id), 'set.json'));
    if (!s || s.version !== 1 || s.id !== id || !Array.isArray(s.photos)) return null;
    return s;
  }

  private async write(set: StoredSet): Promise<void> {
    try {
      await writeJsonAtomic(path.join(this.setDir(set.id), 'set.json'), set);
    } catch (e) {
      throw diskError(e, 'your library');
    }
  }

  private view(set: StoredSet): TrainingSetView {
    const base = `${SETS_DIR}/${set.id}/`;
    const photos = set.photos.map((p): TrainingPhotoView => ({
      id: p.id,
      name: p.name,
      file: p.file,
      addedAt: p.addedAt,
      width: p.width,
      height: p.height,
      caption: p.caption,
      included: isIncluded(p),
      overridden: p.included !== null && p.included !== defaultIncluded(p),
      verdict: p.verdict,
      image: { id: base + p.file, width: p.width, height: p.height },
      thumb: { id: `thumbs/${base}${p.file}`, ...thumbSize(p.width, p.height) },
    }));
    const included = photos.filter((p) => p.included).length;
    const unchecked = photos.filter((p) => !p.verdict).length;
    const problems: TrainingSetView['summary']['problems'] = [];
    if (photos.length) {
      if (included < LIMITS.minPhotos) problems.push({ code: 'too-few', message: setMessages.tooFew(included) });
      if (included > LIMITS.maxPhotos) problems.push({ code: 'too-many', message: setMessages.tooMany(included) });
      problems.push(...set.setAdvice);
    }
    return {
      id: set.id,
      photos,
      summary: {
        included,
        excluded: photos.length - included,
        unchecked,
        ready: photos.length > 0 && unchecked === 0 && included >= LIMITS.minPhotos && included <= LIMITS.maxPhotos,
        problems,
      },
      checkedAt: set.checkedAt,
    };
  }

  /** The current set (an empty one the first time). */
  async get(): Promise<TrainingSetView> {
    return this.serial(async () => this.view((await this.current(true))!));
  }

  /** Adds photos; each bad one is reported by name, the same file twice is added once, the others still go in. */
  async add(files: FileTransfer[]): Promise<AddReport> {
    return this.serial(async () => {
      const set = (await this.current(true))!;
      const out: Omit<AddReport, 'set'> = { added: [], alreadyIn: [], errors: [] };
      for (const f of files) {
        const name = path.basename(f.name || 'photo');
        try {
          if (set.photos.length >= MAX_SET_PHOTOS) {
            throw new StudioError(
              'invalid_input',
              `"${name}" was not added: a training set holds at most ${MAX_SET_PHOTOS} photos (a training uses at most ${LIMITS.maxPhotos}).`,
            );
          }
          const r = await this.importOne(set, f, name);
          if ('same' in r) out.alreadyIn.push({ name, as: r.same.name });
          else {
            set.photos.push(r.photo);
            out.added.push(r.photo.id);
          }
        } catch (e) {
          const s = toErrorShape(e);
          out.errors.push({ name, code: s.code, message: s.message });
        }
      }
      if (out.added.length) {
        set.setAdvice = []; // one-angle was about the set as it was
        await this.write(set);
      }
      return { set: this.view(set), ...out };
    });
  }

  private async importOne(
    set: StoredSet,
    f: FileTransfer,
    name: string,
  ): Promise<{ photo: TrainingPhotoRecord } | { same: TrainingPhotoRecord }> {
    // Only bytes the person's own page read from a file they chose: no path from the renderer is opened.
    if (!f.bytes) {
      if (f.size) throw fileErrors.tooLarge(name, f.size, MAX_IMPORT_BYTES);
      throw new StudioError('invalid_input', `"${name}" arrived without any data.`);
    }
    const bytes = f.bytes;
    const hash = sha256(bytes);
    const same = set.photos.find((p) => p.sha256 === hash);
    if (same) return { same };
    const info = await this.o.images.inspect({ name, bytes });
    const image = await this.o.images.decode({ name, bytes });
    const png = info.format === 'png';
    // the decoded pixels only: sharp writes no EXIF, GPS, XMP or ICC unless asked to
    const encoded = await decoding(name, () =>
      (png
        ? image.toColourspace('srgb').png()
        : image.flatten({ background: '#ffffff' }).toColourspace('srgb').jpeg({ quality: 95, mozjpeg: false })
      ).toBuffer({
        resolveWithObject: true,
      }),
    );
    const stem = safeStem(name);
    const ext = png ? 'png' : 'jpg';
    const taken = new Set(set.photos.map((p) => p.file.toLowerCase()));
    let file = `${stem}.${ext}`;
    for (let n = 2; taken.has(file.toLowerCase()); n++) file = `${stem}-${n}.${ext}`;
    const photo: TrainingPhotoRecord = {
      id: `p_${this.now().toString(36)}${randomBytes(3).toString('hex')}`,
      name,
      file,
      addedAt: this.now(),
      width: encoded.info.width,
      height: encoded.info.height,
      sha256: hash,
      included: null,
      caption: '',
      verdict: null,
    };
    try {
      await writeFileAtomic(
        path.join(this.setDir(set.id), file),
        new Uint8Array(encoded.data.buffer, encoded.data.byteOffset, encoded.data.length),
      );
    } catch (e) {
      throw diskError(e, 'your library');
    }
    return { photo };
  }

  /**
   * Checks every photo of the set (the duplicates, the other person and the set's rules need
   * them all), with progress; resolves with the verdicts on the set. Photos added while it ran
   * stay unchecked; photos removed meanwhile are simply gone.
   */
  async check(): Promise<TrainingSetView> {
    if (this.checking)
      throw new StudioError(
        'invalid_input',
        'The photos are already being checked. Wait for that check to finish, or cancel it.',
      );
    const checker = this.o.checker();
    if (!checker)
      throw new StudioError(
        'internal',
        'The photo check is not available in this copy of the app (its checker file is missing). Reinstall Sseelfie Studio.',
      );
    const controller = new AbortController();
    this.checking = controller;
    try {
      const set = await this.serial(async () => (await this.current(true))!);
      if (!set.photos.length)
        throw new StudioError('invalid_input', 'Add photos of yourself first: there is nothing to check yet.');
      const dir = this.setDir(set.id);
      const photos = set.photos;
      const total = photos.length;
      const loadingModel = this.now() - this.lastMeasuredAt > MODEL_WARM_MS;
      this.o.onProgress?.({ setId: set.id, done: 0, total, loadingModel });
      const report = await checker.check(
        photos.map((p) => path.join(dir, p.file)),
        {
          signal: controller.signal,
          onProgress: (p) => {
            this.lastMeasuredAt = this.now();
            this.o.onProgress?.({
              setId: set.id,
              done: p.done,
              total: p.total,
              loadingModel: false,
              name: path.basename(p.file),
            });
          },
        },
      );
      this.lastMeasuredAt = this.now();
      const idOf = new Map(photos.map((p) => [path.join(dir, p.file), p.id]));
      const verdicts = new Map<string, PhotoVerdictRecord>();
      report.images.forEach((v, i) => {
        verdicts.set(photos[i]!.id, {
          ok: v.ok,
          problems: v.problems.map((pr) => {
            const of = pr.of ? idOf.get(pr.of) : undefined;
            return of ? { code: pr.code, message: pr.message, of } : { code: pr.code, message: pr.message };
          }),
        });
      });
      return await this.serial(async () => {
        const now = (await this.read(set.id)) ?? set;
        for (const p of now.photos) {
          const v = verdicts.get(p.id);
          if (!v) continue;
          p.verdict = v;
          // a choice that now agrees with the check is no longer a choice against it
          if (p.included === defaultIncluded(p)) p.included = null;
        }
        now.setAdvice = report.set.problems.filter((pr) => pr.code === 'one-angle');
        now.checkedAt = this.now();
        await this.write(now);
        return this.view(now);
      });
    } finally {
      this.checking = null;
    }
  }

  /** Stops the running check (its promise rejects with `canceled`); nothing is lost, the earlier verdicts stay. */
  cancel(): void {
    this.checking?.abort();
  }

  get isChecking(): boolean {
    return this.checking !== null;
  }

  private async change(
    photoId: string,
    fn: (p: TrainingPhotoRecord, set: StoredSet) => void,
  ): Promise<TrainingSetView> {
    if (!PHOTO_ID.test(photoId)) throw new StudioError('invalid_input', 'Unknown photo.');
    return this.serial(async () => {
      const set = await this.current(false);
      const p = set?.photos.find((x) => x.id === photoId);
      if (!set || !p)
        throw new StudioError(
          'not_found',
          'That photo is no longer in the training set. It may have been removed in another window.',
        );
      fn(p, set);
      await this.write(set);
      return this.view(set);
    });
  }

  /** In or out of the training, whatever the check said. */
  setIncluded(photoId: string, included: boolean): Promise<TrainingSetView> {
    return this.change(photoId, (p) => {
      p.included = included === defaultIncluded(p) ? null : included;
    });
  }

  /** The caption the trainer reads beside the photo (empty: the trainer captions it itself). */
  async setCaption(photoId: string, caption: string): Promise<TrainingSetView> {
    const text = caption.replace(/\s+/g, ' ').trim();
    if (text.length > MAX_CAPTION)
      throw new StudioError(
        'invalid_input',
        `A caption can be at most ${MAX_CAPTION} characters; this one has ${text.length}.`,
      );
    return this.change(photoId, (p) => {
      p.caption = text;
    });
  }

  /** Takes a photo out of the set and deletes its copy (the person's own file is untouched). */
  async remove(photoId: string): Promise<TrainingSetView> {
    let gone: string | null = null;
    const view = await this.change(photoId, (p, set) => {
      set.photos = set.photos.filter((x) => x !== p);
      // duplicates, the other person and one-angle were worked out with this photo in the set
      for (const q of set.photos) if (q.verdict?.problems.some((pr) => pr.of === p.id)) q.verdict = null;
      set.setAdvice = [];
      gone = path.join(this.setDir(set.id), p.file);
    });
    // after set.json no longer names it: a crash in between leaves a stray file, never a missing one
    if (gone) await fs.rm(gone, { force: true }).catch(() => {});
    return view;
  }

  /** For the training: the set's folder and the photos that go in, with their captions. */
  async trainingPhotos(
    setId: string,
  ): Promise<{ dir: string; photos: Array<{ file: string; path: string; caption: string }> }> {
    const set = await this.serial(() => this.read(setId));
    if (!set) throw new StudioError('not_found', 'That training set is no longer in your library.');
    const dir = this.setDir(setId);
    return {
      dir,
      photos: set.photos
        .filter(isIncluded)
        .map((p) => ({ file: p.file, path: path.join(dir, p.file), caption: p.caption })),
    };
  }
}
