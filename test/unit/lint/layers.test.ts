/**
 * The layer rules of docs/architecture.md are enforced by eslint.config.mjs (the `lint` step of
 * `npm test`). These tests run the repository's real config through ESLint's Node API on
 * snippets placed, by file name, in each layer: every forbidden import must be reported by its
 * layer rule, and the imports each layer relies on must report nothing. A config change that
 * quietly stops enforcing a layer fails here.
 */
import { ESLint, type Linter } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// ignore: false so the deliberate cycle in test/fixtures/lint/ (ignored by `eslint .`) is linted.
const eslint = new ESLint({ cwd: root, overrideConfigFile: 'eslint.config.mjs', ignore: false });

async function lint(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages;
}

/** The messages of one rule. */
const byRule = (messages: Linter.LintMessage[], rule: string) => messages.filter((m) => m.ruleId === rule);

const RESTRICTED_IMPORTS = 'no-restricted-imports';
const RESTRICTED_PATHS = 'import-x/no-restricted-paths';

describe('electron/services/** never imports electron, electron/platform or the wiring', () => {
  it('reports `electron` itself', async () => {
    const m = byRule(
      await lint('electron/services/jobs/probe.ts', "import { app } from 'electron';\nexport const v = app;\n"),
      RESTRICTED_IMPORTS,
    );
    expect(m).toHaveLength(1);
    expect(m[0]!.message).toMatch(/electron\/services\/\*\* never imports electron/);
  });

  it('reports raw ipcMain, which only electron/ipc.ts may hold', async () => {
    const m = byRule(
      await lint('electron/services/jobs/probe.ts', "import { ipcMain } from 'electron';\nexport const v = ipcMain;\n"),
      RESTRICTED_IMPORTS,
    );
    expect(m.length).toBeGreaterThan(0);
    expect(m.map((x) => x.message).join('\n')).toMatch(/never imports electron|Raw IPC/);
  });

  it('reports electron/platform/', async () => {
    const m = byRule(
      await lint(
        'electron/services/jobs/probe.ts',
        "import { SafeStorageCipher } from '../../platform/safe-storage-cipher';\nexport const v = SafeStorageCipher;\n",
      ),
      RESTRICTED_PATHS,
    );
    expect(m).toHaveLength(1);
    expect(m[0]!.message).toMatch(/never imports electron\/platform/);
  });

  it('reports electron/main.ts and electron/app-services.ts', async () => {
    const code =
      "import '../../main';\nimport { createAppServices } from '../../app-services';\nexport const v = createAppServices;\n";
    const m = byRule(await lint('electron/services/jobs/probe.ts', code), RESTRICTED_PATHS);
    expect(m.map((x) => x.line)).toEqual([1, 2]);
    expect(m[0]!.message).toMatch(/never imports the wiring/);
  });

  it('reports electron/handlers/ and electron/app-options.ts, the rest of the wiring', async () => {
    const code =
      "import { jobHandlers } from '../../handlers/jobs';\nimport type { AppServicesOptions } from '../../app-options';\nexport const v: [typeof jobHandlers, AppServicesOptions?] = [jobHandlers];\n";
    const m = byRule(await lint('electron/services/jobs/probe.ts', code), RESTRICTED_PATHS);
    expect(m.map((x) => x.line)).toEqual([1, 2]);
    expect(m[0]!.message).toMatch(/never imports the wiring/);
  });

  it('allows Node builtins, packages, other services and shared/', async () => {
    const code = [
      "import { readFile } from 'node:fs/promises';",
      "import sharp from 'sharp';",
      "import { writeFileAtomic } from '../fs/atomic';",
      "import { INVOKE_CHANNELS } from '../../../shared/ipc/channels';",
      'export const v = [readFile, sharp, writeFileAtomic, INVOKE_CHANNELS];',
      '',
    ].join('\n');
    expect(await lint('electron/services/jobs/probe.ts', code)).toEqual([]);
  });
});

describe('raw ipcMain / ipcRenderer only in electron/ipc.ts and electron/preload.ts', () => {
  it('reports them anywhere else in electron/', async () => {
    const m = byRule(
      await lint(
        'electron/window.ts',
        "import { ipcMain, ipcRenderer } from 'electron';\nexport const v = [ipcMain, ipcRenderer];\n",
      ),
      RESTRICTED_IMPORTS,
    );
    expect(m).toHaveLength(2);
    expect(m[0]!.message).toMatch(/Raw IPC lives only in electron\/ipc\.ts/);
  });

  it('allows them in the two files that own IPC, and other electron APIs in electron/', async () => {
    expect(await lint('electron/ipc.ts', "import { ipcMain } from 'electron';\nexport const v = ipcMain;\n")).toEqual(
      [],
    );
    expect(
      await lint('electron/preload.ts', "import { ipcRenderer } from 'electron';\nexport const v = ipcRenderer;\n"),
    ).toEqual([]);
    expect(
      await lint('electron/window.ts', "import { BrowserWindow } from 'electron';\nexport const v = BrowserWindow;\n"),
    ).toEqual([]);
  });
});

describe('renderer/** never imports electron/** or Node', () => {
  it('reports node:fs and a bare builtin', async () => {
    const code = "import fs from 'node:fs';\nimport path from 'path';\nexport const v = [fs, path];\n";
    const m = byRule(await lint('renderer/features/probe/probe.ts', code), RESTRICTED_IMPORTS);
    expect(m.map((x) => x.line)).toEqual([1, 2]);
    expect(m[0]!.message).toMatch(/renderer\/\*\* runs sandboxed/);
  });

  it('reports a file under electron/', async () => {
    const m = byRule(
      await lint(
        'renderer/features/probe/probe.ts',
        "import { writeFileAtomic } from '../../../electron/services/fs/atomic';\nexport const v = writeFileAtomic;\n",
      ),
      RESTRICTED_PATHS,
    );
    expect(m).toHaveLength(1);
    expect(m[0]!.message).toMatch(/renderer\/\*\* never imports electron\/\*\*/);
  });

  it('reports the electron package and raw ipcRenderer', async () => {
    const m = byRule(
      await lint(
        'renderer/features/probe/probe.ts',
        "import { ipcRenderer } from 'electron';\nexport const v = ipcRenderer;\n",
      ),
      RESTRICTED_IMPORTS,
    );
    expect(m.length).toBeGreaterThan(0);
    expect(m[0]!.message).toMatch(/renderer\/\*\* never imports electron|Raw IPC/);
  });

  it('allows React, its own store and shared/', async () => {
    const code = [
      "import { useState } from 'react';",
      "import { client } from '../../app/client';",
      "import { INVOKE_CHANNELS } from '../../../shared/ipc/channels';",
      'export const v = [useState, client, INVOKE_CHANNELS];',
      '',
    ].join('\n');
    expect(await lint('renderer/features/probe/probe.ts', code)).toEqual([]);
  });
});

describe('a renderer feature imports no other feature’s component', () => {
  it('reports another feature’s component file, and a component inside one of its folders', async () => {
    const code = [
      "import { JobCard } from '../results/JobCard';",
      "import { CompareView } from '../compare/CompareView';",
      "import { Filmstrip } from '../results/stage/Filmstrip';",
      'export const v = [JobCard, CompareView, Filmstrip];',
      '',
    ].join('\n');
    const m = byRule(await lint('renderer/features/gallery/probe.tsx', code), RESTRICTED_PATHS);
    expect(m.map((x) => x.line)).toEqual([1, 2, 3]);
    expect(m[0]!.message).toMatch(/renderer\/features\/gallery\/ does not import another feature's component/);
  });

  it('allows its own components, renderer/components/, other features’ stores and logic, and the offered views', async () => {
    const code = [
      "import { RunDetail } from './RunDetail';",
      "import { KeepButton } from '../../components/KeepButton';",
      "import { useJobs } from '../results/jobs-store';",
      "import { noteRuns } from '../results/keep';",
      "import { RevealButton } from '../library/RevealButton';",
      "import { ExportButton } from '../export';",
      'export const v = [RunDetail, KeepButton, useJobs, noteRuns, RevealButton, ExportButton];',
      '',
    ].join('\n');
    expect(byRule(await lint('renderer/features/gallery/probe.tsx', code), RESTRICTED_PATHS)).toEqual([]);
  });
});

describe('shared/** imports nothing outside shared/ (zod is fine)', () => {
  it('reports electron/, renderer/ and assets/', async () => {
    const code = [
      "import { writeFileAtomic } from '../electron/services/fs/atomic';",
      "import { client } from '../renderer/app/client';",
      "import packs from '../assets/packs/brand-photoshoot.json';",
      'export const v = [writeFileAtomic, client, packs];',
      '',
    ].join('\n');
    const m = byRule(await lint('shared/probe.ts', code), RESTRICTED_PATHS);
    expect(m.map((x) => x.line)).toEqual([1, 2, 3]);
    expect(m[0]!.message).toMatch(/shared\/\*\* imports nothing outside shared\//);
  });

  it('reports Node, electron and any package but zod', async () => {
    const code =
      "import fs from 'node:fs';\nimport { app } from 'electron';\nimport sharp from 'sharp';\nexport const v = [fs, app, sharp];\n";
    const m = byRule(await lint('shared/probe.ts', code), RESTRICTED_IMPORTS);
    expect(m.map((x) => x.line)).toEqual([1, 2, 3]);
    expect(m[0]!.message).toMatch(/no Node, no Electron, no package but zod/);
  });

  it('allows zod and shared/ itself', async () => {
    const code =
      "import { z } from 'zod';\nimport { INVOKE_CHANNELS } from './ipc/channels';\nexport const v = [z, INVOKE_CHANNELS];\n";
    expect(await lint('shared/probe.ts', code)).toEqual([]);
  });
});

describe('import cycles', () => {
  it('are errors (the two-file cycle in test/fixtures/lint/)', async () => {
    const results = await eslint.lintFiles(['test/fixtures/lint/cycle-a.ts', 'test/fixtures/lint/cycle-b.ts']);
    for (const r of results) {
      const m = byRule(r.messages, 'import-x/no-cycle');
      expect(m, r.filePath).toHaveLength(1);
      expect(m[0]!.severity).toBe(2);
    }
  });
});
