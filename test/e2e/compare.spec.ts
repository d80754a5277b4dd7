/**
 * Compare (issue 11), end to end in Chromium against the real main handlers and the Replicate
 * simulator: two photos of different sizes and settings compared with the diff beside them
 * (steps, size, seed, prompt words added/removed), zoomed on one with the wheel and the other
 * follows (the same image-normalised point in the middle of both panes, at the same zoom relative
 * to each one's fit), panned by dragging the other, 1:1 and fit; then the A/B wipe (slider and
 * line), flicker, swap, pick from inside (main writes run.json), full screen and Esc; then four
 * photos, and "Start from this". Screenshots in test-results/screenshots/: compare-wipe.png (two,
 * wipe on), compare-wipe-dark.png, compare-4.png, compare-4-dark.png.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { RunDetailT, RunSummaryT } from '../../shared/ipc/contract';
import { GOOD_TOKEN, expect, openApp, test, type StudioBridge } from './bridge';

const SHOTS = 'test-results/screenshots';
const naturalWidth = (el: unknown) => (el as { naturalWidth: number }).naturalWidth;

test.use({ seedToken: GOOD_TOKEN });

async function runByPrompt(bridge: StudioBridge, prompt: string): Promise<RunDetailT> {
  const list = await bridge.invoke('library:list');
  if (!list.ok) throw new Error(list.error.message);
  const summary = (list.value as RunSummaryT[]).find((r) => r.prompt === prompt);
  if (!summary) throw new Error(`no run for “${prompt}”`);
  const d = await bridge.invoke('library:get', { runId: summary.id });
  if (!d.ok) throw new Error(d.error.message);
  return d.value as RunDetailT;
}

async function generate(
  page: Page,
  prompt: string,
  set: { steps?: string; aspect?: RegExp; photos?: string } = {},
): Promise<void> {
  await page.getByLabel('Describe the photo').fill(prompt);
  if (set.steps) {
    const steps = page.getByRole('textbox', { name: 'Steps' });
    if (!(await steps.isVisible())) await page.getByRole('button', { name: 'More settings' }).click();
    await steps.fill(set.steps);
  }
  if (set.aspect) await page.getByRole('radio', { name: set.aspect }).click();
  await page.getByRole('textbox', { name: 'Number of photos' }).fill(set.photos ?? '1');
  await page.getByRole('button', { name: 'Generate' }).click();
  const card = page.getByRole('article', { name: new RegExp(prompt.slice(0, 24)) });
  await expect(card).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  for (const img of await card.locator('.thumb img').all())
    await expect.poll(() => img.evaluate(naturalWidth)).toBeGreaterThan(0);
}

interface Seen {
  /** the image-normalised point at the middle of the pane */
  u: number;
  v: number;
  /** the drawn width over the width that fits the pane (1 = fit) */
  zoom: number;
  /** CSS pixels per image pixel */
  scale: number;
}

/** What a photo shows, measured on the page: its drawn box against its pane's. */
async function seen(img: Locator): Promise<Seen> {
  return img.evaluate((el) => {
    const im = el as unknown as {
      naturalWidth: number;
      naturalHeight: number;
      getBoundingClientRect(): { left: number; top: number; width: number; height: number };
      closest(s: string): { getBoundingClientRect(): { left: number; top: number; width: number; height: number } };
    };
    const r = im.getBoundingClientRect();
    const p = im.closest('.compare-pane').getBoundingClientRect();
    const fit = Math.min(p.width / im.naturalWidth, p.height / im.naturalHeight);
    return {
      u: (p.left + p.width / 2 - r.left) / r.width,
      v: (p.top + p.height / 2 - r.top) / r.height,
      zoom: r.width / (im.naturalWidth * fit),
      scale: r.width / im.naturalWidth,
    };
  });
}

test('compare two photos: the diff, zoom one and the other follows, pan, 1:1, the A/B wipe, flicker, swap, pick, full screen; then four', async ({
  page,
  bridge,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);
  const A = 'subject at a café, soft window light';
  const B = 'subject at a rooftop bar, soft window light';
  await generate(page, A, { steps: '20' });
  await generate(page, B, { steps: '12', aspect: /^16:9 / });
  await bridge.flushEvents();
  const runA = await runByPrompt(bridge, A);
  const runB = await runByPrompt(bridge, B);
  expect(runA.images[0]!.width / runA.images[0]!.height).not.toBeCloseTo(
    runB.images[0]!.width / runB.images[0]!.height,
    2,
  );

  for (const p of [A, B]) await page.getByRole('checkbox', { name: new RegExp(`^Compare photo 1 of “${p}”`) }).click();
  await page.getByTestId('compare-bar').getByRole('button', { name: 'Compare' }).click();
  const compare = page.getByTestId('compare');
  await expect(compare.getByRole('heading', { name: 'Compare 2 photos' })).toBeVisible();
  const panes = compare.getByTestId('compare-pane');
  await expect(panes).toHaveCount(2);
  const imgA = panes.nth(0).getByRole('img');
  const imgB = panes.nth(1).getByRole('img');
  for (const img of [imgA, imgB]) await expect.poll(() => img.evaluate(naturalWidth)).toBeGreaterThan(0);

  // The diff beside them: what differs, highlighted, with the prompt's words.
  const diff = compare.getByTestId('compare-diff');
  await expect(diff.getByRole('heading', { name: 'What differs' })).toBeVisible();
  const row = (key: string) => diff.locator(`tr[data-key="${key}"]`);
  await expect(row('num_inference_steps').locator('td')).toHaveText(['20', '12']);
  await expect(row('num_inference_steps')).toHaveClass(/differs/);
  await expect(row('size').locator('td')).toHaveText([
    `${runA.images[0]!.width} × ${runA.images[0]!.height}`,
    `${runB.images[0]!.width} × ${runB.images[0]!.height}`,
  ]);
  await expect(row('aspect_ratio').locator('td').nth(1)).toHaveText('16:9');
  await expect(row('seed').locator('td')).toHaveText([String(runA.seed), String(runB.seed)]);
  await expect(diff.locator('[data-key="prompt"] [data-letter="B"] ins')).toHaveText(['+rooftop', '+bar']);
  await expect(diff.locator('[data-key="prompt"] [data-letter="B"] del')).toHaveText(['−café']);
  await expect(compare.getByTestId('compare-zoom')).toHaveText('Fit');

  // Both at fit, centred.
  for (const img of [imgA, imgB]) {
    const s = await seen(img);
    expect(s.zoom).toBeCloseTo(1, 2);
    expect(s.u).toBeCloseTo(0.5, 2);
  }

  // Wheel over A, off-centre: A zooms about the pointer, and B follows to the same point.
  const boxA = (await panes.nth(0).boundingBox())!;
  await page.mouse.move(boxA.x + boxA.width * 0.3, boxA.y + boxA.height * 0.35);
  await page.mouse.wheel(0, -500);
  await expect(compare.getByTestId('compare-zoom')).not.toHaveText('Fit');
  await expect.poll(async () => (await seen(imgA)).zoom).toBeGreaterThan(1.5);
  const zA = await seen(imgA);
  const zB = await seen(imgB);
  expect(zB.zoom).toBeCloseTo(zA.zoom, 2);
  expect(zB.u).toBeCloseTo(zA.u, 2);
  expect(zB.v).toBeCloseTo(zA.v, 2);
  expect(zA.u).toBeLessThan(0.5); // it zoomed towards the pointer, left of the middle
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/compare-zoomed.png`, animations: 'disabled' });

  // Drag B: both pan together.
  const boxB = (await panes.nth(1).boundingBox())!;
  await page.mouse.move(boxB.x + boxB.width / 2, boxB.y + boxB.height / 2);
  await page.mouse.down();
  await page.mouse.move(boxB.x + boxB.width / 2 - 60, boxB.y + boxB.height / 2 - 40, { steps: 4 });
  await page.mouse.up();
  const pA = await seen(imgA);
  const pB = await seen(imgB);
  expect(pA.u).toBeGreaterThan(zA.u);
  expect(pB.u).toBeCloseTo(pA.u, 2);
  expect(pB.v).toBeCloseTo(pA.v, 2);

  // 1: one image pixel per device pixel for each photo; 0: fit again.
  const dpr = await page.evaluate(() => (globalThis as unknown as { devicePixelRatio: number }).devicePixelRatio);
  await page.keyboard.press('1');
  await expect(compare.getByTestId('compare-zoom')).toHaveText('1:1');
  for (const img of [imgA, imgB]) await expect.poll(async () => (await seen(img)).scale * dpr).toBeCloseTo(1, 3);
  await page.keyboard.press('0');
  await expect(compare.getByTestId('compare-zoom')).toHaveText('Fit');
  for (const img of [imgA, imgB]) expect((await seen(img)).zoom).toBeCloseTo(1, 2);

  // W: the A/B wipe, one pane, A left of the line and B right of it, drawn with the same view.
  await page.keyboard.press('w');
  const wipe = compare.getByTestId('compare-wipe');
  await expect(wipe).toBeVisible();
  await expect(compare.getByRole('button', { name: 'Wipe' })).toHaveAttribute('aria-pressed', 'true');
  const wA = wipe.getByRole('img', { name: /^Photo A:/ });
  const wB = wipe.getByRole('img', { name: /^Photo B:/ });
  const slider = compare.getByRole('slider', { name: 'Wipe position' });
  await slider.focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 25; i++) await page.keyboard.press('ArrowRight');
  await expect(slider).toHaveValue('25');
  const wbox = (await wipe.boundingBox())!;
  const line = wipe.locator('.compare-wipe-line');
  const lineX = async () => {
    const b = (await line.boundingBox())!;
    return (b.x + b.width / 2 - wbox.x) / wbox.width;
  };
  expect(await lineX()).toBeCloseTo(0.25, 2);
  expect(
    await wipe
      .locator('.compare-layer--b')
      .evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { clipPath: string } }).getComputedStyle(el)
            .clipPath,
      ),
  ).toMatch(/inset\(0px 0px 0px 25%\)|inset\(0px 0px 0px calc\(25%\)\)/);
  // Drag the line to 70 %.
  const lb = (await line.boundingBox())!;
  await page.mouse.move(lb.x + lb.width / 2, lb.y + lb.height / 2);
  await page.mouse.down();
  await page.mouse.move(wbox.x + wbox.width * 0.7, lb.y + lb.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(slider).toHaveValue('70');
  // Zoom in the wipe: both halves stay aligned.
  await page.mouse.move(wbox.x + wbox.width * 0.5, wbox.y + wbox.height * 0.5);
  await page.mouse.wheel(0, -300);
  await expect.poll(async () => (await seen(wA)).zoom).toBeGreaterThan(1.2);
  expect((await seen(wB)).u).toBeCloseTo((await seen(wA)).u, 2);
  expect((await seen(wB)).zoom).toBeCloseTo((await seen(wA)).zoom, 2);
  await compare.getByTestId('compare-root').focus();
  await page.keyboard.press('0');
  for (const b of await page.getByRole('button', { name: 'Dismiss message' }).all()) await b.click();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/compare-wipe.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SHOTS}/compare-wipe-dark.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });

  // F: flicker, A and B in turn in one place.
  await page.keyboard.press('f');
  const flicker = compare.getByTestId('compare-flicker');
  await expect(flicker).toHaveAttribute('data-showing', 'b');
  await expect(flicker).toHaveAttribute('data-showing', 'a');
  await page.keyboard.press('f');
  await expect(panes).toHaveCount(2);

  // S swaps A and B (the diff's columns too).
  await page.keyboard.press('s');
  await expect(panes.nth(0).getByRole('img')).toHaveAttribute('alt', `Photo A: ${B}`);
  await expect(row('num_inference_steps').locator('td')).toHaveText(['12', '20']);
  await expect(diff.locator('[data-key="prompt"] [data-letter="B"] ins')).toHaveText(['+café']);

  // P picks the active photo (the keep star until flags land); main writes it to run.json.
  await page.keyboard.press('p');
  await expect(compare.getByTestId('compare-item').nth(0).getByRole('button', { name: 'Picked' })).toBeVisible();
  await expect
    .poll(async () =>
      (
        JSON.parse(await readFile(path.join(bridge.libraryDir, 'runs', runB.id, 'run.json'), 'utf8')) as {
          images: Array<{ index: number; flag?: string }>;
        }
      ).images
        .filter((im) => im.flag === 'pick')
        .map((im) => im.index),
    )
    .toEqual([runB.images[0]!.index]);

  // Enter: full screen on the comparison itself; Esc leaves it first, a second Esc closes.
  await page.keyboard.press('Enter');
  const fullscreen = () =>
    page.evaluate(
      () =>
        (
          globalThis as unknown as {
            document: { fullscreenElement: { getAttribute(n: string): string | null } | null };
          }
        ).document.fullscreenElement?.getAttribute('data-testid') ?? null,
    );
  await expect.poll(fullscreen).toBe('compare-root');
  await expect(compare.getByRole('button', { name: 'Exit full screen' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect.poll(fullscreen).toBe(null);
  await expect(compare).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(compare).toHaveCount(0);

  // Four: two more photos of one run join the two.
  const C = 'subject at a standing desk, morning light';
  await generate(page, C, { steps: '20', aspect: /^4:5 /, photos: '2' });
  for (let i = 1; i <= 2; i++)
    await page.getByRole('checkbox', { name: new RegExp(`^Compare photo ${i} of “${C}”`) }).click();
  await page.getByTestId('compare-bar').getByRole('button', { name: 'Compare' }).click();
  await expect(compare.getByRole('heading', { name: 'Compare 4 photos' })).toBeVisible();
  await expect(panes).toHaveCount(4);
  await expect(compare.getByRole('button', { name: 'Wipe' })).toHaveCount(0);
  for (const img of await panes.getByRole('img').all())
    await expect.poll(() => img.evaluate(naturalWidth)).toBeGreaterThan(0);
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  const four = await Promise.all((await panes.getByRole('img').all()).map(seen));
  for (const s of four) {
    expect(s.zoom).toBeCloseTo(four[0]!.zoom, 2);
    expect(s.u).toBeCloseTo(four[0]!.u, 2);
  }
  await page.keyboard.press('0');
  for (const b of await page.getByRole('button', { name: 'Dismiss message' }).all()) await b.click();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/compare-4.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SHOTS}/compare-4-dark.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });

  // "Start from this" from inside: the comparison closes and the studio starts from that photo.
  await compare.getByTestId('compare-item').nth(3).getByRole('button', { name: 'Start from this' }).click();
  await expect(compare).toHaveCount(0);
  await expect(page.getByTestId('mask-editor')).toContainText(`Photo 2 of “${C}”`);
});
