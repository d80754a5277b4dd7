/**
 * How a prediction gets its file inputs (`image`, `mask`) before predict() runs: from the Files API
 * of the same account, a data URI, an earlier output on the delivery origin, or any URL, with the
 * errors Cog reports when a download fails; and what PIL makes of the bytes (its size, "cannot
 * identify image file", the decompression-bomb limit). Mirrors Cog's input download and PIL's
 * `Image.open` messages (reference §1).
 */
import { createHash } from 'node:crypto';
import type { FilesApi } from './files-api';
import { PIL_BOMB_LIMIT, type DecodedInput } from './model-rules';
import { DELIVERY_PATH, type OutputFiles } from './outputs';
import { probeImage } from './render';
import type { User } from './sim-http';

/** What the server lends this part: its two origins, its uploaded files and its output files. */
export interface InputFilesHost {
  origin(): string;
  deliveryOrigin(): string;
  files: FilesApi;
  outputs: OutputFiles;
}

export class InputFiles {
  constructor(private readonly host: InputFilesHost) {}

  private get origin(): string {
    return this.host.origin();
  }

  private get deliveryOrigin(): string {
    return this.host.deliveryOrigin();
  }

  async fetchInputFiles(
    user: User,
    input: Record<string, unknown>,
  ): Promise<{
    error: string | null;
    image: DecodedInput | null;
    mask: DecodedInput | null;
    imageBytes: Buffer | null;
    maskBytes: Buffer | null;
  }> {
    const out = {
      error: null as string | null,
      image: null as DecodedInput | null,
      mask: null as DecodedInput | null,
      imageBytes: null as Buffer | null,
      maskBytes: null as Buffer | null,
    };
    for (const key of ['image', 'mask'] as const) {
      const value = input[key];
      if (typeof value !== 'string' || value === '') continue;
      const got = await this.download(user, value);
      if ('error' in got) {
        out.error ??= `Failed to download input file: ${got.error}`;
        continue;
      }
      const decoded = await decodeForPil(got.bytes, got.name);
      if (key === 'image') {
        out.image = decoded;
        out.imageBytes = got.bytes;
      } else {
        out.mask = decoded;
        out.maskBytes = got.bytes;
      }
    }
    // A mask without an image is ignored: text-to-image.
    if (!out.image) {
      out.mask = null;
      out.maskBytes = null;
    }
    return out;
  }

  /** How Replicate fetches a file input: its own Files API, data URIs, or any URL. */
  private async download(user: User, value: string): Promise<{ bytes: Buffer; name: string } | { error: string }> {
    if (value.startsWith('data:')) {
      const m = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(value);
      if (!m) return { error: 'invalid data URI' };
      try {
        const bytes = m[2] ? Buffer.from(m[3]!, 'base64') : Buffer.from(decodeURIComponent(m[3]!), 'utf8');
        return { bytes, name: 'file' };
      } catch {
        return { error: 'invalid data URI' };
      }
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { error: `Invalid URL '${value}': No scheme supplied.` };
    }
    const notFound = { error: `404 Client Error: Not Found for url: ${value}` };
    if (url.origin === this.origin) {
      const file = /^\/v1\/files\/([^/]+)(?:\/download)?$/.exec(url.pathname);
      if (file) {
        const f = this.host.files.filesById.get(file[1]!);
        // Files are readable only by predictions of the account that uploaded them.
        if (!f || f.owner !== user.username || !this.host.files.fileAvailable(f) || !f.bytes) return notFound;
        return { bytes: f.bytes, name: f.name };
      }
      return notFound;
    }
    if (url.origin === this.deliveryOrigin) {
      // An earlier output used as an input (chaining photos): fetched from the output host.
      const out = DELIVERY_PATH.exec(url.pathname);
      const r = out ? await this.host.outputs.getOutput(out[1]!, Number(out[2]), out[3]!) : null;
      return r && r.status === 200 && Buffer.isBuffer(r.body)
        ? { bytes: r.body, name: `out-${out![2]}.${out![3]}` }
        : notFound;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return { error: `No connection adapters were found for '${value}'` };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) return { error: `${res.status} Client Error: ${res.statusText} for url: ${value}` };
      return { bytes: Buffer.from(await res.arrayBuffer()), name: url.pathname.split('/').pop() || 'file' };
    } catch (e) {
      return { error: `Connection error for url: ${value} (${(e as Error).message})` };
    }
  }
}

/** PIL's view of an input file: its size, or the exception Image.open would raise. */
async function decodeForPil(bytes: Buffer, name: string): Promise<DecodedInput> {
  const tmp = `/tmp/tmp${createHash('md5').update(bytes).digest('hex').slice(0, 8)}${name.replace(/[^\w.-]/g, '')}`;
  try {
    const { width, height } = await probeImage(bytes);
    if (width * height > PIL_BOMB_LIMIT) {
      return {
        ok: false,
        error: `Image size (${width * height} pixels) exceeds limit of ${PIL_BOMB_LIMIT} pixels, could be decompression bomb DOS attack.`,
      };
    }
    return { ok: true, width, height };
  } catch {
    return { ok: false, error: `cannot identify image file '${tmp}'` };
  }
}
