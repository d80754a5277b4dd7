/**
 * heic-fast-idct/find-slots.mjs finds libde265's four inverse transforms in a libheif.wasm by its
 * code (the transform matrix they address, then running them against the reference transform), and
 * target.ts, which the loader patches by, is exactly what it writes for the installed libheif-js.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { findIdctSlots, targetSource } from '../../../../electron/services/images/heic-fast-idct/find-slots.mjs';
import { TARGET } from '../../../../electron/services/images/heic-fast-idct/target';
import { IDCT_WASM_BASE64 } from '../../../../electron/services/images/heic-fast-idct/idct-wasm';

const require = createRequire(import.meta.url);
const WASM_PATH = require.resolve('libheif-js/libheif-wasm/libheif.wasm');
const DIR = path.resolve(import.meta.dirname, '../../../../electron/services/images/heic-fast-idct');

describe('find-slots.mjs', () => {
  it('finds in the installed libheif-js wasm the slots the loader uses, and target.ts is what it writes', async () => {
    const version = (require('libheif-js/package.json') as { version: string }).version;
    expect(TARGET.libheifJs).toBe(version);
    const found = await findIdctSlots(new Uint8Array(readFileSync(WASM_PATH)));
    expect(found.sha256).toBe(TARGET.sha256);
    expect(found.transforms).toEqual(TARGET.transforms);
    // libde265's mat_dct, and the four other functions that use it (32-bit residuals) were run and turned down
    expect(found.matrix.element).toBe('int8');
    expect(found.rejected.length).toBeGreaterThan(0);
    for (const r of found.rejected) expect(r.why).toMatch(/^matches no size/);
    expect(readFileSync(path.join(DIR, 'target.ts'), 'utf8')).toBe(targetSource(found, version));
  });

  it('runs as a script with node: prints the slots as JSON, says what it turned down', () => {
    const r = spawnSync(process.execPath, [path.join(DIR, 'find-slots.mjs'), WASM_PATH], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      libheifJs: TARGET.libheifJs,
      sha256: TARGET.sha256,
      transforms: TARGET.transforms,
    });
    expect(r.stderr).toContain(
      `idct4: function ${TARGET.transforms.idct4.function}, table slot ${TARGET.transforms.idct4.slots[0]}`,
    );
    expect(r.stderr).toMatch(/not one of them: function \d+, matches no size/);
  });

  it('says so, and finds nothing, in a module that is not libde265 (the fast transform itself)', async () => {
    await expect(findIdctSlots(Buffer.from(IDCT_WASM_BASE64, 'base64'))).rejects.toThrow(
      /transform matrix .* is not in the data/,
    );
  });

  it('stops with exit code 1 on a file that is not WebAssembly', () => {
    let code = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [path.join(DIR, 'find-slots.mjs'), path.join(DIR, 'README.md')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      code = (e as { status: number }).status;
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    expect(code).toBe(1);
    expect(stderr).toMatch(/^find-slots: /);
  });
});
