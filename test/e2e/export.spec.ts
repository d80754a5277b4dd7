/**
 * Export and restore (issue #11), in Chromium against the real main handlers and the simulator:
 * export a run's photos through the dialog (main's folder dialog answered with a temp folder) and
 * read the settings back from the files on disk with exifreader (PNG tEXt `parameters`: the seed
 * the run used and the exported pixels; a stripped JPEG carries none); Copy, drag out and "Open
 * on replicate.com" reach main's adapters; an exported PNG dropped on the prompt column fills the
 * form with its settings (and is not added as a selfie); Remix loads a run back into the studio.
 * Screenshots: test-results/screenshots/export.png (light) and export-dark.png.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import ExifReader from 'exifreader';
import sharp from 'sharp';
import type { ExportResultT, RunDetailT, RunSummaryT } from '../../shared/ipc/contract';
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
  await page
    .getByTestId('photo-tile')
    .first()
    .getByRole('button', { name: /^Open “/ })
    .click();
  return page.getByTestId('run-detail');
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
  // the library's own photo is untouched
  expect((await bridge.invoke('library:get', { runId: run.id })).ok).toBe(true);
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
