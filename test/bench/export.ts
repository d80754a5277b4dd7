/**
 * Export benchmark: 20 photos as the model makes them (1344×768 WebP with their settings embedded)
 * exported to the web size as JPEG q90 with their settings, as `export:photos` does it; beside it,
 * in the same run, a naive way that decodes each photo twice (once to learn its size and crop,
 * once to encode) and writes straight to the final name. `benchExport()` is wired into
 * `npm run bench`; run alone with `npx tsx test/bench/export.ts`. Median of 3 runs after a warm-up,
 * sharp's cache off (every export reads new files).
 */
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { embedParameters, parametersText } from '../../electron/services/images/embed-metadata';
import { ExportService, type ExportItem } from '../../electron/services/export/export-service';
import { Library, type RunRecord } from '../../electron/services/library/library';
import { median, round, type Row } from './table';

const PHOTOS = 20;
const RUNS = 3;

async function photo(seed: number): Promise<Uint8Array> {
  // smooth shapes plus grain, so the encoders work as on a real photo
  const W = 1344;
  const H = 768;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs><radialGradient id="g"><stop offset="0" stop-color="#e8c4a0"/><stop offset="1" stop-color="#3a2f4f"/></radialGradient></defs><rect width="${W}" height="${H}" fill="url(#g)"/><circle cx="${400 + seed * 20}" cy="300" r="180" fill="#b06a48"/><rect x="800" y="200" width="300" height="500" fill="#28506e"/></svg>`;
  const base = await sharp(Buffer.from(svg)).raw().toBuffer({ resolveWithObject: true });
  let s = seed * 2654435761;
  for (let i = 0; i < base.data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    base.data[i] = Math.max(0, Math.min(255, base.data[i]! + ((s >>> 24) % 17) - 8));
  }
  return new Uint8Array(await sharp(base.data, { raw: base.info }).webp({ quality: 80 }).toBuffer());
}

async function library(): Promise<{ lib: Library; items: ExportItem[]; root: string }> {
  const root = mkdtempSync(path.join(tmpdir(), 'sseelfie-bench-export-'));
  const lib = new Library(root);
  await lib.ensure();
  const items: ExportItem[] = [];
  for (let r = 0; r < PHOTOS / 4; r++) {
    const id = `20261203-1000${String(r).padStart(2, '0')}-bench${r}`;
    const input = {
      prompt: 'subject at a café with a laptop',
      aspect_ratio: '16:9',
      num_inference_steps: 28,
      guidance_scale: 3,
    };
    const rec: RunRecord = {
      schema: 1,
      id,
      label: 'Café with laptop',
      prompt: input.prompt,
      modelRef: 'sandrasocial/sseelfie-ai',
      version: null,
      predictionId: null,
      mode: 'txt2img',
      input,
      seed: 1000 + r,
      predictTime: null,
      timings: { createdAt: Date.now(), savedAt: Date.now() },
      images: [],
      source: null,
      mask: null,
      warnings: [],
    };
    await fs.mkdir(lib.runDir(id), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const bytes = embedParameters(await photo(r * 4 + i), 'webp', {
        parameters: parametersText(
          { prompt: rec.prompt, input: rec.input, modelRef: rec.modelRef, versionId: null, seed: rec.seed! },
          1344,
          768,
        ),
        json: { input, seed: rec.seed },
      });
      await fs.writeFile(path.join(lib.runDir(id), `${i + 1}.webp`), bytes);
      rec.images.push({
        index: i,
        file: `${i + 1}.webp`,
        width: 1344,
        height: 768,
        format: 'webp',
        bytes: bytes.length,
      });
      items.push({ runId: id, index: i });
    }
    await lib.saveRun(rec);
  }
  return { lib, items, root };
}

/** The naive way: decode once for the size, decode again to encode, embed, write to the final name. */
async function naive(lib: Library, items: ExportItem[], folder: string): Promise<void> {
  for (const it of items) {
    const rec = (await lib.readRun(it.runId))!;
    const file = path.join(lib.runDir(it.runId), rec.images[it.index]!.file);
    const { info } = await sharp(file).raw().toBuffer({ resolveWithObject: true }); // first decode: the size
    const s = Math.min(1, 2048 / Math.max(info.width, info.height));
    const out = await sharp(file)
      .resize(Math.round(info.width * s), Math.round(info.height * s))
      .jpeg({ quality: 90 })
      .toBuffer(); // second decode
    const bytes = embedParameters(new Uint8Array(out), 'jpg', {
      parameters: parametersText(
        { prompt: rec.prompt, input: rec.input, modelRef: rec.modelRef, versionId: null, seed: rec.seed! },
        info.width,
        info.height,
      ),
      json: { input: rec.input },
    });
    await fs.writeFile(path.join(folder, `${it.runId}-${it.index}.jpg`), bytes);
  }
}

export async function benchExport(): Promise<Row[]> {
  sharp.cache(false);
  const { lib, items, root } = await library();
  const service = new ExportService({ library: () => lib });
  const ours: number[] = [];
  const theirs: number[] = [];
  try {
    for (let run = 0; run <= RUNS; run++) {
      const a = mkdtempSync(path.join(root, 'out-'));
      let t = performance.now();
      await service.export({ items, folder: a, format: 'jpg', quality: 90, size: 'web', stripMetadata: false });
      const oursMs = performance.now() - t;
      const b = mkdtempSync(path.join(root, 'naive-'));
      t = performance.now();
      await naive(lib, items, b);
      const naiveMs = performance.now() - t;
      if (run > 0) {
        // run 0 warms up
        ours.push(oursMs);
        theirs.push(naiveMs);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const perSec = (ms: number) => (PHOTOS * 1000) / ms;
  const o = perSec(median(ours));
  const n = perSec(median(theirs));
  return [
    {
      name: `export: ${PHOTOS} photos (1344×768 WebP) to web JPEG q90 with settings, fsynced temp file + link, median of ${RUNS}`,
      value: round(o, 1),
      unit: 'photos/s',
      target: '≥ naive',
      pass: o >= n,
    },
    {
      name: 'export: naive: decode twice (size, then encode), write to the final name, no fsync',
      value: round(n, 1),
      unit: 'photos/s',
      target: 'baseline',
      pass: true,
    },
    { name: 'export: speed-up over the naive way', value: round(o / n, 2), unit: '×', target: 'info', pass: true },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await benchExport())
    console.log(`${r.name}: ${r.value} ${r.unit} (${r.target}) ${r.pass ? '✓' : '✗'}`);
}
