/**
 * The printable report: the preview's pages printed to PDF (A4 and Letter) hold the plan, the
 * figures as the window shows them, every baseline and the schedule, without the window's
 * controls; a long schedule is printed in rows of several periods and stays two pages.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { test, expect } from './fixtures';
import { ReportPage } from './pages/report';

const OUT = resolve(__dirname, '../../test-results/report');
const SHOTS = resolve(__dirname, '../../test-results/screenshots');

/** pdftotext spreads table cells with runs of spaces: one space between words. */
const squash = (text: string) => text.replace(/[ \t]+/g, ' ');

test('the report prints the plan, its figures, every baseline and the schedule on two pages', async ({
  planner,
  page,
}) => {
  await planner.fill({
    name: 'Buy FROG report',
    symbol: 'FROG',
    shares: '100000',
    lotSize: '100',
    periods: '10',
    referencePrice: '31.5',
    beta: '0.00002',
  });
  await planner.field('Volume profile').selectOption('u');
  await planner.field('Daily volume').fill('4000000');
  await planner.fillRisk({ mode: 'annual', annualPct: '30', aversion: '0' });
  await planner.solve(10);
  await planner.button('Save').click();
  await expect(planner.unsavedMarker).toBeHidden();

  const shownCost = (await planner.totalCost.textContent())!.trim();
  const savings = planner.page.getByRole('table', { name: 'Savings against baselines' });
  const baselineCosts = await savings.locator('tbody tr td:nth-child(2)').allTextContents();
  const firstShares = (await planner.scheduleShares()).slice(0, 3);
  expect(baselineCosts).toHaveLength(4);

  const report = new ReportPage(page);
  await report.open();
  for (const format of ['A4', 'Letter'] as const) {
    const printed = await report.print(OUT, `report-${format}`, format);
    const text = squash(printed.text);
    expect(text).toContain('Buy FROG report');
    expect(text).toContain('Revision 1');
    expect(text).toContain(shownCost);
    for (const cost of baselineCosts) expect(text).toContain(cost.trim());
    for (const name of ['Naive (TWAP)', 'Front-loaded', 'Back-loaded', 'VWAP'])
      expect(text, name).toContain(name);
    for (const label of ['Cost per share', '95% upper bound', 'Expected average price'])
      expect(text, label).toContain(label);
    // The schedule's first rows: period, time, shares, in that order on one line.
    const rows = text.split('\n').filter((l) => /^ ?\d+ \d\d:\d\d /.test(l));
    expect(rows.slice(0, 3).map((l) => Number(l.trim().split(' ')[2].replace(/,/g, '')))).toEqual(
      firstShares,
    );
    expect(rows[0]).toMatch(/^ ?1 09:30 /);
    // The window's controls are not printed.
    for (const control of ['Solve', 'Save', 'Export report', 'Report preview', 'Saved plans'])
      expect(text, control).not.toMatch(new RegExp(`\\b${control}\\b`));
    // report-prints-solver-internals: one line on exactness, not the method, grid or timing.
    expect(text).toContain('Solved exactly: no schedule in whole lots costs less');
    for (const internal of [
      'Method',
      'Grid',
      'Optimality',
      'Ties',
      'Even pace',
      'Convex (exact',
      'DP engine',
      'lots × ',
      'tie-break',
      'monotone minima',
    ])
      expect(text, internal).not.toContain(internal);
    expect(text).not.toMatch(/\b\d+(\.\d+)? ms\b/);
    expect(printed.pages, `pages of the ${format} PDF`).toHaveLength(2);
    mkdirSync(SHOTS, { recursive: true });
    for (const png of printed.pages) {
      expect(existsSync(png)).toBe(true);
      copyFileSync(png, join(SHOTS, basename(png)));
    }
  }

  // In the browser the export opens the print dialog.
  type Printing = { printed: number; print: () => void };
  await page.evaluate(() => {
    const w = globalThis as unknown as Printing;
    w.printed = 0;
    w.print = () => w.printed++;
  });
  await report.preview.getByRole('button', { name: 'Print / Save as PDF…' }).click();
  expect(await page.evaluate(() => (globalThis as unknown as Printing).printed)).toBe(1);
  await page.keyboard.press('Escape');
  await expect(report.preview).toBeHidden();
  await expect(page.getByRole('button', { name: 'Export report (PDF)' })).toBeFocused();
});

test('a long schedule is printed in rows of several periods, said on the page, still two pages', async ({
  planner,
  page,
}) => {
  await planner.fill({
    name: 'Sell FROG all day',
    symbol: 'FROG',
    side: 'Sell',
    shares: '200000',
    lotSize: '100',
    periods: '390',
    referencePrice: '31.5',
    beta: '0.00002',
  });
  await planner.solve(390);
  const report = new ReportPage(page);
  await report.open();
  const printed = await report.print(OUT, 'report-long', 'A4');
  const text = squash(printed.text);
  expect(text).toContain('390 periods, shown as 39 rows of 10 periods each');
  expect(text).toMatch(/\b1–10 09:30–09:40 /);
  expect(text).toMatch(/\b381–390 15:50–16:00 /);
  expect(printed.pages).toHaveLength(2);
  mkdirSync(SHOTS, { recursive: true });
  for (const png of printed.pages) copyFileSync(png, join(SHOTS, basename(png)));
});

test('one-second periods (23,400) still print two pages, in rows of ten minutes', async ({
  planner,
  page,
}) => {
  await planner.fill({
    name: 'Buy FROG by the second',
    symbol: 'FROG',
    shares: '200000',
    lotSize: '100',
    periods: '23400',
    referencePrice: '31.5',
    beta: '0.00002',
  });
  await planner.button('Solve').click();
  await expect(planner.totalCost).toBeVisible({ timeout: 60_000 });
  const report = new ReportPage(page);
  await report.open();
  const printed = await report.print(OUT, 'report-seconds', 'A4');
  const text = squash(printed.text);
  expect(text).toContain('23,400 periods, shown as 39 rows of 600 periods each');
  expect(text).toMatch(/\b1–600 09:30:00–09:40:00 /);
  expect(printed.pages).toHaveLength(2);
  mkdirSync(SHOTS, { recursive: true });
  for (const png of printed.pages) copyFileSync(png, join(SHOTS, basename(png)));
});
