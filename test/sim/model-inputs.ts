/**
 * The inputs of the two FLUX-LoRA predictor generations, in their order, and the Cog OpenAPI
 * documents a version of each shows (part of model-rules.ts, which re-exports all of it).
 * Mirrors replicate/cog-flux predict.py `HotswapPredictor.predict()` @51e81e03 with the model card
 * of sandrasocial/sseelfie-ai, and flux-fine-tuner predict.py for the older `legacy` versions.
 */
import { buildCogDocument, type CogDialect, type CogInput, type OpenApiSchema } from './cog-schema';

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
