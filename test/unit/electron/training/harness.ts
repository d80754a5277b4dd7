/** A TrainingService wired to the simulator the way app-services and the CLI wire it. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ReplicateGateway } from '../../../../electron/services/replicate/gateway';
import { ModelRegistry } from '../../../../electron/services/replicate/model-registry';
import { ImagePipeline } from '../../../../electron/services/images/image-pipeline';
import { TrainingService, type TrainingServiceOptions } from '../../../../electron/services/training/training-service';
import { TrainingJournal } from '../../../../electron/services/training/training-journal';
import { TrainedModels } from '../../../../electron/services/training/trained-models';
import { TrainingPrices } from '../../../../electron/services/training/prices';
import { FallbackSetChecker } from '../../../../electron/services/training/training-set-checker';
import { startSimulator, type SimOptions, type Simulator } from '../../../sim/server';
import { tmpDir } from '../jobs/harness';

export const quickSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    setTimeout(resolve, Math.min(ms, 5));
  });

export function trainingSim(opts: SimOptions = {}): Promise<Simulator> {
  return startSimulator({
    seed: 3,
    timing: { bootMs: 0, stepMs: 1 },
    trainingTiming: { bootMs: 20, stepMs: 1, setupMs: 20 },
    ...opts,
  });
}

/** `n` JPEG selfies of `side` px in a fresh folder (distinct colours, so distinct files). */
export async function photos(n: number, side = 640, dir = tmpDir('sseelfie-photos-')): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const f = path.join(dir, `selfie-${i}.jpg`);
    await sharp({
      create: {
        width: side,
        height: Math.round(side * 1.25),
        channels: 3,
        background: { r: (i * 37) % 255, g: 120, b: 200 - i },
      },
    })
      .jpeg()
      .toFile(f);
    out.push(f);
  }
  return out;
}

export interface TrainingRig {
  service: TrainingService;
  gateway: ReplicateGateway;
  registry: ModelRegistry;
  library: string;
  views: Array<{ state: string; percent?: number }>;
}

export function trainingRig(
  s: Simulator,
  opts: { library?: string; service?: Partial<TrainingServiceOptions> } = {},
): TrainingRig {
  const library = opts.library ?? tmpDir('sseelfie-train-lib-');
  const appDir = path.join(library, '.sseelfie');
  const gateway = new ReplicateGateway({
    fetch,
    baseUrl: () => s.baseUrl,
    token: async () => s.token,
    sleep: quickSleep,
  });
  const registry = new ModelRegistry(gateway, path.join(appDir, 'models.json'));
  const pipeline = new ImagePipeline();
  const views: TrainingRig['views'] = [];
  const service = new TrainingService({
    gateway,
    registry,
    journal: new TrainingJournal(path.join(appDir, 'trainings')),
    trained: new TrainedModels(path.join(appDir, 'trained-models.json')),
    prices: new TrainingPrices(path.join(appDir, 'training-prices.json')),
    checker: new FallbackSetChecker(pipeline),
    decode: (i) => pipeline.decode(i),
    sleep: quickSleep,
    pollMinMs: 5,
    pollMaxMs: 20,
    onChange: (v) => views.push({ state: v.state, ...(v.progress ? { percent: v.progress.percent } : {}) }),
    ...opts.service,
  });
  return { service, gateway, registry, library, views };
}
