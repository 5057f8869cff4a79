/** The first screen: a worked example in a trader's terms (or the plan opened last), never an empty form. */
import { test, expect } from './fixtures';

const EXAMPLE = 'Buy 100,000 FROG over the day (worked example)';

test('the first screen is the worked example: market figures typed, no problems listed, solves at once', async ({
  planner,
  page,
}) => {
  // A fresh window (the fixture started a new plan on it; a reload is the first screen again).
  await page.reload();
  await expect(planner.field('Name')).toHaveValue(EXAMPLE);
  await expect(planner.unsavedMarker).toBeHidden();
  await expect(planner.field('Impact model')).toHaveValue('market');
  await expect(planner.field('Average daily volume')).toHaveValue('2,000,000');
  await expect(planner.field('Daily volatility (%)')).toHaveValue('2');
  await expect(planner.field('Spread (bps)')).toHaveValue('5');
  await expect(planner.field('Commission (¢/share)')).toHaveValue('0.3');
  // σ = 2% × $31.50, spread 5 bps × $31.50, 0.3¢; the ADV over the whole day.
  await expect(page.getByTestId('market-summary')).toHaveText(
    'σ $0.63 a share a day · spread $0.01575 a share · commission $0.003 a share · expected volume over the session 2,000,000 shares (the order is 5% of it).',
  );
  await expect(page.getByTestId('not-calibrated')).toBeHidden();
  await expect(planner.problems).toBeHidden();
  await expect(page.locator('#solve-reason')).toHaveText('Ready to solve.');
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: 'test-results/screenshots/light-first-screen-1024.png' });
  await page.getByRole('group', { name: 'Impact', exact: true }).screenshot({
    path: 'test-results/screenshots/light-market-figures.png',
  });
  await planner.solve(390);
  // Each period's participation: the order is 5% of the day, spread like the volume.
  await expect(planner.schedule.getByRole('columnheader', { name: 'Participation' })).toBeVisible();
  await expect(planner.schedule.locator('tbody tr').first().locator('td').last()).toHaveText(
    /^[4-6]\.\d%$/,
  );

  // The calibrated model, built from the figures, is what a saved plan carries.
  await planner.field('Impact model').selectOption('calibrated');
  await expect(planner.field('σ daily volatility')).toHaveValue('0.63');
  await expect(planner.field('Spread s')).toHaveValue('0.01575');
});

test('a new plan says its cost is not calibrated until the market figures are typed', async ({
  planner,
  page,
}) => {
  await planner.fill({ name: 'Typed', symbol: 'FROG', shares: '20000', referencePrice: '20' });
  const note = page.getByTestId('not-calibrated');
  await expect(note).toContainText('Cost not calibrated');
  await planner.field('Average daily volume').fill('400000');
  await expect(page.locator('#solve-reason')).toContainText('Daily volatility (%)');
  await planner.field('Daily volatility (%)').fill('1.5');
  await planner.field('Spread (bps)').fill('8');
  await expect(note).toBeHidden();
  await expect(page.getByTestId('volume-from-market')).toBeVisible();
  await expect(page.getByTestId('market-summary')).toContainText('(the order is 5% of it)');
  await planner.solve(390);
  // The calibrated model's own fields carry what the figures came to.
  await planner.field('Impact model').selectOption('calibrated');
  await expect(planner.field('σ daily volatility')).toHaveValue('0.3');
  await expect(planner.field('Spread s')).toHaveValue('0.016');
  await expect(planner.field('Day volume')).toHaveValue('400000');
  await expect(planner.field('Volume profile').locator('option:checked')).toHaveText(
    'From the market figures (ADV over the session)',
  );
  // The advanced models stay one choice away, and are not calibrated.
  await planner.field('Impact model').selectOption('power');
  await expect(planner.field('Beta')).toBeVisible();
  await expect(note).toContainText('the impact coefficients are not derived from');
});

test('the first screen is the plan saved last', async ({ planner, page }) => {
  await planner.fill({ name: 'Sell KEEP', symbol: 'KEEP', shares: '3000', periods: '30' });
  await planner.button('Save').click();
  await expect(planner.unsavedMarker).toBeHidden();
  await page.reload();
  await expect(planner.field('Name')).toHaveValue('Sell KEEP');
  await expect(planner.savedMarker).toHaveText('Saved');
});
