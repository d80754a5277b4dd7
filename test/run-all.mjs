#!/usr/bin/env node
// `npm test`: typecheck → build → unit tests (Vitest) → end-to-end tests (Playwright in Chromium),
// then one closing line "N passed, N failed, N skipped". Exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const out = '.ci-out';
mkdirSync(out, { recursive: true });
const t0 = Date.now();
const failures = [];

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name} (t+${Math.round((Date.now() - t0) / 1000)}s)`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env }, shell: process.platform === 'win32' });
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

const typed = step('typecheck (node)', 'npx', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']) &
  step('typecheck (web)', 'npx', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']);
const built = step('build (main, preload, renderer)', 'npx', ['vite', 'build', '--logLevel', 'warn']);
if (built) {
  // sharp must stay external to the main bundle (Vite 8 silently bundles it with rollupOptions).
  const main = existsSync('dist-electron/main.js') ? readFileSync('dist-electron/main.js', 'utf8') : '';
  const preload = existsSync('dist-electron/preload.cjs') ? readFileSync('dist-electron/preload.cjs', 'utf8') : '';
  if (!/from ["']sharp["']|import\(["']sharp["']\)|require\(["']sharp["']\)/.test(main)) failures.push('sharp was bundled into dist-electron/main.js');
  if (!preload.includes('require("electron")') && !preload.includes("require('electron')")) failures.push('preload is not a CommonJS bundle');
  if (/\bzod\b/.test(preload) && preload.length > 50_000) failures.push('preload bundle pulled in zod');
}
step('build (renderer for the browser tests: --mode web)', 'npx', ['vite', 'build', '--mode', 'web', '--logLevel', 'warn']);

step('unit tests (Vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}/vitest.json`]);
step('end-to-end tests (Playwright, Chromium)', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/e2e.json` });

const v = readJson(`${out}/vitest.json`);
const p = readJson(`${out}/e2e.json`);
const unit = v ? { pass: v.numPassedTests, fail: v.numFailedTests, skip: (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0) } : { pass: 0, fail: 1, skip: 0 };
const e2e = p ? { pass: p.stats.expected + (p.stats.flaky ?? 0), fail: p.stats.unexpected, skip: p.stats.skipped } : { pass: 0, fail: 1, skip: 0 };
const checks = failures.filter((f) => !f.startsWith('unit tests') && !f.startsWith('end-to-end')).length;
console.log(`\nunit: ${unit.pass} passed, ${unit.fail} failed, ${unit.skip} skipped`);
console.log(`e2e: ${e2e.pass} passed, ${e2e.fail} failed, ${e2e.skip} skipped`);
if (failures.length) console.log(`failed steps: ${failures.join('; ')}`);
console.log(`total wall: ${Math.round((Date.now() - t0) / 1000)}s`);
console.log(`${unit.pass + e2e.pass} passed, ${unit.fail + e2e.fail + checks} failed, ${unit.skip + e2e.skip} skipped`);
void typed;
process.exit(failures.length || unit.fail || e2e.fail ? 1 : 0);
