/**
 * What the IPC handlers work with, handed to each domain's handler module by createAppServices
 * (electron/app-services.ts, the composition root that builds the services).
 *
 * The services of the current library (the library, its lock, the engine, the trainings, the
 * shelf, the training sets, the trash queue) are replaced when the person switches library, so
 * a handler reads them through `current` on every call and never keeps one.
 */
import type { InvokeChannel } from '../../shared/ipc/channels';
import type { SettingsViewT } from '../../shared/ipc/contract';
import type { AppServicesOptions } from '../app-options';
import type { Handlers } from '../ipc-dispatch';
import type { ExportService } from '../services/export/export-service';
import type { JobEngine } from '../services/jobs/job-engine';
import type { Library } from '../services/library/library';
import type { LibraryLock } from '../services/library/library-lock';
import type { PreviousLibrary } from '../services/library/previous-library';
import type { SelfieShelf } from '../services/library/selfie-shelf';
import type { TrashQueue } from '../services/library/trash-queue';
import type { Logger } from '../services/log/logger';
import type { ReplicateGateway } from '../services/replicate/gateway';
import type { ModelRegistry } from '../services/replicate/model-registry';
import type { PromptMemory } from '../services/settings/prompt-memory';
import type { SettingsService } from '../services/settings/settings-service';
import type { TokenVault } from '../services/settings/token-vault';
import type { TrainingService } from '../services/training/training-service';
import type { TrainingSets } from '../services/training/training-set';

/** The handlers of the channels of these domains (`jobs` → every `jobs:*` channel). */
export type HandlersOf<D extends string> = Pick<Handlers, Extract<InvokeChannel, `${D}:${string}`>>;

/** The current library's services, read at the moment of the call (getters over createAppServices' variables). */
export interface CurrentLibrary {
  readonly library: Library;
  readonly lock: LibraryLock;
  readonly engine: JobEngine;
  readonly training: TrainingService;
  readonly shelf: SelfieShelf;
  readonly trainingSets: TrainingSets;
  readonly trash: TrashQueue;
}

export interface HandlerContext {
  o: AppServicesOptions;
  logger: Logger;
  settings: SettingsService;
  vault: TokenVault;
  gateway: ReplicateGateway;
  registry: ModelRegistry;
  prompts: PromptMemory;
  exporter: ExportService;
  previous: PreviousLibrary;
  /** checks a token against an API address (validating it, or moving it to a new address) */
  accountAt: (token: string, baseUrl: string) => Promise<{ username: string; name?: string }>;
  /** another folder as the library (null: the default one): refused while photos are made or moved */
  switchLibrary: (dir: string | null) => Promise<SettingsViewT>;
  /** before a change to the library: hold it and have the trash queue open */
  writable: () => Promise<void>;
  current: CurrentLibrary;
}
