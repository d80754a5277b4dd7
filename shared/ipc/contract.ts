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
const AssetId = z.string().regex(/^[A-Za-z0-9_./-]{1,200}$/).refine((s) => !s.split('/').includes('..'), 'bad asset id');

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
  /** shown once: e.g. "Your settings file was damaged; a backup was kept and defaults restored." */
  notices: z.array(z.string()),
});
export const SettingsPatch = z
  .object({
    defaultModel: z.string().regex(/^[a-z0-9][a-z0-9_.-]*\/[a-z0-9][a-z0-9_.-]*(:[0-9a-f]{64})?$/i, 'Use owner/name or owner/name:version.'),
    apiBaseUrl: ApiBaseUrl,
    theme: Theme,
    concurrency: z.number().int().min(1).max(4),
    uploadRetentionMinutes: z.number().int().min(0).max(24 * 60),
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

export const JOB_STATES = ['queued', 'preparing', 'submitted', 'running', 'downloading', 'saved', 'failed', 'canceled', 'lost'] as const;
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
  progress: z.object({ step: z.number(), total: z.number(), percent: z.number(), etaSec: z.number().optional() }).optional(),
  seed: z.number().int().optional(),
  /** e.g. "Replicate asked us to slow down; retrying in 12 s" */
  status: z.string().optional(),
  waitingUntil: z.number().optional(),
  error: ErrorShape.optional(),
  warnings: z.array(z.string()),
  images: z.array(AssetRef),
});

/** A painted mask (shared/images.ts), checked: sides up to 16 384 px and exactly width × height bytes. */
export const MaskPayload: z.ZodType<MaskBitmap, MaskBitmap> = z.object({
  width: z.number().int().min(1).max(16384),
  height: z.number().int().min(1).max(16384),
  data: z.instanceof(Uint8Array),
}).refine((m) => m.data.length === m.width * m.height, 'mask data must be width×height bytes');

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

/** `kept`: the person marked it as one of the best (stored in the run's run.json). */
export const RunImage = AssetRef.extend({ index: z.number().int(), format: z.string(), kept: z.boolean().default(false) });
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
    bytes: z.instanceof(Uint8Array).refine((b) => b.length <= MAX_IMPORT_BYTES, 'Files up to 100 MB can be imported.').optional(),
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
  errors: z.array(z.object({ name: z.string(), code: z.enum(ERROR_CODES), message: z.string() })),
});
const PresetValues = boundedRecord(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean()]), 64);
export const Preset = z.object({ name: z.string(), values: PresetValues, savedAt: z.number() });

/** Whether Replicate can be reached; `since`: when that last changed (main's clock, ms). */
export const NetworkState = z.object({ online: z.boolean(), since: z.number() });

const Empty = z.undefined();
const Void = z.null();

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
  'models:get': { request: z.object({ ref: z.string().max(200).optional(), refresh: z.boolean().optional() }).strict(), response: ModelInfo },
  'jobs:start': { request: JobStartRequest, response: JobView },
  'jobs:cancel': { request: z.object({ jobId: Id }).strict(), response: JobView },
  'jobs:list': { request: Empty, response: z.array(JobView) },
  'jobs:dismiss': { request: z.object({ jobId: Id }).strict(), response: Void },
  'jobs:retry': { request: z.object({ jobId: Id }).strict(), response: JobView },
  'library:list': {
    request: z.object({ query: z.string().max(200).optional(), limit: z.number().int().min(1).max(1000).optional(), before: z.number().optional(), keptOnly: z.boolean().optional() }).strict().optional(),
    response: z.array(RunSummary),
  },
  'library:get': { request: z.object({ runId: Id }).strict(), response: RunDetail },
  'library:reveal': { request: z.object({ runId: Id }).strict(), response: Void },
  'library:remove': { request: z.object({ runId: Id }).strict(), response: Void },
  'library:keep': { request: z.object({ runId: Id, index: z.number().int().min(0).max(63), kept: z.boolean() }).strict(), response: RunSummary },
  'selfies:import': { request: z.object({ files: z.array(FileTransferSchema).min(1).max(200) }).strict(), response: ImportResult },
  'selfies:list': { request: Empty, response: z.array(SelfieView) },
  'selfies:remove': { request: z.object({ id: Id }).strict(), response: Void },
  'prompts:recent': { request: Empty, response: z.array(z.string()) },
  'presets:list': { request: Empty, response: z.array(Preset) },
  'presets:save': { request: z.object({ name: z.string().min(1).max(80), values: PresetValues }).strict(), response: z.array(Preset) },
  'presets:remove': { request: z.object({ name: z.string().min(1).max(80) }).strict(), response: z.array(Preset) },
  'network:status': { request: Empty, response: NetworkState },
} satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>;

export const eventContract = {
  'jobs:progress': JobView,
  'library:changed': z.object({ runId: Id.optional(), reason: z.enum(['added', 'removed', 'rebuilt', 'updated']) }),
  'settings:changed': SettingsView,
  'network:changed': NetworkState,
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
export type AssetRefT = z.output<typeof AssetRef>;
export type JobStartRequestT = z.output<typeof JobStartRequest>;
export type SelfieViewT = z.output<typeof SelfieView>;
export type ImportResultT = z.output<typeof ImportResult>;
export type PresetT = z.output<typeof Preset>;
export type NetworkStateT = z.output<typeof NetworkState>;
