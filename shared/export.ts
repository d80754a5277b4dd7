/**
 * What an export can make: the formats and the sizes for where the photo goes, with their pixel
 * targets (the renderer shows them; electron/services/export/sizes.ts plans the crop from them).
 * Pure data, no DOM, no Node.
 */
export const EXPORT_FORMATS = ['png', 'jpg', 'webp'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_SIZES = ['original', 'web', 'square', 'linkedin-banner', 'hero'] as const;
export type ExportSize = (typeof EXPORT_SIZES)[number];

export type SizeTarget =
  /** the photo's own pixels (or the part the crop keeps) */
  | { kind: 'original' }
  /** the photo's own shape, its long side at most this */
  | { kind: 'long-side'; longSide: number }
  /** exactly these pixels, the crop cut to this shape */
  | { kind: 'box'; width: number; height: number };

export const SIZE_TARGETS: Readonly<Record<ExportSize, { label: string; target: SizeTarget }>> = {
  original: { label: 'Original', target: { kind: 'original' } },
  web: { label: 'Web (2048 px, sRGB)', target: { kind: 'long-side', longSide: 2048 } },
  // 1024 is the model's own 1:1 size: a square photo needs no enlarging for a profile picture
  square: { label: 'Square 1:1 (profile photo)', target: { kind: 'box', width: 1024, height: 1024 } },
  'linkedin-banner': { label: 'LinkedIn banner (1584×396)', target: { kind: 'box', width: 1584, height: 396 } },
  hero: { label: 'Website hero 16:9 (1920×1080)', target: { kind: 'box', width: 1920, height: 1080 } },
};

/** Default quality for the lossy formats (PNG is lossless and ignores it). */
export const DEFAULT_EXPORT_QUALITY = 90;
