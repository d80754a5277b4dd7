/**
 * The training set in Chromium through the real handlers: real face photos dropped on the Train
 * view are checked by the face model in worker threads (the built dist-electron/set-check-worker.js),
 * the verdicts show in words, excluding one changes the summary, and it all survives a reload.
 * Screenshots: test-results/screenshots/training.png (light) and training-dark.png.
 */
import sharp from 'sharp';
import { GOOD_TOKEN, openApp, test, expect } from './bridge';
import { jpeg, portrait } from '../fixtures/faces/real-photos';

const SHOTS = 'test-results/screenshots';

test.use({ seedToken: GOOD_TOKEN });

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

const card = (page: import('@playwright/test').Page, file: string) =>
  page.locator(`[data-testid="training-photo"][data-file="${file}"]`);

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
