/**
 * How the cog predictor turns valid input into a run (part of model-rules.ts): seed, size, the
 * log lines printed before the progress bar, step count, safety checker, and every failure with
 * the traceback Cog prints. Log lines and error strings are copied from cog-flux predict.py
 * `HotswapPredictor` (`hotswap`) and flux-fine-tuner predict.py (`legacy`) so the app's parsers
 * see real text.
 */
import type { Predictor } from './model-catalog';
import { makeMultipleOf16, sizeForInputImage, sizeFromAspect, stepsAfterStrength } from './model-sizes';
import { extraLoraError, parseMarkers, type PromptMarkers } from './prompt-markers';

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
