/**
 * Changing the library folder (issue 12, bug 2), in Chromium against the real handlers: after a
 * photo is made, "Change…" points the app at another folder; the Results column holds nothing of
 * the old library (no image request answered 404), the notice says where the photos are, "Move
 * them here" brings them over and the gallery shows them; "Use the default folder" goes back.
 * Screenshots land in test-results/screenshots/.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { GOOD_TOKEN, expect, openApp, test, type StudioBridge } from './bridge';
import { ASSET_BASE } from './bridge-api';

const SHOTS = 'test-results/screenshots';
const naturalWidth = (el: unknown) => (el as { naturalWidth: number }).naturalWidth;

/**
 * Images on screen that main would not serve if they were asked for now. Chromium keeps an image
 * it has shown in memory, so an image left from the old library can still look fine here until
 * it is loaded again (the next photo, a thumbnail not made yet, a memory-pressed window): then it
 * is a 404. This asks main, as a fresh load would.
 */
async function unservable(page: Page, bridge: StudioBridge): Promise<string[]> {
  const srcs = await page.locator('img').evaluateAll((els) => els.map((e) => e.getAttribute('src') ?? ''));
  const out: string[] = [];
  for (const src of srcs) {
    const at = src.indexOf(ASSET_BASE);
    if (at < 0) continue;
    const id = decodeURIComponent(src.slice(at + ASSET_BASE.length));
    if ((await bridge.services.serveAsset(id)).status !== 200) out.push(id);
  }
  return out;
}

test.use({ seedToken: GOOD_TOKEN });

test('a library switch leaves no broken image, says where the photos are, and moves them here', async ({
  page,
  bridge,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const broken: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes(ASSET_BASE) && r.status() >= 400) broken.push(`${r.status()} ${r.url()}`);
  });
  await openApp(page);
  await page.getByLabel('Describe the photo').fill('subject, a professional headshot in a bright studio');
  await page.getByRole('button', { name: 'Generate' }).click();
  const card = page.getByTestId('job-card').first();
  await expect(card).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  await expect.poll(() => card.locator('img').first().evaluate(naturalWidth)).toBeGreaterThan(0);
  const first = bridge.libraryDir;

  // Settings → Change… → another folder
  const other = path.join(path.dirname(first), 'Brand photos');
  bridge.nextDirectory = other;
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('button', { name: 'Use the default folder' })).toBeDisabled();
  await page.getByRole('button', { name: /Change…/ }).click();
  await expect(page.getByText(other, { exact: true })).toBeVisible();
  const notice = page.getByTestId('previous-library');
  await expect(notice).toContainText(`Your photos are in the previous library ${first}: 1 run.`);
  await expect(page.getByRole('button', { name: 'Use the default folder' })).toBeEnabled();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/settings-previous-library.png`, animations: 'disabled' });

  // The studio: nothing of the old library, nothing broken.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Studio' }).click();
  await page.waitForLoadState('networkidle');
  expect(broken).toEqual([]);
  expect(await unservable(page, bridge)).toEqual([]);
  await expect(page.getByTestId('results-empty')).toBeVisible();
  await expect(page.getByTestId('job-card')).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
  await expect(page.getByTestId('gallery-empty')).toBeVisible();
  await bridge.flushEvents();
  expect(broken).toEqual([]);
  expect(await unservable(page, bridge)).toEqual([]);

  // Move them here: the run comes over, its photos load.
  await expect(notice).toContainText(`Your photos are in the previous library ${first}: 1 run.`);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/gallery-previous-library.png`, animations: 'disabled' });
  await notice.getByRole('button', { name: 'Move them here' }).click();
  await expect(notice).toContainText('Moved 1 run into this library.');
  // The moved run's photos, each a tile of the gallery's grid.
  const runs = page.getByTestId('photo-tile');
  await expect(runs.first()).toBeVisible();
  await expect.poll(() => runs.first().locator('img').first().evaluate(naturalWidth)).toBeGreaterThan(0);
  await runs.first().hover();
  await runs
    .first()
    .getByRole('button', { name: /^Open “/ })
    .click();
  await expect
    .poll(() => page.getByTestId('run-detail').locator('img').first().evaluate(naturalWidth))
    .toBeGreaterThan(0);
  expect(await unservable(page, bridge)).toEqual([]);
  await page.getByTestId('run-detail').getByRole('button', { name: 'Gallery', exact: true }).click();
  expect((await bridge.invoke('library:list')) as { ok: boolean; value: unknown[] }).toMatchObject({
    ok: true,
    value: [expect.objectContaining({ prompt: 'subject, a professional headshot in a bright studio' })],
  });
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);

  // Use the default folder: back, and the folder left now holds the run.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Use the default folder' }).click();
  await expect(page.getByRole('button', { name: 'Use the default folder' })).toBeDisabled();
  await expect(page.getByTestId('previous-library')).toContainText(
    `Your photos are in the previous library ${other}: 1 run.`,
  );
  await bridge.flushEvents();
  expect(broken).toEqual([]);
});
