/**
 * The Files API: `POST /v1/files` (multipart `content`, `filename`, `type`, `metadata`; 413 above
 * the size limit), list with cursors, get, download, delete; files expire after fileTtlMs and are
 * readable only by the account that uploaded them. Mirrors Replicate's OpenAPI `files.*`
 * operations (reference §2).
 */
import { createHash } from 'node:crypto';
import { replicateTime } from './model-rules';
import {
  HttpError,
  NOT_FOUND,
  PAGE_SIZE,
  drain,
  headerValue,
  json,
  paginate,
  problem,
  readBody,
  type RequestContext,
  type SimResponse,
  type User,
} from './sim-http';

export interface FileRecord {
  seq: number;
  id: string;
  owner: string;
  name: string;
  contentType: string;
  bytes: Buffer | null;
  size: number;
  sha256: string;
  md5: string;
  metadata: unknown;
  createdAt: number;
  expiresAt: number;
  deleted: boolean;
}

/** What the server lends this part: its clock, base URL, ids, sequence, counters and limits. */
export interface FilesHost {
  now(): number;
  baseUrl(): string;
  newId(): string;
  nextSeq(): number;
  counters: { uploads: number; uploadBytes: number };
  fileTtlMs: number;
  maxFileBytes: number;
}

export class FilesApi {
  readonly filesById = new Map<string, FileRecord>();
  private readonly now: () => number;
  private readonly counters: FilesHost['counters'];
  private readonly fileTtlMs: number;
  private readonly maxFileBytes: number;

  constructor(private readonly host: FilesHost) {
    this.now = () => host.now();
    this.counters = host.counters;
    this.fileTtlMs = host.fileTtlMs;
    this.maxFileBytes = host.maxFileBytes;
  }

  private get baseUrl(): string {
    return this.host.baseUrl();
  }

  private newId(): string {
    return this.host.newId();
  }

  fileAvailable(f: FileRecord): boolean {
    return !f.deleted && this.now() < f.expiresAt;
  }

  private fileJson(f: FileRecord) {
    return {
      id: f.id,
      name: f.name,
      content_type: f.contentType,
      size: f.size,
      etag: f.md5,
      checksums: { sha256: f.sha256, md5: f.md5 },
      metadata: f.metadata,
      created_at: replicateTime(f.createdAt),
      expires_at: replicateTime(f.expiresAt),
      urls: { get: `${this.baseUrl}/files/${f.id}` },
    };
  }

  private ownFile(user: User, id: string): FileRecord {
    const f = this.filesById.get(id);
    if (!f || f.owner !== user.username || !this.fileAvailable(f)) throw new HttpError(json(404, NOT_FOUND));
    return f;
  }

  async createFile({ req, url, user }: RequestContext): Promise<SimResponse> {
    const id = this.newId();
    const type = headerValue(req.headers['content-type']) ?? '';
    if (!/^multipart\/form-data/i.test(type)) {
      await drain(req);
      return problem(400, 'Expected a multipart/form-data body with a "content" part', 'Bad request');
    }
    // Multipart framing adds a little; the exact limit is checked on the content part below.
    const raw = await readBody(req, this.maxFileBytes + 64 * 1024);
    let form: FormData;
    try {
      form = await new Request(url, { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    } catch {
      return problem(400, 'Malformed multipart/form-data body', 'Bad request');
    }
    const content = form.get('content');
    if (!(content instanceof Blob)) return problem(400, 'Missing "content" part', 'Bad request');
    if (content.size > this.maxFileBytes) return json(413, { detail: 'File too large', status: 413 });
    const filenameField = form.get('filename');
    const name =
      typeof filenameField === 'string' && filenameField
        ? filenameField
        : content instanceof File && content.name
          ? content.name
          : 'file';
    if (Buffer.byteLength(name) > 255)
      return problem(422, 'filename must be at most 255 bytes', 'Input validation failed');
    let metadata: unknown = {};
    const metaField = form.get('metadata');
    if (metaField !== null) {
      const text = typeof metaField === 'string' ? metaField : await metaField.text();
      try {
        metadata = text ? JSON.parse(text) : {};
      } catch {
        return problem(400, 'metadata must be valid JSON', 'Bad request');
      }
    }
    // The spec's `type` form field ("The content / MIME type for the file", default
    // application/octet-stream) wins over the content part's own type (curl `-F content=@x;type=…`).
    const typeField = form.get('type');
    const contentType =
      typeof typeField === 'string' && typeField.trim() ? typeField.trim() : content.type || 'application/octet-stream';
    const bytes = Buffer.from(await content.arrayBuffer());
    const createdAt = this.now();
    const f: FileRecord = {
      seq: this.host.nextSeq(),
      id,
      owner: user.username,
      name,
      contentType,
      bytes,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      md5: createHash('md5').update(bytes).digest('hex'),
      metadata,
      createdAt,
      expiresAt: createdAt + this.fileTtlMs,
      deleted: false,
    };
    this.filesById.set(id, f);
    this.counters.uploads += 1;
    this.counters.uploadBytes += f.size;
    return json(201, this.fileJson(f));
  }

  async listFiles({ user, url }: RequestContext): Promise<SimResponse> {
    const mine = [...this.filesById.values()]
      .filter((f) => f.owner === user.username && this.fileAvailable(f))
      .sort((a, b) => b.seq - a.seq);
    return json(
      200,
      paginate(
        mine,
        (f) => [f.createdAt, f.seq],
        url,
        PAGE_SIZE,
        (f) => this.fileJson(f),
      ),
    );
  }

  async getFile({ user }: RequestContext, id: string, download: boolean): Promise<SimResponse> {
    const f = this.ownFile(user, id);
    if (!download) return json(200, this.fileJson(f));
    return { status: 200, headers: { 'content-type': f.contentType }, body: f.bytes ?? Buffer.alloc(0) };
  }

  async deleteFile({ user }: RequestContext, id: string): Promise<SimResponse> {
    const f = this.ownFile(user, id);
    f.deleted = true;
    f.bytes = null;
    return { status: 204 };
  }
}
