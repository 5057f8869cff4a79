/**
 * The results of long plans: a one-second schedule of a whole day draws, its table scrolls by
 * keyboard with only the rows in view in the page, the pre-trade table has every strategy, and
 * switching tabs does not draw the results again.
 */
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

/** A plan file of n periods over a 6.5-hour session with a U-shaped volume profile. */
function planFile(n: number, extra: Record<string, unknown> = {}) {
  const volume = Array.from({ length: n }, (_, i) => {
    const u = (i + 0.5) / n - 0.5;
    return Math.round((2_000_000 / n) * (0.6 + 4.8 * u * u));
  });
  return {
    name: `Day of ${n} periods`,
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({
        format: 1,
        name: `Day of ${n} periods`,
        symbol: 'FROG',
        side: 'buy',
        shares: 1_000_000,
        lotSize: 100,
        periods: n,
        referencePrice: 31.5,
        volumeProfile: volume,
        session: { start: '09:30', end: '16:00', timeZone: 'America/New_York' },
        impact: { model: 'power', beta: 2e-5, exponent: 0.5 },
        ...extra,
      }),
    ),
  };
}

async function importAndSolve(page: Page, n: number, extra?: Record<string, unknown>) {
  await page.getByLabel('Plan file to import').setInputFiles(planFile(n, extra));
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(`Day of ${n} periods`);
  const results = page.getByRole('region', { name: 'Results', exact: true });
  await page.getByRole('button', { name: 'Solve', exact: true }).click();
  await expect(results).toHaveAttribute('data-drawn', /^[1-9]\d*$/, { timeout: 60_000 });
  return results;
}

test('a one-second day: drawn, only the rows in view, scrolled by keyboard', async ({
  planner,
  page,
}) => {
  const results = await importAndSolve(page, 23_400);
  const table = planner.schedule;
  await expect(table).toHaveAttribute('aria-rowcount', '23401');
  // Virtual rows: a few dozen in the page, not 23,400.
  const domRows = await table.locator('tbody tr:not(.spacer)').count();
  expect(domRows).toBeGreaterThan(5);
  expect(domRows).toBeLessThan(200);
  const header = await table.locator('thead th').allTextContents();
  for (const col of ['Shares', 'Remaining', 'Exp. volume', 'Participation'])
    expect(header.map((h) => h.trim())).toContain(col);
  const firstRow = table.locator('tbody tr:not(.spacer)').first();
  await expect(firstRow.locator('td').first()).toHaveText('1');
  await expect(firstRow.locator('td').nth(1)).toHaveText('09:30:00–09:30:01');
  // Thousands separators: the remaining shares of an order of a million.
  await expect(firstRow.locator('td').nth(5)).toHaveText(/^\d{1,3}(,\d{3})+$/);

  // The scroll container is reached by Tab and named; End, Home, PageDown scroll it.
  const scroller = page.getByRole('region', { name: 'Schedule table, scrollable' });
  await scroller.focus();
  await expect(scroller).toBeFocused();
  await page.keyboard.press('End');
  await expect(table.locator('tbody tr:not(.spacer)').last().locator('td').first()).toHaveText(
    '23,400',
  );
  await expect(table.locator('tbody tr:not(.spacer)').last()).toBeInViewport();
  await page.keyboard.press('Home');
  await expect(table.locator('tbody tr:not(.spacer)').first().locator('td').first()).toHaveText(
    '1',
  );
  await page.keyboard.press('PageDown');
  await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(100);

  // The charts are drawn on a clock axis; the figure names them.
  await expect(results.getByRole('img', { name: /^Shares per period/ })).toBeVisible();

  // Switching to the order book and back draws nothing again.
  const drawn = await results.getAttribute('data-drawn');
  await planner.openBook();
  await page.getByRole('tab', { name: 'Planner' }).click();
  await expect(results).toBeVisible();
  await expect(planner.schedule).toBeVisible();
  expect(await results.getAttribute('data-drawn')).toBe(drawn);
});

test('pre-trade table: every strategy with cost, bps, ¢/share, price, risk, clock span, volume', async ({
  planner,
  page,
}) => {
  await importAndSolve(page, 390, { risk: { volatility: 0.02, aversion: 1e-6 } });
  const table = planner.preTrade;
  const header = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
  expect(header).toEqual(['Optimal', 'Naive (TWAP)', 'Front-loaded', 'Back-loaded', 'VWAP']);
  const row = (label: string) => table.getByRole('row', { name: new RegExp(`^${label}`) });
  const cells = async (label: string) =>
    (await row(label).locator('td').allTextContents()).map((t) => t.trim());
  for (const [label, pattern] of [
    ['Expected cost', /^\$[\d,]+(\.\d\d)?\s*[\d.,]+ bps$/],
    ['Cost per share', /^[\d.]+¢$/],
    ['Timing risk \\(1 SD\\)', /^\$[\d,]+(\.\d\d)?\s*[\d.,]+ bps$/],
    ['95% upper bound', /^\$[\d,]+(\.\d\d)?\s*[\d.,]+ bps$/],
    ['Expected average price', /^\$31\.\d{4}$/],
    ['Duration', /^\d\d:\d\d–\d\d:\d\d\s*[\d,]+ periods?$/],
    ['Participation', /^[\d.]+%$/],
    ['% of day volume', /^[\d.]+%$/],
  ] as const) {
    const values = await cells(label);
    expect(values, label).toHaveLength(5);
    for (const v of values) expect(v, `${label}: ${v}`).toMatch(pattern);
  }
  // The order is half the day's volume for every strategy.
  expect(new Set(await cells('% of day volume'))).toEqual(new Set(['50%']));
  // Costs are in the pre-trade table; the summary's savings table gives only their ±1 σ range.
  const savings = page.getByRole('table', { name: 'Savings against baselines' });
  await expect(savings.locator('thead th')).toHaveText([
    'Strategy',
    /Saving/,
    'Expected cost ±1 σ',
  ]);
});

test('100,000 periods: solved, drawn, every row counted', async ({ planner, page }) => {
  test.setTimeout(120_000);
  // 100,000 periods fit no session: the axis counts periods.
  const file = planFile(100_000);
  const plan = JSON.parse(file.buffer.toString()) as Record<string, unknown>;
  delete plan.session;
  plan.shares = 10_000_000;
  await page.getByLabel('Plan file to import').setInputFiles({
    ...file,
    buffer: Buffer.from(JSON.stringify(plan)),
  });
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Day of 100000 periods');
  const results = page.getByRole('region', { name: 'Results', exact: true });
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Solve', exact: true }).click();
  await expect(results).toHaveAttribute('data-drawn', '1', { timeout: 60_000 });
  // Generous: the backend's own time at this size is seconds on a shared machine.
  expect(Date.now() - t0).toBeLessThan(45_000);
  await expect(planner.schedule).toHaveAttribute('aria-rowcount', '100001');
  // A long result's table is painted first, its charts in a later frame.
  await expect(results).toHaveAttribute('data-table-shown', '1');
  const [table, drawn] = await page.evaluate(() =>
    ['table-visible', 'results-drawn'].map((name) =>
      performance.getEntriesByName(name).map((m) => m.startTime),
    ),
  );
  expect(table).toHaveLength(1);
  expect(drawn).toHaveLength(1);
  expect(table[0]).toBeLessThan(drawn[0]);
});
