/**
 * The headless CLI over the same services as the app; it runs right after `npm install`, with no
 * Electron binary. `runCli(argv, io)` is pure enough to test: it returns the exit code and writes
 * to the given streams. Exit codes: 0 saved, 1 the job failed, 2 invalid input (nothing was sent).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StudioError, toErrorShape } from '../shared/errors';
import type { JobViewT } from '../shared/ipc/contract';
import type { MaskBitmap } from '../shared/images';
import { DEFAULT_MODEL } from '../shared/model/rules';
import { coerceValue } from '../shared/model/validate';
import { ReplicateGateway, type FetchFn } from './services/replicate/gateway';
import { ModelRegistry } from './services/replicate/model-registry';
import { JobEngine, type ImageOps } from './services/jobs/job-engine';
import { UploadCache } from './services/jobs/upload-cache';
import { Library } from './services/library/library';
import { LibraryLock } from './services/library/library-lock';
import { DEFAULT_API_BASE } from './services/settings/settings-service';
import { ImagePipeline } from './services/images/image-pipeline';
import { defaultImageOps } from './app-services';
import { EXPORT_USAGE, runExportCommand } from './cli/export';
import { inputFromFile } from './cli/generate-from';
import { runTrainCommand, TRAIN_USAGE } from './cli/train-command';
import { appUserDataDir, defaultLibrary } from './cli/library-dir';

export { appUserDataDir };
import type { TrainingSetChecker as PhotoChecker } from './services/training/training-set-checker';
import { AnalysisPool } from './services/training/set-check/analysis-pool';
import { tsxWorker } from './tsx-worker';
import { LIST_USAGE, runList } from './cli/list-runs';
import { replicateEnv } from './cli/replicate-env';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: Record<string, string | undefined>;
  fetch?: FetchFn;
  images?: ImageOps;
  /** engine tuning for tests (sleep also paces the gateway's retries) */
  engine?: { pollMinMs?: number; pollMaxMs?: number; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> };
  /** where the app keeps settings (to find its library folder) */
  userDataDir?: string;
  /** `train --check`: the pipeline that opens the photos and the worker pool that measures them */
  trainingCheck?: { pipeline?: ImagePipeline; analysisPool?: () => AnalysisPool; checker?: PhotoChecker };
}

const USAGE = `Usage:
  npm run cli -- generate --prompt "TEXT" [--input inputs.json] [--set key=value ...] [--image PATH] [--mask PATH]
                          [--model owner/name[:version]] [--library DIR] [--json]
  npm run cli -- generate --from FILE [--set key=value ...] [--library DIR] [--json]
      (the settings embedded in FILE, this app's or an A1111-style text, as the input)
${EXPORT_USAGE}
      (prints the files written; --json: {"files": [...]})
  npm run cli -- resume [--library DIR] [--json]      (jobs and trainings; --json adds a {"trainings":[…]} line when any resumed)
  ${LIST_USAGE}
${TRAIN_USAGE}

Environment: REPLICATE_API_TOKEN (required for generate/resume), REPLICATE_BASE_URL (default ${DEFAULT_API_BASE}).
Exit codes: 0 saved (trained), 1 the job (training) failed, 2 invalid input (nothing was created).`;

function bar(job: JobViewT): string {
  const p = job.progress;
  if (!p) return `${job.state}${job.status ? ` – ${job.status}` : ''}`;
  const width = 24;
  const filled = Math.round((p.percent / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] step ${p.step}/${p.total} ${p.percent}%${p.etaSec !== undefined ? ` ~${p.etaSec}s left` : ''}`;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(USAGE + '\n');
    return command ? 0 : 2;
  }
  // the face model's workers: the training check's, and the export's crop on the face
  const analysisPool =
    io.trainingCheck?.analysisPool ??
    (() => new AnalysisPool(tsxWorker(new URL('./services/training/set-check/analysis-worker.ts', import.meta.url))));
  if (command === 'export') return runExportCommand(rest, io, () => defaultLibrary(io), analysisPool);
  if (command === 'train') {
    const trainingCheck = {
      pipeline: io.trainingCheck?.pipeline ?? new ImagePipeline(),
      ...(io.trainingCheck?.checker ? { checker: io.trainingCheck.checker } : {}),
      analysisPool,
    };
    return runTrainCommand(rest, { ...io, ...trainingCheck }, USAGE);
  }
  if (command === 'list') return runList(rest, io, () => defaultLibrary(io));
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        prompt: { type: 'string' },
        input: { type: 'string' },
        from: { type: 'string' },
        set: { type: 'string', multiple: true },
        image: { type: 'string' },
        mask: { type: 'string' },
        model: { type: 'string' },
        library: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.stderr(`${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const json = values.json === true;
  const libraryDir = path.resolve((values.library as string | undefined) ?? (await defaultLibrary(io)));
  const library = new Library(libraryDir);

  if (command !== 'generate' && command !== 'resume') {
    io.stderr(`Unknown command "${command}".\n\n${USAGE}\n`);
    return 2;
  }

  const access = replicateEnv(io);
  if (!access) return 2;
  const { token, baseUrl } = access;
  const gateway = new ReplicateGateway({
    fetch: io.fetch ?? fetch,
    baseUrl: () => baseUrl,
    token: async () => token,
    userAgent: 'sseelfie-studio-cli',
    ...(io.engine?.sleep ? { sleep: io.engine.sleep } : {}),
  });
  const pipeline = new ImagePipeline();
  // Said once, not per retry: the jobs wait and continue by themselves.
  gateway.connectivity.onChange((c) => {
    const lead = io.isTTY && !json ? '\n' : '';
    io.stderr(
      `${lead}${c.online ? 'Back online: continuing.' : 'Offline: your jobs continue when the connection returns.'}\n`,
    );
  });
  const registry = new ModelRegistry(gateway, path.join(libraryDir, '.sseelfie', 'models.json'));
  const lock = LibraryLock.for(library.appDir, 'the Sseelfie CLI');
  let lastLine = '';
  const engine = new JobEngine({
    gateway,
    registry,
    library,
    uploads: new UploadCache(gateway, UploadCache.fileIn(library.appDir), () => 60 * 60_000),
    images: io.images ?? defaultImageOps(pipeline),
    rescueDir: path.join(libraryDir, '.sseelfie', 'rescued'),
    concurrency: () => 2,
    ...io.engine,
    onChange: (job) => {
      if (!io.isTTY || json) return;
      const line = `${job.label.slice(0, 30)}  ${bar(job)}`;
      if (line !== lastLine) io.stderr(`\r\x1b[2K${line}`);
      lastLine = line;
    },
  });

  try {
    await library.ensure();
    await lock.acquire();
  } catch (e) {
    io.stderr(`${toErrorShape(e).message}\n`);
    return 1;
  }

  const report = (jobs: JobViewT[]) => {
    if (io.isTTY && !json) io.stderr('\n');
    const out = jobs.map((j) => ({
      runId: j.runId,
      predictionId: j.predictionId ?? null,
      status: j.state,
      seed: j.seed ?? null,
      files: j.images.map((im) => path.join(libraryDir, im.id)),
      warnings: j.warnings,
      ...(j.error ? { error: j.error } : {}),
    }));
    if (json) io.stdout(JSON.stringify(command === 'generate' ? out[0] : out) + '\n');
    else
      for (const o of out)
        io.stdout(
          `${o.status === 'saved' ? 'Saved' : o.status}: ${o.files.length ? o.files.join('\n  ') : o.runId}${o.seed !== null ? `\n  seed ${o.seed}` : ''}\n`,
        );
    for (const j of jobs) {
      for (const w of j.warnings) io.stderr(`warning: ${w}\n`);
      if (j.error) io.stderr(`${j.error.message}\n`);
    }
    return jobs.every((j) => j.state === 'saved') ? 0 : 1;
  };

  try {
    if (command === 'resume') {
      const resumed = await engine.resume();
      const trainings = await (
        await import('./cli/train-run')
      ).resumeTrainings({ gateway, registry, libraryDir, io, json });
      await engine.idle();
      const finals = resumed.map((j) => engine.get(j.id)!).filter(Boolean);
      if (!finals.length && !trainings.count && !json) io.stdout('Nothing to resume.\n');
      if (!finals.length && trainings.count) return trainings.code;
      return Math.max(report(finals), trainings.code);
    }
    // generate
    let input: Record<string, unknown> = {};
    let fromModel: string | undefined;
    if (values.from) {
      const restored = await inputFromFile(
        values.from as string,
        (await registry.resolve((values.model as string | undefined) ?? DEFAULT_MODEL)).schema,
        io.stderr,
      );
      if (typeof restored === 'number') return restored;
      ({ input, modelRef: fromModel } = restored);
    }
    if (values.input) {
      try {
        const parsed: unknown = JSON.parse(await fs.readFile(values.input as string, 'utf8'));
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
        input = { ...input, ...(parsed as Record<string, unknown>) };
      } catch (e) {
        io.stderr(
          `--input ${values.input}: ${(e as Error).message}. It must be a JSON object of model inputs, as on the model page.\n`,
        );
        return 2;
      }
    }
    if (values.prompt !== undefined) input.prompt = values.prompt;
    const modelRef = (values.model as string | undefined) ?? fromModel ?? DEFAULT_MODEL;
    const sets = (values.set as string[] | undefined) ?? [];
    if (sets.length) {
      const model = await registry.resolve(modelRef);
      for (const s of sets) {
        const eq = s.indexOf('=');
        if (eq <= 0) {
          io.stderr(`--set ${s}: use key=value.\n`);
          return 2;
        }
        const key = s.slice(0, eq);
        const field = model.schema.fields.find((f) => f.name === key);
        input[key] = field ? coerceValue(field, s.slice(eq + 1)) : s.slice(eq + 1);
      }
    }
    let mask: MaskBitmap | undefined;
    if (values.mask) {
      if (!values.image) {
        io.stderr('mask: A mask needs a starting photo: pass --image too.\n');
        return 2;
      }
      // The same format allowlist and size limits as any photo: no SVG (with the files it could pull in).
      const maskPath = path.resolve(values.mask as string);
      try {
        mask = await pipeline.readMask({ name: path.basename(maskPath), path: maskPath });
      } catch (e) {
        io.stderr(`mask: ${toErrorShape(e).message}\n`);
        return 2;
      }
    }
    const imagePath = values.image ? path.resolve(values.image as string) : undefined;
    let job: JobViewT;
    try {
      job = await engine.start({
        modelRef,
        input,
        ...(imagePath ? { image: { name: path.basename(imagePath), path: imagePath } } : {}),
        ...(mask ? { mask } : {}),
      });
    } catch (e) {
      const shape = toErrorShape(e);
      if (
        shape.code === 'invalid_input' ||
        shape.code === 'file_too_large' ||
        shape.code === 'unsupported_file' ||
        shape.code === 'corrupt_file'
      ) {
        if (shape.code === 'invalid_input' && shape.fields?.length)
          for (const f of shape.fields) io.stderr(`${f.field}: ${f.message}\n`);
        else io.stderr(`${shape.message}\n`);
        return 2;
      }
      io.stderr(`${shape.message}\n`);
      return 1;
    }
    const final = await engine.wait(job.id);
    return report([final]);
  } catch (e) {
    io.stderr(`${e instanceof StudioError ? e.message : toErrorShape(e).message}\n`);
    return 1;
  } finally {
    await lock.release();
  }
}
