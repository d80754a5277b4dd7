import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssetServer } from '../../../../electron/services/library/asset-server';
import { Library } from '../../../../electron/services/library/library';
import { tmpDir } from '../jobs/harness';

const RUN = '20260101-000000-abcd';

async function libraryWithRun() {
  const root = tmpDir('sseelfie-assets-');
  const outside = tmpDir('sseelfie-outside-');
  const lib = new Library(path.join(root, 'library'));
  await lib.ensure();
  const run = path.join(lib.root, 'runs', RUN);
  mkdirSync(run, { recursive: true });
  writeFileSync(path.join(run, '1.png'), 'png-bytes');
  return { lib, run, outside, assets: new AssetServer(lib) };
}

describe('AssetServer: only real files inside the library', () => {
  it('does not follow a symlink out of the library, whatever the link is named', async () => {
    const { run, outside, assets } = await libraryWithRun();
    writeFileSync(path.join(outside, 'id_rsa'), 'PRIVATE KEY');
    writeFileSync(path.join(outside, 'photo.png'), 'someone else');
    symlinkSync(path.join(outside, 'id_rsa'), path.join(run, '2.png'));
    symlinkSync(path.join(outside, 'photo.png'), path.join(run, '3.png'));
    symlinkSync(outside, path.join(run, 'linked-dir'));
    expect((await assets.respond(`runs/${RUN}/2.png`)).status).toBe(404);
    expect((await assets.respond(`runs/${RUN}/3.png`)).status).toBe(404);
    expect((await assets.respond(`runs/${RUN}/linked-dir/photo.png`)).status).toBe(404);
    const ok = await assets.respond(`runs/${RUN}/1.png`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('png-bytes');
  });

  it("types a file by its real name, and never serves the app's own folder through a link", async () => {
    const { lib, run, assets } = await libraryWithRun();
    writeFileSync(path.join(run, 'run.json'), '{"prompt":"private"}');
    writeFileSync(path.join(lib.appDir, 'uploads.json'), '{}');
    symlinkSync(path.join(run, 'run.json'), path.join(run, '4.png'));
    symlinkSync(path.join(lib.appDir, 'uploads.json'), path.join(run, '5.png'));
    expect((await assets.respond(`runs/${RUN}/4.png`)).status).toBe(404);
    expect((await assets.respond(`runs/${RUN}/5.png`)).status).toBe(404);
    // a link inside the library to a real image of the library is fine, typed by the target
    symlinkSync(path.join(run, '1.png'), path.join(run, 'copy.webp'));
    const res = await assets.respond(`runs/${RUN}/copy.webp`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/png');
  });

  it('answers 400 to a malformed % escape instead of throwing', async () => {
    const { assets } = await libraryWithRun();
    for (const bad of ['runs/%E0%A4%A/1.png', '%', 'runs/%zz.png']) {
      const res = await assets.respond(bad);
      expect(res.status, bad).toBe(400);
    }
  });
});

describe('AssetServer: thumbnails made a few at a time', () => {
  it('makes no more at once than it is allowed, each asked once however often it is asked meanwhile', async () => {
    const { lib, run } = await libraryWithRun();
    for (const n of [2, 3, 4, 5]) writeFileSync(path.join(run, `${n}.png`), `png-${n}`);
    let busy = 0;
    let most = 0;
    const made: string[] = [];
    const assets = new AssetServer(
      lib,
      {
        async thumbnail(input) {
          busy++;
          most = Math.max(most, busy);
          await new Promise((r) => setTimeout(r, 5));
          made.push(input.name);
          busy--;
          return { bytes: new TextEncoder().encode(`thumb of ${input.name}`) };
        },
      },
      { thumbsAtOnce: 2 },
    );
    const ids = [1, 2, 3, 4, 5, 1, 2].map((n) => `thumbs-256/runs/${RUN}/${n}.png`);
    const replies = await Promise.all(ids.map((id) => assets.respond(id)));
    expect(replies.map((r) => r.status)).toEqual(ids.map(() => 200));
    expect(await Promise.all(replies.map((r) => r.text()))).toEqual(
      [1, 2, 3, 4, 5, 1, 2].map((n) => `thumb of ${n}.png`),
    );
    expect(most).toBe(2);
    expect(made.sort()).toEqual(['1.png', '2.png', '3.png', '4.png', '5.png']);
  });
});
