/**
 * Uploads through the Files API, keyed by the content's SHA-256, so one selfie is uploaded once
 * while it is reused. Selfies are personal data: a file is deleted from Replicate once no
 * unfinished job needs it and its reuse window has passed (checked at start-up and after jobs).
 */
import path from 'node:path';
import { readJson, writeJsonAtomic } from '../fs/atomic';
import { OutcomeUnknownError, type CallOptions, type ReplicateGateway } from '../replicate/gateway';
import { StudioError } from '../../../shared/errors';

interface Entry {
  fileId: string;
  url: string;
  size: number;
  uploadedAt: number;
  expiresAt: number;
  lastUsedAt: number;
}

/** Replicate keeps files 24 h; don't reuse one that may expire mid-prediction. */
const EXPIRY_MARGIN_MS = 2 * 60 * 60 * 1000;

export class UploadCache {
  private entries: Record<string, Entry> | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly gateway: ReplicateGateway,
    private readonly file: string,
    private readonly retentionMs: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  static fileIn(appDir: string) {
    return path.join(appDir, 'uploads.json');
  }

  private async load(): Promise<Record<string, Entry>> {
    if (!this.entries) {
      try {
        this.entries = (await readJson<Record<string, Entry>>(this.file)) ?? {};
      } catch {
        this.entries = {};
      }
    }
    return this.entries;
  }

  private save() {
    return writeJsonAtomic(this.file, this.entries ?? {});
  }

  /** Serialises cache mutations (parallel jobs may upload the same selfie). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  /** Returns the Replicate URL for these bytes, uploading only if no usable copy is there. */
  upload(
    sha256: string,
    bytes: Uint8Array,
    meta: { filename: string; contentType: string },
    call: CallOptions = {},
  ): Promise<{ url: string; uploaded: boolean }> {
    return this.exclusive(async () => {
      const entries = await this.load();
      const hit = entries[sha256];
      const now = this.now();
      if (
        hit &&
        hit.expiresAt - now > EXPIRY_MARGIN_MS &&
        now - hit.lastUsedAt <= Math.max(this.retentionMs(), 0) + 60_000
      ) {
        hit.lastUsedAt = now;
        await this.save();
        return { url: hit.url, uploaded: false };
      }
      if (hit) {
        delete entries[sha256];
        await this.gateway.deleteFile(hit.fileId, call).catch(() => {});
      }
      // An upload whose answer was lost may have landed: look for it by checksum before sending
      // the photo again (a duplicate would leave a second copy of a selfie on Replicate). The
      // listing waits for the network when it is down, so a job uploading offline resumes itself.
      let file: Awaited<ReturnType<ReplicateGateway['uploadFile']>> | null = null;
      for (let round = 0; !file; round++) {
        try {
          file = await this.gateway.uploadFile(bytes, { ...meta, metadata: { sha256 } }, call);
        } catch (e) {
          if (!(e instanceof OutcomeUnknownError)) throw e;
          if (round >= 4)
            throw new StudioError(
              'network',
              'Could not upload the photo to Replicate: the connection keeps dropping. Try again when the connection is stable.',
            );
          file = await this.findUploaded(sha256, call);
        }
      }
      entries[sha256] = {
        fileId: file.id,
        url: file.urls.get,
        size: file.size,
        uploadedAt: now,
        expiresAt: file.expires_at ? Date.parse(file.expires_at) : now + 24 * 3600_000,
        lastUsedAt: now,
      };
      await this.save();
      return { url: file.urls.get, uploaded: true };
    });
  }

  private async findUploaded(sha256: string, call: CallOptions) {
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const res = await this.gateway.listFiles(cursor, call);
      const found = res.results.find((f) => f.checksums?.sha256 === sha256 || f.metadata?.sha256 === sha256);
      if (found) return found;
      if (!res.next) return null;
      cursor = res.next;
    }
    return null;
  }

  /** Marks a file as in use now (a job started that uses it). */
  touch(sha256: string): Promise<void> {
    return this.exclusive(async () => {
      const e = (await this.load())[sha256];
      if (e) {
        e.lastUsedAt = this.now();
        await this.save();
      }
    });
  }

  /** Deletes uploads whose reuse window passed and that no unfinished job needs. */
  sweep(inUse: ReadonlySet<string>, call: CallOptions = {}): Promise<number> {
    return this.exclusive(async () => {
      const entries = await this.load();
      const now = this.now();
      let deleted = 0;
      for (const [sha, e] of Object.entries(entries)) {
        if (inUse.has(sha)) continue;
        if (now - e.lastUsedAt < this.retentionMs() && e.expiresAt > now) continue;
        try {
          if (e.expiresAt > now) await this.gateway.deleteFile(e.fileId, call);
          delete entries[sha];
          deleted++;
        } catch {
          // offline: try again at the next sweep
        }
      }
      if (deleted) await this.save();
      return deleted;
    });
  }

  async size(): Promise<number> {
    return Object.keys(await this.load()).length;
  }
}
