/**
 * The simulator's trainings: `POST /v1/models` (a destination), `GET /v1/hardware`, and the
 * trainings API (create on a trainer version, get, list with cursors, cancel), with the two FLUX
 * LoRA trainers and what they do to a zip of photos. Wired from server.ts (`TrainingsSim.route`).
 *
 * Sources (read, not imported):
 * - the HTTP reference (/work/shared/reference/replicate-api.md §2.9, §4): the training object
 *   `{id, model, version, destination, input, logs, output:{version, weights}, error, status,
 *   created_at, started_at, completed_at, metrics{predict_time, total_time}, urls{web,get,cancel},
 *   source}`, statuses as predictions, output pushed as a new version of the destination;
 * - replicate/flux-fine-tuner train.py (the code of ostris/flux-dev-lora-trainer): its inputs,
 *   defaults and bounds (gradient_checkpointing has no description: `descripton=` is misspelt
 *   there), the secrets, "input_images must be a zip file", `Extracted N files from zip`,
 *   JOB_NAME `flux_train_replicate` (the tqdm prefix), `__MACOSX/` and `._*` skipped;
 * - replicate-python's `Training` model (it carries `destination`).
 * The inputs of replicate/fast-flux-trainer are from its model page, not its code: clients must
 * read them from the version's schema, as they must for the other trainer.
 *
 * A training, like a prediction, is a pure function of the clock: `starting` for bootMs, then
 * `processing` (weights download, unzip, captions, steps × stepMs), then a terminal state.
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { unzipSync } from 'fflate';
import { buildCogDocument, cogTitle, type CogInput, type OpenApiSchema, type SchemaNode } from './cog-schema';
import type { Endpoint, TrainerFault } from './faults';
import {
  hotswapSchema,
  legacySchema,
  replicateTime,
  tqdmLine,
  validateInput,
  versionIdFor,
  withDefaults,
  type CatalogModel,
  type CogDialect,
  type ModelVersion,
} from './model-rules';

export interface TrainingTiming {
  /** `starting`: queue and boot of the training machine; default 300 */
  bootMs?: number;
  /** per training step; default 4 */
  stepMs?: number;
  /** downloading weights, unzipping, captioning before step 0; and saving after the last; default 100 each */
  setupMs?: number;
}

export type TrainingStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';

export interface TrainingJson {
  id: string;
  model: string;
  version: string;
  destination: string;
  input: Record<string, unknown>;
  logs?: string;
  output: { version: string; weights: string } | null;
  data_removed: boolean;
  error: string | null;
  status: TrainingStatus;
  source?: 'api';
  created_at: string;
  started_at?: string;
  completed_at?: string;
  metrics?: { predict_time?: number; total_time?: number };
  urls: { web: string; get: string; cancel: string };
  webhook?: string;
  webhook_events_filter?: string[];
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: object | null;
}

interface Ctx {
  req: http.IncomingMessage;
  url: URL;
  user: { username: string; credit: 'ok' | 'none' };
  trainerFault?: TrainerFault;
}

/** What the server lends this part: its clock, ids, models, uploaded files, body reader, pages. */
export interface TrainingsHost {
  now(): number;
  baseUrl(): string;
  deliveryOrigin(): string;
  newId(): string;
  nextSeq(): number;
  models: CatalogModel[];
  dialect: CogDialect;
  /** bytes of an uploaded file the user owns, from its `urls.get`; null when it is not one */
  fileBytes(username: string, url: string): Buffer | null;
  readJson(req: http.IncomingMessage): Promise<Record<string, unknown>>;
  paginate<T, J>(items: T[], keyOf: (t: T) => [number, number], url: URL, toJson: (t: T) => J): object;
}

const NOT_FOUND = { detail: 'The requested resource could not be found.', status: 404 };
const json = (status: number, body: object): Reply => ({ status, body });
const problem = (status: number, detail: string, title?: string): Reply =>
  json(status, title ? { title, detail, status } : { detail, status });

/** `GET /v1/hardware` (names as Replicate lists them). */
export const HARDWARE = [
  { name: 'CPU', sku: 'cpu' },
  { name: 'Nvidia T4 GPU', sku: 'gpu-t4' },
  { name: 'Nvidia L40S GPU', sku: 'gpu-l40s' },
  { name: '2x Nvidia L40S GPU', sku: 'gpu-l40s-2x' },
  { name: 'Nvidia A100 (80GB) GPU', sku: 'gpu-a100-large' },
  { name: '2x Nvidia A100 (80GB) GPU', sku: 'gpu-a100-large-2x' },
  { name: 'Nvidia H100 GPU', sku: 'gpu-h100' },
  { name: '8x Nvidia H100 GPU', sku: 'gpu-h100-8x' },
] as const;

// ---------------------------------------------------------------------------------------------
// The trainers' schemas

type TrainerInput = CogInput & { secret?: boolean };

/** flux-fine-tuner train.py `train()` arguments, in order. */
export const FLUX_LORA_TRAINER_INPUTS: readonly TrainerInput[] = [
  {
    name: 'input_images',
    type: 'string',
    format: 'uri',
    default: null,
    description:
      "A zip file containing the images that will be used for training. We recommend a minimum of 10 images. If you include captions, include them as one .txt file per image, e.g. my-photo.jpg should have a caption file named my-photo.txt. If you don't include captions, you can use autocaptioning (enabled by default).",
  },
  {
    name: 'trigger_word',
    type: 'string',
    default: 'TOK',
    description:
      'The trigger word refers to the object, style or concept you are training on. Pick a string that isn’t a real word, like TOK or something related to what’s being trained, like CYBRPNK. The trigger word you specify here will be associated with all images during training. Then when you use your LoRA, you can include the trigger word in prompts to help activate the LoRA.',
  },
  {
    name: 'autocaption',
    type: 'boolean',
    default: true,
    description: 'Automatically caption images using Llava v1.5 13B',
  },
  {
    name: 'autocaption_prefix',
    type: 'string',
    default: null,
    description:
      'Optional: Text you want to appear at the beginning of all your generated captions; for example, ‘a photo of TOK, ’. You can include your trigger word in the prefix. Prefixes help set the right context for your captions, and the captioner will use this prefix as context.',
  },
  {
    name: 'autocaption_suffix',
    type: 'string',
    default: null,
    description:
      'Optional: Text you want to appear at the end of all your generated captions; for example, ‘ in the style of TOK’. You can include your trigger word in suffixes. Suffixes help set the right concept for your captions, and the captioner will use this suffix as context.',
  },
  {
    name: 'steps',
    type: 'integer',
    default: 1000,
    minimum: 3,
    maximum: 6000,
    description: 'Number of training steps. Recommended range 500-4000',
  },
  {
    name: 'learning_rate',
    type: 'number',
    default: 0.0004,
    description: 'Learning rate, if you’re new to training you probably don’t need to change this.',
  },
  { name: 'batch_size', type: 'integer', default: 1, description: 'Batch size, you can leave this as 1' },
  { name: 'resolution', type: 'string', default: '512,768,1024', description: 'Image resolutions for training' },
  {
    name: 'lora_rank',
    type: 'integer',
    default: 16,
    minimum: 1,
    maximum: 128,
    description:
      'Higher ranks take longer to train but can capture more complex features. Caption quality is more important for higher ranks.',
  },
  {
    name: 'caption_dropout_rate',
    type: 'number',
    default: 0.05,
    minimum: 0,
    maximum: 1,
    description:
      'Advanced setting. Determines how often a caption is ignored. 0.05 means for 5% of all steps an image will be used without its caption. 0 means always use captions, while 1 means never use them. Dropping captions helps capture more details of an image, and can prevent over-fitting words with specific image elements. Try higher values when training a style.',
  },
  {
    name: 'optimizer',
    type: 'string',
    default: 'adamw8bit',
    description:
      'Optimizer to use for training. Supports: prodigy, adam8bit, adamw8bit, lion8bit, adam, adamw, lion, adagrad, adafactor.',
  },
  {
    name: 'cache_latents_to_disk',
    type: 'boolean',
    default: false,
    description: 'Use this if you have lots of input images and you hit out of memory errors',
  },
  {
    name: 'layers_to_optimize_regex',
    type: 'string',
    default: null,
    description:
      'Regular expression to match specific layers to optimize. Optimizing fewer layers results in shorter training times, but can also result in a weaker LoRA. For example, To target layers 7, 12, 16, 20 which seems to create good likeness with faster training (as discovered by lux in the Ostris discord, inspired by The Last Ben), use `transformer.single_transformer_blocks.(7|12|16|20).proj_out`.',
  },
  { name: 'gradient_checkpointing', type: 'boolean', default: false },
  {
    name: 'hf_repo_id',
    type: 'string',
    default: null,
    description:
      "Hugging Face repository ID, if you'd like to upload the trained LoRA to Hugging Face. For example, lucataco/flux-dev-lora. If the given repo does not exist, a new public repo will be created.",
  },
  {
    name: 'hf_token',
    type: 'string',
    default: null,
    secret: true,
    description: "Hugging Face token, if you'd like to upload the trained LoRA to Hugging Face.",
  },
  {
    name: 'wandb_api_key',
    type: 'string',
    default: null,
    secret: true,
    description: "Weights and Biases API key, if you'd like to log training progress to W&B.",
  },
  {
    name: 'wandb_project',
    type: 'string',
    default: 'flux_train_replicate',
    description: 'Weights and Biases project name. Only applicable if wandb_api_key is set.',
  },
  {
    name: 'wandb_run',
    type: 'string',
    default: null,
    description: 'Weights and Biases run name. Only applicable if wandb_api_key is set.',
  },
  {
    name: 'wandb_entity',
    type: 'string',
    default: null,
    description: 'Weights and Biases entity name. Only applicable if wandb_api_key is set.',
  },
  {
    name: 'wandb_sample_interval',
    type: 'integer',
    default: 100,
    minimum: 1,
    description:
      'Step interval for sampling output images that are logged to W&B. Only applicable if wandb_api_key is set.',
  },
  {
    name: 'wandb_sample_prompts',
    type: 'string',
    default: null,
    description:
      'Newline-separated list of prompts to use when logging samples to W&B. Only applicable if wandb_api_key is set.',
  },
  {
    name: 'wandb_save_interval',
    type: 'integer',
    default: 100,
    minimum: 1,
    description: 'Step interval for saving intermediate LoRA weights to W&B. Only applicable if wandb_api_key is set.',
  },
  {
    name: 'skip_training_and_use_pretrained_hf_lora_url',
    type: 'string',
    default: null,
    description:
      'If you’d like to skip LoRA training altogether and instead create a Replicate model from a pre-trained LoRA that’s on HuggingFace, use this field with a HuggingFace download URL. For example, https://huggingface.co/fofr/flux-80s-cyberpunk/resolve/main/lora.safetensors.',
  },
];

/** replicate/fast-flux-trainer as its model page shows it (fewer knobs; 8× H100). */
export const FAST_FLUX_TRAINER_INPUTS: readonly TrainerInput[] = [
  {
    name: 'input_images',
    type: 'string',
    format: 'uri',
    description:
      'A zip file containing the images that will be used for training. We recommend a minimum of 10 images. If you include captions, include them as one .txt file per image, e.g. my-photo.jpg should have a caption file named my-photo.txt.',
  },
  {
    name: 'trigger_word',
    type: 'string',
    default: 'TOK',
    description:
      'The trigger word refers to the object, style or concept you are training on. Pick a string that isn’t a real word.',
  },
  {
    name: 'lora_type',
    type: 'string',
    choices: ['subject', 'style'],
    default: 'subject',
    description: 'Type of LoRA to train: a subject (a person, an object) or a style.',
  },
  {
    name: 'training_steps',
    type: 'integer',
    default: 1000,
    minimum: 100,
    maximum: 6000,
    description: 'Number of training steps.',
  },
];

/**
 * A trainer version's document: Cog writes both the predictor's `Input` and the trainer's
 * `TrainingInput` (with the `/trainings` paths). Secrets are `format: password`, `x-cog-secret`.
 */
export function trainerSchema(inputs: readonly TrainerInput[], dialect: CogDialect = 'cog-allof'): OpenApiSchema {
  const training = buildCogDocument(
    inputs.map(({ secret: _s, ...i }) => i),
    dialect,
  );
  const predict = legacySchema(dialect);
  const node = structuredClone(training.components.schemas.Input!) as SchemaNode & {
    properties: Record<string, SchemaNode>;
  };
  node.title = 'TrainingInput';
  inputs.forEach((inp, order) => {
    if (!inp.secret) return;
    node.properties[inp.name] = {
      type: 'string',
      title: cogTitle(inp.name),
      format: 'password',
      description: inp.description,
      writeOnly: true,
      'x-order': order,
      'x-cog-secret': true,
    } as SchemaNode;
  });
  const enums = Object.fromEntries(
    Object.entries(training.components.schemas).filter(([k]) => inputs.some((i) => i.name === k && i.choices)),
  );
  return {
    ...predict,
    paths: {
      ...predict.paths,
      '/trainings': { post: { summary: 'Train', operationId: 'train_trainings_post' } },
      '/trainings/{training_id}/cancel': {
        post: { summary: 'Cancel Training', operationId: 'cancel_training_trainings__training_id__cancel_post' },
      },
    },
    components: {
      schemas: {
        ...predict.components.schemas,
        ...enums,
        TrainingInput: node,
        TrainingOutput: {
          type: 'object',
          title: 'TrainingOutput',
          required: ['weights'],
          properties: { weights: { type: 'string', title: 'Weights', format: 'uri' } },
        } as SchemaNode,
      },
    },
  };
}

/** The trainer's TrainingInput as a document whose `Input` it is, for validateInput/withDefaults. */
function asInputDocument(doc: OpenApiSchema): OpenApiSchema {
  return {
    ...doc,
    components: { schemas: { ...doc.components.schemas, Input: doc.components.schemas.TrainingInput! } },
  };
}

interface TrainerSpec {
  owner: string;
  name: string;
  description: string;
  inputs: readonly TrainerInput[];
  stepsInput: string;
  /** seconds per step the logs claim (a real H100 does about 1 s/it) */
  logSecPerStep: number;
}

export const TRAINERS: readonly TrainerSpec[] = [
  {
    owner: 'ostris',
    name: 'flux-dev-lora-trainer',
    description: 'Fine-tune FLUX.1-dev using ai-toolkit',
    inputs: FLUX_LORA_TRAINER_INPUTS,
    stepsInput: 'steps',
    logSecPerStep: 1.05,
  },
  {
    owner: 'replicate',
    name: 'fast-flux-trainer',
    description: 'Train subjects or styles faster than ever',
    inputs: FAST_FLUX_TRAINER_INPUTS,
    stepsInput: 'training_steps',
    logSecPerStep: 0.25,
  },
];

export function trainerCatalog(dialect: CogDialect): CatalogModel[] {
  return TRAINERS.map((t, i) => ({
    owner: t.owner,
    name: t.name,
    description: t.description,
    visibility: 'public',
    runCount: 100_000 + i,
    versions: [
      {
        id: versionIdFor(t.owner, t.name, 0),
        index: 0,
        createdAt: replicateTime(Date.UTC(2025, 5, 4, 12)),
        predictor: 'legacy',
        dialect,
        cogVersion: '0.9.26',
        schema: trainerSchema(t.inputs, dialect),
      },
    ],
  }));
}

// ---------------------------------------------------------------------------------------------

type Outcome =
  { kind: 'succeeded' } | { kind: 'failed'; error: string; lines: string[]; atStep: number | 'setup' | 'end' };

interface TrainingRecord {
  seq: number;
  id: string;
  createdBy: string;
  trainer: TrainerSpec;
  version: ModelVersion;
  destination: CatalogModel;
  input: Record<string, unknown>;
  createdAt: number;
  startAt: number;
  stepsStartAt: number;
  endAt: number;
  steps: number;
  images: number;
  captions: number;
  autocaption: boolean;
  outcome: Outcome;
  canceledAt: number | null;
  webhook?: string;
  webhookEventsFilter?: string[];
  /** the destination version this training pushed (once it succeeded) */
  pushed: ModelVersion | null;
  weightsToken: string;
}

interface Snap {
  status: TrainingStatus;
  startedAt: number | null;
  completedAt: number | null;
  logs: string;
  error: string | null;
}

const IMAGE_EXT = /\.(jpe?g|png|webp)$/i;
const NAME_RE = /^[a-z0-9][a-z0-9._-]*$/;

/** A zip as flux-fine-tuner's extract_zip sees it: is it one, and how many images and captions. */
export function inspectZip(
  bytes: Buffer | null,
): { zip: false } | { zip: true; files: number; images: number; captions: number } {
  if (!bytes || bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) return { zip: false };
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(bytes));
  } catch {
    return { zip: false };
  }
  const names = Object.keys(entries).filter(
    (n) => !n.startsWith('__MACOSX/') && !n.split('/').pop()!.startsWith('._') && !n.endsWith('/'),
  );
  return {
    zip: true,
    files: names.length,
    images: names.filter((n) => IMAGE_EXT.test(n)).length,
    captions: names.filter((n) => /\.txt$/i.test(n)).length,
  };
}

export class TrainingsSim {
  private readonly byId = new Map<string, TrainingRecord>();
  readonly counters = { createCalls: 0, trainingsCreated: 0, modelsCreated: 0 };
  private readonly bootMs: number;
  private readonly stepMs: number;
  private readonly setupMs: number;

  constructor(
    private readonly host: TrainingsHost,
    timing: TrainingTiming = {},
  ) {
    this.bootMs = timing.bootMs ?? 300;
    this.stepMs = timing.stepMs ?? 4;
    this.setupMs = timing.setupMs ?? 100;
  }

  route(method: string, path: string): { endpoint: Endpoint; run: (c: Ctx) => Promise<Reply> } | null {
    let m: RegExpExecArray | null;
    const seg = '([^/]+)';
    if (path === '/v1/models' && method === 'POST')
      return { endpoint: 'models.create', run: (c) => this.createModel(c) };
    if (path === '/v1/hardware' && method === 'GET')
      return { endpoint: 'hardware.list', run: async () => json(200, [...HARDWARE]) };
    if ((m = new RegExp(`^/v1/models/${seg}/${seg}/versions/${seg}/trainings$`).exec(path)) && method === 'POST') {
      const [, owner, name, version] = m;
      return { endpoint: 'trainings.create', run: (c) => this.create(c, owner!, name!, version!) };
    }
    if (path === '/v1/trainings' && method === 'GET') return { endpoint: 'trainings.list', run: (c) => this.list(c) };
    if ((m = new RegExp(`^/v1/trainings/${seg}$`).exec(path)) && method === 'GET') {
      const id = m[1]!;
      return { endpoint: 'trainings.get', run: (c) => this.get(c, id) };
    }
    if ((m = new RegExp(`^/v1/trainings/${seg}/cancel$`).exec(path)) && method === 'POST') {
      const id = m[1]!;
      return { endpoint: 'trainings.cancel', run: (c) => this.cancel(c, id) };
    }
    return null;
  }

  /** Every training in its state now, newest first (what only the simulator sees, for tests). */
  trainings(): Array<TrainingJson & { createdBy: string }> {
    this.settle();
    return this.sorted().map((r) => ({ ...this.toJson(r, 'get'), createdBy: r.createdBy }));
  }

  /** Pushes the versions of trainings that finished since the last request (called before each). */
  settle(): void {
    const t = this.host.now();
    for (const r of this.byId.values()) {
      if (
        r.pushed ||
        r.outcome.kind !== 'succeeded' ||
        t < r.endAt ||
        (r.canceledAt !== null && r.canceledAt < r.endAt)
      )
        continue;
      const index = r.destination.versions.length;
      r.pushed = {
        id: versionIdFor(r.destination.owner, r.destination.name, index),
        index,
        createdAt: replicateTime(r.endAt),
        predictor: 'hotswap',
        dialect: this.host.dialect,
        cogVersion: '0.9.26',
        schema: hotswapSchema(this.host.dialect),
      };
      r.destination.versions.push(r.pushed);
    }
  }

  // --- models.create ---------------------------------------------------------------------------

  private async createModel({ req, user }: Ctx): Promise<Reply> {
    const body = await this.host.readJson(req);
    const { owner, name, visibility, hardware, description } = body as Record<string, unknown>;
    const missing = ['owner', 'name', 'visibility', 'hardware'].filter((k) => typeof body[k] !== 'string' || !body[k]);
    if (missing.length) {
      return json(422, {
        title: 'Input validation failed',
        detail: missing.map((k) => `- ${k}: ${k} is required\n`).join(''),
        status: 422,
        invalid_fields: missing.map((k) => ({ type: 'required', field: k, description: `${k} is required` })),
      });
    }
    if (owner !== user.username)
      return problem(403, `You do not have permission to create models for ${String(owner)}.`, 'Forbidden');
    if (!NAME_RE.test(name as string))
      return problem(
        400,
        'Model names may contain only lowercase letters, numbers, dashes, underscores and periods, and must start with a letter or number.',
        'Bad request',
      );
    if (visibility !== 'public' && visibility !== 'private')
      return problem(400, 'visibility must be "public" or "private"', 'Bad request');
    if (!HARDWARE.some((h) => h.sku === hardware))
      return problem(400, `Invalid hardware SKU "${String(hardware)}". See GET /v1/hardware.`, 'Bad request');
    if (this.host.models.some((m) => m.owner === owner && m.name === name))
      return problem(409, 'A model with that name and owner already exists.', 'Conflict');
    const model: CatalogModel = {
      owner: owner as string,
      name: name as string,
      description: typeof description === 'string' ? description : '',
      visibility,
      runCount: 0,
      versions: [],
    };
    this.host.models.push(model);
    this.counters.modelsCreated += 1;
    return json(201, {
      url: `https://replicate.com/${model.owner}/${model.name}`,
      owner: model.owner,
      name: model.name,
      description: model.description || null,
      visibility,
      github_url: null,
      paper_url: null,
      license_url: null,
      run_count: 0,
      cover_image_url: null,
      default_example: null,
      latest_version: null,
    });
  }

  // --- trainings ------------------------------------------------------------------------------

  private async create(
    { req, user, trainerFault }: Ctx,
    owner: string,
    name: string,
    versionId: string,
  ): Promise<Reply> {
    this.counters.createCalls += 1;
    const id = this.host.newId();
    const body = await this.host.readJson(req);
    const trainer = TRAINERS.find((t) => t.owner === owner && t.name === name);
    const model = trainer && this.host.models.find((m) => m.owner === owner && m.name === name);
    const version = model?.versions.find((v) => v.id === versionId);
    if (!trainer || !version) return json(404, NOT_FOUND);
    const dest = typeof body.destination === 'string' ? /^([^/\s]+)\/([^/\s]+)$/.exec(body.destination) : null;
    if (!dest) return problem(400, 'destination must be of the form owner/name', 'Bad request');
    const destination = this.host.models.find((m) => m.owner === dest[1] && m.name === dest[2]);
    // A private model of someone else is invisible: the same 404 as a missing one (recorded:
    // replicate-python cassettes trainings-create__invalid-destination.yaml).
    if (!destination || (destination.visibility === 'private' && destination.owner !== user.username))
      return json(404, NOT_FOUND);
    if (destination.owner !== user.username)
      return problem(
        403,
        `You do not have permission to push to ${destination.owner}/${destination.name}.`,
        'Forbidden',
      );
    const doc = asInputDocument(version.schema);
    const input = body.input === undefined ? {} : body.input;
    const invalid = validateInput(doc, input);
    if (invalid.length) {
      return json(422, {
        title: 'Input validation failed',
        detail: invalid.map((f) => `- ${f.field}: ${f.description}\n`).join(''),
        status: 422,
        invalid_fields: invalid,
      });
    }
    if (user.credit === 'none') {
      return problem(
        402,
        'You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit. Once you purchase credit, please wait a few minutes before trying again.',
        'Insufficient credit',
      );
    }
    const sent = input as Record<string, unknown>;
    const full = withDefaults(doc, sent);
    const steps = Number(full[trainer.stepsInput] ?? 1000);
    const url = typeof full.input_images === 'string' ? full.input_images : null;
    const zip = url ? inspectZip(this.host.fileBytes(user.username, url)) : null;
    let outcome: Outcome = { kind: 'succeeded' };
    if (!url) outcome = { kind: 'failed', error: 'input_images must be provided', lines: [], atStep: 'setup' };
    else if (!zip || !zip.zip)
      outcome = {
        kind: 'failed',
        error: 'input_images must be a zip file',
        lines: [
          'Traceback (most recent call last):',
          '  File "/src/train.py", line 295, in train',
          '    extract_zip(input_images, INPUT_DIR)',
          'ValueError: input_images must be a zip file',
        ],
        atStep: 'setup',
      };
    // ai-toolkit's dataloader finds nothing to train on (the simulator's wording).
    else if (zip.images === 0)
      outcome = {
        kind: 'failed',
        error: 'No images found in input_images: the zip must contain .jpg, .jpeg, .png or .webp files',
        lines: [
          `Extracted ${zip.files} files from zip to input_images`,
          'Starting train job',
          'Exception: No images found in input_images',
        ],
        atStep: 'setup',
      };
    else if (trainerFault === 'read-only-fs')
      outcome = {
        kind: 'failed',
        error: "[Errno 30] Read-only file system: 'output/flux_train_replicate'",
        lines: ["OSError: [Errno 30] Read-only file system: 'output/flux_train_replicate'"],
        atStep: Math.max(1, Math.floor(steps / 3)),
      };
    else if (trainerFault === 'failed-to-create-image')
      outcome = {
        kind: 'failed',
        error: 'Failed to create trained image: the weights could not be pushed as a new version. Please try again.',
        lines: ['Failed to create trained image'],
        atStep: 'end',
      };
    const createdAt = this.host.now();
    const startAt = createdAt + this.bootMs;
    const stepsStartAt = startAt + this.setupMs;
    const fullEnd = stepsStartAt + steps * this.stepMs + this.setupMs;
    const endAt =
      outcome.kind === 'failed' && outcome.atStep === 'setup'
        ? stepsStartAt
        : outcome.kind === 'failed' && typeof outcome.atStep === 'number'
          ? stepsStartAt + outcome.atStep * this.stepMs
          : fullEnd;
    const rec: TrainingRecord = {
      seq: this.host.nextSeq(),
      id,
      createdBy: user.username,
      trainer,
      version,
      destination,
      input: structuredClone(sent),
      createdAt,
      startAt,
      stepsStartAt,
      endAt,
      steps,
      images: zip && zip.zip ? zip.images : 0,
      captions: zip && zip.zip ? zip.captions : 0,
      autocaption: full.autocaption !== false,
      outcome,
      canceledAt: null,
      pushed: null,
      weightsToken: createHash('sha256').update(`${id}/weights`).digest('base64url').replace(/[-_]/g, 'x').slice(0, 49),
    };
    if (typeof body.webhook === 'string') rec.webhook = body.webhook;
    if (Array.isArray(body.webhook_events_filter)) rec.webhookEventsFilter = body.webhook_events_filter as string[];
    this.byId.set(id, rec);
    this.counters.trainingsCreated += 1;
    return json(201, this.toJson(rec, 'create'));
  }

  private own(user: Ctx['user'], id: string): TrainingRecord | null {
    const r = this.byId.get(id);
    return r && r.createdBy === user.username ? r : null;
  }

  private async get({ user }: Ctx, id: string): Promise<Reply> {
    this.settle();
    const r = this.own(user, id);
    return r ? json(200, this.toJson(r, 'get')) : json(404, NOT_FOUND);
  }

  private async cancel({ user }: Ctx, id: string): Promise<Reply> {
    const r = this.own(user, id);
    if (!r) return json(404, NOT_FOUND);
    const t = this.host.now();
    if (r.canceledAt === null && t < r.endAt) r.canceledAt = t;
    this.settle();
    return json(200, this.toJson(r, 'get'));
  }

  private sorted(): TrainingRecord[] {
    return [...this.byId.values()].sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
  }

  private async list({ user, url }: Ctx): Promise<Reply> {
    this.settle();
    const mine = this.sorted().filter((r) => r.createdBy === user.username);
    return json(
      200,
      this.host.paginate(
        mine,
        (r) => [r.createdAt, r.seq],
        url,
        (r) => this.toJson(r, 'list'),
      ),
    );
  }

  // --- state ----------------------------------------------------------------------------------

  private snapshot(r: TrainingRecord, t: number): Snap {
    if (r.canceledAt !== null && r.canceledAt < r.endAt && t >= r.canceledAt) {
      const started = r.canceledAt > r.startAt;
      return {
        status: 'canceled',
        startedAt: started ? r.startAt : null,
        completedAt: r.canceledAt,
        logs: started ? this.logsAt(r, r.canceledAt, false) : '',
        error: null,
      };
    }
    if (t < r.startAt) return { status: 'starting', startedAt: null, completedAt: null, logs: '', error: null };
    if (t < r.endAt)
      return {
        status: 'processing',
        startedAt: r.startAt,
        completedAt: null,
        logs: this.logsAt(r, t, false),
        error: null,
      };
    return {
      status: r.outcome.kind,
      startedAt: r.startAt,
      completedAt: r.endAt,
      logs: this.logsAt(r, r.endAt, true),
      error: r.outcome.kind === 'failed' ? r.outcome.error : null,
    };
  }

  /**
   * The trainer's output at `t`: lines end in `\n`, but tqdm rewrites its bar with `\r` (Cog keeps
   * them as they come), each update prefixed with the ai-toolkit job name and carrying lr and loss.
   */
  private logsAt(r: TrainingRecord, t: number, finished: boolean): string {
    const out: string[] = ['Environment language: Not set', 'Updated environment language: en_US.UTF-8'];
    const failedAtSetup = r.outcome.kind === 'failed' && r.outcome.atStep === 'setup';
    if (t >= r.startAt + this.setupMs / 3) out.push('Downloaded base weights in 2.4096 seconds');
    if (failedAtSetup) {
      if (finished && r.outcome.kind === 'failed') out.push(...r.outcome.lines);
      return out.join('\n') + '\n';
    }
    if (t >= r.startAt + this.setupMs / 2) {
      out.push(`Extracted ${r.images + r.captions} files from zip to input_images`);
      if (r.autocaption && r.captions < r.images) {
        out.push('Loading LLaVA model...');
        for (let i = 0; i < r.images - r.captions; i++)
          out.push(`Captioning image ${i + 1} of ${r.images - r.captions}`);
      }
    }
    if (t < r.stepsStartAt) return out.join('\n') + '\n';
    out.push('Starting train job', 'Running  1 process', `Generating baseline samples before training`);
    const done = Math.min(r.steps, Math.floor((t - r.stepsStartAt) / Math.max(this.stepMs, 1e-9)));
    const last =
      r.outcome.kind === 'failed' && typeof r.outcome.atStep === 'number' ? Math.min(done, r.outcome.atStep) : done;
    const every = Math.max(1, Math.ceil(r.steps / 200));
    const bars: string[] = [];
    const sec = r.trainer.logSecPerStep;
    for (let k = 0; k <= last; k += every) bars.push(this.bar(k, r.steps, sec));
    if (last % every !== 0) bars.push(this.bar(last, r.steps, sec));
    let text = out.join('\n') + '\n' + bars.join('\r');
    if (finished || (r.outcome.kind === 'failed' && last === r.outcome.atStep && finished)) {
      text += '\n';
      if (r.outcome.kind === 'succeeded' || (r.outcome.kind === 'failed' && r.outcome.atStep === 'end')) {
        text += `Saving at step ${r.steps}\nSaved to output/flux_train_replicate/flux_train_replicate.safetensors\n`;
      }
      if (r.outcome.kind === 'failed') text += r.outcome.lines.join('\n') + '\n';
    }
    return text;
  }

  private bar(n: number, total: number, secPerStep: number): string {
    const lr = '4.0e-04';
    const loss = (0.45 * Math.exp(-n / Math.max(total, 1)) + 0.05 * Math.abs(Math.sin(n))).toExponential(3);
    return `flux_train_replicate: ${tqdmLine(n, total, secPerStep).replace(/\]$/, `, lr: ${lr} loss: ${loss}]`)}`;
  }

  private toJson(r: TrainingRecord, kind: 'create' | 'get' | 'list'): TrainingJson {
    const s = this.snapshot(r, this.host.now());
    if (s.status === 'succeeded' && !r.pushed) this.settle(); // the clock passed endAt since the last settle
    const get = `${this.host.baseUrl()}/trainings/${r.id}`;
    const out: Partial<TrainingJson> = {
      id: r.id,
      model: `${r.trainer.owner}/${r.trainer.name}`,
      version: r.version.id,
      destination: `${r.destination.owner}/${r.destination.name}`,
      input: structuredClone(r.input),
    };
    if (kind !== 'list') out.logs = s.logs;
    out.output =
      s.status === 'succeeded' && r.pushed
        ? { version: r.pushed.id, weights: `${this.host.deliveryOrigin()}/xezq/${r.weightsToken}/trained_model.tar` }
        : null;
    out.data_removed = false;
    out.error = s.error;
    out.status = s.status;
    if (kind !== 'create') out.source = 'api';
    out.created_at = replicateTime(r.createdAt);
    if (s.startedAt !== null) out.started_at = replicateTime(s.startedAt);
    if (s.completedAt !== null) {
      out.completed_at = replicateTime(s.completedAt);
      out.metrics = {
        ...(s.startedAt !== null ? { predict_time: round6((s.completedAt - s.startedAt) / 1000) } : {}),
        total_time: round6((s.completedAt - r.createdAt) / 1000),
      };
    }
    out.urls = { web: `https://replicate.com/p/${r.id}`, get, cancel: `${get}/cancel` };
    if (r.webhook !== undefined) out.webhook = r.webhook;
    if (r.webhookEventsFilter !== undefined) out.webhook_events_filter = r.webhookEventsFilter;
    return out as TrainingJson;
  }
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
