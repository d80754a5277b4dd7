import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import electron from 'vite-plugin-electron';
import { resolve } from 'node:path';

const r = (p: string) => resolve(import.meta.dirname, p);

// Native and WASM packages (and the ESM-only store that must be bundled) are decided here.
// sharp and libheif-js load binaries/WASM at run time, so they stay external; on Vite 8 only
// `rolldownOptions.external` is honoured (rollupOptions.external is silently ignored).
// exifreader too: bundled, its ESM source cannot load @xmldom/xmldom (it asks for
// __non_webpack_require__), and without a DOMParser it reads no XMP, where this app's settings are.
// face-api and TensorFlow.js read their models and .wasm files next to their own code, so they stay external too.
const mainExternal = [
  'sharp',
  'libheif-js',
  'replicate',
  'electron',
  'exifreader',
  '@vladmandic/face-api',
  /^@tensorflow\//,
];

/**
 * One config builds the three targets:
 *  - `vite build`            → dist/renderer (UI), dist-electron/main.js (ESM), dist-electron/preload.cjs (CJS, sandbox)
 *  - `vite build --mode web` → the renderer alone, for the Playwright tests in Chromium.
 */
export default defineConfig(({ mode }) => ({
  root: r('renderer'),
  base: './',
  publicDir: false,
  resolve: { alias: { '@shared': r('shared') } },
  build: {
    outDir: r('dist/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: mode !== 'production' ? false : false,
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  plugins: [
    react(),
    mode === 'web'
      ? []
      : electron([
          {
            entry: r('electron/main.ts'),
            vite: {
              resolve: { alias: { '@shared': r('shared') } },
              build: { outDir: r('dist-electron'), emptyOutDir: false, rolldownOptions: { external: mainExternal } },
            },
          },
          {
            // HEIC decoding (WebAssembly, ~1 s per 12 MP photo) runs in this worker thread.
            entry: r('electron/services/images/heic-worker.ts'),
            vite: {
              build: {
                outDir: r('dist-electron'),
                emptyOutDir: false,
                rolldownOptions: { external: mainExternal, output: { entryFileNames: 'heic-worker.js' } },
              },
            },
          },
          {
            // The training-set check: face detection (WebAssembly) and the pixel measures, off the main thread.
            entry: r('electron/services/training/set-check/analysis-worker.ts'),
            vite: {
              build: {
                outDir: r('dist-electron'),
                emptyOutDir: false,
                rolldownOptions: { external: mainExternal, output: { entryFileNames: 'set-check-worker.js' } },
              },
            },
          },
          {
            entry: r('electron/preload.ts'),
            onstart: ({ reload }) => reload(),
            vite: {
              resolve: { alias: { '@shared': r('shared') } },
              build: {
                outDir: r('dist-electron'),
                emptyOutDir: false,
                // Sandboxed preloads cannot use ESM: force a CommonJS lib build whatever package.json "type" says.
                lib: { entry: r('electron/preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
                rolldownOptions: { external: ['electron'], output: { codeSplitting: false } },
              },
            },
          },
        ]),
  ],
}));
