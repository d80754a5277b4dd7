/**
 * The library: runs and their photos, culling, the gallery's query, deletions and moving the
 * previous library (channels library:*, events library:*).
 */
import { z } from 'zod';
import { AssetRef, Id } from './common';

/** Lightroom-style culling, stored per image in the run's run.json: Pick, Reject or unflagged (null). */
export const FLAGS = ['pick', 'reject'] as const;
export const Flag = z.enum(FLAGS).nullable();
export const Rating = z.number().int().min(0).max(5);
export const RunImage = AssetRef.extend({
  index: z.number().int(),
  format: z.string(),
  flag: Flag.default(null),
  rating: Rating.default(0),
});
export const RunSummary = z.object({
  id: Id,
  createdAt: z.number(),
  prompt: z.string(),
  label: z.string(),
  modelRef: z.string(),
  mode: z.enum(['txt2img', 'img2img', 'inpaint']),
  seed: z.number().int().nullable(),
  images: z.array(RunImage),
  warnings: z.array(z.string()),
});
export const RunDetail = RunSummary.extend({
  input: z.record(z.string(), z.unknown()),
  version: z.string().nullable(),
  predictionId: z.string().nullable(),
  predictTime: z.number().nullable(),
  source: AssetRef.nullable(),
  mask: AssetRef.nullable(),
});

/** One photo of the library: its run and its index in that run. */
export const PhotoRef = z.object({ runId: Id, index: z.number().int().min(0).max(63) }).strict();

/** Moving the previous library's photos into this one (electron/services/library/library-move.ts). */
export const MoveProgress = z.object({
  state: z.enum(['moving', 'done', 'canceled', 'failed']),
  from: z.string(),
  /** folders to move (runs and selfies), and how many are dealt with */
  total: z.number().int(),
  done: z.number().int(),
  runsMoved: z.number().int(),
  selfiesMoved: z.number().int(),
  /** left where they were: a run or selfie of that name is already here */
  skipped: z.array(z.object({ kind: z.enum(['run', 'selfie']), id: z.string(), reason: z.string() })),
  error: z.string().optional(),
});
/** The library the person left, while it still holds photos. */
export const PreviousLibraryView = z.object({
  dir: z.string(),
  runs: z.number().int(),
  selfies: z.number().int(),
  move: MoveProgress.nullable(),
});

export const RUN_MODES = ['txt2img', 'img2img', 'inpaint'] as const;
export const GALLERY_SORTS = ['newest', 'oldest', 'rating'] as const;
export const FLAG_FILTERS = ['any', 'pick', 'reject', 'unflagged'] as const;
/** What the gallery shows; every field narrows, an absent one does not. */
export const GalleryFilter = z
  .object({
    flag: z.enum(FLAG_FILTERS).optional(),
    /** rating ≥ N (0 = any) */
    minRating: Rating.optional(),
    model: z.string().max(200).optional(),
    /** e.g. "16:9", "1:1", or "W×H" for a size no usual ratio matches (the counts list the values) */
    aspect: z.string().max(20).optional(),
    /** prompt, from a photo (img2img) or repainted (inpainting) */
    mode: z.enum(RUN_MODES).optional(),
    /** createdAt range, ms, inclusive */
    from: z.number().optional(),
    to: z.number().optional(),
    /** words of the prompt or the label, accent- and case-insensitive ("cafe" finds "café"); all must match */
    search: z.string().max(200).optional(),
  })
  .strict();
const ValueCounts = z.array(z.object({ value: z.string(), count: z.number().int() }));
/** Counts for each value of a filter, with every other filter applied (the chips: "Picks 12 · Rejects 30 · ★≥3 8"). */
export const GalleryCounts = z.object({
  flag: z.object({
    any: z.number().int(),
    pick: z.number().int(),
    reject: z.number().int(),
    unflagged: z.number().int(),
  }),
  /** [n] = photos rated ≥ n, n = 0…5 */
  rating: z.array(z.number().int()).length(6),
  model: ValueCounts,
  aspect: ValueCounts,
  mode: z.object({ txt2img: z.number().int(), img2img: z.number().int(), inpaint: z.number().int() }),
});
export const GalleryQuery = z
  .object({
    filter: GalleryFilter.optional(),
    sort: z.enum(GALLERY_SORTS).optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export const GalleryPage = z.object({
  /** the photos of the filter, in order (from offset, up to limit) */
  items: z.array(z.object({ runId: z.string(), index: z.number().int() })),
  /** how many photos the filter matches in all */
  total: z.number().int(),
  counts: GalleryCounts,
});

/** A deletion waiting in the trash queue: undoable until `undoUntil`; `failed` when the system trash refused. */
export const Deletion = z.object({
  token: Id,
  state: z.enum(['pending', 'failed']),
  photos: z.number().int(),
  runs: z.number().int(),
  undoUntil: z.number(),
  /** why the system trash refused (failed only), e.g. "the file is in use" */
  reason: z.string().optional(),
});
export const DeletionEvent = z.object({
  token: Id,
  /** pending: hidden, undoable; trashed: in the system trash; failed: the trash refused (offer a permanent delete); restored: shown again; deleted: permanently */
  state: z.enum(['pending', 'trashed', 'failed', 'restored', 'deleted']),
  photos: z.number().int(),
  undoUntil: z.number().optional(),
  reason: z.string().optional(),
});
