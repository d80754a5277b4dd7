/** Builds a JobEngine wired to the Replicate simulator, the way app-services and the CLI do. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type FaultRule, type SimOptions, type Simulator } from '../../../sim/server';
import { ReplicateGateway, type GatewayOptions } from '../../../../electron/services/replicate/gateway';
import { ModelRegistry } from '../../../../electron/services/replicate/model-registry';
import { JobEngine, type EngineOptions } from '../../../../electron/services/jobs/job-engine';
import { UploadCache } from '../../../../electron/services/jobs/upload-cache';
import { Library } from '../../../../electron/services/library/library';
import { defaultImageOps } from '../../../../electron/app-services';
import type { JobRecord } from '../../../../electron/services/jobs/journal';

export const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures');

export function tmpDir(prefix = 'sseelfie-engine-') {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function sim(opts: SimOptions = {}): Promise<Simulator> {
  return startSimulator({ seed: 7, timing: { bootMs: 0, stepMs: 1 }, ...opts });
}

/**
 * A simulator with these faults that the test file closes after each test: call
 * `closeSimsAfterEach(afterEach)` once at the top of the file.
 */
const openSims: Simulator[] = [];
export async function simWith(faults: FaultRule[] = [], opts: SimOptions = {}): Promise<Simulator> {
  const x = await sim({ faults, ...opts });
  openSims.push(x);
  return x;
}
export function closeSimsAfterEach(afterEach: (fn: () => Promise<void>) => void): void {
  afterEach(async () => {
    await Promise.all(openSims.splice(0).map((x) => x.close()));
  });
}

export interface Rig {
  engine: JobEngine;
  library: Library;
  gateway: ReplicateGateway;
  uploads: UploadCache;
  changes: string[];
  root: string;
}

/** Fast sleeps: the simulator runs on its own clock, the engine need not wait for real. */
const quickSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    setTimeout(resolve, Math.min(ms, 5));
  });

export function rig(
  s: Simulator,
  opts: {
    root?: string;
    rescueDir?: string;
    afterJournal?: (r: JobRecord) => void | Promise<void>;
    now?: () => number;
    engine?: Partial<EngineOptions>;
    gateway?: Partial<GatewayOptions>;
  } = {},
): Rig {
  const root = opts.root ?? tmpDir();
  const gateway = new ReplicateGateway({
    fetch,
    baseUrl: () => s.baseUrl,
    token: async () => s.token,
    sleep: quickSleep,
    ...opts.gateway,
  });
  const library = new Library(path.join(root, 'library'));
  const uploads = new UploadCache(gateway, UploadCache.fileIn(library.appDir), () => 60 * 60_000, opts.now);
  const changes: string[] = [];
  const engine = new JobEngine({
    gateway,
    registry: new ModelRegistry(gateway, path.join(root, 'models.json')),
    library,
    uploads,
    images: defaultImageOps(),
    rescueDir: opts.rescueDir ?? path.join(root, 'rescued'),
    sleep: quickSleep,
    pollMinMs: 5,
    pollMaxMs: 20,
    onChange: (j) => changes.push(j.state),
    afterJournal: opts.afterJournal,
    ...(opts.now ? { now: opts.now } : {}),
    ...opts.engine,
  });
  return { engine, library, gateway, uploads, changes, root };
}

export { CARD_EXAMPLE } from '../../../fixtures/model-card';
