/**
 * Exporting photos from the library to a folder: each one cut and sized for where it goes
 * (sizes.ts), encoded as PNG, JPEG or WebP with sharp, named after its date, scene and seed
 * (names.ts), with its settings embedded the way other tools read them (images/embed-metadata.ts,
 * the same embedder as the library's own files, `Size` = the exported pixels) or with none at all
 * when the person asks. The library's files are only ever read. Each file is written under a
 * hidden temporary name and linked into place under a name nobody has, so a full disk or a
 * cancel leaves no half-written photo and an existing file is never overwritten.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { StudioError } from '../../../shared/errors';
import type { ExportFormat, ExportSize } from '../../../shared/export';
import { embedParameters, parametersText } from '../images/embed-metadata';
import { diskError, type Library, type RunImageRecord, type RunRecord } from '../library/library';
import type { FaceBox, FaceLocator } from './face-locator';
import { baseName, firstFreeName } from './names';
import { RecentExports } from './recent-exports';
import { mainFace, planExport, type CropSpec } from './sizes';

export interface ExportItem {
  runId: string;
  index: number;
  /** this photo's own crop; else the request's; else the default (sizes.ts defaultFocus) */
  crop?: CropSpec;
}

export interface ExportOptions {
  format: ExportFormat;
  /** 1–100, for JPEG and WebP (PNG is lossless) */
  quality: number;
  size: ExportSize;
  crop?: CropSpec;
  /** no EXIF, no XMP, no text chunks, no ICC profile other than sRGB */
  stripMetadata: boolean;
}

export interface ExportRequest extends ExportOptions {
  items: ExportItem[];
  folder: string;
  /** names the export in progress events and for cancel; one is made up when missing */
  exportId?: string;
}

export interface ExportedFile {
  runId: string;
  index: number;
  path: string;
  width: number;
  height: number;
  format: ExportFormat;
  warnings: string[];
}

export interface ExportResult {
  exportId: string;
  folder: string;
  files: ExportedFile[];
  /** true when the person canceled: `files` are the ones finished before, each complete */
  canceled: boolean;
}

export interface ExportProgress {
  exportId: string;
  done: number;
  total: number;
  /** the file just written */
  path?: string;
}

export interface Rendered {
  run: RunRecord;
  bytes: Uint8Array;
  width: number;
  height: number;
  format: ExportFormat;
  warnings: string[];
}

export interface ExportServiceOptions {
  library: () => Library;
  faces?: FaceLocator;
  onProgress?: (p: ExportProgress) => void;
  /** the model's trigger word, left out of file names ("subject at a café" → "cafe") */
  triggerWord?: () => string | undefined;
  log?: (level: 'info' | 'warn', msg: string) => void;
}

/** Largest library photo read for an export: far above any model output, a guard against a swapped file. */
const MAX_SOURCE_BYTES = 200 * 1024 * 1024;

/** Photos whose faces are remembered: the dialog's preview and the export that follows ask for the same ones. */
const FACE_CACHE = 256;

/** Only sizes that cut the photo to another shape place a crop (original and web keep the whole photo). */
const placesCrop = (size: ExportSize) => size !== 'original' && size !== 'web';

export class ExportService {
  private readonly running = new Map<string, AbortController>();
  /** library root + run + index → its faces (a saved photo never changes; a failure is not kept) */
  private readonly faceCache = new Map<string, Promise<FaceBox[]>>();
  /** every file written, for Show in Finder / Explorer (export:reveal accepts only these) */
  readonly recent = new RecentExports();

  constructor(private readonly o: ExportServiceOptions) {}

  /** The run and the image record of a photo, or a not_found the person can act on. */
  async photo(runId: string, index: number): Promise<{ run: RunRecord; image: RunImageRecord; file: string }> {
    const lib = this.o.library();
    const run = await lib.readRun(runId);
    const image = run?.images.find((im) => im.index === index);
    if (!run || !image)
      throw new StudioError('not_found', 'This photo is no longer in the library (its run was moved or deleted).');
    return { run, image, file: path.join(lib.runDir(runId), image.file) };
  }

  /**
   * The face the default crop of this photo is centred on (sizes.ts mainFace), in fractions of the
   * photo; null when no face is found or there is no face locator (the crop is then centred).
   */
  async face(runId: string, index: number): Promise<FaceBox | null> {
    if (!this.o.faces) return null;
    const { image } = await this.photo(runId, index);
    const src = await this.readSource(runId, image);
    const meta = await this.metadata(src, image);
    return (
      mainFace(await this.facesOf(runId, index, src, meta.width ?? image.width, meta.height ?? image.height)) ?? null
    );
  }

  /** The faces of a photo, found once; a locator that fails gives none (the crop is centred) and is asked again next time. */
  private facesOf(runId: string, index: number, src: Uint8Array, width: number, height: number): Promise<FaceBox[]> {
    const locator = this.o.faces;
    if (!locator) return Promise.resolve([]);
    const key = `${this.o.library().root}\0${runId}\0${index}`;
    const hit = this.faceCache.get(key);
    if (hit) {
      this.faceCache.delete(key);
      this.faceCache.set(key, hit);
      return hit;
    }
    const p = locator.locate({ bytes: src, width, height }).catch((e: unknown) => {
      this.faceCache.delete(key);
      this.o.log?.('warn', `face locator failed, crop centred: ${e instanceof Error ? e.message : String(e)}`);
      return [];
    });
    this.faceCache.set(key, p);
    while (this.faceCache.size > FACE_CACHE) this.faceCache.delete(this.faceCache.keys().next().value!);
    return p;
  }

  private async readSource(runId: string, image: RunImageRecord): Promise<Uint8Array> {
    const file = path.join(this.o.library().runDir(runId), image.file);
    try {
      const st = await fs.stat(file);
      if (st.size > MAX_SOURCE_BYTES)
        throw new StudioError(
          'file_too_large',
          `The photo ${image.file} of this run is larger than any photo the app makes; it was not exported.`,
        );
      return new Uint8Array(await fs.readFile(file));
    } catch (e) {
      if (e instanceof StudioError) throw e;
      throw new StudioError(
        'not_found',
        `The photo ${image.file} is missing from its run folder (was it moved or deleted?).`,
        { cause: e },
      );
    }
  }

  private async metadata(
    src: Uint8Array,
    image: RunImageRecord,
  ): Promise<{ width?: number; height?: number; hasProfile?: boolean }> {
    try {
      return await sharp(src).metadata();
    } catch (e) {
      throw new StudioError('corrupt_file', `The photo ${image.file} of this run is damaged and cannot be exported.`, {
        cause: e,
      });
    }
  }

  /** One photo, cut, sized and encoded; nothing is written. */
  async render(runId: string, index: number, opts: ExportOptions): Promise<Rendered> {
    const { run, image } = await this.photo(runId, index);
    const src = await this.readSource(runId, image);
    const meta = await this.metadata(src, image);
    const W = meta.width ?? image.width;
    const H = meta.height ?? image.height;
    const crop = opts.crop;
    const faces = !crop && placesCrop(opts.size) ? await this.facesOf(runId, index, src, W, H) : [];
    const plan = planExport(W, H, opts.size, crop, faces);
    let img = sharp(src, { failOn: 'error' });
    const whole = plan.crop.left === 0 && plan.crop.top === 0 && plan.crop.width === W && plan.crop.height === H;
    if (!whole) img = img.extract(plan.crop);
    if (plan.width !== plan.crop.width || plan.height !== plan.crop.height)
      img = img.resize(plan.width, plan.height, { fit: 'fill' });
    // Every export is sRGB. A photo with a profile of its own (another colour space) is converted from it and
    // tagged sRGB, the one ICC profile a stripped file may keep; an untagged one (what the model makes) is sRGB
    // already, which is what browsers assume of an untagged file, so it stays untagged (a transform to the
    // same space costs more than the JPEG encode).
    img = img.toColourspace('srgb');
    if (meta.hasProfile) img = img.withIccProfile('srgb');
    const quality = Math.round(opts.quality);
    if (opts.format === 'jpg') img = img.flatten({ background: '#ffffff' }).jpeg({ quality });
    else if (opts.format === 'webp') img = img.webp({ quality });
    else img = img.png({ compressionLevel: 6 });
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await img.toBuffer());
    } catch (e) {
      throw new StudioError(
        'corrupt_file',
        `The photo ${image.file} of this run could not be decoded, so it was not exported.`,
        { cause: e },
      );
    }
    if (!opts.stripMetadata) {
      const rec = {
        prompt: run.prompt,
        input: run.input,
        modelRef: run.modelRef,
        versionId: run.version,
        image: run.source,
        ...(run.seed !== null ? { seed: run.seed } : {}),
        ...(run.predictionId ? { predictionId: run.predictionId } : {}),
      };
      bytes = embedParameters(bytes, opts.format, {
        parameters: parametersText(rec, plan.width, plan.height),
        json: {
          prompt: run.prompt,
          model: run.modelRef,
          version: run.version,
          predictionId: run.predictionId,
          seed: run.seed,
          index,
          input: run.input,
          exported: { size: opts.size, width: plan.width, height: plan.height },
        },
      });
    }
    return {
      run,
      bytes,
      width: plan.width,
      height: plan.height,
      format: opts.format,
      warnings: plan.warning ? [plan.warning] : [],
    };
  }

  async export(req: ExportRequest): Promise<ExportResult> {
    const exportId = req.exportId ?? randomBytes(6).toString('hex');
    if (this.running.has(exportId))
      throw new StudioError('invalid_input', 'An export with this id is already running.');
    if (!req.items.length) throw new StudioError('invalid_input', 'Pick at least one photo to export.');
    const folder = path.resolve(req.folder);
    await checkFolder(folder);
    const abort = new AbortController();
    this.running.set(exportId, abort);
    const files: ExportedFile[] = [];
    const taken = new Set<string>();
    const total = req.items.length;
    const drop = [this.o.triggerWord?.()].filter((w): w is string => !!w);
    try {
      this.o.onProgress?.({ exportId, done: 0, total });
      const render = (i: number) => {
        const item = req.items[i]!;
        const p = this.render(item.runId, item.index, {
          ...req,
          ...((item.crop ?? req.crop) ? { crop: item.crop ?? req.crop } : {}),
        });
        p.catch(() => {}); // awaited below, in order; a failure of a photo never reached is not a failure
        return p;
      };
      // The next photo is decoded and encoded while this one is written (sharp works off the JS thread),
      // files are still written one by one, in order, so names and progress follow the selection.
      let next = render(0);
      for (let i = 0; i < total; i++) {
        if (abort.signal.aborted) break;
        const item = req.items[i]!;
        const r = await next;
        if (i + 1 < total && !abort.signal.aborted) next = render(i + 1);
        if (abort.signal.aborted) break;
        const run = r.run;
        const base = baseName(
          { createdAt: run.timings.createdAt, label: run.label, prompt: run.prompt, seed: run.seed },
          drop,
        );
        let written: string;
        try {
          written = await writeNew(folder, base, r.format, r.bytes, taken);
        } catch (e) {
          const where = `the folder ${folder}`;
          const soFar = files.length ? ` ${files.length} of ${total} photos were exported before this one.` : '';
          const err = diskError(e, where, `Choose another folder or free some space, then export again.${soFar}`);
          throw err;
        }
        this.recent.remember(written);
        files.push({
          runId: item.runId,
          index: item.index,
          path: written,
          width: r.width,
          height: r.height,
          format: r.format,
          warnings: r.warnings,
        });
        this.o.onProgress?.({ exportId, done: files.length, total, path: written });
      }
    } finally {
      this.running.delete(exportId);
    }
    return { exportId, folder, files, canceled: abort.signal.aborted };
  }

  /** Stops an export between two photos (the one being written is finished or not written at all); without an id, every export. */
  cancel(exportId?: string): void {
    for (const [id, c] of this.running) if (exportId === undefined || id === exportId) c.abort();
  }

  /** The library file of a photo and a small PNG of it for the drag icon. */
  async dragItem(runId: string, index: number): Promise<{ file: string; icon: Uint8Array }> {
    const { file } = await this.photo(runId, index);
    try {
      const icon = new Uint8Array(await sharp(file).resize(96, 96, { fit: 'inside' }).png().toBuffer());
      return { file, icon };
    } catch (e) {
      throw new StudioError('not_found', 'This photo is missing or damaged in its run folder.', { cause: e });
    }
  }
}

async function checkFolder(folder: string): Promise<void> {
  let st;
  try {
    st = await fs.stat(folder);
  } catch (e) {
    throw diskError(e, `the folder ${folder}`, 'Choose another folder, then export again.');
  }
  if (!st.isDirectory())
    throw new StudioError('invalid_input', `${folder} is a file, not a folder. Choose a folder to export to.`);
}

/**
 * Writes `bytes` as a new file `base.ext` (or base-2.ext, …) in `folder`: a hidden temporary file
 * first, fsynced, then hard-linked to the first free name (a link fails on a name that exists, so
 * nothing is ever overwritten, even by another program writing there at the same moment); where
 * the disk has no hard links (FAT, exFAT, some network shares) it is renamed after a check.
 */
async function writeNew(
  folder: string,
  base: string,
  ext: string,
  bytes: Uint8Array,
  taken: Set<string>,
): Promise<string> {
  const tmp = path.join(folder, `.${base}.${randomBytes(4).toString('hex')}.part`);
  let placed = false;
  try {
    const fh = await fs.open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    let linkable = true;
    const name = await firstFreeName(base, ext, async (n) => {
      if (taken.has(n.toLowerCase())) return false;
      const full = path.join(folder, n);
      if (linkable) {
        try {
          await fs.link(tmp, full);
          return true;
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EEXIST') return false;
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS' && code !== 'EINVAL')
            throw e;
          linkable = false;
        }
      }
      try {
        await fs.lstat(full);
        return false;
      } catch {
        await fs.rename(tmp, full);
        placed = true;
        return true;
      }
    });
    taken.add(name.toLowerCase());
    return path.join(folder, name);
  } finally {
    if (!placed) await fs.rm(tmp, { force: true }).catch(() => {});
  }
}
