/**
 * What a trained FLUX-LoRA version on Replicate does with its input (reference §1): which models and
 * versions exist, how the API validates input against the version's OpenAPI schema, and how the
 * cog predictor turns valid input into a run: sizes, seed, log lines, step count, failures.
 *
 * Two predictor generations are modelled, because a user's model can hold versions of both:
 * - `hotswap`: cog-flux `predict.py:HotswapPredictor` (versions trained since late Nov 2024), the
 *   schema in assets/models/sseelfie-ai.openapi.json;
 * - `legacy`: flux-fine-tuner `predict.py` (older trainings): no go_fast/megapixels, lora_scale ≤ 2,
 *   guidance 3.5, quality 90, no 1440 cap on img2img sizes, a different NSFW error.
 * Log lines and error strings are copied from those predictors so the app's parsers see real text.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// ---------------------------------------------------------------------------------------------
// Schema

export interface SchemaNode {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  allOf?: Array<{ $ref: string }>;
  $ref?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  format?: string;
  'x-order'?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
}

export interface OpenApiSchema {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, unknown>;
  components: { schemas: Record<string, SchemaNode> };
}

const HOTSWAP_SCHEMA_PATH = path.resolve(import.meta.dirname, '../../assets/models/sseelfie-ai.openapi.json');
let hotswapSchemaCache: OpenApiSchema | null = null;

/** The Cog schema of the current predictor, read from the app's assets (a fresh copy each call). */
export function hotswapSchema(): OpenApiSchema {
  hotswapSchemaCache ??= JSON.parse(readFileSync(HOTSWAP_SCHEMA_PATH, 'utf8')) as OpenApiSchema;
  return structuredClone(hotswapSchemaCache);
}

/** The schema a pre-Nov-2024 trained version shows (flux-fine-tuner predict.py), same Cog shape. */
export function legacySchema(): OpenApiSchema {
  const base = hotswapSchema();
  const s = base.components.schemas;
  const hot = s.Input!.properties!;
  const enumRef = (name: string, dflt: string, description: string, order: number): SchemaNode => ({
    allOf: [{ $ref: `#/components/schemas/${name}` }],
    default: dflt,
    description,
    'x-order': order,
  });
  const num = (title: string, type: 'integer' | 'number', order: number, description: string, extra: Partial<SchemaNode>): SchemaNode => ({
    type,
    title,
    'x-order': order,
    description,
    ...extra,
  });
  const properties: Record<string, SchemaNode> = {
    prompt: { ...hot.prompt!, 'x-order': 0 },
    image: {
      type: 'string',
      title: 'Image',
      format: 'uri',
      'x-order': 1,
      description: 'Input image for img2img or inpainting mode. If provided, aspect_ratio, width, and height inputs are ignored.',
    },
    mask: {
      type: 'string',
      title: 'Mask',
      format: 'uri',
      'x-order': 2,
      description:
        "Input mask for inpainting mode. Black areas will be preserved, white areas will be inpainted. Must be provided along with 'image' for inpainting mode.",
    },
    aspect_ratio: enumRef(
      'aspect_ratio',
      '1:1',
      "Aspect ratio for the generated image in text-to-image mode. The size will always be 1 megapixel, i.e. 1024x1024 if aspect ratio is 1:1. To use arbitrary width and height, set aspect ratio to 'custom'. Note: Ignored in img2img and inpainting modes.",
      3,
    ),
    width: num('Width', 'integer', 4, "Width of the generated image in text-to-image mode. Only used when aspect_ratio=custom. Must be a multiple of 16 (if it's not, it will be rounded to nearest multiple of 16). Note: Ignored in img2img and inpainting modes.", { minimum: 256, maximum: 1440 }),
    height: num('Height', 'integer', 5, "Height of the generated image in text-to-image mode. Only used when aspect_ratio=custom. Must be a multiple of 16 (if it's not, it will be rounded to nearest multiple of 16). Note: Ignored in img2img and inpainting modes.", { minimum: 256, maximum: 1440 }),
    num_outputs: num('Num Outputs', 'integer', 6, 'Number of images to output.', { default: 1, minimum: 1, maximum: 4 }),
    lora_scale: num('Lora Scale', 'number', 7, 'Determines how strongly the main LoRA should be applied. Sane results between 0 and 1.', { default: 1, minimum: -1, maximum: 2 }),
    num_inference_steps: num('Num Inference Steps', 'integer', 8, 'Number of inference steps. More steps can give more detailed images, but take longer.', { default: 28, minimum: 1, maximum: 50 }),
    model: enumRef('model', 'dev', 'Which model to run inferences with. The dev model needs around 28 steps but the schnell model only needs around 4 steps.', 9),
    guidance_scale: num('Guidance Scale', 'number', 10, 'Guidance scale for the diffusion process. Lower values can give more realistic images. Good values to try are 2, 2.5, 3 and 3.5', { default: 3.5, minimum: 0, maximum: 10 }),
    prompt_strength: num('Prompt Strength', 'number', 11, 'Prompt strength when using img2img / inpaint. 1.0 corresponds to full destruction of information in image', { default: 0.8, minimum: 0, maximum: 1 }),
    seed: { type: 'integer', title: 'Seed', 'x-order': 12, description: 'Random seed. Set for reproducible generation.' },
    extra_lora: {
      type: 'string',
      title: 'Extra Lora',
      'x-order': 13,
      description:
        "Combine this fine-tune with another LoRA. Supports Replicate models in the format <owner>/<username> or <owner>/<username>/<version>, HuggingFace URLs in the format huggingface.co/<owner>/<model-name>, CivitAI URLs in the format civitai.com/models/<id>[/<model-name>], or arbitrary .safetensors URLs from the Internet. For example, 'fofr/flux-pixar-cars'",
    },
    extra_lora_scale: num('Extra Lora Scale', 'number', 14, 'Determines how strongly the extra LoRA should be applied.', { default: 1, minimum: -1, maximum: 2 }),
    output_format: enumRef('output_format', 'webp', 'Format of the output images.', 15),
    output_quality: num('Output Quality', 'integer', 16, 'Quality when saving the output images, from 0 to 100. 100 is best quality, 0 is lowest quality. Not relevant for .png outputs', { default: 90, minimum: 0, maximum: 100 }),
    disable_safety_checker: { type: 'boolean', title: 'Disable Safety Checker', default: false, 'x-order': 17, description: 'Disable safety checker for generated images.' },
  };
  s.Input = { type: 'object', title: 'Input', required: ['prompt'], properties };
  delete s.megapixels;
  return base;
}

/** A property with its `allOf: [{$ref}]` enum resolved (Cog writes `choices=` that way). */
export function resolveProperty(schema: OpenApiSchema, node: SchemaNode): SchemaNode {
  const ref = node.allOf?.[0]?.$ref ?? node.$ref;
  if (!ref) return node;
  const name = ref.replace('#/components/schemas/', '');
  const target = schema.components.schemas[name] ?? {};
  return { ...target, ...node, type: target.type ?? node.type, enum: target.enum };
}

function inputProperties(schema: OpenApiSchema): Array<[string, SchemaNode]> {
  const props = schema.components.schemas.Input?.properties ?? {};
  return Object.entries(props)
    .map(([k, v]): [string, SchemaNode] => [k, resolveProperty(schema, v)])
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
    return [{ type: 'invalid_type', field: 'input', description: `Invalid type. Expected: object, given: ${jsonType(input)}` }];
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
    const expected = prop.type;
    const typeOk =
      expected === undefined ||
      given === expected ||
      (expected === 'number' && given === 'integer');
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
        errors.push({ type: 'greater_than_equal', field, description: `Must be greater than or equal to ${prop.minimum}` });
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
    out[key] = key in input ? input[key] : (prop.default ?? null);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Models and versions

export type Predictor = 'hotswap' | 'legacy';

export interface SimVersionSpec {
  predictor?: Predictor;
  /** default: the schema of the predictor */
  openapiSchema?: OpenApiSchema;
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
  runCount?: number;
}

export interface ModelVersion {
  id: string;
  index: number;
  createdAt: string;
  predictor: Predictor;
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

export function buildCatalogModel(m: SimModel): CatalogModel {
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
      return {
        id: versionIdFor(m.owner, m.name, index),
        index,
        predictor,
        createdAt: spec.createdAt ?? replicateTime(base + index * 9 * 86_400_000 + (h[4 + (index % 20)]! * 3_600_000) / 7),
        schema: spec.openapiSchema ?? (predictor === 'legacy' ? legacySchema() : hotswapSchema()),
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
    if (sel) m.nsfw = sel[1]!.split(',').map((s) => Number(s.trim())).filter((n) => Number.isInteger(n));
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
  if (ref.includes('huggingface.co')) return 'Failed to parse HuggingFace URL. Expected huggingface.co/<owner>/<model-name>[/<lora-weights-file.safetensors>]';
  if (ref.includes('civitai.com')) return 'Failed to parse CivitAI URL. Expected civitai.com/models/<id>[/<model-name>]';
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
  for (const [file, line, func, code] of frames) lines.push(`  File "${file}", line ${line}, in ${func}`, `    ${code}`);
  lines.push(`${errorType}: ${message}`);
  return lines;
}

interface Draft {
  pre: string[];
  seed: number | null;
  width: number | null;
  height: number | null;
}

function failedPlan(d: Draft, markers: PromptMarkers, error: string, post: string[] = [], bar = { total: 0, limit: 0, run: 0 }): RunPlan {
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
    if (err) return failedPlan(d, markers, err, traceback([['/src/weights.py', 305, 'predict', 'raise ValueError(']], 'ValueError', err));
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
      return failedPlan(d, markers, img.error, traceback([['/src/diffusers_predictor.py', 225, 'predict', 'input_image = Image.open(legacy_image_path).convert("RGB")']], errorClass(img.error), img.error));
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
        return failedPlan(d, markers, ctx.mask.error, traceback([['/src/diffusers_predictor.py', 258, 'predict', 'mask_image = Image.open(legacy_mask_path).convert("RGB")']], errorClass(ctx.mask.error), ctx.mask.error));
      }
    }
    const strength = inp.prompt_strength as number;
    steps = stepsAfterStrength(steps, strength);
    if (steps < 1) {
      const msg = `After adjusting the num_inference_steps by strength parameter: ${pyFloat(strength)}, the number of pipelinesteps is ${steps} which is < 1 and not appropriate for this pipeline.`;
      return failedPlan(d, markers, msg, traceback([['/src/diffusers_predictor.py', 290, 'predict', 'output = pipe(**common_args, **flux_kwargs)']], 'ValueError', msg));
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
      return failedPlan(d, markers, msg, traceback([['/src/predict.py', 283, 'predict', 'raise ValueError(']], 'ValueError', msg));
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
      return failedPlan(d, markers, img.error, traceback([['/src/predict.py', 323, 'predict', 'input_image = Image.open(image).convert("RGB")']], errorClass(img.error), img.error));
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
        return failedPlan(d, markers, ctx.mask.error, traceback([['/src/predict.py', 343, 'predict', 'mask_image = Image.open(mask).convert("RGB")']], errorClass(ctx.mask.error), ctx.mask.error));
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
    if (err) return failedPlan(d, markers, err, traceback([['/src/weights.py', 305, 'predict', 'raise ValueError(']], 'ValueError', err));
  }
  d.pre.push(`Loaded LoRAs in ${ctx.loraLoadSec.toFixed(2)}s`);
  if (mode !== 'txt2img') {
    const strength = inp.prompt_strength as number;
    steps = stepsAfterStrength(steps, strength);
    if (steps < 1) {
      const msg = `After adjusting the num_inference_steps by strength parameter: ${pyFloat(strength)}, the number of pipelinesteps is ${steps} which is < 1 and not appropriate for this pipeline.`;
      return failedPlan(d, markers, msg, traceback([['/src/predict.py', 395, 'predict', 'output = pipe(**common_args, **flux_kwargs)']], 'ValueError', msg));
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
    return failedPlan(d, markers, msg, traceback([['/src/diffusers_predictor.py', 290, 'predict', 'output = pipe(**common_args, **flux_kwargs)']], 'torch.OutOfMemoryError', msg), {
      total: steps,
      limit: 0,
      run: 1,
    });
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
    return failedPlan(d, markers, msg, [...post, ...traceback([['/src/predict.py', 262, 'predict', 'raise Exception(']], 'Exception', msg)], bar);
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
  const rateFmt = rate >= 1 ? `${rate.toFixed(2).padStart(5, ' ')}it/s` : `${secPerStep.toFixed(2).padStart(5, ' ')}s/it`;
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
