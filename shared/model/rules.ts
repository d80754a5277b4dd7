/**
 * The size and mode rules of FLUX LoRA models served by cog-flux's HotswapPredictor, as its
 * predict.py and diffusers_predictor.py apply them (test/sim/model-rules.ts plays the same rules
 * in the simulator): the aspect-ratio table, an input image fitted into 1440×1440 and each side
 * rounded UP to a multiple of 16, an image with a mask is inpainting, go_fast (fp8, LoRA scale
 * ×1.5) is dropped for custom sizes and for any input image. Used to show the real pixel size
 * before a run, to say which fields the model will ignore, and by validation.
 */
import type { CropRect } from '../images';

export type { CropRect };

export const MAX_IMAGE_SIDE = 1440;

/** aspect_ratio → size at megapixels "1" (predict.py ASPECT_RATIOS). "0.25" halves each side. */
export const ASPECT_SIZES: Readonly<Record<string, readonly [number, number]>> = {
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

/** cog-flux make_multiple_of_16 rounds UP, although the field description says "nearest". */
export function roundUp16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

/** Output size for an input image: fit inside 1440×1440 (never upscale), then each side up to 16. */
export function sizeForInputImage(width: number, height: number): { width: number; height: number } {
  let w = width;
  let h = height;
  if (w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE) {
    const s = Math.min(MAX_IMAGE_SIDE / w, MAX_IMAGE_SIDE / h);
    w = Math.round(w * s);
    h = Math.round(h * s);
  }
  return { width: roundUp16(w), height: roundUp16(h) };
}

/**
 * Output size and source crop for the model. `null` when a side would end up under 16 px.
 * With `resize`, sharp's `fit: 'cover'` reproduces the crop (scale so the target is covered,
 * centre crop); without it, the crop is taken from the source as is.
 */
export function planModelSize(
  W: number,
  H: number,
  maxSide: number = MAX_IMAGE_SIDE,
): { width: number; height: number; crop: CropRect; resize: boolean } | null {
  const s = Math.min(1, maxSide / W, maxSide / H);
  const sw = Math.max(1, Math.round(W * s));
  const sh = Math.max(1, Math.round(H * s));
  const tw = Math.floor(sw / 16) * 16;
  const th = Math.floor(sh / 16) * 16;
  if (tw < 16 || th < 16) return null;
  if (s === 1) {
    return {
      width: tw,
      height: th,
      crop: { left: Math.floor((W - tw) / 2), top: Math.floor((H - th) / 2), width: tw, height: th },
      resize: false,
    };
  }
  // as sharp does it: ResolveShrink with CROP, libvips' centred resampling, then CalculateCrop centre
  const shrink = Math.min(W / tw, H / th);
  const axis = (S: number, t: number): [number, number] => {
    const i = Math.round(S / shrink); // size of the scaled image before the crop
    if (i <= t) return [0, S]; // nothing cut along this axis
    const off = Math.floor((i - t + 1) / 2);
    const start = Math.min(S - 1, Math.max(0, Math.round(off * shrink + (S - i * shrink) / 2)));
    return [start, Math.min(S - start, Math.round(t * shrink))];
  };
  const [left, width] = axis(W, tw);
  const [top, height] = axis(H, th);
  return { width: tw, height: th, crop: { left, top, width, height }, resize: true };
}

export type GenerationMode = 'txt2img' | 'img2img' | 'inpaint';

export interface OutputPlan {
  mode: GenerationMode;
  width: number | null;
  height: number | null;
  /** true when the model will run in bf16 although go_fast was asked for */
  fastIgnored: boolean;
  /** lora_scale the model will actually apply (×1.5 in fp8) */
  effectiveLoraScale: number | null;
  /** field → why the model ignores it with these inputs */
  ignored: Record<string, string>;
}

export interface PlanInput {
  aspect_ratio?: unknown;
  megapixels?: unknown;
  width?: unknown;
  height?: unknown;
  go_fast?: unknown;
  lora_scale?: unknown;
  /** size of the (prepared) input image, when there is one */
  image?: { width: number; height: number } | null;
  hasMask?: boolean;
}

/** What the model will do with these inputs: mode, output size, effective LoRA scale, ignored fields. */
export function planOutput(input: PlanInput): OutputPlan {
  const ignored: Record<string, string> = {};
  const image = input.image ?? null;
  const mode: GenerationMode = image ? (input.hasMask ? 'inpaint' : 'img2img') : 'txt2img';
  if (!image && input.hasMask) ignored.mask = 'A mask is only used together with a starting image.';
  let width: number | null = null;
  let height: number | null = null;
  const aspect = typeof input.aspect_ratio === 'string' ? input.aspect_ratio : '1:1';
  let fastIgnored = false;
  const wantsFast = input.go_fast === true;
  if (image) {
    ({ width, height } = sizeForInputImage(image.width, image.height));
    const why = 'The output takes the size of the starting image.';
    for (const f of ['aspect_ratio', 'width', 'height', 'megapixels']) ignored[f] = why;
    ignored.go_fast = 'Starting from a photo always runs at full precision (bf16).';
    fastIgnored = wantsFast;
  } else if (aspect === 'custom') {
    if (typeof input.width === 'number' && typeof input.height === 'number') {
      width = roundUp16(input.width);
      height = roundUp16(input.height);
    }
    ignored.megapixels = 'Custom sizes use the width and height you set.';
    ignored.go_fast = 'Custom sizes always run at full precision (bf16).';
    fastIgnored = wantsFast;
  } else {
    const base = ASPECT_SIZES[aspect];
    if (base) {
      const half = input.megapixels === '0.25';
      width = half ? Math.floor(base[0] / 2) : base[0];
      height = half ? Math.floor(base[1] / 2) : base[1];
    }
    const why = 'Width and height are only used with the "custom" aspect ratio.';
    ignored.width = why;
    ignored.height = why;
  }
  const fp8 = wantsFast && !fastIgnored;
  const lora = typeof input.lora_scale === 'number' ? input.lora_scale : null;
  return {
    mode,
    width,
    height,
    fastIgnored,
    effectiveLoraScale: lora === null ? null : fp8 ? lora * 1.5 : lora,
    ignored,
  };
}

/** Forms `extra_lora` accepts (weights.py make_download_url). */
export function checkExtraLora(value: string): string | null {
  const v = value.trim();
  if (!v) return null;
  if (/^[a-z0-9][a-z0-9_.-]*\/[a-z0-9][a-z0-9_.-]*(\/[0-9a-f]{64})?$/i.test(v)) return null; // owner/model[/version]
  if (/^(https:\/\/)?(www\.)?huggingface\.co\/[^/\s]+\/[^/\s]+(\/.+\.safetensors)?\/?$/i.test(v)) return null;
  if (/^(https:\/\/)?(www\.)?civitai\.com\/models\/\d+(\/[^\s]*)?$/i.test(v)) return null;
  if (/^https:\/\/\S+\.safetensors(\?\S*)?$/i.test(v)) return null;
  if (/^https:\/\/([a-z0-9-]+\.)*replicate\.delivery\/\S+\.tar$/i.test(v)) return null;
  if (/^data:[^,]*;base64,/i.test(v)) return null;
  return 'Use a Replicate model (owner/name or owner/name/version), a huggingface.co/owner/model link, a civitai.com/models/ID link, or an https link to a .safetensors file.';
}

/** A model reference `owner/name` or `owner/name:version`. */
export interface ModelRef {
  owner: string;
  name: string;
  version?: string;
}

export function parseModelRef(ref: string): ModelRef | null {
  const m = /^([a-z0-9][a-z0-9_.-]*)\/([a-z0-9][a-z0-9_.-]*)(?::([0-9a-f]{64}))?$/i.exec(ref.trim());
  if (!m) return null;
  const out: ModelRef = { owner: m[1]!, name: m[2]! };
  if (m[3]) out.version = m[3].toLowerCase();
  return out;
}

export const DEFAULT_MODEL = 'sandrasocial/sseelfie-ai';
