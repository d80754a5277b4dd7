/**
 * Serves library images to the renderer by opaque id (`runs/<runId>/<file>`), for the
 * `studio-asset://` protocol in the app and the test bridge's route. Only image files inside the
 * library are served (VS Code's valid-roots + extension allowlist); never the app's own files.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Library } from './library';

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
};

export class AssetServer {
  constructor(private readonly library: Library) {}

  async respond(assetId: string): Promise<Response> {
    const file = this.library.resolveAsset(decodeURIComponent(assetId));
    const type = file ? TYPES[path.extname(file).toLowerCase()] : undefined;
    if (!file || !type) return new Response('Not found', { status: 404 });
    try {
      const bytes = await fs.readFile(file);
      return new Response(new Uint8Array(bytes), {
        status: 200,
        headers: { 'Content-Type': type, 'Cache-Control': 'private, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  }
}
