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
 * The input definitions (model-inputs.ts) are the simulator's own (copied from the predictors' source
 * and the model card), never read from the app: the simulator is the oracle the app is tested against.
 *
 * This module is the front door: each rule group lives in its own file and is re-exported here,
 * so importers keep `./model-rules`.
 * - model-inputs.ts: both predictors' inputs and their Cog documents;
 * - input-validation.ts: validation against a version's schema (422) and defaults;
 * - model-catalog.ts: models, versions, version ids, Replicate's timestamps;
 * - model-sizes.ts: output sizes and step counts; prompt-markers.ts: failure markers, extra_lora;
 * - run-plan.ts: input → run (seed, size, log lines, failures); prediction-logs.ts: logs and tqdm.
 */
export type { CogDialect, CogInput, OpenApiSchema, SchemaNode } from './cog-schema';
export * from './model-inputs';
export * from './input-validation';
export * from './model-catalog';
export * from './model-sizes';
export * from './prompt-markers';
export * from './run-plan';
export * from './prediction-logs';
