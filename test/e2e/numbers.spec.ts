/** Numbers a trader types: "200,000" and "200k" are 200,000 shares in the form and in Use in plan. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { mbp10Csv, syntheticDay } from '../fixtures/mbp10';

const dir = mkdtempSync(join(tmpdir(), 'numbers-e2e-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('shares typed as "200,000" and "200k" give 200000; "2mm" is refused with what to type', async ({
  planner,
}) => {
  await planner.fill({
    name: 'Buy FROG',
    symbol: 'FROG',
    shares: '200,000',
    lotSize: '100',
    periods: '10',
    referencePrice: '31.5',
    model: 'linear',
    beta: '0.0000123',
  });
  const shares = planner.field('Shares');
  await expect(shares).toHaveAccessibleDescription('200,000 shares = 2,000 lots');
  await planner.solve(10);
  expect((await planner.scheduleShares()).reduce((a, b) => a + b, 0)).toBe(200_000);

  await shares.fill('2mm');
  await expect(planner.problems).toContainText(
    'Shares: "2mm" is not a number of shares: type a number, optionally followed by k (thousand) or m (million)',
  );
  await expect(shares).toHaveAttribute('aria-invalid', 'true');
  await expect(planner.button('Solve')).toBeDisabled();

  await shares.fill('200k');
  await expect(planner.problems).toBeHidden();
  await expect(shares).toHaveAccessibleDescription('200,000 shares = 2,000 lots');
  // The plan saved from the form holds the number itself.
  await planner.solve(10);
  expect((await planner.scheduleShares()).reduce((a, b) => a + b, 0)).toBe(200_000);
  await shares.fill('1.5m');
  await expect(shares).toHaveAccessibleDescription('1,500,000 shares = 15,000 lots');
  await shares.fill('1.0005k');
  await expect(planner.problems).toContainText(
    'Shares: "1.0005k" is 1000.5 shares: a share count must be whole',
  );
});

test('Use in plan takes "200,000" and its error clears as soon as the text is fixed', async ({
  planner,
  page,
}) => {
  await planner.openBook();
  const panel = planner.bookPanel;
  await panel.getByLabel('Session end', { exact: true }).fill('10:00');
  await panel.getByLabel('Period length (minutes)').fill('5');
  const csv = mbp10Csv(
    syntheticDay({
      fromMs: Date.parse('2025-04-03T13:25:00Z'),
      toMs: Date.parse('2025-04-03T14:00:00Z'),
      rows: 3000,
    }),
    { symbol: 'FROG' },
  );
  await planner.chooseBookFile('FROG-mbp10.csv', csv);
  await expect(
    panel.getByRole('status').filter({ hasText: 'Imported FROG 2025-04-03' }),
  ).toBeVisible();

  const use = panel.getByRole('region', { name: 'Use in plan' });
  const shares = use.getByLabel('Shares', { exact: true });
  await shares.fill('2mm');
  await use.getByRole('button', { name: 'Use in plan' }).click();
  await expect(shares).toHaveAttribute('aria-invalid', 'true');
  await expect(shares).toHaveAccessibleDescription(/"2mm" is not a number of shares/);
  // Fixed: the error goes at once, before Use in plan is pressed again.
  await shares.fill('200,000');
  await expect(shares).not.toHaveAttribute('aria-invalid', 'true');
  await expect(use).not.toContainText('is not a number of shares');
  await shares.fill('250');
  await expect(shares).toHaveAccessibleDescription('must be a multiple of the lot size 100');
  await shares.fill('200k');
  await expect(shares).not.toHaveAttribute('aria-invalid', 'true');
  // Read as 200,000: more than this small book holds, which the backend says.
  await use.getByRole('button', { name: 'Use in plan' }).click();
  const refusal = use.getByRole('alert');
  await expect(refusal).toContainText('less than the 200,000 asked for');
  // That refusal is for 200,000 shares: it goes as soon as the order is changed.
  await shares.fill('10k');
  await expect(refusal).toBeHidden();
  await use.getByRole('button', { name: 'Use in plan' }).click();

  await expect(page.getByRole('tab', { name: 'Planner' })).toHaveAttribute('aria-selected', 'true');
  await expect(planner.field('Shares')).toHaveValue('10000');
});
