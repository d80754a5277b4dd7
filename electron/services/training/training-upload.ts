/**
 * Zips the training's photos and uploads the zip through the Files API (the npm client's
 * `trainings.create` uploads nothing). The zip is written beside the journal entry with its
 * SHA-256 before the upload, and the upload carries the training's id in its metadata, so after a
 * restart an upload that reached Replicate is adopted instead of sent twice.
 */
import { promises as fs } from 'node:fs';
import { OutcomeUnknownError } from '../replicate/gateway';
import { trainingFailures } from './training-failures';
import type { Live, TrainingRunContext } from './training-run';
import { buildTrainingZip, MAX_ZIP_BYTES } from './training-zip';

const FILE_MARK = 'sseelfie_training';

export async function prepareAndUpload(ctx: TrainingRunContext, l: Live): Promise<void> {
  const rec = l.rec;
  if (rec.zipUrl) return;
  let bytes: Uint8Array | null = null;
  if (rec.zipFile && rec.zipSha256) {
    // after a restart: adopt the upload of this very zip if it reached Replicate
    const found = await findUpload(ctx, l);
    if (found) return void (await ctx.write(l, { zipUrl: found.url, zipFileId: found.id }));
    bytes = await fs.readFile(rec.zipFile).catch(() => null);
  }
  if (!bytes) {
    l.status = `Preparing ${rec.request.photos.length} photos…`;
    if (rec.state !== 'preparing') {
      rec.state = 'preparing';
      ctx.emit(l);
    }
    const zip = await buildTrainingZip(rec.request.photos, ctx.decode);
    l.abort.signal.throwIfAborted();
    if (zip.bytes.length > MAX_ZIP_BYTES)
      throw trainingFailures.zipTooLarge(zip.bytes.length, rec.request.photos.length);
    const zipFile = await ctx.journal.writeZip(rec.id, zip.bytes);
    bytes = zip.bytes;
    await ctx.write(l, { state: 'uploading', zipFile, zipSha256: zip.sha256 });
  }
  l.status = `Uploading the photos (${Math.round(bytes.length / 1024)} KB)…`;
  ctx.emit(l);
  const send = () =>
    ctx.gateway.uploadFile(
      bytes,
      { filename: 'training-photos.zip', contentType: 'application/zip', metadata: { [FILE_MARK]: rec.id } },
      ctx.call(l, false),
    );
  let file;
  try {
    file = await send();
  } catch (e) {
    if (!(e instanceof OutcomeUnknownError)) throw e;
    const found = await findUpload(ctx, l);
    if (found) return void (await ctx.write(l, { zipUrl: found.url, zipFileId: found.id }));
    file = await send();
  }
  l.status = undefined;
  await ctx.write(l, { zipUrl: file.urls.get, zipFileId: file.id });
}

/** This training's zip on Replicate's file storage, if an upload whose answer was lost made it. */
async function findUpload(ctx: TrainingRunContext, l: Live): Promise<{ id: string; url: string } | null> {
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const res = await ctx.gateway.listFiles(cursor, ctx.call(l, false));
    const f = res.results.find(
      (x) => x.metadata?.[FILE_MARK] === l.rec.id && (!x.checksums?.sha256 || x.checksums.sha256 === l.rec.zipSha256),
    );
    if (f) return { id: f.id, url: f.urls.get };
    if (!res.next) return null;
    cursor = res.next;
  }
  return null;
}
