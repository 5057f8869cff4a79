/**
 * Risk-aware planning: a volatility and an urgency, the pre-trade figures against the
 * baselines, the efficient frontier (pick a point: its λ is solved at once), and the risk
 * settings saved with the plan. Screenshots of the new screens in light, dark and 1024×700.
 */
import { join, resolve } from 'node:path';
import { test, expect } from './fixtures';
import { shotChecked } from './pages/layout';
import type { PlannerPage } from './pages/planner';

const DIR = resolve(__dirname, '../../test-results/screenshots');

/** 100,000 FROG over a 390-minute session with a U-shaped volume profile. */
async function frogPlan(planner: PlannerPage, name = 'Buy FROG risk'): Promise<void> {
  await planner.fill({
    name,
    symbol: 'FROG',
    shares: '100000',
    lotSize: '100',
    periods: '390',
    referencePrice: '31.5',
    model: 'power',
    beta: '0.00002',
    exponent: '0.5',
  });
  await planner.field('Volume profile').selectOption('u');
  await planner.field('Daily volume').fill('4000000');
}

test('volatility and urgency, pre-trade figures, frontier, pick a point, save and reopen', async ({
  planner,
  page,
}) => {
  test.setTimeout(180_000);
  await frogPlan(planner);
  await planner.fillRisk({ annualPct: '30' });
  // The conversion is shown with the period length and the minutes per year it uses.
  const conversion = planner.risk.getByTestId('volatility-conversion');
  await expect(conversion).toContainText('1 min per period (390 min session ÷ 390)');
  await expect(conversion).toContainText('30% × $31.50 × √(1 ÷ 98,280) = $0.03014 per period');
  await expect(planner.field('Minutes per year')).toHaveValue('98,280');
  // Presets scale with the plan: before a solve they are off, with the reason, λ still typed.
  await expect(planner.urgency('Medium')).toBeDisabled();
  await expect(planner.risk).toContainText('Presets need a solve first');
  await expect(planner.aversion).toBeEditable();

  await planner.solve(390);
  await expect(planner.preTrade).toBeVisible();
  await expect(planner.urgency('None')).toHaveAttribute('aria-pressed', 'true');
  await planner.urgency('Medium').click();
  await expect(planner.urgency('Medium')).toHaveAttribute('aria-pressed', 'true');
  const medium = await planner.aversion.inputValue();
  expect(Number(medium.replace(/,/g, ''))).toBeGreaterThan(0);
  await expect(planner.risk).toContainText('1 × the plan’s scale');
  await planner.solveAgain();
  await expect(page.getByTestId('timing-risk')).toContainText('risk (1 SD)');

  // Pre-trade figures for the optimum and every baseline.
  const table = planner.preTrade;
  for (const col of ['Optimal', 'Naive (TWAP)', 'Front-loaded', 'Back-loaded', 'VWAP'])
    await expect(table.getByRole('columnheader', { name: col })).toBeVisible();
  for (const row of [
    'Expected cost',
    'Cost per share',
    'Timing risk (1 SD)',
    '95% upper bound',
    'Expected average price',
    'Duration',
    'Participation',
  ])
    await expect(
      table.getByRole('rowheader', { name: new RegExp(`^${row.replace(/[()%]/g, '\\$&')}`) }),
    ).toBeVisible();
  // The day's volume once, above the table (the same for every strategy): the sum of the
  // U-shaped profile, whose periods are rounded to whole shares.
  await expect(page.getByTestId('day-volume')).toHaveText(
    /^Expected day volume 4,000,0\d\d shares \(the plan's volume profile\): the order of 100,000 shares is 2\.5% of it\.$/,
  );
  await expect(table).toContainText('assuming normal price moves');
  await expect(table).toContainText('bps');
  await expect(table).toContainText('¢');
  await expect(table).toContainText('$31.5');
  await expect(table).toContainText(/09:30–1[56]:\d\d/);

  // The schedule has the remaining shares and the volume columns.
  const header = planner.schedule.locator('thead');
  for (const col of ['Remaining', 'Exp. volume', 'Participation'])
    await expect(header.getByRole('columnheader', { name: col })).toBeVisible();
  await expect(planner.schedule.locator('tbody tr').last().locator('td').nth(5)).toHaveText('0');

  // The frontier, with every baseline and this plan on it.
  await planner.computeFrontier();
  await expect(planner.frontierChart).toHaveAttribute(
    'aria-label',
    /Baselines: Naive \(TWAP\) .*Front-loaded .*Back-loaded .*VWAP .*This plan: \$/,
  );
  // 25 λ; lot rounding can give neighbouring λ the same schedule, listed once.
  const pointsSummary = planner.frontier.getByText(
    /^Points of the frontier \((25|\d+ schedules from 25 λ: a range of λ gives the same one)\)$/,
  );
  await expect(pointsSummary).toBeVisible();

  // Clicking a point of the curve puts its λ in the form and solves with it.
  const sharesBefore = await planner.scheduleShares();
  const totalBefore = await planner.totalCost.textContent();
  // Up the curve from this plan (near the top of the "near the baselines" view): a larger λ.
  await planner.clickFrontier(0.4, 0.12);
  await expect(planner.aversion).not.toHaveValue(medium);
  const picked = await planner.aversion.inputValue();
  expect(Number(picked.replace(/,/g, ''))).toBeGreaterThan(Number(medium.replace(/,/g, '')));
  await expect(planner.totalCost).not.toHaveText(totalBefore!);
  await expect(planner.button('Solve')).toBeEnabled();
  expect(await planner.scheduleShares()).not.toEqual(sharesBefore);
  await expect(page.getByText(/The plan has changed since it was solved/)).toBeHidden();
  // The frontier stays (it does not depend on λ) and is not marked stale.
  await expect(planner.frontier.getByText(/since the frontier was computed/)).toBeHidden();

  // The keyboard way: a point from the list.
  await pointsSummary.click();
  const use = planner.frontier.getByRole('button', { name: /^Use λ = / });
  const listed = Number((await pointsSummary.textContent())!.match(/\((\d+)/)![1]);
  expect(listed).toBeGreaterThan(10);
  await expect(use).toHaveCount(listed);
  const totalPicked = await planner.totalCost.textContent();
  await use.first().click();
  await expect(planner.aversion).toHaveValue('0');
  await expect(planner.urgency('None')).toHaveAttribute('aria-pressed', 'true');
  await expect(planner.totalCost).not.toHaveText(totalPicked!);
  await expect(planner.button('Solve')).toBeEnabled();
  await planner.aversion.fill(picked);
  await planner.fillRisk({ permanentImpact: '1e-9' });
  await planner.solveAgain();

  // Saved with the plan; back after a reload.
  await planner.button('Save').click();
  await expect(planner.unsavedMarker).toBeHidden();
  await page.reload();
  // The first screen is the plan saved last; opening it from the library gives the same.
  await expect(planner.field('Name')).toHaveValue('Buy FROG risk');
  await planner.libraryItem('Buy FROG risk').getByRole('button', { name: /^Open/ }).click();
  await expect(planner.field('Annual volatility (%)')).toHaveValue('30');
  await expect(planner.aversion).toHaveValue(picked);
  await expect(planner.field('Permanent impact γ')).toHaveValue('1e-9');
  await expect(planner.field('Minutes per year')).toHaveValue('98,280');
  await expect(planner.unsavedMarker).toBeHidden();
  await expect(planner.preTrade).toBeVisible();
  await expect(planner.urgency('Medium')).toBeEnabled();
});

test('risk fields: the reference price, a missing volatility, both forms of volatility', async ({
  planner,
  page,
}) => {
  await planner.fill({ name: 'Sell ACME', symbol: 'ACME', shares: '5000', periods: '390' });
  await planner.fillRisk({ annualPct: '25' });
  // Said next to the field at once, and as the field's problem when solving.
  await expect(planner.risk).toContainText(/needs a reference price \(Order section\)/i);
  await expect(planner.problems).toContainText(
    'Annual volatility (%): needs a reference price (Order section) to turn a percentage into a price move',
  );
  await planner.fill({ referencePrice: '20' });
  await expect(planner.problems).toBeHidden();

  // Switching the form converts the value, so the plan keeps the same σ.
  await planner.fillRisk({ mode: 'period' });
  await expect(planner.field('Volatility ($ per period)')).toHaveValue(/^0\.0159/);
  await expect(planner.risk.getByTestId('volatility-conversion')).toContainText('= 25% a year');
  await planner.fillRisk({ mode: 'annual' });
  await expect(planner.field('Annual volatility (%)')).toHaveValue('25');

  // λ without a volatility is a problem named by its field; clearing the section is no risk.
  await planner.fillRisk({ annualPct: '', aversion: '1e-6' });
  await expect(planner.problems).toContainText(
    'Annual volatility (%): is required to weigh timing risk',
  );
  await planner.fillRisk({ aversion: '' });
  await expect(planner.problems).toBeHidden();
  await planner.solve(390);
  await expect(planner.preTrade).toBeVisible();
  await expect(planner.preTrade).not.toContainText('Timing risk');
  await expect(page.getByText('Timing risk and the 95% bound need a volatility')).toBeVisible();
  await expect(planner.frontier.getByRole('button', { name: 'Compute frontier' })).toBeDisabled();
  await expect(planner.frontier).toContainText('Set a volatility in the Risk section');
});

test('the frontier shows its progress, can be cancelled, and solving carries on', async ({
  planner,
  page,
}) => {
  test.setTimeout(120_000);
  // One-share lots: every point of the curve is a long exact solve.
  await planner.fill({
    name: 'Buy BIG',
    symbol: 'BIG',
    shares: '200000',
    lotSize: '1',
    periods: '390',
    referencePrice: '31.5',
    beta: '0.00002',
  });
  await planner.fillRisk({ annualPct: '30', aversion: '1e-7' });
  await planner.button('Solve').click();
  await expect(planner.schedule.locator('tbody tr')).toHaveCount(390, { timeout: 90_000 });
  await planner.frontier.getByRole('button', { name: 'Compute frontier' }).click();
  const progress = page.getByRole('progressbar', { name: 'Computing the frontier' });
  await expect(progress).toBeVisible();
  // The solver does one job at a time: Solve waits, and says why.
  await expect(planner.button('Solve')).toBeDisabled();
  await expect(page.getByText('The efficient frontier is being computed.')).toBeVisible();
  await planner.frontier.getByRole('button', { name: 'Cancel' }).click();
  await expect(planner.frontier.getByText('Frontier cancelled.')).toBeVisible();
  await expect(progress).toBeHidden();
  await expect(planner.frontierChart).toBeHidden();
  await planner.fillRisk({ aversion: '2e-7' });
  await planner.solveAgain();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`risk screens (${scheme})`, async ({ planner, page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    const shot = (name: string) =>
      shotChecked(page, join(DIR, `${scheme}-${name}.png`), `${scheme} ${name}`);
    await frogPlan(planner);
    await planner.fillRisk({ annualPct: '30' });
    await planner.solve(390);
    await planner.urgency('Medium').click();
    await planner.solveAgain();
    await expect(planner.urgency('Medium')).toHaveAttribute('aria-pressed', 'true');
    await planner.computeFrontier();
    // One point per schedule, each with its λ; the plan's own point is ringed on the chart.
    await planner.frontier.getByText(/^Points of the frontier/).click();
    const points = planner.frontier.getByRole('table', { name: 'Frontier points' });
    await expect(points).toBeVisible();
    const count = await points.locator('tbody tr').count();
    expect(count).toBeGreaterThan(3);
    expect(count).toBeLessThanOrEqual(25);
    await planner.frontier.getByText(/^Points of the frontier/).click();
    await expect(planner.preTrade).toContainText('Timing risk (1 SD)');
    await expect(planner.preTrade).toContainText('95% upper bound');

    for (const size of [
      { width: 1400, height: 1024, tag: '' },
      { width: 1024, height: 700, tag: '-1024' },
    ]) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await planner.risk.scrollIntoViewIfNeeded();
      await expect(planner.aversion).toBeInViewport();
      await planner.page.locator('.results-col').evaluate((el) => el.scrollTo(0, 0));
      // The warnings and the summary sit above it: scrolled to, it shows whole.
      await planner.preTrade.scrollIntoViewIfNeeded();
      await expect(planner.preTrade).toBeInViewport();
      await shot(`10-risk-pretrade${size.tag}`);
      await planner.frontier.scrollIntoViewIfNeeded();
      await expect(planner.frontierChart).toBeInViewport();
      await shot(`11-frontier${size.tag}`);
      await planner.schedule.scrollIntoViewIfNeeded();
      await expect(planner.schedule.locator('tbody tr')).toHaveCount(390);
      await shot(`12-schedule-risk${size.tag}`);
      if (size.tag === '') {
        await planner.frontier.getByRole('button', { name: 'Whole curve' }).click();
        await expect(planner.frontier.getByRole('button', { name: 'Whole curve' })).toHaveAttribute(
          'aria-pressed',
          'true',
        );
        await planner.frontier.scrollIntoViewIfNeeded();
        await shot('11-frontier-whole-curve');
        await planner.frontier.getByRole('button', { name: 'Near the baselines' }).click();
      }
    }
  });
}
