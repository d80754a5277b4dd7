import { CARD_EXAMPLE } from '../fixtures/model-card';
/** The simulated model follows the trained FLUX-LoRA predictor's rules (reference §1). */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './server';
import { makeMultipleOf16, sizeForInputImage, stepsAfterStrength, tqdmLine } from './model-rules';
import { api, create, dataUri, download, run, solidImage, uploadFile } from './test-helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    timing: { bootMs: 0, stepMs: 0 },
    seed: 7,
    extraModels: [{ owner: 'sim-user', name: 'old-lora', versions: [{ predictor: 'legacy' }] }],
  });
});
afterAll(() => sim.close());

async function size(url: string): Promise<{ format?: string; width?: number; height?: number }> {
  const meta = await sharp(await download(url)).metadata();
  return { format: meta.format, width: meta.width, height: meta.height };
}

describe('text to image sizes', () => {
  it('runs the model card example: 4 PNGs at 1344×768', async () => {
    const p = await run(sim, { ...CARD_EXAMPLE });
    expect(p.status).toBe('succeeded');
    expect(p.output).toHaveLength(4);
    expect(p.output![3]).toMatch(/\/out-3\.png$/);
    for (const url of p.output!) expect(await size(url)).toEqual({ format: 'png', width: 1344, height: 768 });
    expect(p.logs).toMatch(/^Loaded LoRAs in \d+\.\d\ds\nUsing seed: \d+\n/);
    expect(p.logs).toContain('100%|██████████| 32/32');
    expect(p.logs).toContain('Total safe images: 4 out of 4');
    expect(p.metrics?.predict_time).toBeTypeOf('number');
    expect(p.metrics?.total_time).toBeTypeOf('number');
  });

  it('halves each side for megapixels 0.25', async () => {
    const p = await run(sim, { prompt: 'x', aspect_ratio: '2:3', megapixels: '0.25' });
    expect(await size(p.output![0]!)).toEqual({ format: 'webp', width: 416, height: 608 });
  });

  it('rounds custom sizes up to multiples of 16 and ignores megapixels', async () => {
    const p = await run(sim, {
      prompt: 'x',
      aspect_ratio: 'custom',
      width: 1000,
      height: 700,
      megapixels: '0.25',
      output_format: 'jpg',
    });
    expect(p.output![0]).toMatch(/out-0\.jpg$/);
    expect(await size(p.output![0]!)).toEqual({ format: 'jpeg', width: 1008, height: 704 });
  });

  it('fails a custom size without height with the predictor TypeError', async () => {
    const p = await run(sim, { prompt: 'x', aspect_ratio: 'custom', width: 1000 });
    expect(p.status).toBe('failed');
    expect(p.error).toBe("unsupported operand type(s) for +: 'NoneType' and 'int'");
    expect(p.output).toBeNull();
    expect(p.logs).toContain('TypeError: unsupported operand');
  });

  it('ignores width and height unless aspect_ratio is custom', async () => {
    const p = await run(sim, { prompt: 'x', width: 512, height: 512, aspect_ratio: '4:5' });
    expect(await size(p.output![0]!)).toMatchObject({ width: 896, height: 1088 });
  });

  it('logs the go_fast fallbacks and the fp8 path', async () => {
    const custom = await run(sim, { prompt: 'x', aspect_ratio: 'custom', width: 512, height: 512, go_fast: true });
    expect(custom.logs).toContain('Custom aspect ratios not supported with fast fp8 inference; will run in bf16');
    const fast = await run(sim, { prompt: 'x', go_fast: true, seed: -5 });
    expect(fast.logs).toMatch(/running quantized prediction\nUsing seed: 5\n/);
    expect(fast.logs).not.toContain('Loaded LoRAs');
  });

  it('pure size rules', () => {
    expect(makeMultipleOf16(1000)).toBe(1008);
    expect(makeMultipleOf16(1008)).toBe(1008);
    expect(sizeForInputImage(3000, 2000, 'hotswap')).toEqual([1440, 960]);
    expect(sizeForInputImage(1000, 3000, 'hotswap')).toEqual([480, 1440]);
    expect(sizeForInputImage(500, 333, 'hotswap')).toEqual([512, 336]);
    expect(sizeForInputImage(3000, 2000, 'legacy')).toEqual([3008, 2000]);
    expect(stepsAfterStrength(28, 0.8)).toBe(23);
    expect(stepsAfterStrength(28, 1)).toBe(28);
    expect(stepsAfterStrength(28, 0)).toBe(0);
    expect(tqdmLine(10, 28, 1 / 9.87)).toBe(' 36%|███▌      | 10/28 [00:01<00:01,  9.87it/s]');
    expect(tqdmLine(0, 28, 0.1)).toBe('  0%|          | 0/28 [00:00<?, ?it/s]');
  });
});

describe('seeds and determinism', () => {
  it('logs the given seed and renders the same bytes for the same input, different per index and seed', async () => {
    const a = await run(sim, { prompt: 'same', seed: 1234, num_outputs: 2 });
    const b = await run(sim, { prompt: 'same', seed: 1234, num_outputs: 2 });
    const c = await run(sim, { prompt: 'same', seed: 1235, num_outputs: 1 });
    expect(a.logs).toContain('Using seed: 1234\n');
    const [a0, a1, b0, c0] = await Promise.all(
      [a.output![0]!, a.output![1]!, b.output![0]!, c.output![0]!].map(download),
    );
    expect(a0.equals(b0!)).toBe(true);
    expect(a0.equals(a1!)).toBe(false);
    expect(a0.equals(c0!)).toBe(false);
  });

  it('picks a random 16-bit seed when none or a negative one is given', async () => {
    for (const seed of [undefined, -1]) {
      const p = await run(sim, { prompt: 'x', ...(seed === undefined ? {} : { seed }) });
      const used = Number(/Using seed: (\d+)/.exec(p.logs)![1]);
      expect(used).toBeGreaterThanOrEqual(0);
      expect(used).toBeLessThan(65536);
      expect(sim.predictions()[0]!.seed).toBe(used);
    }
  });

  it('fp8 (go_fast) outputs differ between runs even with a seed', async () => {
    const a = await run(sim, { prompt: 'same', seed: 9, go_fast: true });
    const b = await run(sim, { prompt: 'same', seed: 9, go_fast: true });
    expect((await download(a.output![0]!)).equals(await download(b.output![0]!))).toBe(false);
  });

  it('honours output_quality for lossy formats', async () => {
    const lo = await run(sim, { prompt: 'q', seed: 1, output_format: 'jpg', output_quality: 5 });
    const hi = await run(sim, { prompt: 'q', seed: 1, output_format: 'jpg', output_quality: 95 });
    expect((await download(lo.output![0]!)).length).toBeLessThan((await download(hi.output![0]!)).length);
  });
});

describe('image to image and inpainting', () => {
  it('takes the input image size: 3000×2000 → 1440×960, derived from the input', async () => {
    const input = await solidImage(3000, 2000, [220, 20, 20], 'jpeg');
    const file = await uploadFile(sim, input, 'big.jpg', 'image/jpeg');
    expect(file.status).toBe(201);
    const p = await run(sim, {
      prompt: 'x',
      image: file.body.urls.get,
      prompt_strength: 0.5,
      aspect_ratio: '1:1',
      output_format: 'png',
      go_fast: true,
    });
    expect(p.status).toBe('succeeded');
    expect(p.logs).toContain('Img2img and inpainting not supported with fast fp8 inference; will run in bf16');
    expect(p.logs).toContain('[!] Resizing input image from 3000x2000 to 1440x960');
    expect(p.logs).toContain('[!] img2img mode');
    expect(p.logs).toContain('| 14/14 ['); // 28 steps shortened by strength 0.5
    const out = await download(p.output![0]!);
    const { channels } = await sharp(out).stats();
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([1440, 960]);
    expect(channels[0]!.mean).toBeGreaterThan(channels[1]!.mean + 80); // still mostly the red input
  });

  it('never upscales a small input and accepts data URIs', async () => {
    const p = await run(sim, { prompt: 'x', image: dataUri(await solidImage(500, 333, [0, 0, 255])) });
    expect(p.logs).toContain('[!] Resizing input image from 500x333 to 512x336');
    expect(await size(p.output![0]!)).toMatchObject({ width: 512, height: 336 });
  });

  it('keeps unmasked pixels close to the input and regenerates the white part of the mask', async () => {
    const w = 256;
    const h = 256;
    const raw = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set([x, y, (x * y) % 256], (y * w + x) * 3);
    const image = await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
      .png()
      .toBuffer();
    const maskRaw = Buffer.alloc(w * h);
    for (let y = 0; y < h; y++) for (let x = 128; x < w; x++) maskRaw[y * w + x] = 200; // ≥ 50 % grey: white
    const mask = await sharp(maskRaw, { raw: { width: w, height: h, channels: 1 } })
      .png()
      .toBuffer();
    const p = await run(sim, {
      prompt: 'new background',
      image: dataUri(image),
      mask: dataUri(mask),
      prompt_strength: 1,
      output_format: 'png',
    });
    expect(p.logs).toContain('[!] inpaint mode');
    const out = await sharp(await download(p.output![0]!))
      .raw()
      .toBuffer();
    let keptMax = 0;
    let changedSum = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < 3; c++) {
          const d = Math.abs(out[(y * w + x) * 3 + c]! - raw[(y * w + x) * 3 + c]!);
          if (x < 128) keptMax = Math.max(keptMax, d);
          else changedSum += d;
        }
      }
    }
    expect(keptMax).toBeLessThanOrEqual(2);
    expect(changedSum / (128 * h * 3)).toBeGreaterThan(20);
  });

  it('ignores a mask without an image', async () => {
    const p = await run(sim, { prompt: 'x', mask: dataUri(await solidImage(64, 64, [255, 255, 255])) });
    expect(p.logs).toContain('[!] txt2img mode');
    expect(await size(p.output![0]!)).toMatchObject({ width: 1024, height: 1024 });
  });

  it('fails when an input file cannot be downloaded', async () => {
    const url = `${sim.baseUrl}/files/doesnotexist`;
    const p = await run(sim, { prompt: 'x', image: url });
    expect(p.status).toBe('failed');
    expect(p.error).toBe(`Failed to download input file: 404 Client Error: Not Found for url: ${url}`);
  });

  it('fails like PIL on a file that is not an image, and on a decompression bomb', async () => {
    const notImage = await run(sim, { prompt: 'x', image: dataUri(Buffer.from('hello'), 'text/plain') });
    expect(notImage.status).toBe('failed');
    expect(notImage.error).toMatch(/^cannot identify image file '\/tmp\/tmp/);

    const bomb = await run(sim, { prompt: 'x', image: dataUri(pngHeaderOnly(20_000, 20_000)) });
    expect(bomb.status).toBe('failed');
    expect(bomb.error).toBe(
      'Image size (400000000 pixels) exceeds limit of 178956970 pixels, could be decompression bomb DOS attack.',
    );
  });

  it('fails when prompt_strength leaves no denoising steps', async () => {
    const p = await run(sim, { prompt: 'x', image: dataUri(await solidImage(64, 64, [1, 2, 3])), prompt_strength: 0 });
    expect(p.status).toBe('failed');
    expect(p.error).toBe(
      'After adjusting the num_inference_steps by strength parameter: 0.0, the number of pipelinesteps is 0 which is < 1 and not appropriate for this pipeline.',
    );
  });
});

describe('safety checker and model failures', () => {
  it('drops flagged images and keeps the original indices in the file names', async () => {
    const p = await run(sim, { prompt: 'portrait [nsfw:0,2]', num_outputs: 4 });
    expect(p.status).toBe('succeeded');
    expect(p.output!.map((u) => u.split('/').pop())).toEqual(['out-1.webp', 'out-3.webp']);
    expect(p.logs).toContain(
      'NSFW content detected in image 0\nNSFW content detected in image 2\nTotal safe images: 2 out of 4',
    );
  });

  it('fails when every image is flagged, unless the checker is disabled', async () => {
    const p = await run(sim, { prompt: 'portrait [nsfw]', num_outputs: 2 });
    expect(p.status).toBe('failed');
    expect(p.error).toBe('All generated images contained NSFW content. Try running it again with a different prompt.');
    const off = await run(sim, { prompt: 'portrait [nsfw]', num_outputs: 2, disable_safety_checker: true });
    expect(off.status).toBe('succeeded');
    expect(off.output).toHaveLength(2);
  });

  it('reports CUDA out of memory', async () => {
    const p = await run(sim, { prompt: 'huge [oom]' });
    expect(p.status).toBe('failed');
    expect(p.error).toBe('CUDA out of memory. Tried to allocate 2.00 GiB (E1001)');
  });

  it('fails on an extra_lora it cannot parse', async () => {
    const ok = await run(sim, { prompt: 'x', extra_lora: 'fofr/flux-pixar-cars' });
    expect(ok.status).toBe('succeeded');
    const bad = await run(sim, { prompt: 'x', extra_lora: 'not a lora' });
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/^Failed to parse URL\. Expected either:/);
  });
});

describe('an older (flux-fine-tuner) version', () => {
  it('has the old schema and the old rules', async () => {
    const { body: model } = await api(sim, 'GET', '/models/sim-user/old-lora');
    const props = model.latest_version.openapi_schema.components.schemas.Input.properties;
    expect(props.go_fast).toBeUndefined();
    expect(props.megapixels).toBeUndefined();
    expect(props.lora_scale.maximum).toBe(2);
    expect(props.guidance_scale.default).toBe(3.5);
    expect(props.output_quality.default).toBe(90);
    const version = model.latest_version.id as string;

    const tooStrong = await create(sim, { prompt: 'x', lora_scale: 2.5 }, { version });
    expect(tooStrong.status).toBe(422);

    const custom = await run(sim, { prompt: 'x', aspect_ratio: 'custom', width: 512 }, { version });
    expect(custom.error).toBe("width and height must be defined if aspect ratio is 'custom'");
    expect(custom.logs).toMatch(/^Using seed: \d+\n/);

    const nsfw = await run(sim, { prompt: '[nsfw]' }, { version });
    expect(nsfw.error).toBe('NSFW content detected. Try running it again, or try a different prompt.');

    const ok = await run(sim, { prompt: 'x', aspect_ratio: '21:9', megapixels: '0.25' }, { version });
    expect(ok.logs).toContain('Using dev model');
    expect(ok.logs).not.toContain('Total safe images');
    expect(await size(ok.output![0]!)).toMatchObject({ width: 1536, height: 640 });
  });
});

/** A PNG whose header claims a huge size; enough for PIL's (and sharp's) size check. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
