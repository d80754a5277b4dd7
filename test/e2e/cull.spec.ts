/**
 * Culling in the gallery, end to end in Chromium against the real main handlers and the Replicate
 * simulator: P / X / stars on the selection and in the loupe, stored in run.json on disk; the
 * filter chips count what main's index says; Delete rejected with a confirm, Undo, delete again
 * and the files are in the (test) system trash. Screenshots: test-results/screenshots/cull-*.png.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { RunSummaryT } from '../../shared/ipc/contract';
import { GOOD_TOKEN, expect, openApp, test, type StudioBridge } from './bridge';

const SHOTS = 'test-results/screenshots';

test.use({ seedToken: GOOD_TOKEN });

/** Each photo's flag and rating as main wrote them into the run's run.json. */
async function onDisk(bridge: StudioBridge, runId: string): Promise<{ flag: string | null; rating: number }[]> {
  const rec = JSON.parse(await readFile(path.join(bridge.libraryDir, 'runs', runId, 'run.json'), 'utf8')) as {
    images: { flag?: string | null; rating?: number }[];
  };
  return rec.images.map((im) => ({ flag: im.flag ?? null, rating: im.rating ?? 0 }));
}

async function generate(page: Page, prompt: string, photos: number): Promise<void> {
  await page.getByLabel('Describe the photo').fill(prompt);
  await page.getByRole('textbox', { name: 'Number of photos' }).fill(String(photos));
  await page.getByRole('button', { name: 'Generate' }).click();
  const card = page.getByRole('article', { name: new RegExp(prompt.slice(0, 20)) });
  await expect(card).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
}

async function theRun(bridge: StudioBridge): Promise<RunSummaryT> {
  const list = await bridge.invoke('library:list');
  if (!list.ok) throw new Error(list.error.message);
  return (list.value as RunSummaryT[])[0]!;
}

/** Every tile shows its decoded photo (the grid's loader hands thumbnails over a few a frame). */
async function photosShown(tiles: Locator): Promise<void> {
  const n = await tiles.count();
  await expect
    .poll(() =>
      tiles
        .locator('img')
        .evaluateAll((imgs) => imgs.filter((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0).length),
    )
    .toBe(n);
}

/** How far the rightmost tile runs past the grid's content box, in px (≤ 0: it fits). */
async function pastTheEdge(page: Page): Promise<number> {
  return page.getByTestId('gallery-scroller').evaluate((el) => {
    const box = el.getBoundingClientRect();
    const win = globalThis as unknown as { getComputedStyle(e: unknown): { paddingRight: string } };
    const edge = box.right - parseFloat(win.getComputedStyle(el).paddingRight);
    const rights = [...el.querySelectorAll('[data-testid="photo-tile"]')].map((t) => t.getBoundingClientRect().right);
    return Math.max(...rights) - edge;
  });
}

const chip = (page: Page, name: string) =>
  page.getByTestId('filter-bar').getByRole('button', { name: new RegExp(`^${name} `) });

test('cull with P, X and stars; the chips count; delete rejected, undo, delete again into the trash', async ({
  page,
  bridge,
}) => {
  await openApp(page);
  await generate(page, 'subject at a café table, cull test', 4);
  await bridge.flushEvents();
  const run = await theRun(bridge);
  expect(run.images).toHaveLength(4);

  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
  const tiles = page.getByTestId('photo-tile');
  await expect(tiles).toHaveCount(4);
  await expect(chip(page, 'All')).toContainText('4');
  await photosShown(tiles);
  // The tiles fit the grid across at any window width: none runs past its edge (an 800 px window
  // once laid four 192 px tiles into 736 px, the last cut off).
  const size = page.viewportSize()!;
  for (const width of [800, 1000]) {
    await page.setViewportSize({ width, height: size.height });
    await expect.poll(() => pastTheEdge(page)).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize(size);

  // P on the first photo, then → and X, 3 on the second.
  await tiles.nth(0).click();
  await page.keyboard.press('p');
  await expect(tiles.nth(0)).toHaveAttribute('data-flag', 'pick');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('x');
  await page.keyboard.press('3');
  await expect(tiles.nth(1)).toHaveAttribute('data-flag', 'reject');
  await expect(tiles.nth(1)).toHaveAttribute('data-rating', '3');

  // A selection: the third, Shift-click the fourth, P applies to both, in one call.
  await tiles.nth(2).click();
  await tiles.nth(3).click({ modifiers: ['Shift'] });
  await expect(page.locator('[data-testid="photo-tile"][aria-selected="true"]')).toHaveCount(2);
  await page.keyboard.press('p');
  await expect(tiles.nth(2)).toHaveAttribute('data-flag', 'pick');
  await expect(tiles.nth(3)).toHaveAttribute('data-flag', 'pick');
  const lastFlag = bridge.calls.filter((c) => c.channel === 'library:setFlag').at(-1)?.arg as {
    items: unknown[];
    flag: string;
  };
  expect(lastFlag.items).toHaveLength(2);
  expect(lastFlag.flag).toBe('pick');
  // ⌘/Ctrl-click takes one out of the selection again; 5 rates only the one left.
  await tiles.nth(2).click({ modifiers: ['ControlOrMeta'] });
  await page.keyboard.press('5');
  await expect(tiles.nth(3)).toHaveAttribute('data-rating', '5');
  await expect(tiles.nth(2)).not.toHaveAttribute('data-rating', /./);

  await expect
    .poll(() => onDisk(bridge, run.id))
    .toEqual([
      { flag: 'pick', rating: 0 },
      { flag: 'reject', rating: 3 },
      { flag: 'pick', rating: 0 },
      { flag: 'pick', rating: 5 },
    ]);

  // The chips count what main's index says.
  await expect(chip(page, 'Picked')).toContainText('3');
  await expect(chip(page, 'Rejected')).toContainText('1');
  await expect(chip(page, 'Unflagged')).toContainText('0');
  await chip(page, 'Rejected').click();
  await expect(tiles).toHaveCount(1);
  await page.getByTestId('filter-rating').selectOption('3');
  await expect(tiles).toHaveCount(1);
  await expect(chip(page, 'Picked')).toContainText('1'); // picked and rated ≥ 3: the fourth
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(tiles).toHaveCount(4);
  await page.mouse.move(0, 0);
  await photosShown(tiles);
  await page.screenshot({ path: `${SHOTS}/cull-grid.png` });

  // Delete rejected: a confirm that counts, then the undo bar.
  await page.getByRole('button', { name: 'Delete rejected…' }).click();
  const dialog = page.getByTestId('delete-rejected');
  await expect(dialog).toContainText('Delete 1 photo you rejected?');
  await dialog.getByRole('button', { name: 'Move to trash' }).click();
  const bar = page.getByTestId('undo-bar');
  await expect(bar).toHaveAttribute('data-state', 'pending');
  await expect(bar).toContainText('1 photo moved to the trash');
  await expect(tiles).toHaveCount(3);
  await expect(chip(page, 'Rejected')).toContainText('0');
  await page.screenshot({ path: `${SHOTS}/cull-undo.png` });
  await bar.getByRole('button', { name: 'Undo' }).click();
  await expect(bar).toContainText('1 photo brought back');
  await expect(tiles).toHaveCount(4);
  expect(existsSync(bridge.trashDir) ? await readdir(bridge.trashDir) : []).toEqual([]);

  // Again, and this time the undo window closes (flushed now instead of waiting 10 s).
  await page.getByRole('button', { name: 'Delete rejected…' }).click();
  await page.getByTestId('delete-rejected').getByRole('button', { name: 'Move to trash' }).click();
  await expect(page.getByTestId('undo-bar').filter({ hasText: 'moved to the trash' })).toBeVisible();
  await bridge.services.trash().flush();
  await expect(page.getByTestId('undo-bar').filter({ hasText: 'in the system trash' })).toBeVisible();
  const trashed = await readdir(bridge.trashDir);
  expect(trashed).toHaveLength(1);
  expect(trashed[0]).toMatch(new RegExp(`-${path.basename(run.images[1]!.id)}$`));
  await expect(tiles).toHaveCount(3);
  expect((await onDisk(bridge, run.id)).map((im) => im.flag)).toEqual(['pick', 'pick', 'pick']);
  expect(bridge.pageErrors).toEqual([]);
});

test('the loupe: E opens the active photo, arrows move, Z is 1:1, P flags the photo shown, G goes back', async ({
  page,
  bridge,
}) => {
  await openApp(page);
  await generate(page, 'subject on a rooftop, loupe test', 3);
  await bridge.flushEvents();
  const run = await theRun(bridge);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
  const tiles = page.getByTestId('photo-tile');
  await expect(tiles).toHaveCount(3);
  await tiles.nth(0).click();
  await page.keyboard.press('e');
  const loupe = page.getByTestId('loupe');
  await expect(loupe).toBeVisible();
  await expect(page.getByTestId('loupe-position')).toHaveText('1 of 3');
  await expect(page.getByTestId('strip-thumb')).toHaveCount(3);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('loupe-position')).toHaveText('2 of 3');
  await expect(loupe).toHaveAttribute('data-key', `${run.id}:${run.images[1]!.index}`);
  const img = page.getByTestId('loupe-stage').locator('img');
  await expect(img).toHaveJSProperty('complete', true);
  const fit = await img.boundingBox();
  await page.keyboard.press('z');
  await expect(page.getByTestId('loupe-stage')).toHaveClass(/is-actual/);
  const actual = await img.boundingBox();
  // 1:1 in this window (device pixel ratio 1): the image's own pixels.
  expect(Math.round(actual!.width)).toBe(run.images[1]!.width);
  expect(actual!.width).toBeGreaterThan(fit!.width);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('loupe-stage')).not.toHaveClass(/is-actual/);

  // Auto-advance on: X rejects the photo shown and moves on.
  await page.getByRole('switch', { name: 'Auto-advance' }).click();
  await page.keyboard.press('x');
  await expect(page.getByTestId('loupe-position')).toHaveText('3 of 3');
  await expect.poll(async () => (await onDisk(bridge, run.id))[1]!.flag).toBe('reject');
  await page.keyboard.press('ArrowLeft');
  await expect(loupe.getByRole('button', { name: 'Rejected' })).toHaveAttribute('aria-pressed', 'true');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/cull-loupe.png` });
  await page.keyboard.press('g');
  await expect(tiles).toHaveCount(3);
  await expect(tiles.nth(1)).toHaveAttribute('data-flag', 'reject');
  // The remembered toggle.
  expect(await page.evaluate(() => localStorage.getItem('sseelfie.gallery.autoAdvance'))).toBe('1');
  expect(bridge.pageErrors).toEqual([]);
});

test('dark theme: the grid, the loupe and the undo bar', async ({ page, bridge }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page);
  await generate(page, 'subject in a linen shirt, dark test', 4);
  await bridge.flushEvents();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
  const tiles = page.getByTestId('photo-tile');
  await expect(tiles).toHaveCount(4);
  await tiles.nth(0).click();
  await page.keyboard.press('p');
  await page.keyboard.press('4');
  await tiles.nth(1).click();
  await page.keyboard.press('x');
  await tiles.nth(2).click();
  await page.keyboard.press('ControlOrMeta+a');
  await expect(page.locator('[data-testid="photo-tile"][aria-selected="true"]')).toHaveCount(4);
  await tiles.nth(2).click();
  await expect(tiles.nth(1)).toHaveAttribute('data-flag', 'reject');
  await page.mouse.move(0, 0);
  await photosShown(tiles);
  await page.screenshot({ path: `${SHOTS}/cull-grid-dark.png` });
  await page.keyboard.press('e');
  await expect(page.getByTestId('loupe')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/cull-loupe-dark.png` });
  await page.keyboard.press('g');
  await page.getByRole('button', { name: 'Delete rejected…' }).click();
  await page.getByTestId('delete-rejected').getByRole('button', { name: 'Move to trash' }).click();
  await expect(page.getByTestId('undo-bar')).toHaveAttribute('data-state', 'pending');
  await page.screenshot({ path: `${SHOTS}/cull-undo-dark.png` });
  expect(bridge.pageErrors).toEqual([]);
});
