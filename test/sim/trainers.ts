/**
 * The two FLUX LoRA trainers as the simulator's catalog shows them: their inputs, the OpenAPI
 * document of a trainer version (the predictor's `Input` and the trainer's `TrainingInput`), and
 * the catalog entries (part of the trainings API, trainings.ts).
 *
 * Sources (read, not imported): replicate/flux-fine-tuner train.py (the code of
 * ostris/flux-dev-lora-trainer): its inputs, defaults and bounds (gradient_checkpointing has no
 * description: `descripton=` is misspelt there), the secrets. The inputs of
 * replicate/fast-flux-trainer are from its model page, not its code: clients must read them from
 * the version's schema, as they must for the other trainer.
 */
import { buildCogDocument, cogTitle, type CogInput, type OpenApiSchema, type SchemaNode } from './cog-schema';
import { legacySchema, replicateTime, versionIdFor, type CatalogModel, type CogDialect } from './model-rules';

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
export function asInputDocument(doc: OpenApiSchema): OpenApiSchema {
  return {
    ...doc,
    components: { schemas: { ...doc.components.schemas, Input: doc.components.schemas.TrainingInput! } },
  };
}

export interface TrainerSpec {
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
