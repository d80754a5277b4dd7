/** A library with real runs (images made with sharp, settings embedded as deliver.ts does), and exiftool as the outside reader. */
import { execFileSync } from 'node:child_process';
import { promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { embedParameters, parametersText, type EmbedFormat } from '../../../../electron/services/images/embed-metadata';
import { Library, type RunRecord } from '../../../../electron/services/library/library';
import { tmpDir } from '../jobs/harness';

export interface RunSpec {
  id: string;
  width: number;
  height: number;
  format: EmbedFormat;
  images?: number;
  seed?: number | null;
  prompt?: string;
  label?: string;
  input?: Record<string, unknown>;
  /** the indexes flagged Pick */
  picked?: number[];
  predictionId?: string | null;
  createdAt?: number;
}

/** Left half red, right half blue, a green band across the top tenth: crops show where they were taken. */
export async function testImage(width: number, height: number, format: EmbedFormat): Promise<Uint8Array> {
  const half = Math.floor(width / 2);
  const band = Math.max(1, Math.floor(height / 10));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${half}" height="${height}" fill="#ff0000"/><rect x="${half}" width="${width - half}" height="${height}" fill="#0000ff"/><rect width="${width}" height="${band}" fill="#00ff00"/></svg>`;
  const img = sharp(Buffer.from(svg));
  const out = format === 'png' ? img.png() : format === 'jpg' ? img.jpeg({ quality: 92 }) : img.webp({ quality: 90 });
  return new Uint8Array(await out.toBuffer());
}

export async function makeLibrary(specs: RunSpec[]): Promise<{ root: string; library: Library; runs: RunRecord[] }> {
  const root = tmpDir('sseelfie-export-lib-');
  const library = new Library(root);
  await library.ensure();
  const runs: RunRecord[] = [];
  for (const spec of specs) {
    const dir = library.runDir(spec.id);
    await fs.mkdir(dir, { recursive: true });
    const prompt = spec.prompt ?? 'subject at a café, portrait by the window, soft light';
    const input = spec.input ?? {
      prompt,
      aspect_ratio: '16:9',
      num_inference_steps: 28,
      guidance_scale: 3,
      output_format: spec.format === 'jpg' ? 'jpg' : spec.format,
      lora_scale: 1,
    };
    const seed = spec.seed === undefined ? 48213 : spec.seed;
    const rec: RunRecord = {
      schema: 1,
      id: spec.id,
      label: spec.label ?? prompt.slice(0, 80),
      prompt,
      modelRef: 'sandrasocial/sseelfie-ai',
      version: 'a'.repeat(64),
      predictionId: spec.predictionId === undefined ? 'abc123xyz0' : spec.predictionId,
      mode: 'txt2img',
      input,
      seed,
      predictTime: 3.2,
      timings: { createdAt: spec.createdAt ?? new Date(2026, 11, 3, 10, 0, 0).getTime(), savedAt: Date.now() },
      images: [],
      source: null,
      mask: null,
      warnings: [],
    };
    for (let i = 0; i < (spec.images ?? 1); i++) {
      let bytes = await testImage(spec.width, spec.height, spec.format);
      bytes = embedParameters(bytes, spec.format, {
        parameters: parametersText(
          {
            prompt,
            input,
            modelRef: rec.modelRef,
            versionId: rec.version,
            ...(seed !== null ? { seed } : {}),
            predictionId: 'abc123xyz0',
          },
          spec.width,
          spec.height,
        ),
        json: {
          prompt,
          model: rec.modelRef,
          version: rec.version,
          predictionId: rec.predictionId,
          seed,
          index: i,
          input,
        },
      });
      const file = `${i + 1}.${spec.format}`;
      await fs.writeFile(path.join(dir, file), bytes);
      rec.images.push({
        index: i,
        file,
        width: spec.width,
        height: spec.height,
        format: spec.format,
        bytes: bytes.length,
        ...(spec.picked?.includes(i) ? { flag: 'pick' as const } : {}),
      });
    }
    await library.saveRun(rec);
    runs.push(rec);
  }
  return { root, library, runs };
}

/** exiftool's reading of a file (-G1: tags by their group), the outside truth. */
export function exiftool(file: string): Record<string, unknown> {
  const out = execFileSync('exiftool', ['-j', '-G1', '-a', '-u', file], { encoding: 'utf8' });
  return (JSON.parse(out) as Array<Record<string, unknown>>)[0]!;
}

/** Every file under `dir` with its SHA-256, to show nothing changed. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Mean colour of a region of an encoded image (fractions of its size). */
export async function meanColour(
  bytes: Uint8Array,
  region: { left: number; top: number; width: number; height: number },
) {
  const m = await sharp(bytes).metadata();
  const W = m.width!;
  const H = m.height!;
  const { data, info } = await sharp(bytes)
    .extract({
      left: Math.floor(region.left * W),
      top: Math.floor(region.top * H),
      width: Math.max(1, Math.floor(region.width * W)),
      height: Math.max(1, Math.floor(region.height * H)),
    })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i += info.channels) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
  const n = data.length / info.channels;
  return { r: sum[0]! / n, g: sum[1]! / n, b: sum[2]! / n };
}

export { tmpDir };
