/** A trader imports an MBP-10 order book, reads its summary and plans against it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { mbp10Csv, mbp10Header, syntheticDay } from '../fixtures/mbp10';

const dir = mkdtempSync(join(tmpdir(), 'book-e2e-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dayCsv(): string {
  // 09:25–10:00 New York on 2025-04-03, with one malformed row on line 3.
  const text = mbp10Csv(
    syntheticDay({
      fromMs: Date.parse('2025-04-03T13:25:00Z'),
      toMs: Date.parse('2025-04-03T14:00:00Z'),
      rows: 3000,
    }),
    { symbol: 'FROG' },
  );
  const lines = text.split('\n');
  lines.splice(2, 0, '1,2,3');
  return lines.join('\n');
}

test('import an order book, read the summary, plan against the book and solve', async ({
  planner,
  page,
}) => {
  await planner.openBook();
  const panel = planner.bookPanel;
  await panel.getByLabel('Session end', { exact: true }).fill('10:00');
  await panel.getByLabel('Period length (minutes)').fill('5');
  await planner.chooseBookFile('FROG-mbp10.csv', dayCsv());
  await expect(
    panel.getByRole('status').filter({ hasText: 'Imported FROG 2025-04-03' }),
  ).toBeVisible();

  const summary = panel.getByRole('region', { name: 'FROG 2025-04-03' });
  await expect(summary).toContainText('3,001 read, 3,000 usable');
  await expect(summary).toContainText('1 malformed (first at lines 3)');
  await expect(summary).toContainText('6 of 6');
  await expect(panel.getByRole('button', { name: /^Open FROG 2025-04-03/ })).toBeVisible();
  await expect(panel.getByRole('img', { name: /Bid-ask spread/ })).toBeVisible();
  await expect(panel.getByRole('img', { name: /Average impact per share/ })).toBeVisible();

  const use = panel.getByRole('region', { name: 'Use in plan' });
  await use.getByLabel('Shares', { exact: true }).fill('5000');
  await use.getByLabel('Lot size', { exact: true }).fill('100');
  // The calibrated model is the default; a day without trades cannot be calibrated, so the
  // plan is the exact book, and the form and the plan's notes say why.
  await expect(use.getByLabel('Impact model')).toHaveValue('calibrated');
  await expect(use).toContainText('No traded volume in this dataset to calibrate from');
  await use.getByRole('button', { name: 'Use in plan' }).click();

  await expect(page.getByRole('tab', { name: 'Planner' })).toHaveAttribute('aria-selected', 'true');
  await expect(planner.field('Symbol')).toHaveValue('FROG');
  await expect(planner.field('Shares')).toHaveValue('5000');
  await expect(planner.field('Impact model')).toHaveValue('book');
  await expect(planner.field('Notes')).toHaveValue(
    /The calibrated model is not possible \(cannot calibrate the cost model from FROG-mbp10\.csv: volumes: the days have no traded volume/,
  );
  // Trying another model does not lose the book: it stays a choice until the plan is replaced.
  await planner.field('Impact model').selectOption('power');
  await expect(planner.field('Beta')).toBeVisible();
  await planner.field('Impact model').selectOption('book');
  await expect(page.getByLabel('Order book ladders')).toContainText('6 periods');
  await planner.solve(6);
  const shares = await planner.scheduleShares();
  expect(shares.reduce((a, b) => a + b, 0)).toBe(5000);
});

test('a file that is not MBP-10 gets a clear message', async ({ planner }) => {
  await expect(planner.library).toBeVisible();
  await planner.openBook();
  await planner.chooseBookFile('trades.csv', mbp10Header().replace(/,bid_px_0\d/g, '') + '\n');
  await expect(planner.bookPanel.getByRole('alert')).toContainText(
    'not a Databento MBP-10 CSV file',
  );
});
