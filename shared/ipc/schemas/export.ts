/**
 * Exporting photos, copy and drag, and restoring settings from a file (channels export:*, event
 * export:progress).
 */
import { z } from 'zod';
import { EXPORT_FORMATS, EXPORT_SIZES } from '../../export';
import { Id } from './common';
import { PhotoRef } from './library';

/** A fraction of an image's width or height. */
const Fraction = z.number().min(0).max(1);
/** Where an export's crop goes: a point to centre on, or the rectangle to keep, in fractions of the image (shared/images.ts). */
export const ExportCrop = z.union([
  z.object({ focus: z.object({ x: Fraction, y: Fraction }).strict() }).strict(),
  z
    .object({
      rect: z
        .object({ left: Fraction, top: Fraction, width: z.number().gt(0).max(1), height: z.number().gt(0).max(1) })
        .strict(),
    })
    .strict()
    .refine(
      (c) => c.rect.left + c.rect.width <= 1.0001 && c.rect.top + c.rect.height <= 1.0001,
      'the crop must lie inside the photo',
    ),
]);

export const ExportRequest = z
  .object({
    /** names this export in export:progress and export:cancel; main makes one up when missing */
    exportId: Id.optional(),
    items: z
      .array(PhotoRef.extend({ crop: ExportCrop.optional() }).strict())
      .min(1)
      .max(2000),
    /** only the folder last chosen (settings exportDir) is accepted; without it main asks with a native dialog */
    folder: z.string().max(4096).optional(),
    format: z.enum(EXPORT_FORMATS),
    quality: z.number().int().min(1).max(100),
    size: z.enum(EXPORT_SIZES),
    crop: ExportCrop.optional(),
    stripMetadata: z.boolean(),
  })
  .strict();
export const ExportResult = z.object({
  exportId: Id,
  /** null when the person closed the folder dialog: nothing was exported */
  folder: z.string().nullable(),
  files: z.array(
    z.object({
      runId: Id,
      index: z.number().int(),
      path: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      format: z.enum(EXPORT_FORMATS),
      warnings: z.array(z.string()),
    }),
  ),
  canceled: z.boolean(),
});
/** A face's box in fractions of the photo (export/face-locator.ts) and the detector's score. */
export const ExportFace = z.object({
  left: Fraction,
  top: Fraction,
  width: Fraction,
  height: Fraction,
  score: z.number().optional(),
});
export const ExportProgress = z.object({
  exportId: Id,
  done: z.number().int(),
  total: z.number().int(),
  path: z.string().optional(),
});
export const RestoredSettings = z.object({
  /** null when the person closed the file dialog */
  input: z.record(z.string(), z.unknown()).nullable(),
  modelRef: z.string().optional(),
  version: z.string().optional(),
  notes: z.array(z.object({ field: z.string(), message: z.string() })),
  source: z.enum(['sseelfie', 'a1111']).nullable(),
  name: z.string().optional(),
});
