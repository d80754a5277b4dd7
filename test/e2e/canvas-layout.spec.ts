/**
 * The mask painter's floating toolbars at the window sizes people use (issue 12, bug 11): at
 * 1024 × 700 the top bar was wider than the stage and the opacity value and "Hide mask" were cut
 * off. Every control of every bar must lie inside its bar and inside the stage, bars must not
 * overlap each other, and no value may be clipped. Screenshots of each size are saved.
 */
import type { Page } from '@playwright/test';
import { GOOD_TOKEN, expect, openApp, test } from './bridge';

const SHOTS = 'test-results/screenshots';

type Box = { left: number; top: number; right: number; bottom: number };
interface Layout {
  stage: Box;
  bars: Array<{ label: string; box: Box; scrollW: number; clientW: number }>;
  controls: Array<{ bar: string; name: string; box: Box; clipped: boolean }>;
}

// Page-side code typed loosely: the node tsconfig has no DOM lib.
type R = { left: number; top: number; right: number; bottom: number };
type El = {
  getBoundingClientRect(): R;
  getAttribute(n: string): string | null;
  querySelector(s: string): El | null;
  querySelectorAll(s: string): ArrayLike<El>;
  offsetParent: unknown;
  scrollWidth: number;
  clientWidth: number;
  textContent: string | null;
  tagName: string;
};

async function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: El }).document;
    const b = (r: R) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
    const stage = doc.querySelector('.mask-stage')!;
    const bars = [...Array.from(stage.querySelectorAll('.mask-bar'))].filter((el) => el.offsetParent !== null);
    return {
      stage: b(stage.getBoundingClientRect()),
      bars: bars.map((el) => ({
        label: el.getAttribute('aria-label') ?? '',
        box: b(el.getBoundingClientRect()),
        scrollW: el.scrollWidth,
        clientW: el.clientWidth,
      })),
      controls: bars.flatMap((bar) =>
        Array.from(bar.querySelectorAll('button, input, output'))
          .filter((el) => el.offsetParent !== null)
          .map((el) => ({
            bar: bar.getAttribute('aria-label') ?? '',
            name: el.getAttribute('aria-label') ?? el.textContent ?? el.tagName,
            box: b(el.getBoundingClientRect()),
            clipped: el.scrollWidth > el.clientWidth + 1,
          })),
      ),
    };
  });
}

const inside = (a: Box, outer: Box) =>
  a.left >= outer.left - 0.5 &&
  a.top >= outer.top - 0.5 &&
  a.right <= outer.right + 0.5 &&
  a.bottom <= outer.bottom + 0.5;
const overlap = (a: Box, c: Box) => a.left < c.right && c.left < a.right && a.top < c.bottom && c.top < a.bottom;

test.describe('mask toolbars fit the window', () => {
  test.use({ seedToken: GOOD_TOKEN });

  for (const size of [
    { width: 1024, height: 700 },
    { width: 1280, height: 800 },
  ]) {
    test(`at ${size.width} × ${size.height} every mask control is whole and inside the stage`, async ({ page }) => {
      await page.setViewportSize(size);
      await openApp(page);
      await page.getByTestId('selfie-input').setInputFiles(['test/fixtures/selfie-exif6.jpg']);
      await expect(page.getByText('Added 1 selfie.')).toBeVisible();
      await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
      await page
        .getByRole('region', { name: 'Your selfies' })
        .getByRole('button', { name: 'Selfie selfie-exif6.jpg', exact: true })
        .click();
      const editor = page.getByTestId('mask-editor');
      await expect(editor).toBeVisible();
      await expect(page.locator('img[data-layer="base-image"]')).toBeVisible();

      // a stroke, so the keep-outside controls are there too
      const img = (await page.locator('img[data-layer="base-image"]').boundingBox())!;
      await page.mouse.move(img.x + img.width * 0.3, img.y + img.height * 0.45);
      await page.mouse.down();
      await page.mouse.move(img.x + img.width * 0.7, img.y + img.height * 0.45, { steps: 12 });
      await page.mouse.up();
      await expect(page.getByTestId('canvas-mode')).toHaveText('Repainting the masked area');
      await page.mouse.move(img.x + img.width * 0.55, img.y + img.height * 0.6);

      // the controls a person needs are all reachable by name
      for (const name of [
        'Brush',
        'Eraser',
        'Hide mask',
        'Undo',
        'Redo',
        'Clear mask',
        'Invert mask',
        'Fill mask',
        'Zoom in',
        'Zoom out',
        'Fit',
        'Keyboard shortcuts',
      ]) {
        await expect(editor.getByRole('button', { name, exact: true })).toBeVisible();
      }
      await expect(editor.getByRole('slider', { name: 'Brush size' })).toBeVisible();
      await expect(editor.getByTestId('brush-size')).toBeVisible();
      // Opacity: inline when there is room, else a button with the value that opens the slider.
      const opacity = editor.getByRole('slider', { name: 'Mask opacity' });
      const opacityToggle = editor.getByRole('button', { name: 'Mask opacity' });
      const compact = !(await opacity.isVisible());
      expect(compact).toBe(size.width < 1100);
      if (compact) await expect(opacityToggle).toHaveText('50%');
      else await expect(editor.getByTestId('mask-opacity')).toHaveText('50%');

      const l = await layout(page);
      expect(l.bars.length).toBeGreaterThanOrEqual(3);
      for (const bar of l.bars) {
        expect(
          inside(bar.box, l.stage),
          `${bar.label} inside the stage ${JSON.stringify(bar.box)} / ${JSON.stringify(l.stage)}`,
        ).toBe(true);
        expect(bar.scrollW, `${bar.label} has no hidden overflow`).toBeLessThanOrEqual(bar.clientW + 1);
      }
      for (let i = 0; i < l.bars.length; i++) {
        for (let j = i + 1; j < l.bars.length; j++) {
          expect(overlap(l.bars[i]!.box, l.bars[j]!.box), `${l.bars[i]!.label} overlaps ${l.bars[j]!.label}`).toBe(
            false,
          );
        }
      }
      for (const c of l.controls) {
        const bar = l.bars.find((x) => x.label === c.bar)!;
        expect(inside(c.box, bar.box), `${c.name} inside ${c.bar}`).toBe(true);
        expect(c.clipped, `${c.name} is not clipped`).toBe(false);
      }
      await page.screenshot({ path: `${SHOTS}/studio-mask-${size.width}x${size.height}.png` });

      if (compact) {
        // The folded slider: one click away, whole and inside the stage, Esc gives focus back.
        await opacityToggle.click();
        await expect(opacityToggle).toHaveAttribute('aria-expanded', 'true');
        await expect(opacity).toBeVisible();
        await expect(opacity).toBeFocused();
        await expect(editor.getByTestId('mask-opacity')).toHaveText('50%');
        const panel = await page.evaluate(() => {
          const doc = (globalThis as unknown as { document: El }).document;
          const r = doc.querySelector('.mask-opacity-slider')!.getBoundingClientRect();
          const out = doc.querySelector('[data-testid="mask-opacity"]')!;
          return {
            box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
            clipped: out.scrollWidth > out.clientWidth + 1,
          };
        });
        expect(inside(panel.box, l.stage), `opacity panel inside the stage ${JSON.stringify(panel.box)}`).toBe(true);
        expect(panel.clipped).toBe(false);
        await page.keyboard.press('ArrowRight');
        await expect(opacityToggle).toHaveText('55%');
        await page.screenshot({ path: `${SHOTS}/studio-mask-${size.width}x${size.height}-opacity.png` });
        await page.keyboard.press('Escape');
        await expect(opacity).toBeHidden();
        await expect(opacityToggle).toBeFocused();
        // a click elsewhere closes it too
        await opacityToggle.click();
        await expect(opacity).toBeVisible();
        await page.getByTestId('canvas-controls').click({ position: { x: 5, y: 5 } });
        await expect(opacity).toBeHidden();
      }
    });
  }
});
