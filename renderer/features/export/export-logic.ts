/**
 * The Export dialog's arithmetic, as plain functions (unit-tested): which controls apply, the crop
 * frame of a size on a photo in fractions of the photo (the contract's ExportCrop rect), moving it
 * by a drag, and the export:photos request.
 */
import type { ExportFormat, ExportSize } from '../../../shared/export';
import { DEFAULT_EXPORT_QUALITY, SIZE_TARGETS } from '../../../shared/export';
import type { Req } from '../../../shared/ipc/contract';

/** One photo to export: where it is in the library and its pixels (for the crop preview). */
export interface ExportItem {
  runId: string;
  index: number;
  assetId: string;
  width: number;
  height: number;
}

/** A rectangle in fractions of the photo's width and height (left/top from the top-left corner). */
export interface CropRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const FORMAT_LABEL: Record<ExportFormat, string> = { png: 'PNG', jpg: 'JPEG', webp: 'WebP' };

/** PNG is lossless: a quality slider there would be a control that does nothing. */
export function qualityApplies(format: ExportFormat): boolean {
  return format !== 'png';
}

/** The shape a size cuts the photo to (width / height), or null when it keeps the photo's own shape. */
export function sizeAspect(size: ExportSize): number | null {
  const t = SIZE_TARGETS[size].target;
  return t.kind === 'box' ? t.width / t.height : null;
}

/** Whether the person can place the crop: only sizes that cut the photo to another shape have one. */
export function hasCrop(size: ExportSize): boolean {
  return sizeAspect(size) !== null;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
/** fractions rounded to 6 places: stable in tests and JSON, far below a pixel */
const r6 = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * The largest frame of `aspect` inside a `width` × `height` photo, the way main places it when the
 * person has not moved it (export/sizes.ts): centred on `face` (the box export:face found, in
 * fractions of the photo) as far as the photo allows; without one, centred horizontally, vertically
 * centred for a landscape photo and a third from the top for a portrait or square one (where a
 * face usually is).
 */
export function defaultCrop(width: number, height: number, aspect: number, face?: CropRect | null): CropRect {
  const photoAspect = width / height;
  let w = 1;
  let h = 1;
  if (photoAspect > aspect) w = (height * aspect) / width;
  else h = width / aspect / height;
  const cx = face ? clamp(face.left + face.width / 2, 0, 1) : 0.5;
  const cy = face ? clamp(face.top + face.height / 2, 0, 1) : height >= width ? 1 / 3 : 0.5;
  const left = clamp(cx - w / 2, 0, 1 - w);
  const top = clamp(cy - h / 2, 0, 1 - h);
  return { left: r6(left), top: r6(top), width: r6(w), height: r6(h) };
}

/** Where the frame came from, in the words under the preview. */
export type FramePlacement = 'finding' | 'face' | 'centre' | 'moved';

export function placementNote(p: FramePlacement, movable: boolean): string {
  const drag = movable ? ' Drag to move it.' : '';
  if (p === 'moved') return 'Your crop.';
  if (p === 'finding') return `Looking for the face…${drag}`;
  return p === 'face' ? `Centred on the face.${drag}` : `Centred: no face was found.${drag}`;
}

/** The wording of "show this file in its folder" on each system: Finder on macOS, Explorer on Windows. */
export function revealLabel(platform: string): string {
  if (platform === 'darwin') return 'Show in Finder';
  if (platform === 'win32') return 'Show in Explorer';
  return 'Show in folder';
}

/** The frame moved by a drag of (dx, dy) in fractions of the photo, kept inside it. */
export function moveCrop(c: CropRect, dx: number, dy: number): CropRect {
  return { ...c, left: r6(clamp(c.left + dx, 0, 1 - c.width)), top: r6(clamp(c.top + dy, 0, 1 - c.height)) };
}

/** The pixels a photo is exported at (never enlarged), and whether it is smaller than the size asks. */
export function exportPixels(
  width: number,
  height: number,
  size: ExportSize,
): { width: number; height: number; smaller: boolean } {
  const t = SIZE_TARGETS[size].target;
  if (t.kind === 'original') return { width, height, smaller: false };
  if (t.kind === 'long-side') {
    const s = Math.min(1, t.longSide / Math.max(width, height));
    return {
      width: Math.round(width * s),
      height: Math.round(height * s),
      smaller: s === 1 && Math.max(width, height) < t.longSide,
    };
  }
  const c = defaultCrop(width, height, t.width / t.height);
  const cw = Math.round(c.width * width);
  if (cw >= t.width) return { width: t.width, height: t.height, smaller: false };
  return { width: cw, height: Math.round((cw * t.height) / t.width), smaller: true };
}

export interface ExportChoices {
  format: ExportFormat;
  quality: number;
  size: ExportSize;
  /** the frame the person placed (one photo only); null: main places it (on the face, else centred) */
  crop: CropRect | null;
  stripMetadata: boolean;
  /** the remembered folder to export to; null: main asks with its folder dialog */
  folder: string | null;
}

export const DEFAULT_CHOICES: Omit<ExportChoices, 'folder'> = {
  format: 'jpg',
  quality: DEFAULT_EXPORT_QUALITY,
  size: 'original',
  crop: null,
  stripMetadata: false,
};

/** The export:photos request for these photos and choices. */
export function buildExportRequest(
  items: readonly ExportItem[],
  c: ExportChoices,
  exportId: string,
): Req<'export:photos'> {
  const withCrop = hasCrop(c.size) && c.crop && items.length === 1;
  const req: Req<'export:photos'> = {
    exportId,
    items: items.map((it) =>
      withCrop
        ? { runId: it.runId, index: it.index, crop: { rect: { ...c.crop! } } }
        : { runId: it.runId, index: it.index },
    ),
    format: c.format,
    // PNG ignores it; the contract still wants a number
    quality: qualityApplies(c.format) ? clamp(Math.round(c.quality), 1, 100) : DEFAULT_EXPORT_QUALITY,
    size: c.size,
    stripMetadata: c.stripMetadata,
  };
  if (c.folder) req.folder = c.folder;
  return req;
}

/** "a1b2c3…": names one export in export:progress and export:cancel */
export function newExportId(): string {
  const b = new Uint8Array(6);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
