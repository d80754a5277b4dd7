/**
 * `npm run cli -- export`: photos of a run, of the latest run or every picked photo, to a folder,
 * through the same ExportService as the app. Every argument is checked before anything is
 * written: a bad one exits 2 with a message and leaves the folder as it was.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toErrorShape } from '../../shared/errors';
import {
  DEFAULT_EXPORT_QUALITY,
  EXPORT_FORMATS,
  EXPORT_SIZES,
  type ExportFormat,
  type ExportSize,
} from '../../shared/export';
import type { CliIo } from '../cli-core';
import { DetectorFaceLocator } from '../services/export/detector-face-locator';
import { ExportService, type ExportItem } from '../services/export/export-service';
import type { AnalysisPool } from '../services/training/set-check/analysis-pool';
import { isPicked } from '../services/export/picked';
import { Library } from '../services/library/library';

export const EXPORT_USAGE = `  npm run cli -- export --to DIR [--run RUN_ID | --run latest | --picked] [--format png|jpg|webp] [--quality 1-100]
                        [--size ${EXPORT_SIZES.join('|')}] [--strip-metadata] [--library DIR] [--json]`;

function fail(io: CliIo, message: string): number {
  io.stderr(`export: ${message}\n\nUsage:\n${EXPORT_USAGE}\n`);
  return 2;
}

/**
 * `facePool`: the face detector's workers (the training check's), started only when a size cuts
 * the photo (square, LinkedIn banner, hero), to centre the crop on the face.
 */
export async function runExportCommand(
  args: string[],
  io: CliIo,
  defaultLibrary: () => Promise<string>,
  facePool?: () => AnalysisPool,
): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        to: { type: 'string' },
        run: { type: 'string' },
        picked: { type: 'boolean', default: false },
        format: { type: 'string' },
        quality: { type: 'string' },
        size: { type: 'string' },
        'strip-metadata': { type: 'boolean', default: false },
        library: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: Record<string, string | boolean | undefined> });
  } catch (e) {
    return fail(io, (e as Error).message);
  }
  const to = values.to as string | undefined;
  if (!to) return fail(io, '--to DIR is required: the folder to export to.');
  const rawFormat = ((values.format as string | undefined) ?? 'jpg').toLowerCase();
  const format = (rawFormat === 'jpeg' ? 'jpg' : rawFormat) as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) return fail(io, `--format ${values.format}: use ${EXPORT_FORMATS.join(', ')}.`);
  const rawQuality = (values.quality as string | undefined) ?? String(DEFAULT_EXPORT_QUALITY);
  const quality = Number(rawQuality);
  if (!/^\d+$/.test(rawQuality) || quality < 1 || quality > 100)
    return fail(io, `--quality ${rawQuality}: use a whole number from 1 to 100.`);
  const size = ((values.size as string | undefined) ?? 'original') as ExportSize;
  if (!EXPORT_SIZES.includes(size)) return fail(io, `--size ${values.size}: use ${EXPORT_SIZES.join(', ')}.`);
  const run = values.run as string | undefined;
  if (!!run === (values.picked === true))
    return fail(io, 'say which photos: --run RUN_ID, --run latest or --picked (one of them).');

  const libraryDir = path.resolve((values.library as string | undefined) ?? (await defaultLibrary()));
  const library = new Library(libraryDir);
  let items: ExportItem[];
  if (run) {
    const runs = run === 'latest' ? await library.list({ limit: 1 }) : [];
    const id = run === 'latest' ? runs[0]?.id : run;
    if (!id) return fail(io, `there are no runs in ${libraryDir} yet.`);
    let rec;
    try {
      rec = await library.readRun(id);
    } catch {
      rec = null; // not a run id at all
    }
    if (!rec) return fail(io, `--run ${run}: no such run in ${libraryDir} (npm run cli -- list shows them).`);
    items = rec.images.map((im) => ({ runId: rec.id, index: im.index }));
    if (!items.length) return fail(io, `run ${id} has no saved photos.`);
  } else {
    const runs = await library.list({ limit: 1000 });
    items = runs.flatMap((r) => r.images.filter(isPicked).map((im) => ({ runId: r.id, index: im.index })));
    if (!items.length) return fail(io, `no picked photos in ${libraryDir}: pick some in the app first.`);
  }

  const folder = path.resolve(to);
  try {
    const st = await fs
      .stat(folder)
      .catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? null : Promise.reject(e)));
    if (st && !st.isDirectory()) return fail(io, `--to ${to} is a file, not a folder.`);
    if (!st) await fs.mkdir(folder, { recursive: true });
  } catch (e) {
    io.stderr(`Could not use the folder ${folder}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.\n`);
    return 1;
  }
  const json = values.json === true;
  let pool: AnalysisPool | null = null;
  const cuts = size !== 'original' && size !== 'web';
  const exporter = new ExportService({
    library: () => library,
    ...(facePool && cuts ? { faces: new DetectorFaceLocator(() => (pool ??= facePool())) } : {}),
    log: (level, msg) => {
      if (level === 'warn') io.stderr(`warning: ${msg}\n`);
    },
    onProgress: (p) => {
      if (io.isTTY && !json) io.stderr(`\r\x1b[2KExporting ${p.done}/${p.total}`);
    },
  });
  try {
    const r = await exporter.export({
      items,
      folder,
      format,
      quality,
      size,
      stripMetadata: values['strip-metadata'] === true,
    });
    if (io.isTTY && !json) io.stderr('\n');
    for (const f of r.files) for (const w of f.warnings) io.stderr(`warning: ${path.basename(f.path)}: ${w}\n`);
    const files = r.files.map((f) => f.path);
    if (json) io.stdout(JSON.stringify({ files }) + '\n');
    else io.stdout(files.join('\n') + '\n');
    return 0;
  } catch (e) {
    io.stderr(`${toErrorShape(e).message}\n`);
    return 1;
  } finally {
    await (pool as AnalysisPool | null)?.close();
  }
}
