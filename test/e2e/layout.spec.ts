/**
 * Every tab at 1024×700 and 1400×1024, light and dark: nothing sticks out of the window, the
 * page never scrolls sideways, and the toolbar and tabs stay on screen. Screenshots land in
 * test-results/screenshots/ for a human to look at.
 */
import { join, resolve } from 'node:path';
import { test, expect } from './fixtures';
import { expectNoClipping } from './pages/layout';

const DIR = resolve(__dirname, '../../test-results/screenshots');
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1400, height: 1024 },
] as const;

for (const scheme of ['light', 'dark'] as const) {
  test(`no clipping at 1024×700 and 1400×1024 on any tab (${scheme})`, async ({
    planner,
    page,
  }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await planner.fill({
      name: 'Buy FROG',
      symbol: 'FROG',
      shares: '100000',
      lotSize: '100',
      referencePrice: '31.5',
    });
    await planner.field('Periods').fill('390');
    await planner.solve(390);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const tag = `${size.width}x${size.height}`;
      for (const tab of ['Planner', 'Order book', 'Compare', 'Validation'] as const) {
        await page.getByRole('tab', { name: tab }).click();
        await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
        await page.screenshot({
          path: join(DIR, `${scheme}-layout-${tab.replace(' ', '-').toLowerCase()}-${tag}.png`),
        });
        await expectNoClipping(page, `${tab} at ${tag}`);
      }
    }
  });
}
