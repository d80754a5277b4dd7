/**
 * Export and restore (issue #11), in Chromium against the real main handlers and the simulator:
 * export a run's photos through the dialog (main's folder dialog answered with a temp folder) and
 * read the settings back from the files on disk with exifreader and exiftool (PNG tEXt `parameters`
 * and WebP XMP: the seed the run used and the exported pixels; a stripped JPEG carries none); Show
 * in folder selects the file written (main refuses other paths); Copy, drag out and "Open on
 * replicate.com" reach main's adapters; an exported PNG dropped on the prompt column fills the
 * form with its settings (and is not added as a selfie); a photo of a real person gets a square
 * crop on the face by default, cut where the frame shows; Remix loads a run back into the studio,
 * a repainted one with its mask on the canvas.
 * Screenshots: test-results/screenshots/export.png (light), export-dark.png, export-face.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import ExifReader from 'exifreader';
import sharp, { type Sharp } from 'sharp';
import type { ExportResultT, RunDetailT, RunSummaryT } from '../../shared/ipc/contract';
import { portrait } from '../fixtures/faces/real-photos';
import { GOOD_TOKEN, expect, openApp, test, type StudioBridge } from './bridge';

const SHOTS = 'test-results/screenshots';

test.use({ seedToken: GOOD_TOKEN });

async function latestRun(bridge: StudioBridge): Promise<RunDetailT> {
  const list = await bridge.invoke('library:list');
  if (!list.ok) throw new Error(list.error.message);
  const first = (list.value as RunSummaryT[])[0];
  if (!first) throw new Error('no run in the library');
  const d = await bridge.invoke('library:get', { runId: first.id });
  if (!d.ok) throw new Error(d.error.message);
  return d.value as RunDetailT;
}

/** Generates one run from the studio's form and waits until its photos are saved. */
async function generate(page: Page, bridge: StudioBridge, prompt: string, steps?: number): Promise<RunDetailT> {
  await page.getByLabel('Describe the photo').fill(prompt);
  if (steps !== undefined) await (await stepsBox(page)).fill(String(steps));
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('job-card').first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  await bridge.flushEvents();
  return latestRun(bridge);
}

/** The Steps box (under "More settings", which starts closed whenever the studio is shown). */
async function stepsBox(page: Page) {
  const box = page.getByRole('textbox', { name: 'Steps' });
  if (!(await box.isVisible())) await page.getByRole('button', { name: 'More settings' }).click();
  return box;
}

async function openRunPage(page: Page) {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
  const tile = page.getByTestId('photo-tile').first();
  await tile.hover();
  await tile.getByRole('button', { name: /^Open “/ }).click();
  return page.getByTestId('run-detail');
}

/** exiftool's reading of a file (-G1: tags by their group): an outside tool, not this app's reader. */
function exiftool(file: string): Record<string, unknown> {
  return (
    JSON.parse(execFileSync('exiftool', ['-j', '-G1', '-a', '-u', file], { encoding: 'utf8' })) as [
      Record<string, unknown>,
    ]
  )[0];
}

/** A PNG's text chunks and XMP, as other tools read them. */
async function tagsOf(file: string) {
  return ExifReader.load(await readFile(file), { expanded: true, includeUnknown: true });
}

test('export with metadata read back from the exported files; stripped exports carry none', async ({
  page,
  bridge,
}) => {
  await openApp(page);
  const PROMPT = 'subject at a café table, morning light';
  const run = await generate(page, bridge, PROMPT);
  expect(run.seed).not.toBeNull();
  const img = run.images[0]!;
  const out = await mkdtemp(path.join(tmpdir(), 'sseelfie-export-'));
  bridge.nextDirectory = out;

  const detail = await openRunPage(page);
  await detail.getByRole('button', { name: /^Export( all)?…$/ }).click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: 'PNG' }).click();
  await expect(dialog.getByLabel(/Quality/)).toHaveCount(0);
  await dialog.getByLabel('Size').selectOption('hero');
  // drag the 16:9 crop frame down by a tenth of the photo
  const frame = dialog.getByTestId('export-crop');
  const photoBox = (await dialog.locator('.export-preview-photo').boundingBox())!;
  const before = (await frame.boundingBox())!;
  await page.mouse.move(before.x + before.width / 2, before.y + before.height / 2);
  await page.mouse.down();
  await page.mouse.move(before.x + before.width / 2, before.y + before.height / 2 + photoBox.height * 0.1, {
    steps: 4,
  });
  await page.mouse.up();
  const after = (await frame.boundingBox())!;
  expect(after.y - before.y).toBeGreaterThan(photoBox.height * 0.05);
  await page.mouse.move(0, 0);
  await dialog.screenshot({ path: `${SHOTS}/export.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await dialog.screenshot({ path: `${SHOTS}/export-dark.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });

  await dialog.getByRole('button', { name: 'Choose folder and export…' }).click();
  const done = dialog.getByTestId('export-done');
  await expect(done).toBeVisible({ timeout: 30_000 });
  const call = bridge.calls.find((c) => c.channel === 'export:photos')!.arg as {
    items: Array<{ crop?: { rect: { top: number } } }>;
  };
  expect(call.items[0]!.crop!.rect.top).toBeGreaterThan(0.05);

  const files = (await readdir(out)).filter((f) => !f.startsWith('.'));
  expect(files).toHaveLength(run.images.length);
  const file = path.join(out, files.sort()[0]!);
  expect(file.endsWith('.png')).toBe(true);
  await expect(done).toContainText(path.basename(file));
  const meta = await sharp(file).metadata();
  // 16:9 at the photo's own width (never enlarged to 1920), and the dialog said so
  expect(meta.width).toBe(Math.min(img.width, 1920));
  expect(Math.abs(meta.width! / meta.height! - 16 / 9)).toBeLessThan(0.01);
  if (img.width < 1920) await expect(done).toContainText('not enlarged');
  const tags = await tagsOf(file);
  const params = String(
    (tags.pngText as Record<string, { description: string }> | undefined)?.parameters?.description ?? '',
  );
  expect(params.startsWith(PROMPT)).toBe(true);
  expect(params).toContain(`Seed: ${run.seed}`);
  expect(params).toContain(`Size: ${meta.width}x${meta.height}`);
  expect(params).toMatch(/Steps: \d+/);
  expect(params).toMatch(/CFG scale: [\d.]+/);
  // exiftool reads the same settings from the file
  const png = exiftool(file);
  expect(String(png['PNG:Parameters'])).toBe(params);
  expect(String(png['XMP-dc:Description'])).toBe(PROMPT);
  // the library's own photo is untouched
  expect((await bridge.invoke('library:get', { runId: run.id })).ok).toBe(true);
  // Show in Finder / Explorer / folder: main's adapter is asked to select the first file written
  const reveal = dialog.getByRole('button', { name: /^Show in (Finder|Explorer|folder)$/ });
  await expect(reveal).toBeVisible();
  // the first file of the export, as the dialog lists them (in the order of the photos)
  const written = (await done
    .getByRole('list', { name: 'Exported files' })
    .getByRole('listitem')
    .first()
    .locator('[title]')
    .first()
    .getAttribute('title'))!;
  expect(path.dirname(written)).toBe(out);
  await reveal.click();
  await expect.poll(() => bridge.opened).toContain(written);
  expect(bridge.calls.filter((c) => c.channel === 'export:reveal').map((c) => c.arg)).toEqual([{ path: written }]);
  // a path the export did not write is refused by main, whatever the page asks
  const refused = await bridge.invoke('export:reveal', { path: path.join(bridge.libraryDir, 'runs') });
  expect(refused.ok).toBe(false);
  await dialog.getByRole('button', { name: 'Done' }).click();

  // Again as JPEG, settings stripped, into the remembered folder (no dialog this time).
  bridge.nextDirectory = null;
  await detail.getByRole('button', { name: /^Export( all)?…$/ }).click();
  await expect(dialog.getByTestId('export-folder')).toHaveText(out);
  await expect(dialog.getByLabel(/Quality/)).toBeVisible();
  await dialog.getByLabel('Include the settings in the file').uncheck();
  await expect(dialog).toContainText('A brand photo on a public website need not carry its prompt.');
  await dialog.getByRole('button', { name: /^Export (photo|\d+ photos)$/ }).click();
  await expect(dialog.getByTestId('export-done')).toBeVisible({ timeout: 30_000 });
  const jpg = (await readdir(out)).find((f) => f.endsWith('.jpg'))!;
  const jtags = await tagsOf(path.join(out, jpg));
  expect(jtags.xmp).toBeUndefined();
  expect(JSON.stringify(jtags)).not.toContain('café');
  const jx = exiftool(path.join(out, jpg));
  expect(Object.keys(jx).filter((k) => /^(XMP|ExifIFD|IFD0)/.test(k))).toEqual([]);
  expect(JSON.stringify(jx)).not.toContain('café');
  await dialog.getByRole('button', { name: 'Done' }).click();

  // WebP with the settings: XMP that exiftool reads, the seed the run used and the exported pixels
  await detail.getByRole('button', { name: /^Export( all)?…$/ }).click();
  await dialog.getByRole('radio', { name: 'WebP' }).click();
  await dialog.getByLabel('Size').selectOption('web');
  await dialog.getByRole('button', { name: /^Export (photo|\d+ photos)$/ }).click();
  await expect(dialog.getByTestId('export-done')).toBeVisible({ timeout: 30_000 });
  const webp = path.join(out, (await readdir(out)).filter((f) => f.endsWith('.webp')).sort()[0]!);
  const wx = exiftool(webp);
  const wmeta = await sharp(webp).metadata();
  expect(wx['XMP-dc:Description']).toBe(PROMPT);
  expect(String(wx['XMP-sseelfie:ParametersText'])).toContain(`Seed: ${run.seed}`);
  expect(String(wx['XMP-sseelfie:ParametersText'])).toContain(`Size: ${wmeta.width}x${wmeta.height}`);
  expect(JSON.parse(String(wx['XMP-sseelfie:Parameters']))).toMatchObject({ seed: run.seed, prompt: PROMPT });
  await dialog.getByRole('button', { name: 'Done' }).click();

  // Copy, drag out, open on replicate.com: main's adapters are asked for this photo.
  const actions = detail.getByRole('group', { name: 'Photo actions' }).first();
  await actions.getByRole('button', { name: 'Copy the photo' }).click();
  await expect.poll(() => bridge.clipboard.length).toBe(1);
  expect(Buffer.from(bridge.clipboard[0]!.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a'); // a PNG
  await actions.getByRole('button', { name: 'Drag the photo out' }).dispatchEvent('dragstart');
  await expect.poll(() => bridge.drags.length).toBe(1);
  expect(path.basename(bridge.drags[0]!)).toMatch(/\.(png|jpe?g|webp)$/);
  await actions.getByRole('button', { name: 'Open on replicate.com' }).click();
  await expect.poll(() => bridge.opened).toContain(`https://replicate.com/p/${run.predictionId}`);
});

test('drop an exported PNG onto the studio and the form shows its settings', async ({ page, bridge }) => {
  await openApp(page);
  const PROMPT = 'subject on a rooftop at dusk, wind in the hair';
  const run = await generate(page, bridge, PROMPT, 14);
  const out = await mkdtemp(path.join(tmpdir(), 'sseelfie-export-'));
  bridge.nextDirectory = out;
  const r = await bridge.invoke('export:photos', {
    items: [{ runId: run.id, index: run.images[0]!.index }],
    format: 'png',
    quality: 90,
    size: 'original',
    stripMetadata: false,
  });
  if (!r.ok) throw new Error(r.error.message);
  const exported = (r.value as ExportResultT).files[0]!.path;
  const b64 = (await readFile(exported)).toString('base64');

  // Another prompt and settings in the form, so the drop visibly replaces them.
  await page.getByLabel('Describe the photo').fill('something else entirely');
  await (await stepsBox(page)).fill('30');
  const selfiesBefore = await bridge.invoke('selfies:list');

  const dt = await page.evaluateHandle(
    ([name, data]) => {
      const g = globalThis as unknown as {
        DataTransfer: new () => { items: { add(f: unknown): void } };
        File: new (b: unknown[], n: string, o: { type: string }) => unknown;
        atob(s: string): string;
      };
      const bin = g.atob(data);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const t = new g.DataTransfer();
      t.items.add(new g.File([bytes], name, { type: 'image/png' }));
      return t;
    },
    [path.basename(exported), b64] as const,
  );
  const target = page.getByLabel('Describe the photo');
  await target.dispatchEvent('dragenter', { dataTransfer: dt });
  await target.dispatchEvent('dragover', { dataTransfer: dt });
  await expect(page.getByTestId('settings-drop-zone')).toBeVisible();
  await expect(page.getByTestId('drop-overlay')).toContainText(
    'Drop on the prompt column to load a photo’s settings instead',
  );
  await target.dispatchEvent('drop', { dataTransfer: dt });

  await expect(page.getByTestId('restore-banner')).toContainText(path.basename(exported));
  await expect(target).toHaveValue(PROMPT);
  await expect(page.getByRole('textbox', { name: 'Steps' })).toHaveValue('14');
  await expect(page.getByTestId('seed-field').getByRole('textbox')).toHaveValue(String(run.seed));
  expect(bridge.calls.filter((c) => c.channel === 'selfies:import')).toHaveLength(0);
  expect(await bridge.invoke('selfies:list')).toEqual(selfiesBefore);
  await page.getByTestId('restore-banner').getByRole('button', { name: 'Dismiss this note' }).click();
  await expect(page.getByTestId('restore-banner')).toHaveCount(0);
});

test('remix a run into the studio', async ({ page, bridge }) => {
  await openApp(page);
  const PROMPT = 'subject in a sunlit studio, linen shirt';
  const run = await generate(page, bridge, PROMPT, 18);
  // The form moves on: another prompt, other steps, a random seed.
  await page.getByLabel('Describe the photo').fill('a different idea');
  await (await stepsBox(page)).fill('40');

  const detail = await openRunPage(page);
  await detail.getByRole('button', { name: 'Remix' }).click();
  await expect(page.getByTestId('studio')).toBeVisible();
  await expect(page.getByLabel('Describe the photo')).toHaveValue(PROMPT);
  await expect(await stepsBox(page)).toHaveValue('18');
  // the seed the run used, locked: Generate would make the same photo again
  await expect(page.getByTestId('seed-field').getByRole('textbox')).toHaveValue(String(run.seed));
  await expect(page.getByTestId('restore-banner')).toContainText('Remixing');
});

/** Mean absolute difference per channel of two images (files or buffers), both brought to 64 × 64. */
async function meanDiff(a: Sharp, b: Sharp): Promise<number> {
  const small = (img: Sharp) => img.resize(64, 64, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const [x, y] = await Promise.all([small(a), small(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

test('a photo of a person: the crop is centred on the face by default, and the export is cut where the frame shows', async ({
  page,
  bridge,
}) => {
  // made before the window opens, so the browser never shows (and caches) the simulator's picture
  const started = await bridge.invoke('jobs:start', {
    input: { prompt: 'subject on a terrace, wide shot', aspect_ratio: '16:9', num_outputs: 1 },
  });
  if (!started.ok) throw new Error(started.error.message);
  await bridge.services.engine().idle();
  const run = await latestRun(bridge);
  const img = run.images[0]!;
  expect(img.width).toBeGreaterThan(img.height);
  // The simulator paints no people: its photo becomes a real one (test/fixtures/faces) of the same
  // size and format, the face at about a fifth of the width, the rest of the width its own background.
  const file = path.join(bridge.libraryDir, img.id);
  const h = img.height;
  const w = Math.round((600 * h) / 780);
  const person = await (await portrait(4)).resize(w, h).png().toBuffer();
  const photo = sharp(person).extend({ right: img.width - w, extendWith: 'copy' });
  const ext = path.extname(file).slice(1);
  const bytes = await (
    ext === 'png' ? photo.png() : ext === 'webp' ? photo.webp({ quality: 92 }) : photo.jpeg()
  ).toBuffer();
  await writeFile(file, bytes);
  await openApp(page);

  const detail = await openRunPage(page);
  await detail.getByRole('button', { name: /^Export( all)?…$/ }).click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByLabel('Size').selectOption('square');
  const note = dialog.getByTestId('export-crop-note');
  await expect(note).toHaveText('Centred on the face. Drag to move it.', { timeout: 30_000 });
  // the frame sits at the left, where the face is, not in the middle
  const frame = dialog.getByTestId('export-crop');
  const box = (await dialog.locator('.export-preview-photo').boundingBox())!;
  const f = (await frame.boundingBox())!;
  const left = (f.x - box.x) / box.width;
  expect(left).toBeLessThan((1 - f.width / box.width) / 2 - 0.1);
  expect(f.x - box.x).toBeLessThan(box.width * 0.2); // the face's middle (a fifth across) is inside the frame
  expect(f.x + f.width - box.x).toBeGreaterThan(box.width * 0.2);
  await page.mouse.move(0, 0);
  await dialog.screenshot({ path: 'test-results/screenshots/export-face.png', animations: 'disabled' });
  await dialog.screenshot({ path: `${SHOTS}/export-face.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await dialog.screenshot({ path: 'test-results/screenshots/export-face-dark.png', animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });

  const out = await mkdtemp(path.join(tmpdir(), 'sseelfie-export-'));
  bridge.nextDirectory = out;
  await dialog.getByRole('button', { name: 'Choose folder and export…' }).click();
  await expect(dialog.getByTestId('export-done')).toBeVisible({ timeout: 30_000 });
  // the person did not move the frame: main placed the crop, on the face it found
  const call = bridge.calls.filter((c) => c.channel === 'export:photos').at(-1)!.arg as {
    items: Array<{ crop?: unknown }>;
  };
  expect(call.items[0]!.crop).toBeUndefined();
  const exported = path.join(out, (await readdir(out)).filter((n) => !n.startsWith('.'))[0]!);
  const meta = await sharp(exported).metadata();
  expect(meta.width).toBe(meta.height);
  // the exported pixels are what the frame showed, not the middle of the photo
  const shown = {
    left: Math.round(left * img.width),
    top: 0,
    width: Math.min(img.width, img.height),
    height: img.height,
  };
  shown.left = Math.min(shown.left, img.width - shown.width);
  expect(await meanDiff(sharp(exported), sharp(bytes).extract(shown))).toBeLessThan(6);
  const middle = { ...shown, left: Math.round((img.width - shown.width) / 2) };
  expect(await meanDiff(sharp(exported), sharp(bytes).extract(middle))).toBeGreaterThan(10);
});

test('remix a repainted run: its starting photo and its mask are back on the canvas, repainting', async ({
  page,
  bridge,
}) => {
  await openApp(page);
  await page.getByTestId('selfie-input').setInputFiles(['test/fixtures/selfie-exif6.jpg']);
  await expect(page.getByText('Added 1 selfie.')).toBeVisible();
  await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
  await page
    .getByRole('region', { name: 'Your selfies' })
    .getByRole('button', { name: 'Selfie selfie-exif6.jpg', exact: true })
    .click();
  await expect(page.getByTestId('mask-editor')).toBeVisible();
  await page.getByLabel('Describe the photo').fill('subject in a denim jacket');
  // a stroke across the upper middle of the photo
  const base = page.locator('img[data-layer="base-image"]');
  let b = (await base.boundingBox())!;
  await page.mouse.move(b.x + b.width * 0.25, b.y + b.height * 0.4);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width * 0.75, b.y + b.height * 0.4, { steps: 24 });
  await page.mouse.up();
  await expect(page.getByTestId('canvas-mode')).toHaveText('Repainting the masked area');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('job-card').first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  await bridge.flushEvents();
  const run = await latestRun(bridge);
  expect(run.mode).toBe('inpaint');
  expect(run.mask).not.toBeNull();

  const detail = await openRunPage(page);
  await detail.getByRole('button', { name: 'Remix' }).click();
  await expect(page.getByTestId('studio')).toBeVisible();
  const editor = page.getByTestId('mask-editor');
  await expect(editor).toContainText('Starting photo of a saved run');
  await expect(editor).toContainText(`${run.source!.width} × ${run.source!.height}`);
  await expect(page.getByTestId('canvas-mode')).toHaveText('Repainting the masked area');
  await expect(page.getByTestId('restore-banner')).toContainText('settings, seed and mask');
  await expect(page.getByLabel('Describe the photo')).toHaveValue('subject in a denim jacket');

  // the mask on the overlay: painted pixels, under the stroke and not far below it
  b = (await base.boundingBox())!;
  const overlay = page.locator('canvas[data-layer="mask-committed"]');
  const read = () =>
    overlay.evaluate(
      (c, pts) => {
        const el = c as unknown as {
          width: number;
          height: number;
          getBoundingClientRect(): { left: number; top: number; width: number };
          getContext(k: string): {
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          };
        };
        const ctx = el.getContext('2d');
        const all = ctx.getImageData(0, 0, el.width, el.height).data;
        let painted = 0;
        for (let i = 3; i < all.length; i += 4) if (all[i]! > 0) painted++;
        const r = el.getBoundingClientRect();
        const k = el.width / r.width; // canvas pixels per CSS pixel
        const at = pts.map(
          (p) => ctx.getImageData(Math.floor((p.x - r.left) * k), Math.floor((p.y - r.top) * k), 1, 1).data[3]!,
        );
        return { painted, at };
      },
      [
        { x: b.x + b.width * 0.5, y: b.y + b.height * 0.4 },
        { x: b.x + b.width * 0.5, y: b.y + b.height * 0.85 },
      ],
    );
  await expect.poll(async () => (await read()).at).toEqual([255, 0]);
  expect((await read()).painted).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/screenshots/export-remix-mask.png' });
  // Generate would repaint there again: the plan says so
  await expect(page.getByTestId('generate-summary')).toContainText('repainting the masked area');
});
