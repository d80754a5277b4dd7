/**
 * `npm run cli -- train --images DIR --check [--json]`: the local training-set check on a folder
 * of selfies. No network and no token. It is a report: exit 0 whatever it found, 2 when DIR is
 * missing, not a folder, or holds no files.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ImagePipeline } from '../services/images/image-pipeline';
import type { AnalysisPool } from '../services/training/set-check/analysis-pool';
import type { SetCheckReport } from '../services/training/set-check/problems';
import { TrainingSetChecker } from '../services/training/set-check/set-checker';

export interface TrainCheckIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  pipeline: ImagePipeline;
  /** the worker pool that measures the photos (cli.ts starts it from source) */
  analysisPool: () => AnalysisPool;
}

/** The folder's files, sorted by name; hidden files (.DS_Store) and sub-folders are not photos. */
async function listPhotos(dir: string): Promise<string[] | string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT')
      return `The folder ${dir} does not exist. Give the folder that holds your selfies with --images.`;
    if (code === 'ENOTDIR')
      return `${dir} is a file, not a folder. Give the folder that holds your selfies with --images.`;
    return `The folder ${dir} can't be read (${code ?? (e as Error).message}). Check its permissions.`;
  }
  const files = entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => path.join(dir, e.name));
  if (!files.length)
    return `The folder ${dir} holds no photos. Put your selfies in it (JPEG, PNG or HEIC) and check again.`;
  return files.sort((a, b) => a.localeCompare(b));
}

export async function runTrainCheck(values: { images?: string; json?: boolean }, io: TrainCheckIo): Promise<number> {
  if (!values.images) {
    io.stderr('train --check needs --images DIR: the folder that holds your selfies.\n');
    return 2;
  }
  const dir = path.resolve(values.images);
  const files = await listPhotos(dir);
  if (typeof files === 'string') {
    io.stderr(files + '\n');
    return 2;
  }
  const pool = io.analysisPool();
  let report: SetCheckReport;
  try {
    report = await new TrainingSetChecker(io.pipeline, pool).check(files, {
      onProgress: ({ done, total, file }) => {
        if (io.isTTY)
          io.stderr(`\rChecking ${done}/${total}: ${path.basename(file)}`.padEnd(60) + (done === total ? '\n' : ''));
      },
    });
  } finally {
    await pool.close();
  }
  if (values.json) {
    io.stdout(JSON.stringify(report) + '\n');
    return 0;
  }
  io.stdout(formatReport(report));
  return 0;
}

export function formatReport(report: SetCheckReport): string {
  const lines: string[] = [];
  for (const im of report.images) {
    lines.push(`${im.ok ? 'ok  ' : 'out '} ${path.basename(im.file)}`);
    for (const p of im.problems) lines.push(`       ${p.code}: ${p.message}`);
  }
  const usable = report.images.filter((i) => i.ok).length;
  lines.push(
    '',
    `${usable} of ${report.images.length} photos usable. ${report.set.ok ? 'The set can be trained.' : 'The set is not ready to train yet.'}`,
  );
  for (const p of report.set.problems) lines.push(`  ${p.code}: ${p.message}`);
  return lines.join('\n') + '\n';
}
