/**
 * The sseelfie-ai input schema (cog-flux `HotswapPredictor.predict`, see
 * /work/shared/reference/replicate-api.md §1.2 and model-card.txt) as whole Cog OpenAPI documents,
 * in each dialect Cog versions emit. Written by hand from the generators themselves:
 *
 * - COG09_ALLOF — Cog ≤ 0.9 (pydantic 1; python/cog/predictor.py turns `choices=` into an Enum
 *   named after the input, pydantic 1 writes `allOf: [{$ref}]` when the field has a default or a
 *   description beside it, pydantic/pydantic#1749). Cog ≥ 0.11 rewrites pydantic 2's output back
 *   to this shape (python/cog/server/helpers.py `update_openapi_schema_for_pydantic_2`), and so do
 *   cog-dataclass and the static Go generator (pkg/schema/openapi_spec.go).
 * - BARE_REF — pydantic ≥ 2.9 dropped the `allOf` wrapper and puts siblings beside `$ref`
 *   (pydantic/pydantic#10029); a `default=None` on a non-Optional input is written `default: null`.
 * - PYDANTIC2_ANYOF — raw pydantic 2 / FastAPI: `Optional[T]` is
 *   `anyOf: [{type: T, minimum, maximum, format}, {type: 'null'}]` with `title` and `default: null`
 *   beside it (pydantic/pydantic#6647), an optional enum `anyOf: [{$ref}, {type: 'null'}]`; the
 *   envelope's own optional fields (PredictionRequest.id, …) are written the same way.
 *
 * No Node or DOM: the renderer tests import this too.
 */

const D = {
  prompt:
    'Prompt for generated image. If you include the `trigger_word` used in the training process you are more likely to activate the trained object, style, or concept in the resulting image.',
  image:
    'Input image for image to image or inpainting mode. If provided, aspect_ratio, width, and height inputs are ignored.',
  mask: 'Image mask for image inpainting mode. If provided, aspect_ratio, width, and height inputs are ignored.',
  aspect_ratio:
    'Aspect ratio for the generated image. If custom is selected, uses height and width below & will run in bf16 mode',
  height:
    'Height of generated image. Only works if `aspect_ratio` is set to custom. Will be rounded to nearest multiple of 16. Incompatible with fast generation',
  width:
    'Width of generated image. Only works if `aspect_ratio` is set to custom. Will be rounded to nearest multiple of 16. Incompatible with fast generation',
  prompt_strength: 'Prompt strength when using img2img. 1.0 corresponds to full destruction of information in image',
  model:
    'Which model to run inference with. The dev model performs best with around 28 inference steps but the schnell model only needs 4 steps.',
  num_outputs: 'Number of outputs to generate',
  num_inference_steps: 'Number of denoising steps. More steps can give more detailed images, but take longer.',
  guidance_scale:
    'Guidance scale for the diffusion process. Lower values can give more realistic images. Good values to try are 2, 2.5, 3 and 3.5',
  seed: 'Random seed. Set for reproducible generation',
  output_format: 'Format of the output images',
  output_quality:
    'Quality when saving the output images, from 0 to 100. 100 is best quality, 0 is lowest quality. Not relevant for .png outputs',
  disable_safety_checker: 'Disable safety checker for generated images.',
  go_fast:
    'Run faster predictions with model optimized for speed (currently fp8 quantized); disable to run in original bf16',
  megapixels: 'Approximate number of megapixels for generated image',
  lora_scale:
    "Determines how strongly the main LoRA should be applied. Sane results between 0 and 1 for base inference. For go_fast we apply a 1.5x multiplier to this value; we've generally seen good performance when scaling the base value by that amount. You may still need to experiment to find the best value for your particular lora.",
  extra_lora:
    "Load LoRA weights. Supports Replicate models in the format <owner>/<username> or <owner>/<username>/<version>, HuggingFace URLs in the format huggingface.co/<owner>/<model-name>, CivitAI URLs in the format civitai.com/models/<id>[/<model-name>], or arbitrary .safetensors URLs from the Internet. For example, 'fofr/flux-pixar-cars'",
  extra_lora_scale:
    "Determines how strongly the extra LoRA should be applied. Sane results between 0 and 1 for base inference. For go_fast we apply a 1.5x multiplier to this value; we've generally seen good performance when scaling the base value by that amount. You may still need to experiment to find the best value for your particular lora.",
} as const;

export const ASPECT_RATIOS = [
  '1:1',
  '16:9',
  '21:9',
  '3:2',
  '2:3',
  '4:5',
  '5:4',
  '3:4',
  '4:3',
  '9:16',
  '9:21',
  'custom',
] as const;

/** `components.schemas.<input>`: what Cog writes for a `choices=` input (an Enum named after it). */
function enumSchemas(): Record<string, unknown> {
  const e = (name: string, values: readonly string[]) => ({
    enum: [...values],
    type: 'string',
    title: name,
    description: 'An enumeration.',
  });
  return {
    aspect_ratio: e('aspect_ratio', ASPECT_RATIOS),
    model: e('model', ['dev', 'schnell']),
    output_format: e('output_format', ['webp', 'jpg', 'png']),
    megapixels: e('megapixels', ['1', '0.25']),
  };
}

const ref = (name: string) => `#/components/schemas/${name}`;
type Dialect = 'pydantic1' | 'pydantic2';

/** Cog's whole document around an Input: the HTTP paths, the prediction envelope, Status, … */
function cogDocument(dialect: Dialect, input: Record<string, unknown>): Record<string, unknown> {
  const opt = (schema: Record<string, unknown>, title: string) =>
    dialect === 'pydantic2' ? { anyOf: [schema, { type: 'null' }], title } : { ...schema, title };
  const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
  const validation = { '422': { description: 'Validation Error', ...json({ $ref: ref('HTTPValidationError') }) } };
  return {
    openapi: dialect === 'pydantic2' ? '3.1.0' : '3.0.2',
    info: { title: 'Cog', version: '0.1.0' },
    paths: {
      '/': {
        get: {
          summary: 'Root',
          operationId: 'root__get',
          responses: { '200': { description: 'Successful Response', ...json({ title: 'Response Root  Get' }) } },
        },
      },
      '/health-check': {
        get: {
          summary: 'Healthcheck',
          operationId: 'healthcheck_health_check_get',
          responses: { '200': { description: 'Successful Response', ...json({}) } },
        },
      },
      '/predictions': {
        post: {
          summary: 'Predict',
          description: 'Run a single prediction on the model',
          operationId: 'predict_predictions_post',
          parameters: [{ in: 'header', name: 'prefer', required: false, schema: opt({ type: 'string' }, 'Prefer') }],
          requestBody: json({ $ref: ref('PredictionRequest') }),
          responses: {
            '200': { description: 'Successful Response', ...json({ $ref: ref('PredictionResponse') }) },
            ...validation,
          },
        },
      },
      '/predictions/{prediction_id}': {
        put: {
          summary: 'Predict Idempotent',
          operationId: 'predict_idempotent_predictions__prediction_id__put',
          parameters: [
            { in: 'path', name: 'prediction_id', required: true, schema: { type: 'string', title: 'Prediction ID' } },
          ],
          requestBody: {
            required: true,
            ...json({ allOf: [{ $ref: ref('PredictionRequest') }], title: 'Prediction Request' }),
          },
          responses: {
            '200': { description: 'Successful Response', ...json({ $ref: ref('PredictionResponse') }) },
            ...validation,
          },
        },
      },
      '/predictions/{prediction_id}/cancel': {
        post: {
          summary: 'Cancel',
          operationId: 'cancel_predictions__prediction_id__cancel_post',
          parameters: [
            { in: 'path', name: 'prediction_id', required: true, schema: { type: 'string', title: 'Prediction ID' } },
          ],
          responses: { '200': { description: 'Successful Response', ...json({}) }, ...validation },
        },
      },
      '/shutdown': {
        post: {
          summary: 'Start Shutdown',
          operationId: 'start_shutdown_shutdown_post',
          responses: { '200': { description: 'Successful Response', ...json({}) } },
        },
      },
    },
    components: {
      schemas: {
        Input: input,
        ...enumSchemas(),
        Output: { type: 'array', items: { type: 'string', format: 'uri' }, title: 'Output' },
        Status: {
          enum: ['starting', 'processing', 'succeeded', 'canceled', 'failed'],
          type: 'string',
          title: 'Status',
          description: 'An enumeration.',
        },
        WebhookEvent: {
          enum: ['start', 'output', 'logs', 'completed'],
          type: 'string',
          title: 'WebhookEvent',
          description: 'An enumeration.',
        },
        PredictionRequest: {
          type: 'object',
          title: 'PredictionRequest',
          properties: {
            id: opt({ type: 'string' }, 'Id'),
            input: { $ref: ref('Input') },
            webhook: opt({ type: 'string', format: 'uri', minLength: 1, maxLength: 65536 }, 'Webhook'),
            created_at: opt({ type: 'string', format: 'date-time' }, 'Created At'),
            output_file_prefix: opt({ type: 'string' }, 'Output File Prefix'),
            webhook_events_filter: {
              type: 'array',
              items: { $ref: ref('WebhookEvent') },
              default: ['start', 'output', 'logs', 'completed'],
              uniqueItems: true,
            },
          },
        },
        PredictionResponse: {
          type: 'object',
          title: 'PredictionResponse',
          properties: {
            id: opt({ type: 'string' }, 'Id'),
            logs: { type: 'string', title: 'Logs', default: '' },
            error: opt({ type: 'string' }, 'Error'),
            input: { $ref: ref('Input') },
            output: { $ref: ref('Output') },
            status:
              dialect === 'pydantic2'
                ? { anyOf: [{ $ref: ref('Status') }, { type: 'null' }] }
                : { $ref: ref('Status') },
            metrics: opt({ type: 'object' }, 'Metrics'),
            version: opt({ type: 'string' }, 'Version'),
            created_at: opt({ type: 'string', format: 'date-time' }, 'Created At'),
            started_at: opt({ type: 'string', format: 'date-time' }, 'Started At'),
            completed_at: opt({ type: 'string', format: 'date-time' }, 'Completed At'),
          },
        },
        HTTPValidationError: {
          type: 'object',
          title: 'HTTPValidationError',
          properties: { detail: { type: 'array', items: { $ref: ref('ValidationError') }, title: 'Detail' } },
        },
        ValidationError: {
          type: 'object',
          title: 'ValidationError',
          required: ['loc', 'msg', 'type'],
          properties: {
            loc: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] }, title: 'Location' },
            msg: { type: 'string', title: 'Message' },
            type: { type: 'string', title: 'Error Type' },
          },
        },
      },
    },
  };
}

/** Cog 0.9: enums behind `allOf: [{$ref}]`, no default where the Python default is None. */
export const COG09_ALLOF = cogDocument('pydantic1', {
  type: 'object',
  title: 'Input',
  required: ['prompt'],
  properties: {
    prompt: { type: 'string', title: 'Prompt', 'x-order': 0, description: D.prompt },
    image: { type: 'string', title: 'Image', format: 'uri', 'x-order': 1, description: D.image },
    mask: { type: 'string', title: 'Mask', format: 'uri', 'x-order': 2, description: D.mask },
    aspect_ratio: { allOf: [{ $ref: ref('aspect_ratio') }], default: '1:1', description: D.aspect_ratio, 'x-order': 3 },
    height: { type: 'integer', title: 'Height', minimum: 256, maximum: 1440, 'x-order': 4, description: D.height },
    width: { type: 'integer', title: 'Width', minimum: 256, maximum: 1440, 'x-order': 5, description: D.width },
    prompt_strength: {
      type: 'number',
      title: 'Prompt Strength',
      default: 0.8,
      minimum: 0,
      maximum: 1,
      'x-order': 6,
      description: D.prompt_strength,
    },
    model: { allOf: [{ $ref: ref('model') }], default: 'dev', description: D.model, 'x-order': 7 },
    num_outputs: {
      type: 'integer',
      title: 'Num Outputs',
      default: 1,
      minimum: 1,
      maximum: 4,
      'x-order': 8,
      description: D.num_outputs,
    },
    num_inference_steps: {
      type: 'integer',
      title: 'Num Inference Steps',
      default: 28,
      minimum: 1,
      maximum: 50,
      'x-order': 9,
      description: D.num_inference_steps,
    },
    guidance_scale: {
      type: 'number',
      title: 'Guidance Scale',
      default: 3,
      minimum: 0,
      maximum: 10,
      'x-order': 10,
      description: D.guidance_scale,
    },
    seed: { type: 'integer', title: 'Seed', 'x-order': 11, description: D.seed },
    output_format: {
      allOf: [{ $ref: ref('output_format') }],
      default: 'webp',
      description: D.output_format,
      'x-order': 12,
    },
    output_quality: {
      type: 'integer',
      title: 'Output Quality',
      default: 80,
      minimum: 0,
      maximum: 100,
      'x-order': 13,
      description: D.output_quality,
    },
    disable_safety_checker: {
      type: 'boolean',
      title: 'Disable Safety Checker',
      default: false,
      'x-order': 14,
      description: D.disable_safety_checker,
    },
    go_fast: { type: 'boolean', title: 'Go Fast', default: false, 'x-order': 15, description: D.go_fast },
    megapixels: { allOf: [{ $ref: ref('megapixels') }], default: '1', description: D.megapixels, 'x-order': 16 },
    lora_scale: {
      type: 'number',
      title: 'Lora Scale',
      default: 1,
      minimum: -1,
      maximum: 3,
      'x-order': 17,
      description: D.lora_scale,
    },
    extra_lora: { type: 'string', title: 'Extra Lora', 'x-order': 18, description: D.extra_lora },
    extra_lora_scale: {
      type: 'number',
      title: 'Extra Lora Scale',
      default: 1,
      minimum: -1,
      maximum: 3,
      'x-order': 19,
      description: D.extra_lora_scale,
    },
  },
});

/** pydantic ≥ 2.9: enums as a bare `$ref` with siblings; `default=None` written as `default: null`. */
export const BARE_REF = cogDocument('pydantic2', {
  type: 'object',
  title: 'Input',
  required: ['prompt'],
  properties: {
    prompt: { type: 'string', title: 'Prompt', description: D.prompt, 'x-order': 0 },
    image: { type: 'string', format: 'uri', title: 'Image', default: null, description: D.image, 'x-order': 1 },
    mask: { type: 'string', format: 'uri', title: 'Mask', default: null, description: D.mask, 'x-order': 2 },
    aspect_ratio: { $ref: ref('aspect_ratio'), default: '1:1', description: D.aspect_ratio, 'x-order': 3 },
    height: {
      type: 'integer',
      maximum: 1440,
      minimum: 256,
      title: 'Height',
      default: null,
      description: D.height,
      'x-order': 4,
    },
    width: {
      type: 'integer',
      maximum: 1440,
      minimum: 256,
      title: 'Width',
      default: null,
      description: D.width,
      'x-order': 5,
    },
    prompt_strength: {
      type: 'number',
      maximum: 1,
      minimum: 0,
      title: 'Prompt Strength',
      default: 0.8,
      description: D.prompt_strength,
      'x-order': 6,
    },
    model: { $ref: ref('model'), default: 'dev', description: D.model, 'x-order': 7 },
    num_outputs: {
      type: 'integer',
      maximum: 4,
      minimum: 1,
      title: 'Num Outputs',
      default: 1,
      description: D.num_outputs,
      'x-order': 8,
    },
    num_inference_steps: {
      type: 'integer',
      maximum: 50,
      minimum: 1,
      title: 'Num Inference Steps',
      default: 28,
      description: D.num_inference_steps,
      'x-order': 9,
    },
    guidance_scale: {
      type: 'number',
      maximum: 10,
      minimum: 0,
      title: 'Guidance Scale',
      default: 3,
      description: D.guidance_scale,
      'x-order': 10,
    },
    seed: { type: 'integer', title: 'Seed', default: null, description: D.seed, 'x-order': 11 },
    output_format: { $ref: ref('output_format'), default: 'webp', description: D.output_format, 'x-order': 12 },
    output_quality: {
      type: 'integer',
      maximum: 100,
      minimum: 0,
      title: 'Output Quality',
      default: 80,
      description: D.output_quality,
      'x-order': 13,
    },
    disable_safety_checker: {
      type: 'boolean',
      title: 'Disable Safety Checker',
      default: false,
      description: D.disable_safety_checker,
      'x-order': 14,
    },
    go_fast: { type: 'boolean', title: 'Go Fast', default: false, description: D.go_fast, 'x-order': 15 },
    megapixels: { $ref: ref('megapixels'), default: '1', description: D.megapixels, 'x-order': 16 },
    lora_scale: {
      type: 'number',
      maximum: 3,
      minimum: -1,
      title: 'Lora Scale',
      default: 1,
      description: D.lora_scale,
      'x-order': 17,
    },
    extra_lora: { type: 'string', title: 'Extra Lora', default: null, description: D.extra_lora, 'x-order': 18 },
    extra_lora_scale: {
      type: 'number',
      maximum: 3,
      minimum: -1,
      title: 'Extra Lora Scale',
      default: 1,
      description: D.extra_lora_scale,
      'x-order': 19,
    },
  },
});

const orNull = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });

/**
 * Raw pydantic 2 with the inputs that default to None typed `Optional[…]`: `anyOf` with null, the
 * constraints inside the non-null branch (pydantic's way) or beside it (an OpenAPI 3.0 writer's),
 * and an optional enum (`megapixels: Optional[str]`) as `anyOf: [{$ref}, {type: 'null'}]`.
 */
export const PYDANTIC2_ANYOF = cogDocument('pydantic2', {
  type: 'object',
  title: 'Input',
  required: ['prompt'],
  properties: {
    prompt: { type: 'string', title: 'Prompt', description: D.prompt, 'x-order': 0 },
    image: {
      ...orNull({ type: 'string', format: 'uri' }),
      title: 'Image',
      default: null,
      description: D.image,
      'x-order': 1,
    },
    mask: {
      ...orNull({ type: 'string', format: 'uri' }),
      title: 'Mask',
      default: null,
      description: D.mask,
      'x-order': 2,
    },
    aspect_ratio: { $ref: ref('aspect_ratio'), default: '1:1', description: D.aspect_ratio, 'x-order': 3 },
    height: {
      ...orNull({ type: 'integer', maximum: 1440, minimum: 256 }),
      title: 'Height',
      default: null,
      description: D.height,
      'x-order': 4,
    },
    width: {
      ...orNull({ type: 'integer' }),
      maximum: 1440,
      minimum: 256,
      title: 'Width',
      default: null,
      description: D.width,
      'x-order': 5,
    },
    prompt_strength: {
      type: 'number',
      maximum: 1,
      minimum: 0,
      title: 'Prompt Strength',
      default: 0.8,
      description: D.prompt_strength,
      'x-order': 6,
    },
    model: { $ref: ref('model'), default: 'dev', description: D.model, 'x-order': 7 },
    num_outputs: {
      type: 'integer',
      maximum: 4,
      minimum: 1,
      title: 'Num Outputs',
      default: 1,
      description: D.num_outputs,
      'x-order': 8,
    },
    num_inference_steps: {
      type: 'integer',
      maximum: 50,
      minimum: 1,
      title: 'Num Inference Steps',
      default: 28,
      description: D.num_inference_steps,
      'x-order': 9,
    },
    guidance_scale: {
      type: 'number',
      maximum: 10,
      minimum: 0,
      title: 'Guidance Scale',
      default: 3,
      description: D.guidance_scale,
      'x-order': 10,
    },
    seed: { ...orNull({ type: 'integer' }), title: 'Seed', default: null, description: D.seed, 'x-order': 11 },
    output_format: { $ref: ref('output_format'), default: 'webp', description: D.output_format, 'x-order': 12 },
    output_quality: {
      type: 'integer',
      maximum: 100,
      minimum: 0,
      title: 'Output Quality',
      default: 80,
      description: D.output_quality,
      'x-order': 13,
    },
    disable_safety_checker: {
      type: 'boolean',
      title: 'Disable Safety Checker',
      default: false,
      description: D.disable_safety_checker,
      'x-order': 14,
    },
    go_fast: { type: 'boolean', title: 'Go Fast', default: false, description: D.go_fast, 'x-order': 15 },
    megapixels: {
      ...orNull({ $ref: ref('megapixels') }),
      title: 'Megapixels',
      default: '1',
      description: D.megapixels,
      'x-order': 16,
    },
    lora_scale: {
      type: 'number',
      maximum: 3,
      minimum: -1,
      title: 'Lora Scale',
      default: 1,
      description: D.lora_scale,
      'x-order': 17,
    },
    extra_lora: {
      ...orNull({ type: 'string' }),
      title: 'Extra Lora',
      default: null,
      description: D.extra_lora,
      'x-order': 18,
    },
    extra_lora_scale: {
      type: 'number',
      maximum: 3,
      minimum: -1,
      title: 'Extra Lora Scale',
      default: 1,
      description: D.extra_lora_scale,
      'x-order': 19,
    },
  },
});

/** The ModelField list every dialect must give, from replicate-api.md §1.2 (cog-flux predict.py). */
export const EXPECTED_FIELDS = [
  { name: 'prompt', title: 'Prompt', type: 'string', required: true, order: 0, description: D.prompt },
  { name: 'image', title: 'Image', type: 'string', format: 'uri', required: false, order: 1, description: D.image },
  { name: 'mask', title: 'Mask', type: 'string', format: 'uri', required: false, order: 2, description: D.mask },
  {
    name: 'aspect_ratio',
    title: 'Aspect Ratio',
    type: 'string',
    enum: [...ASPECT_RATIOS],
    default: '1:1',
    required: false,
    order: 3,
    description: D.aspect_ratio,
  },
  {
    name: 'height',
    title: 'Height',
    type: 'integer',
    minimum: 256,
    maximum: 1440,
    required: false,
    order: 4,
    description: D.height,
  },
  {
    name: 'width',
    title: 'Width',
    type: 'integer',
    minimum: 256,
    maximum: 1440,
    required: false,
    order: 5,
    description: D.width,
  },
  {
    name: 'prompt_strength',
    title: 'Prompt Strength',
    type: 'number',
    minimum: 0,
    maximum: 1,
    default: 0.8,
    required: false,
    order: 6,
    description: D.prompt_strength,
  },
  {
    name: 'model',
    title: 'Model',
    type: 'string',
    enum: ['dev', 'schnell'],
    default: 'dev',
    required: false,
    order: 7,
    description: D.model,
  },
  {
    name: 'num_outputs',
    title: 'Num Outputs',
    type: 'integer',
    minimum: 1,
    maximum: 4,
    default: 1,
    required: false,
    order: 8,
    description: D.num_outputs,
  },
  {
    name: 'num_inference_steps',
    title: 'Num Inference Steps',
    type: 'integer',
    minimum: 1,
    maximum: 50,
    default: 28,
    required: false,
    order: 9,
    description: D.num_inference_steps,
  },
  {
    name: 'guidance_scale',
    title: 'Guidance Scale',
    type: 'number',
    minimum: 0,
    maximum: 10,
    default: 3,
    required: false,
    order: 10,
    description: D.guidance_scale,
  },
  { name: 'seed', title: 'Seed', type: 'integer', required: false, order: 11, description: D.seed },
  {
    name: 'output_format',
    title: 'Output Format',
    type: 'string',
    enum: ['webp', 'jpg', 'png'],
    default: 'webp',
    required: false,
    order: 12,
    description: D.output_format,
  },
  {
    name: 'output_quality',
    title: 'Output Quality',
    type: 'integer',
    minimum: 0,
    maximum: 100,
    default: 80,
    required: false,
    order: 13,
    description: D.output_quality,
  },
  {
    name: 'disable_safety_checker',
    title: 'Disable Safety Checker',
    type: 'boolean',
    default: false,
    required: false,
    order: 14,
    description: D.disable_safety_checker,
  },
  {
    name: 'go_fast',
    title: 'Go Fast',
    type: 'boolean',
    default: false,
    required: false,
    order: 15,
    description: D.go_fast,
  },
  {
    name: 'megapixels',
    title: 'Megapixels',
    type: 'string',
    enum: ['1', '0.25'],
    default: '1',
    required: false,
    order: 16,
    description: D.megapixels,
  },
  {
    name: 'lora_scale',
    title: 'Lora Scale',
    type: 'number',
    minimum: -1,
    maximum: 3,
    default: 1,
    required: false,
    order: 17,
    description: D.lora_scale,
  },
  { name: 'extra_lora', title: 'Extra Lora', type: 'string', required: false, order: 18, description: D.extra_lora },
  {
    name: 'extra_lora_scale',
    title: 'Extra Lora Scale',
    type: 'number',
    minimum: -1,
    maximum: 3,
    default: 1,
    required: false,
    order: 19,
    description: D.extra_lora_scale,
  },
] as const;

export const DIALECTS = {
  'cog-0.9 allOf': COG09_ALLOF,
  'bare $ref': BARE_REF,
  'pydantic-2 anyOf': PYDANTIC2_ANYOF,
} as const;
