/**
 * `npm run cli -- train`: trains your own model from a folder of selfies, through the same
 * TrainingService as the app, and waits for it. `resumeTrainings` is what `resume` adds for
 * trainings. Exit codes: 0 trained, 1 the training failed or was canceled, 2 invalid input
 * (nothing was sent: e.g. fewer than 10 usable photos, with the reasons).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StudioError, toErrorShape } from '../../shared/errors';
import type { TrainingViewT } from '../../shared/ipc/contract';
import { coerceValue } from '../../shared/model/validate';
import { DEFAULT_TRAINER, QUALITY_PRESET_NAMES, type QualityPreset } from '../../shared/training/training';
import type { CliIo } from '../cli-core';
import { defaultLibrary } from './library-dir';
import { ImagePipeline } from '../services/images/image-pipeline';
import { LibraryLock } from '../services/library/library-lock';
import { Library } from '../services/library/library';
import { ReplicateGateway } from '../services/replicate/gateway';
import { ModelRegistry } from '../services/replicate/model-registry';
import { TrainingPrices } from '../services/training/prices';
import { TrainedModels } from '../services/training/trained-models';
import { TrainingJournal } from '../services/training/training-journal';
import { TrainingService } from '../services/training/training-service';
import { FallbackSetChecker, type TrainingSetChecker } from '../services/training/training-set-checker';
import { replicateEnv } from './replicate-env';

export const TRAIN_USAGE = `  npm run cli -- train --images DIR --name [owner/]model --trigger WORD [--trainer owner/name] [--preset quick|balanced|best]
                       [--include-flagged] [--set key=value ...] [--library DIR] [--json]
      checks the photos in DIR (a caption for photo.jpg may sit beside it as photo.txt), zips the ok ones
      (exit 2 with the reasons when fewer than 10 are ok; --include-flagged trains on every readable photo),
      creates the private model if it is missing, trains, waits; --json prints
      {"trainingId","status","model","version","triggerWord","predictTime","files"}`;

const PHOTO_EXT = /\.(jpe?g|png|heic|heif|webp|avif|tiff?)$/i;

export interface TrainCliOptions {
  /** the set check (the set-check service once merged); the decodable + 512 px fallback otherwise */
  checker?: TrainingSetChecker;
}

/** The service over a library, as the app builds it (app-services.ts makeTraining). */
export function trainingServiceFor(o: {
  gateway: ReplicateGateway;
  registry: ModelRegistry;
  libraryDir: string;
  io: CliIo;
  checker?: TrainingSetChecker;
  onChange?: (v: TrainingViewT) => void;
}): TrainingService {
  const appDir = path.join(o.libraryDir, '.sseelfie');
  const pipeline = new ImagePipeline();
  return new TrainingService({
    gateway: o.gateway,
    registry: o.registry,
    journal: new TrainingJournal(path.join(appDir, 'trainings')),
    trained: new TrainedModels(path.join(appDir, 'trained-models.json')),
    prices: new TrainingPrices(path.join(appDir, 'training-prices.json')),
    checker: o.checker ?? new FallbackSetChecker(pipeline),
    decode: (i) => pipeline.decode(i),
    ...(o.onChange ? { onChange: o.onChange } : {}),
    ...(o.io.engine?.pollMinMs !== undefined ? { pollMinMs: o.io.engine.pollMinMs } : {}),
    ...(o.io.engine?.pollMaxMs !== undefined ? { pollMaxMs: o.io.engine.pollMaxMs } : {}),
    ...(o.io.engine?.sleep ? { sleep: o.io.engine.sleep } : {}),
  });
}

function line(v: TrainingViewT): string {
  const p = v.progress;
  const cost = v.cost ? `  ${v.cost.estimated ? '~' : ''}$${v.cost.usd.toFixed(2)}` : '';
  const elapsed =
    v.elapsedSec !== undefined
      ? `  ${Math.floor(v.elapsedSec / 60)}m${String(v.elapsedSec % 60).padStart(2, '0')}s`
      : '';
  if (!p) return `${v.destination}  ${v.state}${v.status ? ` – ${v.status}` : ''}${elapsed}${cost}`;
  const width = 24;
  const filled = Math.round((p.percent / 100) * width);
  return `${v.destination}  [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] step ${p.step}/${p.total} ${p.percent}%${p.etaSec !== undefined ? ` ~${Math.ceil(p.etaSec / 60)} min left` : ''}${elapsed}${cost}`;
}

function result(v: TrainingViewT, files?: string[]) {
  return {
    trainingId: v.trainingId ?? null,
    status: v.state,
    model: v.destination,
    version: v.modelRef ? v.modelRef.split(':')[1]! : null,
    triggerWord: v.triggerWord,
    predictTime: v.predictTime ?? null,
    ...(files ? { files } : {}),
    ...(v.cost ? { cost: v.cost } : {}),
    ...(v.error ? { error: v.error } : {}),
  };
}

function say(io: CliIo, v: TrainingViewT): void {
  if (v.state === 'succeeded') {
    io.stdout(
      `Trained: ${v.modelRef}\n  trigger word ${v.triggerWord}: put it in your prompts, e.g. "a photo of ${v.triggerWord} at a desk"\n  use it: npm run cli -- generate --model ${v.modelRef} --prompt "${v.triggerWord} …"\n${v.predictTime !== undefined ? `  ran ${Math.round(v.predictTime)} s on Replicate${v.cost ? `, about $${v.cost.usd.toFixed(2)} (prices of ${v.cost.priceAsOf})` : ''}\n` : ''}`,
    );
  } else {
    io.stdout(`${v.state}: ${v.destination}${v.trainingId ? ` (training ${v.trainingId})` : ''}\n`);
  }
  if (v.error) io.stderr(`${v.error.message}\n`);
}

/** Continues the trainings a killed process left; used by `resume`. */
export async function resumeTrainings(o: {
  gateway: ReplicateGateway;
  registry: ModelRegistry;
  libraryDir: string;
  io: CliIo;
  json: boolean;
}): Promise<{ count: number; code: number }> {
  const service = trainingServiceFor(o);
  const resumed = await service.resume();
  if (!resumed.length) return { count: 0, code: 0 };
  await service.idle();
  const finals = await Promise.all(resumed.map((v) => service.wait(v.id)));
  if (o.json) o.io.stdout(JSON.stringify({ trainings: finals.map((v) => result(v)) }) + '\n');
  else for (const v of finals) say(o.io, v);
  return { count: finals.length, code: finals.every((v) => v.state === 'succeeded') ? 0 : 1 };
}

export async function runTrain(args: string[], io: CliIo, opts: TrainCliOptions = {}): Promise<number> {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        images: { type: 'string' },
        name: { type: 'string' },
        trigger: { type: 'string' },
        trainer: { type: 'string' },
        preset: { type: 'string' },
        'include-flagged': { type: 'boolean', default: false },
        set: { type: 'string', multiple: true },
        library: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.stderr(`${(e as Error).message}\n\nUsage:\n${TRAIN_USAGE}\n`);
    return 2;
  }
  const missing = ['images', 'name', 'trigger'].filter((k) => !values[k]);
  if (missing.length) {
    io.stderr(`train needs ${missing.map((k) => `--${k}`).join(', ')}.\n\nUsage:\n${TRAIN_USAGE}\n`);
    return 2;
  }
  const preset = values.preset as string | undefined;
  if (preset !== undefined && !QUALITY_PRESET_NAMES.includes(preset as QualityPreset)) {
    io.stderr(`--preset ${preset}: use ${QUALITY_PRESET_NAMES.join(', ')}.\n`);
    return 2;
  }
  const json = values.json === true;
  const access = replicateEnv(io);
  if (!access) return 2;
  const { token, baseUrl } = access;
  const dir = path.resolve(values.images as string);
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => !n.startsWith('.') && PHOTO_EXT.test(n)).sort();
  } catch (e) {
    io.stderr(
      `--images ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message}.\n`,
    );
    return 2;
  }
  const photos: Array<{ file: string; caption?: string }> = [];
  for (const n of names) {
    const file = path.join(dir, n);
    const caption = await fs.readFile(path.join(dir, n.replace(/\.[^.]+$/, '.txt')), 'utf8').catch(() => null);
    photos.push(caption?.trim() ? { file, caption: caption.trim() } : { file });
  }

  const libraryDir = path.resolve((values.library as string | undefined) ?? (await defaultLibrary(io)));
  const library = new Library(libraryDir);
  const gateway = new ReplicateGateway({
    fetch: io.fetch ?? fetch,
    baseUrl: () => baseUrl,
    token: async () => token,
    userAgent: 'sseelfie-studio-cli',
    ...(io.engine?.sleep ? { sleep: io.engine.sleep } : {}),
  });
  gateway.connectivity.onChange((c) =>
    io.stderr(
      `${io.isTTY && !json ? '\n' : ''}${c.online ? 'Back online: continuing.' : 'Offline: the training continues when the connection returns.'}\n`,
    ),
  );
  const registry = new ModelRegistry(gateway, path.join(libraryDir, '.sseelfie', 'models.json'));
  let last = '';
  const service = trainingServiceFor({
    gateway,
    registry,
    libraryDir,
    io,
    ...(opts.checker ? { checker: opts.checker } : {}),
    onChange: (v) => {
      if (!io.isTTY || json) return;
      const l = line(v);
      if (l !== last) io.stderr(`\r\x1b[2K${l}`);
      last = l;
    },
  });
  const lock = LibraryLock.for(library.appDir, 'the Sseelfie CLI');
  try {
    await library.ensure();
    await lock.acquire();
  } catch (e) {
    io.stderr(`${toErrorShape(e).message}\n`);
    return 1;
  }
  try {
    const trainerRef = (values.trainer as string | undefined) ?? DEFAULT_TRAINER;
    const input: Record<string, unknown> = {};
    const sets = (values.set as string[] | undefined) ?? [];
    if (sets.length) {
      const trainer = await service.trainers.get(trainerRef);
      for (const s of sets) {
        const eq = s.indexOf('=');
        if (eq <= 0) {
          io.stderr(`--set ${s}: use key=value.\n`);
          return 2;
        }
        const key = s.slice(0, eq);
        const field = trainer.schema.fields.find((f) => f.name === key);
        input[key] = field ? coerceValue(field, s.slice(eq + 1)) : s.slice(eq + 1);
      }
    }
    let started: TrainingViewT;
    try {
      started = await service.start({
        photos,
        name: values.name as string,
        triggerWord: values.trigger as string,
        trainer: trainerRef,
        ...(preset ? { preset: preset as QualityPreset } : {}),
        input,
        ...(values['include-flagged'] ? { includeFlagged: true } : {}),
      });
    } catch (e) {
      const shape = toErrorShape(e);
      io.stderr(`${shape.message}\n`);
      for (const f of shape.fields ?? [])
        if (path.isAbsolute(f.field)) io.stderr(`  ${path.basename(f.field)}: ${f.message}\n`);
      if (shape.code === 'invalid_input' && !shape.fields?.some((f) => path.isAbsolute(f.field)))
        for (const f of shape.fields ?? []) io.stderr(`  ${f.field}: ${f.message}\n`);
      return shape.code === 'invalid_input' ? 2 : 1;
    }
    const final = await service.wait(started.id);
    if (io.isTTY && !json) io.stderr('\n');
    const rec = (await new TrainingJournal(path.join(libraryDir, '.sseelfie', 'trainings')).all()).find(
      (r) => r.id === started.id,
    );
    const files = rec?.request.photos.map((p) => p.file);
    if (json) {
      io.stdout(JSON.stringify(result(final, files)) + '\n');
      if (final.error) io.stderr(`${final.error.message}\n`);
    } else say(io, final);
    return final.state === 'succeeded' ? 0 : 1;
  } catch (e) {
    io.stderr(`${e instanceof StudioError ? e.message : toErrorShape(e).message}\n`);
    return 1;
  } finally {
    await lock.release();
  }
}
