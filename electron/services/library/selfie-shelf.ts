/**
 * The selfie shelf: photos a person imported to start from. Each selfie is a folder in the
 * library (`selfies/<id>/`) with the file as imported (the best source for the model), an upright
 * JPEG the canvas can show and paint on (HEIC cannot be shown by Chromium), a thumbnail, and
 * `selfie.json`. Importing the same photo twice gives the same selfie, and the import says so:
 * "the same photo" is the same file (SHA-256 of its bytes, checked before any decoding) or the
 * same picture (SHA-256 of the upright, metadata-free display copy made from it, so a copy whose
 * EXIF a messenger or an export rewrote still matches).
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError, toErrorShape, type ErrorCode } from '../../../shared/errors';
import type { FileTransfer } from '../../../shared/ipc/api';
import { writeFileAtomic, writeJsonAtomic, readJson } from '../fs/atomic';
import type { ImagePipeline } from '../images/image-pipeline';
import { diskError } from './library';
import { fileErrors } from '../images/formats';
import { MAX_IMPORT_BYTES } from '../../../shared/ipc/channels';

export interface SelfieRecord {
  id: string;
  name: string;
  addedAt: number;
  width: number;
  height: number;
  format: string;
  original: string;
  sha256: string;
  /** SHA-256 of display.jpg (older entries: hashed from the file when first needed) */
  displaySha256?: string;
}

type StoredSelfie = SelfieRecord & {
  thumb: { width: number; height: number };
  display: { width: number; height: number };
};

export interface SelfieView {
  id: string;
  name: string;
  addedAt: number;
  width: number;
  height: number;
  image: { id: string; width: number; height: number };
  thumb: { id: string; width: number; height: number };
}

/** A file that was already on the shelf: its name in this import, and the selfie it already is. */
export interface DuplicateSelfie {
  name: string;
  id: string;
  shelfName: string;
}

export interface ImportReport {
  imported: SelfieView[];
  duplicates: DuplicateSelfie[];
  errors: Array<{ name: string; code: ErrorCode; message: string }>;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export const SELFIE_ID_PATTERN = /^s_[a-z0-9]{6,24}$/;
const ID = SELFIE_ID_PATTERN;
/** Longest side of the display copy painted on; masks are scaled to the original, so size only affects precision. */
const DISPLAY_SIDE = 4096;

export class SelfieShelf {
  constructor(
    private readonly root: string,
    private readonly images: Pick<ImagePipeline, 'inspect' | 'thumbnail'>,
    private readonly now: () => number = Date.now,
  ) {}

  get dir() {
    return path.join(this.root, 'selfies');
  }

  private view(
    r: SelfieRecord,
    thumb: { width: number; height: number },
    display: { width: number; height: number },
  ): SelfieView {
    const base = `selfies/${r.id}/`;
    return {
      id: r.id,
      name: r.name,
      addedAt: r.addedAt,
      width: r.width,
      height: r.height,
      image: { id: base + 'display.jpg', ...display },
      thumb: { id: base + 'thumb.webp', ...thumb },
    };
  }

  private async records(): Promise<StoredSelfie[]> {
    let ids: string[];
    try {
      ids = (await fs.readdir(this.dir)).filter((d) => ID.test(d));
    } catch {
      return [];
    }
    const out: StoredSelfie[] = [];
    for (const id of ids) {
      const meta = await readJson<StoredSelfie>(path.join(this.dir, id, 'selfie.json')).catch(() => null); // a damaged entry is skipped
      if (meta) out.push(meta);
    }
    return out;
  }

  async list(): Promise<SelfieView[]> {
    return (await this.records()).map((r) => this.view(r, r.thumb, r.display)).sort((a, b) => b.addedAt - a.addedAt);
  }

  /** Path of the imported file for a selfie asset id (`selfies/<id>/...`), or null. */
  async originalFor(assetId: string): Promise<string | null> {
    const m = /^selfies\/(s_[a-z0-9]{6,24})\//.exec(assetId);
    if (!m) return null;
    const meta = await readJson<SelfieRecord>(path.join(this.dir, m[1]!, 'selfie.json')).catch(() => null);
    return meta ? path.join(this.dir, meta.id, meta.original) : null;
  }

  /** Imports many files; each bad one is reported by name, each one already on the shelf too, and the others still import. */
  async import(files: FileTransfer[]): Promise<ImportReport> {
    const out: ImportReport = { imported: [], duplicates: [], errors: [] };
    for (const f of files) {
      try {
        const r = await this.importOne(f);
        if ('duplicateOf' in r)
          out.duplicates.push({
            name: path.basename(f.name || 'photo'),
            id: r.duplicateOf.id,
            shelfName: r.duplicateOf.name,
          });
        else out.imported.push(r.added);
      } catch (e) {
        const s = toErrorShape(e);
        out.errors.push({ name: f.name, code: s.code, message: s.message });
      }
    }
    return out;
  }

  /** The display copy's hash of a stored selfie (entries from before it was recorded: from the file). */
  private async displayHash(r: StoredSelfie): Promise<string | null> {
    if (r.displaySha256) return r.displaySha256;
    try {
      return sha256(new Uint8Array(await fs.readFile(path.join(this.dir, r.id, 'display.jpg'))));
    } catch {
      return null;
    }
  }

  private async importOne(f: FileTransfer): Promise<{ added: SelfieView } | { duplicateOf: StoredSelfie }> {
    const name = path.basename(f.name || 'photo');
    // Only bytes the person's own page read from a file they chose: no path is ever opened here.
    if (!f.bytes) {
      if (f.size) throw fileErrors.tooLarge(name, f.size, MAX_IMPORT_BYTES);
      throw new StudioError('invalid_input', `"${name}" arrived without any data.`);
    }
    const bytes = f.bytes;
    const info = await this.images.inspect({ name, bytes });
    const fileHash = sha256(bytes);
    const shelf = await this.records();
    const same = shelf.find((r) => r.sha256 === fileHash);
    if (same) return { duplicateOf: same };
    const display = await this.images.thumbnail({ name, bytes }, DISPLAY_SIDE, 'jpeg');
    const displaySha256 = sha256(display.bytes);
    for (const r of shelf) if ((await this.displayHash(r)) === displaySha256) return { duplicateOf: r };
    const id = `s_${this.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const dir = path.join(this.dir, id);
    const ext =
      { jpeg: 'jpg', heic: 'heic', png: 'png', webp: 'webp', avif: 'avif', tiff: 'tif', gif: 'gif' }[
        info.format as string
      ] ?? 'img';
    const thumb = await this.images.thumbnail({ name, bytes }, 512, 'webp');
    const rec: SelfieRecord = {
      id,
      name,
      addedAt: this.now(),
      width: info.width,
      height: info.height,
      format: info.format,
      original: `original.${ext}`,
      sha256: fileHash,
      displaySha256,
    };
    try {
      await fs.mkdir(dir, { recursive: true });
      await writeFileAtomic(path.join(dir, rec.original), bytes);
      await writeFileAtomic(path.join(dir, 'display.jpg'), display.bytes);
      await writeFileAtomic(path.join(dir, 'thumb.webp'), thumb.bytes);
      await writeJsonAtomic(path.join(dir, 'selfie.json'), {
        ...rec,
        thumb: { width: thumb.width, height: thumb.height },
        display: { width: display.width, height: display.height },
      });
    } catch (e) {
      await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
      throw diskError(e, 'your library');
    }
    return {
      added: this.view(
        rec,
        { width: thumb.width, height: thumb.height },
        { width: display.width, height: display.height },
      ),
    };
  }

  async remove(id: string, trash?: (p: string) => Promise<void>): Promise<void> {
    if (!ID.test(id)) throw new StudioError('invalid_input', 'Unknown selfie.');
    const dir = path.join(this.dir, id);
    if (trash) await trash(dir);
    else await fs.rm(dir, { recursive: true, force: true });
  }
}
