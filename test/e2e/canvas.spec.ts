/**
 * The mask painter in the studio, in Chromium against the real main handlers and the Replicate
 * simulator: a selfie imported through the shelf becomes the starting photo, a stroke painted
 * with the mouse shows on the overlay, undo/redo (buttons and keys) and invert change what is
 * painted, the help overlay lists the shortcuts, and Generate sends the mask — checked in what
 * main saved: mask.png the size of source.jpg, 1 channel, only 0/255, white exactly under the
 * stroke (screen → image → prepared crop) and black away from it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Locator, Page } from '@playwright/test';
import { planModelSize } from '../../electron/services/images/image-pipeline';
import { GOOD_TOKEN, expect, openApp, test, type StudioBridge } from './bridge';

const SHOTS = 'test-results/screenshots';
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
/** selfie-exif6.jpg is 800×600 with orientation 6: upright it is 600×800 */
const SRC = { width: 600, height: 800 };

// Page-side helpers typed loosely: the node tsconfig has no DOM lib.
type El = {
  getContext(k: string): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
  getBoundingClientRect(): { left: number; top: number };
};
const naturalWidth = (el: unknown) => (el as { naturalWidth: number }).naturalWidth;

type Pt = { x: number; y: number };

async function imageBox(page: Page) {
  const box = await page.locator('img[data-layer="base-image"]').boundingBox();
  if (!box) throw new Error('no base image');
  return box;
}

/** Alpha of the committed mask overlay at image points (mapped through the photo's box now). */
async function overlayAlpha(page: Page, points: Pt[]): Promise<number[]> {
  const box = await imageBox(page);
  const k = box.width / SRC.width;
  const pagePts = points.map((p) => ({ x: box.x + p.x * k, y: box.y + p.y * k }));
  return page.locator('canvas[data-layer="mask-committed"]').evaluate((c, pts) => {
    const el = c as unknown as El;
    const r = el.getBoundingClientRect();
    const ctx = el.getContext('2d');
    return pts.map((p) => ctx.getImageData(Math.floor(p.x - r.left), Math.floor(p.y - r.top), 1, 1).data[3]!);
  }, pagePts);
}

/** Paints a horizontal stroke at fractions of the photo; returns its ends in image px. */
async function paint(page: Page, fx0: number, fx1: number, fy: number): Promise<{ a: Pt; b: Pt }> {
  const box = await imageBox(page);
  const k = SRC.width / box.width;
  const from = { x: box.x + box.width * fx0, y: box.y + box.height * fy };
  const to = { x: box.x + box.width * fx1, y: box.y + box.height * fy };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 24 });
  await page.mouse.up();
  return {
    a: { x: (from.x - box.x) * k, y: (from.y - box.y) * k },
    b: { x: (to.x - box.x) * k, y: (to.y - box.y) * k },
  };
}

async function expectButtons(undo: Locator, redo: Locator, canUndo: boolean, canRedo: boolean) {
  await (canUndo ? expect(undo).toBeEnabled() : expect(undo).toBeDisabled());
  await (canRedo ? expect(redo).toBeEnabled() : expect(redo).toBeDisabled());
}

/** The saved run's folder (the only one, or the newest). */
async function runFolders(bridge: StudioBridge): Promise<string[]> {
  const dir = path.join(bridge.libraryDir, 'runs');
  return (await readdir(dir)).sort().map((d) => path.join(dir, d));
}

/** Sizes of the photos a run saved (run.json's images, read from the files themselves). */
async function savedSizes(runDir: string) {
  const run = JSON.parse(await readFile(path.join(runDir, 'run.json'), 'utf8')) as { images: Array<{ file: string }> };
  return Promise.all(
    run.images.map(async (im) => {
      const meta = await sharp(path.join(runDir, im.file)).metadata();
      return { width: meta.width, height: meta.height };
    }),
  );
}

async function readMask(runDir: string) {
  const files = await readdir(runDir);
  const srcFile = files.find((f) => /^source\.(jpg|png)$/.test(f));
  expect(srcFile, `source image in ${files.join(', ')}`).toBeTruthy();
  const src = await sharp(path.join(runDir, srcFile!)).metadata();
  const png = await readFile(path.join(runDir, 'mask.png'));
  const meta = await sharp(png).metadata();
  const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { src: { width: src.width!, height: src.height! }, meta, data, info };
}

test.describe('mask painter', () => {
  test.use({ seedToken: GOOD_TOKEN });

  test('paint, undo/redo, invert and shortcuts on a selfie; Generate sends the mask main saves pixel-exact', async ({
    page,
    bridge,
  }) => {
    await openApp(page);
    await expect(page.getByTestId('canvas-slot')).toContainText('Pick a selfie or a result to start from it');

    // A selfie through the shelf's file input, then picked as the starting photo.
    await page.getByTestId('selfie-input').setInputFiles(['test/fixtures/selfie-exif6.jpg']);
    await expect(page.getByText('Added 1 selfie.')).toBeVisible();
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await page
      .getByRole('region', { name: 'Your selfies' })
      .getByRole('button', { name: 'Selfie selfie-exif6.jpg', exact: true })
      .click();

    const editor = page.getByTestId('mask-editor');
    await expect(editor).toBeVisible();
    await expect(editor).toContainText('Selfie “selfie-exif6.jpg”');
    await expect(editor).toContainText(`${SRC.width} × ${SRC.height}`);
    const base = page.locator('img[data-layer="base-image"]');
    await expect.poll(() => base.evaluate(naturalWidth)).toBe(SRC.width);

    // Before painting: img2img, the size main will prepare (600 → 592: cut to a multiple of 16).
    const controls = page.getByTestId('canvas-controls');
    await expect(page.getByTestId('canvas-mode')).toHaveText('Starting from this photo');
    await expect(page.getByTestId('canvas-output')).toHaveText('Output: 592 × 800 px');
    await expect(controls.getByRole('checkbox', { name: 'Keep everything outside the mask exactly' })).toHaveCount(0);

    // Strength: the words follow the value; the draft holds it (what Generate sends).
    const strength = controls.getByRole('slider', { name: 'Strength' });
    const words = page.getByTestId('strength-words');
    await expect(strength).toHaveValue('0.8');
    await expect(words).toContainText('Mostly new');
    await strength.fill('0.25');
    await expect(words).toContainText('Keep most of the photo');
    await strength.fill('0.5');
    await expect(words).toContainText('Balanced');
    await strength.fill('1');
    await expect(words).toContainText('Only the composition survives');
    await strength.fill('0.75');
    await expect(words).toContainText('Mostly new');

    const undo = editor.getByRole('button', { name: 'Undo', exact: true });
    const redo = editor.getByRole('button', { name: 'Redo', exact: true });
    const brush = editor.getByRole('button', { name: 'Brush', exact: true });
    const eraser = editor.getByRole('button', { name: 'Eraser', exact: true });
    const size = page.getByTestId('brush-size');
    await expectButtons(undo, redo, false, false);
    await expect(brush).toHaveAttribute('aria-pressed', 'true');
    await expect(size).toHaveText('36 px'); // 6% of the short side

    // Tool and size shortcuts.
    await page.mouse.move(5, 5);
    await page.keyboard.press('e');
    await expect(eraser).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('b');
    await expect(brush).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press(']');
    await expect(size).not.toHaveText('36 px');
    await page.keyboard.press('[');
    await expect(size).toHaveText('36 px');

    // Zoom in / out / fit keep the percentage in view.
    const zoom = page.getByTestId('zoom-level');
    const fitted = (await zoom.textContent())!;
    await editor.getByRole('button', { name: 'Zoom in', exact: true }).click();
    await expect(zoom).not.toHaveText(fitted);
    await page.keyboard.press('0');
    await expect(zoom).toHaveText(fitted);

    // One stroke across the face height.
    const { a, b } = await paint(page, 0.25, 0.75, 0.4);
    const mid = { x: (a.x + b.x) / 2, y: a.y };
    const far = { x: mid.x, y: a.y + 0.45 * SRC.height }; // well below the stroke
    await expectButtons(undo, redo, true, false);
    await expect.poll(() => overlayAlpha(page, [mid, far])).toEqual([255, 0]);
    await expect(page.getByTestId('canvas-mode')).toHaveText('Repainting the masked area');
    const keep = controls.getByRole('checkbox', { name: 'Keep everything outside the mask exactly' });
    await expect(keep).toBeChecked();

    // Undo / redo by buttons and keys: the overlay and the disabled states follow.
    await undo.click();
    await expectButtons(undo, redo, false, true);
    await expect.poll(() => overlayAlpha(page, [mid, far])).toEqual([0, 0]);
    await expect(page.getByTestId('canvas-mode')).toHaveText('Starting from this photo');
    await page.keyboard.press(`Shift+${mod}+z`);
    await expectButtons(undo, redo, true, false);
    await expect.poll(() => overlayAlpha(page, [mid, far])).toEqual([255, 0]);
    await page.keyboard.press(`${mod}+z`);
    await expectButtons(undo, redo, false, true);
    await expect.poll(() => overlayAlpha(page, [mid, far])).toEqual([0, 0]);
    await redo.click();
    await expectButtons(undo, redo, true, false);
    await expect.poll(() => overlayAlpha(page, [mid, far])).toEqual([255, 0]);

    // Invert (Shift+I) paints everything else; undo brings the stroke back.
    await page.keyboard.press('Shift+I');
    await expect.poll(() => overlayAlpha(page, [mid, far])).toEqual([0, 255]);
    await page.keyboard.press(`${mod}+z`);
    await expect.poll(() => overlayAlpha(page, [mid, far])).toEqual([255, 0]);
    await expectButtons(undo, redo, true, true);

    // Hide mask (H) hides the overlay, painting shows it again.
    const hide = editor.getByRole('button', { name: 'Hide mask', exact: true });
    await page.keyboard.press('h');
    await expect(hide).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('h');
    await expect(hide).toHaveAttribute('aria-pressed', 'false');

    // The shortcuts overlay: "?" opens it, it lists every shortcut, Esc closes it.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    for (const t of [
      'Brush',
      'Eraser',
      'Smaller / larger brush',
      'Undo',
      'Redo',
      'Hide or show the mask',
      'Invert the mask',
      'Zoom in / out',
      'Fit the photo in the window',
      'Generate',
      'Studio / Gallery / Settings',
    ]) {
      await expect(help.getByText(t, { exact: false }).first()).toBeVisible();
    }
    await expect(help).toContainText(process.platform === 'darwin' ? '⌘' : 'Ctrl');
    await page.screenshot({ path: `${SHOTS}/studio-mask-help.png` });
    await page.keyboard.press('Escape');
    await expect(help).toHaveCount(0);
    // While the help was open no shortcut reached the canvas; now they do again.
    await page.keyboard.press('e');
    await expect(eraser).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('b');

    // Typing in the prompt does not paint or switch tools.
    const prompt = page.getByLabel('Describe the photo');
    await prompt.fill('subject wearing a navy blazer');
    await prompt.press('e');
    await expect(brush).toHaveAttribute('aria-pressed', 'true');
    await prompt.fill('subject wearing a navy blazer');

    // The finished look, with the brush cursor over the photo.
    const box = await imageBox(page);
    await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.62);
    await page.screenshot({ path: `${SHOTS}/studio-mask.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SHOTS}/studio-mask-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });

    // Keep-outside puts the result back into the photo: the size announced is the photo's own,
    // which is what main saves (issue 12, bug 9), not the 592 × 800 the model paints.
    await expect(page.getByTestId('canvas-output')).toContainText('Output: 600 × 800 px');
    await expect(page.getByTestId('output-size')).toContainText('600 × 800 px');
    await expect(page.getByTestId('generate-summary')).toContainText(
      '1 photo at 600 × 800, repainting the masked area',
    );

    // Generate: the mask crosses at the photo's full size; main saves it cut to the prepared crop.
    await page.getByRole('button', { name: 'Generate' }).click();
    const card = page.getByTestId('job-card').first();
    await expect(card).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
    const started = bridge.calls
      .filter((c) => c.channel === 'jobs:start')
      .map(
        (c) =>
          c.arg as {
            image?: { assetId: string };
            mask?: { width: number; height: number; data: Uint8Array };
            keepOutside?: boolean;
            input: Record<string, unknown>;
          },
      );
    expect(started).toHaveLength(1);
    expect(started[0]!.image?.assetId).toMatch(/^selfies\/.+\/display\.jpg$/);
    expect(started[0]!.mask).toMatchObject({ width: SRC.width, height: SRC.height });
    expect(started[0]!.keepOutside).toBe(true);
    expect(started[0]!.input.prompt_strength).toBe(0.75);

    const [run1] = await runFolders(bridge);
    expect(await savedSizes(run1!), 'the saved photo has the size the panel announced').toEqual([
      { width: 600, height: 800 },
    ]);
    const m = await readMask(run1!);
    const plan = planModelSize(SRC.width, SRC.height)!;
    expect(m.src).toEqual({ width: plan.width, height: plan.height });
    expect({ width: m.meta.width, height: m.meta.height, channels: m.meta.channels, depth: m.meta.depth }).toEqual({
      width: m.src.width,
      height: m.src.height,
      channels: 1,
      depth: 'uchar',
    });
    expect(m.info.channels).toBe(1);
    expect(new Set(m.data)).toEqual(new Set([0, 255]));
    // image px → mask px: cut by the crop, scaled to the prepared size.
    const kx = plan.width / plan.crop.width;
    const ky = plan.height / plan.crop.height;
    const at = (ix: number, iy: number) =>
      m.data[Math.floor((iy - plan.crop.top) * ky) * m.info.width + Math.floor((ix - plan.crop.left) * kx)]!;
    const radius = 18; // 36 px brush
    for (let t = 0; t <= 1; t += 0.1) {
      const x = a.x + (b.x - a.x) * t;
      expect(at(x, a.y), `on the stroke at x=${x.toFixed(1)}`).toBe(255);
      expect(at(x, a.y - radius + 3), 'just inside the top edge').toBe(255);
      expect(at(x, a.y + radius - 3), 'just inside the bottom edge').toBe(255);
      expect(at(x, a.y - radius - 3), 'just above the stroke').toBe(0);
      expect(at(x, a.y + radius + 3), 'just below the stroke').toBe(0);
    }
    expect(at(a.x - radius - 3, a.y), 'left of the start cap').toBe(0);
    expect(at(b.x + radius + 3, b.y), 'right of the end cap').toBe(0);
    expect(at(far.x, far.y)).toBe(0);
    expect(at(plan.crop.left + 2, plan.crop.top + 2)).toBe(0);
    // Area: a capsule of the stroke's length and the brush's width (within the stroke's own
    // rasterisation tolerance).
    const white = m.data.reduce((n, v) => n + (v === 255 ? 1 : 0), 0);
    const expected = (b.x - a.x) * 2 * radius + Math.PI * radius * radius;
    expect(Math.abs(white - expected) / expected).toBeLessThan(0.06);

    // Generate turned the centre to the result; back to the painter (its mask is still there).
    await page.getByTestId('centre-switch').getByRole('button', { name: 'Edit the starting photo' }).click();
    // Inverted, with "keep outside" off: the far area is white, the stroke black.
    await page.keyboard.press('Shift+I');
    await expect.poll(() => overlayAlpha(page, [mid, far])).toEqual([0, 255]);
    await controls.getByRole('checkbox', { name: 'Keep everything outside the mask exactly' }).uncheck();
    await expect(page.getByTestId('canvas-output')).toHaveText('Output: 592 × 800 px');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(page.getByTestId('job-card')).toHaveCount(2);
    await expect(page.getByTestId('job-card').first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
    const second = bridge.calls.filter((c) => c.channel === 'jobs:start')[1]!.arg as { keepOutside?: boolean };
    expect(second.keepOutside ?? false).toBe(false);
    const runs = await runFolders(bridge);
    expect(runs).toHaveLength(2);
    expect(await savedSizes(runs[1]!), 'without keep-outside the model’s own size is saved').toEqual([
      { width: 592, height: 800 },
    ]);
    const m2 = await readMask(runs[1]!);
    const at2 = (ix: number, iy: number) =>
      m2.data[Math.floor((iy - plan.crop.top) * ky) * m2.info.width + Math.floor((ix - plan.crop.left) * kx)]!;
    expect(at2((a.x + b.x) / 2, a.y)).toBe(0);
    expect(at2(far.x, far.y)).toBe(255);
    expect(at2(plan.crop.left + 2, plan.crop.top + 2)).toBe(255);

    // "Stop using this photo" returns to the honest empty state.
    await page.getByTestId('centre-switch').getByRole('button', { name: 'Edit the starting photo' }).click();
    await editor.getByRole('button', { name: 'Stop using this photo' }).click();
    await expect(page.getByTestId('canvas-slot')).toContainText('Pick a selfie or a result to start from it');
  });

  test('the mask is kept when leaving the studio and coming back', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('selfie-input').setInputFiles(['test/fixtures/selfie-exif6.jpg']);
    await expect(page.getByText('Added 1 selfie.')).toBeVisible();
    await page
      .getByRole('region', { name: 'Your selfies' })
      .getByRole('button', { name: 'Selfie selfie-exif6.jpg', exact: true })
      .click();
    await expect.poll(() => page.locator('img[data-layer="base-image"]').evaluate(naturalWidth)).toBe(SRC.width);
    const { a, b } = await paint(page, 0.3, 0.7, 0.5);
    const mid = { x: (a.x + b.x) / 2, y: a.y };
    await expect.poll(() => overlayAlpha(page, [mid])).toEqual([255]);

    await page.keyboard.press(`${mod}+2`);
    await expect(page.getByTestId('gallery')).toBeVisible();
    await page.keyboard.press(`${mod}+1`);
    await expect(page.getByTestId('mask-editor')).toBeVisible();
    await expect.poll(() => page.locator('img[data-layer="base-image"]').evaluate(naturalWidth)).toBe(SRC.width);
    await expect.poll(() => overlayAlpha(page, [mid])).toEqual([255]);
    await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeEnabled();
    await expect(page.getByTestId('canvas-mode')).toHaveText('Repainting the masked area');
  });
});
