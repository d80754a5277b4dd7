/**
 * "Pick the best", end to end in Chromium against the real main handlers and the Replicate
 * simulator: generate 2 photos, star one on its results card, and find it in main's run.json
 * (the star is the Pick flag: `images[i].flag = 'pick'`, read from the library folder on disk)
 * and under the gallery's "Picked" chip.
 * A second photo is starred from the keyboard in the gallery's run. Screenshots in
 * test-results/screenshots/: gallery-kept.png, gallery-kept-run.png, results-kept.png.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunDetailT, RunSummaryT } from '../../shared/ipc/contract';
import { GOOD_TOKEN, expect, openApp, test, type StudioBridge } from './bridge';

const SHOTS = 'test-results/screenshots';
const naturalWidth = (el: unknown) => (el as { naturalWidth: number }).naturalWidth;

test.use({ seedToken: GOOD_TOKEN });

/** What main wrote to disk: the indexes of the picked photos in the run's own run.json. */
async function runJson(bridge: StudioBridge, runId: string): Promise<{ kept: number[] }> {
  const rec = JSON.parse(await readFile(path.join(bridge.libraryDir, 'runs', runId, 'run.json'), 'utf8')) as {
    images: { index: number; flag?: string }[];
  };
  return { kept: rec.images.filter((im) => im.flag === 'pick').map((im) => im.index) };
}

async function runByPrompt(bridge: StudioBridge, prompt: string): Promise<RunDetailT> {
  const list = await bridge.invoke('library:list');
  if (!list.ok) throw new Error(list.error.message);
  const summary = (list.value as RunSummaryT[]).find((r) => r.prompt === prompt);
  if (!summary) throw new Error(`no run for “${prompt}”`);
  const d = await bridge.invoke('library:get', { runId: summary.id });
  if (!d.ok) throw new Error(d.error.message);
  return d.value as RunDetailT;
}

test('pick the best: star a result, main stores it in run.json, the gallery’s “Picked” chip shows that photo', async ({
  page,
  bridge,
}) => {
  await openApp(page);
  const prompt = page.getByLabel('Describe the photo');
  const cards = page.getByTestId('job-card');

  // A run that stays unstarred, so the filter has something to leave out.
  await prompt.fill('subject on a rooftop at dusk');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(cards.first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });

  // Two photos at once.
  const PROMPT = 'subject with a coffee cup, soft window light';
  await prompt.fill(PROMPT);
  await page.getByRole('textbox', { name: 'Number of photos' }).fill('2');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(cards).toHaveCount(2);
  const card = page.getByRole('article', { name: /coffee cup/ });
  await expect(card).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  await expect(card.locator('.thumb img')).toHaveCount(2);
  await bridge.flushEvents();

  const run = await runByPrompt(bridge, PROMPT);
  expect(run.images).toHaveLength(2);
  expect(run.images.every((im) => im.flag === null)).toBe(true);
  expect((await runJson(bridge, run.id)).kept).toEqual([]);

  // Star the second photo on the results card.
  const stars = card.getByRole('button', { name: 'Pick this photo' });
  await expect(stars).toHaveCount(2);
  await expect(stars.nth(1)).toHaveAttribute('aria-pressed', 'false');
  await card.locator('.thumb').nth(1).hover();
  await stars.nth(1).click();
  const kept = card.getByRole('button', { name: 'Picked' });
  await expect(kept).toHaveCount(1);
  await expect(kept).toHaveAttribute('aria-pressed', 'true');
  await expect(card.getByRole('button', { name: 'Pick this photo' })).toHaveCount(1);
  expect(bridge.calls.filter((c) => c.channel === 'library:setFlag').map((c) => c.arg)).toEqual([
    { items: [{ runId: run.id, index: run.images[1]!.index }], flag: 'pick' },
  ]);
  await page.mouse.move(0, 0);
  await card.screenshot({ path: `${SHOTS}/results-kept.png`, animations: 'disabled' });

  // main wrote it into the run's run.json, and its list says so.
  await expect.poll(async () => (await runJson(bridge, run.id)).kept).toEqual([run.images[1]!.index]);
  const keptList = await bridge.invoke('library:list', { picksOnly: true });
  expect(keptList.ok && (keptList.value as RunSummaryT[]).map((r) => r.id)).toEqual([run.id]);

  // The gallery: three photos; the Picked chip leaves the starred one, with its flag.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
  const tiles = page.getByTestId('photo-tile');
  await expect(tiles).toHaveCount(3);
  const filter = page.getByTestId('filter-bar').getByRole('button', { name: /^Picked / });
  await expect(filter).toHaveAttribute('aria-pressed', 'false');
  await expect(filter).toContainText('1');
  await filter.click();
  await expect(filter).toHaveAttribute('aria-pressed', 'true');
  await expect(tiles).toHaveCount(1);
  const tile = page.getByRole('gridcell', {
    name: /^“subject with a coffee cup, soft window light”, photo 2 of 2, Picked, /,
  });
  await expect(tile).toBeVisible();
  await expect(tile).toHaveAttribute('data-flag', 'pick');
  await expect.poll(async () => tile.locator('img').evaluate(naturalWidth)).toBeGreaterThan(0);
  expect(bridge.calls.filter((c) => c.channel === 'library:query').at(-1)?.arg).toEqual({
    filter: { flag: 'pick' },
    sort: 'newest',
  });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/gallery-kept.png`, animations: 'disabled' });

  // In the run: photo 2 shows "Picked"; photo 1 is starred from the keyboard (Tab to it, Space).
  await tile.hover();
  await tile.getByRole('button', { name: /^Open “subject with a coffee cup/ }).click();
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByRole('button', { name: 'Picked' })).toHaveAttribute('aria-pressed', 'true');
  const first = detail.getByRole('button', { name: 'Pick this photo' });
  await first.focus();
  await page.keyboard.press('Space');
  await expect(detail.getByRole('button', { name: 'Picked' })).toHaveCount(2);
  await expect.poll(async () => (await runJson(bridge, run.id)).kept).toEqual(run.images.map((im) => im.index));
  // A press while main is still answering is not sent (keep.test.tsx): wait for the star to settle,
  // as run.json on disk can be read before the answer reaches the window.
  await expect(detail.locator('[data-keep][aria-busy]')).toHaveCount(0);
  // K on the focused photo takes it back.
  await page.keyboard.press('k');
  await expect(detail.getByRole('button', { name: 'Picked' })).toHaveCount(1);
  await expect.poll(async () => (await runJson(bridge, run.id)).kept).toEqual([run.images[1]!.index]);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/gallery-kept-run.png`, animations: 'disabled' });

  // Back in the filtered gallery, the unpicked photos are still left out.
  await detail.getByRole('button', { name: 'Gallery', exact: true }).click();
  await expect(tiles).toHaveCount(1);
  await page.getByTestId('filter-bar').getByRole('button', { name: /^All / }).click();
  await expect(tiles).toHaveCount(3);
});

test('the gallery’s Picked chip with nothing picked says what to do', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Describe the photo').fill('subject in a park');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('job-card').first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
  await expect(page.getByTestId('photo-tile')).toHaveCount(1);
  await page
    .getByTestId('filter-bar')
    .getByRole('button', { name: /^Picked / })
    .click();
  const empty = page.getByTestId('gallery-filtered-empty');
  await expect(empty).toContainText('Nothing picked yet');
  await empty.getByRole('button', { name: 'Show every photo' }).click();
  await expect(page.getByTestId('photo-tile')).toHaveCount(1);
});
