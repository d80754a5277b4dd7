/**
 * The studio shell a user sees on first start (issue #3), in Chromium against the real handlers
 * and the Replicate simulator: welcome → wrong token (nothing stored) → right token (account
 * shown) → studio; switching views by mouse and keyboard; a generation from prompt to gallery;
 * the theme. Screenshots land in test-results/screenshots/.
 */
import { ACCOUNT, GOOD_TOKEN, expect, openApp, openRunOfTile, test } from './bridge';

const SHOTS = 'test-results/screenshots';
// Page-side helpers typed loosely: the node tsconfig has no DOM lib.
const naturalWidth = (el: unknown) => (el as { naturalWidth: number }).naturalWidth;
const backgroundColor = (el: unknown) =>
  (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el)
    .backgroundColor;
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

test.describe('first start', () => {
  test.use({ seedApiBase: false });

  test('welcome: a rejected token stays out, an accepted one shows the account and opens the studio', async ({
    page,
    bridge,
  }) => {
    await openApp(page);
    await expect(page.getByRole('heading', { name: 'Welcome to Sseelfie Studio' })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/welcome.png`, animations: 'disabled' });

    // The link asks main to open Replicate's token page (allow-listed https link).
    await page.getByRole('button', { name: /Get your token at replicate\.com/ }).click();
    await expect.poll(() => bridge.opened).toContain('https://replicate.com/account/api-tokens');

    // Advanced: point the app at the simulator through the UI.
    await page.getByRole('button', { name: 'Advanced' }).click();
    const url = page.getByLabel('API base URL');
    await expect(url).toHaveValue('https://api.replicate.com/v1');
    await url.fill('not a url');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText(/Use a full address/)).toBeVisible();
    await url.fill(bridge.sim.baseUrl);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Saved. New requests go to this address.')).toBeVisible();
    expect(bridge.services.settings.get().apiBaseUrl).toBe(bridge.sim.baseUrl);

    // Show/hide works on the password field.
    const token = page.getByLabel('Replicate API token');
    await expect(token).toHaveAttribute('type', 'password');
    await page.getByRole('button', { name: 'Show token' }).click();
    await expect(token).toHaveAttribute('type', 'text');
    await page.getByRole('button', { name: 'Hide token' }).click();
    await expect(token).toHaveAttribute('type', 'password');

    // A token Replicate rejects: the message, still on the form, nothing stored.
    await token.fill('r8_this_token_is_not_valid_42');
    await page.getByRole('button', { name: 'Save and connect' }).click();
    await expect(page.getByRole('alert')).toContainText('Replicate did not accept this API token');
    await expect(page.getByRole('heading', { name: 'Welcome to Sseelfie Studio' })).toBeVisible();
    const after = await bridge.invoke('token:status');
    expect(after.ok && (after.value as { hasToken: boolean }).hasToken).toBe(false);

    // The right token: the account it belongs to, then the studio.
    await token.fill(GOOD_TOKEN);
    await page.getByRole('button', { name: 'Save and connect' }).click();
    await expect(page.getByTestId('account-name')).toHaveText(`Connected as ${ACCOUNT.name} (@${ACCOUNT.username})`);
    const status = await bridge.invoke('token:status');
    expect(status.ok && (status.value as { hasToken: boolean; storage: string }).storage).toBe('encrypted');
    // The token never went anywhere but token:set (whose argument the bridge log redacts).
    expect(JSON.stringify(bridge.calls)).not.toContain(GOOD_TOKEN);

    await page.getByRole('button', { name: 'Open the studio' }).click();
    await expect(page.getByTestId('studio')).toBeVisible();
    await expect(page.getByTestId('canvas-slot')).toContainText('Pick a selfie or a result to start from it');
    await expect(page.getByTestId('results-empty')).toContainText('No photos yet — write a prompt and press Generate');
    await expect(page.getByTestId('toolbar-account')).toContainText(ACCOUNT.name);
  });

  test('“Not now” opens the studio without a token, and Generate says why it is disabled', async ({ page }) => {
    await openApp(page);
    await page.getByRole('button', { name: /Not now/ }).click();
    await expect(page.getByTestId('studio')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Generate' })).toBeDisabled();
    await expect(page.getByText('Add your Replicate API token in Settings to generate.')).toBeVisible();
    await page.getByRole('button', { name: 'Add API token' }).click();
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  });
});

test.describe('with a token', () => {
  test.use({ seedToken: GOOD_TOKEN });

  test('navigation between Studio, Gallery and Settings by mouse and keyboard', async ({ page }) => {
    await openApp(page);
    await expect(page.getByTestId('studio')).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Views' });
    await expect(nav.getByRole('button', { name: 'Studio' })).toHaveAttribute('aria-current', 'page');

    await nav.getByRole('button', { name: 'Gallery' }).click();
    await expect(page.getByTestId('gallery-empty')).toContainText('Your gallery is empty');
    await nav.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByTestId('settings-account')).toContainText(`${ACCOUNT.name} (@${ACCOUNT.username})`);
    await nav.getByRole('button', { name: 'Studio' }).click();
    await expect(page.getByTestId('studio')).toBeVisible();

    await page.keyboard.press(`${mod}+2`);
    await expect(page.getByTestId('gallery')).toBeVisible();
    await page.keyboard.press(`${mod}+3`);
    await expect(page.getByTestId('settings')).toBeVisible();
    await page.keyboard.press(`${mod}+1`);
    await expect(page.getByTestId('studio')).toBeVisible();

    // Tab reaches the view switcher and Enter activates it.
    await nav.getByRole('button', { name: 'Gallery' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('gallery')).toBeVisible();
  });

  test('parameters come from the model schema; a generation shows progress, saves photos and lands in the gallery', async ({
    page,
    bridge,
  }) => {
    await openApp(page);
    const generate = page.getByRole('button', { name: 'Generate' });
    await expect(page.getByText('Write a prompt to generate.')).toBeVisible();
    await expect(generate).toBeDisabled();

    // Aspect ratio tiles show real pixel sizes (cog-flux table).
    await page.getByRole('radio', { name: /^3:2/ }).click();
    await expect(page.getByTestId('output-size')).toContainText('1216 × 832 px');

    // An out-of-range value gets an inline message and blocks Generate.
    await page.getByRole('button', { name: 'More settings' }).click();
    const steps = page.getByRole('textbox', { name: 'Steps' });
    await steps.fill('80');
    await expect(page.getByText('Steps must be between 1 and 50.')).toBeVisible();
    await page.getByLabel('Describe the photo').fill('subject, a professional headshot in a bright studio, soft light');
    await expect(generate).toBeDisabled();
    await expect(page.getByText('Fix the settings marked in red to generate.')).toBeVisible();
    await steps.fill('8');
    await expect(generate).toBeEnabled();

    await page.getByRole('textbox', { name: 'Number of photos' }).fill('2');
    await generate.click();
    const card = page.getByTestId('job-card').first();
    await expect(card).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
    const imgs = card.locator('img');
    await expect(imgs).toHaveCount(2);
    await expect.poll(() => imgs.first().evaluate(naturalWidth)).toBeGreaterThan(0);

    const started = bridge.calls.find((c) => c.channel === 'jobs:start');
    expect(started?.arg).toMatchObject({
      input: {
        prompt: 'subject, a professional headshot in a bright studio, soft light',
        aspect_ratio: '3:2',
        num_inference_steps: 8,
        num_outputs: 2,
      },
    });

    // Gallery shows the run; its detail lists the parameters.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
    await openRunOfTile(page, 'subject, a professional headshot');
    const detail = page.getByTestId('run-detail');
    await expect(detail.getByRole('img')).toHaveCount(2);
    await expect(detail.getByText('Aspect ratio')).toBeVisible();
    await expect(detail.getByText('3:2')).toBeVisible();
    await detail.getByRole('button', { name: 'Gallery', exact: true }).click();
    await expect(page.getByTestId('photo-tile')).toHaveCount(2);
  });

  test('selfies: picked files are imported through main (bad ones explained), one starts an img2img run', async ({
    page,
    bridge,
  }) => {
    await openApp(page);
    await expect(page.getByText(/Add a few selfies/)).toBeVisible();
    await page
      .getByTestId('selfie-input')
      .setInputFiles(['test/fixtures/selfie-exif6.jpg', 'test/fixtures/selfie.png', 'test/fixtures/corrupt.jpg']);
    await expect(page.getByText('Added 2 selfies.')).toBeVisible();
    await expect(page.getByRole('list', { name: 'Files not added' })).toContainText('corrupt.jpg');
    const shelf = page.getByRole('region', { name: 'Your selfies' });
    await expect(shelf.getByRole('img')).toHaveCount(2);
    await expect.poll(() => shelf.getByRole('img').first().evaluate(naturalWidth)).toBeGreaterThan(0);

    await shelf.getByRole('button', { name: 'Selfie selfie-exif6.jpg', exact: true }).click();
    await expect(page.getByTestId('canvas-slot').getByRole('img')).toBeVisible();
    await expect(page.getByText('Starting from a photo')).toBeVisible();
    await page.getByLabel('Describe the photo').fill('subject in a navy blazer, office background');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(page.getByTestId('job-card').first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
    const started = bridge.calls.find((c) => c.channel === 'jobs:start')?.arg as {
      image?: { assetId: string };
      input: Record<string, unknown>;
    };
    expect(started.image?.assetId).toBeTruthy();
    expect(started.input).not.toHaveProperty('aspect_ratio');
  });

  test('theme: follows the system, or the setting; screenshots of the finished look', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page);
    const bg = () => page.locator('body').evaluate(backgroundColor);
    const light = await bg();

    // Selfies and a run, so the screenshots show a studio in use.
    await page
      .getByTestId('selfie-input')
      .setInputFiles(['test/fixtures/selfie-exif6.jpg', 'test/fixtures/selfie.png', 'test/fixtures/selfie.webp']);
    await expect(page.getByText('Added 3 selfies.')).toBeVisible();
    await page.getByTestId('import-result').getByRole('button', { name: 'Dismiss', exact: true }).click();
    await page.getByRole('button', { name: 'Office portrait' }).click();
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(page.getByTestId('job-card').first()).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('job-card').first().locator('img').first().evaluate(naturalWidth))
      .toBeGreaterThan(0);
    await page
      .getByTestId('job-card')
      .first()
      .getByRole('button', { name: 'Start from this' })
      .first()
      .click({ force: true });
    await expect(page.getByTestId('canvas-slot').locator('img')).toBeVisible();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SHOTS}/studio-light.png`, animations: 'disabled' });

    // System dark → dark.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(bg).not.toBe(light);
    const dark = await bg();

    // The setting overrides the system: Light while the system is dark.
    await page.keyboard.press(`${mod}+3`);
    await page.getByRole('radio', { name: 'Light' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expect.poll(bg).toBe(light);
    // The page scrolls inside the window, so a taller window shows all of it.
    await page.setViewportSize({ width: 1280, height: 1180 });
    await page.getByRole('button', { name: 'Advanced' }).click();
    await page.screenshot({ path: `${SHOTS}/settings.png`, animations: 'disabled' });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('radio', { name: 'Dark' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect.poll(bg).toBe(dark);
    await page.keyboard.press(`${mod}+1`);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SHOTS}/studio-dark.png`, animations: 'disabled' });

    // Back to System: follows the (light) system again.
    await page.keyboard.press(`${mod}+3`);
    await page.getByRole('radio', { name: 'System' }).click();
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.+/);
    await expect.poll(bg).toBe(light);
  });
});
