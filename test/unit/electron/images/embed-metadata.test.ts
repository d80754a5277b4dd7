import { describe, it, expect } from 'vitest';
import sharp from 'sharp';
import ExifReader from 'exifreader';
import {
  buildXmpPacket,
  embedParameters,
  promptFromParameters,
  readParameters,
  type EmbedFormat,
} from '../../../../electron/services/images/embed-metadata';
import { drawSelfie } from '../../../fixtures/make-fixtures';
import { expectStudioError } from './helpers';

const PARAMS =
  'a photo of TOK as a barista, café au lait & "latte art" <soft light>\n' +
  'Steps: 28, Sampler: flux, Seed: 1234567, Size: 1024x1024, Model: sandrasocial/sseelfie-ai:5f0a9c0e';
const META = {
  parameters: PARAMS,
  json: {
    prompt: 'a photo of TOK as a barista, café au lait & "latte art" <soft light>',
    seed: 1234567,
    num_inference_steps: 28,
    lora_scale: 1,
    model: 'sandrasocial/sseelfie-ai',
  },
};

const base = () => sharp(drawSelfie(120, 160), { raw: { width: 120, height: 160, channels: 3 } });
const withAlpha = () => base().ensureAlpha(0.5);

async function raw(bytes: Uint8Array): Promise<Buffer> {
  return sharp(bytes).raw().toBuffer();
}

type Case = [label: string, format: EmbedFormat, make: () => Promise<Buffer>];
const CASES: Case[] = [
  ['PNG (RGB)', 'png', () => base().png().toBuffer()],
  ['PNG (RGBA, palette-free)', 'png', () => withAlpha().png().toBuffer()],
  ['PNG that already has a text chunk', 'png', () => base().png().withMetadata().toBuffer()],
  ['JPEG (JFIF)', 'jpg', () => base().jpeg({ quality: 90 }).toBuffer()],
  [
    'JPEG that already has EXIF',
    'jpg',
    () =>
      base()
        .withExif({ IFD0: { Make: 'Replicate', Software: 'flux' } })
        .jpeg()
        .toBuffer(),
  ],
  ['WebP lossy (simple VP8)', 'webp', () => base().webp({ quality: 80 }).toBuffer()],
  ['WebP lossless with alpha (simple VP8L)', 'webp', () => withAlpha().webp({ lossless: true }).toBuffer()],
  ['WebP lossy with alpha (VP8X + ALPH)', 'webp', () => withAlpha().webp({ quality: 80 }).toBuffer()],
  ['WebP with an ICC profile (VP8X)', 'webp', () => base().webp().withIccProfile('p3').toBuffer()],
];

describe('embedParameters / readParameters', () => {
  it.each(CASES)('%s: round-trips, sharp still decodes it, pixels byte-identical', async (_label, format, make) => {
    const before = await make();
    const after = embedParameters(before, format, META);
    expect(after.byteLength).toBeGreaterThan(before.byteLength);

    const read = readParameters(after);
    expect(read.parameters).toBe(PARAMS);
    expect(read.json).toEqual(META.json);
    expect(read.prompt).toBe(META.json.prompt);

    const mBefore = await sharp(before).metadata();
    const mAfter = await sharp(after).metadata();
    expect([mAfter.format, mAfter.width, mAfter.height, mAfter.channels]).toEqual([
      mBefore.format,
      mBefore.width,
      mBefore.height,
      mBefore.channels,
    ]);
    expect(mAfter.xmp).toBeDefined();
    expect((await raw(after)).equals(await raw(before))).toBe(true);

    // an independent reader (exifreader) finds the XMP fields
    const tags = await ExifReader.load(Buffer.from(after), { expanded: true });
    expect(tags.xmp?.['Parameters']?.description).toBe(JSON.stringify(META.json));
    expect(tags.xmp?.['description']?.description).toBe(META.json.prompt);
    expect(tags.xmp?.['CreatorTool']?.description).toBe('Sseelfie Studio');
  });

  it('PNG: the A1111 `parameters` text chunk sits before the first IDAT', async () => {
    const png = embedParameters(await base().png().toBuffer(), 'png', META);
    const b = Buffer.from(png);
    const param = b.indexOf('tEXtparameters\0');
    const xmp = b.indexOf('iTXtXML:com.adobe.xmp\0');
    const idat = b.indexOf('IDAT');
    expect(param).toBeGreaterThan(0);
    expect(xmp).toBeGreaterThan(0);
    expect(param).toBeLessThan(idat);
    expect(xmp).toBeLessThan(idat);
    const tags = await ExifReader.load(b, { expanded: true });
    expect((tags as unknown as { png?: Record<string, { value: unknown }> }).png?.['parameters']?.value).toBe(PARAMS);
  });

  it('PNG: text that is not Latin-1 goes in an iTXt chunk (UTF-8)', async () => {
    const meta = {
      parameters: 'портрет TOK 🌸 in Kyoto\nSteps: 28, Seed: 7',
      json: { prompt: 'портрет TOK 🌸 in Kyoto', seed: 7 },
    };
    const png = embedParameters(await base().png().toBuffer(), 'png', meta);
    expect(Buffer.from(png).includes('iTXtparameters\0')).toBe(true);
    expect(readParameters(png)).toEqual({ parameters: meta.parameters, json: meta.json, prompt: meta.json.prompt });
  });

  it('JPEG: EXIF UserComment holds the text the way A1111 writes it (UNICODE, UTF-16BE)', async () => {
    const jpg = embedParameters(await base().jpeg().toBuffer(), 'jpg', META);
    const tags = await ExifReader.load(Buffer.from(jpg), { expanded: true });
    const uc = (tags.exif?.UserComment as unknown as { value: number[] }).value;
    expect(String.fromCharCode(...uc.slice(0, 8))).toBe('UNICODE\0');
    let text = '';
    for (let i = 8; i < uc.length; i += 2) text += String.fromCharCode((uc[i]! << 8) | uc[i + 1]!);
    expect(text).toBe(PARAMS);
    // sharp writes no JFIF segment: EXIF comes right after SOI
    expect(Array.from(jpg.subarray(0, 4))).toEqual([0xff, 0xd8, 0xff, 0xe1]);
    expect(Buffer.from(jpg).toString('latin1', 6, 12)).toBe('Exif\0\0');
  });

  it('JPEG with a JFIF APP0: APP0 stays first, EXIF and XMP follow it', async () => {
    const plain = await base().jpeg().toBuffer();
    const app0 = Buffer.from([
      0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
    ]);
    const jfif = Buffer.concat([plain.subarray(0, 2), app0, plain.subarray(2)]);
    expect((await raw(jfif)).equals(await raw(plain))).toBe(true);
    const jpg = Buffer.from(embedParameters(jfif, 'jpg', META));
    expect(jpg.subarray(0, 20).equals(Buffer.concat([plain.subarray(0, 2), app0]))).toBe(true);
    expect(Array.from(jpg.subarray(20, 22))).toEqual([0xff, 0xe1]);
    expect(jpg.toString('latin1', 24, 28)).toBe('Exif');
    expect(readParameters(jpg).parameters).toBe(PARAMS);
    expect((await raw(jpg)).equals(await raw(plain))).toBe(true);
  });

  it('JPEG with existing EXIF: kept as is, the text still readable from the XMP', async () => {
    const src = await base()
      .withExif({ IFD0: { Make: 'Replicate' } })
      .jpeg()
      .toBuffer();
    const jpg = embedParameters(src, 'jpg', META);
    const tags = await ExifReader.load(Buffer.from(jpg), { expanded: true });
    expect(tags.exif?.Make?.description).toBe('Replicate');
    expect(readParameters(jpg).parameters).toBe(PARAMS);
  });

  it('WebP: a simple file becomes VP8X with correct canvas, flags and RIFF size', async () => {
    for (const src of [await base().webp().toBuffer(), await withAlpha().webp({ lossless: true }).toBuffer()]) {
      const out = Buffer.from(embedParameters(src, 'webp', META));
      expect(out.toString('latin1', 12, 16)).toBe('VP8X');
      expect(out.readUInt32LE(4)).toBe(out.length - 8);
      const flags = out[20]!;
      expect(flags & 0x04).toBe(0x04); // XMP
      expect(flags & 0x08).toBe(0x08); // EXIF
      const alpha = (await sharp(src).metadata()).hasAlpha;
      expect((flags & 0x10) !== 0).toBe(alpha);
      const cw = out.readUIntLE(24, 3) + 1;
      const ch = out.readUIntLE(27, 3) + 1;
      expect([cw, ch]).toEqual([120, 160]);
    }
  });

  it('embedding twice replaces the first embedding', async () => {
    for (const [, format, make] of [CASES[0]!, CASES[3]!, CASES[5]!]) {
      const src = await make();
      const once = embedParameters(src, format, META);
      const twice = embedParameters(once, format, META);
      expect(twice.byteLength).toBe(once.byteLength);
      const other = { parameters: 'another prompt\nSteps: 4, Seed: 1', json: { prompt: 'another prompt', seed: 1 } };
      const replaced = embedParameters(once, format, other);
      const r = readParameters(replaced);
      expect(r.json).toEqual(other.json);
      expect(r.prompt).toBe('another prompt');
      expect(r.parameters).toBe(other.parameters);
      expect((await raw(replaced)).equals(await raw(src))).toBe(true);
    }
  });

  it('refuses a format mismatch (invalid_input) and a damaged file (corrupt_file)', async () => {
    const png = await base().png().toBuffer();
    await expectStudioError(() => embedParameters(png, 'jpg', META), 'invalid_input');
    await expectStudioError(() => embedParameters(png.subarray(0, 60), 'png', META), 'corrupt_file');
    const jpg = await base().jpeg().toBuffer();
    await expectStudioError(() => embedParameters(jpg.subarray(0, 10), 'jpg', META), 'corrupt_file');
    const webp = await base().webp().toBuffer();
    const badWebp = Buffer.from(webp);
    badWebp.writeUInt32LE(0xffff, 16); // first chunk claims more bytes than there are
    await expectStudioError(() => embedParameters(badWebp, 'webp', META), 'corrupt_file');
  });

  it('readParameters returns {} for images without our metadata and for non-images', async () => {
    expect(readParameters(await base().png().toBuffer())).toEqual({});
    expect(readParameters(await base().jpeg().toBuffer())).toEqual({});
    expect(readParameters(await base().webp().toBuffer())).toEqual({});
    expect(readParameters(new TextEncoder().encode('hello'))).toEqual({});
  });

  it('promptFromParameters and the XMP packet', () => {
    expect(promptFromParameters('line one\nline two\nNegative prompt: blurry\nSteps: 28, Seed: 1')).toBe(
      'line one\nline two',
    );
    expect(promptFromParameters('just a prompt\nSteps: 28')).toBe('just a prompt');
    expect(promptFromParameters('no settings line')).toBe('no settings line');
    const xmp = buildXmpPacket({ parameters: 'x\u0001 & y\nSteps: 1', json: { a: '<b>' } });
    expect(xmp).not.toContain('\u0001');
    expect(xmp).toContain('x &amp; y');
    expect(xmp).toContain('{&quot;a&quot;:&quot;&lt;b&gt;&quot;}');
  });
});
