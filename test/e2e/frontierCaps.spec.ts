/**
 * frontier-points-pile-up-under-caps: with a cap per period several λ give the same schedule;
 * the frontier's list and chart show it once, with the λ range that gives it.
 */
import { test, expect } from './fixtures';

test('frontier-points-pile-up-under-caps: one point per schedule, with its λ range', async ({
  planner,
  page,
}) => {
  test.setTimeout(120_000);
  await planner.fill({
    name: 'Capped FROG',
    symbol: 'FROG',
    shares: '10000',
    lotSize: '100',
    periods: '10',
    referencePrice: '31.5',
    model: 'power',
    beta: '0.0002',
    exponent: '0.5',
  });
  await planner.field('Cap per period').selectOption('shares');
  await planner.field('Cap (shares)').fill('2000');
  await planner.fillRisk({ annualPct: '30' });
  await planner.solve(10);
  await planner.computeFrontier();

  const summary = planner.frontier.getByText(/^Points of the frontier/);
  // 25 λ solved; the fastest capped schedule (2,000 a period from the start) repeats.
  await expect(summary).toHaveText(
    /^Points of the frontier \((\d+) schedules from 25 λ: a range of λ gives the same one\)$/,
  );
  await summary.click();
  const rows = planner.frontier.getByRole('table', { name: 'Frontier points' }).locator('tbody tr');
  const n = await rows.count();
  expect(n).toBeGreaterThan(1);
  expect(n).toBeLessThan(25);
  const figures: string[][] = [];
  for (let r = 0; r < n; r++)
    figures.push((await rows.nth(r).locator('td').allTextContents()).map((t) => t.trim()));
  // No two points at the same cost and risk (they were drawn on top of each other).
  const pairs = figures.map((f) => `${f[1]} ${f[2]}`);
  expect(new Set(pairs).size).toBe(pairs.length);
  // The last point stands for the highest λ of the sweep: a range "a – b".
  expect(figures.at(-1)![0]).toMatch(/^\S+\s–\s\S+$/);
  await expect(page.getByRole('button', { name: /^Use λ = / })).toHaveCount(n);
});
