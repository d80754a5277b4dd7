/**
 * Restoring settings from files: this app's own (saved and exported, every format), and
 * AUTOMATIC1111-style files written by outside tools (exiftool: PNG tEXt/iTXt `parameters`, JPEG
 * EXIF UserComment UNICODE in both byte orders; sharp: UserComment ASCII), read with exifreader.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportService } from '../../../../electron/services/export/export-service';
import { parseA1111 } from '../../../../electron/services/export/a1111-parameters';
import { restoreSettings, type RestoredSettings } from '../../../../electron/services/export/restore-settings';
import type { Library, RunRecord } from '../../../../electron/services/library/library';
import { StudioError } from '../../../../shared/errors';
import { BUILTIN_SCHEMA } from '../../../../shared/model/builtin';
import { makeLibrary, tmpDir } from './helpers';

const RUN = '20261203-100000-cccc01';
let library: Library;
let run: RunRecord;
let root: string;
const dir = tmpDir('sseelfie-restore-fixtures-');
const CONFIG = path.join(dir, 'a1111.config');
// exiftool knows no PNG `parameters` tag until told: a user-defined PNG text tag, as A1111's files carry
writeFileSync(
  CONFIG,
  "%Image::ExifTool::UserDefined = ('Image::ExifTool::PNG::TextualData' => { parameters => { } });\n1;\n",
);

const restore = (bytes: Uint8Array | Buffer): Promise<RestoredSettings> =>
  restoreSettings(new Uint8Array(bytes), BUILTIN_SCHEMA);
const fails = async (bytes: Uint8Array | Buffer): Promise<StudioError> => {
  try {
    await restore(bytes);
  } catch (e) {
    if (e instanceof StudioError) return e;
    throw e;
  }
  throw new Error('restore did not fail');
};

async function plain(format: 'png' | 'jpg', w = 64, h = 64): Promise<string> {
  const file = path.join(dir, `plain-${Math.random().toString(36).slice(2)}.${format}`);
  const img = sharp({ create: { width: w, height: h, channels: 3, background: '#8a6' } });
  await (format === 'png' ? img.png() : img.jpeg()).toFile(file);
  return file;
}

/** An A1111-style PNG written by exiftool; returns its bytes and the chunk type exiftool chose. */
async function a1111Png(text: string): Promise<{ bytes: Buffer; chunk: string }> {
  const file = await plain('png');
  execFileSync('exiftool', ['-config', CONFIG, '-q', '-overwrite_original', `-PNG:parameters=${text}`, file]);
  const bytes = readFileSync(file);
  const at = bytes.indexOf('parameters\0');
  return { bytes, chunk: bytes.subarray(at - 4, at).toString('latin1') };
}

/** An A1111-style JPEG: the text as EXIF UserComment, written by exiftool (UNICODE when the text is not ASCII). */
async function a1111Jpeg(text: string, order: 'Big-endian' | 'Little-endian'): Promise<Buffer> {
  const file = await plain('jpg');
  execFileSync('exiftool', ['-q', '-overwrite_original', `-ExifByteOrder=${order}`, `-UserComment=${text}`, file]);
  return readFileSync(file);
}

const A1111 = [
  'photo of a woman in a cafe, (soft window light:1.2), <lora:add_detail:0.6>',
  'shallow depth of field',
  'Negative prompt: blurry, lowres, bad hands',
  'watermark',
  'Steps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234567, Size: 832x1216, Model hash: 6ce0161689, Model: realisticVisionV60, Lora hashes: "add_detail: 7c6bad76eb54", Version: v1.9.4',
].join('\n');

beforeAll(async () => {
  ({ library, root } = await makeLibrary([{ id: RUN, width: 1344, height: 768, format: 'webp', images: 1 }]));
  run = (await library.readRun(RUN))!;
});

describe('restore from this app’s files', () => {
  it('the library’s own file restores everything, with the seed the run used', async () => {
    const r = await restore(readFileSync(path.join(root, 'runs', RUN, '1.webp')));
    expect(r).toEqual({
      input: { ...run.input, seed: 48213 },
      modelRef: 'sandrasocial/sseelfie-ai',
      version: 'a'.repeat(64),
      notes: [],
      source: 'sseelfie',
    });
  });

  for (const format of ['png', 'jpg', 'webp'] as const) {
    it(`round trip: export as ${format} (hero size) → restore gives the same settings`, async () => {
      const folder = tmpDir('sseelfie-restore-out-');
      const r = await new ExportService({ library: () => library }).export({
        items: [{ runId: RUN, index: 0 }],
        folder,
        format,
        quality: 80,
        size: 'hero',
        stripMetadata: false,
      });
      const back = await restore(readFileSync(r.files[0]!.path));
      expect(back.input).toEqual({ ...run.input, seed: 48213 });
      expect(back.notes).toEqual([]);
      expect(back.source).toBe('sseelfie');
    });
  }

  it('a stripped export has nothing to restore, and says so', async () => {
    const folder = tmpDir('sseelfie-restore-out-');
    const r = await new ExportService({ library: () => library }).export({
      items: [{ runId: RUN, index: 0 }],
      folder,
      format: 'jpg',
      quality: 80,
      size: 'original',
      stripMetadata: true,
    });
    const e = await fails(readFileSync(r.files[0]!.path));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/carries no generation settings/);
  });

  it('a photo started from a selfie: the photo and mask are named as not inside the file', async () => {
    const { library: lib2, root: r2 } = await makeLibrary([
      {
        id: '20261203-120000-dddd01',
        width: 512,
        height: 512,
        format: 'png',
        input: {
          prompt: 'subject on a beach',
          image: 'source.jpg',
          mask: 'mask.png',
          prompt_strength: 0.7,
          num_inference_steps: 30,
        },
      },
    ]);
    void lib2;
    const r = await restore(readFileSync(path.join(r2, 'runs', '20261203-120000-dddd01', '1.png')));
    expect(r.input).toEqual({
      prompt: 'subject on a beach',
      prompt_strength: 0.7,
      num_inference_steps: 30,
      seed: 48213,
    });
    expect(r.notes.map((n) => n.field)).toEqual(['image', 'mask']);
  });
});

describe('restore from AUTOMATIC1111-style files', () => {
  const expectA1111 = (r: RestoredSettings) => {
    expect(r.source).toBe('a1111');
    expect(r.input).toEqual({
      prompt: 'photo of a woman in a cafe, (soft window light:1.2),\nshallow depth of field',
      num_inference_steps: 30,
      guidance_scale: 7,
      seed: 1234567,
      aspect_ratio: '2:3',
    });
    expect(r.modelRef).toBeUndefined();
    // the negative prompt is reported, never pasted into the prompt
    const neg = r.notes.find((n) => n.field === 'negative_prompt')!;
    expect(neg.message).toMatch(
      /FLUX does not use a negative prompt.*blurry, lowres, bad hands\nwatermark.*not added to the prompt/s,
    );
    expect(String(r.input.prompt)).not.toMatch(/blurry|watermark|lora/);
    expect(r.notes.map((n) => n.field)).toEqual([
      'prompt',
      'negative_prompt',
      'Sampler',
      'Schedule type',
      'Model hash',
      'Model',
      'Lora hashes',
      'Version',
    ]);
  };

  it('PNG with a tEXt `parameters` chunk (exiftool)', async () => {
    const { bytes, chunk } = await a1111Png(A1111);
    expect(chunk).toBe('tEXt');
    expectA1111(await restore(bytes));
  });

  it('PNG with an iTXt `parameters` chunk (text beyond Latin-1)', async () => {
    const { bytes, chunk } = await a1111Png(
      '東京の夜景, portrait\nSteps: 20, CFG scale: 4.5, Seed: 99, Size: 1024x1024',
    );
    expect(chunk).toBe('iTXt');
    expect((await restore(bytes)).input).toEqual({
      prompt: '東京の夜景, portrait',
      num_inference_steps: 20,
      guidance_scale: 4.5,
      seed: 99,
      aspect_ratio: '1:1',
    });
  });

  for (const order of ['Big-endian', 'Little-endian'] as const) {
    it(`JPEG with EXIF UserComment, UNICODE prefix, UTF-16 ${order} (exiftool)`, async () => {
      const bytes = await a1111Jpeg(A1111.replace('cafe', 'café'), order);
      expect(bytes.includes(Buffer.from('UNICODE\0'))).toBe(true);
      const r = await restore(bytes);
      expect(r.input.prompt).toBe('photo of a woman in a café, (soft window light:1.2),\nshallow depth of field');
      expectA1111({ ...r, input: { ...r.input, prompt: String(r.input.prompt).replace('café', 'cafe') } });
    });
  }

  it('JPEG with an ASCII UserComment (sharp)', async () => {
    const bytes = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#888' } })
      .jpeg()
      .withExif({
        IFD2: { UserComment: 'studio headshot\nSteps: 24, Sampler: Euler a, CFG scale: 3.5, Seed: 5, Size: 1000x700' },
      })
      .toBuffer();
    const r = await restore(bytes);
    expect(r.input).toEqual({
      prompt: 'studio headshot',
      num_inference_steps: 24,
      guidance_scale: 3.5,
      seed: 5,
      aspect_ratio: 'custom',
      width: 1008,
      height: 704,
    });
    expect(r.notes.find((n) => n.field === 'Size')!.message).toMatch(/1000×700 became 1008×704.*steps of 16/);
  });

  it('values outside the model’s range are brought into it and said; a random seed is said; a too-large size is fitted', async () => {
    const { bytes } = await a1111Png('a portrait\nSteps: 150, CFG scale: 12, Seed: -1, Size: 2048x1536');
    const r = await restore(bytes);
    expect(r.input).toEqual({
      prompt: 'a portrait',
      num_inference_steps: 50,
      guidance_scale: 10,
      aspect_ratio: 'custom',
      width: 1440,
      height: 1088,
    });
    const byField = Object.fromEntries(r.notes.map((n) => [n.field, n.message]));
    expect(byField.num_inference_steps).toMatch(/Steps 150 is outside.*restored as 50/);
    expect(byField.guidance_scale).toMatch(/CFG scale 12 .*restored as 10/);
    expect(byField.seed).toMatch(/random/);
    expect(byField.Size).toMatch(/2048×1536 became 1440×1088/);
  });
});

describe('the A1111 text format', () => {
  it('quoted values keep their commas; a last line with under three pairs is prompt; Negative prompt spans lines', () => {
    const p = parseA1111('a: b\nNegative prompt: x\ny\nSteps: 3, Template: "a, \\"b\\", c", Seed: 4');
    expect(p).toEqual({
      prompt: 'a: b',
      negativePrompt: 'x\ny',
      params: [
        ['Steps', '3'],
        ['Template', 'a, "b", c'],
        ['Seed', '4'],
      ],
    });
    expect(parseA1111('portrait, light: soft\nSteps: 20, Seed: 1')).toEqual({
      prompt: 'portrait, light: soft\nSteps: 20, Seed: 1',
      negativePrompt: '',
      params: [],
    });
  });
});

describe('files that cannot be read', () => {
  it('a damaged file, another format, a huge file and a file without settings each get a clear message', async () => {
    const png = readFileSync(await plain('png'));
    const damaged = Buffer.concat([png.subarray(0, 16), Buffer.alloc(64, 0xff)]);
    expect(await fails(damaged)).toMatchObject({ code: 'corrupt_file', message: expect.stringMatching(/damaged/) });
    expect(await fails(png.subarray(0, 40))).toMatchObject({ code: 'corrupt_file' }); // cut off
    expect(await fails(Buffer.from('%PDF-1.7 hello'))).toMatchObject({
      code: 'unsupported_file',
      message: expect.stringMatching(/a PDF document.*PNG, JPEG and WebP/),
    });
    expect(await fails(readFileSync(await plain('png')))).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/no generation settings/),
    });
    const huge = new Uint8Array(100 * 1024 * 1024 + 1);
    huge.set(png.subarray(0, 8));
    expect(await fails(huge)).toMatchObject({ code: 'file_too_large', message: expect.stringMatching(/up to 100 MB/) });
  });
});
