/**
 * Step 4, deliver: the outputs are downloaded the moment they exist (Replicate deletes them after
 * an hour), in parallel, verified (they decode; a damaged transfer is fetched once more), given
 * their parameters (embed-metadata.ts), composited back into the original when the person asked
 * to keep everything outside the mask, and written atomically, or rescued (rescue.ts). Then the
 * run is saved in the library (run.json) and the job ends saved.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../../shared/errors';
import { planOutput } from '../../../../shared/model/rules';
import { parametersText, type EmbedFormat } from '../../images/embed-metadata';
import type { ImageInfo } from '../../images/image-types';
import type { RunImageRecord, RunRecord } from '../../library/library';
import { jobFailures } from '../failures';
import type { JobRecord } from '../journal';
import { callOptions, type JobContext, type LiveJob } from '../job-context';
import { clearRescued, findRescued, writeOrRescue } from './rescue';

const EXT: Record<string, EmbedFormat> = { png: 'png', jpeg: 'jpg', jpg: 'jpg', webp: 'webp' };

export async function deliver(ctx: JobContext, live: LiveJob): Promise<void> {
  const rec = live.rec;
  const outputs = rec.outputs ?? [];
  const runDir = ctx.o.library.runDir(rec.runId);
  live.status = `Downloading ${outputs.length} image${outputs.length === 1 ? '' : 's'}…`;
  ctx.emit(rec);
  let diskProblem: unknown = null;
  await Promise.all(
    outputs.map(async (url, index) => {
      if (rec.saved[index]) return;
      let bytes: Uint8Array;
      const rescued = rec.rescued?.[index] ?? (await findRescued(ctx, rec.id, index));
      let info: ImageInfo;
      if (rescued) {
        bytes = new Uint8Array(await fs.readFile(rescued));
        info = await ctx.o.images.inspect({ name: path.basename(rescued), bytes });
      } else {
        try {
          ({ bytes } = await ctx.o.gateway.download(url, { ...callOptions(ctx, live), signal: undefined }));
        } catch (e) {
          if (e instanceof StudioError && e.code === 'lost') throw jobFailures.lost(rec.seed);
          throw e;
        }
        try {
          info = await ctx.o.images.inspect({ name: `output ${index + 1}`, bytes });
        } catch {
          // A damaged transfer: fetch once more before giving up.
          ({ bytes } = await ctx.o.gateway.download(url, { ...callOptions(ctx, live), signal: undefined }));
          info = await ctx.o.images.inspect({ name: `output ${index + 1}`, bytes });
        }
        const format = EXT[info.format] ?? 'png';
        bytes = await ctx.o.images.embedParameters(bytes, format, {
          parameters: parametersText(rec, info.width, info.height),
          json: {
            prompt: rec.prompt,
            model: rec.modelRef,
            version: rec.versionId,
            predictionId: rec.predictionId,
            seed: rec.seed ?? null,
            index,
            input: rec.input,
          },
        });
      }
      const format = EXT[info.format] ?? 'png';
      let file = `${index + 1}.${format}`;
      let out = { bytes, width: info.width, height: info.height, format: format as string };
      if (rec.keepOutside && rec.image && rec.mask && ctx.o.images.compositeKeepOutside && rec.sourcePath) {
        await writeOrRescue(ctx, rec, index, path.join(runDir, `${index + 1}-model.${format}`), bytes).catch(
          (e) => (diskProblem ??= e),
        );
        const maskBytes = new Uint8Array(await fs.readFile(path.join(runDir, rec.mask.file)));
        const c = await ctx.o.images.compositeKeepOutside({
          original: { name: 'source', path: rec.sourcePath },
          result: bytes,
          mask: maskBytes,
          crop: rec.image.crop,
        });
        const composed = await ctx.o.images.embedParameters(c.bytes, c.format, {
          parameters: parametersText(rec, c.width, c.height),
          json: {
            prompt: rec.prompt,
            model: rec.modelRef,
            version: rec.versionId,
            predictionId: rec.predictionId,
            seed: rec.seed ?? null,
            index,
            input: rec.input,
            keptOutsideMask: true,
          },
        });
        file = `${index + 1}.${c.format}`;
        out = { bytes: composed, width: c.width, height: c.height, format: c.format };
      }
      try {
        await writeOrRescue(ctx, rec, index, path.join(runDir, file), out.bytes);
        rec.saved[index] = {
          index,
          file,
          width: out.width,
          height: out.height,
          format: out.format,
          bytes: out.bytes.length,
        };
      } catch (e) {
        diskProblem ??= e;
      }
    }),
  );
  if (diskProblem) {
    await ctx.journal.write(rec).catch(() => {});
    throw diskProblem instanceof StudioError ? diskProblem : jobFailures.library(diskProblem);
  }
  await ctx.o.library.saveRun(runRecord(rec, ctx.now()));
  await clearRescued(ctx, rec.id);
  await ctx.end(live, { as: 'saved' });
  ctx.o.onSaved?.(rec.runId);
}

/** run.json of the job: every setting it was made with, what it started from, its timings. */
function runRecord(rec: JobRecord, savedAt: number): RunRecord {
  const plan = planOutput({
    ...rec.input,
    image: rec.image ? { width: rec.image.width, height: rec.image.height } : null,
    hasMask: !!rec.mask,
  });
  const images: RunImageRecord[] = Object.values(rec.saved).sort((a, b) => a.index - b.index);
  const input = { ...rec.input };
  if (rec.image) input.image = rec.image.file;
  if (rec.mask) input.mask = rec.mask.file;
  return {
    schema: 1,
    id: rec.runId,
    label: rec.label,
    prompt: rec.prompt,
    modelRef: rec.modelRef,
    version: rec.versionId,
    predictionId: rec.predictionId ?? null,
    mode: plan.mode,
    input,
    seed: rec.seed ?? null,
    predictTime: rec.predictTime ?? null,
    timings: {
      createdAt: rec.createdAt,
      submittedAt: rec.submittedAt,
      startedAt: rec.startedAt,
      completedAt: rec.completedAt,
      savedAt,
    },
    images,
    source: rec.image
      ? {
          file: rec.image.file,
          width: rec.image.width,
          height: rec.image.height,
          ...(rec.source ? { from: rec.source.assetId } : {}),
        }
      : null,
    mask: rec.mask ? { file: rec.mask.file, width: rec.mask.width, height: rec.mask.height } : null,
    warnings: rec.warnings,
  };
}
