/**
 * The Playwright stand-in for electron/preload.ts: the real renderer in Chromium talks to the REAL
 * main-side handlers (`createAppServices` + `dispatch`, the same validation the app runs), with
 * the Replicate simulator behind them. Only the transport differs:
 *  - invoke: `page.exposeBinding('__studioInvoke')` → `dispatch(handlers, channel, arg)`;
 *  - events: `emit` in Node → `page.evaluate(window.__studioEmit(channel, payload))`, in order;
 *  - images: `assetBase = '/__asset/'`, served by `page.route` → `serveAsset(id)`.
 * HEIC is decoded by the pool of worker threads running the BUILT dist-electron/heic-worker.js,
 * as main.ts wires it (`npm test` builds main before the browser tests).
 * `window.studio` is built by `installStudioBridge` from INVOKE_CHANNELS/EVENT_CHANNELS exactly like
 * the preload builds it; `bridgeKeys()` runs that same function for the lead's parity test.
 * Only JSON values and Uint8Array cross (environment.md §3: Buffer/ArrayBuffer do not survive).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EventChannel, InvokeChannel } from '../../shared/ipc/channels';
import { eventContract, type Result } from '../../shared/ipc/contract';
import { dispatch } from '../../electron/ipc-dispatch';
import type { AppServices } from '../../electron/app-services';
import { MemoryCipher } from '../../electron/services/settings/token-vault';
import { createHeicWorkerDecoder } from '../../electron/services/images/heic-worker-decoder';
import { startSimulator, type Simulator, type TrainingTiming } from '../sim/server';
import { ASSET_BASE, bridgeConfig, installStudioBridge } from './bridge-api';

export { ASSET_BASE, bridgeConfig, bridgeKeys, installStudioBridge, type BridgeConfig } from './bridge-api';

async function loadAppServices(): Promise<typeof import('../../electron/app-services')> {
  return import('../../electron/app-services');
}

/** the token the simulator accepts, and the account it belongs to */
export const GOOD_TOKEN = 'r8_e2e_good_token_0123456789';
export const ACCOUNT = { username: 'ada', name: 'Ada Lovelace' };

export interface BridgeOptions {
  /** point the app at the simulator before the page loads (default true) */
  seedApiBase: boolean;
  /** a token to store before the page loads (default none: first start) */
  seedToken: string | null;
  /** the simulator's clock: cold start and per-step time (default instant) */
  simTiming: { bootMs: number; stepMs: number };
  /** how long the simulator's trainings take (default test/sim/trainings.ts's: 300 ms boot, 4 ms a step) */
  simTrainingTiming: TrainingTiming | undefined;
}

export interface StudioBridge {
  services: AppServices;
  sim: Simulator;
  userDataDir: string;
  libraryDir: string;
  /** channels the page invoked, in order (arguments of token:set are redacted) */
  calls: Array<{ channel: string; arg: unknown }>;
  /** uncaught errors and console errors in the page (a finished app has none) */
  pageErrors: string[];
  /** URLs the app asked the OS to open */
  opened: string[];
  /** what the next "Change…" folder picker returns (null: canceled) */
  nextDirectory: string | null;
  /** calls a handler the way the page would (through the contract) */
  invoke<C extends InvokeChannel>(channel: C, arg?: unknown): Promise<Result<unknown>>;
  /** waits until every event sent so far reached the page */
  flushEvents(): Promise<void>;
  /** HEICs the worker pool decoded (those it declined fell back to main's own thread) */
  heicByWorkers: number;
  /** API hosts main asked the person to confirm sending the token to */
  confirmedHosts: string[];
  /** the system trash of the test: what main's trashItem moved there (named `<n>-<name>`) */
  trashDir: string;
  /** what the next "open an image" dialog returns (restore settings from a file; null: canceled) */
  nextImageFile: string | null;
  /** PNGs the app put on the (test) clipboard */
  clipboard: Uint8Array[];
  /** native drags main started: the file dragged out of the window */
  drags: string[];
}

const HEIC_WORKER = new URL('../../dist-electron/heic-worker.js', import.meta.url);
/** the training-set face check, built like the app ships it (main.ts wires the same file) */
const SET_CHECK_WORKER = new URL('../../dist-electron/set-check-worker.js', import.meta.url);

export const test = base.extend<BridgeOptions & { bridge: StudioBridge }>({
  seedApiBase: [true, { option: true }],
  seedToken: [null, { option: true }],
  simTiming: [{ bootMs: 0, stepMs: 1 }, { option: true }],
  simTrainingTiming: [undefined, { option: true }],
  bridge: [
    async ({ page, seedApiBase, seedToken, simTiming, simTrainingTiming }, use) => {
      const root = await mkdtemp(path.join(tmpdir(), 'sseelfie-e2e-'));
      const sim = await startSimulator({
        timing: simTiming,
        ...(simTrainingTiming ? { trainingTiming: simTrainingTiming } : {}),
        seed: 7,
        tokens: { [GOOD_TOKEN]: ACCOUNT },
      });
      let events: Promise<unknown> = Promise.resolve();
      let pageGone = false;
      page.on('close', () => {
        pageGone = true;
      });
      page.on('pageerror', (e) => bridge.pageErrors.push(`${e.name}: ${e.message}\n${e.stack ?? ''}`));
      page.on('console', (m) => {
        if (m.type() === 'error') bridge.pageErrors.push(`console: ${m.text()}`);
      });
      const emitToPage = (channel: EventChannel, payload: unknown) => {
        // The same check main's event sender makes (electron/ipc.ts createEventSender).
        const parsed = eventContract[channel].parse(payload);
        events = events
          .then(() =>
            pageGone
              ? undefined
              : page.evaluate(
                  ([c, p]) =>
                    (globalThis as unknown as { __studioEmit?: (c: string, p: unknown) => void }).__studioEmit?.(c, p),
                  [channel, parsed] as const,
                ),
          )
          .catch(() => undefined); // page navigating or closed: the event is dropped, as in Electron
      };
      const bridge = {
        sim,
        userDataDir: path.join(root, 'userData'),
        libraryDir: path.join(root, 'library'),
        trashDir: path.join(root, 'trash'),
        calls: [],
        pageErrors: [],
        opened: [],
        nextDirectory: null,
      } as unknown as StudioBridge;
      if (!existsSync(HEIC_WORKER))
        throw new Error(
          'dist-electron/heic-worker.js is missing: run `npm run build` (npm test does) before the browser tests',
        );
      if (!existsSync(SET_CHECK_WORKER))
        throw new Error(
          'dist-electron/set-check-worker.js is missing: run `npm run build` (npm test does) before the browser tests',
        );
      const heicPool = createHeicWorkerDecoder(HEIC_WORKER);
      bridge.heicByWorkers = 0;
      bridge.confirmedHosts = [];
      bridge.nextImageFile = null;
      bridge.clipboard = [];
      bridge.drags = [];
      const { createAppServices } = await loadAppServices();
      let trashed = 0;
      const services = await createAppServices({
        heicDecoder: Object.assign(
          async (bytes: Uint8Array, layout: Parameters<typeof heicPool>[1]) => {
            const r = await heicPool(bytes, layout);
            if (r) bridge.heicByWorkers++;
            return r;
          },
          { probe: (bytes: Uint8Array) => heicPool.probe(bytes) },
        ),
        setCheckWorker: SET_CHECK_WORKER,
        userDataDir: bridge.userDataDir,
        defaultLibraryDir: bridge.libraryDir,
        cipher: new MemoryCipher(),
        fetch,
        env: {},
        appVersion: '0.1.0-e2e',
        platform: process.platform,
        emit: (channel, payload) => emitToPage(channel, payload),
        openExternal: async (url) => {
          bridge.opened.push(url);
        },
        openPath: async (p) => {
          bridge.opened.push(p);
        },
        chooseDirectory: async () => bridge.nextDirectory,
        chooseImageFile: async () => bridge.nextImageFile,
        copyImageToClipboard: (png) => {
          bridge.clipboard.push(png);
        },
        startDrag: (_senderId, item) => {
          bridge.drags.push(item.file);
        },
        // main's native "Send your token to …?" dialog: the test plays the person and says yes
        confirmApiHost: async ({ host }) => {
          bridge.confirmedHosts.push(host);
          return true;
        },
        showItemInFolder: (p) => {
          bridge.opened.push(p);
        },
        // The system trash, played by a folder of the test (main.ts passes shell.trashItem).
        trashItem: async (p) => {
          await mkdir(bridge.trashDir, { recursive: true });
          await rename(p, path.join(bridge.trashDir, `${trashed++}-${path.basename(p)}`));
        },
        engine: { pollMinMs: 10, pollMaxMs: 50 },
      });
      bridge.services = services;
      bridge.invoke = (channel, arg) => dispatch(services.handlers, channel, arg);
      bridge.flushEvents = async () => {
        await events;
      };
      if (seedApiBase) {
        const r = await dispatch(services.handlers, 'settings:update', { apiBaseUrl: sim.baseUrl });
        if (!r.ok) throw new Error(`could not point the app at the simulator: ${r.error.message}`);
      }
      if (seedToken) {
        const r = await dispatch(services.handlers, 'token:set', { token: seedToken });
        if (!r.ok) throw new Error(`could not seed the token: ${r.error.message}`);
      }

      await page.exposeBinding('__studioInvoke', async (_source, channel: unknown, arg: unknown) => {
        bridge.calls.push({ channel: String(channel), arg: channel === 'token:set' ? '[redacted]' : arg });
        return dispatch(services.handlers, channel, arg);
      });
      await page.addInitScript(installStudioBridge, bridgeConfig());
      await page.route(`**${ASSET_BASE}**`, async (route) => {
        const url = new URL(route.request().url());
        const id = decodeURIComponent(url.pathname.slice(url.pathname.indexOf(ASSET_BASE) + ASSET_BASE.length));
        const res = await services.serveAsset(id);
        const headers: Record<string, string> = {};
        res.headers.forEach((v, k) => {
          headers[k] = v;
        });
        await route.fulfill({ status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) });
      });

      await use(bridge);

      pageGone = true;
      await events;
      // Let jobs the test started finish their writes (bounded: a test may leave one waiting).
      await Promise.race([services.engine().idle(), new Promise((r) => setTimeout(r, 5000))]);
      await services.dispose();
      await heicPool.close();
      await sim.close();
      // a job the test left running may still be writing its last file: rm retries ENOTEMPTY
      await rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      expect(bridge.pageErrors, 'errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

/** Waits for the app to finish its first load (splash gone). */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('.splash')).toHaveCount(0);
}

export { expect };

/**
 * Opens the run of the first gallery tile whose name starts with `“label` as a person does: the
 * pointer over the tile, then the "open the run" button that shows on it.
 */
export async function openRunOfTile(page: Page, label: string): Promise<void> {
  const tile = page.getByRole('gridcell', { name: new RegExp(`^“${label}`) }).first();
  await tile.hover();
  await tile.getByRole('button', { name: new RegExp(`^Open “${label}`) }).click();
}
