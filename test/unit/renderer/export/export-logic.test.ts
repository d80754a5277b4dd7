// @vitest-environment happy-dom
/**
 * The Export dialog's arithmetic: the crop frame of each size on a photo (fractions of the photo,
 * as the contract's crop rect), moving it stays inside the photo, the pixels shown, and the
 * export:photos request (crop only for one photo, quality only where it applies).
 */
import { describe, expect, it } from 'vitest';
import { ExportRequest } from '../../../../shared/ipc/contract';
import { planExport } from '../../../../electron/services/export/sizes';
import { EXPORT_SIZES } from '../../../../shared/export';
import {
  buildExportRequest,
  defaultCrop,
  exportPixels,
  hasCrop,
  moveCrop,
  placementNote,
  qualityApplies,
  revealLabel,
  sizeAspect,
  type ExportChoices,
  type ExportItem,
} from '../../../../renderer/features/export/export-logic';

const ITEM: ExportItem = { runId: 'run_1', index: 0, assetId: 'runs/run_1/0.webp', width: 896, height: 1152 };
const choices = (over: Partial<ExportChoices> = {}): ExportChoices => ({
  format: 'jpg',
  quality: 90,
  size: 'original',
  crop: null,
  stripMetadata: false,
  folder: null,
  ...over,
});

describe('crop frame', () => {
  it('only sizes of their own shape have one', () => {
    expect(hasCrop('original')).toBe(false);
    expect(hasCrop('web')).toBe(false);
    expect(hasCrop('square')).toBe(true);
    expect(sizeAspect('linkedin-banner')).toBe(4);
    expect(sizeAspect('hero')).toBeCloseTo(16 / 9);
  });

  it('is the largest frame of the shape, a third from the top on a portrait', () => {
    // 896 × 1152 portrait to a square: the full width, 896/1152 of the height
    const sq = defaultCrop(896, 1152, 1);
    expect(sq.width).toBe(1);
    expect(sq.height).toBeCloseTo(896 / 1152, 5);
    expect(sq.top).toBe(0); // a third from the top would put it above the photo: kept inside
    // a banner on a portrait: full width, a quarter of the width tall, centred on the upper third
    const banner = defaultCrop(896, 1152, 4);
    expect(banner.width).toBe(1);
    expect(banner.height).toBeCloseTo(224 / 1152, 5);
    expect(banner.top + banner.height / 2).toBeCloseTo(1 / 3, 5);
    // a landscape photo to a square: full height, centred
    const land = defaultCrop(1440, 1088, 1);
    expect(land).toEqual({
      left: expect.closeTo((1 - 1088 / 1440) / 2, 5),
      top: 0,
      width: expect.closeTo(1088 / 1440, 5),
      height: 1,
    });
  });

  it('centres on the face when one was found, kept inside the photo, exactly where main will cut (within a pixel)', () => {
    // a face on the right of a landscape photo: the square frame goes right, as far as the photo allows
    const right = defaultCrop(1500, 780, 1, { left: 0.8, top: 0.2, width: 0.12, height: 0.3 });
    expect(right.left + right.width).toBeCloseTo(1, 5);
    const left = defaultCrop(1500, 780, 1, { left: 0.35, top: 0.2, width: 0.12, height: 0.3 });
    expect(left.left).toBeCloseTo(0.41 - 780 / 1500 / 2, 5);
    // a face low on a portrait: the banner goes down to it, not a third from the top
    const low = defaultCrop(896, 1152, 4, { left: 0.4, top: 0.7, width: 0.2, height: 0.15 });
    expect(low.top + low.height / 2).toBeCloseTo(0.775, 5);
    for (const [W, H] of [
      [1500, 780],
      [896, 1152],
      [1024, 1024],
    ] as const) {
      for (const face of [
        null,
        { left: 0.1, top: 0.1, width: 0.1, height: 0.1 },
        { left: 0.7, top: 0.6, width: 0.2, height: 0.3 },
      ]) {
        for (const size of EXPORT_SIZES) {
          const aspect = sizeAspect(size);
          if (aspect === null) continue;
          const mine = defaultCrop(W, H, aspect, face);
          const main = planExport(W, H, size, undefined, face ? [face] : []).crop;
          expect(Math.abs(mine.left * W - main.left)).toBeLessThanOrEqual(1);
          expect(Math.abs(mine.top * H - main.top)).toBeLessThanOrEqual(1);
          expect(Math.abs(mine.width * W - main.width)).toBeLessThanOrEqual(1);
          expect(Math.abs(mine.height * H - main.height)).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('says where the frame came from, and names Finder and Explorer on their systems', () => {
    expect(placementNote('face', true)).toBe('Centred on the face. Drag to move it.');
    expect(placementNote('centre', false)).toBe('Centred: no face was found.');
    expect(placementNote('moved', true)).toBe('Your crop.');
    expect(revealLabel('darwin')).toBe('Show in Finder');
    expect(revealLabel('win32')).toBe('Show in Explorer');
    expect(revealLabel('linux')).toBe('Show in folder');
  });

  it('moves by a drag and never leaves the photo', () => {
    const c = defaultCrop(896, 1152, 4);
    const down = moveCrop(c, 0, 0.2);
    expect(down.top).toBeCloseTo(c.top + 0.2, 5);
    expect(down.height).toBe(c.height);
    const far = moveCrop(c, -5, 5);
    expect(far.left).toBe(0);
    expect(far.top + far.height).toBeCloseTo(1, 5);
    expect(moveCrop(c, 0, -5).top).toBe(0);
  });

  it('shows the pixels the export will have, never enlarged', () => {
    expect(exportPixels(896, 1152, 'original')).toEqual({ width: 896, height: 1152, smaller: false });
    expect(exportPixels(4000, 3000, 'web')).toEqual({ width: 2048, height: 1536, smaller: false });
    expect(exportPixels(896, 1152, 'web')).toEqual({ width: 896, height: 1152, smaller: true });
    expect(exportPixels(1440, 1440, 'square')).toEqual({ width: 1024, height: 1024, smaller: false });
    expect(exportPixels(896, 1152, 'square')).toEqual({ width: 896, height: 896, smaller: true });
    expect(exportPixels(896, 1152, 'linkedin-banner')).toEqual({ width: 896, height: 224, smaller: true });
  });
});

describe('the export:photos request', () => {
  it('carries the placed crop as a rect for one photo, and passes the contract', () => {
    const crop = moveCrop(defaultCrop(896, 1152, 1), 0, 0.1);
    const req = buildExportRequest([ITEM], choices({ size: 'square', crop }), 'exp1');
    expect(req.items).toEqual([{ runId: 'run_1', index: 0, crop: { rect: crop } }]);
    expect(ExportRequest.safeParse(req).success).toBe(true);
  });

  it('leaves the crop to main when the frame was not moved, the size keeps the shape, or there are several photos', () => {
    expect(buildExportRequest([ITEM], choices({ size: 'square' }), 'e').items[0]).toEqual({ runId: 'run_1', index: 0 });
    expect(
      buildExportRequest([ITEM], choices({ size: 'web', crop: { left: 0, top: 0, width: 1, height: 0.5 } }), 'e')
        .items[0],
    ).toEqual({ runId: 'run_1', index: 0 });
    const two = buildExportRequest(
      [ITEM, { ...ITEM, index: 1 }],
      choices({ size: 'square', crop: defaultCrop(896, 1152, 1) }),
      'e',
    );
    expect(two.items).toEqual([
      { runId: 'run_1', index: 0 },
      { runId: 'run_1', index: 1 },
    ]);
  });

  it('sends quality for JPEG and WebP only, the strip choice and the remembered folder', () => {
    expect(qualityApplies('png')).toBe(false);
    expect(qualityApplies('jpg')).toBe(true);
    expect(qualityApplies('webp')).toBe(true);
    const webp = buildExportRequest(
      [ITEM],
      choices({ format: 'webp', quality: 55.4, stripMetadata: true, folder: '/Users/ada/Exports' }),
      'e',
    );
    expect(webp).toMatchObject({
      exportId: 'e',
      format: 'webp',
      quality: 55,
      stripMetadata: true,
      folder: '/Users/ada/Exports',
      size: 'original',
    });
    // PNG ignores quality: the slider's last value is not sent as if it mattered
    expect(buildExportRequest([ITEM], choices({ format: 'png', quality: 12 }), 'e').quality).toBe(90);
    expect('folder' in buildExportRequest([ITEM], choices(), 'e')).toBe(false);
  });
});
