/**
 * Warnings in the window: a plan whose child orders are above 100% of the periods' volume is
 * warned before the solve (from the form's plan) and after it, right above the Summary, so
 * that it is never shown as a clean optimum; a plan with nothing to warn about shows none.
 */
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { ReportPage } from './pages/report';

/** A calibrated plan in the stock's own figures: 10 periods of 1,000 shares' volume. */
function planFile(shares: number) {
  return {
    name: 'warned.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({
        format: 1,
        name: 'Buy FROG fast',
        symbol: 'FROG',
        side: 'buy',
        shares,
        lotSize: 100,
        periods: 10,
        referencePrice: 20,
        volumeProfile: Array(10).fill(1000),
        session: { start: '09:30', end: '09:40', timeZone: 'America/New_York' },
        impact: {
          model: 'calibrated',
          sigma: 0.4,
          spread: 0.02,
          sources: { sigma: 'typed', spread: 'typed', volumeProfile: 'typed' },
        },
      }),
    ),
  };
}

const before = (page: Page) =>
  page.getByRole('region', { name: 'Warnings before solving', exact: true });
const after = (page: Page) => page.getByRole('region', { name: 'Warnings', exact: true });

test('a plan over 100% participation is warned before and after Solve, above the Summary', async ({
  planner,
  page,
}) => {
  await page.getByLabel('Plan file to import').setInputFiles(planFile(15_000));
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Buy FROG fast');

  // Before the solve: the even pace (1,500 shares a period) against 1,000 expected.
  await expect(before(page)).toBeVisible();
  await expect(before(page)).toContainText('before you solve');
  await expect(before(page).locator('[data-code="participation"]')).toContainText(
    'above 100% of the period’s expected volume in 10 periods',
  );
  await expect(before(page).locator('[data-code="participation"]')).toContainText('150%');
  await expect(before(page).locator('[data-code="order-vs-volume"]')).toContainText(
    '150% of the expected volume',
  );

  await planner.solve(10);
  // After it: the solve's own warnings, right above the Summary's figures.
  await expect(after(page)).toBeVisible();
  await expect(after(page)).toContainText('check these before trading');
  await expect(after(page).locator('[data-code="participation"]')).toContainText(
    /above 100% of the period’s expected volume in 10 periods .* the worst is 150%/,
  );
  expect(
    await after(page).evaluate((el) => el.nextElementSibling?.getAttribute('aria-label')),
  ).toBe('Summary');
  // The form's own list is gone: the results are this plan's.
  await expect(before(page)).toHaveCount(0);
  // The report lists them too (atop the schedule's page).
  const report = new ReportPage(page);
  await report.open();
  // Page 1 says how many, beside "Solved exactly", so the figures never read as a clean optimum.
  await expect(
    report.preview
      .getByRole('region', { name: 'Report page 1' })
      .getByTestId('report-warning-count'),
  ).toHaveText(/^\d+ warnings? to check before trading:\s+page 2$/);
  const page2 = report.preview.getByRole('region', { name: 'Report page 2' });
  await expect(page2.getByRole('region', { name: 'Warnings', exact: true })).toContainText(
    'above 100% of the period’s expected volume in 10 periods',
  );
  await page.keyboard.press('Escape');
  await expect(report.preview).toBeHidden();

  // Down to 500 shares (50 a period): nothing to warn about, before or after the solve.
  await planner.field('Shares').fill('500');
  await expect(before(page)).toHaveCount(0);
  await planner.solve(10);
  await expect(after(page)).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Summary' })).toBeVisible();
});
