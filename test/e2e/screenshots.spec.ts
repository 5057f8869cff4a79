/**
 * Screenshots of the main screens in light and dark, under test-results/screenshots/, for a
 * human to look at. The checks here are the states each screen must show.
 */
import { join, resolve } from 'node:path';
import { test, expect } from './fixtures';
import { shotChecked } from './pages/layout';
import { mbp10Csv, syntheticDay } from '../fixtures/mbp10';

const DIR = resolve(__dirname, '../../test-results/screenshots');

for (const scheme of ['light', 'dark'] as const) {
  test(`main screens (${scheme})`, async ({ planner, page }) => {
    test.setTimeout(150_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1400, height: 1024 });
    const shot = (name: string) =>
      shotChecked(page, join(DIR, `${scheme}-${name}.png`), `${scheme} ${name}`);

    await shot('1-empty');
    await planner.fill({
      name: 'Buy FROG',
      symbol: 'FROG',
      shares: '100000',
      lotSize: '100',
      referencePrice: '31.5',
      beta: '0.00002',
    });
    await planner.field('Intraday profile').selectOption('u');
    await planner.field('Volume profile').selectOption('u');
    await planner.field('Daily volume').fill('4000000');
    await planner.solve(390);
    await planner.field('Curve periods').fill('1, 100, 195');
    await expect(page.getByRole('region', { name: 'Summary' })).toContainText('VWAP');
    await planner.button('Save').click();
    await expect(planner.unsavedMarker).toBeHidden();
    await expect(planner.totalCost).toBeInViewport();
    await shot('2-solved');
    await page.setViewportSize({ width: 1024, height: 700 });
    await expect(planner.totalCost).toBeInViewport();
    await expect(planner.button('Solve')).toBeInViewport();
    await shot('2-solved-1024');
    // The CSV options open inside the window, even at its right edge.
    await page.getByText('CSV options', { exact: true }).click();
    await expect(page.getByLabel('Trading day')).toBeInViewport();
    await expect(
      page.getByRole('button', { name: 'Export CSV with these options' }),
    ).toBeInViewport();
    await shot('2-csv-options-1024');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1400, height: 1024 });

    await planner.libraryItem('Buy FROG').getByRole('button', { name: 'History' }).click();
    await expect(planner.library.getByRole('list', { name: 'Revisions' })).toBeVisible();
    await planner.schedule.scrollIntoViewIfNeeded();
    await shot('3-schedule-history');

    await planner.fill({ shares: '1050', symbol: 'FR OG', periods: '0' });
    await expect(planner.problems).toBeVisible();
    await shot('4-problems');

    await planner.button('New').click();
    await expect(planner.dialog).toBeVisible();
    await shot('5-confirm');
    await planner.confirm('Keep editing');
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`order-book tab (${scheme})`, async ({ planner, page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    // 09:30–10:00 New York on 2025-04-03 in one-minute periods: 30 periods.
    const csv = mbp10Csv(
      syntheticDay({
        fromMs: Date.parse('2025-04-03T13:30:00Z'),
        toMs: Date.parse('2025-04-03T14:00:00Z'),
        rows: 3000,
      }),
      { symbol: 'FROG' },
    );
    await planner.openBook();
    const panel = planner.bookPanel;
    await panel.getByLabel('Session end', { exact: true }).fill('10:00');
    await planner.chooseBookFile('FROG-mbp10.csv', csv);
    await expect(
      panel.getByRole('status').filter({ hasText: 'Imported FROG 2025-04-03' }),
    ).toBeVisible();
    await expect(panel.getByRole('region', { name: 'FROG 2025-04-03' })).toContainText('30 of 30');
    await expect(panel.getByRole('img', { name: /Average impact per share/ })).toBeVisible();
    // Tall enough for the whole tab (it scrolls inside the window otherwise).
    await page.setViewportSize({ width: 1400, height: 1400 });
    await shotChecked(page, join(DIR, `${scheme}-6-order-book.png`), `${scheme} order book`);
    for (const size of [
      { width: 1024, height: 700 },
      { width: 1400, height: 1024 },
    ]) {
      await page.setViewportSize(size);
      await panel.getByRole('button', { name: 'Use in plan' }).scrollIntoViewIfNeeded();
      await expect(panel.getByRole('button', { name: 'Use in plan' })).toBeInViewport();
      await shotChecked(
        page,
        join(DIR, `${scheme}-6-order-book-${size.width}x${size.height}.png`),
        `${scheme} order book ${size.width}×${size.height}`,
      );
    }
  });
}
