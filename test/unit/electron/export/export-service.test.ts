/**
 * ExportService against a real library folder: every format with the settings embedded and
 * stripped, read back by exiftool (the outside truth) and exifreader; exact pixels; the crop;
 * names that never overwrite; progress and cancel; a full or forbidden disk leaving nothing.
 */
import { promises as fsp, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExifReader from 'exifreader';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExportService, type ExportProgress } from '../../../../electron/services/export/export-service';
import type { Library } from '../../../../electron/services/library/library';
import { StudioError } from '../../../../shared/errors';
import { exiftool, makeLibrary, meanColour, snapshot, tmpDir } from './helpers';

let library: Library;
let root: string;
const RUN = '20261203-100000-aaaa01';
const SQUARE = '20261203-110000-bbbb02';

beforeAll(async () => {
  ({ library, root } = await makeLibrary([
    { id: RUN, width: 1344, height: 768, format: 'webp', images: 3, label: 'Café portrait by the window' },
    { id: SQUARE, width: 1024, height: 1024, format: 'png', seed: 7, picked: [0] },
  ]));
});
afterEach(() => vi.restoreAllMocks());

const service = (extra: Partial<ConstructorParameters<typeof ExportService>[0]> = {}) =>
  new ExportService({ library: () => library, ...extra });

describe('ExportService: formats and metadata', () => {
  for (const format of ['png', 'jpg', 'webp'] as const) {
    it(`${format}: the settings embedded as other tools read them, Size = the exported pixels, Seed = the seed used`, async () => {
      const folder = tmpDir('sseelfie-export-out-');
      const r = await service().export({
        items: [{ runId: RUN, index: 0 }],
        folder,
        format,
        quality: 85,
        size: 'hero',
        stripMetadata: false,
      });
      const file = r.files[0]!;
      expect(file).toMatchObject({ width: 1344, height: 756, format });
      expect(file.warnings[0]).toMatch(/not enlarged/);
      expect(path.basename(file.path)).toBe(`2026-12-03_cafe-portrait-window_seed-48213.${format}`);
      const meta = await sharp(file.path).metadata();
      expect([meta.width, meta.height, meta.format]).toEqual([1344, 756, format === 'jpg' ? 'jpeg' : format]);

      const tags = exiftool(file.path);
      const text = String(format === 'png' ? tags['PNG:Parameters'] : tags['ExifIFD:UserComment']);
      expect(text).toMatch(
        /^subject at a café, portrait by the window, soft light\nSteps: 28, Sampler: flux-dev, CFG scale: 3, Seed: 48213, Size: 1344x756, /,
      );
      expect(String(tags['XMP-sseelfie:ParametersText'])).toContain('Size: 1344x756');
      expect(tags['XMP-dc:Description']).toBe('subject at a café, portrait by the window, soft light');
      expect(JSON.parse(String(tags['XMP-sseelfie:Parameters']))).toMatchObject({
        seed: 48213,
        model: 'sandrasocial/sseelfie-ai',
        input: { aspect_ratio: '16:9', num_inference_steps: 28 },
        exported: { size: 'hero', width: 1344, height: 756 },
      });

      const er = ExifReader.load(readFileSync(file.path), { expanded: true }) as unknown as Record<
        string,
        Record<string, { value: unknown }>
      >;
      expect(er.xmp?.ParametersText?.value).toContain('Seed: 48213');
      if (format === 'png') expect(er.png?.parameters?.value).toContain('Size: 1344x756');
      else expect(er.exif?.UserComment).toBeDefined();
    });

    it(`${format}: stripped for privacy: no EXIF, no XMP, no text chunks, no ICC but sRGB`, async () => {
      const folder = tmpDir('sseelfie-export-out-');
      for (const size of ['original', 'web'] as const) {
        const r = await service().export({
          items: [{ runId: RUN, index: 0 }],
          folder,
          format,
          quality: 85,
          size,
          stripMetadata: true,
        });
        const file = r.files[0]!.path;
        const tags = exiftool(file);
        const groups = new Set(Object.keys(tags).map((k) => k.split(':')[0]!));
        for (const g of groups)
          expect(g, `${size}: ${g}`).toMatch(
            /^(SourceFile|ExifTool|System|File|PNG|PNG-pHYs|RIFF|JFIF|Composite|ICC_Profile|ICC-header|ICC-view|ICC-meas)$/,
          );
        expect(
          Object.keys(tags).filter(
            (k) => /Parameters|UserComment|Description|Comment|Text/i.test(k) && !/^ICC/.test(k),
          ),
          size,
        ).toEqual([]);
        expect(
          Object.keys(tags).filter((k) => k.startsWith('ICC')),
          size,
        ).toEqual([]); // the source is untagged sRGB
        const er = ExifReader.load(readFileSync(file), { expanded: true }) as unknown as Record<
          string,
          Record<string, unknown> | undefined
        >;
        expect(er.exif).toBeUndefined();
        expect(er.xmp).toBeUndefined();
        expect(
          Object.keys(er.png ?? {}).filter(
            (k) =>
              !/^(Image Width|Image Height|Bit Depth|Color Type|Compression|Filter|Interlace|Pixels Per Unit X|Pixels Per Unit Y|Pixel Units)$/.test(
                k,
              ),
          ),
        ).toEqual([]);
      }
    });
  }

  it('a photo with a profile of its own (Display P3) is converted to sRGB and tagged sRGB, even stripped', async () => {
    const { library: lib } = await makeLibrary([
      { id: '20261203-120000-p3p301', width: 400, height: 300, format: 'png', images: 1 },
    ]);
    const file = path.join(lib.runDir('20261203-120000-p3p301'), '1.png');
    writeFileSync(
      file,
      await sharp({ create: { width: 400, height: 300, channels: 3, background: '#ff0000' } })
        .withIccProfile('p3')
        .png()
        .toBuffer(),
    );
    const folder = tmpDir('sseelfie-export-out-');
    const r = await new ExportService({ library: () => lib }).export({
      items: [{ runId: '20261203-120000-p3p301', index: 0 }],
      folder,
      format: 'jpg',
      quality: 90,
      size: 'web',
      stripMetadata: true,
    });
    const tags = exiftool(r.files[0]!.path);
    expect(String(tags['ICC_Profile:ProfileDescription'])).toMatch(/sRGB/);
    expect(JSON.stringify(tags)).not.toMatch(/P3/);
    expect(Object.keys(tags).filter((k) => /^(XMP|ExifIFD|IFD0)/.test(k))).toEqual([]);
  });

  it('quality is applied to the lossy formats', async () => {
    const folder = tmpDir('sseelfie-export-out-');
    const s = service();
    const sizeAt = async (format: 'jpg' | 'webp', quality: number) =>
      (
        await fsp.stat(
          (
            await s.export({
              items: [{ runId: RUN, index: 0 }],
              folder,
              format,
              quality,
              size: 'original',
              stripMetadata: true,
            })
          ).files[0]!.path,
        )
      ).size;
    expect(await sizeAt('jpg', 10)).toBeLessThan(await sizeAt('jpg', 95));
    expect(await sizeAt('webp', 10)).toBeLessThan(await sizeAt('webp', 95));
  });
});

describe('ExportService: pixels and crop', () => {
  it('each size gives its exact pixels; the crop follows the focus point', async () => {
    const folder = tmpDir('sseelfie-export-out-');
    const s = service();
    const one = async (
      size: 'square' | 'linkedin-banner' | 'web' | 'original',
      crop?: { focus: { x: number; y: number } },
    ) =>
      (
        await s.export({
          items: [{ runId: SQUARE, index: 0 }],
          folder,
          format: 'png',
          quality: 90,
          size,
          ...(crop ? { crop } : {}),
          stripMetadata: true,
        })
      ).files[0]!;
    expect(await one('square')).toMatchObject({ width: 1024, height: 1024, warnings: [] });
    expect(await one('original')).toMatchObject({ width: 1024, height: 1024 });
    const banner = await one('linkedin-banner');
    expect(banner).toMatchObject({ width: 1024, height: 256 });
    // the square source is red on the left, blue on the right, a green band on top
    const bannerTop = await one('linkedin-banner', { focus: { x: 0.5, y: 0 } });
    const topRow = await meanColour(readFileSync(bannerTop.path), { left: 0, top: 0, width: 1, height: 0.05 });
    expect(topRow.g).toBeGreaterThan(200);
    const bannerLow = await one('linkedin-banner', { focus: { x: 0.5, y: 1 } });
    expect(
      (await meanColour(readFileSync(bannerLow.path), { left: 0, top: 0, width: 1, height: 0.05 })).g,
    ).toBeLessThan(30);
  });

  it('a wide photo to a square: the crop moves left and right, and a FaceLocator centres it on the face', async () => {
    const folder = tmpDir('sseelfie-export-out-');
    const at = async (s: ExportService, crop?: { focus: { x: number; y: number } }) => {
      const f = (
        await s.export({
          items: [{ runId: RUN, index: 1 }],
          folder,
          format: 'png',
          quality: 90,
          size: 'square',
          ...(crop ? { crop } : {}),
          stripMetadata: true,
        })
      ).files[0]!;
      expect([f.width, f.height]).toEqual([768, 768]);
      // the middle 60 %: the crop is 768 wide, so the 96 px beyond the red half fall outside it
      return meanColour(readFileSync(f.path), { left: 0.2, top: 0.5, width: 0.6, height: 0.5 });
    };
    const left = await at(service(), { focus: { x: 0, y: 0.5 } });
    const right = await at(service(), { focus: { x: 1, y: 0.5 } });
    expect(left.r).toBeGreaterThan(200);
    expect(left.b).toBeLessThan(30);
    expect(right.b).toBeGreaterThan(200);
    const locate = vi.fn(async () => [{ left: 0.85, top: 0.3, width: 0.1, height: 0.15 }]);
    const faced = await at(service({ faces: { locate } }));
    expect(locate).toHaveBeenCalledTimes(1);
    expect(faced.b).toBeGreaterThan(200); // the face is on the blue side
    locate.mockClear();
    await at(service({ faces: { locate } }), { focus: { x: 0, y: 0.5 } });
    expect(locate).not.toHaveBeenCalled(); // the person's crop wins
  });
});

describe('ExportService: files on disk', () => {
  it('never overwrites: the same photo twice, and a file of that name already there, give -2 and -3', async () => {
    const folder = tmpDir('sseelfie-export-out-');
    writeFileSync(path.join(folder, '2026-12-03_cafe-portrait-window_seed-48213.jpg'), 'mine');
    const s = service();
    const r = await s.export({
      items: [
        { runId: RUN, index: 0 },
        { runId: RUN, index: 1 },
      ],
      folder,
      format: 'jpg',
      quality: 80,
      size: 'original',
      stripMetadata: false,
    });
    expect(r.files.map((f) => path.basename(f.path))).toEqual([
      '2026-12-03_cafe-portrait-window_seed-48213-2.jpg',
      '2026-12-03_cafe-portrait-window_seed-48213-3.jpg',
    ]);
    expect(readFileSync(path.join(folder, '2026-12-03_cafe-portrait-window_seed-48213.jpg'), 'utf8')).toBe('mine');
    expect(readdirSync(folder).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('leaves every file of the library byte-identical', async () => {
    const before = snapshot(path.join(root, 'runs'));
    const folder = tmpDir('sseelfie-export-out-');
    for (const format of ['png', 'jpg', 'webp'] as const) {
      for (const stripMetadata of [false, true]) {
        await service().export({
          items: [
            { runId: RUN, index: 0 },
            { runId: SQUARE, index: 0 },
          ],
          folder,
          format,
          quality: 70,
          size: 'square',
          stripMetadata,
        });
      }
    }
    expect(snapshot(path.join(root, 'runs'))).toEqual(before);
  });

  it('reports progress per photo and stops between photos when canceled, each written file complete', async () => {
    const folder = tmpDir('sseelfie-export-out-');
    const events: ExportProgress[] = [];
    const s = service({
      onProgress: (p) => {
        events.push(p);
        if (p.done === 2) s.cancel(p.exportId);
      },
    });
    const items = [0, 1, 2, 0, 1, 2].map((index) => ({ runId: RUN, index }));
    const r = await s.export({
      exportId: 'exp1',
      items,
      folder,
      format: 'webp',
      quality: 80,
      size: 'original',
      stripMetadata: false,
    });
    expect(r.canceled).toBe(true);
    expect(r.files).toHaveLength(2);
    expect(events.map((e) => [e.done, e.total])).toEqual([
      [0, 6],
      [1, 6],
      [2, 6],
    ]);
    expect(events[2]!.path).toBe(r.files[1]!.path);
    expect(readdirSync(folder).sort()).toEqual(r.files.map((f) => path.basename(f.path)).sort());
    for (const f of r.files) expect((await sharp(f.path).metadata()).width).toBe(1344);
  });

  it('a full disk mid-export: a clear message, the photos before it complete, nothing half-written', async () => {
    const folder = tmpDir('sseelfie-export-out-');
    const realOpen = fsp.open.bind(fsp);
    let opened = 0;
    vi.spyOn(fsp, 'open').mockImplementation((async (
      p: Parameters<typeof fsp.open>[0],
      flags?: string,
      mode?: number,
    ) => {
      const fh = await realOpen(p, flags, mode);
      if (String(p).includes(folder) && ++opened === 2) {
        const write = fh.writeFile.bind(fh);
        fh.writeFile = (async (data: Uint8Array) => {
          await write(data.subarray(0, 100)); // part of it reached the disk
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }) as typeof fh.writeFile;
      }
      return fh;
    }) as typeof fsp.open);
    const err = await service()
      .export({
        items: [
          { runId: RUN, index: 0 },
          { runId: RUN, index: 1 },
          { runId: RUN, index: 2 },
        ],
        folder,
        format: 'png',
        quality: 80,
        size: 'original',
        stripMetadata: false,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('disk');
    expect((err as StudioError).message).toMatch(/the disk is full.*1 of 3 photos were exported before this one/);
    expect((err as StudioError).message).toContain(folder);
    const left = readdirSync(folder);
    expect(left).toEqual(['2026-12-03_cafe-portrait-window_seed-48213.png']);
    expect((await sharp(path.join(folder, left[0]!)).metadata()).width).toBe(1344);
  });

  it('a folder it may not write to, a missing folder or a file: said in words, nothing written', async () => {
    const folder = tmpDir('sseelfie-export-out-');
    vi.spyOn(fsp, 'open').mockRejectedValueOnce(
      Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
    );
    const denied = await service()
      .export({
        items: [{ runId: RUN, index: 0 }],
        folder,
        format: 'png',
        quality: 80,
        size: 'original',
        stripMetadata: false,
      })
      .then(
        () => {
          throw new Error('export did not fail');
        },
        (e: StudioError) => e,
      );
    expect(denied).toMatchObject({ code: 'disk' });
    expect(denied.message).toMatch(/not allowed to write there/);
    expect(readdirSync(folder)).toEqual([]);
    const missing = await service()
      .export({
        items: [{ runId: RUN, index: 0 }],
        folder: path.join(folder, 'gone'),
        format: 'png',
        quality: 80,
        size: 'original',
        stripMetadata: false,
      })
      .then(
        () => {
          throw new Error('export did not fail');
        },
        (e: StudioError) => e,
      );
    expect(missing).toMatchObject({ code: 'disk' });
    expect(missing.message).toMatch(/no longer exists/);
    writeFileSync(path.join(folder, 'a-file'), '');
    const file = await service()
      .export({
        items: [{ runId: RUN, index: 0 }],
        folder: path.join(folder, 'a-file'),
        format: 'png',
        quality: 80,
        size: 'original',
        stripMetadata: false,
      })
      .then(
        () => {
          throw new Error('export did not fail');
        },
        (e: StudioError) => e,
      );
    expect(file).toMatchObject({ code: 'invalid_input' });
    const unknown = await service()
      .export({
        items: [{ runId: '20261203-100000-ffff99', index: 0 }],
        folder,
        format: 'png',
        quality: 80,
        size: 'original',
        stripMetadata: false,
      })
      .then(
        () => {
          throw new Error('export did not fail');
        },
        (e: StudioError) => e,
      );
    expect(unknown).toMatchObject({ code: 'not_found' });
    expect(readdirSync(folder)).toEqual(['a-file']);
  });
});
