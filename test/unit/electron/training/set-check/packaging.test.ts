/** The packaged app can start the set-check worker and read the model files it needs. */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { unpackedPath } from '../../../../../electron/services/training/set-check/face-analysis';

describe('the set-check worker in the packaged app', () => {
  it('is built next to main.js, with face-api and TensorFlow.js left external', () => {
    const vite = readFileSync('vite.config.ts', 'utf8');
    expect(vite).toContain("entry: r('electron/services/training/set-check/analysis-worker.ts')");
    expect(vite).toContain("entryFileNames: 'set-check-worker.js'");
    expect(vite).toMatch(/const mainExternal = \[[^\]]*'@vladmandic\/face-api'[^\]]*\/\^@tensorflow\\\/\//);
  });
  it('finds face-api models and the .wasm files outside the asar', () => {
    const cfg = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as { asarUnpack: string[] };
    expect(cfg.asarUnpack).toEqual(
      expect.arrayContaining([
        '**/node_modules/@vladmandic/face-api/**/*',
        '**/node_modules/@tensorflow/tfjs-backend-wasm/**/*',
      ]),
    );
    expect(
      unpackedPath(
        '/Applications/Sseelfie Studio.app/Contents/Resources/app.asar/node_modules/@vladmandic/face-api/model',
      ),
    ).toBe(
      '/Applications/Sseelfie Studio.app/Contents/Resources/app.asar.unpacked/node_modules/@vladmandic/face-api/model',
    );
    expect(unpackedPath('C:\\Program Files\\Sseelfie Studio\\resources\\app.asar\\node_modules\\x')).toBe(
      'C:\\Program Files\\Sseelfie Studio\\resources\\app.asar.unpacked\\node_modules\\x',
    );
    expect(unpackedPath('/work/repo/node_modules/@vladmandic/face-api/model')).toBe(
      '/work/repo/node_modules/@vladmandic/face-api/model',
    );
  });
});
