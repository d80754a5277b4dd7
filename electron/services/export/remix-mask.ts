/**
 * Remix of a repainted run: its mask back as the painter's bitmap (0 keep, 255 repaint), at the
 * size of the run's starting photo (source.png/jpg in the run folder, which is what Remix puts on
 * the canvas). The job saved mask.png at exactly that size (jobs/steps/prepare.ts); a mask of
 * another size (an edited run folder) is fitted to it the way the job fits a painted mask.
 */
import path from 'node:path';
import sharp from 'sharp';
import { StudioError } from '../../../shared/errors';
import type { MaskBitmap } from '../../../shared/images';
import type { Library } from '../library/library';

/** The painter keeps one byte per pixel; a starting photo is never larger than the model's inputs. */
const MAX_SIDE = 16384;

export async function readRunMask(library: Library, runId: string): Promise<MaskBitmap> {
  const run = await library.readRun(runId);
  if (!run)
    throw new StudioError('not_found', 'This run is no longer in the library (its folder was moved or deleted).');
  if (!run.mask || !run.source)
    throw new StudioError('not_found', 'This run has no painted mask: it was made from a prompt or a whole photo.');
  const width = run.source.width;
  const height = run.source.height;
  if (!(width >= 1 && height >= 1 && width <= MAX_SIDE && height <= MAX_SIDE))
    throw new StudioError(
      'corrupt_file',
      `This run's run.json gives its starting photo an impossible size (${width} × ${height}).`,
    );
  const file = path.join(library.runDir(runId), run.mask.file);
  let raw: Buffer;
  try {
    raw = await sharp(file, { failOn: 'error', limitInputPixels: MAX_SIDE * MAX_SIDE })
      .flatten({ background: '#000000' })
      .greyscale()
      .resize(width, height, { fit: 'fill', kernel: 'nearest' })
      .extractChannel(0)
      .raw()
      .toBuffer();
  } catch (e) {
    const missing = (e as Error).message?.includes('missing') || (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new StudioError(
      missing ? 'not_found' : 'corrupt_file',
      missing
        ? `The mask of this run (${run.mask.file}) is missing from its folder; paint the area again.`
        : `The mask of this run (${run.mask.file}) is damaged; paint the area again.`,
      { cause: e },
    );
  }
  // What the job sent was 0 or 255; anything in between (a re-saved file) is decided at half.
  const data = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) data[i] = raw[i]! >= 128 ? 255 : 0;
  return { width, height, data };
}
