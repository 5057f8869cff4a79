/** A long dynamic-programming solve shows progress, can be cancelled, and the app carries on. */
import { test, expect } from './fixtures';

test('cancel a long solve', async ({ planner, page }) => {
  // A non-convex table (impact falls, then rises) over 390 periods with 8,000 lots (2.5e10 DP steps): the
  // general DP needs far longer than this test waits.
  await planner.fill({
    name: 'Long DP',
    symbol: 'SLOW',
    shares: '8000',
    lotSize: '1',
    periods: '390',
    model: 'table',
    curve: '0, 0.05\n2000, 0.01\n8000, 0.02',
  });
  await planner.button('Solve').click();
  const progress = page.getByRole('progressbar', { name: 'Solving' });
  await expect(progress).toBeVisible();
  // Progress moves off zero (below 10% with one decimal).
  await expect(page.getByText(/Solving… (0\.[1-9]|[1-9]\d?(\.\d)?)%/)).toBeVisible({
    timeout: 30_000,
  });
  // The window stays responsive while the worker computes.
  await planner.field('Notes').fill('typed while solving');
  await planner.button('Cancel').click();
  await expect(page.getByText('Solve cancelled.')).toBeVisible();
  await expect(progress).toBeHidden();
  await expect(planner.schedule).toBeHidden();

  // The next solve starts at once and completes.
  await planner.fill({ shares: '2000', lotSize: '100', model: 'power' });
  await planner.solve(390);
});
