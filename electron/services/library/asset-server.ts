/**
 * Serves library images to the renderer by opaque id (`runs/<runId>/<file>`), for the
 * `studio-asset://` protocol in the app and the test bridge's route. Only image files inside the
 * library are served (VS Code's valid-roots + extension allowlist); never the app's own files.
 *
 * `thumbs/<id>` serves a small WebP of that image (512 px on the long side), made in the background
 * after a save (prepare) or else on first request, and cached in `.sseelfie/thumbs/` (keyed by
 * path, size, mtime and side), so the gallery never decodes full-size PNGs. `thumbs-256/<id>` is the
 * same at 256 px: the gallery's tiles on a 1× screen are mostly 168–256 px, and a 512 px thumbnail
 * there is four times the pixels to decode and draw for every tile that scrolls in.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import { writeFileAtomic } from '../fs/atomic';
import { APP_DIR, type Library } from './library';
import { SMALL_THUMB_PREFIX, SMALL_THUMB_SIDE, THUMB_PREFIX, THUMB_SIDE } from '../../../shared/ipc/channels';

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
};

/** The thumbnail side an asset id asks for (and the id without its prefix), or null for the file. */
function thumbSide(id: string): { side: number; rest: string } | null {
  if (id.startsWith(THUMB_PREFIX)) return { side: THUMB_SIDE, rest: id.slice(THUMB_PREFIX.length) };
  if (id.startsWith(SMALL_THUMB_PREFIX)) return { side: SMALL_THUMB_SIDE, rest: id.slice(SMALL_THUMB_PREFIX.length) };
  return null;
}

export interface Thumbnailer {
  thumbnail(input: { name: string; path: string }, maxSide: number, format: 'webp'): Promise<{ bytes: Uint8Array }>;
}

function imageResponse(bytes: Uint8Array, type: string): Response {
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      'Content-Type': type,
      'Cache-Control': 'private, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

const notFound = () => new Response('Not found', { status: 404 });

/**
 * Thumbnails made at once: half the cores, at least one. A first browse of a large library asks
 * for a couple a frame while it scrolls, each a decode, resize and encode of a full photo; made
 * all at once they took both cores of a two-core laptop from the window being scrolled (the
 * gallery-ui bench's never-shown pass). The others wait their turn; a cached one never waits.
 */
const THUMBS_AT_ONCE = Math.max(1, Math.floor(os.availableParallelism() / 2));

export class AssetServer {
  private rootReal: string | null = null;
  private readonly making: LimitFunction;
  private readonly inFlight = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly library: Library,
    private readonly thumbs?: Thumbnailer,
    options: { thumbsAtOnce?: number } = {},
  ) {
    this.making = pLimit(options.thumbsAtOnce ?? THUMBS_AT_ONCE);
  }

  async respond(assetId: string): Promise<Response> {
    let id: string;
    try {
      id = decodeURIComponent(assetId);
    } catch {
      return new Response('Bad request', { status: 400 }); // a malformed % escape
    }
    const thumb = thumbSide(id);
    const named = this.library.resolveAsset(thumb ? thumb.rest : id);
    const file = named ? await this.realFileInside(named) : null;
    // Typed by the file itself, not by the name it was asked for (a link named x.png).
    const type = file ? TYPES[path.extname(file).toLowerCase()] : undefined;
    if (!file || !type) return notFound();
    try {
      if (thumb && this.thumbs) return imageResponse(await this.thumbnail(file, thumb.side), 'image/webp');
      return imageResponse(new Uint8Array(await fs.readFile(file)), type);
    } catch {
      return notFound();
    }
  }

  /**
   * The real path of a regular file inside the library (links resolved), or null: a symlink in a
   * run folder pointing at ~/.ssh or at the app's own .sseelfie folder is never served.
   */
  private async realFileInside(file: string): Promise<string | null> {
    try {
      this.rootReal ??= await fs.realpath(this.library.root);
      const real = await fs.realpath(file);
      const rel = path.relative(this.rootReal, real);
      if (!rel || rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep)[0] === APP_DIR) return null;
      return (await fs.stat(real)).isFile() ? real : null;
    } catch {
      return null;
    }
  }

  /**
   * Makes the gallery's thumbnails of saved photos now, both sizes (1× and 2× screens), in the
   * queue the asked ones wait in: browsing what was made in the app then never waits on them or
   * has main take the cores from the scroll (a first browse asked a couple a frame, 12 ms of CPU
   * each). A photo that cannot be read is left for its first request to report.
   */
  async prepare(assetIds: readonly string[]): Promise<void> {
    if (!this.thumbs) return;
    await Promise.all(
      assetIds.flatMap((id) =>
        [SMALL_THUMB_PREFIX, THUMB_PREFIX].map((prefix) => this.respond(`${prefix}${id}`).catch(() => null)),
      ),
    );
  }

  private async thumbnail(file: string, side: number): Promise<Uint8Array> {
    const st = await fs.stat(file);
    // The 512 px key is the one thumbnails were cached under before the small size existed.
    const sized = side === THUMB_SIDE ? '' : `\0${side}`;
    const key = createHash('sha256').update(`${file}\0${st.size}\0${st.mtimeMs}${sized}`).digest('hex').slice(0, 32);
    const cached = path.join(this.library.appDir, 'thumbs', `${key}.webp`);
    try {
      return new Uint8Array(await fs.readFile(cached));
    } catch {
      /* not made yet */
    }
    // Asked again while it is being made (the grid and the filmstrip, a tile reused): made once.
    let made = this.inFlight.get(cached);
    if (!made) {
      made = this.making(async () => {
        const { bytes } = await this.thumbs!.thumbnail({ name: path.basename(file), path: file }, side, 'webp');
        await fs.mkdir(path.dirname(cached), { recursive: true });
        await writeFileAtomic(cached, bytes, { durable: false }).catch(() => {}); // a cache
        return bytes;
      }).finally(() => this.inFlight.delete(cached));
      this.inFlight.set(cached, made);
    }
    return made;
  }
}
