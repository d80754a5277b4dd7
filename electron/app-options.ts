/**
 * What createAppServices (./app-services.ts) is given: the Electron adapters main.ts injects
 * (safeStorage cipher, dialogs, shell, clipboard, net.fetch) or the plain ones of the Playwright
 * bridge and the unit tests, the folders, the event sender, and test tuning.
 */
import type { EventChannel } from '../shared/ipc/channels';
import type { EventPayload } from '../shared/ipc/contract';
import type { FetchFn } from './services/replicate/gateway';
import type { ImageOps } from './services/jobs/job-engine';
import type { TrashClock } from './services/library/trash-queue';
import type { OpenedStore } from './services/settings/kv';
import type { SecretCipher } from './services/settings/token-vault';
import type { ImagePipelineOptions } from './services/images/image-pipeline';
import type { FaceLocator } from './services/export/face-locator';
import type { AnalysisWorkerSource } from './services/training/set-check/analysis-pool';
import type { TrainingSetChecker } from './services/training/training-set-checker';

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
