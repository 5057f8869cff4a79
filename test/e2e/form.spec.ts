/** The plan form: numbers read as the user means them, one list of problems, caps checked while typing. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';

test('reference price "31,50" is not read as 3150: it is refused, and 31.50 gives the right bps', async ({
  planner,
}) => {
  await planner.fill({ name: 'Comma', symbol: 'FROG', shares: '1000', periods: '10' });
  await planner.fill({ referencePrice: '31,50' });
  const message =
    'Reference price: "31,50" is ambiguous: use 31.50 (a point marks decimals; a comma only groups thousands, as in 1,000)';
  await expect(planner.problems).toContainText(message);
  await expect(planner.field('Reference price')).toHaveAccessibleDescription(
    /is ambiguous: use 31\.50/,
  );
  await expect(planner.page.locator('#solve-reason')).toHaveText(message);
  await expect(planner.button('Solve')).toBeDisabled();

  // 10 periods of 100 shares: impact 0.0001 × √100 = $0.001 a share, $1 on 1,000 shares of $31.50.
  await planner.fill({ referencePrice: '31.50' });
  await planner.solve(10);
  await expect(planner.results).toContainText('0.32 bps');
  // "1,000" (a group of three) is one thousand.
  await planner.fill({ shares: '1,000' });
  await expect(planner.button('Solve')).toBeEnabled();
});

test('session end equal to the start: the solve bar names the field and the problem', async ({
  planner,
}) => {
  await planner.fill({ name: 'Clock', symbol: 'FROG', shares: '1000' });
  await planner.field('End').fill('09:30');
  await expect(planner.page.locator('#solve-reason')).toHaveText(
    'Session end: must be after the session start (09:30)',
  );
  await expect(planner.field('End')).toHaveAccessibleDescription(
    'must be after the session start (09:30)',
  );
  await expect(planner.button('Solve')).toBeDisabled();
  await planner.field('End').fill('16:00');
  await expect(planner.page.locator('#solve-reason')).toHaveText('Ready to solve.');
});

test('period length 0 or -1 blocks Solve instead of saying "Ready to solve"', async ({
  planner,
}) => {
  await planner.fill({ name: 'Length', symbol: 'FROG', shares: '1000' });
  for (const len of ['0', '-1']) {
    await planner.field('Period length (min)').fill(len);
    await expect(planner.page.locator('#solve-reason')).toHaveText(
      'Period length: must be a number of minutes above 0 (Periods is left as it is)',
    );
    await expect(planner.button('Solve')).toBeDisabled();
  }
  await planner.field('Period length (min)').fill('5');
  await expect(planner.field('Periods')).toHaveValue('78');
  await expect(planner.button('Solve')).toBeEnabled();
});

test('infeasible caps are said next to the cap field while typing, in shares', async ({
  planner,
}) => {
  await planner.fill({ name: 'Caps', symbol: 'FROG', shares: '100000' });
  await planner.field('Cap per period').selectOption('shares');
  await planner.field('Cap (shares)').fill('38');
  await expect(planner.field('Cap (shares)')).toHaveAccessibleDescription(
    '38 shares a minute is less than one lot (100)',
  );
  await expect(planner.button('Solve')).toBeDisabled();
  await planner.field('Cap (shares)').fill('100');
  await expect(planner.field('Cap (shares)')).toHaveAccessibleDescription(
    'caps allow at most 39,000 of 100,000 shares over 390 periods (a cap of at least 300 shares a minute fills the order)',
  );
  await planner.field('Cap (shares)').fill('300');
  await expect(planner.field('Cap (shares)')).not.toHaveAttribute('aria-invalid');
  await expect(planner.button('Solve')).toBeEnabled();
});

test('a plan fitted from the order book shows rounded coefficients, names the book, and is unchanged by opening it', async ({
  planner,
  page,
}, testInfo) => {
  const n = 3;
  const plan = {
    name: 'FROG 2025-03-07 buy (fitted book)',
    symbol: 'FROG',
    side: 'buy',
    shares: 10000,
    lotSize: 100,
    periods: n,
    referencePrice: 31.505,
    session: { start: '09:30', end: '09:33', timeZone: 'America/New_York' },
    volumeProfile: [12000, 8000, 15000],
    maxPerPeriod: [5000, 4000, 6000],
    impact: {
      model: 'power',
      beta: 0.01129908832458,
      exponent: 0.5123456789,
      profile: [1.2345678901, 0.8, 0.9654321099],
    },
    risk: { volatility: 0.0123456789012, volatilityProfile: [1, 1.1, 0.9], aversion: 0 },
    notes:
      'From frog.csv, 2025-03-07, ask side, 1-minute periods, time-averaged books. Fitted g = β·x^α with α = 0.512.',
  };
  mkdirSync(testInfo.outputDir, { recursive: true });
  const file = join(testInfo.outputDir, 'fitted.json');
  writeFileSync(file, JSON.stringify(plan));
  await page.getByLabel('Plan file to import').setInputFiles(file);
  await expect(planner.field('Name')).toHaveValue(plan.name);
  await expect(planner.field('Beta')).toHaveValue('0.0112991');
  await expect(planner.field('Exponent')).toHaveValue('0.512346');
  await expect(planner.field('Intraday profile').locator('option:checked')).toHaveText(
    'From the order book: FROG 2025-03-07',
  );
  await expect(
    page.getByText('3 values loaded from the order book: FROG 2025-03-07').first(),
  ).toBeVisible();
  await expect(planner.unsavedMarker).toBeHidden();

  // Opening it changed nothing: the exported plan is the imported one, to the last digit.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    planner.button('Export plan').click(),
  ]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as typeof plan;
  expect(exported).toMatchObject(plan);
  expect(exported.impact.beta).toBe(0.01129908832458);
});

test('the calibrated model typed in: units and source of every parameter, the permanent impact in the totals', async ({
  planner,
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.emulateMedia({ colorScheme: 'light' });
  await planner.fill({ name: 'Calibrated', symbol: 'FROG', shares: '1000', periods: '10' });
  await planner.fill({ referencePrice: '50' });
  await planner.field('Impact model').selectOption({ label: 'Calibrated (Almgren et al. 2005)' });
  // V_t is the volume profile: without one the plan says where to give it.
  await expect(page.getByTestId('calibrated-needs-volume')).toBeVisible();
  await planner.field('Volume profile').selectOption('flat');
  await planner.field('Daily volume').fill('100000');
  await expect(page.getByTestId('calibrated-needs-volume')).toBeHidden();
  await planner.field('σ daily volatility').fill('0.5');
  await planner.field('Spread s').fill('0.04');
  await expect(planner.field('σ daily volatility')).toHaveAccessibleDescription(
    '$ per share per day (1% of the reference price) · typed in',
  );
  await expect(planner.field('Spread s')).toHaveAccessibleDescription(
    '$ per share (4¢) · typed in',
  );
  await expect(planner.field('η (temporary)')).toHaveAttribute('placeholder', '0.142');
  await expect(planner.field('η (temporary)')).toHaveAccessibleDescription('no unit · default');
  await expect(planner.field('β (exponent)')).toHaveAttribute('placeholder', '0.6');
  await expect(planner.field('γ (permanent)')).toHaveAttribute('placeholder', '0.314');
  await page.locator('fieldset', { hasText: 'Impact model' }).screenshot({
    path: 'test-results/screenshots/light-calibrated-form.png',
  });
  await page.screenshot({ path: 'test-results/screenshots/light-calibrated-1024.png' });

  // 10 periods of 10,000 shares: the optimum is 100 shares a period (VWAP = TWAP here);
  // permanent ½ · 0.314 · 0.5 · (1,000 / 100,000) · 1,000 = $0.785.
  await planner.solve(10);
  expect(await planner.scheduleShares()).toEqual(new Array(10).fill(100));
  await expect(page.getByTestId('permanent-cost')).toHaveText('+ $0.79 permanent impact');
  await expect(planner.preTrade.getByRole('row', { name: /^Permanent/ })).toContainText('$0.79');
  await planner.results.screenshot({
    path: 'test-results/screenshots/light-calibrated-results.png',
  });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    planner.button('Export plan').click(),
  ]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
    impact: Record<string, unknown>;
  };
  expect(exported.impact).toMatchObject({
    model: 'calibrated',
    sigma: 0.5,
    spread: 0.04,
    eta: 0.142,
    beta: 0.6,
    gamma: 0.314,
    sources: { sigma: 'typed', spread: 'typed' },
  });
});

test('a calibrated plan made from data shows its fitted values read-only with their source, and opens unchanged', async ({
  planner,
  page,
}, testInfo) => {
  const plan = {
    name: 'FROG calibrated',
    symbol: 'FROG',
    side: 'buy',
    shares: 3000,
    lotSize: 100,
    periods: 3,
    referencePrice: 31.5,
    volumeProfile: [12000, 8000, 15000],
    impact: {
      model: 'calibrated',
      sigma: 0.4123456789,
      spread: [0.02, 0.01, 0.015],
      eta: 0.142,
      beta: 0.6,
      gamma: 0.314,
      volatilityProfile: [1.2, 0.9, 0.9],
      sources: {
        sigma: 'fitted',
        spread: 'fitted',
        eta: 'default',
        beta: 'default',
        gamma: 'default',
        volatilityProfile: 'fitted',
      },
      calibration: { days: 5, dates: ['2025-04-01', '2025-04-02'], r2: 0.71 },
    },
  };
  mkdirSync(testInfo.outputDir, { recursive: true });
  const file = join(testInfo.outputDir, 'calibrated.json');
  writeFileSync(file, JSON.stringify(plan));
  await page.getByLabel('Plan file to import').setInputFiles(file);
  await expect(planner.field('Name')).toHaveValue(plan.name);
  await expect(planner.field('Impact model').locator('option:checked')).toHaveText(
    'Calibrated (Almgren et al. 2005)',
  );
  const sigma = planner.field('σ daily volatility');
  await expect(sigma).toHaveValue('0.412346');
  await expect(sigma).toHaveAttribute('readonly', '');
  await expect(sigma).toHaveAccessibleDescription(/· fitted to data$/);
  await expect(page.getByText('3 values per period, 0.01–0.02 $ · fitted to data')).toBeVisible();
  await expect(page.getByText('σ varies by period: 3 multipliers (fitted to data).')).toBeVisible();
  await expect(planner.field('η (temporary)')).toHaveValue('');
  // How the values were estimated comes with them.
  await expect(page.getByTestId('calibration-fit')).toHaveText(
    'Calibration: fitted on 5 days (2025-04-01, 2025-04-02); η, β fit R² 0.71.',
  );
  await expect(planner.unsavedMarker).toBeHidden();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    planner.button('Export plan').click(),
  ]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as typeof plan;
  expect(exported).toMatchObject(plan);

  // Editing a fitted value is a choice; the value is then typed.
  await page.getByRole('button', { name: 'Edit fitted values' }).click();
  await expect(sigma).not.toHaveAttribute('readonly', '');
  await sigma.fill('0.45');
  await expect(sigma).toHaveAccessibleDescription(/· typed in$/);
});
