/**
 * The newest photo large in the studio (issue 12), in Chromium against the real main handlers
 * and the Replicate simulator: after Generate the centre shows the newest photo (fit and 100 %),
 * the run's filmstrip, ← → / K / Esc; a click on a result shows it there and the studio stays;
 * img2img and inpainting runs compare against the starting photo (press and hold), and the
 * viewer and the mask painter take turns without losing the mask Generate sends.
 * Screenshots in test-results/screenshots/: studio-result.png (1280 × 800, light), studio-result-
 * before.png, studio-result-1024.png (1024 × 700).
 */
import type { Locator, Page } from '@playwright/test';
import type { RunDetailT, RunSummaryT } from '../../shared/ipc/contract';
import { GOOD_TOKEN, expect, openApp, test, type StudioBridge } from './bridge';

const SHOTS = 'test-results/screenshots';
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

// Page-side helpers typed loosely: the node tsconfig has no DOM lib.
const natural = (el: unknown) => ({
  w: (el as { naturalWidth: number }).naturalWidth,
  h: (el as { naturalHeight: number }).naturalHeight,
});

test.use({ seedToken: GOOD_TOKEN });

async function runByPrompt(bridge: StudioBridge, prompt: string): Promise<RunDetailT> {
  await bridge.flushEvents();
  const list = await bridge.invoke('library:list');
  if (!list.ok) throw new Error(list.error.message);
  const summary = (list.value as RunSummaryT[]).find((r) => r.prompt === prompt);
  if (!summary) throw new Error(`no run for “${prompt}”`);
  const d = await bridge.invoke('library:get', { runId: summary.id });
  if (!d.ok) throw new Error(d.error.message);
  return d.value as RunDetailT;
}

async function generate(page: Page, prompt: string, photos = 1) {
  await page.getByLabel('Describe the photo').fill(prompt);
  await page.getByRole('textbox', { name: 'Number of photos' }).fill(String(photos));
  await page.getByRole('button', { name: 'Generate' }).click();
}

/** The photo the centre shows, once it has loaded. */
async function shownPhoto(page: Page): Promise<Locator> {
  const photo = page.getByTestId('stage-photo');
  await expect(photo).toBeVisible();
  await expect.poll(async () => (await photo.evaluate(natural)).w).toBeGreaterThan(0);
  return photo;
}

test('after Generate the centre shows the newest photo large: filmstrip, ← →, K, fit and 100 %, Esc; a result clicked shows there and the studio stays', async ({
  page,
  bridge,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);
  const slot = page.getByTestId('canvas-slot');
  await expect(slot).toHaveAttribute('data-shows', 'empty');

  const FIRST = 'subject on a rooftop at dusk, city lights';
  await page.getByRole('radio', { name: /^16:9/ }).click();
  await generate(page, FIRST);
  // The centre turns to the run at once (its progress), then shows its photo.
  await expect(slot).toHaveAttribute('data-shows', 'result');
  const cards = page.getByTestId('job-card');
  await expect(cards.first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  const first = await runByPrompt(bridge, FIRST);
  let photo = await shownPhoto(page);
  await expect(photo).toHaveAttribute('src', new RegExp(`${first.images[0]!.id}$`));

  // Two photos of a portrait scene: the newest run is shown, its filmstrip has both.
  const PROMPT = 'subject with a coffee cup, soft window light';
  await page.getByRole('radio', { name: /^4:5/ }).click();
  await generate(page, PROMPT, 2);
  await expect(cards).toHaveCount(2);
  await expect(cards.first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  const run = await runByPrompt(bridge, PROMPT);
  photo = await shownPhoto(page);
  await expect(photo).toHaveAttribute('src', new RegExp(`${run.images[0]!.id}$`));
  expect(await photo.evaluate(natural)).toEqual({ w: run.images[0]!.width, h: run.images[0]!.height });
  await expect(page.getByTestId('result-meta')).toContainText(
    `Photo 1 of 2 · ${run.images[0]!.width} × ${run.images[0]!.height} · seed ${run.seed}`,
  );
  const strip = page.getByTestId('filmstrip').getByRole('button', { name: /^Photo \d of 2$/ });
  await expect(strip).toHaveCount(2);
  await expect(strip.first()).toHaveAttribute('aria-current', 'true');
  // Fitted whole, in its own shape: the frame has the photo's aspect ratio and fits the stage;
  // the Fit button says at what scale.
  const frame = page.getByTestId('stage-frame');
  const viewport = page.getByTestId('stage-viewport');
  const fb = (await frame.boundingBox())!;
  const vb = (await viewport.boundingBox())!;
  expect(Math.abs(fb.width / fb.height - run.images[0]!.width / run.images[0]!.height)).toBeLessThan(0.01);
  expect(fb.height).toBeLessThanOrEqual(vb.height);
  expect(fb.height).toBeGreaterThan(vb.height * 0.7);
  const fitText = (await page.getByTestId('stage-fit-scale').textContent())!;
  expect(fitText).toMatch(/^\d+ %$/);
  expect(Math.abs(parseInt(fitText, 10) - (fb.height / run.images[0]!.height) * 100)).toBeLessThanOrEqual(1);
  // The card's photo that is shown is marked, and its frame is not cropped to a square.
  const card = page.getByRole('article', { name: /coffee cup/ });
  const thumb = card.locator('.thumb').first();
  await expect(thumb).toHaveClass(/is-shown/);
  const tb = (await thumb.boundingBox())!;
  expect(Math.abs(tb.width / tb.height - run.images[0]!.width / run.images[0]!.height)).toBeLessThan(0.02);

  await page.getByLabel('Describe the photo').scrollIntoViewIfNeeded();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/studio-result.png`, animations: 'disabled' });

  // → the second photo; K keeps it (main writes run.json).
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('stage-photo')).toHaveAttribute('src', new RegExp(`${run.images[1]!.id}$`));
  await expect(strip.nth(1)).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('k');
  await expect
    .poll(() => bridge.calls.filter((c) => c.channel === 'library:setFlag').map((c) => c.arg))
    .toEqual([{ items: [{ runId: run.id, index: run.images[1]!.index }], flag: 'pick' }]);
  await expect(page.getByTestId('result-stage').getByRole('button', { name: 'Picked' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(card.getByRole('button', { name: 'Picked' })).toHaveCount(1);
  // → again: past the run's end, on into the older run.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('stage-photo')).toHaveAttribute('src', new RegExp(`${first.images[0]!.id}$`));
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('stage-photo')).toHaveAttribute('src', new RegExp(`${run.images[1]!.id}$`));

  // 100 %: a click on the photo; one photo pixel per CSS pixel; Esc fits again.
  await page.getByTestId('stage-photo').click();
  await expect(viewport).toHaveAttribute('data-zoom', 'actual');
  const actual = (await frame.boundingBox())!;
  expect([Math.round(actual.width), Math.round(actual.height)]).toEqual([run.images[1]!.width, run.images[1]!.height]);
  // Dragging moves it.
  const before = await viewport.evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop);
  const vbox = (await viewport.boundingBox())!;
  await page.mouse.move(vbox.x + vbox.width / 2, vbox.y + vbox.height / 2);
  await page.mouse.down();
  await page.mouse.move(vbox.x + vbox.width / 2, vbox.y + vbox.height / 2 - 120, { steps: 6 });
  await page.mouse.up();
  await expect
    .poll(() => viewport.evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop))
    .toBeGreaterThan(before + 60);
  await expect(viewport).toHaveAttribute('data-zoom', 'actual'); // a drag is not a click
  await page.keyboard.press('Escape');
  await expect(viewport).toHaveAttribute('data-zoom', 'fit');
  await page.getByRole('group', { name: 'Photo', exact: true }).getByRole('button', { name: '100 %' }).click();
  await expect(viewport).toHaveAttribute('data-zoom', 'actual');
  await page.getByRole('group', { name: 'Photo', exact: true }).getByRole('button', { name: 'Fit' }).click();
  await expect(viewport).toHaveAttribute('data-zoom', 'fit');

  // Esc again: back to the start; the newest photo is one click away.
  await page.keyboard.press('Escape');
  await expect(slot).toHaveAttribute('data-shows', 'empty');
  await expect(slot).toContainText('Pick a selfie or a result to start from it');
  await slot.getByRole('button', { name: 'Show the newest photo' }).click();
  await expect(slot).toHaveAttribute('data-shows', 'result');
  await expect(page.getByTestId('stage-photo')).toHaveAttribute('src', new RegExp(`${run.images[0]!.id}$`));

  // A click on a result card's photo shows it in the centre: the studio stays.
  await page
    .getByRole('article', { name: /rooftop/ })
    .getByRole('button', { name: 'Show photo 1 large' })
    .click();
  await expect(page.getByTestId('studio')).toBeVisible();
  await expect(page.getByTestId('stage-photo')).toHaveAttribute('src', new RegExp(`${first.images[0]!.id}$`));
  // The run's page is an explicit control: in the card and in the centre.
  await page.getByTestId('result-stage').getByRole('button', { name: 'Run details' }).click();
  await expect(page.getByTestId('run-detail')).toBeVisible();
  await expect(page.getByTestId('run-detail')).toContainText('rooftop at dusk');
  await page.keyboard.press(`${mod}+1`);
  await card.getByRole('button', { name: 'Details' }).click();
  await expect(page.getByTestId('run-detail')).toContainText('coffee cup');
});

/** The painter's photo box. */
async function baseBox(page: Page) {
  const box = await page.locator('img[data-layer="base-image"]').boundingBox();
  if (!box) throw new Error('no base image');
  return box;
}

test('img2img and inpainting: the result large with a press-and-hold before/after; the viewer and the painter take turns, and Generate still sends the mask', async ({
  page,
  bridge,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);
  await page.getByTestId('selfie-input').setInputFiles(['test/fixtures/selfie-exif6.jpg']);
  await expect(page.getByText('Added 1 selfie.')).toBeVisible();
  await page.getByTestId('import-result').getByRole('button', { name: 'Dismiss', exact: true }).click();
  const slot = page.getByTestId('canvas-slot');
  const pickSelfie = () =>
    page
      .getByRole('region', { name: 'Your selfies' })
      .getByRole('button', { name: 'Selfie selfie-exif6.jpg', exact: true })
      .click();
  await pickSelfie();
  await expect(slot).toHaveAttribute('data-shows', 'editor');
  await expect(page.getByTestId('centre-switch')).toHaveCount(0); // nothing to view yet

  // img2img at strength 0.6.
  const PROMPT = 'subject in a navy blazer, office background';
  await page.getByTestId('canvas-controls').getByRole('slider', { name: 'Strength' }).fill('0.6');
  await page.getByLabel('Describe the photo').fill(PROMPT);
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(slot).toHaveAttribute('data-shows', 'result');
  const sw = page.getByTestId('centre-switch');
  await expect(sw.getByRole('button', { name: 'Result' })).toHaveAttribute('aria-pressed', 'true');
  await expect(sw.getByRole('button', { name: 'Edit the starting photo' })).toHaveAttribute('aria-pressed', 'false');
  const card = page.getByTestId('job-card').first();
  await expect(card).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  const run = await runByPrompt(bridge, PROMPT);
  expect(run.mode).toBe('img2img');
  await shownPhoto(page);
  // The strength used: on the card and in the centre.
  await expect(card.getByTestId('job-strength')).toHaveText('From a photo · strength 0.60');
  await expect(page.getByTestId('result-meta')).toContainText('From a photo · strength 0.60');

  // Before: held with the mouse, the starting photo (main's prepared copy) takes the photo's place.
  const beforeImg = page.getByTestId('stage-before');
  const beforeButton = page.getByRole('button', { name: 'Before: hold to see the starting photo' });
  await expect(beforeImg).toBeHidden();
  await expect(beforeImg).toHaveAttribute('src', new RegExp(`${run.source!.id}$`));
  await beforeButton.hover();
  await page.mouse.down();
  await expect(beforeImg).toBeVisible();
  await expect(beforeButton).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await beforeImg.evaluate(natural)).w).toBe(run.source!.width);
  // Exactly over the result.
  expect(await beforeImg.boundingBox()).toEqual(await page.getByTestId('stage-photo').boundingBox());
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/studio-result-before.png`, animations: 'disabled' });
  await page.mouse.up();
  await expect(beforeImg).toBeHidden();
  // And with B held.
  await page.keyboard.down('b');
  await expect(beforeImg).toBeVisible();
  await page.keyboard.up('b');
  await expect(beforeImg).toBeHidden();

  // To the painter and back: the switch says which one the centre shows.
  await sw.getByRole('button', { name: 'Edit the starting photo' }).click();
  await expect(slot).toHaveAttribute('data-shows', 'editor');
  await expect(page.getByTestId('mask-editor')).toContainText('Selfie “selfie-exif6.jpg”');
  // Paint a stroke: inpainting.
  const box = await baseBox(page);
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.4, { steps: 12 });
  await page.mouse.up();
  await expect(page.getByTestId('canvas-mode')).toHaveText('Repainting the masked area');
  await sw.getByRole('button', { name: 'Result' }).click();
  await expect(slot).toHaveAttribute('data-shows', 'result');
  // The painter is covered, yet Generate sends its mask: an inpainting run.
  const INPAINT = 'subject in a navy blazer, a red scarf';
  await page.getByLabel('Describe the photo').fill(INPAINT);
  await expect(page.getByTestId('generate-summary')).toContainText('repainting the masked area');
  await page.keyboard.press(`${mod}+Enter`);
  await expect(page.getByTestId('job-card')).toHaveCount(2);
  await expect(page.getByTestId('job-card').first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  const starts = bridge.calls
    .filter((c) => c.channel === 'jobs:start')
    .map((c) => c.arg as { mask?: { width: number; height: number }; image?: { assetId: string } });
  expect(starts).toHaveLength(2);
  expect(starts[0]!.mask).toBeUndefined();
  expect(starts[1]!.mask).toMatchObject({ width: 600, height: 800 });
  const inpaint = await runByPrompt(bridge, INPAINT);
  expect(inpaint.mode).toBe('inpaint');
  await expect(page.getByTestId('stage-photo')).toHaveAttribute('src', new RegExp(`${inpaint.images[0]!.id}$`));
  await expect(page.getByTestId('result-meta')).toContainText('Repainted area · strength 0.60');
  await expect(page.getByTestId('stage-before')).toHaveAttribute('src', new RegExp(`${inpaint.source!.id}$`));

  // Esc returns to the painter (the starting photo is still picked), its mask still there.
  // Not while typing: Esc in the prompt leaves the centre alone.
  await page.keyboard.press('Escape');
  await expect(slot).toHaveAttribute('data-shows', 'result');
  await page.getByTestId('result-meta').click(); // focus out of the prompt
  await page.keyboard.press('Escape');
  await expect(slot).toHaveAttribute('data-shows', 'editor');
  await expect(page.getByTestId('canvas-mode')).toHaveText('Repainting the masked area');

  // "Start from this" on a result opens the painter on it.
  await sw.getByRole('button', { name: 'Result' }).click();
  await page
    .getByRole('group', { name: 'Photo', exact: true })
    .getByRole('button', { name: 'Start from this' })
    .click();
  await expect(slot).toHaveAttribute('data-shows', 'editor');
  await expect(page.getByTestId('mask-editor')).toContainText('Result 1 of “subject in a navy blazer, a red scarf”');

  // A photo arriving while the person edits does not take the centre: "Result" says new.
  await pickSelfie();
  await page.getByLabel('Describe the photo').fill('subject in a linen shirt');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(slot).toHaveAttribute('data-shows', 'result');
  await sw.getByRole('button', { name: 'Edit the starting photo' }).click();
  await expect(page.getByTestId('job-card').first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  await expect(slot).toHaveAttribute('data-shows', 'editor');
  await expect(sw.getByRole('button', { name: /Result/ })).toContainText('new');

  // At 1024 × 700 everything still fits: the switch, the header, the bar and the filmstrip.
  await sw.getByRole('button', { name: /Result/ }).click();
  await page.setViewportSize({ width: 1024, height: 700 });
  await shownPhoto(page);
  const stage = (await page.getByTestId('stage-viewport').boundingBox())!;
  const bar = (await page.getByRole('group', { name: 'Photo', exact: true }).boundingBox())!;
  expect(bar.x).toBeGreaterThanOrEqual(stage.x);
  expect(bar.x + bar.width).toBeLessThanOrEqual(stage.x + stage.width);
  for (const name of ['Run details', 'Close the photo']) {
    const b = (await page.getByTestId('result-stage').getByRole('button', { name }).boundingBox())!;
    expect(b.x + b.width, name).toBeLessThanOrEqual(stage.x + stage.width + 1);
  }
  const photoBox = (await page.getByTestId('stage-frame').boundingBox())!;
  expect(photoBox.y).toBeGreaterThanOrEqual(bar.y + bar.height); // the bar never covers the fitted photo
  expect(photoBox.y + photoBox.height).toBeLessThanOrEqual(stage.y + stage.height);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/studio-result-1024.png`, animations: 'disabled' });
});

test.describe('while a run is generating', () => {
  // A simulator slow enough to see the steps (150 ms each).
  test.use({ simTiming: { bootMs: 0, stepMs: 150 } });

  test('the centre shows its progress over the starting photo, dimmed, then the photo in its place', async ({
    page,
    bridge,
  }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page);
    await page.getByTestId('selfie-input').setInputFiles(['test/fixtures/selfie-exif6.jpg']);
    await expect(page.getByText('Added 1 selfie.')).toBeVisible();
    await page.getByTestId('import-result').getByRole('button', { name: 'Dismiss', exact: true }).click();
    await page
      .getByRole('region', { name: 'Your selfies' })
      .getByRole('button', { name: 'Selfie selfie-exif6.jpg', exact: true })
      .click();
    const PROMPT = 'subject in a camel coat, autumn street';
    await page.getByLabel('Describe the photo').fill(PROMPT);
    await page.getByRole('button', { name: 'Generate' }).click();

    const pending = page.getByTestId('stage-pending');
    await expect(pending).toBeVisible();
    await expect(pending.getByText(/^Step \d+ of \d+/)).toBeVisible({ timeout: 30_000 });
    const base = pending.locator('img');
    await expect(base).toHaveAttribute('src', /selfies\/.+\/display\.jpg$/);
    // The frame already has the photo's shape (592 × 800, as main prepares the selfie).
    const fb = (await page.getByTestId('stage-frame').boundingBox())!;
    expect(Math.abs(fb.width / fb.height - 592 / 800)).toBeLessThan(0.01);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SHOTS}/studio-result-pending.png`, animations: 'disabled' });

    await expect(page.getByTestId('job-card').first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
    const run = await runByPrompt(bridge, PROMPT);
    await expect(pending).toHaveCount(0);
    await expect(page.getByTestId('stage-photo')).toHaveAttribute('src', new RegExp(`${run.images[0]!.id}$`));
  });
});

test('a failed run offers Try again: the same request (photo and mask included) goes through jobs.start again, and its card takes the failed one’s place', async ({
  page,
  bridge,
}) => {
  await openApp(page);
  await page.getByTestId('selfie-input').setInputFiles(['test/fixtures/selfie-exif6.jpg']);
  await expect(page.getByText('Added 1 selfie.')).toBeVisible();
  await page.getByTestId('import-result').getByRole('button', { name: 'Dismiss', exact: true }).click();
  await page
    .getByRole('region', { name: 'Your selfies' })
    .getByRole('button', { name: 'Selfie selfie-exif6.jpg', exact: true })
    .click();
  const box = await baseBox(page);
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 10 });
  await page.mouse.up();
  // "[oom]": the simulator's model runs out of GPU memory.
  await generate(page, 'subject in a green dress [oom]', 2);
  const card = page.getByTestId('job-card').first();
  await expect(card).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await expect(card).toContainText('ran out of memory');
  await expect(card).toContainText('Fewer photos at once, or a smaller size, need less memory.');
  // Nothing to show large: the centre goes back to the painter.
  await expect(page.getByTestId('canvas-slot')).toHaveAttribute('data-shows', 'editor');

  await card.getByRole('button', { name: 'Try again', exact: true }).click();
  await expect.poll(() => bridge.calls.filter((c) => c.channel === 'jobs:start').length).toBe(2);
  const [a, b] = bridge.calls
    .filter((c) => c.channel === 'jobs:start')
    .map((c) => c.arg as { mask?: { data: Uint8Array }; image?: unknown; input: Record<string, unknown> });
  expect(b).toEqual({ ...a, repeat: true }); // the same request, marked deliberate (not a double click)
  expect(b!.mask?.data.some((v) => v === 255)).toBe(true);
  await expect.poll(() => bridge.calls.some((c) => c.channel === 'jobs:dismiss')).toBe(true);
  await expect(page.getByTestId('job-card')).toHaveCount(1);
  await expect(page.getByTestId('job-card').first()).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });

  // With 1 photo: the same request, one photo.
  await page.getByTestId('job-card').first().getByRole('button', { name: 'With 1 photo' }).click();
  await expect.poll(() => bridge.calls.filter((c) => c.channel === 'jobs:start').length).toBe(3);
  const c = bridge.calls.filter((x) => x.channel === 'jobs:start')[2]!.arg as { input: Record<string, unknown> };
  expect(c.input).toEqual({ ...a!.input, num_outputs: 1 });
  await expect(page.getByTestId('job-card')).toHaveCount(1);
});
