/**
 * A saved run's page and the app's keyboard (issue 12), in Chromium against the real main
 * handlers and the Replicate simulator: the page lists every setting the run used, the defaults of
 * its version marked, and the version id main recorded; "?" opens the shortcuts list of the view
 * you are in; Esc closes the list first, then leaves the page back to the grid; Alt+← leaves a run
 * opened from the studio back to the studio; Cmd/Ctrl+2 opens the grid; the studio starts with a
 * skip link. Screenshots (light and dark) in test-results/screenshots/: run-page-*.png,
 * shortcuts-*.png.
 */
import type { RunDetailT, RunSummaryT } from '../../shared/ipc/contract';
import { GOOD_TOKEN, expect, openApp, openRunOfTile, test, type StudioBridge } from './bridge';

const SHOTS = 'test-results/screenshots';
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
const naturalWidth = (el: unknown) => (el as { naturalWidth: number }).naturalWidth;

test.use({ seedToken: GOOD_TOKEN });

async function onlyRun(bridge: StudioBridge): Promise<RunDetailT> {
  const list = await bridge.invoke('library:list');
  if (!list.ok) throw new Error(list.error.message);
  const [summary] = list.value as RunSummaryT[];
  const d = await bridge.invoke('library:get', { runId: summary!.id });
  if (!d.ok) throw new Error(d.error.message);
  return d.value as RunDetailT;
}

test('a run’s page: every setting with the version’s defaults, the version id; ? lists that view’s keys; Esc and Alt+← go back', async ({
  page,
  bridge,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openApp(page);

  // The studio's first Tab stop: the skip link, shown when focused, to the Results column.
  await page.getByRole('heading', { level: 1, name: 'Studio' }).focus();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to results' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('complementary', { name: 'Results' })).toBeFocused();

  await page.getByLabel('Describe the photo').fill('subject in a linen shirt, golden hour, city rooftop');
  await page.getByRole('radio', { name: /^3:2/ }).click();
  await page.getByRole('button', { name: 'More settings' }).click();
  await page.getByRole('textbox', { name: 'Steps' }).fill('12');
  await page.getByRole('button', { name: 'Generate' }).click();
  const card = page.getByTestId('job-card').first();
  await expect(card).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  await bridge.flushEvents();
  const run = await onlyRun(bridge);
  expect(run.version).toMatch(/^[0-9a-f]{64}$/);
  // What main stored is only what was sent: the rest is the model's defaults.
  expect(run.input).not.toHaveProperty('guidance_scale');

  // ? in the studio: the studio's keys and the global ones.
  await page.getByRole('heading', { level: 1, name: 'Studio' }).focus();
  await page.keyboard.press('?');
  let help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help.getByRole('heading', { level: 3 })).toHaveText(['Result', 'Studio', 'Everywhere']);
  await expect(help).toContainText('Previous / next photo');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // Cmd/Ctrl+2: the gallery grid, its heading focused.
  await page.keyboard.press(`${mod}+2`);
  await expect(page.getByRole('heading', { level: 1, name: 'Gallery' })).toBeFocused();
  await openRunOfTile(page, 'subject in a linen shirt');
  const detail = page.getByTestId('run-detail');
  await expect(detail.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(detail.getByRole('img', { name: /Photo 1 of/ })).toBeVisible();
  await expect.poll(() => detail.getByRole('img', { name: /Photo 1 of/ }).evaluate(naturalWidth)).toBeGreaterThan(0);

  const settings = detail.getByTestId('run-settings');
  const row = (key: string) => settings.locator(`[data-setting="${key}"]`);
  await expect(row('aspect_ratio')).toContainText('3:2');
  await expect(row('aspect_ratio')).not.toHaveAttribute('data-default');
  await expect(row('num_inference_steps')).toContainText('12');
  await expect(row('guidance_scale')).toHaveAttribute('data-default', 'true');
  await expect(row('guidance_scale')).toContainText('default');
  await expect(row('lora_scale')).toHaveAttribute('data-default', 'true');
  await expect(row('output_format')).toHaveAttribute('data-default', 'true');
  await expect(row('prompt_strength')).toHaveCount(0);
  const version = detail.getByTestId('run-version');
  await expect(version).toHaveText(run.version!.slice(0, 12));
  await expect(version).toHaveAttribute('title', new RegExp(run.version!));
  await expect(detail.getByTestId('run-model')).toContainText(run.modelRef.split(':')[0]!);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/run-page-light.png`, animations: 'disabled' });

  // ? on the run page: its keys; Esc closes the list and stays on the page.
  await page.keyboard.press('?');
  help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help.getByRole('heading', { level: 3 })).toHaveText(['Saved run', 'Everywhere']);
  await expect(help).toContainText('Back to the gallery');
  await page.screenshot({ path: `${SHOTS}/shortcuts-light.png`, animations: 'disabled' });
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await expect(detail).toBeVisible();

  // The delete dialog: Cancel, Esc closes it without leaving, focus back on Delete….
  const del = detail.getByRole('button', { name: /Delete…/ });
  await del.click();
  const dialog = page.getByRole('dialog', { name: 'Delete this run?' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(dialog.getByRole('button', { name: 'Keep' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(del).toBeFocused();
  await expect(detail).toBeVisible();

  // Dark.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${SHOTS}/run-page-dark.png`, animations: 'disabled' });
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/shortcuts-dark.png`, animations: 'disabled' });
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'light' });

  // Esc: back to the grid.
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Gallery' })).toBeFocused();

  // A run opened from the studio: Alt+← goes back to the studio.
  await page.keyboard.press(`${mod}+1`);
  await page.getByTestId('job-card').first().getByRole('button', { name: 'Details' }).click();
  await expect(detail).toBeVisible();
  await expect(detail.getByRole('button', { name: 'Studio', exact: true })).toBeVisible();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(page.getByTestId('studio')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Studio' })).toBeFocused();
});
