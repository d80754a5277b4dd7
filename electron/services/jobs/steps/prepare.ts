/**
 * Step 1, prepare and upload: the starting photo and the mask are prepared (image pipeline),
 * written into the run folder and journaled, then uploaded through the upload cache (the same
 * selfie is sent once). Ends by journaling `submitted`, BEFORE the create that state announces.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { MaskBitmap } from '../../../../shared/images';
import { writeFileAtomic } from '../../fs/atomic';
import { cropMask } from '../../images/mask-crop';
import { jobFailures } from '../failures';
import type { ImageOps } from '../image-ops';
import { callOptions, persist, transition, type JobContext, type LiveJob, type Prepared } from '../job-context';

/** Decodes the photo and fits the mask to it; start() runs this before the job exists. */
export async function prepareInputs(
  images: ImageOps,
  image: { name: string; path: string },
  mask: MaskBitmap | undefined,
): Promise<Prepared> {
  const prepared = await images.prepareForModel({ name: image.name, path: image.path });
  if (!mask) return { image: prepared };
  const m = await images.rasterizeMask(cropMask(mask, prepared), { width: prepared.width, height: prepared.height });
  return { image: prepared, mask: m };
}

export async function prepareAndUpload(ctx: JobContext, live: LiveJob): Promise<void> {
  const rec = live.rec;
  // Preparing is local work with no side effect to announce: shown, not journaled. The prepared
  // files are journaled below, before the upload that is the next side effect.
  rec.state = 'preparing';
  rec.updatedAt = ctx.now();
  ctx.emit(rec);
  const runDir = ctx.o.library.runDir(rec.runId);
  try {
    await fs.mkdir(runDir, { recursive: true });
  } catch (e) {
    throw jobFailures.library(e);
  }
  const sourcePath = rec.sourcePath;
  if (rec.source && !rec.image) {
    if (!sourcePath) throw jobFailures.sourceGone();
    // Prepared by start() in this process; prepared again from the file after a restart.
    const prepared =
      live.prepared?.image ??
      (await ctx.o.images.prepareForModel({ name: path.basename(sourcePath), path: sourcePath }));
    const file = prepared.mime === 'image/png' ? 'source.png' : 'source.jpg';
    try {
      await fs.mkdir(runDir, { recursive: true });
      await writeFileAtomic(path.join(runDir, file), prepared.bytes);
    } catch (e) {
      throw jobFailures.library(e);
    }
    rec.image = {
      file,
      sha256: prepared.sha256,
      mime: prepared.mime,
      width: prepared.width,
      height: prepared.height,
      sourceWidth: prepared.sourceWidth,
      sourceHeight: prepared.sourceHeight,
      crop: prepared.crop,
    };
  }
  if (live.mask && !rec.mask) {
    if (!rec.image) throw jobFailures.maskWithoutPreparedPhoto();
    const m =
      live.prepared?.mask ??
      (await ctx.o.images.rasterizeMask(cropMask(live.mask, rec.image), {
        width: rec.image.width,
        height: rec.image.height,
      }));
    const sha256 = createHash('sha256').update(m.bytes).digest('hex');
    try {
      await writeFileAtomic(path.join(runDir, 'mask.png'), m.bytes);
    } catch (e) {
      throw jobFailures.library(e);
    }
    rec.mask = { file: 'mask.png', sha256, mime: 'image/png', width: m.width, height: m.height };
  } else if (rec.wantsMask && !rec.mask) {
    throw jobFailures.maskLostInRestart();
  }
  if (rec.image || rec.mask) await persist(ctx, rec);
  live.prepared = undefined; // on disk now; the bytes need not stay in memory while uploading
  // Upload (cached by content hash: the same selfie is sent once).
  for (const key of ['image', 'mask'] as const) {
    const f = rec[key];
    if (!f || f.url) continue;
    const bytes = await fs.readFile(path.join(runDir, f.file));
    live.status = key === 'image' ? 'Uploading the photo…' : 'Uploading the mask…';
    ctx.emit(rec);
    const { url } = await ctx.o.uploads.upload(
      f.sha256,
      new Uint8Array(bytes),
      { filename: f.file, contentType: f.mime },
      callOptions(ctx, live),
    );
    f.url = url;
  }
  live.abort.signal.throwIfAborted();
  // Journal "submitted" BEFORE the create: from here on a crash must reconcile, not re-send.
  await transition(ctx, live, 'submitted', { submittedAt: ctx.now() });
}
