/**
 * Validation in the window: import three small days of one symbol, validate leave-one-out,
 * read the per-day rows and the aggregate, then plan from one of the days and see the
 * out-of-sample saving beside the planned one. The days share their books (only the mids
 * move), so every plan's cost forecast is exact: bias 1.000 and realised = planned, computed
 * here. Screenshots in light, dark and 1024×700.
 */
import { join, resolve } from 'node:path';
import { test, expect } from './fixtures';
import type { PlannerPage } from './pages/planner';
import { shotChecked } from './pages/layout';
import { mbp10Csv, nsAt, type Mbp10Snapshot } from '../fixtures/mbp10';

const DIR = resolve(__dirname, '../../test-results/screenshots');
const PERIODS = 30;
const DATES = ['2025-04-01', '2025-04-02', '2025-04-03'];

/** Period k's ladder: 10 levels 1¢ apart; every third period five times as deep. */
function ladder(k: number): [number, number][] {
  return Array.from({ length: 10 }, (_, j) => [
    (j + 1) / 100,
    100 * (j + 1) * (k % 3 === 2 ? 5 : 1),
  ]);
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

/** A day: a snapshot at each period start (mid drifting by day), one trade 20 s in. */
function csvOf(date: string, d: number): string {
  const at = (minutes: number) =>
    nsAt(`${date}T13:30:00Z`) + BigInt(Math.round(minutes * 60)) * 1_000_000_000n;
  const rows: Mbp10Snapshot[] = [];
  for (let k = 0; k <= PERIODS; k++) {
    const mid = 100 + ((k * (d + 2)) % 7) / 100;
    const l = ladder(Math.min(k, PERIODS - 1));
    const book = {
      bids: l.map(([off, size]) => [round(mid - off), size] as [number, number]),
      asks: l.map(([off, size]) => [round(mid + off), size] as [number, number]),
    };
    rows.push({ tsEvent: at(k), ...book });
    if (k < PERIODS) rows.push({ tsEvent: at(k + 1 / 3), ...book, action: 'T', size: 100 + k });
  }
  return mbp10Csv(rows, { symbol: 'FROG' });
}

async function importDays(planner: PlannerPage): Promise<void> {
  await planner.openBook();
  await planner.bookPanel.getByLabel('Session end', { exact: true }).fill('10:00');
  await planner.chooseBookFiles(
    DATES.map((date, i) => ({ name: `FROG-${date}.csv`, csv: csvOf(date, i) })),
  );
  await expect(
    planner.bookPanel.getByRole('status').filter({ hasText: /^Imported/ }),
  ).toBeVisible();
}

async function validate(planner: PlannerPage): Promise<void> {
  const page = planner.page;
  await page.getByRole('tab', { name: 'Validation' }).click();
  const panel = page.getByRole('region', { name: /^Validation/ });
  for (const date of DATES) await panel.getByRole('checkbox', { name: new RegExp(date) }).check();
  await panel.getByLabel('Shares', { exact: true }).fill('9000');
  await panel.getByLabel('Lot size', { exact: true }).fill('100');
  // The calibrated model is the default; these days are the same books every day, so the
  // exact book model makes the figures checkable by hand (realised = planned).
  await expect(panel.getByLabel('Model')).toHaveValue('calibrated');
  await panel.getByLabel('Model').selectOption('book');
  await panel.getByRole('button', { name: 'Validate' }).click();
  await expect(panel.getByTestId('validation-days')).toBeVisible();
}

async function planFromDay1(planner: PlannerPage): Promise<void> {
  await planner.openBook();
  await planner.bookPanel.getByRole('button', { name: /^Open FROG 2025-04-01/ }).click();
  const use = planner.bookPanel.getByRole('region', { name: 'Use in plan' });
  await use.getByLabel('Shares', { exact: true }).fill('9000');
  await use.getByLabel('Lot size', { exact: true }).fill('100');
  await use.getByLabel('Impact model').selectOption('book');
  await use.getByRole('button', { name: 'Use in plan' }).click();
  await planner.solve(PERIODS);
}

test('validate three days leave-one-out, then see the out-of-sample saving beside the planned one', async ({
  planner,
  page,
}) => {
  test.setTimeout(120_000);
  await importDays(planner);
  await validate(planner);
  const panel = page.getByRole('region', { name: /^Validation/ });
  const rows = panel.getByTestId('validation-days').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  for (const [i, date] of DATES.entries()) {
    const cells = rows.nth(i).locator('th, td');
    await expect(cells.nth(0)).toHaveText(date);
    await expect(cells.nth(1)).toHaveText(DATES.filter((d) => d !== date).join(', '));
    // The same books every day: realised = planned, bias 1.
    const planned = await cells.nth(2).textContent();
    await expect(cells.nth(3)).toHaveText(planned!);
    await expect(cells.nth(6)).toHaveText('1.000');
  }
  // TWAP sends 300 shares a period, walking to the 2¢ level of the shallow periods; the
  // optimum leans on the deep ones: a saving, the same every day (a zero-width interval).
  await expect(panel.getByTestId('validation-savings')).toContainText(
    /Saving vs TWAP: (\d\.\d\d) \[\1, \1\] bps/,
  );
  await expect(panel.getByTestId('validation-savings')).not.toContainText('Saving vs TWAP: 0.00');

  // A plan from day 1 (one of the validated days): the summary shows the out-of-sample saving.
  await planFromDay1(planner);
  const summary = page.getByRole('region', { name: 'Summary' });
  await expect(summary.locator('thead')).toContainText('planned, in-sample');
  await expect(summary.locator('thead')).toContainText('Out-of-sample saving');
  // Out of sample = planned here (the same books every day): the same % saving, and in bps
  // with its (zero-width) interval.
  const plannedPct = (await summary
    .locator('tbody tr')
    .first()
    .locator('td')
    .first()
    .textContent())!.trim();
  await expect(page.getByTestId('oos-naive')).toHaveText(
    new RegExp(`^\\s*${plannedPct.replace('.', '\\.')}\\s*(\\d\\.\\d\\d) bps \\[\\1, \\1\\]\\s*$`),
  );
});

for (const scheme of ['light', 'dark'] as const) {
  test(`validation screens (${scheme})`, async ({ planner, page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    const shot = (name: string) =>
      shotChecked(page, join(DIR, `${scheme}-outofsample-${name}.png`), `${scheme} ${name}`);
    await importDays(planner);
    await page.setViewportSize({ width: 1400, height: 1024 });
    await validate(planner);
    const panel = page.getByRole('region', { name: /^Validation/ });
    const days = panel.getByTestId('validation-days');
    await expect(days.locator('tbody tr')).toHaveCount(3);
    await expect(panel.getByTestId('validation-savings')).toContainText('Saving vs TWAP');
    await shot('1-report');
    await page.setViewportSize({ width: 1024, height: 700 });
    await shot('2-report-1024');
    await days.scrollIntoViewIfNeeded();
    // Every column of the per-day table can be read at 1024 px (inside or beside the window).
    await expect(days.locator('thead th').last()).toBeVisible();
    await shot('3-days-1024');
    await planFromDay1(planner);
    const summary = page.getByRole('region', { name: 'Summary' });
    await summary.scrollIntoViewIfNeeded();
    await expect(summary.locator('thead')).toContainText('Out-of-sample saving');
    await expect(summary).toBeInViewport();
    await shot('4-summary-1024');
  });
}
