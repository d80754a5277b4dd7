/**
 * Builds every service and the IPC handler map, with no `electron` import: main.ts injects the
 * Electron adapters (safeStorage cipher, dialogs, shell, net.fetch); the Playwright bridge and the
 * unit tests inject plain ones. The same handlers serve the app and the tests.
 *
 * This is the composition root: it constructs the services and owns the library switch (the
 * services of the current library are replaced then). The handlers of each domain are in
 * ./handlers/, given a HandlerContext (./handlers/context.ts); what this is given is
 * AppServicesOptions (./app-options.ts).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../shared/errors';
import { ACTIVE_JOB_STATES } from '../shared/job-states';
import { apiBaseProblem } from '../shared/api-base';
import type { AppServicesOptions } from './app-options';
import type { Handlers } from './ipc-dispatch';
import { ReplicateGateway } from './services/replicate/gateway';
import { ModelRegistry } from './services/replicate/model-registry';
import { JobEngine } from './services/jobs/job-engine';
import { defaultImageOps } from './services/jobs/image-ops';
import { UploadCache } from './services/jobs/upload-cache';
import { Library } from './services/library/library';
import { LibraryLock } from './services/library/library-lock';
import { TrashQueue } from './services/library/trash-queue';
import { JsonFileStore } from './services/settings/kv';
import { SettingsService } from './services/settings/settings-service';
import { TokenVault } from './services/settings/token-vault';
import { Logger } from './services/log/logger';
import { ImagePipeline } from './services/images/image-pipeline';
import { onHeicTransformStatus } from './services/images/libheif-loader';
import { AssetServer } from './services/library/asset-server';
import { SelfieShelf } from './services/library/selfie-shelf';
import { PreviousLibrary } from './services/library/previous-library';
import { PromptMemory } from './services/settings/prompt-memory';
import { ExportService } from './services/export/export-service';
import { DetectorFaceLocator } from './services/export/detector-face-locator';
import { TrainingService } from './services/training/training-service';
import { TrainingJournal } from './services/training/training-journal';
import { TrainedModels } from './services/training/trained-models';
import { TrainingPrices } from './services/training/prices';
import { FallbackSetChecker, LocalSetChecker } from './services/training/training-set-checker';
import { ACTIVE_TRAINING_STATES } from '../shared/training/training';
import { firstPhotoRequest } from './services/training/first-photo';
import { AnalysisPool } from './services/training/set-check/analysis-pool';
import { TrainingSetChecker as LocalSetCheck } from './services/training/set-check/set-checker';
import { TrainingSets } from './services/training/training-set';
import type { HandlerContext } from './handlers/context';
import { appHandlers } from './handlers/app';
import { tokenSettingsHandlers } from './handlers/token-settings';
import { jobHandlers } from './handlers/jobs';
import { libraryHandlers } from './handlers/library';
import { selfieHandlers } from './handlers/selfies';
import { trainingSetHandlers } from './handlers/training-set';
import { promptHandlers } from './handlers/prompts';
import { exportHandlers } from './handlers/export';
import { trainingHandlers } from './handlers/training';

// Where these lived before the split; every importer of app-services keeps working.
export type { AppServicesOptions, Emit } from './app-options';
export { EXTERNAL_ALLOWLIST, isAllowedExternal } from './external-links';
export { defaultImageOps } from './services/jobs/image-ops';

export interface AppServices {
  handlers: Handlers;
  settings: SettingsService;
  vault: TokenVault;
  gateway: ReplicateGateway;
  logger: Logger;
  engine(): JobEngine;
  training(): TrainingService;
  library(): Library;
  trash(): TrashQueue;
  /** the training sets of the current library (the training service takes a set id from them) */
  trainingSets(): TrainingSets;
  serveAsset(assetId: string): Promise<Response>;
  dispose(): Promise<void>;
}

export async function createAppServices(o: AppServicesOptions): Promise<AppServices> {
  const env = o.env ?? {};
  await fs.mkdir(o.userDataDir, { recursive: true });
  const logger = new Logger(path.join(o.userDataDir, 'logs'));
  // Which HEIC inverse transform decodes (the fast one, or libheif's own and why): for a log a person can send.
  const stopHeicLog = onHeicTransformStatus((s) =>
    logger.write(
      s.transform === 'fast' ? 'info' : 'warn',
      `HEIC decoding: ${s.transform} inverse transform (${s.reason})`,
    ),
  );
  const opened = (o.openStore ?? JsonFileStore.open)(path.join(o.userDataDir, 'settings.json'));
  // REPLICATE_BASE_URL points this session elsewhere (the simulator); it is never saved.
  const envBase = env.REPLICATE_BASE_URL?.trim() || undefined;
  const envBaseProblem = envBase ? apiBaseProblem(envBase) : null;
  const settings = new SettingsService(
    opened.kv,
    o.defaultLibraryDir,
    opened.notice,
    envBase && !envBaseProblem ? { apiBaseUrl: envBase } : {},
  );
  if (opened.notice) logger.write('warn', 'settings file was damaged; backed up and reset');
  if (envBaseProblem) logger.write('warn', `REPLICATE_BASE_URL ignored: ${envBaseProblem}`);

  // The vault needs the gateway to validate tokens, and the gateway asks the vault for the token
  // (only when a call is made, by which time `vault` below exists).
  const gateway = new ReplicateGateway({
    fetch: o.fetch ?? fetch,
    baseUrl: () => settings.get().apiBaseUrl,
    token: async () => {
      const t = await vault.current();
      logger.addSecret(t);
      return t;
    },
    userAgent: `sseelfie-studio/${o.appVersion ?? 'dev'}`,
  });
  const accountAt = async (token: string, baseUrl: string) => {
    const a = await gateway.account({ token, baseUrl, attempts: 3 });
    return a.name ? { username: a.username, name: a.name } : { username: a.username };
  };
  const vault = new TokenVault(
    opened.kv,
    o.cipher,
    accountAt,
    env.REPLICATE_API_TOKEN || undefined,
    () => settings.get().apiBaseUrl,
  );

  const pipeline = new ImagePipeline(o.heicDecoder ? { heicDecoder: o.heicDecoder } : {});
  const images = o.images ?? defaultImageOps(pipeline);
  const prompts = new PromptMemory(opened.kv);
  const registry = new ModelRegistry(gateway, path.join(o.userDataDir, 'models.json'));

  let library = new Library(settings.libraryDir());
  let lock = LibraryLock.for(library.appDir, o.who ?? 'Sseelfie Studio');
  let engine = makeEngine(library);
  let training = makeTraining(library);
  let assets = new AssetServer(library, pipeline);
  let shelf = new SelfieShelf(library.root, pipeline);
  // the face model's workers start with the first check and exit when idle (analysis-pool.ts)
  let checkPool: AnalysisPool | null = null;
  const facePool = () => (o.setCheckWorker ? (checkPool ??= new AnalysisPool(o.setCheckWorker)) : null);
  const setChecker = () => {
    const pool = facePool();
    return pool ? new LocalSetCheck(pipeline, pool) : null;
  };
  const makeTrainingSets = (root: string) =>
    new TrainingSets({
      root,
      images: pipeline,
      checker: setChecker,
      onProgress: (p) => o.emit('trainingset:progress', p),
    });
  let trainingSets = makeTrainingSets(library.root);
  const exporter = new ExportService({
    library: () => library,
    // the same workers and loaded model as the training check (export/detector-face-locator.ts)
    faces: o.faces ?? new DetectorFaceLocator(facePool),
    onProgress: (p) => o.emit('export:progress', p),
    triggerWord: () => settings.get().triggerWords[settings.get().defaultModel],
    log: (level, msg) => logger.write(level, msg),
  });
  let trash = makeTrash(library);
  let trashReady: Promise<unknown> | null = null;

  /** The trash queue picks up what a crash left, once, when the library is first held. */
  function openTrash(): Promise<unknown> {
    trashReady ??= trash.open().catch((e) => {
      trashReady = null;
      throw e;
    });
    return trashReady;
  }

  /** Before a change to the library: hold it (another window or the CLI may) and have the queue open. */
  async function writable(): Promise<void> {
    await lock.acquire();
    await openTrash();
  }

  function makeTrash(lib: Library) {
    return new TrashQueue({
      library: lib,
      trashItem: o.trashItem ?? ((p) => fs.rm(p, { recursive: true, force: true })),
      ...o.trash,
      onEvent: (e) => o.emit('library:deletion', e),
      onChanged: () => o.emit('library:changed', { reason: 'removed' }),
      log: (level, msg) => logger.write(level, msg),
    });
  }

  function makeEngine(lib: Library) {
    return new JobEngine({
      gateway,
      registry,
      library: lib,
      uploads: new UploadCache(
        gateway,
        UploadCache.fileIn(lib.appDir),
        () => settings.get().uploadRetentionMinutes * 60_000,
      ),
      images,
      rescueDir: path.join(o.userDataDir, 'rescued'),
      concurrency: () => settings.get().concurrency,
      onChange: (job) => o.emit('jobs:progress', job),
      onSaved: (runId) => {
        o.emit('library:changed', { runId, reason: 'added' });
        // Its thumbnails, in the background: the gallery then shows them without making them.
        void lib
          .records([runId])
          .then(async ([run]) => {
            if (run && lib === library) await assets.prepare(run.images.map((im) => im.id));
          })
          .catch(() => {});
      },
      log: (level, msg) => logger.write(level, msg),
      ...o.engine,
    });
  }

  const activeJobs = () => engine.list().filter((j) => ACTIVE_JOB_STATES.has(j.state)).length;
  const previous = new PreviousLibrary({
    kv: opened.kv,
    current: () => library.root,
    acquireCurrent: () => lock.acquire(),
    activeJobs,
    onProgress: (p) => o.emit('library:moveProgress', p),
    afterMove: () => {
      library.invalidate();
      o.emit('library:changed', { reason: 'rebuilt' });
    },
    who: o.who ?? 'Sseelfie Studio',
  });
  /** Trainings live in the library (its journal, its trained models), like jobs. */
  function makeTraining(lib: Library) {
    return new TrainingService({
      gateway,
      registry,
      journal: new TrainingJournal(path.join(lib.appDir, 'trainings')),
      trained: new TrainedModels(path.join(lib.appDir, 'trained-models.json')),
      prices: new TrainingPrices(path.join(lib.appDir, 'training-prices.json')),
      // the full local check (faces, sharpness, duplicates) when its worker is there, else decodable + 512 px
      checker: o.trainingChecker ?? {
        check: (files, opts) => {
          const local = setChecker();
          return local ? new LocalSetChecker(local).check(files) : new FallbackSetChecker(pipeline).check(files, opts);
        },
      },
      decode: (i) => pipeline.decode(i),
      onChange: (v) => o.emit('training:progress', v),
      // The new model's trigger word is filled in for the studio's prompt, like any model's.
      onTrained: (m) => {
        const current = settings.get().triggerWords;
        settings.update({ triggerWords: { ...current, [m.destination]: m.triggerWord, [m.ref]: m.triggerWord } });
      },
      // the first test photo is a normal job of the library, labelled so the person finds it
      firstPhoto: async (m) => {
        await lock.acquire();
        const job = await engine.start(firstPhotoRequest(m));
        return { jobId: job.id, runId: job.runId };
      },
      log: (level, msg) => logger.write(level, msg),
      ...o.engine,
    });
  }

  /** Takes the library lock and picks up unfinished jobs; a locked library is reported, not fatal. */
  async function openLibrary(): Promise<void> {
    try {
      await library.ensure();
      await lock.acquire();
      await openTrash();
      await engine.resume();
      await training.resume();
      void engine.sweepUploads();
      // run.json files edited or synced while the app was closed: re-read off the first screen's path.
      const lib = library;
      void lib.verifyIndex().then(
        (changed) => changed && lib === library && o.emit('library:changed', { reason: 'rebuilt' }),
        () => undefined,
      );
    } catch (e) {
      logger.write('warn', `library not opened: ${e instanceof Error ? e.message : String(e)}`);
      // The person must hear it (another window, the CLI, another computer), not only the log:
      // nothing can be saved until it is free, and the message says who has it and what to do.
      if (e instanceof StudioError && (e.code === 'locked' || e.code === 'disk')) settings.notice(e.message);
    }
  }
  await openLibrary();

  async function switchLibrary(dir: string | null) {
    // The same folder again (or Default while it is the default): nothing changes.
    if (
      (dir === null && settings.view().libraryIsDefault) ||
      (dir !== null && path.resolve(dir) === path.resolve(library.root))
    )
      return settings.view();
    if (activeJobs()) {
      throw new StudioError(
        'invalid_input',
        'Photos are still being made. Wait for them to finish (or cancel them) before moving the library.',
      );
    }
    if (previous.moving)
      throw new StudioError(
        'invalid_input',
        'Photos are being moved into this library. Wait for the move to finish (or cancel it) before choosing another folder.',
      );
    const left = library.root;
    if ((await training.list()).some((t) => ACTIVE_TRAINING_STATES.has(t.state))) {
      throw new StudioError(
        'invalid_input',
        'A training is still running. Wait for it to finish (or cancel it) before moving the library.',
      );
    }
    // Deletions waiting for their undo window are carried out in the library they belong to.
    await trash.flush();
    trash.dispose();
    await library.flush();
    await lock.release();
    const view = settings.setLibraryDir(dir);
    library = new Library(settings.libraryDir());
    trash = makeTrash(library);
    trashReady = null;
    lock = LibraryLock.for(library.appDir, o.who ?? 'Sseelfie Studio');
    engine = makeEngine(library);
    training = makeTraining(library);
    assets = new AssetServer(library, pipeline);
    shelf = new SelfieShelf(library.root, pipeline);
    trainingSets.cancel();
    trainingSets = makeTrainingSets(library.root);
    await openLibrary();
    await previous.switched(left);
    // Every photo the window shows from the old library must go (its files are not served now).
    o.emit('library:changed', { reason: 'switched' });
    return view;
  }

  settings.onChange((view) => o.emit('settings:changed', view));
  // One "offline" for the whole app (the banner), not one per waiting job.
  gateway.connectivity.onChange((state) => {
    logger.write(
      state.online ? 'info' : 'warn',
      state.online ? 'Replicate reachable again' : 'offline: Replicate cannot be reached; jobs wait',
    );
    o.emit('network:changed', state);
  });

  const ctx: HandlerContext = {
    o,
    logger,
    settings,
    vault,
    gateway,
    registry,
    prompts,
    exporter,
    previous,
    accountAt,
    switchLibrary,
    writable,
    // getters: a switch of library replaces these, and a handler must see the new ones
    current: {
      get library() {
        return library;
      },
      get lock() {
        return lock;
      },
      get engine() {
        return engine;
      },
      get training() {
        return training;
      },
      get shelf() {
        return shelf;
      },
      get trainingSets() {
        return trainingSets;
      },
      get trash() {
        return trash;
      },
    },
  };
  const handlers: Handlers = {
    ...appHandlers(ctx),
    ...tokenSettingsHandlers(ctx),
    ...jobHandlers(ctx),
    ...libraryHandlers(ctx),
    ...selfieHandlers(ctx),
    ...trainingSetHandlers(ctx),
    ...promptHandlers(ctx),
    ...exportHandlers(ctx),
    ...trainingHandlers(ctx),
  };

  return {
    handlers,
    settings,
    vault,
    gateway,
    logger,
    engine: () => engine,
    training: () => training,
    library: () => library,
    trash: () => trash,
    trainingSets: () => trainingSets,
    serveAsset: (id) => assets.respond(id),
    async dispose() {
      stopHeicLog();
      // Quitting closes every undo window: the photos go to the trash now (a refusal is shown again next time).
      await trash.flush();
      trash.dispose();
      await library.flush();
      trainingSets.cancel();
      await checkPool?.close();
      gateway.connectivity.dispose();
      await lock.release();
      await opened.kv.flush?.();
    },
  };
}
