/**
 * csv-options-stays-open: the CSV options popover closes on Escape, on a press outside it,
 * when focus leaves it, and after an export (its own button or Export CSV).
 */
import { test, expect } from './fixtures';

test('csv-options-stays-open: the CSV options popover closes on Escape, outside click and export', async ({
  planner,
  page,
}) => {
  await planner.fill({ name: 'Buy FROG', symbol: 'FROG', shares: '10000', referencePrice: '31.5' });
  await planner.field('Periods').fill('10');
  await planner.solve(10);
  const summary = page.getByText('CSV options', { exact: true });
  const day = page.getByLabel('Trading day');

  await summary.click();
  await expect(day).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(day).toBeHidden();
  await expect(summary).toBeFocused();

  await summary.click();
  await expect(day).toBeVisible();
  // A press inside it keeps it open; one outside closes it.
  await page.getByLabel('Full precision (12 significant digits)').click();
  await expect(day).toBeVisible();
  await page.getByRole('heading', { name: 'Saved plans' }).click();
  await expect(day).toBeHidden();

  await summary.click();
  await day.fill('2025-03-07');
  const [fromPopover] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV with these options' }).click(),
  ]);
  expect(fromPopover.suggestedFilename()).toBe('FROG-buy-2025-03-07.csv');
  await expect(day).toBeHidden();

  await summary.click();
  await expect(day).toBeVisible();
  const [fromToolbar] = await Promise.all([
    page.waitForEvent('download'),
    planner.button('Export CSV').click(),
  ]);
  expect(fromToolbar.suggestedFilename()).toBe('FROG-buy-2025-03-07.csv');
  await expect(day).toBeHidden();
});
