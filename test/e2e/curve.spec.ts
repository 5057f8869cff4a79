/**
 * Cost by order size: after a solve the results show what every smaller order would cost,
 * each solved optimally, with the plan's own size marked; screenshots in light and dark and
 * in a small window land in test-results/screenshots/ for a human to look at.
 */
import { join, resolve } from 'node:path';
import { test, expect } from './fixtures';
import type { PlannerPage } from './pages/planner';

const DIR = resolve(__dirname, '../../test-results/screenshots');

async function solveFrog(planner: PlannerPage, referencePrice = '31.5'): Promise<void> {
  await planner.fill({
    name: 'Buy FROG',
    symbol: 'FROG',
    shares: '100000',
    lotSize: '100',
    referencePrice,
    beta: '0.00002',
  });
  await planner.field('Intraday profile').selectOption('u');
  await planner.solve(390);
}

test('after a solve the cost-by-size chart names the plan size, in $ and bps', async ({
  planner,
}) => {
  await expect(planner.costCurve).toBeHidden();
  await solveFrog(planner);
  const figure = planner.costCurve;
  await expect(figure).toBeVisible();
  await expect(figure).toContainText('What a smaller order would cost, each size solved optimally');
  // The plan's own size and cost, as the summary shows them.
  const total = (await planner.totalCost.textContent())!.trim();
  await expect(figure).toContainText(`This plan: 100,000 shares, ${total} (`);
  await expect(figure).toContainText(' bps)');
  const chart = figure.getByRole('img');
  await expect(chart).toHaveAccessibleName(
    /^Optimal cost against order size from 0 to 100,000 shares, in dollars and basis points; This plan: 100,000 shares/,
  );
  const box = await chart.boundingBox();
  expect(box!.height).toBeGreaterThan(150);
  expect(box!.width).toBeGreaterThan(300);
});

test('without a reference price the chart is in $ only', async ({ planner }) => {
  await planner.fill({
    name: 'Sell ACME',
    symbol: 'ACME',
    side: 'Sell',
    shares: '5000',
    periods: '10',
  });
  await planner.page.getByRole('checkbox', { name: /Session clock/ }).uncheck();
  await planner.solve(10);
  await expect(planner.costCurve).toContainText('This plan: 5,000 shares, $');
  await expect(planner.costCurve).not.toContainText('bps');
  await expect(planner.costCurve.getByRole('img')).toHaveAccessibleName(
    /^Optimal cost against order size from 0 to 5,000 shares; /,
  );
});

test('an intraday profile value of 0 is accepted; a negative one is refused by name', async ({
  planner,
  page,
}) => {
  // The intraday profile belongs to the (advanced) power law.
  await planner.fill({ name: 'Cross', symbol: 'X', shares: '1000', periods: '4', model: 'power' });
  await page.getByRole('checkbox', { name: /Session clock/ }).uncheck();
  await planner.field('Intraday profile').selectOption('custom');
  const csv = (text: string) => ({
    name: 'profile.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(text),
  });
  await planner.field('Profile CSV').setInputFiles(csv('multiplier\n-1\n1\n1\n1\n'));
  await expect(page.getByText('profile.csv: line 2: -1 is negative (0 is allowed)')).toBeVisible();
  await planner.field('Profile CSV').setInputFiles(csv('multiplier\n1\n0\n1\n1\n'));
  await expect(page.getByText('4 values loaded')).toBeVisible();
  await expect(planner.problems).toBeHidden();
  await planner.solve(4);
  // The free period takes the whole order (zero impact there).
  expect(await planner.scheduleShares()).toEqual([0, 1000, 0, 0]);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of the results with the cost-by-size chart (${scheme})`, async ({
    planner,
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await solveFrog(planner);
    await expect(planner.costCurve).toBeVisible();
    // The curve arrives after the table (a job of its own): wait for the chart itself.
    await expect(planner.costCurve.getByRole('img')).toBeVisible();
    await planner.costCurve.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(DIR, `${scheme}-7-cost-curve-window.png`) });
    await planner.costCurve.screenshot({ path: join(DIR, `${scheme}-7-cost-curve-chart.png`) });
    // The results panel scrolls inside the window: a tall window shows it from the top.
    await page.setViewportSize({ width: 1400, height: 1500 });
    await page.getByRole('region', { name: 'Summary' }).scrollIntoViewIfNeeded();
    const panel = (await planner.results.boundingBox())!;
    const figure = (await planner.costCurve.boundingBox())!;
    await page.screenshot({
      path: join(DIR, `${scheme}-7-cost-curve-results.png`),
      clip: {
        x: panel.x,
        y: panel.y,
        width: panel.width,
        height: figure.y + figure.height + 8 - panel.y,
      },
    });

    await page.setViewportSize({ width: 1024, height: 700 });
    await expect(planner.costCurve).toBeVisible();
    await planner.costCurve.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(DIR, `${scheme}-8-cost-curve-1024x700.png`) });
    await planner.costCurve.screenshot({
      path: join(DIR, `${scheme}-8-cost-curve-chart-1024.png`),
    });
    // Nothing sticks out of the figure at the small size.
    const small = (await planner.costCurve.boundingBox())!;
    const chart = (await planner.costCurve.getByRole('img').boundingBox())!;
    expect(chart.x).toBeGreaterThanOrEqual(small.x);
    expect(chart.x + chart.width).toBeLessThanOrEqual(small.x + small.width + 0.5);
  });
}
