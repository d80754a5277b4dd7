// @ts-check
// ESLint for the whole repository (`npm run lint`, a step of `npm test`). Three jobs:
//  1. the layer rules of docs/architecture.md, as errors (see LAYERS below);
//  2. import cycles, as errors (import-x/no-cycle over the TypeScript resolver), and a renderer
//     feature's components staying its own (FEATURE_ZONES below);
//  3. a small base: eslint recommended, typescript-eslint recommended (syntax only: a type-aware
//     run would build a second TypeScript program on every lint), React hooks rules in renderer/.
// Formatting is Prettier's job (.prettierrc.json); nothing here argues about layout.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const TS = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

// ── Layer rules ────────────────────────────────────────────────────────────────────────────────
// `no-restricted-imports` sees the specifier as written (packages, `node:` builtins);
// `import-x/no-restricted-paths` sees the file an import resolves to (relative paths, aliases).
// ESLint does not merge one rule's options across config objects (the last match wins), so each
// layer below states its whole `no-restricted-imports` list, the IPC rule included.

const RAW_IPC = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message:
    'Raw IPC lives only in electron/ipc.ts (main) and electron/preload.ts (renderer side). Add a channel to shared/ipc/channels.ts and contract.ts instead.',
};
// Every Node builtin, with and without the `node:` prefix (`fs`, `node:fs`, `fs/promises`).
const NODE_BUILTINS = (message) => [
  { group: ['node:*'], message },
  {
    regex: `^(${builtinModules
      .filter((m) => !m.startsWith('_'))
      .map((m) => m.replace(/[/]/g, '\\/'))
      .join('|')})(\\/.*)?$`,
    message,
  },
];

// ── Renderer features keep their components ───────────────────────────────────────────────────
// A component file (.tsx) under renderer/features/<feature>/ is imported only from inside that
// feature. What several features show lives in renderer/components/; a feature's stores and logic
// (.ts) are fine to import. The few views a feature offers for others to compose (the studio lays
// out the prompt, the results and the canvas; Settings and Welcome share the token form) are listed
// here: adding one is a decision, not an accident.
export const OFFERED_COMPONENTS = [
  'canvas/MaskCanvas.tsx',
  'canvas/MaskToolbar.tsx',
  'canvas/canvas-icons.tsx',
  'export/RestoreBanner.tsx',
  'export/StagePhotoTools.tsx',
  'library/PreviousLibraryNotice.tsx',
  'library/RevealButton.tsx',
  'params/ParamsForm.tsx',
  'params/ModelPicker.tsx',
  'prompt/PromptPanel.tsx',
  'results/ResultsPanel.tsx',
  'results/stage/ResultStage.tsx',
  'settings/ApiBaseUrlField.tsx',
  'welcome/TokenForm.tsx',
];
const FEATURES = resolve(import.meta.dirname, 'renderer/features');
const FEATURE_ZONES = readdirSync(FEATURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map(({ name }) => ({
    target: `./renderer/features/${name}`,
    // globs here are matched against the resolved file, so they are absolute
    from: `${FEATURES}/*/**/*.tsx`,
    // exceptions must be globs too: the offered files as one brace pattern
    except: [`${FEATURES}/${name}/**`, `${FEATURES}/{${OFFERED_COMPONENTS.join(',')}}`],
    message: `renderer/features/${name}/ does not import another feature's component: put what several features show in renderer/components/, or, for a view a feature offers to be composed, add it to OFFERED_COMPONENTS in eslint.config.mjs.`,
  }));

export const LAYERS = {
  services: {
    files: ['electron/services/**'],
    'no-restricted-imports': {
      paths: [
        {
          name: 'electron',
          message:
            'electron/services/** never imports electron: what a service needs from Electron is an adapter in electron/platform/ or a function from electron/main.ts, passed in through AppServicesOptions.',
        },
      ],
      patterns: [{ group: ['electron/*'], message: 'electron/services/** never imports the electron package.' }],
    },
    zones: [
      {
        target: './electron/services',
        from: './electron/platform',
        message: 'electron/services/** never imports electron/platform/: take the adapter as a constructor argument.',
      },
      {
        target: './electron/services',
        from: ['./electron/main.ts', './electron/app-services.ts', './electron/app-options.ts', './electron/handlers'],
        message:
          'electron/services/** never imports the wiring (electron/main.ts, electron/app-services.ts, electron/app-options.ts, electron/handlers/): the wiring imports the services.',
      },
    ],
  },
  renderer: {
    files: ['renderer/**'],
    'no-restricted-imports': {
      paths: [
        {
          name: 'electron',
          message:
            'renderer/** never imports electron: it talks to main only through window.studio (renderer/app/client.ts).',
        },
      ],
      patterns: [
        ...NODE_BUILTINS(
          'renderer/** runs sandboxed in the browser: no Node builtins. Ask main through window.studio.',
        ),
        { group: ['electron/*'], message: 'renderer/** never imports the electron package.' },
      ],
    },
    zones: [
      {
        target: './renderer',
        from: './electron',
        message:
          'renderer/** never imports electron/**: it talks to main only through window.studio; shared types live in shared/.',
      },
      ...FEATURE_ZONES,
    ],
  },
  shared: {
    files: ['shared/**'],
    'no-restricted-imports': {
      paths: [],
      patterns: [
        // Any specifier that is not relative and not zod: Node builtins, electron, every other
        // package (where a relative path leads is checked by the zone below).
        {
          regex: '^(?!\\.|zod$|zod\\/)',
          message: 'shared/** is pure TypeScript for both processes: no Node, no Electron, no package but zod.',
        },
      ],
    },
    zones: [
      {
        target: './shared',
        from: './',
        except: ['./shared', './node_modules/zod'],
        message: 'shared/** imports nothing outside shared/ (zod is the one package).',
      },
    ],
  },
};

const layer = ({ files, zones, ...rest }) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { ...rest['no-restricted-imports'], paths: [...rest['no-restricted-imports'].paths, RAW_IPC] },
    ],
    'import-x/no-restricted-paths': ['error', { zones }],
  },
});

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-electron/',
      'release/',
      'out/',
      '.ci-out/',
      'test-results/',
      'playwright-report/',
      'coverage/',
      'test/fixtures/lint/', // snippets that break the rules on purpose (test/unit/lint/layers.test.ts)
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  { languageOptions: { ecmaVersion: 2023, sourceType: 'module' } },
  { ignores: ['renderer/**'], languageOptions: { globals: { ...globals.node } } },
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json', alwaysTryTypes: true })],
    },
  },
  {
    files: TS,
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-imports': ['error', { paths: [RAW_IPC] }],
      // `_unused` marks a parameter kept for its position; the rest of typescript-eslint's
      // recommended set stands as it is.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  // Tests assert on JSON off the wire (the simulator's answers, Cog documents, YAML); `any` keeps
  // those assertions readable. Code and test helpers outside these files still may not use it.
  {
    files: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'test/sim/test-helpers.ts', 'test/unit/renderer/fake-studio.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // The two files that own raw IPC.
  { files: ['electron/ipc.ts', 'electron/preload.ts'], rules: { 'no-restricted-imports': 'off' } },
  layer(LAYERS.services),
  layer(LAYERS.renderer),
  layer(LAYERS.shared),
  // The renderer runs in the browser.
  {
    files: ['renderer/**', 'test/unit/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // The two classic hooks rules. The React Compiler rules of eslint-plugin-react-hooks 7
  // (refs, set-state-in-effect, purity, …) are left out: this app does not use the compiler, they
  // flag the deliberate latest-ref pattern (`ref.current = onClose` in render), and running the
  // compiler's analysis was 60% of the whole lint's time.
  {
    files: ['renderer/**/*.tsx', 'renderer/**/*.ts', 'test/unit/renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
