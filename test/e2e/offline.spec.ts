/**
 * The network goes away mid-generation, in Chromium against the real main handlers: one banner
 * says so, the job waits without an error, and it finishes by itself when the connection returns.
 * Screenshot: test-results/screenshots/offline.png.
 */
import { GOOD_TOKEN, expect, openApp, test } from './bridge';

// A 2 s boot and 28 steps × 150 ms: the network is cut while the prediction still runs, even on a
// loaded machine (at 60 ms a step it could be saved before the cut, and no banner was ever due).
test.use({ seedToken: GOOD_TOKEN, simTiming: { bootMs: 2000, stepMs: 150 } });

test('offline mid-generation: one banner, the job waits and is saved when the connection returns', async ({
  page,
  bridge,
}) => {
  await openApp(page);
  await page.getByLabel('Describe the photo').fill('subject at a desk by the window');
  await page.getByRole('button', { name: 'Generate' }).click();
  const card = page.getByTestId('job-card').first();
  await expect(card).toHaveAttribute('data-state', 'running');

  await bridge.sim.setOffline(true);
  await expect(card).not.toHaveAttribute('data-state', 'saved'); // the cut came while it ran
  const banner = page.getByTestId('offline-banner');
  // noticed at the next poll (at most 4 s apart) plus one probe; slow only on a loaded machine
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('Your jobs continue when the connection returns');
  await expect(page.getByTestId('offline-banner')).toHaveCount(1);
  await expect(card).not.toHaveAttribute('data-state', 'failed');
  await expect(card).toContainText('Waiting for the connection to return');
  await expect(card).not.toContainText(/s left/); // the last estimate is not shown as if it still held
  await page.screenshot({ path: 'test-results/screenshots/offline.png' });

  await bridge.sim.setOffline(false);
  await expect(card).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  await expect(banner).toHaveCount(0);
  expect(bridge.sim.stats().predictionsCreated).toBe(1);
});
