/**
 * Settings back from an image file: a PNG, JPEG or WebP this app saved or exported restores
 * everything it was made with (the JSON in its XMP packet); one from an AUTOMATIC1111-style tool
 * restores what maps onto this model (prompt, Steps, CFG scale → guidance, Seed, Size → an
 * aspect ratio or a custom size rounded to 16), and every setting that does not map (the negative
 * prompt above all: FLUX has none, and it is never pasted into the prompt) is named in a note
 * with why. The file's metadata is read with exifreader: PNG text chunks, EXIF UserComment (how
 * A1111 writes into a JPEG, UTF-16) and XMP.
 */
import ExifReader from 'exifreader';
import sharp from 'sharp';
import { StudioError } from '../../../shared/errors';
import { ASPECT_SIZES, parseModelRef } from '../../../shared/model/rules';
import type { ModelField, ModelSchema } from '../../../shared/model/schema';
import { checkField } from '../../../shared/model/validate';
import { describeNonImage, sniffFormat } from '../images/formats';
import { parseXmp } from '../images/metadata/xmp';
import { parseA1111 } from './a1111-parameters';

export interface RestoreNote {
  /** the model input, or the name of the setting in the file, that was not restored as it was */
  field: string;
  message: string;
}

export interface RestoredSettings {
  input: Record<string, unknown>;
  /** `owner/name` when the file names a Replicate model (this app's files do) */
  modelRef?: string;
  /** the model version it was made with: for information (a pinned version may be gone; the model's latest is used) */
  version?: string;
  notes: RestoreNote[];
  /** sseelfie: made by this app (everything restored); a1111: an AUTOMATIC1111-style text */
  source: 'sseelfie' | 'a1111';
}

/** Largest file read for its settings (the same limit as an import). */
export const MAX_RESTORE_BYTES = 100 * 1024 * 1024;

type Tags = Record<string, Record<string, { value?: unknown; description?: unknown }> | undefined>;

/** UserComment's 8-byte character code, then the text; UNICODE is UTF-16 (BOM, else the order its zero bytes show). */
export function decodeUserComment(raw: readonly number[]): string | undefined {
  if (raw.length < 8) return undefined;
  const code = String.fromCharCode(...raw.slice(0, 8)).replace(/\0+$/, '');
  const body = raw.slice(8);
  if (code === 'UNICODE') {
    let start = 0;
    let little: boolean;
    if (body[0] === 0xfe && body[1] === 0xff) {
      little = false;
      start = 2;
    } else if (body[0] === 0xff && body[1] === 0xfe) {
      little = true;
      start = 2;
    } else {
      let evenZeros = 0;
      let oddZeros = 0;
      for (let i = 0; i + 1 < body.length; i += 2) {
        if (body[i] === 0) evenZeros++;
        if (body[i + 1] === 0) oddZeros++;
      }
      little = oddZeros > evenZeros;
    }
    const units: number[] = [];
    for (let i = start; i + 1 < body.length; i += 2)
      units.push(little ? body[i]! | (body[i + 1]! << 8) : (body[i]! << 8) | body[i + 1]!);
    let s = '';
    for (let i = 0; i < units.length; i += 4096) s += String.fromCharCode(...units.slice(i, i + 4096));
    return s.replace(/\0+$/, '');
  }
  if (code === 'ASCII' || code === '')
    return new TextDecoder('utf-8').decode(Uint8Array.from(body)).replace(/\0+$/, '');
  return undefined; // JIS: not written by any tool this restores from
}

function value(tags: Tags, group: string, key: string): unknown {
  return tags[group]?.[key]?.value;
}

/** What the file carries: this app's JSON (XMP), and the A1111-style text wherever the format keeps it. */
function readMetadata(bytes: Uint8Array): { json?: Record<string, unknown>; text?: string } {
  let tags: Tags;
  try {
    tags = ExifReader.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, {
      expanded: true,
      includeUnknown: true,
    }) as unknown as Tags;
  } catch (e) {
    throw new StudioError('corrupt_file', 'This image is damaged, so no settings could be read from it.', { cause: e });
  }
  const out: { json?: Record<string, unknown>; text?: string } = {};
  const rawXmp = tags.xmp?._raw;
  if (typeof rawXmp === 'string' || typeof (rawXmp as { value?: unknown } | undefined)?.value === 'string') {
    const x = parseXmp(typeof rawXmp === 'string' ? rawXmp : String((rawXmp as { value: string }).value));
    if (x.json) out.json = x.json;
    if (x.parameters) out.text = x.parameters;
  }
  const png = value(tags, 'png', 'parameters') ?? value(tags, 'pngText', 'parameters');
  if (typeof png === 'string' && png.trim()) out.text = png;
  else {
    const uc = value(tags, 'exif', 'UserComment');
    if (Array.isArray(uc)) {
      const t = decodeUserComment(uc as number[]);
      if (t?.trim()) out.text ??= t;
    }
  }
  return out;
}

class Restorer {
  readonly input: Record<string, unknown> = {};
  readonly notes: RestoreNote[] = [];
  private readonly fields: Map<string, ModelField>;

  constructor(schema: ModelSchema) {
    this.fields = new Map(schema.fields.map((f) => [f.name, f]));
  }

  note(field: string, message: string) {
    this.notes.push({ field, message });
  }

  has(name: string) {
    return this.fields.has(name);
  }

  field(name: string) {
    return this.fields.get(name);
  }

  /** Sets a model input when it fits the field; a number outside the field's range is brought into it, with a note. */
  put(name: string, v: unknown, from = name): boolean {
    const f = this.fields.get(name);
    if (!f) {
      this.note(from, `This model has no "${name}" input, so ${from} was not restored.`);
      return false;
    }
    if ((f.type === 'integer' || f.type === 'number') && typeof v === 'number' && Number.isFinite(v)) {
      let n = f.type === 'integer' ? Math.round(v) : v;
      if (f.minimum !== undefined && n < f.minimum) n = f.minimum;
      if (f.maximum !== undefined && n > f.maximum) n = f.maximum;
      if (n !== v) this.note(name, `${from} ${v} is outside what this model accepts; restored as ${n}.`);
      v = n;
    }
    const problem = checkField(f, v);
    if (problem) {
      this.note(name, `${problem} The file's value (${JSON.stringify(v)}) was not restored.`);
      return false;
    }
    this.input[name] = v;
    return true;
  }
}

/** Size WxH → an aspect ratio of the model when it is one of its sizes, else a custom size rounded to 16 inside the field limits. */
function restoreSize(r: Restorer, w: number, h: number) {
  const aspect = r.field('aspect_ratio');
  for (const [ratio, [aw, ah]] of Object.entries(ASPECT_SIZES)) {
    if (!aspect?.enum?.includes(ratio)) continue;
    if (aw === w && ah === h) return void r.put('aspect_ratio', ratio, 'Size');
    if (Math.floor(aw / 2) === w && Math.floor(ah / 2) === h && r.field('megapixels')?.enum?.includes('0.25')) {
      r.put('aspect_ratio', ratio, 'Size');
      return void r.put('megapixels', '0.25', 'Size');
    }
  }
  const wf = r.field('width');
  const hf = r.field('height');
  if (!aspect?.enum?.includes('custom') || !wf || !hf)
    return r.note('Size', `This model makes only its own sizes, so the size ${w}×${h} was not restored.`);
  const max = Math.min(wf.maximum ?? Infinity, hf.maximum ?? Infinity);
  const min = Math.max(wf.minimum ?? 16, hf.minimum ?? 16);
  const s = Math.min(1, max / w, max / h);
  const fit = (n: number) => Math.min(max, Math.max(min, Math.round((n * s) / 16) * 16));
  const cw = fit(w);
  const ch = fit(h);
  r.put('aspect_ratio', 'custom', 'Size');
  r.put('width', cw, 'Size');
  r.put('height', ch, 'Size');
  if (cw !== w || ch !== h)
    r.note('Size', `The size ${w}×${h} became ${cw}×${ch}: this model takes sides of ${min}–${max} px in steps of 16.`);
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Maps an A1111-style text onto the model's inputs. `ours`: the text this app writes (its Sampler and Model say flux and owner/name). */
function restoreFromText(r: Restorer, text: string, ours: boolean): { modelRef?: string; version?: string } {
  const p = parseA1111(text);
  let modelRef: string | undefined;
  let version: string | undefined;
  let prompt = p.prompt;
  const tags = prompt.match(/<(lora|lyco|hypernet):[^>]*>/gi);
  if (tags) {
    prompt = prompt.replace(/\s*<(lora|lyco|hypernet):[^>]*>/gi, '').trim();
    r.note(
      'prompt',
      `${tags.join(' ')} left out of the prompt: those are the other tool's LoRA files, which this model cannot load. Use Extra LoRA for a FLUX LoRA.`,
    );
  }
  if (prompt) r.put('prompt', prompt);
  else r.note('prompt', 'The file has no prompt.');
  if (p.negativePrompt) {
    r.note(
      'negative_prompt',
      `FLUX does not use a negative prompt, so "${p.negativePrompt.length > 120 ? p.negativePrompt.slice(0, 117) + '…' : p.negativePrompt}" was not restored (and not added to the prompt). Describe what you want instead.`,
    );
  }
  for (const [key, raw] of p.params) {
    const num = NUMBER.test(raw) ? Number(raw) : NaN;
    switch (key) {
      case 'Steps':
        if (Number.isFinite(num)) r.put('num_inference_steps', num, 'Steps');
        else r.note('num_inference_steps', `Steps "${raw}" is not a number; not restored.`);
        break;
      case 'CFG scale':
        if (Number.isFinite(num)) r.put('guidance_scale', num, 'CFG scale');
        else r.note('guidance_scale', `CFG scale "${raw}" is not a number; not restored.`);
        break;
      case 'Seed':
        if (!Number.isInteger(num)) r.note('seed', `Seed "${raw}" is not a whole number; not restored.`);
        else if (num < 0) r.note('seed', 'The file says the seed was random; a new random seed will be used.');
        else r.put('seed', num, 'Seed');
        break;
      case 'Size': {
        const m = /^(\d+)\s*x\s*(\d+)$/i.exec(raw);
        if (m) restoreSize(r, Number(m[1]), Number(m[2]));
        else r.note('Size', `Size "${raw}" is not WIDTHxHEIGHT; not restored.`);
        break;
      }
      case 'Sampler': {
        const flux = /^flux-(\w+)$/.exec(raw);
        if (ours && flux && r.field('model')?.enum?.includes(flux[1]!)) r.put('model', flux[1], 'Sampler');
        else if (!ours) r.note('Sampler', `FLUX on Replicate chooses its own sampler, so "${raw}" was not restored.`);
        break;
      }
      case 'Model': {
        const ref = parseModelRef(raw);
        if (ours && ref) {
          modelRef = `${ref.owner}/${ref.name}`;
          version = ref.version;
        } else
          r.note(
            'Model',
            `The file was made with "${raw}", not a FLUX LoRA on Replicate: its settings were restored for this model.`,
          );
        break;
      }
      case 'Lora scale':
        if (Number.isFinite(num)) r.put('lora_scale', num, 'Lora scale');
        break;
      case 'Denoising strength':
        if (ours && Number.isFinite(num)) r.put('prompt_strength', num, 'Denoising strength');
        else
          r.note(
            'prompt_strength',
            "Denoising strength belongs to the other tool's img2img or hires fix; set Prompt strength when you start from a photo.",
          );
        break;
      case 'Replicate prediction':
        break; // where it was made, not a setting
      default:
        r.note(key, `"${key}" has no counterpart in this model; not restored.`);
    }
  }
  return modelRef ? { modelRef, ...(version ? { version } : {}) } : {};
}

/** This app's JSON: the input as it was sent, the seed the run actually used, the model. */
function restoreFromJson(r: Restorer, json: Record<string, unknown>): { modelRef?: string; version?: string } {
  const input = json.input as Record<string, unknown>;
  for (const [k, v] of Object.entries(input)) {
    if (k === 'image') r.note('image', 'The starting photo is not inside this file: pick it again to start from it.');
    else if (k === 'mask')
      r.note('mask', 'The painted mask is not inside this file: paint it again on the starting photo.');
    else if (!r.has(k)) r.note(k, `This model has no "${k}" input; not restored.`);
    else r.put(k, v);
  }
  if (r.input.prompt === undefined && typeof json.prompt === 'string') r.put('prompt', json.prompt);
  if (typeof json.seed === 'number' && Number.isInteger(json.seed)) r.put('seed', json.seed); // the seed the run used, even when it asked for a random one
  const model = typeof json.model === 'string' ? json.model : undefined;
  const version = typeof json.version === 'string' && /^[0-9a-f]{64}$/i.test(json.version) ? json.version : undefined;
  const ref = model ? parseModelRef(model) : null;
  return ref
    ? { modelRef: `${ref.owner}/${ref.name}`, ...((version ?? ref.version) ? { version: version ?? ref.version } : {}) }
    : {};
}

/** The settings in an image file, mapped onto `schema`. Throws a StudioError that says what is wrong with the file. */
export async function restoreSettings(bytes: Uint8Array, schema: ModelSchema): Promise<RestoredSettings> {
  if (bytes.byteLength > MAX_RESTORE_BYTES) {
    throw new StudioError(
      'file_too_large',
      `This file is ${Math.round(bytes.byteLength / 1024 / 1024)} MB; settings are read from images up to ${MAX_RESTORE_BYTES / 1024 / 1024} MB.`,
    );
  }
  const format = sniffFormat(bytes);
  if (format !== 'png' && format !== 'jpeg' && format !== 'webp') {
    const what = format ? `a ${format.toUpperCase()} image` : (describeNonImage(bytes) ?? 'not an image');
    throw new StudioError(
      'unsupported_file',
      `This file is ${what}. Settings are read from PNG, JPEG and WebP images.`,
    );
  }
  const meta = readMetadata(bytes);
  const r = new Restorer(schema);
  let extra: { modelRef?: string; version?: string };
  let source: RestoredSettings['source'];
  if (meta.json && meta.json.input && typeof meta.json.input === 'object' && !Array.isArray(meta.json.input)) {
    source = 'sseelfie';
    extra = restoreFromJson(r, meta.json);
  } else if (meta.text) {
    source = meta.json ? 'sseelfie' : 'a1111';
    extra = restoreFromText(r, meta.text, !!meta.json || /(^|, )Sampler: flux-\w+(,|$)/m.test(meta.text));
  } else {
    // Nothing found: a damaged file should hear that it is damaged, not that it has no settings.
    const decodes = await sharp(bytes, { failOn: 'truncated' })
      .raw()
      .toBuffer()
      .then(
        () => true,
        () => false,
      );
    if (!decodes)
      throw new StudioError(
        'corrupt_file',
        'This image is damaged (it ends early or its data is broken), and no settings could be read from it.',
      );
    throw new StudioError(
      'invalid_input',
      'This image carries no generation settings: it was not made by Sseelfie Studio or an AUTOMATIC1111-style tool, or its settings were removed.',
    );
  }
  if (!Object.keys(r.input).length) {
    throw new StudioError(
      'invalid_input',
      `No setting in this image fits this model.${r.notes.length ? ' ' + r.notes.map((n) => n.message).join(' ') : ''}`,
    );
  }
  return { input: r.input, ...extra, notes: r.notes, source };
}
