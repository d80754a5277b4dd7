/**
 * The studio at work (issue #5), in Chromium against the real main handlers and the Replicate
 * simulator: photos dragged in from the desktop (a real `drop` with a DataTransfer of fixture
 * bytes: an EXIF-rotated JPEG, a HEIC and a corrupt file) and pasted; a photoshoot pack queuing
 * one job per scene, checked in the library (sizes of each scene's aspect ratio); Generate from a
 * selfie (img2img); presets saved, re-applied after a reload and deleted; the seed locked from a
 * result; results compared side by side. Screenshots land in test-results/screenshots/.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ASPECT_SIZES } from '../../shared/model/rules';
import type { RunDetailT, RunSummaryT } from '../../shared/ipc/contract';
import sharp from 'sharp';
import { CORNER_COLOURS, drawSelfie } from '../fixtures/make-fixtures';
import { makeGridHeic } from '../fixtures/heic-grid';
import { GOOD_TOKEN, expect, openApp, test, type StudioBridge } from './bridge';

const SHOTS = 'test-results/screenshots';
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
const FIXTURES = 'test/fixtures';

// Page-side helpers typed loosely: the node tsconfig has no DOM lib.
const naturalSize = (el: unknown) => ({
  w: (el as { naturalWidth: number }).naturalWidth,
  h: (el as { naturalHeight: number }).naturalHeight,
});

interface FileSpec {
  name: string;
  type: string;
  b64: string;
}

async function fixture(name: string, type: string): Promise<FileSpec> {
  return { name, type, b64: (await readFile(path.join(FIXTURES, name))).toString('base64') };
}

/**
 * A portrait selfie as an iPhone stores it: the sensor's landscape pixels in a grid of 512 px HEVC
 * tiles, and an `irot` that turns it upright (90° anti-clockwise) when shown.
 */
async function phoneHeic(name: string): Promise<FileSpec> {
  const sideways = await sharp(drawSelfie(600, 800), { raw: { width: 600, height: 800, channels: 3 } })
    .rotate(90)
    .raw()
    .toBuffer();
  const heic = await makeGridHeic(sideways, 800, 600, { tile: 512, quality: 80, irot: 1 });
  if (!heic) throw new Error('heif-enc is missing: apt-get install -y libheif-examples');
  return { name, type: 'image/heic', b64: heic.toString('base64') };
}

/** The colour of one pixel of a loaded <img>, read through a canvas in the page. */
const pixelAt = (el: unknown, [fx, fy]: [number, number]) => {
  const img = el as {
    naturalWidth: number;
    naturalHeight: number;
    ownerDocument: { createElement(t: string): unknown };
  };
  const c = img.ownerDocument.createElement('canvas') as {
    width: number;
    height: number;
    getContext(t: string): {
      drawImage(i: unknown, x: number, y: number): void;
      getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
    };
  };
  c.width = img.naturalWidth;
  c.height = img.naturalHeight;
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(Math.floor(fx * c.width), Math.floor(fy * c.height), 1, 1).data;
  return [d[0]!, d[1]!, d[2]!];
};

/** A DataTransfer in the page holding these files, as Finder/Explorer would hand them over. */
async function dataTransfer(page: Page, files: FileSpec[]) {
  return page.evaluateHandle((specs) => {
    const g = globalThis as unknown as {
      DataTransfer: new () => { items: { add(f: unknown): void } };
      File: new (b: unknown[], n: string, o: { type: string }) => unknown;
      atob(s: string): string;
    };
    const dt = new g.DataTransfer();
    for (const s of specs) {
      const bin = g.atob(s.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new g.File([bytes], s.name, { type: s.type }));
    }
    return dt;
  }, files);
}

async function runs(bridge: StudioBridge): Promise<RunDetailT[]> {
  const list = await bridge.invoke('library:list');
  if (!list.ok) throw new Error(list.error.message);
  const out: RunDetailT[] = [];
  for (const r of list.value as RunSummaryT[]) {
    const d = await bridge.invoke('library:get', { runId: r.id });
    if (!d.ok) throw new Error(d.error.message);
    out.push(d.value as RunDetailT);
  }
  return out;
}

async function importSelfies(page: Page, files: string[], added: number) {
  await page.getByTestId('selfie-input').setInputFiles(files.map((f) => path.join(FIXTURES, f)));
  await expect(page.getByText(added === 1 ? 'Added 1 selfie.' : `Added ${added} selfies.`)).toBeVisible();
  await page.getByTestId('import-result').getByRole('button', { name: 'Dismiss' }).click();
}

test.use({ seedToken: GOOD_TOKEN });

test('selfies: files dragged onto the studio import (EXIF rotation applied, HEIC decoded, a phone grid HEIC upright), the corrupt one is named; paste adds one', async ({
  page,
  bridge,
}) => {
  await openApp(page);
  const shelf = page.getByRole('region', { name: 'Your selfies' });
  await expect(shelf.getByText(/Add a few selfies/)).toBeVisible();

  const dt = await dataTransfer(page, [
    await fixture('selfie-exif6.jpg', 'image/jpeg'),
    await fixture('selfie.heic', 'image/heic'),
    await phoneHeic('IMG_4410.HEIC'),
    await fixture('corrupt.jpg', 'image/jpeg'),
  ]);
  // Dragging over any part of the studio (here the results column) shows the overlay.
  const results = page.getByRole('complementary', { name: 'Results' });
  await results.dispatchEvent('dragenter', { dataTransfer: dt });
  await results.dispatchEvent('dragover', { dataTransfer: dt });
  const overlay = page.getByTestId('drop-overlay');
  await expect(overlay).toBeVisible();
  await expect(overlay).toContainText('Drop photos to add them to your selfies');
  await page.screenshot({ path: `${SHOTS}/studio-drop.png`, animations: 'disabled' });
  await results.dispatchEvent('drop', { dataTransfer: dt });
  await expect(overlay).toHaveCount(0);

  await expect(page.getByText('Added 3 selfies.')).toBeVisible();
  await expect(page.getByText('1 file could not be added:')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Files not added' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Files not added' }).getByRole('listitem')).toContainText('corrupt.jpg');
  const rotated = shelf.getByRole('img', { name: 'Selfie selfie-exif6.jpg' });
  const heic = shelf.getByRole('img', { name: 'Selfie selfie.heic' });
  await expect(rotated).toBeVisible();
  await expect(heic).toBeVisible();
  // Stored 800×600 with orientation 6: the thumbnail is upright, portrait.
  await expect.poll(async () => (await rotated.evaluate(naturalSize)).w).toBeGreaterThan(0);
  const r = await rotated.evaluate(naturalSize);
  expect(r.w).toBeLessThan(r.h);
  await expect.poll(async () => (await heic.evaluate(naturalSize)).w).toBeGreaterThan(0);
  // The phone's grid HEIC: decoded by the worker pool, turned upright (portrait, red top-left).
  const phone = shelf.getByRole('img', { name: 'Selfie IMG_4410.HEIC' });
  await expect.poll(async () => (await phone.evaluate(naturalSize)).w).toBeGreaterThan(0);
  const p = await phone.evaluate(naturalSize);
  expect(p.w).toBeLessThan(p.h);
  const topLeft = await phone.evaluate(pixelAt, [0.03, 0.03] as [number, number]);
  topLeft.forEach((v, i) => expect(Math.abs(v - CORNER_COLOURS.topLeft[i]!), `top-left ${topLeft}`).toBeLessThan(40));
  expect(bridge.heicByWorkers, 'HEICs decoded by the worker pool').toBeGreaterThan(0);
  await shelf.getByRole('button', { name: 'Selfie selfie.heic', exact: true }).click();
  await expect(page.getByText('Starting from a photo')).toBeVisible();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/studio-selfies.png`, animations: 'disabled' });
  const shelfList = await bridge.invoke('selfies:list');
  expect(shelfList.ok && (shelfList.value as Array<{ name: string }>).map((s) => s.name).sort()).toEqual([
    'IMG_4410.HEIC',
    'selfie-exif6.jpg',
    'selfie.heic',
  ]);

  // Cmd/Ctrl+V with an image on the clipboard (focus not in a text field) adds it. The paste
  // event goes where the browser sends it: the focused element, else the body.
  const png = await fixture('selfie.png', 'image/png');
  const paste = () =>
    page.evaluate((s) => {
      const g = globalThis as unknown as {
        DataTransfer: new () => { items: { add(f: unknown): void } };
        File: new (b: unknown[], n: string, o: { type: string }) => unknown;
        ClipboardEvent: new (t: string, o: unknown) => unknown;
        atob(s: string): string;
        document: {
          activeElement: { dispatchEvent(e: unknown): boolean } | null;
          body: { dispatchEvent(e: unknown): boolean };
        };
      };
      const dt = new g.DataTransfer();
      const bin = g.atob(s.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new g.File([bytes], 'image.png', { type: 'image/png' }));
      const ev = new g.ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true });
      (g.document.activeElement ?? g.document.body).dispatchEvent(ev);
    }, png);
  // Pasting while in the prompt box is the text field's business, never a selfie.
  await page.getByLabel('Describe the photo').focus();
  await paste();
  await expect(page.getByTestId('import-result')).toContainText('Added 3 selfies.'); // nothing new
  await page.getByRole('heading', { name: 'Results' }).click();
  await page.getByLabel('Describe the photo').blur();
  await paste();
  await expect(page.getByText('Added 1 selfie.')).toBeVisible();
  await expect(shelf.getByRole('img')).toHaveCount(4);
  await expect(shelf.getByRole('img', { name: /^Selfie Pasted .*\.png$/ })).toBeVisible();

  // Clicking another selfie makes it the starting photo instead.
  await shelf.getByRole('button', { name: 'Selfie selfie-exif6.jpg', exact: true }).click();
  await expect(page.getByText('Selfie “selfie-exif6.jpg” · 600 × 800')).toBeVisible();

  // Removing asks first.
  await shelf.getByRole('img', { name: /^Selfie Pasted/ }).hover();
  await shelf.getByRole('button', { name: /^Remove Pasted .* from the shelf$/ }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
  await expect(shelf.getByRole('img')).toHaveCount(3);
});

test('photoshoot pack: three scenes queue three jobs, each saved at its scene’s size with its title', async ({
  page,
  bridge,
}) => {
  await openApp(page);
  // A style fragment that is on goes with every scene.
  await page.getByRole('button', { name: 'Raw photo' }).click();
  await page.getByRole('button', { name: /Photoshoot…/ }).click();
  const dialog = page.getByTestId('photoshoot');
  await expect(dialog.getByRole('heading', { name: /Brand photoshoot/ })).toBeVisible();
  const queue = dialog.getByRole('button', { name: /^Queue/ });
  await expect(queue).toBeDisabled();

  const picks = [
    { title: 'Office portrait', aspect: '4:5' },
    { title: 'Speaking on stage', aspect: '16:9' },
    { title: 'City walk', aspect: '2:3' },
  ];
  for (const p of picks) await dialog.getByRole('checkbox', { name: new RegExp(`^${p.title}`) }).check();
  await expect(dialog.getByText('896 × 1088').first()).toBeVisible();
  await expect(queue).toHaveText('Queue 3 photos');
  await dialog.locator('.modal-body').evaluate((el) => {
    (el as { scrollTop: number }).scrollTop = 0;
  });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/studio-pack.png`, animations: 'disabled' });
  await queue.click();
  await expect(dialog).toHaveCount(0);

  const cards = page.getByTestId('job-card');
  await expect(cards).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(cards.nth(i)).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  for (const p of picks) await expect(page.getByRole('article', { name: new RegExp(p.title) })).toBeVisible();

  const starts = bridge.calls
    .filter((c) => c.channel === 'jobs:start')
    .map((c) => c.arg as { label: string; input: Record<string, unknown>; image?: unknown });
  expect(starts.map((s) => s.label)).toEqual(picks.map((p) => p.title));
  for (const s of starts) {
    expect(s.image).toBeUndefined();
    expect(String(s.input.prompt)).toMatch(/^subject /);
    expect(String(s.input.prompt)).toContain('raw photo, natural skin texture, film grain');
    expect(String(s.input.prompt)).not.toContain('{trigger}');
  }

  await bridge.flushEvents();
  const saved = await runs(bridge);
  expect(saved).toHaveLength(3);
  for (const p of picks) {
    const run = saved.find((r) => r.label === p.title);
    expect(run, p.title).toBeTruthy();
    expect(run!.input.aspect_ratio).toBe(p.aspect);
    const [w, h] = ASPECT_SIZES[p.aspect]!;
    expect(run!.images.map((im) => [im.width, im.height])).toEqual([[w, h]]);
  }

  // Compare them side by side; reuse one's seed.
  await expect
    .poll(async () => (await page.getByTestId('job-card').locator('.thumb img').first().evaluate(naturalSize)).w)
    .toBeGreaterThan(0);
  for (const p of picks)
    await page.getByRole('checkbox', { name: new RegExp(`^Compare photo 1 of “${p.title}”`) }).click();
  await expect(page.getByTestId('compare-bar')).toContainText('3 of 4 selected');
  await page.getByTestId('compare-bar').getByRole('button', { name: 'Compare' }).click();
  const compare = page.getByTestId('compare');
  await expect(compare.getByTestId('compare-item')).toHaveCount(3);
  for (const img of await compare.getByRole('img').all())
    await expect.poll(async () => (await img.evaluate(naturalSize)).w).toBeGreaterThan(0);
  await expect(compare.getByText('Aspect ratio').first()).toBeVisible();
  for (const b of await page.getByRole('button', { name: 'Dismiss message' }).all()) await b.click();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/compare.png`, animations: 'disabled' });

  const stage = saved.find((r) => r.label === 'Speaking on stage')!;
  await compare.getByTestId('compare-item').nth(1).getByRole('button', { name: 'Reuse this seed' }).click();
  await page.keyboard.press('Escape');
  await expect(compare).toHaveCount(0);
  await expect(page.getByRole('radio', { name: 'Locked' })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('seed-field').getByRole('textbox')).toHaveValue(String(stage.seed));
  await expect(page.getByTestId('generate-summary')).toContainText(`seed ${stage.seed}`);
});

test('Generate with a selfie as the base makes an img2img run; Cmd/Ctrl+Enter generates from anywhere', async ({
  page,
  bridge,
}) => {
  await openApp(page);
  await importSelfies(page, ['selfie-exif6.jpg'], 1);
  await page
    .getByRole('region', { name: 'Your selfies' })
    .getByRole('button', { name: 'Selfie selfie-exif6.jpg' })
    .click();
  await page.getByLabel('Describe the photo').fill('subject in a navy blazer, office background');
  await expect(page.getByTestId('generate-summary')).toContainText('1 photo at 592 × 800, starting from your photo');
  // Focus away from the prompt: the shortcut still generates.
  await page.getByRole('heading', { name: 'Results' }).click();
  await page.keyboard.press(`${mod}+Enter`);
  await expect(page.getByTestId('job-card').first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  const start = bridge.calls.find((c) => c.channel === 'jobs:start')?.arg as {
    image?: { assetId: string };
    input: Record<string, unknown>;
  };
  expect(start.image?.assetId).toMatch(/selfie/);
  expect(start.input).not.toHaveProperty('aspect_ratio');
  await bridge.flushEvents();
  const [run] = await runs(bridge);
  expect(run!.mode).toBe('img2img');
  expect(run!.source).toBeTruthy();
});

test('presets: save the current settings, re-apply them after a reload, delete them', async ({ page, bridge }) => {
  await openApp(page);
  await page.getByRole('radio', { name: /^3:2/ }).click();
  await page.getByRole('textbox', { name: 'Number of photos' }).fill('2');
  await page.getByRole('button', { name: 'More settings' }).click();
  await page.getByRole('textbox', { name: 'Steps' }).fill('12');

  await page.getByRole('button', { name: 'Presets' }).click();
  const panel = page.getByTestId('presets');
  await expect(panel).toContainText('No presets yet');
  await panel.getByLabel('Save the current settings as').fill('Quick drafts');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('toasts')).toContainText('Saved the preset “Quick drafts”.');
  const stored = await bridge.invoke('presets:list');
  expect(stored.ok && stored.value).toMatchObject([
    { name: 'Quick drafts', values: { aspect_ratio: '3:2', num_outputs: 2, num_inference_steps: 12 } },
  ]);

  // A reload forgets the form, not the preset.
  await page.reload();
  await expect(page.getByTestId('studio')).toBeVisible();
  await expect(page.getByRole('radio', { name: /^1:1/ })).toHaveAttribute('aria-checked', 'true');
  await page.getByRole('button', { name: 'Presets' }).click();
  await expect(page.getByTestId('presets')).toContainText('3:2 · 2 photos · 12 steps');
  await page.getByRole('button', { name: 'Apply Quick drafts' }).click();
  await expect(page.getByRole('radio', { name: /^3:2/ })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByRole('textbox', { name: 'Number of photos' })).toHaveValue('2');
  await expect(page.getByTestId('output-size')).toContainText('1216 × 832 px · 2 photos');
  // The whole left panel, for the record.
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page
    .getByRole('textbox', { name: 'Seed' })
    .or(page.getByRole('radio', { name: 'Locked' }))
    .first()
    .click();
  await page.getByLabel('Describe the photo').fill('subject at a standing desk, soft light');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/studio-params.png`, animations: 'disabled' });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole('button', { name: 'Presets' }).click();
  await page.getByRole('button', { name: 'Delete the preset Quick drafts' }).click();
  await expect(page.getByTestId('presets')).toContainText('No presets yet');
  const after = await bridge.invoke('presets:list');
  expect(after.ok && after.value).toEqual([]);
});

test('prompt building: trigger word chip edited and saved, style chips toggle, length meter, recent prompts', async ({
  page,
  bridge,
}) => {
  await openApp(page);
  const prompt = page.getByLabel('Describe the photo');
  await expect(page.getByTestId('trigger-chip')).toHaveText('subject');
  await page.getByRole('button', { name: 'Change the trigger word' }).click();
  await page.getByRole('textbox', { name: 'Trigger word' }).fill('ADA');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('trigger-chip')).toHaveText('ADA');
  expect(bridge.services.settings.get().triggerWords['sandrasocial/sseelfie-ai']).toBe('ADA');

  await prompt.fill('a portrait in a sunlit office');
  await expect(page.getByTestId('trigger-warning')).toContainText('Include your trigger word ADA');
  await page.getByTestId('trigger-warning').getByRole('button', { name: 'Add it' }).click();
  await expect(prompt).toHaveValue('ADA, a portrait in a sunlit office');

  await page.getByRole('button', { name: 'Golden hour' }).click();
  await expect(prompt).toHaveValue('ADA, a portrait in a sunlit office, golden hour, warm backlight');
  await expect(page.getByRole('button', { name: 'Golden hour' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Golden hour' }).click();
  await expect(prompt).toHaveValue('ADA, a portrait in a sunlit office');

  await expect(page.getByTestId('length-meter')).toHaveAttribute('data-level', 'ok');
  await page.getByRole('button', { name: 'More settings' }).click();
  await page.getByRole('combobox', { name: 'Base model' }).selectOption('schnell');
  await prompt.fill(`ADA ${'standing in a bright modern office with plants and soft window light, '.repeat(16)}`);
  await expect(page.getByTestId('length-meter')).toHaveAttribute('data-level', 'over');
  await expect(page.getByTestId('length-meter')).toContainText('Schnell reads only the first 256');
  await expect(page.getByTestId('length-meter')).toContainText('the first ~60 words matter most');

  await prompt.fill('ADA laughing on a rooftop at dusk');
  await page.getByRole('combobox', { name: 'Base model' }).selectOption('dev');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('job-card').first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  await prompt.fill('');
  await page.getByRole('button', { name: 'Recent' }).click();
  await page.getByTestId('recent-prompts').getByRole('button', { name: 'ADA laughing on a rooftop at dusk' }).click();
  await expect(prompt).toHaveValue('ADA laughing on a rooftop at dusk');
});
