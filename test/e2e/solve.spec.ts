/** A trader creates a plan, solves it, reads the totals and exports the schedule as CSV. */
import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';

test('create a plan, solve it, see every period and the totals, export the CSV', async ({
  planner,
  page,
}) => {
  await planner.fill({
    name: 'Buy FROG',
    symbol: 'FROG',
    side: 'Buy',
    shares: '100000',
    lotSize: '100',
    periods: '390',
    referencePrice: '31.5',
    model: 'power',
    beta: '0.00002',
  });
  await page.getByRole('button', { name: 'Square root' }).click();
  await expect(planner.field('Exponent')).toHaveValue('0.5');
  await expect(planner.field('Period length (min)')).toHaveValue('1');

  await planner.solve(390);
  // The charts and the table have drawn this result (the signal the window bench waits on).
  await expect(planner.results).toHaveAttribute('data-drawn', '1');
  const shares = await planner.scheduleShares();
  expect(shares.reduce((a, b) => a + b, 0)).toBe(100_000);
  expect(shares.every((s) => s % 100 === 0)).toBe(true);
  // First and last rows carry clock times and the running total.
  const first = planner.schedule.locator('tbody tr').first();
  await expect(first.locator('td').nth(1)).toHaveText('09:30–09:31');
  const last = planner.schedule.locator('tbody tr').last();
  await expect(last.locator('td').nth(3)).toHaveText('100,000');
  await expect(last.locator('td').nth(4)).toHaveText('100.0%');

  // Totals: $ with separators, bps, savings against every baseline, how it was solved.
  await expect(planner.totalCost).toHaveText(/^\$[\d,]+\.\d\d$/);
  const summary = page.getByRole('region', { name: 'Summary' });
  await expect(summary).toContainText('bps');
  for (const name of ['Naive (TWAP)', 'Front-loaded', 'Back-loaded'])
    await expect(
      summary.getByRole('row', { name: new RegExp(name.replace(/[()]/g, '\\$&')) }),
    ).toContainText('%');
  await expect(summary).toContainText('Certified optimal');
  await expect(summary).toContainText('1,000 lots × 390 periods');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    planner.button('Export CSV').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const lines = readFileSync(await download.path(), 'utf8')
    .trim()
    .split(/\r?\n/);
  // A header block of "# name: value" lines (the plan, then its totals), then the table and
  // its total row.
  // (after the plan's warnings: a typed β is not calibrated)
  expect(lines.find((l) => !l.startsWith('# warning: '))).toMatch(/^# plan: /);
  expect(lines.some((l) => l.startsWith('# expected cost: '))).toBe(true);
  const csv = lines.filter((l) => !l.startsWith('#'));
  expect(csv).toHaveLength(392);
  expect(csv[391]).toMatch(/^total,/);
  const header = csv[0].toLowerCase();
  expect(header).toContain('period');
  expect(header).toContain('shares');
  const sharesCol = csv[0].split(',').findIndex((h) => h.trim().toLowerCase() === 'shares');
  expect(sharesCol).toBeGreaterThanOrEqual(0);
  const exported = csv.slice(1, 391).map((line) => Number(line.split(',')[sharesCol]));
  expect(exported).toEqual(shares);
  expect(csv[1]).toContain('09:30');
});

test('keyboard: Ctrl+Enter solves, Ctrl+E exports', async ({ planner, page }) => {
  await planner.fill({
    name: 'Sell ACME',
    symbol: 'ACME',
    side: 'Sell',
    shares: '5000',
    periods: '10',
  });
  await page.getByRole('checkbox', { name: /Session clock/ }).uncheck();
  await planner.field('Name').press('Control+Enter');
  await expect(planner.schedule.locator('tbody tr')).toHaveCount(10);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.keyboard.press('Control+e'),
  ]);
  // The "# name: value" block aside: a header, one row per period and the total row.
  expect(
    readFileSync(await download.path(), 'utf8')
      .trim()
      .split(/\r?\n/)
      .filter((l) => !l.startsWith('#')),
  ).toHaveLength(12);
});
