/**
 * The trigger word in Chromium through the real handlers (issue 12): the chip inserts the word at
 * the caret, the pencil changes it (saved by main for this model), "What is this?" explains it and
 * opens the model's versions on Replicate through main's allowlist.
 */
import { GOOD_TOKEN, expect, openApp, test } from './bridge';

const SHOTS = 'test-results/screenshots';

test.use({ seedToken: GOOD_TOKEN });

test('trigger word: a click inserts it at the caret, the pencil changes it, “What is this?” says where to find it', async ({
  page,
  bridge,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openApp(page);
  const prompt = page.getByLabel('Describe the photo');
  const chip = page.getByTestId('trigger-chip');
  await expect(chip).toHaveText('subject');

  await chip.click();
  await expect(prompt).toHaveValue('subject');
  await expect(prompt).toBeFocused();
  await page.keyboard.type(' at a café with a laptop');
  await expect(prompt).toHaveValue('subject at a café with a laptop');
  await expect(chip).toHaveAccessibleName('subject is in your prompt: show where');
  await chip.click();
  await expect(prompt).toHaveValue('subject at a café with a laptop');
  expect(
    await prompt.evaluate((el) => [
      (el as unknown as { selectionStart: number }).selectionStart,
      (el as unknown as { selectionEnd: number }).selectionEnd,
    ]),
  ).toEqual([0, 7]);

  // At the caret: the person typed, moved back, clicked the chip.
  await prompt.fill('a portrait of smiling');
  await prompt.evaluate((el) =>
    (el as unknown as { setSelectionRange(a: number, b: number): void }).setSelectionRange(14, 14),
  );
  await chip.click();
  await expect(prompt).toHaveValue('a portrait of subject smiling');

  await page.getByRole('button', { name: 'Change the trigger word' }).click();
  await page.getByRole('textbox', { name: 'Trigger word' }).fill('ADA');
  await page.keyboard.press('Enter');
  await expect(chip).toHaveText('ADA');
  await expect(page.getByRole('button', { name: 'Change the trigger word' })).toBeFocused();
  expect(bridge.services.settings.get().triggerWords['sandrasocial/sseelfie-ai']).toBe('ADA');

  await page.getByRole('button', { name: 'What is this?' }).click();
  const help = page.getByTestId('trigger-help');
  await expect(help).toContainText('trigger_word');
  await expect(help).toContainText('description of the trained version');
  await page.screenshot({ path: `${SHOTS}/studio-trigger-help.png` });
  await help.getByRole('button', { name: 'Open sandrasocial/sseelfie-ai on Replicate' }).click();
  await expect.poll(() => bridge.opened).toEqual(['https://replicate.com/sandrasocial/sseelfie-ai/versions']);
});
