/**
 * The one IPC contract: a zod schema for the request and the response of every channel, and for
 * every event payload. Main validates requests (untrusted renderer) and responses (so nothing
 * outside the schema, e.g. a token, can leak by accident: unknown keys are stripped).
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { apiBaseProblem } from '../api-base';
import type { MaskBitmap } from '../images';
import { MAX_IMPORT_BYTES, type EventChannel, type InvokeChannel } from './channels';
import { EXPORT_FORMATS, EXPORT_SIZES } from '../export';
import { QUALITY_PRESET_NAMES, TRAINING_STATES, triggerWordProblem } from '../training/training';

// ---------- domain schemas ----------
export const ErrorShape = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  retryAfterMs: z.number().optional(),
});

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** A record with a bounded number of keys: the renderer is untrusted, and every map it sends is kept or looped over. */
export function boundedRecord<K extends z.ZodType<string>, V extends z.ZodType>(key: K, value: V, maxKeys: number) {
  return z.record(key, value).refine((r) => Object.keys(r).length <= maxKeys, `at most ${maxKeys} entries`);
}

/** An API address that may carry the token (shared/api-base.ts). */
export const ApiBaseUrl = z
  .string()
  .max(500)
  .superRefine((v, ctx) => {
    const problem = apiBaseProblem(v.trim());
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Trigger words per model: one per model the person uses, not an unbounded store. */
export const TriggerWords = boundedRecord(z.string().max(200), z.string().max(100), 200);
/** opaque key of an image main can serve through the asset protocol */
const AssetId = z
  .string()
  .regex(/^[A-Za-z0-9_./-]{1,200}$/)
  .refine((s) => !s.split('/').includes('..'), 'bad asset id');

export const AssetRef = z.object({ id: AssetId, width: z.number().int(), height: z.number().int() });

export const Account = z.object({ username: z.string(), name: z.string().optional() });

export const TokenStatus = z.object({
  hasToken: z.boolean(),
  account: Account.nullable(),
  /** encrypted: in the OS keychain; session: kept in memory until quit; env: from REPLICATE_API_TOKEN */
  storage: z.enum(['none', 'encrypted', 'plaintext', 'session', 'env']),
  /** the OS offers no real encryption (Linux basic_text): storing means plaintext */
  insecureBackend: z.boolean(),
  /** a token is kept, but for this other API host: the current address needs its own */
  tokenHost: z.string().optional(),
});

export const Theme = z.enum(['system', 'light', 'dark']);
export const SettingsView = z.object({
  libraryDir: z.string(),
  libraryIsDefault: z.boolean(),
  defaultModel: z.string(),
  apiBaseUrl: z.string(),
  /** set for this session by REPLICATE_BASE_URL: shown, not editable, never saved */
  apiBaseFromEnv: z.boolean(),
  theme: Theme,
  concurrency: z.number().int(),
  uploadRetentionMinutes: z.number().int(),
  triggerWords: z.record(z.string(), z.string()),
  /** the folder photos were last exported to (chosen in a native dialog), null before the first export */
  exportDir: z.string().nullable(),
  /** shown once: e.g. "Your settings file was damaged; a backup was kept and defaults restored." */
  notices: z.array(z.string()),
});
export const SettingsPatch = z
  .object({
    defaultModel: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]*\/[a-z0-9][a-z0-9_.-]*(:[0-9a-f]{64})?$/i, 'Use owner/name or owner/name:version.'),
    apiBaseUrl: ApiBaseUrl,
    theme: Theme,
    concurrency: z.number().int().min(1).max(4),
    uploadRetentionMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    triggerWords: TriggerWords,
    dismissNotices: z.literal(true),
  })
  .partial()
  .strict();

export const ModelFieldSchema = z.object({
  name: z.string(),
  title: z.string(),
  type: z.enum(['string', 'integer', 'number', 'boolean']),
  format: z.literal('uri').optional(),
  description: z.string().optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  enum: z.array(z.union([z.string(), z.number()])).optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  required: z.boolean(),
  order: z.number(),
});
export const ModelInfo = z.object({
  ref: z.string(),
  owner: z.string(),
  name: z.string(),
  versionId: z.string().nullable(),
  description: z.string().optional(),
  fields: z.array(ModelFieldSchema),
  /** live: fetched now; cache: fetched earlier; builtin: the bundled sseelfie-ai schema (offline) */
  source: z.enum(['live', 'cache', 'builtin']),
  warning: z.string().optional(),
});

export const JOB_STATES = [
  'queued',
  'preparing',
  'submitted',
  'running',
  'downloading',
  'saved',
  'failed',
  'canceled',
  'lost',
] as const;
export const JobState = z.enum(JOB_STATES);
export const JobView = z.object({
  id: Id,
  runId: Id,
  state: JobState,
  label: z.string(),
  modelRef: z.string(),
  prompt: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  predictionId: z.string().optional(),
  numOutputs: z.number().int(),
  progress: z
    .object({ step: z.number(), total: z.number(), percent: z.number(), etaSec: z.number().optional() })
    .optional(),
  seed: z.number().int().optional(),
  /** e.g. "Replicate asked us to slow down; retrying in 12 s" */
  status: z.string().optional(),
  waitingUntil: z.number().optional(),
  error: ErrorShape.optional(),
  warnings: z.array(z.string()),
  images: z.array(AssetRef),
});

/** A painted mask (shared/images.ts), checked: sides up to 16 384 px and exactly width × height bytes. */
export const MaskPayload: z.ZodType<MaskBitmap, MaskBitmap> = z
  .object({
    width: z.number().int().min(1).max(16384),
    height: z.number().int().min(1).max(16384),
    data: z.instanceof(Uint8Array),
  })
  .refine((m) => m.data.length === m.width * m.height, 'mask data must be width×height bytes');

/** A starting image: a selfie on the shelf or an image of a saved run. */
export const ImageSource = z.object({ assetId: AssetId });

export const JobStartRequest = z.object({
  modelRef: z.string().max(200).optional(),
  input: boundedRecord(z.string().max(64), z.unknown(), 64),
  image: ImageSource.optional(),
  mask: MaskPayload.optional(),
  keepOutside: z.boolean().optional(),
  label: z.string().max(200).optional(),
  /** the same job again on purpose: without it, an identical request moments after the last is the same press */
  repeat: z.boolean().optional(),
});

/** Lightroom-style culling, stored per image in the run's run.json: Pick, Reject or unflagged (null). */
export const FLAGS = ['pick', 'reject'] as const;
export const Flag = z.enum(FLAGS).nullable();
export const Rating = z.number().int().min(0).max(5);
export const RunImage = AssetRef.extend({
  index: z.number().int(),
  format: z.string(),
  flag: Flag.default(null),
  rating: Rating.default(0),
});
export const RunSummary = z.object({
  id: Id,
  createdAt: z.number(),
  prompt: z.string(),
  label: z.string(),
  modelRef: z.string(),
  mode: z.enum(['txt2img', 'img2img', 'inpaint']),
  seed: z.number().int().nullable(),
  images: z.array(RunImage),
  warnings: z.array(z.string()),
});
export const RunDetail = RunSummary.extend({
  input: z.record(z.string(), z.unknown()),
  version: z.string().nullable(),
  predictionId: z.string().nullable(),
  predictTime: z.number().nullable(),
  source: AssetRef.nullable(),
  mask: AssetRef.nullable(),
});

export const FileTransferSchema = z
  .object({
    name: z.string().min(1).max(255),
    bytes: z
      .instanceof(Uint8Array)
      .refine((b) => b.length <= MAX_IMPORT_BYTES, 'Files up to 100 MB can be imported.')
      .optional(),
    /** only for a file too large to read: its size, so main can name it in the answer */
    size: z.number().int().positive().optional(),
  })
  .strict()
  .refine((f) => !!f.bytes !== (f.size !== undefined), 'a file has either its bytes or its size');

export const SelfieView = z.object({
  id: Id,
  name: z.string(),
  addedAt: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  image: AssetRef,
  thumb: AssetRef,
});
export const ImportResult = z.object({
  imported: z.array(SelfieView),
  /** files that were already on the shelf (the same file or the same picture): `shelfName` is the selfie they already are */
  duplicates: z.array(z.object({ name: z.string(), id: Id, shelfName: z.string() })),
  errors: z.array(z.object({ name: z.string(), code: z.enum(ERROR_CODES), message: z.string() })),
});
/** Moving the previous library's photos into this one (electron/services/library/library-move.ts). */
export const MoveProgress = z.object({
  state: z.enum(['moving', 'done', 'canceled', 'failed']),
  from: z.string(),
  /** folders to move (runs and selfies), and how many are dealt with */
  total: z.number().int(),
  done: z.number().int(),
  runsMoved: z.number().int(),
  selfiesMoved: z.number().int(),
  /** left where they were: a run or selfie of that name is already here */
  skipped: z.array(z.object({ kind: z.enum(['run', 'selfie']), id: z.string(), reason: z.string() })),
  error: z.string().optional(),
});
/** The library the person left, while it still holds photos. */
export const PreviousLibraryView = z.object({
  dir: z.string(),
  runs: z.number().int(),
  selfies: z.number().int(),
  move: MoveProgress.nullable(),
});

const PresetValues = boundedRecord(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean()]), 64);
export const Preset = z.object({ name: z.string(), values: PresetValues, savedAt: z.number() });

/** A fraction of an image's width or height. */
const Fraction = z.number().min(0).max(1);
/** Where an export's crop goes: a point to centre on, or the rectangle to keep, in fractions of the image (shared/images.ts). */
export const ExportCrop = z.union([
  z.object({ focus: z.object({ x: Fraction, y: Fraction }).strict() }).strict(),
  z
    .object({
      rect: z
        .object({ left: Fraction, top: Fraction, width: z.number().gt(0).max(1), height: z.number().gt(0).max(1) })
        .strict(),
    })
    .strict()
    .refine(
      (c) => c.rect.left + c.rect.width <= 1.0001 && c.rect.top + c.rect.height <= 1.0001,
      'the crop must lie inside the photo',
    ),
]);
/** One photo of the library: its run and its index in that run. */
export const PhotoRef = z.object({ runId: Id, index: z.number().int().min(0).max(63) }).strict();
export const ExportRequest = z
  .object({
    /** names this export in export:progress and export:cancel; main makes one up when missing */
    exportId: Id.optional(),
    items: z
      .array(PhotoRef.extend({ crop: ExportCrop.optional() }).strict())
      .min(1)
      .max(2000),
    /** only the folder last chosen (settings exportDir) is accepted; without it main asks with a native dialog */
    folder: z.string().max(4096).optional(),
    format: z.enum(EXPORT_FORMATS),
    quality: z.number().int().min(1).max(100),
    size: z.enum(EXPORT_SIZES),
    crop: ExportCrop.optional(),
    stripMetadata: z.boolean(),
  })
  .strict();
export const ExportResult = z.object({
  exportId: Id,
  /** null when the person closed the folder dialog: nothing was exported */
  folder: z.string().nullable(),
  files: z.array(
    z.object({
      runId: Id,
      index: z.number().int(),
      path: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      format: z.enum(EXPORT_FORMATS),
      warnings: z.array(z.string()),
    }),
  ),
  canceled: z.boolean(),
});
/** A face's box in fractions of the photo (export/face-locator.ts) and the detector's score. */
export const ExportFace = z.object({
  left: Fraction,
  top: Fraction,
  width: Fraction,
  height: Fraction,
  score: z.number().optional(),
});
export const ExportProgress = z.object({
  exportId: Id,
  done: z.number().int(),
  total: z.number().int(),
  path: z.string().optional(),
});
export const RestoredSettings = z.object({
  /** null when the person closed the file dialog */
  input: z.record(z.string(), z.unknown()).nullable(),
  modelRef: z.string().optional(),
  version: z.string().optional(),
  notes: z.array(z.object({ field: z.string(), message: z.string() })),
  source: z.enum(['sseelfie', 'a1111']).nullable(),
  name: z.string().optional(),
});
// ---------- trainings (your own model from your selfies) ----------
const ModelName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'Use lowercase letters, digits, dashes, dots or underscores.');
export const TrainerInfo = z.object({
  ref: z.string(),
  versionId: z.string(),
  description: z.string().optional(),
  /** the trainer's own TrainingInput, read from its version (the Advanced form) */
  fields: z.array(ModelFieldSchema),
  hardware: z.string(),
  /** USD per second of the price table, and the date the table was written */
  pricePerSecond: z.number().nullable(),
  priceAsOf: z.string(),
});
export const TrainingView = z.object({
  id: Id,
  state: z.enum(TRAINING_STATES),
  /** owner/name of the destination model */
  destination: z.string(),
  trainer: z.string(),
  triggerWord: z.string(),
  photos: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
  trainingId: z.string().optional(),
  /** owner/name:version once it succeeded: pick it as the model in Settings */
  modelRef: z.string().optional(),
  progress: z
    .object({
      step: z.number(),
      total: z.number(),
      percent: z.number(),
      etaSec: z.number().optional(),
      loss: z.number().optional(),
    })
    .optional(),
  elapsedSec: z.number().optional(),
  predictTime: z.number().optional(),
  cost: z.object({ usd: z.number(), estimated: z.boolean(), priceAsOf: z.string() }).optional(),
  status: z.string().optional(),
  error: ErrorShape.optional(),
  /** a platform fault: Retry starts it again */
  retryable: z.boolean().optional(),
});
export const TrainedModel = z.object({
  ref: z.string(),
  destination: z.string(),
  versionId: z.string(),
  triggerWord: z.string(),
  trainer: z.string(),
  trainingId: z.string(),
  trainedAt: z.number(),
});
export const TrainingStartRequest = z
  .object({
    /** selfies from the shelf, each with an optional caption (written as name.txt in the zip) */
    photos: z
      .array(z.object({ assetId: AssetId, caption: z.string().max(1000).optional() }).strict())
      .min(1)
      .max(200),
    /** the model's name under your account, or owner/name */
    name: z.union([ModelName, z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*\/[a-z0-9][a-z0-9_.-]*$/)]),
    triggerWord: z.string().superRefine((v, ctx) => {
      const p = triggerWordProblem(v);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    }),
    trainer: z.string().max(200).optional(),
    preset: z.enum(QUALITY_PRESET_NAMES as [string, ...string[]]).optional(),
    /** Advanced: the trainer's own inputs, checked against its schema in main */
    input: boundedRecord(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean()]), 64).optional(),
    includeFlagged: z.boolean().optional(),
  })
  .strict();

/** The selfies gathered for training a model (electron/services/training/training-set.ts). */
const PhotoCodeSchema = z.enum([
  'unreadable',
  'too-small',
  'low-resolution',
  'blurry',
  'duplicate',
  'no-face',
  'several-faces',
  'face-too-small',
  'other-person',
]);
const SetCodeSchema = z.enum(['too-few', 'too-many', 'one-angle']);
export const TrainingPhotoView = z.object({
  id: Id,
  name: z.string(),
  file: z.string(),
  addedAt: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  caption: z.string(),
  included: z.boolean(),
  overridden: z.boolean(),
  /** null until the photo has been checked */
  verdict: z
    .object({
      ok: z.boolean(),
      problems: z.array(z.object({ code: PhotoCodeSchema, message: z.string(), of: Id.optional() })),
    })
    .nullable(),
  image: AssetRef,
  thumb: AssetRef,
});
export const TrainingSetView = z.object({
  id: Id,
  photos: z.array(TrainingPhotoView),
  summary: z.object({
    included: z.number().int(),
    excluded: z.number().int(),
    unchecked: z.number().int(),
    ready: z.boolean(),
    problems: z.array(z.object({ code: SetCodeSchema, message: z.string() })),
  }),
  checkedAt: z.number().nullable(),
});
export const TrainingSetAddResult = z.object({
  set: TrainingSetView,
  added: z.array(Id),
  alreadyIn: z.array(z.object({ name: z.string(), as: z.string() })),
  errors: z.array(z.object({ name: z.string(), code: z.enum(ERROR_CODES), message: z.string() })),
});
export const TrainingSetProgress = z.object({
  setId: Id,
  done: z.number().int(),
  total: z.number().int(),
  loadingModel: z.boolean(),
  name: z.string().optional(),
});

/** Whether Replicate can be reached; `since`: when that last changed (main's clock, ms). */
export const NetworkState = z.object({ online: z.boolean(), since: z.number() });

const Empty = z.undefined();
const Void = z.null();

/** The photos a key applies to (a whole selection in the grid): at most every photo of a big library. */
const PhotoRefs = z.array(PhotoRef).min(1).max(20_000);

export const RUN_MODES = ['txt2img', 'img2img', 'inpaint'] as const;
export const GALLERY_SORTS = ['newest', 'oldest', 'rating'] as const;
export const FLAG_FILTERS = ['any', 'pick', 'reject', 'unflagged'] as const;
/** What the gallery shows; every field narrows, an absent one does not. */
export const GalleryFilter = z
  .object({
    flag: z.enum(FLAG_FILTERS).optional(),
    /** rating ≥ N (0 = any) */
    minRating: Rating.optional(),
    model: z.string().max(200).optional(),
    /** e.g. "16:9", "1:1", or "W×H" for a size no usual ratio matches (the counts list the values) */
    aspect: z.string().max(20).optional(),
    /** prompt, from a photo (img2img) or repainted (inpainting) */
    mode: z.enum(RUN_MODES).optional(),
    /** createdAt range, ms, inclusive */
    from: z.number().optional(),
    to: z.number().optional(),
    /** words of the prompt or the label, accent- and case-insensitive ("cafe" finds "café"); all must match */
    search: z.string().max(200).optional(),
  })
  .strict();
const ValueCounts = z.array(z.object({ value: z.string(), count: z.number().int() }));
/** Counts for each value of a filter, with every other filter applied (the chips: "Picks 12 · Rejects 30 · ★≥3 8"). */
export const GalleryCounts = z.object({
  flag: z.object({
    any: z.number().int(),
    pick: z.number().int(),
    reject: z.number().int(),
    unflagged: z.number().int(),
  }),
  /** [n] = photos rated ≥ n, n = 0…5 */
  rating: z.array(z.number().int()).length(6),
  model: ValueCounts,
  aspect: ValueCounts,
  mode: z.object({ txt2img: z.number().int(), img2img: z.number().int(), inpaint: z.number().int() }),
});
export const GalleryQuery = z
  .object({
    filter: GalleryFilter.optional(),
    sort: z.enum(GALLERY_SORTS).optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export const GalleryPage = z.object({
  /** the photos of the filter, in order (from offset, up to limit) */
  items: z.array(z.object({ runId: z.string(), index: z.number().int() })),
  /** how many photos the filter matches in all */
  total: z.number().int(),
  counts: GalleryCounts,
});

/** A deletion waiting in the trash queue: undoable until `undoUntil`; `failed` when the system trash refused. */
export const Deletion = z.object({
  token: Id,
  state: z.enum(['pending', 'failed']),
  photos: z.number().int(),
  runs: z.number().int(),
  undoUntil: z.number(),
  /** why the system trash refused (failed only), e.g. "the file is in use" */
  reason: z.string().optional(),
});
export const DeletionEvent = z.object({
  token: Id,
  /** pending: hidden, undoable; trashed: in the system trash; failed: the trash refused (offer a permanent delete); restored: shown again; deleted: permanently */
  state: z.enum(['pending', 'trashed', 'failed', 'restored', 'deleted']),
  photos: z.number().int(),
  undoUntil: z.number().optional(),
  reason: z.string().optional(),
});
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
