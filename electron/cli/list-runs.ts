/**
 * `npm run cli -- list`: the runs of the library, newest first, each photo with its flag and
 * rating (what the gallery shows), read through the same Library and gallery index as the app.
 *
 *   list [--library DIR] [--json] [--flag pick|reject|unflagged] [--min-rating 0-5] [--search WORDS]
 *
 * The filters narrow the photos listed; a run with none left is left out. `--json` prints an
 * array of runs: `{ id, createdAt, prompt, label, modelRef, mode, seed, images: [{ id, index,
 * width, height, format, flag, rating }], warnings, files }` (files: absolute paths of the photos).
 * Exit 2 on invalid arguments.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { GalleryFilterT, RunSummaryT } from '../../shared/ipc/contract';
import { Library } from '../services/library/library';
import type { CliIo } from '../cli-core';

export const LIST_USAGE =
  'npm run cli -- list [--library DIR] [--json] [--flag pick|reject|unflagged] [--min-rating 0-5] [--search WORDS]';

const FLAGS = ['pick', 'reject', 'unflagged'] as const;

export async function runList(args: string[], io: CliIo, defaultLibrary: () => Promise<string>): Promise<number> {
  let values: { library?: string; json?: boolean; flag?: string; 'min-rating'?: string; search?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        library: { type: 'string' },
        json: { type: 'boolean' },
        flag: { type: 'string' },
        'min-rating': { type: 'string' },
        search: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.stderr(`${(e as Error).message}\n\nUsage: ${LIST_USAGE}\n`);
    return 2;
  }
  const filter: GalleryFilterT = {};
  if (values.flag !== undefined) {
    if (!(FLAGS as readonly string[]).includes(values.flag)) {
      io.stderr(`--flag ${values.flag}: use pick, reject or unflagged.\n`);
      return 2;
    }
    filter.flag = values.flag as (typeof FLAGS)[number];
  }
  if (values['min-rating'] !== undefined) {
    const n = Number(values['min-rating']);
    if (!Number.isInteger(n) || n < 0 || n > 5) {
      io.stderr(`--min-rating ${values['min-rating']}: use a whole number of stars from 0 to 5.\n`);
      return 2;
    }
    filter.minRating = n;
  }
  if (values.search?.trim()) filter.search = values.search;

  const libraryDir = path.resolve(values.library ?? (await defaultLibrary()));
  const library = new Library(libraryDir);
  const runs = await library.list({ limit: 1_000_000 });
  let shown: RunSummaryT[] = runs;
  if (Object.keys(filter).length) {
    const keep = new Set((await library.query({ filter })).items.map((i) => `${i.runId}:${i.index}`));
    shown = runs
      .map((r) => ({ ...r, images: r.images.filter((im) => keep.has(`${r.id}:${im.index}`)) }))
      .filter((r) => r.images.length);
  }
  // The index may have been rebuilt: keep it for the next start (harmless if the folder is read-only).
  await library.flush();

  if (values.json) {
    io.stdout(
      JSON.stringify(shown.map((r) => ({ ...r, files: r.images.map((im) => path.join(libraryDir, im.id)) }))) + '\n',
    );
    return 0;
  }
  if (!shown.length) {
    io.stdout(runs.length ? 'No photos match.\n' : `No runs in ${libraryDir} yet.\n`);
    return 0;
  }
  for (const r of shown) {
    const picks = r.images.filter((im) => im.flag === 'pick').length;
    const rejects = r.images.filter((im) => im.flag === 'reject').length;
    const best = Math.max(0, ...r.images.map((im) => im.rating));
    const culled = [
      picks ? `${picks} picked` : '',
      rejects ? `${rejects} rejected` : '',
      best ? `best ${'★'.repeat(best)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    io.stdout(
      `${r.id}  ${new Date(r.createdAt).toLocaleString()}  ${r.images.length} image(s)${culled ? ` (${culled})` : ''}  seed ${r.seed ?? '?'}  ${r.prompt.slice(0, 70)}\n`,
    );
  }
  return 0;
}
