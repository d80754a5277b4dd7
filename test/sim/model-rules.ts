/**
 * What a trained FLUX-LoRA version on Replicate does with its input (reference §1): which models and
 * versions exist, how the API validates input against the version's OpenAPI schema, and how the
 * cog predictor turns valid input into a run: sizes, seed, log lines, step count, failures.
 *
 * Two predictor generations are modelled, because a user's model can hold versions of both:
 * - `hotswap`: cog-flux `predict.py:HotswapPredictor` (versions trained since late Nov 2024);
 * - `legacy`: flux-fine-tuner `predict.py` (older trainings): no go_fast/megapixels, lora_scale ≤ 2,
 *   guidance 3.5, quality 90, no 1440 cap on img2img sizes, a different NSFW error.
 * Log lines and error strings are copied from those predictors so the app's parsers see real text.
 *
 * The input definitions below are the simulator's own (copied from the predictors' source and the
 * model card), never read from the app: the simulator is the oracle the app is tested against.
 */
import { createHash } from 'node:crypto';
import {
  COG_VERSION_OF,
  buildCogDocument,
  resolveProperty,
  type CogDialect,
  type CogInput,
  type OpenApiSchema,
} from './cog-schema';

export type { CogDialect, CogInput, OpenApiSchema, SchemaNode } from './cog-schema';

// ---------------------------------------------------------------------------------------------
// Inputs

const LORA_WEIGHTS_HELP =
  "Load LoRA weights. Supports Replicate models in the format <owner>/<username> or <owner>/<username>/<version>, HuggingFace URLs in the format huggingface.co/<owner>/<model-name>, CivitAI URLs in the format civitai.com/models/<id>[/<model-name>], or arbitrary .safetensors URLs from the Internet. For example, 'fofr/flux-pixar-cars'";
const SCALE_HELP = (which: 'main' | 'extra') =>
  `Determines how strongly the ${which} LoRA should be applied. Sane results between 0 and 1 for base inference. For go_fast we apply a 1.5x multiplier to this value; we've generally seen good performance when scaling the base value by that amount. You may still need to experiment to find the best value for your particular lora.`;

/**
 * HotswapPredictor.predict() of replicate/cog-flux predict.py @51e81e03, in its order, as a trained
 * version shows it (the model card of sandrasocial/sseelfie-ai): `replicate_weights` is bound by
 * Replicate and not listed, and the go_fast text is the card's.
 */
export const HOTSWAP_INPUTS: readonly CogInput[] = [
  {
    name: 'prompt',
    type: 'string',
    description:
      'Prompt for generated image. If you include the `trigger_word` used in the training process you are more likely to activate the trained object, style, or concept in the resulting image.',
  },
  {
    name: 'image',
    type: 'string',
    format: 'uri',
    default: null,
    description:
      'Input image for image to image or inpainting mode. If provided, aspect_ratio, width, and height inputs are ignored.',
  },
  {
    name: 'mask',
    type: 'string',
    format: 'uri',
    default: null,
    description:
      'Image mask for image inpainting mode. If provided, aspect_ratio, width, and height inputs are ignored.',
  },
  {
    name: 'aspect_ratio',
    type: 'string',
    choices: ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21', 'custom'],
    default: '1:1',
    description:
      'Aspect ratio for the generated image. If custom is selected, uses height and width below & will run in bf16 mode',
  },
  {
    name: 'height',
    type: 'integer',
    default: null,
    minimum: 256,
    maximum: 1440,
    description:
      'Height of generated image. Only works if `aspect_ratio` is set to custom. Will be rounded to nearest multiple of 16. Incompatible with fast generation',
  },
  {
    name: 'width',
    type: 'integer',
    default: null,
    minimum: 256,
    maximum: 1440,
    description:
      'Width of generated image. Only works if `aspect_ratio` is set to custom. Will be rounded to nearest multiple of 16. Incompatible with fast generation',
  },
  {
    name: 'prompt_strength',
    type: 'number',
    default: 0.8,
    minimum: 0,
    maximum: 1,
    description: 'Prompt strength when using img2img. 1.0 corresponds to full destruction of information in image',
  },
  {
    name: 'model',
    type: 'string',
    choices: ['dev', 'schnell'],
    default: 'dev',
    description:
      'Which model to run inference with. The dev model performs best with around 28 inference steps but the schnell model only needs 4 steps.',
  },
  {
    name: 'num_outputs',
    type: 'integer',
    default: 1,
    minimum: 1,
    maximum: 4,
    description: 'Number of outputs to generate',
  },
  {
    name: 'num_inference_steps',
    type: 'integer',
    default: 28,
    minimum: 1,
    maximum: 50,
    description: 'Number of denoising steps. More steps can give more detailed images, but take longer.',
  },
  {
    name: 'guidance_scale',
    type: 'number',
    default: 3,
    minimum: 0,
    maximum: 10,
    description:
      'Guidance scale for the diffusion process. Lower values can give more realistic images. Good values to try are 2, 2.5, 3 and 3.5',
  },
  { name: 'seed', type: 'integer', default: null, description: 'Random seed. Set for reproducible generation' },
  {
    name: 'output_format',
    type: 'string',
    choices: ['webp', 'jpg', 'png'],
    default: 'webp',
    description: 'Format of the output images',
  },
  {
    name: 'output_quality',
    type: 'integer',
    default: 80,
    minimum: 0,
    maximum: 100,
    description:
      'Quality when saving the output images, from 0 to 100. 100 is best quality, 0 is lowest quality. Not relevant for .png outputs',
  },
  {
    name: 'disable_safety_checker',
    type: 'boolean',
    default: false,
    description: 'Disable safety checker for generated images.',
  },
  {
    name: 'go_fast',
    type: 'boolean',
    default: false,
    description:
      'Run faster predictions with model optimized for speed (currently fp8 quantized); disable to run in original bf16',
  },
  {
    name: 'megapixels',
    type: 'string',
    choices: ['1', '0.25'],
    default: '1',
    description: 'Approximate number of megapixels for generated image',
  },
  { name: 'lora_scale', type: 'number', default: 1, minimum: -1, maximum: 3, description: SCALE_HELP('main') },
  { name: 'extra_lora', type: 'string', default: null, description: LORA_WEIGHTS_HELP },
  { name: 'extra_lora_scale', type: 'number', default: 1, minimum: -1, maximum: 3, description: SCALE_HELP('extra') },
];

/** flux-fine-tuner predict.py: the inputs a pre-Nov-2024 trained version shows. */
export const LEGACY_INPUTS: readonly CogInput[] = [
  { ...HOTSWAP_INPUTS[0]! },
  {
    name: 'image',
    type: 'string',
    format: 'uri',
    default: null,
    description:
      'Input image for img2img or inpainting mode. If provided, aspect_ratio, width, and height inputs are ignored.',
  },
  {
    name: 'mask',
    type: 'string',
    format: 'uri',
    default: null,
    description:
      "Input mask for inpainting mode. Black areas will be preserved, white areas will be inpainted. Must be provided along with 'image' for inpainting mode.",
  },
  {
    name: 'aspect_ratio',
    type: 'string',
    choices: ['1:1', '16:9', '21:9', '3:2', '2:3', '4:5', '5:4', '3:4', '4:3', '9:16', '9:21', 'custom'],
    default: '1:1',
    description:
      "Aspect ratio for the generated image in text-to-image mode. The size will always be 1 megapixel, i.e. 1024x1024 if aspect ratio is 1:1. To use arbitrary width and height, set aspect ratio to 'custom'. Note: Ignored in img2img and inpainting modes.",
  },
  {
    name: 'width',
    type: 'integer',
    default: null,
    minimum: 256,
    maximum: 1440,
    description:
      "Width of the generated image in text-to-image mode. Only used when aspect_ratio=custom. Must be a multiple of 16 (if it's not, it will be rounded to nearest multiple of 16). Note: Ignored in img2img and inpainting modes.",
  },
  {
    name: 'height',
    type: 'integer',
    default: null,
    minimum: 256,
    maximum: 1440,
    description:
      "Height of the generated image in text-to-image mode. Only used when aspect_ratio=custom. Must be a multiple of 16 (if it's not, it will be rounded to nearest multiple of 16). Note: Ignored in img2img and inpainting modes.",
  },
  {
    name: 'num_outputs',
    type: 'integer',
    default: 1,
    minimum: 1,
    maximum: 4,
    description: 'Number of images to output.',
  },
  {
    name: 'lora_scale',
    type: 'number',
    default: 1,
    minimum: -1,
    maximum: 2,
    description: 'Determines how strongly the main LoRA should be applied. Sane results between 0 and 1.',
  },
  {
    name: 'num_inference_steps',
    type: 'integer',
    default: 28,
    minimum: 1,
    maximum: 50,
    description: 'Number of inference steps. More steps can give more detailed images, but take longer.',
  },
  {
    name: 'model',
    type: 'string',
    choices: ['dev', 'schnell'],
    default: 'dev',
    description:
      'Which model to run inferences with. The dev model needs around 28 steps but the schnell model only needs around 4 steps.',
  },
  {
    name: 'guidance_scale',
    type: 'number',
    default: 3.5,
    minimum: 0,
    maximum: 10,
    description:
      'Guidance scale for the diffusion process. Lower values can give more realistic images. Good values to try are 2, 2.5, 3 and 3.5',
  },
  {
    name: 'prompt_strength',
    type: 'number',
    default: 0.8,
    minimum: 0,
    maximum: 1,
    description:
      'Prompt strength when using img2img / inpaint. 1.0 corresponds to full destruction of information in image',
  },
  { name: 'seed', type: 'integer', default: null, description: 'Random seed. Set for reproducible generation.' },
  {
    name: 'extra_lora',
    type: 'string',
    default: null,
    description:
      "Combine this fine-tune with another LoRA. Supports Replicate models in the format <owner>/<username> or <owner>/<username>/<version>, HuggingFace URLs in the format huggingface.co/<owner>/<model-name>, CivitAI URLs in the format civitai.com/models/<id>[/<model-name>], or arbitrary .safetensors URLs from the Internet. For example, 'fofr/flux-pixar-cars'",
  },
  {
    name: 'extra_lora_scale',
    type: 'number',
    default: 1,
    minimum: -1,
    maximum: 2,
    description: 'Determines how strongly the extra LoRA should be applied.',
  },
  {
    name: 'output_format',
    type: 'string',
    choices: ['webp', 'jpg', 'png'],
    default: 'webp',
    description: 'Format of the output images.',
  },
  {
    name: 'output_quality',
    type: 'integer',
    default: 90,
    minimum: 0,
    maximum: 100,
    description:
      'Quality when saving the output images, from 0 to 100. 100 is best quality, 0 is lowest quality. Not relevant for .png outputs',
  },
  {
    name: 'disable_safety_checker',
    type: 'boolean',
    default: false,
    description: 'Disable safety checker for generated images.',
  },
];

/** The Cog document of the current predictor, in a dialect (a fresh copy each call). */
export function hotswapSchema(dialect: CogDialect = 'cog-allof'): OpenApiSchema {
  return buildCogDocument([...HOTSWAP_INPUTS], dialect);
}

/** The Cog document a pre-Nov-2024 trained version shows (flux-fine-tuner predict.py). */
export function legacySchema(dialect: CogDialect = 'cog-allof'): OpenApiSchema {
  return buildCogDocument([...LEGACY_INPUTS], dialect);
}

function inputProperties(schema: OpenApiSchema): Array<[string, ReturnType<typeof resolveProperty>]> {
  const props = schema.components.schemas.Input?.properties ?? {};
  return Object.entries(props)
    .map(([k, v]): [string, ReturnType<typeof resolveProperty>] => [k, resolveProperty(schema, v)])
    .sort((a, b) => (a[1]['x-order'] ?? 0) - (b[1]['x-order'] ?? 0));
}

// ---------------------------------------------------------------------------------------------
// Validation (Replicate validates against the version schema before anything runs; 422 on failure)

export interface InvalidField {
  type: string;
  field: string;
  description: string;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** gojsonschema's `uri` check: a scheme is required and backslashes are rejected. */
function isUri(s: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s) && !s.includes('\\');
}

export function validateInput(schema: OpenApiSchema, input: unknown): InvalidField[] {
  if (jsonType(input) !== 'object') {
    return [
      {
        type: 'invalid_type',
        field: 'input',
        description: `Invalid type. Expected: object, given: ${jsonType(input)}`,
      },
    ];
  }
  const obj = input as Record<string, unknown>;
  const errors: InvalidField[] = [];
  for (const key of schema.components.schemas.Input?.required ?? []) {
    if (!(key in obj)) errors.push({ type: 'required', field: 'input', description: `${key} is required` });
  }
  for (const [key, prop] of inputProperties(schema)) {
    if (!(key in obj)) continue;
    const value = obj[key];
    const field = `input.${key}`;
    const given = jsonType(value);
    // `null` is a value only where the dialect says so (anyOf with null, nullable: true).
    if (value === null && prop.nullable) continue;
    const expected = prop.type;
    const typeOk = expected === undefined || given === expected || (expected === 'number' && given === 'integer');
    if (!typeOk) {
      errors.push({ type: 'invalid_type', field, description: `Invalid type. Expected: ${expected}, given: ${given}` });
      continue;
    }
    if (prop.enum && !prop.enum.includes(value)) {
      const allowed = prop.enum.map((e) => JSON.stringify(e)).join(', ');
      errors.push({ type: 'enum', field, description: `${field} must be one of the following: ${allowed}` });
      continue;
    }
    if (typeof value === 'number') {
      if (prop.minimum !== undefined && value < prop.minimum) {
        errors.push({
          type: 'greater_than_equal',
          field,
          description: `Must be greater than or equal to ${prop.minimum}`,
        });
      }
      if (prop.maximum !== undefined && value > prop.maximum) {
        errors.push({ type: 'less_than_equal', field, description: `Must be less than or equal to ${prop.maximum}` });
      }
    }
    if (prop.format === 'uri' && typeof value === 'string' && !isUri(value)) {
      errors.push({ type: 'format', field, description: "Does not match format 'uri'" });
    }
  }
  return errors;
}

/** Cog fills every missing input with its default (None when there is none). */
export function withDefaults(schema: OpenApiSchema, input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of inputProperties(schema)) {
    out[key] = key in input && input[key] !== null ? input[key] : (prop.default ?? null);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Models and versions

export type Predictor = 'hotswap' | 'legacy';

export interface SimVersionSpec {
  predictor?: Predictor;
  /** how the version's Cog wrote its schema; default: the model's, else SimOptions.schemaDialect, else 'cog-allof' */
  dialect?: CogDialect;
  /** default: the schema of the predictor in that dialect */
  openapiSchema?: OpenApiSchema;
  /** default: a Cog version typical of the dialect */
  cogVersion?: string;
  /** ISO time; default: deterministic from the model name */
  createdAt?: string;
}

export interface SimModel {
  owner: string;
  name: string;
  description?: string;
  /** private: only a token whose username equals `owner` sees it; everyone else gets 404 / 422 */
  visibility?: 'public' | 'private';
  /** oldest first; default one hotswap version. The last one is `latest_version`. */
  versions?: SimVersionSpec[];
  /** dialect of every version that names none */
  dialect?: CogDialect;
  runCount?: number;
}

export interface ModelVersion {
  id: string;
  index: number;
  createdAt: string;
  predictor: Predictor;
  dialect: CogDialect;
  cogVersion: string;
  schema: OpenApiSchema;
}

export interface CatalogModel {
  owner: string;
  name: string;
  description: string;
  visibility: 'public' | 'private';
  runCount: number;
  /** oldest first */
  versions: ModelVersion[];
}

export const DEFAULT_MODEL: SimModel = {
  owner: 'sandrasocial',
  name: 'sseelfie-ai',
  description: 'Your perfect AI brandphotoshoot using just your selfies',
  visibility: 'public',
  versions: [{ predictor: 'hotswap' }],
  runCount: 1287,
};

/** 64 hex characters, stable for a model name and version index (what a real version id looks like). */
export function versionIdFor(owner: string, name: string, index: number): string {
  return createHash('sha256').update(`${owner}/${name}@${index}`).digest('hex');
}

export function buildCatalogModel(m: SimModel, defaultDialect: CogDialect = 'cog-allof'): CatalogModel {
  const specs = m.versions?.length ? m.versions : [{ predictor: 'hotswap' as const }];
  const h = createHash('sha256').update(`${m.owner}/${m.name}`).digest();
  const base = Date.UTC(2025, 0, 10) + (h.readUInt32BE(0) % (86_400 * 60)) * 1000;
  return {
    owner: m.owner,
    name: m.name,
    description: m.description ?? '',
    visibility: m.visibility ?? 'public',
    runCount: m.runCount ?? 0,
    versions: specs.map((spec, index) => {
      const predictor = spec.predictor ?? 'hotswap';
      const dialect = spec.dialect ?? m.dialect ?? defaultDialect;
      return {
        id: versionIdFor(m.owner, m.name, index),
        index,
        predictor,
        dialect,
        cogVersion: spec.cogVersion ?? COG_VERSION_OF[dialect],
        createdAt:
          spec.createdAt ?? replicateTime(base + index * 9 * 86_400_000 + (h[4 + (index % 20)]! * 3_600_000) / 7),
        schema: spec.openapiSchema ?? (predictor === 'legacy' ? legacySchema(dialect) : hotswapSchema(dialect)),
      };
    }),
  };
}

/** Replicate writes timestamps with microseconds: 2025-01-10T12:34:56.789000Z. */
export function replicateTime(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  const micros = String(Math.floor((ms % 1) * 1000)).padStart(3, '0');
  return iso.replace('Z', `${micros}Z`);
}

// ---------------------------------------------------------------------------------------------
// Sizes (cog-flux predict.py ASPECT_RATIOS, size_from_aspect_megapixels, make_multiple_of_16;
// diffusers_predictor.py MAX_IMAGE_SIZE handling)

export const ASPECT_RATIOS: Record<string, readonly [number, number]> = {
  '1:1': [1024, 1024],
  '16:9': [1344, 768],
  '21:9': [1536, 640],
  '3:2': [1216, 832],
  '2:3': [832, 1216],
  '4:5': [896, 1088],
  '5:4': [1088, 896],
  '3:4': [896, 1152],
  '4:3': [1152, 896],
  '9:16': [768, 1344],
  '9:21': [640, 1536],
};

export const MAX_IMAGE_SIZE = 1440;

/** Rounds UP (the description says "nearest"; the code does ((n+15)//16)*16). */
export function makeMultipleOf16(n: number): number {
  return Math.floor((n + 15) / 16) * 16;
}

export function sizeFromAspect(aspect: string, megapixels: unknown): [number, number] {
  const [w, h] = ASPECT_RATIOS[aspect] ?? ASPECT_RATIOS['1:1']!;
  return megapixels === '0.25' ? [Math.floor(w / 2), Math.floor(h / 2)] : [w, h];
}

/** img2img/inpaint output size from the input image size. */
export function sizeForInputImage(width: number, height: number, predictor: Predictor): [number, number] {
  if (predictor === 'legacy') return [makeMultipleOf16(width), makeMultipleOf16(height)];
  const scale = Math.min(MAX_IMAGE_SIZE / width, MAX_IMAGE_SIZE / height, 1);
  let w = width;
  let h = height;
  if (scale < 1) {
    w = Math.trunc(width * scale);
    h = Math.trunc(height * scale);
  }
  return [makeMultipleOf16(w), makeMultipleOf16(h)];
}

/** diffusers img2img/inpaint `get_timesteps`: strength shortens the schedule. */
export function stepsAfterStrength(steps: number, strength: number): number {
  const init = Math.min(steps * strength, steps);
  const tStart = Math.trunc(Math.max(steps - init, 0));
  return steps - tStart;
}

/** PIL refuses images above 2 × MAX_IMAGE_PIXELS (DecompressionBombError). */
export const PIL_BOMB_LIMIT = 2 * 89_478_485;

// ---------------------------------------------------------------------------------------------
// Prompt markers: the simulator's way to ask for the model's own failure modes

export interface PromptMarkers {
  /** indices the safety checker flags; 'all' for every image */
  nsfw: number[] | 'all' | null;
  oom: boolean;
  slow: boolean;
}

export function parseMarkers(prompt: string): PromptMarkers {
  const m: PromptMarkers = { nsfw: null, oom: /\[oom\]/i.test(prompt), slow: /\[slow\]/i.test(prompt) };
  if (/\[nsfw\]/i.test(prompt)) m.nsfw = 'all';
  else {
    const sel = /\[nsfw:([\d,\s]+)\]/i.exec(prompt);
    if (sel)
      m.nsfw = sel[1]!
        .split(',')
        .map((s) => Number(s.trim()))
        .filter((n) => Number.isInteger(n));
  }
  return m;
}

/** weights.py make_download_url: which extra_lora strings the predictor can resolve. */
export function extraLoraError(ref: string): string | null {
  const ok = [
    /^data:/,
    /^(?:https?:\/\/)?huggingface\.co\/([^/]+)\/([^/]+)(?:\/([^/]+\.safetensors))?\/?$/,
    /^(?:https?:\/\/)?civitai\.com\/models\/(\d+)(?:\/[^/?]+)?\/?$/,
    /^((?:https?:\/\/)?civitai\.com\/api\/download\/models\/.*)$/,
    /^(https?:\/\/.*\.safetensors(\?.*)?)$/,
    /^(?:https?:\/\/replicate.com\/)?([^/]+)\/([^/]+)\/?$/,
    /^(?:https?:\/\/replicate.com\/)?([^/]+)\/([^/]+)\/(?:versions\/)?([^/]+)\/?$/,
    /^(https?:\/\/replicate.delivery\/.*\.tar)$/,
  ];
  if (ok.some((re) => re.test(ref))) return null;
  if (ref.includes('huggingface.co'))
    return 'Failed to parse HuggingFace URL. Expected huggingface.co/<owner>/<model-name>[/<lora-weights-file.safetensors>]';
  if (ref.includes('civitai.com'))
    return 'Failed to parse CivitAI URL. Expected civitai.com/models/<id>[/<model-name>]';
  return [
    'Failed to parse URL. Expected either:',
    '* Replicate model in the format <owner>/<username> or <owner>/<username>/<version>',
    '* HuggingFace URL in the format huggingface.co/<owner>/<model-name>[/<lora-weights-file.safetensors>]',
    '* CivitAI URL in the format civitai.com/models/<id>[/<model-name>]',
    '* Arbitrary .safetensors URLs from the Internet',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Run planning

/** What the simulator learned about a file input before predict() runs. */
export type DecodedInput = { ok: true; width: number; height: number } | { ok: false; error: string };

export interface PlanContext {
  predictor: Predictor;
  /** validated input with defaults applied */
  input: Record<string, unknown>;
  /** input files could not be downloaded: the run fails before predict() (no logs) */
  downloadError: string | null;
  image: DecodedInput | null;
  mask: DecodedInput | null;
  random16: () => number;
  random32: () => number;
  /** seconds printed in "Loaded LoRAs in …s" */
  loraLoadSec: number;
}

export type RenderMode = 'txt2img' | 'img2img' | 'inpaint';

export interface RenderPlan {
  mode: RenderMode;
  width: number;
  height: number;
  seed: number;
  prompt: string;
  format: 'webp' | 'jpg' | 'png';
  quality: number;
  strength: number;
  guidance: number;
  steps: number;
  loraScale: number;
  extraLora: string | null;
  model: string;
  /** fp8 runs are not reproducible even with a seed; a per-prediction nonce makes that visible */
  fp8: boolean;
}

export interface RunPlan {
  /** lines printed when predict() starts, before the progress bar */
  preLines: string[];
  /** progress-bar total (0: no bar) */
  barTotal: number;
  /** highest bar position printed (the run stops there on failure) */
  barLimit: number;
  /** number of denoising-step durations the run takes */
  runSteps: number;
  /** lines printed when the run ends (safety lines, traceback) */
  postLines: string[];
  outcome: { kind: 'succeeded'; kept: number[] } | { kind: 'failed'; error: string };
  seed: number | null;
  /** output size, when the run got that far */
  width: number | null;
  height: number | null;
  markers: PromptMarkers;
  render: RenderPlan | null;
}

function pyFloat(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

type Frame = [file: string, line: number, func: string, code: string];

/** Cog prints the Python traceback of a failed predict() into the logs. */
function traceback(frames: Frame[], errorType: string, message: string): string[] {
  const lines = [
    'Traceback (most recent call last):',
    '  File "/root/.pyenv/versions/3.11.10/lib/python3.11/site-packages/cog/server/worker.py", line 352, in _predict',
    '    result = predict(**payload)',
    '             ^^^^^^^^^^^^^^^^^^',
  ];
  for (const [file, line, func, code] of frames)
    lines.push(`  File "${file}", line ${line}, in ${func}`, `    ${code}`);
  lines.push(`${errorType}: ${message}`);
  return lines;
}

interface Draft {
  pre: string[];
  seed: number | null;
  width: number | null;
  height: number | null;
}

function failedPlan(
  d: Draft,
  markers: PromptMarkers,
  error: string,
  post: string[] = [],
  bar = { total: 0, limit: 0, run: 0 },
): RunPlan {
  return {
    preLines: d.pre,
    barTotal: bar.total,
    barLimit: bar.limit,
    runSteps: bar.run,
    postLines: post,
    outcome: { kind: 'failed', error },
    seed: d.seed,
    width: d.width,
    height: d.height,
    markers,
    render: null,
  };
}

export function planRun(ctx: PlanContext): RunPlan {
  const inp = ctx.input;
  const prompt = String(inp.prompt);
  const markers = parseMarkers(prompt);
  const d: Draft = { pre: [], seed: null, width: null, height: null };
  // Cog downloads every file input before predict() is called; nothing is logged by the model.
  if (ctx.downloadError) return failedPlan(d, markers, ctx.downloadError);
  return ctx.predictor === 'legacy' ? planLegacy(ctx, d, markers, prompt) : planHotswap(ctx, d, markers, prompt);
}

function planHotswap(ctx: PlanContext, d: Draft, markers: PromptMarkers, prompt: string): RunPlan {
  const inp = ctx.input;
  let goFast = inp.go_fast === true;
  if (inp.aspect_ratio === 'custom') {
    if (goFast) {
      d.pre.push('Custom aspect ratios not supported with fast fp8 inference; will run in bf16');
      goFast = false;
    }
    if (inp.width == null || inp.height == null) {
      const msg = "unsupported operand type(s) for +: 'NoneType' and 'int'";
      return failedPlan(
        d,
        markers,
        msg,
        traceback(
          [
            ['/src/predict.py', 880, 'predict', 'width = make_multiple_of_16(width)'],
            ['/src/predict.py', 1102, 'make_multiple_of_16', 'return ((n + 15) // 16) * 16'],
          ],
          'TypeError',
          msg,
        ),
      );
    }
    d.width = makeMultipleOf16(inp.width as number);
    d.height = makeMultipleOf16(inp.height as number);
  } else {
    [d.width, d.height] = sizeFromAspect(String(inp.aspect_ratio), inp.megapixels);
  }
  const hasImage = ctx.image !== null;
  if (hasImage && goFast) {
    d.pre.push('Img2img and inpainting not supported with fast fp8 inference; will run in bf16');
    goFast = false;
  }
  if (typeof inp.extra_lora === 'string' && inp.extra_lora) {
    const err = extraLoraError(inp.extra_lora);
    if (err)
      return failedPlan(
        d,
        markers,
        err,
        traceback([['/src/weights.py', 305, 'predict', 'raise ValueError(']], 'ValueError', err),
      );
  }

  let seed: number;
  if (goFast) {
    // BflFp8Flux: the fp8 pipeline takes abs(seed) % MAX_RAND, or a random one when none is given.
    d.pre.push('running quantized prediction');
    seed = inp.seed == null ? ctx.random32() : Math.abs(inp.seed as number) % (2 ** 32 - 1);
  } else {
    d.pre.push(`Loaded LoRAs in ${ctx.loraLoadSec.toFixed(2)}s`);
    seed = inp.seed == null || (inp.seed as number) < 0 ? ctx.random16() : (inp.seed as number);
  }
  d.seed = seed;
  d.pre.push(`Using seed: ${seed}`);

  let steps = inp.num_inference_steps as number;
  let mode: RenderMode = 'txt2img';
  if (!goFast) d.pre.push(`Prompt: ${prompt}`);
  if (hasImage) {
    const img = ctx.image!;
    if (!img.ok) {
      return failedPlan(
        d,
        markers,
        img.error,
        traceback(
          [
            [
              '/src/diffusers_predictor.py',
              225,
              'predict',
              'input_image = Image.open(legacy_image_path).convert("RGB")',
            ],
          ],
          errorClass(img.error),
          img.error,
        ),
      );
    }
    d.pre.push(`Input image size: ${img.width}x${img.height}`);
    [d.width, d.height] = sizeForInputImage(img.width, img.height, 'hotswap');
    d.pre.push(`[!] Resizing input image from ${img.width}x${img.height} to ${d.width}x${d.height}`);
    if (ctx.mask === null) {
      d.pre.push('[!] img2img mode');
      mode = 'img2img';
    } else {
      d.pre.push('[!] inpaint mode');
      mode = 'inpaint';
      if (!ctx.mask.ok) {
        return failedPlan(
          d,
          markers,
          ctx.mask.error,
          traceback(
            [
              [
                '/src/diffusers_predictor.py',
                258,
                'predict',
                'mask_image = Image.open(legacy_mask_path).convert("RGB")',
              ],
            ],
            errorClass(ctx.mask.error),
            ctx.mask.error,
          ),
        );
      }
    }
    const strength = inp.prompt_strength as number;
    steps = stepsAfterStrength(steps, strength);
    if (steps < 1) {
      const msg = `After adjusting the num_inference_steps by strength parameter: ${pyFloat(strength)}, the number of pipelinesteps is ${steps} which is < 1 and not appropriate for this pipeline.`;
      return failedPlan(
        d,
        markers,
        msg,
        traceback(
          [['/src/diffusers_predictor.py', 290, 'predict', 'output = pipe(**common_args, **flux_kwargs)']],
          'ValueError',
          msg,
        ),
      );
    }
  } else if (!goFast) {
    d.pre.push('[!] txt2img mode');
  }
  const loraScale = (inp.lora_scale as number) * (goFast ? 1.5 : 1);
  return finishPlan(ctx, d, markers, prompt, steps, mode, goFast, loraScale, 'hotswap');
}

function planLegacy(ctx: PlanContext, d: Draft, markers: PromptMarkers, prompt: string): RunPlan {
  const inp = ctx.input;
  const seed = inp.seed == null || (inp.seed as number) < 0 ? ctx.random16() : (inp.seed as number);
  d.seed = seed;
  d.pre.push(`Using seed: ${seed}`);
  if (inp.aspect_ratio === 'custom') {
    if (inp.width == null || inp.height == null) {
      const msg = "width and height must be defined if aspect ratio is 'custom'";
      return failedPlan(
        d,
        markers,
        msg,
        traceback([['/src/predict.py', 283, 'predict', 'raise ValueError(']], 'ValueError', msg),
      );
    }
    d.width = makeMultipleOf16(inp.width as number);
    d.height = makeMultipleOf16(inp.height as number);
  } else {
    [d.width, d.height] = sizeFromAspect(String(inp.aspect_ratio), '1');
  }
  d.pre.push(`Prompt: ${prompt}`);
  const model = String(inp.model);
  let steps = inp.num_inference_steps as number;
  let mode: RenderMode = 'txt2img';
  if (ctx.image) {
    const img = ctx.image;
    if (!img.ok) {
      return failedPlan(
        d,
        markers,
        img.error,
        traceback(
          [['/src/predict.py', 323, 'predict', 'input_image = Image.open(image).convert("RGB")']],
          errorClass(img.error),
          img.error,
        ),
      );
    }
    [d.width, d.height] = sizeForInputImage(img.width, img.height, 'legacy');
    d.pre.push(`[!] Resizing input image from ${img.width}x${img.height} to ${d.width}x${d.height}`);
    if (ctx.mask === null) {
      d.pre.push('[!] img2img mode');
      mode = 'img2img';
    } else {
      d.pre.push('[!] inpaint mode');
      mode = 'inpaint';
      if (!ctx.mask.ok) {
        return failedPlan(
          d,
          markers,
          ctx.mask.error,
          traceback(
            [['/src/predict.py', 343, 'predict', 'mask_image = Image.open(mask).convert("RGB")']],
            errorClass(ctx.mask.error),
            ctx.mask.error,
          ),
        );
      }
    }
    d.pre.push(`[!] Using ${model} model for ${mode === 'img2img' ? 'img2img' : 'inpainting'}`);
  } else {
    d.pre.push('[!] txt2img mode');
  }
  d.pre.push(model === 'dev' ? 'Using dev model' : 'Using schnell model');
  if (typeof inp.extra_lora === 'string' && inp.extra_lora) {
    d.pre.push(`Loading extra LoRA weights from: ${inp.extra_lora}`);
    const err = extraLoraError(inp.extra_lora);
    if (err)
      return failedPlan(
        d,
        markers,
        err,
        traceback([['/src/weights.py', 305, 'predict', 'raise ValueError(']], 'ValueError', err),
      );
  }
  d.pre.push(`Loaded LoRAs in ${ctx.loraLoadSec.toFixed(2)}s`);
  if (mode !== 'txt2img') {
    const strength = inp.prompt_strength as number;
    steps = stepsAfterStrength(steps, strength);
    if (steps < 1) {
      const msg = `After adjusting the num_inference_steps by strength parameter: ${pyFloat(strength)}, the number of pipelinesteps is ${steps} which is < 1 and not appropriate for this pipeline.`;
      return failedPlan(
        d,
        markers,
        msg,
        traceback(
          [['/src/predict.py', 395, 'predict', 'output = pipe(**common_args, **flux_kwargs)']],
          'ValueError',
          msg,
        ),
      );
    }
  }
  return finishPlan(ctx, d, markers, prompt, steps, mode, false, inp.lora_scale as number, 'legacy');
}

function errorClass(message: string): string {
  return message.startsWith('Image size') ? 'PIL.Image.DecompressionBombError' : 'PIL.UnidentifiedImageError';
}

function finishPlan(
  ctx: PlanContext,
  d: Draft,
  markers: PromptMarkers,
  prompt: string,
  steps: number,
  mode: RenderMode,
  fp8: boolean,
  loraScale: number,
  predictor: Predictor,
): RunPlan {
  const inp = ctx.input;
  if (markers.oom) {
    // Out of memory strikes in the first denoising step.
    const msg = 'CUDA out of memory. Tried to allocate 2.00 GiB (E1001)';
    return failedPlan(
      d,
      markers,
      msg,
      traceback(
        [['/src/diffusers_predictor.py', 290, 'predict', 'output = pipe(**common_args, **flux_kwargs)']],
        'torch.OutOfMemoryError',
        msg,
      ),
      {
        total: steps,
        limit: 0,
        run: 1,
      },
    );
  }
  const n = inp.num_outputs as number;
  const flagged = new Set<number>();
  if (markers.nsfw && inp.disable_safety_checker !== true) {
    for (let i = 0; i < n; i++) if (markers.nsfw === 'all' || markers.nsfw.includes(i)) flagged.add(i);
  }
  const post: string[] = [];
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    if (flagged.has(i)) post.push(`NSFW content detected in image ${i}`);
    else kept.push(i);
  }
  const bar = { total: steps, limit: steps, run: steps };
  if (kept.length === 0) {
    const msg =
      predictor === 'legacy'
        ? 'NSFW content detected. Try running it again, or try a different prompt.'
        : 'All generated images contained NSFW content. Try running it again with a different prompt.';
    return failedPlan(
      d,
      markers,
      msg,
      [...post, ...traceback([['/src/predict.py', 262, 'predict', 'raise Exception(']], 'Exception', msg)],
      bar,
    );
  }
  if (predictor === 'hotswap') post.push(`Total safe images: ${kept.length} out of ${n}`);
  return {
    preLines: d.pre,
    barTotal: bar.total,
    barLimit: bar.limit,
    runSteps: bar.run,
    postLines: post,
    outcome: { kind: 'succeeded', kept },
    seed: d.seed,
    width: d.width,
    height: d.height,
    markers,
    render: {
      mode,
      width: d.width!,
      height: d.height!,
      seed: d.seed!,
      prompt,
      format: inp.output_format as RenderPlan['format'],
      quality: inp.output_quality as number,
      strength: mode === 'txt2img' ? 1 : (inp.prompt_strength as number),
      guidance: inp.model === 'schnell' ? 0 : (inp.guidance_scale as number),
      steps,
      loraScale,
      extraLora: typeof inp.extra_lora === 'string' && inp.extra_lora ? inp.extra_lora : null,
      model: String(inp.model),
      fp8,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Logs

const TQDM_CHARS = ' ▏▎▍▌▋▊▉█';

/** Python's `'{:3.0f}'.format(x)` rounds half to even. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function tqdmTime(sec: number): string {
  const s = Math.floor(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}`;
  return h ? `${h}:${mmss}` : mmss;
}

/** One tqdm progress line as diffusers prints it, e.g. ` 36%|███▌      | 10/28 [00:01<00:01,  9.87it/s]`. */
export function tqdmLine(n: number, total: number, secPerStep: number): string {
  const frac = total ? n / total : 0;
  const pct = `${String(roundHalfEven(frac * 100)).padStart(3, ' ')}%`;
  const nsyms = TQDM_CHARS.length - 1;
  const [full, part] = [Math.floor(Math.floor(frac * 10 * nsyms) / nsyms), Math.floor(frac * 10 * nsyms) % nsyms];
  let bar = TQDM_CHARS[nsyms]!.repeat(full);
  if (full < 10) bar += TQDM_CHARS[part]! + ' '.repeat(10 - full - 1);
  const elapsed = n * secPerStep;
  if (n === 0 || secPerStep <= 0) {
    const remaining = n === 0 || secPerStep <= 0 ? '?' : tqdmTime((total - n) * secPerStep);
    return `${pct}|${bar}| ${n}/${total} [${tqdmTime(elapsed)}<${remaining}, ?it/s]`;
  }
  const rate = 1 / secPerStep;
  const rateFmt =
    rate >= 1 ? `${rate.toFixed(2).padStart(5, ' ')}it/s` : `${secPerStep.toFixed(2).padStart(5, ' ')}s/it`;
  return `${pct}|${bar}| ${n}/${total} [${tqdmTime(elapsed)}<${tqdmTime((total - n) * secPerStep)}, ${rateFmt}]`;
}

/**
 * The prediction's logs after `elapsedMs` of predict() time. `finished` adds the closing lines.
 */
export function logsAt(plan: RunPlan, elapsedMs: number, stepMs: number, finished: boolean): string {
  if (elapsedMs < 0) return '';
  const lines = [...plan.preLines];
  if (plan.barTotal > 0) {
    const done = finished || stepMs <= 0 ? plan.barLimit : Math.min(plan.barLimit, Math.floor(elapsedMs / stepMs));
    for (let k = 0; k <= done; k++) lines.push(tqdmLine(k, plan.barTotal, stepMs / 1000));
  }
  if (finished) lines.push(...plan.postLines);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
