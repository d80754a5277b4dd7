/**
 * The one IPC contract: a zod schema for the request and the response of every channel, and for
 * every event payload. Main validates requests (untrusted renderer) and responses (so nothing
 * outside the schema, e.g. a token, can leak by accident: unknown keys are stripped).
 *
 * The domain schemas live in ./schemas/ (one module per domain); this file assembles the channel
 * maps from them and re-exports every schema, so `shared/ipc/contract` stays the one import.
 */
import { z } from 'zod';
import type { EventChannel, InvokeChannel } from './channels';
import { AssetRef, ErrorShape, FileTransferSchema, Id } from './schemas/common';
import { NetworkState, SettingsPatch, SettingsView, TokenStatus } from './schemas/settings';
import { ModelInfo } from './schemas/models';
import { JobStartRequest, JobState, JobView, MaskPayload } from './schemas/jobs';
import {
  Deletion,
  DeletionEvent,
  Flag,
  GalleryCounts,
  GalleryFilter,
  GalleryPage,
  GalleryQuery,
  MoveProgress,
  PhotoRef,
  PreviousLibraryView,
  Rating,
  RunDetail,
  RunSummary,
} from './schemas/library';
import { ImportResult, SelfieView } from './schemas/selfies';
import { Preset, PresetValues } from './schemas/prompts';
import { ExportFace, ExportProgress, ExportRequest, ExportResult, RestoredSettings } from './schemas/export';
import {
  TrainedModel,
  TrainerInfo,
  TrainingPhotoView,
  TrainingSetAddResult,
  TrainingSetProgress,
  TrainingSetView,
  TrainingStartRequest,
  TrainingView,
} from './schemas/training';

export * from './schemas/common';
export * from './schemas/settings';
export * from './schemas/models';
export * from './schemas/jobs';
export * from './schemas/library';
export * from './schemas/selfies';
export * from './schemas/prompts';
export * from './schemas/export';
export * from './schemas/training';

const Empty = z.undefined();
const Void = z.null();

/** The photos a key applies to (a whole selection in the grid): at most every photo of a big library. */
const PhotoRefs = z.array(PhotoRef).min(1).max(20_000);
const Token = z.object({ token: Id }).strict();

// ---------- channels ----------
export const invokeContract = {
  'app:info': {
    request: Empty,
    response: z.object({ version: z.string(), platform: z.string(), userDataDir: z.string(), logsDir: z.string() }),
  },
  'app:openExternal': { request: z.object({ url: z.string().max(2000) }), response: Void },
  'app:showLogs': { request: Empty, response: Void },
  'token:status': { request: Empty, response: TokenStatus },
  'token:set': {
    request: z.object({ token: z.string().min(1).max(200), allowPlaintext: z.boolean().optional() }).strict(),
    response: TokenStatus,
  },
  'token:clear': { request: Empty, response: TokenStatus },
  'settings:get': { request: Empty, response: SettingsView },
  'settings:update': { request: SettingsPatch, response: SettingsView },
  'settings:chooseLibrary': { request: Empty, response: SettingsView },
  'settings:useDefaultLibrary': { request: Empty, response: SettingsView },
  'models:get': {
    request: z.object({ ref: z.string().max(200).optional(), refresh: z.boolean().optional() }).strict(),
    response: ModelInfo,
  },
  'jobs:start': { request: JobStartRequest, response: JobView },
  'jobs:cancel': { request: z.object({ jobId: Id }).strict(), response: JobView },
  'jobs:list': { request: Empty, response: z.array(JobView) },
  'jobs:dismiss': { request: z.object({ jobId: Id }).strict(), response: Void },
  'jobs:retry': { request: z.object({ jobId: Id }).strict(), response: JobView },
  'library:list': {
    request: z
      .object({
        query: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        before: z.number().optional(),
        picksOnly: z.boolean().optional(),
      })
      .strict()
      .optional(),
    response: z.array(RunSummary),
  },
  'library:get': { request: z.object({ runId: Id }).strict(), response: RunDetail },
  /** `index`: the photo being looked at (selected in the file manager); without it, or when it is gone, the run's folder */
  'library:reveal': {
    request: z.object({ runId: Id, index: z.number().int().min(0).max(63).optional() }).strict(),
    response: Void,
  },
  'library:previous': { request: Empty, response: PreviousLibraryView.nullable() },
  /** resolves when the move ends (progress meanwhile as `library:moveProgress`) */
  'library:movePrevious': { request: Empty, response: MoveProgress },
  'library:cancelMove': { request: Empty, response: Void },
  'library:openPrevious': { request: Empty, response: Void },
  'library:forgetPrevious': { request: Empty, response: Void },
  /** the whole run goes through the trash queue: hidden at once, undoable, then to the system trash */
  'library:remove': { request: z.object({ runId: Id }).strict(), response: Deletion },
  /** one write per run.json; answers the runs as they now are */
  'library:setFlag': { request: z.object({ items: PhotoRefs, flag: Flag }).strict(), response: z.array(RunSummary) },
  'library:setRating': {
    request: z.object({ items: PhotoRefs, rating: Rating }).strict(),
    response: z.array(RunSummary),
  },
  'library:query': { request: GalleryQuery.optional(), response: GalleryPage },
  'library:records': { request: z.object({ runIds: z.array(Id).max(1000) }).strict(), response: z.array(RunSummary) },
  /** the rejected photos (of these runs, or of the whole library) to the trash queue; null when there are none */
  'library:deleteRejected': {
    request: z
      .object({ runIds: z.array(Id).min(1).max(20_000).optional() })
      .strict()
      .optional(),
    response: Deletion.nullable(),
  },
  'library:undoDelete': { request: Token, response: Void },
  /** after the system trash refused: delete those files for good */
  'library:deletePermanently': { request: Token, response: Void },
  'library:deletions': { request: Empty, response: z.array(Deletion) },
  'selfies:import': {
    request: z.object({ files: z.array(FileTransferSchema).min(1).max(200) }).strict(),
    response: ImportResult,
  },
  'selfies:list': { request: Empty, response: z.array(SelfieView) },
  'selfies:remove': { request: z.object({ id: Id }).strict(), response: Void },
  'prompts:recent': { request: Empty, response: z.array(z.string()) },
  'presets:list': { request: Empty, response: z.array(Preset) },
  'presets:save': {
    request: z.object({ name: z.string().min(1).max(80), values: PresetValues }).strict(),
    response: z.array(Preset),
  },
  'presets:remove': { request: z.object({ name: z.string().min(1).max(80) }).strict(), response: z.array(Preset) },
  'network:status': { request: Empty, response: NetworkState },
  'export:photos': { request: ExportRequest, response: ExportResult },
  'export:cancel': { request: z.object({ exportId: Id.optional() }).strict().optional(), response: Void },
  /** one dropped or picked file as its bytes (FILE_CHANNELS); none: main asks with a native open dialog */
  'export:readSettingsFromFile': {
    request: z.object({ files: z.array(FileTransferSchema).max(1) }).strict(),
    response: RestoredSettings,
  },
  'export:copyToClipboard': { request: PhotoRef, response: Void },
  'export:startDrag': { request: PhotoRef, response: Void },
  'export:openPrediction': { request: z.object({ runId: Id }).strict(), response: Void },
  /** the face the default crop is centred on, in fractions of the photo; null: none found (the crop is centred) */
  'export:face': { request: PhotoRef, response: z.object({ face: ExportFace.nullable() }) },
  /** selects an exported file in Finder / Explorer: main accepts only a file its recent exports wrote */
  'export:reveal': { request: z.object({ path: z.string().min(1).max(4096) }).strict(), response: Void },
  /** a run's painted mask at its starting photo's size (0 keep, 255 repaint), for Remix */
  'export:remixMask': { request: z.object({ runId: Id }).strict(), response: MaskPayload },
  'training:trainers': { request: Empty, response: z.array(TrainerInfo) },
  'training:start': { request: TrainingStartRequest, response: TrainingView },
  'training:list': {
    request: Empty,
    response: z.object({ trainings: z.array(TrainingView), models: z.array(TrainedModel) }),
  },
  'training:cancel': { request: z.object({ id: Id }).strict(), response: TrainingView },
  /** a training stopped by a platform fault (`retryable`), started again as a new one */
  'training:retry': { request: z.object({ id: Id }).strict(), response: TrainingView },
  'trainingset:list': { request: Empty, response: TrainingSetView },
  /** dropped or picked photos as their bytes (FILE_CHANNELS) */
  'trainingset:add': {
    request: z.object({ files: z.array(FileTransferSchema).min(1).max(200) }).strict(),
    response: TrainingSetAddResult,
  },
  /** resolves when every photo is checked (progress meanwhile as `trainingset:progress`) */
  'trainingset:check': { request: Empty, response: TrainingSetView },
  'trainingset:cancel': { request: Empty, response: Void },
  'trainingset:setIncluded': {
    request: z.object({ id: Id, included: z.boolean() }).strict(),
    response: TrainingSetView,
  },
  'trainingset:setCaption': {
    request: z.object({ id: Id, caption: z.string().max(2000) }).strict(),
    response: TrainingSetView,
  },
  'trainingset:remove': { request: z.object({ id: Id }).strict(), response: TrainingSetView },
} satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>;

export const eventContract = {
  'jobs:progress': JobView,
  /** `switched`: another folder is the library now; everything shown from the old one must go */
  'library:changed': z.object({
    runId: Id.optional(),
    reason: z.enum(['added', 'removed', 'rebuilt', 'updated', 'switched']),
  }),
  'library:moveProgress': MoveProgress,
  'library:deletion': DeletionEvent,
  'settings:changed': SettingsView,
  'network:changed': NetworkState,
  'export:progress': ExportProgress,
  'training:progress': TrainingView,
  'trainingset:progress': TrainingSetProgress,
} satisfies Record<EventChannel, z.ZodType>;

export type InvokeContract = typeof invokeContract;
export type Req<C extends InvokeChannel> = z.input<InvokeContract[C]['request']>;
export type Res<C extends InvokeChannel> = z.output<InvokeContract[C]['response']>;
export type EventPayload<C extends EventChannel> = z.output<(typeof eventContract)[C]>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: z.output<typeof ErrorShape> };

export type TokenStatusT = z.output<typeof TokenStatus>;
export type SettingsViewT = z.output<typeof SettingsView>;
export type ModelInfoT = z.output<typeof ModelInfo>;
export type JobViewT = z.output<typeof JobView>;
export type JobStateT = z.output<typeof JobState>;
export type RunSummaryT = z.output<typeof RunSummary>;
export type RunDetailT = z.output<typeof RunDetail>;
export type FlagT = z.output<typeof Flag>;
export type PhotoRefT = z.output<typeof PhotoRef>;
export type GalleryFilterT = z.output<typeof GalleryFilter>;
export type GalleryQueryT = z.output<typeof GalleryQuery>;
export type GalleryPageT = z.output<typeof GalleryPage>;
export type GalleryCountsT = z.output<typeof GalleryCounts>;
export type DeletionT = z.output<typeof Deletion>;
export type DeletionEventT = z.output<typeof DeletionEvent>;
export type AssetRefT = z.output<typeof AssetRef>;
export type JobStartRequestT = z.output<typeof JobStartRequest>;
export type SelfieViewT = z.output<typeof SelfieView>;
export type ImportResultT = z.output<typeof ImportResult>;
export type PresetT = z.output<typeof Preset>;
export type NetworkStateT = z.output<typeof NetworkState>;
export type ExportRequestT = z.output<typeof ExportRequest>;
export type ExportResultT = z.output<typeof ExportResult>;
export type RestoredSettingsT = z.output<typeof RestoredSettings>;
export type MoveProgressT = z.output<typeof MoveProgress>;
export type PreviousLibraryViewT = z.output<typeof PreviousLibraryView>;
export type TrainerInfoT = z.output<typeof TrainerInfo>;
export type TrainingViewT = z.output<typeof TrainingView>;
export type TrainedModelT = z.output<typeof TrainedModel>;
export type TrainingStartRequestT = z.output<typeof TrainingStartRequest>;
export type TrainingSetViewT = z.output<typeof TrainingSetView>;
export type TrainingPhotoViewT = z.output<typeof TrainingPhotoView>;
export type TrainingSetAddResultT = z.output<typeof TrainingSetAddResult>;
export type TrainingSetProgressT = z.output<typeof TrainingSetProgress>;
