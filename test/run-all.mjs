#!/usr/bin/env node
// `npm test`: typecheck → lint → format check → build → unit tests (Vitest) → end-to-end tests
// (Playwright in Chromium), then one closing line "N passed, N failed, N skipped". Exits non-zero
// if anything failed; a failed check step counts as one failure in that line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';

const out = '.ci-out';
mkdirSync(out, { recursive: true });
const t0 = Date.now();
const failures = [];

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name} (t+${Math.round((Date.now() - t0) / 1000)}s)`);
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: process.platform === 'win32',
  });
  if (r.status !== 0) failures.push(name);
  return r.status === 0;
}

const readJson = (f) => {
  try {
    return JSON.parse(readFileSync(f, 'utf8'));
  } catch {
    return null;
  }
};

const typed =
  step('typecheck (node)', 'npx', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']) &
  step('typecheck (web)', 'npx', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']);
// ESLint (eslint.config.mjs: the layer rules, import cycles, the base set). The cache speeds up a
// developer's repeated runs; CI lints every file afresh (a cached file is not re-checked for a
// cycle that a change elsewhere removed).
const lintCache = process.env.CI ? [] : ['--cache', '--cache-location', 'node_modules/.cache/eslint/'];
step('lint (ESLint)', 'npx', ['eslint', '--max-warnings=0', ...lintCache, '.']);
// Prettier checks only once the codebase has been formatted in one go: package.json
// "prettier-enforced": true (then `npm run format` once). Until then the step says so and passes.
const pkg = readJson('package.json') ?? {};
const prettierConfig = readdirSync('.').some((f) => f.startsWith('.prettierrc'));
if (prettierConfig && pkg['prettier-enforced'] === true)
  step('format (Prettier --check)', 'npx', ['prettier', '--check', '.']);
else
  console.log(
    `\n=== format: not enforced (${prettierConfig ? 'package.json "prettier-enforced" is not true' : 'no .prettierrc'}); \`npm run format:check\` runs it by hand`,
  );
const built = step('build (main, preload, renderer)', 'npx', ['vite', 'build', '--logLevel', 'warn']);
if (built) {
  // sharp must stay external to the main bundle (Vite 8 silently bundles it with rollupOptions).
  const main = existsSync('dist-electron/main.js') ? readFileSync('dist-electron/main.js', 'utf8') : '';
  const preload = existsSync('dist-electron/preload.cjs') ? readFileSync('dist-electron/preload.cjs', 'utf8') : '';
  if (!/from ["']sharp["']|import\(["']sharp["']\)|require\(["']sharp["']\)/.test(main))
    failures.push('sharp was bundled into dist-electron/main.js');
  if (!preload.includes('require("electron")') && !preload.includes("require('electron')"))
    failures.push('preload is not a CommonJS bundle');
  if (/\bzod\b/.test(preload) && preload.length > 50_000) failures.push('preload bundle pulled in zod');
  // The built-in model schema (shared/model/sseelfie-ai.openapi.json) ships inside the bundle, not as a file.
  if (!main.includes('Prompt for generated image'))
    failures.push('the built-in model schema is not in dist-electron/main.js');
}
step('build (renderer for the browser tests: --mode web)', 'npx', [
  'vite',
  'build',
  '--mode',
  'web',
  '--logLevel',
  'warn',
]);

step('unit tests (Vitest)', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${out}/vitest.json`,
]);
step('end-to-end tests (Playwright, Chromium)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/e2e.json`,
});

const v = readJson(`${out}/vitest.json`);
const p = readJson(`${out}/e2e.json`);
const unit = v
  ? { pass: v.numPassedTests, fail: v.numFailedTests, skip: (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0) }
  : { pass: 0, fail: 1, skip: 0 };
const e2e = p
  ? { pass: p.stats.expected + (p.stats.flaky ?? 0), fail: p.stats.unexpected, skip: p.stats.skipped }
  : { pass: 0, fail: 1, skip: 0 };
const checks = failures.filter((f) => !f.startsWith('unit tests') && !f.startsWith('end-to-end')).length;
console.log(`\nunit: ${unit.pass} passed, ${unit.fail} failed, ${unit.skip} skipped`);
console.log(`e2e: ${e2e.pass} passed, ${e2e.fail} failed, ${e2e.skip} skipped`);
if (failures.length) console.log(`failed steps: ${failures.join('; ')}`);
console.log(`total wall: ${Math.round((Date.now() - t0) / 1000)}s`);
console.log(`${unit.pass + e2e.pass} passed, ${unit.fail + e2e.fail + checks} failed, ${unit.skip + e2e.skip} skipped`);
void typed;
process.exit(failures.length || unit.fail || e2e.fail ? 1 : 0);
