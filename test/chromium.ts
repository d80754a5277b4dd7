/**
 * Debian's Chromium as the tests and benchmarks launch it (Playwright never downloads a browser
 * here). Without the background-networking switches Chromium keeps trying hosts this machine
 * cannot reach (only the npm and Debian registries are reachable on the CI machines).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
