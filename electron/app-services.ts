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
import { JsonFileStore, type OpenedStore } from './services/settings/kv';
import { SettingsService } from './services/settings/settings-service';
import { TokenVault, type SecretCipher } from './services/settings/token-vault';
import { Logger } from './services/log/logger';
import { ImagePipeline, type ImagePipelineOptions } from './services/images/image-pipeline';
import { embedParameters } from './services/images/embed-metadata';
import { onHeicTransformStatus } from './services/images/libheif-loader';
import { AssetServer } from './services/library/asset-server';
import { SelfieShelf } from './services/library/selfie-shelf';
import { PromptMemory } from './services/settings/prompt-memory';

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
  chooseDirectory?: (current: string) => Promise<string | null>;
  showItemInFolder?: (p: string) => void;
  trashItem?: (p: string) => Promise<void>;
  /**
   * Asks the person, outside the renderer (a native dialog in the app), whether the kept token
   * may be sent to a new API host. Without it the answer is no.
   */
  confirmApiHost?: (info: { host: string; origin: string }) => Promise<boolean>;
  images?: ImageOps;
  /** HEIC decoding off the main thread (main.ts passes a worker-thread decoder) */
  heicDecoder?: ImagePipelineOptions['heicDecoder'];
  /** engine tuning for tests */
  engine?: { pollMinMs?: number; pollMaxMs?: number; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> };
  who?: string;
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
  library(): Library;
  serveAsset(assetId: string): Promise<Response>;
  dispose(): Promise<void>;
}

export async function createAppServices(o: AppServicesOptions): Promise<AppServices> {
  const env = o.env ?? {};
  await fs.mkdir(o.userDataDir, { recursive: true });
  const logger = new Logger(path.join(o.userDataDir, 'logs'));
  // Which HEIC inverse transform decodes (the fast one, or libheif's own and why): for a log a person can send.
  const stopHeicLog = onHeicTransformStatus((s) => logger.write(s.transform === 'fast' ? 'info' : 'warn', `HEIC decoding: ${s.transform} inverse transform (${s.reason})`));
  const opened = (o.openStore ?? JsonFileStore.open)(path.join(o.userDataDir, 'settings.json'));
  // REPLICATE_BASE_URL points this session elsewhere (the simulator); it is never saved.
  const envBase = env.REPLICATE_BASE_URL?.trim() || undefined;
  const envBaseProblem = envBase ? apiBaseProblem(envBase) : null;
  const settings = new SettingsService(opened.kv, o.defaultLibraryDir, opened.notice, envBase && !envBaseProblem ? { apiBaseUrl: envBase } : {});
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
  const vault = new TokenVault(opened.kv, o.cipher, accountAt, env.REPLICATE_API_TOKEN || undefined, () => settings.get().apiBaseUrl);

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
        throw new StudioError('network', `Could not reach ${host}. Check the address (and that the server is running); the address was not changed.`);
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
  let assets = new AssetServer(library, pipeline);
  let shelf = new SelfieShelf(library.root, pipeline);

  function makeEngine(lib: Library) {
    return new JobEngine({
      gateway,
      registry,
      library: lib,
      uploads: new UploadCache(gateway, UploadCache.fileIn(lib.appDir), () => settings.get().uploadRetentionMinutes * 60_000),
      images,
      rescueDir: path.join(o.userDataDir, 'rescued'),
      concurrency: () => settings.get().concurrency,
      onChange: (job) => o.emit('jobs:progress', job),
      onSaved: (runId) => o.emit('library:changed', { runId, reason: 'added' }),
      log: (level, msg) => logger.write(level, msg),
      ...o.engine,
    });
  }

  /** Takes the library lock and picks up unfinished jobs; a locked library is reported, not fatal. */
  async function openLibrary(): Promise<void> {
    try {
      await library.ensure();
      await lock.acquire();
      await engine.resume();
      void engine.sweepUploads();
    } catch (e) {
      logger.write('warn', `library not opened: ${e instanceof Error ? e.message : String(e)}`);
      // The person must hear it (another window, the CLI, another computer), not only the log:
      // nothing can be saved until it is free, and the message says who has it and what to do.
      if (e instanceof StudioError && (e.code === 'locked' || e.code === 'disk')) settings.notice(e.message);
    }
  }
  await openLibrary();

  async function switchLibrary(dir: string | null) {
    if (engine.list().some((j) => ACTIVE_JOB_STATES.has(j.state))) {
      throw new StudioError('invalid_input', 'Photos are still being made. Wait for them to finish (or cancel them) before moving the library.');
    }
    await lock.release();
    const view = settings.setLibraryDir(dir);
    library = new Library(settings.libraryDir());
    lock = LibraryLock.for(library.appDir, o.who ?? 'Sseelfie Studio');
    engine = makeEngine(library);
    assets = new AssetServer(library, pipeline);
    shelf = new SelfieShelf(library.root, pipeline);
    await openLibrary();
    o.emit('library:changed', { reason: 'rebuilt' });
    return view;
  }

  settings.onChange((view) => o.emit('settings:changed', view));
  // One "offline" for the whole app (the banner), not one per waiting job.
  gateway.connectivity.onChange((state) => {
    logger.write(state.online ? 'info' : 'warn', state.online ? 'Replicate reachable again' : 'offline: Replicate cannot be reached; jobs wait');
    o.emit('network:changed', state);
  });

  const modelInfo = async (ref: string | undefined, refresh?: boolean): Promise<ModelInfoT> => {
    const m = await registry.resolve(ref ?? settings.get().defaultModel ?? DEFAULT_MODEL, { refresh });
    const out: ModelInfoT = { ref: m.ref, owner: m.owner, name: m.name, versionId: m.versionId, fields: m.schema.fields, source: m.source };
    if (m.description) out.description = m.description;
    if (m.warning) out.warning = m.warning;
    return out;
  };

  const handlers: Handlers = {
    'app:info': () => ({ version: o.appVersion ?? '0.0.0', platform: o.platform ?? process.platform, userDataDir: o.userDataDir, logsDir: logger.dir }),
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
    'library:get': ({ runId }) => library.get(runId),
    'library:reveal': async ({ runId }) => {
      o.showItemInFolder?.(path.join(library.runDir(runId), 'run.json'));
      return null;
    },
    'library:remove': async ({ runId }) => {
      await library.remove(runId, o.trashItem);
      o.emit('library:changed', { runId, reason: 'removed' });
      return null;
    },
    'library:keep': async ({ runId, index, kept }) => {
      const run = await library.setKept(runId, index, kept);
      o.emit('library:changed', { runId, reason: 'updated' });
      return run;
    },
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
    'prompts:recent': () => prompts.recent(),
    'presets:list': () => prompts.presets(),
    'presets:save': ({ name, values }) => prompts.savePreset(name, values),
    'presets:remove': ({ name }) => prompts.removePreset(name),
    'network:status': () => gateway.connectivity.current,
  };

  return {
    handlers,
    settings,
    vault,
    gateway,
    logger,
    engine: () => engine,
    library: () => library,
    serveAsset: (id) => assets.respond(id),
    async dispose() {
      stopHeicLog();
      gateway.connectivity.dispose();
      await lock.release();
      await opened.kv.flush?.();
    },
  };
}
