import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssetServer } from '../../../../electron/services/library/asset-server';
import { Library } from '../../../../electron/services/library/library';
import { LibraryLock } from '../../../../electron/services/library/library-lock';
import { tmpDir } from '../jobs/harness';

describe('Library', () => {
  it('serves only image files inside the library, never its own data or anything outside', async () => {
    const root = tmpDir('sseelfie-lib-');
    const lib = new Library(root);
    await lib.ensure();
    mkdirSync(path.join(root, 'runs', '20260101-000000-abcd'), { recursive: true });
    writeFileSync(path.join(root, 'runs', '20260101-000000-abcd', '1.png'), 'png');
    writeFileSync(path.join(root, 'runs', '20260101-000000-abcd', 'run.json'), '{}');
    writeFileSync(path.join(root, '.sseelfie', 'x.png'), 'secret');
    const assets = new AssetServer(lib);
    expect((await assets.respond('runs/20260101-000000-abcd/1.png')).status).toBe(200);
    for (const bad of [
      'runs/20260101-000000-abcd/run.json',
      '.sseelfie/x.png',
      '../etc/passwd',
      'runs/../../x.png',
      '%2e%2e/%2e%2e/etc/passwd',
      '/etc/passwd.png',
      'runs/nope/1.png',
    ]) {
      expect((await assets.respond(bad)).status, bad).toBe(404);
    }
  });

  it('skips a damaged run.json instead of breaking the listing', async () => {
    const root = tmpDir('sseelfie-lib-');
    const lib = new Library(root);
    await lib.ensure();
    mkdirSync(path.join(root, 'runs', '20260101-000000-abcd'), { recursive: true });
    writeFileSync(path.join(root, 'runs', '20260101-000000-abcd', 'run.json'), '{ broken');
    expect(await lib.list()).toEqual([]);
    await expect(lib.get('20260101-000000-abcd')).rejects.toMatchObject({ code: 'not_found' });
    await expect(lib.get('../../etc')).rejects.toMatchObject({ code: 'not_found' }); // never resolved outside runs/
  });

  it('takes over a lock left by a process that died', async () => {
    const root = tmpDir('sseelfie-lib-');
    mkdirSync(path.join(root, '.sseelfie'), { recursive: true });
    writeFileSync(
      path.join(root, '.sseelfie', 'lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), who: 'old' }),
    );
    const lock = LibraryLock.for(path.join(root, '.sseelfie'), 'test');
    await lock.acquire();
    await lock.release();
  });
});

describe('thumbnails for the gallery', () => {
  it('serves a small WebP of a library image, made once and cached, never of anything outside', async () => {
    const sharp = (await import('sharp')).default;
    const { ImagePipeline } = await import('../../../../electron/services/images/image-pipeline');
    const root = tmpDir('sseelfie-lib-');
    const lib = new Library(root);
    await lib.ensure();
    const dir = path.join(root, 'runs', '20260101-000000-abcd');
    mkdirSync(dir, { recursive: true });
    await sharp({ create: { width: 1344, height: 768, channels: 3, background: '#c33' } })
      .png()
      .toFile(path.join(dir, '1.png'));
    const pipeline = new ImagePipeline();
    let made = 0;
    const assets = new AssetServer(lib, { thumbnail: (i, side, f) => (made++, pipeline.thumbnail(i, side, f)) });
    const res = await assets.respond('thumbs/runs/20260101-000000-abcd/1.png');
    expect(res.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(new Uint8Array(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 512, 293]);
    await assets.respond('thumbs/runs/20260101-000000-abcd/1.png');
    expect(made).toBe(1);
    // The gallery's size for a 1× screen: its own cached file, not the 512 px one.
    const small = await assets.respond('thumbs-256/runs/20260101-000000-abcd/1.png');
    const smallMeta = await sharp(new Uint8Array(await small.arrayBuffer())).metadata();
    expect([smallMeta.format, smallMeta.width, smallMeta.height]).toEqual(['webp', 256, 146]);
    await assets.respond('thumbs-256/runs/20260101-000000-abcd/1.png');
    expect(made).toBe(2);
    for (const bad of [
      'thumbs/../x.png',
      'thumbs-256/../x.png',
      'thumbs/.sseelfie/thumbs/x.webp',
      'thumbs-256/.sseelfie/thumbs/x.webp',
      'thumbs/runs/20260101-000000-abcd/run.json',
    ])
      expect((await assets.respond(bad)).status, bad).toBe(404);
  });
});
