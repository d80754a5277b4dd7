/**
 * Training in Chromium through the real handlers, against the simulator: real face photos dropped
 * on the Train view are checked by the face model in worker threads (the built
 * dist-electron/set-check-worker.js), the verdicts show in words, excluding one changes the
 * summary, and it all survives a reload; then the form (Simple and Advanced from the trainer's
 * schema, the estimate), Train, the progress from the trainer's logs (also after a reload), the
 * first test photo, and the new model picked in the studio generates a photo.
 * Screenshots: test-results/screenshots/training.png (light) and training-dark.png; the form and
 * the progress in test-results/screenshots/train-*.png.
 */
import sharp from 'sharp';
import { ACCOUNT, GOOD_TOKEN, openApp, test, expect } from './bridge';
import { jpeg, portrait, PORTRAITS } from '../fixtures/faces/real-photos';

const SHOTS = 'test-results/screenshots';
const FORM_SHOTS = SHOTS;

test.use({ seedToken: GOOD_TOKEN });

type Page = import('@playwright/test').Page;

/** Drops files on the Train view's drop zone the way a person's drag does (a real DataTransfer). */
async function drop(page: Page, files: Array<{ name: string; b64: string }>): Promise<void> {
  await page.getByTestId('training-drop').evaluate((zone, list) => {
    // DOM types are not in this (Node) project: the page's own constructors, typed as used here
    const g = globalThis as unknown as {
      DataTransfer: new () => { items: { add(f: unknown): void } };
      DragEvent: new (type: string, init: object) => unknown;
      File: new (parts: unknown[], name: string, opts: object) => unknown;
    };
    const dt = new g.DataTransfer();
    for (const f of list)
      dt.items.add(new g.File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: 'image/jpeg' }));
    const target = zone as unknown as { dispatchEvent(e: unknown): boolean };
    target.dispatchEvent(new g.DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new g.DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

async function theSet(): Promise<Array<{ name: string; b64: string }>> {
  const big = await jpeg(await portrait(9));
  const files: Array<[string, Buffer]> = [
    ['me-window.jpg', await jpeg(await portrait(0))],
    ['me-smile.jpg', await jpeg(await portrait(4))],
    ['me-big.jpg', big],
    ['me-copy.jpg', await sharp(big).resize(540).jpeg({ quality: 80 }).toBuffer()],
    [
      'me-shaky.jpg',
      await sharp(await jpeg(await portrait(2)))
        .blur(2.5)
        .jpeg({ quality: 90 })
        .toBuffer(),
    ],
  ];
  return files.map(([name, b]) => ({ name, b64: b.toString('base64') }));
}

const card = (page: Page, file: string) => page.locator(`[data-testid="training-photo"][data-file="${file}"]`);

test('drop a set, see the verdicts, exclude one, see the summary change', async ({ page, bridge }) => {
  test.setTimeout(240_000);
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);
  // the fourth view: Cmd/Ctrl+4, after Studio, Gallery and Settings
  await page.keyboard.press('Control+4');
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Train' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page.getByText(/the studio then makes photos of your face/)).toBeVisible();

  // a real drop of real files on the drop zone
  const files = await theSet();
  await drop(page, files);

  await expect(page.getByText('Added 5 photos')).toBeVisible();
  await expect(page.getByTestId('training-progress')).toBeVisible();
  await expect(page.getByTestId('training-progress')).toHaveCount(0, { timeout: 200_000 });
  await expect(page.getByTestId('training-photo')).toHaveCount(5);

  await expect(card(page, 'me-copy.jpg').getByTestId('training-verdict')).toHaveText('Duplicate');
  await expect(card(page, 'me-copy.jpg')).toContainText('Duplicate of "me-big.jpg" (the same picture)');
  await expect(card(page, 'me-shaky.jpg').getByTestId('training-verdict')).toHaveText('Blurry');
  await expect(card(page, 'me-shaky.jpg').getByRole('switch')).toHaveAttribute('aria-checked', 'false');
  for (const f of ['me-window.jpg', 'me-smile.jpg', 'me-big.jpg']) {
    await expect(card(page, f)).toHaveAttribute('data-tone', 'advice'); // 600 × 780: the low-resolution note
    await expect(card(page, f).getByRole('switch')).toHaveAttribute('aria-checked', 'true');
  }
  const summary = page.getByTestId('training-summary');
  await expect(summary).toContainText('3 usable photos · 2 excluded · Add at least 10');
  // tall enough for the whole view (the page scrolls inside the window, so fullPage would not show it)
  await page.setViewportSize({ width: 1280, height: 1240 });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/training.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SHOTS}/training-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });

  // the person leaves one out
  await card(page, 'me-smile.jpg').getByRole('switch').click();
  await expect(summary).toContainText('2 usable photos · 3 excluded · Add at least 10');
  await expect(card(page, 'me-smile.jpg')).toContainText('Left out by you');

  // kept in main: a reload shows the same set and choices
  await page.reload();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Train' }).click();
  await expect(page.getByTestId('training-summary')).toContainText('2 usable photos · 3 excluded · Add at least 10');
  expect(bridge.calls.map((c) => c.channel)).toEqual(
    expect.arrayContaining(['trainingset:add', 'trainingset:check', 'trainingset:setIncluded']),
  );
});

/** Ten real portraits of different people, two of them mirrored too (not duplicates), a copy and a blurred one. */
async function aFullSet(): Promise<Array<{ name: string; b64: string }>> {
  const files: Array<[string, Buffer]> = [];
  for (let i = 0; i < PORTRAITS; i++) files.push([`me-${i}.jpg`, await jpeg(await portrait(i))]);
  files.push(['me-0-mirror.jpg', await jpeg((await portrait(0)).flop())]);
  files.push(['me-4-mirror.jpg', await jpeg((await portrait(4)).flop())]);
  files.push(['me-copy.jpg', await sharp(files[9]![1]).resize(540).jpeg({ quality: 80 }).toBuffer()]);
  files.push(['me-shaky.jpg', await sharp(files[2]![1]).blur(2.5).jpeg({ quality: 90 }).toBuffer()]);
  return files.map(([name, b]) => ({ name, b64: b.toString('base64') }));
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: `${FORM_SHOTS}/train-${name}-light.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${FORM_SHOTS}/train-${name}-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });
}

test.describe('train from the set', () => {
  // 40 ms a step: 300 steps take 12 s, long enough to watch (and reload) while it runs
  test.use({ simTrainingTiming: { bootMs: 500, stepMs: 40, setupMs: 300 } });

  test('fill the form, train, watch progress to done, the first test photo, then generate with the new model', async ({
    page,
    bridge,
  }) => {
    test.setTimeout(420_000);
    await openApp(page);
    await page.keyboard.press('Control+4');
    await drop(page, await aFullSet());
    await expect(page.getByText('Added 14 photos')).toBeVisible();
    await expect(page.getByTestId('training-progress')).toHaveCount(0, { timeout: 300_000 });
    await expect(card(page, 'me-copy.jpg').getByTestId('training-verdict')).toHaveText('Duplicate');
    await expect(card(page, 'me-shaky.jpg').getByTestId('training-verdict')).toHaveText('Blurry');
    const summary = page.getByTestId('training-summary');
    await expect(summary).toContainText('12 usable photos · 2 excluded · Ready for training');
    // the person leaves one out
    await card(page, 'me-7.jpg').getByRole('switch').click();
    await expect(summary).toContainText('11 usable photos · 3 excluded · Ready for training');

    // the form: a name, the suggested trigger word (explained), Simple with a preset, the estimate
    const form = page.getByTestId('train-form');
    await expect(form).toContainText('11 photos go in');
    await form.getByLabel('Model name').fill('Ada Brand');
    await form.getByLabel('Model name').blur();
    await expect(form.getByLabel('Model name')).toHaveValue('ada-brand');
    await expect(form).toContainText(`Your private model on Replicate: ${ACCOUNT.username}/ada-brand`);
    const trigger = form.getByLabel('Trigger word');
    await expect(trigger).toHaveValue(/^[A-Z]{6}$/);
    await expect(form).toContainText('The word that means your face in a prompt.');
    // a real word is refused in words, before anything is sent
    await trigger.fill('woman');
    await expect(form).toContainText('"woman" is a word the model already knows');
    await expect(form.getByRole('button', { name: 'Train' })).toBeDisabled();
    await form.getByRole('button', { name: 'Suggest another' }).click();
    await expect(trigger).toHaveValue(/^[A-Z]{6}$/);
    const triggerWord = await trigger.inputValue();
    await form.getByRole('radio', { name: 'Quick' }).click();
    const estimate = page.getByTestId('training-estimate');
    await expect(estimate).toContainText(/600 steps · about 15 min · about \$1\.\d\d/);
    await expect(estimate).toContainText('training-prices.json');
    await page.setViewportSize({ width: 1280, height: 900 });
    await form.scrollIntoViewIfNeeded();
    await shoot(page, 'form-simple');

    // Advanced: the trainer's own inputs from its schema, starting from the preset's
    await form.getByRole('radio', { name: 'Advanced' }).click();
    const fields = page.getByTestId('trainer-fields');
    await expect(fields.getByLabel('Steps', { exact: true })).toHaveValue('600');
    await expect(fields.getByLabel('Lora Rank', { exact: true })).toHaveValue('16');
    await expect(fields).toContainText('Learning Rate');
    await expect(fields.getByRole('switch', { name: 'Autocaption' })).toHaveAttribute('aria-checked', 'true');
    await fields.getByLabel('Steps', { exact: true }).fill('7000');
    await expect(fields).toContainText('Steps must be between');
    await expect(form.getByRole('button', { name: 'Train' })).toBeDisabled();
    await fields.getByLabel('Steps', { exact: true }).fill('300');
    await expect(estimate).toContainText('300 steps');
    await fields.scrollIntoViewIfNeeded();
    await shoot(page, 'form-advanced');

    // Train, and watch it
    await form.getByRole('button', { name: 'Train' }).click();
    const training = page.getByTestId('training-card');
    await expect(training).toContainText(`${ACCOUNT.username}/ada-brand · 11 photos · trigger word ${triggerWord}`);
    await expect(training).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
    await expect(training.getByTestId('training-facts')).toContainText(/Step \d+ of 300/, { timeout: 30_000 });
    await expect(training.getByTestId('training-facts')).toContainText(/Elapsed .* · About .* left · About \$/);
    await expect(training.getByTestId('training-state')).toHaveText('Training your model…');
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await training.scrollIntoViewIfNeeded();
    await shoot(page, 'progress');
    // a reload of the view loses nothing: the list, then the events
    await page.reload();
    await page.keyboard.press('Control+4');
    await expect(page.getByTestId('training-card')).toContainText(`${ACCOUNT.username}/ada-brand`);
    await expect(page.getByTestId('training-card')).toHaveAttribute('data-state', 'succeeded', { timeout: 90_000 });
    await expect(page.getByTestId('training-state')).toHaveText('Your model is ready');
    await expect(page.getByTestId('training-facts')).toContainText(/Took .* · \$\d+\.\d\d \(\d+ s billed/);
    expect(bridge.sim.trainingStats().trainingsCreated).toBe(1);
    expect(bridge.sim.trainings()[0]!.input).toMatchObject({ steps: 300, lora_rank: 16, trigger_word: triggerWord });

    // the first test photo ran by itself, as a normal run of the library
    const first = page.getByTestId('first-photo');
    await expect(first.getByRole('img', { name: `First test photo of ${ACCOUNT.username}/ada-brand` })).toBeVisible({
      timeout: 60_000,
    });
    await shoot(page, 'done');

    // the new model in the studio's picker; its trigger word goes into the prompt
    await page.keyboard.press('Control+1');
    await page.getByRole('textbox', { name: 'Describe the photo' }).fill('at a desk in a sunny office');
    await page.locator('.model-line').getByRole('button', { name: 'Change' }).click();
    const picker = page.getByTestId('model-picker');
    await expect(picker).toContainText(`${ACCOUNT.username}/ada-brand`);
    await expect(picker).toContainText(`trigger word ${triggerWord}`);
    await picker.getByRole('button', { name: new RegExp(`${ACCOUNT.username}/ada-brand`) }).click();
    await expect(page.locator('.model-name')).toHaveText(new RegExp(`^${ACCOUNT.username}/ada-brand:[0-9a-f]{64}$`));
    await expect(page.getByRole('textbox', { name: 'Describe the photo' })).toHaveValue(
      `${triggerWord}, at a desk in a sunny office`,
    );
    await page.getByRole('button', { name: 'Generate' }).click();
    const mine = page.getByTestId('job-card').filter({ hasText: 'at a desk in a sunny office' });
    await expect(mine).toHaveAttribute('data-state', 'saved', { timeout: 60_000 });
    await expect(mine.locator('.thumb img').first()).toBeVisible();
    const runs = await bridge.invoke('library:list', {});
    expect(runs.ok).toBe(true);
    const list = (runs as { value: Array<{ modelRef: string; label: string; prompt: string }> }).value;
    expect(list.map((r) => r.label)).toContain(`First test photo · ${ACCOUNT.username}/ada-brand`);
    expect(list.find((r) => r.prompt.includes('sunny office'))?.modelRef).toMatch(/^ada\/ada-brand/);
  });
});
