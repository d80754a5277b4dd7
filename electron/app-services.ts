/**
 * Builds every service and the IPC handler map, with no `electron` import: main.ts injects the
 * Electron adapters (safeStorage cipher, dialogs, shell, net.fetch); the Playwright bridge and the
 * unit tests inject plain ones. The same handlers serve the app and the tests.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../shared/errors';
import type { EventChannel } from '../shared/ipc/channels';
import type { EventPayload, ModelInfoT } from '../shared/ipc/contract';
import { DEFAULT_MODEL } from '../shared/model/rules';
import { ACTIVE_JOB_STATES } from '../shared/job-states';
import { apiBaseProblem, normalizeApiBase, sameApiOrigin } from '../shared/api-base';
import type { Handlers } from './ipc-dispatch';
import { ReplicateGateway, type FetchFn } from './services/replicate/gateway';
import { ModelRegistry } from './services/replicate/model-registry';
import { JobEngine, type ImageOps } from './services/jobs/job-engine';
import { UploadCache } from './services/jobs/upload-cache';
import { Library } from './services/library/library';
import { LibraryLock } from './services/library/library-lock';
import { TrashQueue, type TrashClock } from './services/library/trash-queue';
import { JsonFileStore, type OpenedStore } from './services/settings/kv';
import { SettingsService } from './services/settings/settings-service';
import { TokenVault, type SecretCipher } from './services/settings/token-vault';
import { Logger } from './services/log/logger';
import { ImagePipeline, type ImagePipelineOptions } from './services/images/image-pipeline';
import { embedParameters } from './services/images/embed-metadata';
import { onHeicTransformStatus } from './services/images/libheif-loader';
import { AssetServer } from './services/library/asset-server';
import { SelfieShelf } from './services/library/selfie-shelf';
import { PreviousLibrary } from './services/library/previous-library';
import { PromptMemory } from './services/settings/prompt-memory';
import { ExportService } from './services/export/export-service';
import type { FaceLocator } from './services/export/face-locator';
import { DetectorFaceLocator } from './services/export/detector-face-locator';
import { readRunMask } from './services/export/remix-mask';
import { MAX_RESTORE_BYTES, restoreSettings } from './services/export/restore-settings';
import { randomBytes } from 'node:crypto';
import { TrainingService } from './services/training/training-service';
import { TrainingJournal } from './services/training/training-journal';
import { TrainedModels } from './services/training/trained-models';
import { TrainingPrices, hardwareOf } from './services/training/prices';
import { FallbackSetChecker, LocalSetChecker, type TrainingSetChecker } from './services/training/training-set-checker';
import { ACTIVE_TRAINING_STATES } from '../shared/training/training';
import { AnalysisPool, type AnalysisWorkerSource } from './services/training/set-check/analysis-pool';
import { TrainingSetChecker as LocalSetCheck } from './services/training/set-check/set-checker';
import { TrainingSets } from './services/training/training-set';

export type Emit = <C extends EventChannel>(channel: C, payload: EventPayload<C>) => void;

export interface AppServicesOptions {
  userDataDir: string;
  defaultLibraryDir: string;
  cipher: SecretCipher;
  emit: Emit;
  fetch?: FetchFn;
  env?: Record<string, string | undefined>;
  appVersion?: string;
  platform?: string;
  openStore?: (file: string) => OpenedStore;
  openExternal?: (url: string) => Promise<void>;
  openPath?: (p: string) => Promise<void>;
  /** a native folder dialog; `title` says what the folder is for (the library, an export) */
  chooseDirectory?: (current: string, opts?: { title?: string }) => Promise<string | null>;
  /** a native open-file dialog for one image (restore settings from a file) */
  chooseImageFile?: (opts: { title: string }) => Promise<string | null>;
  /** puts a PNG on the system clipboard (main.ts: Electron's clipboard.write with an image/png ClipboardItem) */
  copyImageToClipboard?: (png: Uint8Array) => Promise<void> | void;
  /** starts dragging `file` out of the window that asked (main.ts: webContents.startDrag) */
  startDrag?: (senderId: number | undefined, item: { file: string; icon: Uint8Array }) => void;
  /** finds faces for the default crop of an export; without it the crop is centred (export/sizes.ts) */
  faces?: FaceLocator;
  showItemInFolder?: (p: string) => void;
  /** the system trash (main.ts: shell.trashItem); without it a deletion removes the files */
  trashItem?: (p: string) => Promise<void>;
  /** the undo window of a deletion and its clock (tests) */
  trash?: { undoMs?: number; clock?: TrashClock };
  /**
   * Asks the person, outside the renderer (a native dialog in the app), whether the kept token
   * may be sent to a new API host. Without it the answer is no.
   */
  confirmApiHost?: (info: { host: string; origin: string }) => Promise<boolean>;
  images?: ImageOps;
  /** HEIC decoding off the main thread (main.ts passes a worker-thread decoder) */
  heicDecoder?: ImagePipelineOptions['heicDecoder'];
  /** the face-check worker for training sets (main.ts: the built set-check-worker.js); without it the check says it is unavailable */
  setCheckWorker?: AnalysisWorkerSource;
  /** engine tuning for tests */
  engine?: { pollMinMs?: number; pollMaxMs?: number; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> };
  who?: string;
  /** which photos a training may use (the set-check service); the decodable + 512 px fallback otherwise */
  trainingChecker?: TrainingSetChecker;
}

/** External links the app may open: Replicate's pages only, https only. */
export const EXTERNAL_ALLOWLIST = ['replicate.com', 'www.replicate.com'];

export function isAllowedExternal(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && EXTERNAL_ALLOWLIST.includes(u.hostname) && !u.username && !u.password;
}

export function defaultImageOps(pipeline = new ImagePipeline()): ImageOps {
  return {
    inspect: (i) => pipeline.inspect(i),
    prepareForModel: (i) => pipeline.prepareForModel(i),
    rasterizeMask: (m, t) => pipeline.rasterizeMask(m, t),
    embedParameters: (b, f, m) => embedParameters(b, f, m),
    compositeKeepOutside: async (a) => {
      // PNG, lossless: every unpainted pixel is exactly the original's decoded pixel, not a re-encoded copy.
      const c = await pipeline.compositeKeepOutside({ ...a, format: 'png' });
      return { bytes: c.bytes, width: c.width, height: c.height, format: c.mime === 'image/png' ? 'png' : 'jpg' };
    },
  };
}

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

  /**
   * A new API address. The kept token only goes there if the person confirms it in main (the
   * renderer cannot answer for them) and the new server accepts it; otherwise the token stays
   * with the server it belongs to and the new one asks for its own.
   */
  async function changeApiBase(raw: string): Promise<void> {
    const next = normalizeApiBase(raw);
    if (settings.apiBaseFromEnv || sameApiOrigin(next, settings.get().apiBaseUrl) || vault.isBoundTo(next)) return;
    const token = (await vault.status()).storage === 'env' ? null : await vault.kept();
    if (!token) return;
    const { host, origin } = new URL(next);
    if (!(await (o.confirmApiHost?.({ host, origin }) ?? false))) {
      throw new StudioError('canceled', `The API address was not changed, and your token was not sent to ${host}.`);
    }
    try {
      await vault.rebind(next, await accountAt(token, next));
      logger.write('info', `token re-checked and moved to ${host}`);
    } catch (e) {
      if (e instanceof StudioError && e.code === 'unauthenticated') {
        logger.write('info', `${host} did not accept the kept token; it stays with its own server`);
        return;
      }
      if (e instanceof StudioError && e.code === 'network') {
        throw new StudioError(
          'network',
          `Could not reach ${host}. Check the address (and that the server is running); the address was not changed.`,
        );
      }
      throw e;
    }
  }

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
      onSaved: (runId) => o.emit('library:changed', { runId, reason: 'added' }),
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

  const modelInfo = async (ref: string | undefined, refresh?: boolean): Promise<ModelInfoT> => {
    const m = await registry.resolve(ref ?? settings.get().defaultModel ?? DEFAULT_MODEL, { refresh });
    const out: ModelInfoT = {
      ref: m.ref,
      owner: m.owner,
      name: m.name,
      versionId: m.versionId,
      fields: m.schema.fields,
      source: m.source,
    };
    if (m.description) out.description = m.description;
    if (m.warning) out.warning = m.warning;
    return out;
  };

  const handlers: Handlers = {
    'app:info': () => ({
      version: o.appVersion ?? '0.0.0',
      platform: o.platform ?? process.platform,
      userDataDir: o.userDataDir,
      logsDir: logger.dir,
    }),
    'app:openExternal': async ({ url }) => {
      if (!isAllowedExternal(url)) throw new StudioError('forbidden', 'The app only opens links to replicate.com.');
      await o.openExternal?.(url);
      return null;
    },
    'app:showLogs': async () => {
      await o.openPath?.(logger.dir);
      return null;
    },
    'token:status': () => vault.status(),
    'token:set': async ({ token, allowPlaintext }) => {
      const s = await vault.set(token, { allowPlaintext });
      logger.write('info', `token saved (${s.storage}) for ${s.account?.username ?? 'unknown'}`);
      return s;
    },
    'token:clear': () => vault.clear(),
    'settings:get': () => settings.view(),
    'settings:update': async (patch) => {
      if (patch.apiBaseUrl !== undefined) await changeApiBase(patch.apiBaseUrl);
      return settings.update(patch);
    },
    'settings:chooseLibrary': async () => {
      const dir = await o.chooseDirectory?.(settings.libraryDir());
      if (!dir) return settings.view();
      return switchLibrary(dir);
    },
    'settings:useDefaultLibrary': () => switchLibrary(null),
    'models:get': ({ ref, refresh }) => modelInfo(ref, refresh),
    'jobs:start': async (req) => {
      await lock.acquire();
      let image: { name: string; path: string; assetId: string } | undefined;
      if (req.image) {
        // A selfie starts from the file as imported (best quality); a result from its saved file.
        const p = (await shelf.originalFor(req.image.assetId)) ?? library.resolveAsset(req.image.assetId);
        if (!p) throw new StudioError('invalid_input', 'That photo is not in your library.');
        image = { name: path.basename(p), path: p, assetId: req.image.assetId };
      }
      if (typeof req.input.prompt === 'string') prompts.remember(req.input.prompt);
      return engine.start({
        modelRef: req.modelRef ?? settings.get().defaultModel,
        input: req.input,
        ...(image ? { image } : {}),
        ...(req.mask ? { mask: req.mask } : {}),
        ...(req.keepOutside ? { keepOutside: true } : {}),
        ...(req.label ? { label: req.label } : {}),
        ...(req.repeat ? { repeat: true } : {}),
      });
    },
    'jobs:cancel': ({ jobId }) => engine.cancel(jobId),
    'jobs:list': () => engine.list(),
    'jobs:retry': ({ jobId }) => engine.retry(jobId),
    'jobs:dismiss': async ({ jobId }) => {
      await engine.dismiss(jobId);
      return null;
    },
    'library:list': (req) => library.list(req ?? {}),
    'library:query': (req) => library.query(req ?? {}),
    'library:records': ({ runIds }) => library.records(runIds),
    'library:get': ({ runId }) => library.get(runId),
    'library:reveal': async ({ runId, index }) => {
      o.showItemInFolder?.(await library.revealPath(runId, index));
      return null;
    },
    'library:remove': async ({ runId }) => {
      await writable();
      return trash.deleteRun(runId);
    },
    'library:setFlag': async ({ items, flag }) => {
      await writable();
      const runs = await library.setFlag(items, flag);
      o.emit('library:changed', runs.length === 1 ? { runId: runs[0]!.id, reason: 'updated' } : { reason: 'updated' });
      return runs;
    },
    'library:setRating': async ({ items, rating }) => {
      await writable();
      const runs = await library.setRating(items, rating);
      o.emit('library:changed', runs.length === 1 ? { runId: runs[0]!.id, reason: 'updated' } : { reason: 'updated' });
      return runs;
    },
    'library:deleteRejected': async (req) => {
      await writable();
      return trash.deleteRejected(req?.runIds);
    },
    'library:undoDelete': async ({ token }) => {
      await writable();
      await trash.undo(token);
      return null;
    },
    'library:deletePermanently': async ({ token }) => {
      await writable();
      await trash.deletePermanently(token);
      return null;
    },
    'library:previous': () => previous.view(),
    'library:movePrevious': () => previous.moveHere(),
    'library:cancelMove': async () => {
      previous.cancel();
      return null;
    },
    'library:openPrevious': async () => {
      const dir = previous.dir();
      if (!dir) throw new StudioError('not_found', 'There is no previous library any more.');
      await o.openPath?.(dir);
      return null;
    },
    'library:forgetPrevious': async () => {
      if (previous.moving) throw new StudioError('invalid_input', 'The photos are being moved. Cancel the move first.');
      previous.forget();
      return null;
    },
    'library:deletions': () => trash.list(),
    'selfies:import': async ({ files }) => {
      await library.ensure();
      const r = await shelf.import(files);
      for (const e of r.errors) logger.write('warn', `import refused: ${e.code}`);
      return r;
    },
    'selfies:list': () => shelf.list(),
    'selfies:remove': async ({ id }) => {
      await shelf.remove(id, o.trashItem);
      return null;
    },
    'trainingset:list': () => trainingSets.get(),
    'trainingset:add': async ({ files }) => {
      await library.ensure();
      const r = await trainingSets.add(files);
      for (const e of r.errors) logger.write('warn', `training photo refused: ${e.code}`);
      return r;
    },
    'trainingset:check': () => trainingSets.check(),
    'trainingset:cancel': async () => {
      trainingSets.cancel();
      return null;
    },
    'trainingset:setIncluded': ({ id, included }) => trainingSets.setIncluded(id, included),
    'trainingset:setCaption': ({ id, caption }) => trainingSets.setCaption(id, caption),
    'trainingset:remove': ({ id }) => trainingSets.remove(id),
    'prompts:recent': () => prompts.recent(),
    'presets:list': () => prompts.presets(),
    'presets:save': ({ name, values }) => prompts.savePreset(name, values),
    'presets:remove': ({ name }) => prompts.removePreset(name),
    'network:status': () => gateway.connectivity.current,
    'export:photos': async (req) => {
      const remembered = settings.get().exportDir;
      let folder: string | null;
      if (req.folder !== undefined) {
        // A path from the renderer is only taken when it is the folder the person last picked in the dialog.
        if (!remembered || path.resolve(req.folder) !== path.resolve(remembered)) {
          throw new StudioError(
            'forbidden',
            'Choose the export folder in the dialog: the app only exports to a folder you picked.',
          );
        }
        folder = remembered;
      } else {
        folder =
          (await o.chooseDirectory?.(remembered ?? path.dirname(settings.libraryDir()), {
            title: 'Export photos to',
          })) ?? null;
        if (!folder)
          return { exportId: req.exportId ?? randomBytes(6).toString('hex'), folder: null, files: [], canceled: true };
        settings.setExportDir(folder);
      }
      return exporter.export({ ...req, folder });
    },
    'export:cancel': (req) => {
      exporter.cancel(req?.exportId);
      return null;
    },
    'export:readSettingsFromFile': async ({ files }) => {
      let bytes: Uint8Array;
      let name: string;
      const f = files[0];
      if (f) {
        if (!f.bytes)
          throw new StudioError(
            'file_too_large',
            `${f.name} is ${Math.round((f.size ?? 0) / 1024 / 1024)} MB; settings are read from images up to ${MAX_RESTORE_BYTES / 1024 / 1024} MB.`,
          );
        bytes = f.bytes;
        name = f.name;
      } else {
        const p = await o.chooseImageFile?.({ title: 'Restore settings from a photo' });
        if (!p) return { input: null, notes: [], source: null };
        name = path.basename(p);
        try {
          const st = await fs.stat(p);
          if (st.size > MAX_RESTORE_BYTES)
            throw new StudioError(
              'file_too_large',
              `${name} is ${Math.round(st.size / 1024 / 1024)} MB; settings are read from images up to ${MAX_RESTORE_BYTES / 1024 / 1024} MB.`,
            );
          bytes = new Uint8Array(await fs.readFile(p));
        } catch (e) {
          if (e instanceof StudioError) throw e;
          throw new StudioError(
            'not_found',
            `${name} could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
            { cause: e },
          );
        }
      }
      const model = await registry.resolve(settings.get().defaultModel ?? DEFAULT_MODEL);
      return { ...(await restoreSettings(bytes, model.schema)), name };
    },
    'export:face': async ({ runId, index }) => ({ face: await exporter.face(runId, index) }),
    // only a file this window's exports wrote (export/recent-exports.ts), never a path of the renderer's choosing
    'export:reveal': async ({ path: p }) => {
      o.showItemInFolder?.(await exporter.recent.revealable(p));
      return null;
    },
    'export:remixMask': ({ runId }) => readRunMask(library, runId),
    'export:copyToClipboard': async ({ runId, index }) => {
      if (!o.copyImageToClipboard)
        throw new StudioError('invalid_input', 'Copying photos is not available in this window.');
      // PNG: the clipboard's nativeImage reads no WebP, and a copy carries no settings
      const r = await exporter.render(runId, index, {
        format: 'png',
        quality: 100,
        size: 'original',
        stripMetadata: true,
      });
      await o.copyImageToClipboard(r.bytes);
      return null;
    },
    'export:startDrag': async ({ runId, index }, ctx) => {
      const item = await exporter.dragItem(runId, index);
      o.startDrag?.(ctx.senderId, item);
      return null;
    },
    'export:openPrediction': async ({ runId }) => {
      const run = await library.readRun(runId);
      const id = run?.predictionId;
      if (!run)
        throw new StudioError('not_found', 'This run is no longer in the library (its folder was moved or deleted).');
      if (!id || !/^[a-z0-9]{1,64}$/.test(id))
        throw new StudioError(
          'not_found',
          'This run has no Replicate prediction to open (it was not made on Replicate, or its run.json is damaged).',
        );
      const url = `https://replicate.com/p/${id}`;
      if (!isAllowedExternal(url)) throw new StudioError('forbidden', 'The app only opens links to replicate.com.');
      await o.openExternal?.(url);
      return null;
    },
    'training:trainers': async () => {
      const table = await training.priceTable();
      return (await training.trainers.list()).map((t) => {
        const hardware = hardwareOf(table, t.ref);
        return {
          ref: t.ref,
          versionId: t.versionId,
          ...(t.description ? { description: t.description } : {}),
          fields: t.schema.fields,
          hardware,
          pricePerSecond: table.perSecond[hardware] ?? null,
          priceAsOf: table.asOf,
        };
      });
    },
    'training:start': async (req) => {
      await lock.acquire();
      const photos: Array<{ file: string; caption?: string }> = [];
      for (const p of req.photos) {
        const file = (await shelf.originalFor(p.assetId)) ?? library.resolveAsset(p.assetId);
        if (!file)
          throw new StudioError(
            'invalid_input',
            'A photo picked for the training is no longer in your library. Pick the photos again.',
            { fields: [{ field: 'photos', message: 'A photo is missing.' }] },
          );
        photos.push(p.caption ? { file, caption: p.caption } : { file });
      }
      return training.start({
        photos,
        name: req.name,
        triggerWord: req.triggerWord,
        ...(req.trainer ? { trainer: req.trainer } : {}),
        ...(req.preset ? { preset: req.preset as 'quick' | 'balanced' | 'best' } : {}),
        ...(req.input ? { input: req.input } : {}),
        ...(req.includeFlagged ? { includeFlagged: true } : {}),
      });
    },
    'training:list': async () => ({ trainings: await training.list(), models: await training.trainedModels() }),
    'training:cancel': ({ id }) => training.cancel(id),
    'training:retry': async ({ id }) => {
      await lock.acquire();
      return training.retry(id);
    },
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
