/**
 * Replay identity and TCA in the window: a plan is replayed only on a day of its own symbol
 * (its source's, else the symbol typed in the plan, without case); another symbol's day is not
 * offered and the panel says why. On its own symbol's day the replay shows the TCA table
 * (implementation shortfall against the arrival mid in $ and bps) with a POV baseline.
 */
import { test, expect } from './fixtures';
import { mbp10Csv, nsAt, type Mbp10Snapshot } from '../fixtures/mbp10';

const PERIODS = 30;

/** A day of `symbol`: a snapshot at each period start, mid drifting, one trade 20 s in. */
function csvOf(symbol: string, date: string, drift: number): string {
  const at = (minutes: number) =>
    nsAt(`${date}T13:30:00Z`) + BigInt(Math.round(minutes * 60)) * 1_000_000_000n;
  const rows: Mbp10Snapshot[] = [];
  for (let k = 0; k <= PERIODS; k++) {
    const mid = Math.round((100 + k * drift) * 1e4) / 1e4;
    const levels = Array.from({ length: 10 }, (_, j) => [(j + 1) / 100, 100 * (j + 1)]);
    const book = {
      bids: levels.map(
        ([off, size]) => [Math.round((mid - off) * 1e4) / 1e4, size] as [number, number],
      ),
      asks: levels.map(
        ([off, size]) => [Math.round((mid + off) * 1e4) / 1e4, size] as [number, number],
      ),
    };
    rows.push({ tsEvent: at(k), ...book });
    if (k < PERIODS) rows.push({ tsEvent: at(k + 1 / 3), ...book, action: 'T', size: 100 + k });
  }
  return mbp10Csv(rows, { symbol });
}

test('a plan is replayed only on its own symbol’s days: another symbol is refused with the reason; the TCA shows $ and bps with POV', async ({
  planner,
  page,
}) => {
  await planner.openBook();
  await planner.bookPanel.getByLabel('Session end', { exact: true }).fill('10:00');
  await planner.chooseBookFiles([
    { name: 'FROG-2025-04-01.csv', csv: csvOf('FROG', '2025-04-01', 0.01) },
    { name: 'ARL-2025-04-02.csv', csv: csvOf('ARL', '2025-04-02', -0.01) },
  ]);
  await expect(
    planner.bookPanel.getByRole('status').filter({ hasText: /^Imported/ }),
  ).toBeVisible();

  // A typed plan (no source) of "frog": the symbol it says decides, without case.
  await page.getByRole('tab', { name: 'Planner' }).click();
  await planner.fill({
    name: 'Typed frog',
    symbol: 'frog',
    side: 'Buy',
    shares: '3000',
    lotSize: '100',
    periods: String(PERIODS),
  });
  await planner.solve(PERIODS);
  const replay = planner.replay;
  const days = replay.getByLabel('Day to replay against');
  await expect(days.locator('option')).toHaveText(['FROG 2025-04-01 (FROG-2025-04-01.csv)']);
  await expect(replay.getByTestId('replay-unlisted')).toContainText(
    'ARL 2025-04-02, another symbol: the plan is of frog',
  );

  // On its own symbol's day: the TCA with units, and the POV baseline beside TWAP and VWAP.
  await replay.getByRole('button', { name: 'Replay' }).click();
  const tca = replay.getByRole('table', { name: /^Implementation shortfall/ });
  await expect(tca).toBeVisible();
  await expect(tca.getByRole('columnheader')).toHaveText([
    'Schedule',
    'Shortfall ($)',
    'Shortfall (bps)',
    'Impact (bps)',
    'Drift (bps)',
  ]);
  const optimal = tca.getByRole('row', { name: /^Optimal/ });
  await expect(optimal.getByRole('cell').nth(0)).toHaveText(/^\$[\d,]+(\.\d\d)?$/);
  await expect(optimal.getByRole('cell').nth(1)).toHaveText(/^-?[\d,]+\.\d\d bps$/);
  await expect(tca.getByRole('row', { name: /^Naive \(TWAP\)/ })).toBeVisible();
  await expect(tca.getByRole('row', { name: /^POV / })).toBeVisible();
  await expect(replay.getByTestId('replay-pov')).toContainText("of each period's traded volume");
  await replay.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/replay-tca.png', fullPage: false });

  // The same plan said to be of ARL: now the FROG day is the one refused.
  await page.getByRole('tab', { name: 'Planner' }).click();
  await planner.fill({ symbol: 'ARL' });
  await planner.solve(PERIODS);
  await expect(days.locator('option')).toHaveText(['ARL 2025-04-02 (ARL-2025-04-02.csv)']);
  await expect(replay.getByTestId('replay-unlisted')).toContainText(
    'FROG 2025-04-01, another symbol: the plan is of ARL',
  );
});

test('the summary shows the expected cost with its ±1 σ timing-risk range, $ and bps, for the plan and the baselines', async ({
  planner,
  page,
}) => {
  await planner.fill({
    name: 'Ranged',
    symbol: 'FROG',
    shares: '30000',
    lotSize: '100',
    periods: String(PERIODS),
    referencePrice: '100',
  });
  await planner.fillRisk({ annualPct: '30' });
  await planner.solve(PERIODS);
  const dollars = (t: string) => Number(t.replace(/[$,]/g, ''));
  const sd = dollars(
    /± (\$[\d,.]+) risk/.exec((await page.getByTestId('timing-risk').textContent()) ?? '')![1],
  );
  expect(sd).toBeGreaterThan(0);
  const range = page.getByTestId('cost-range');
  await expect(range).toHaveText(/^±1 σ: -?\$[\d,.]+ to -?\$[\d,.]+-?[\d,.]+ to -?[\d,.]+ bps$/);
  const [lo, hi] = [...((await range.textContent()) ?? '').matchAll(/(-?)\$([\d,.]+)/g)].map(
    (m) => (m[1] ? -1 : 1) * dollars(m[2]),
  );
  // The range is the expected cost ± the timing risk shown beside it (each rounded to cents).
  expect(Math.abs((hi - lo) / 2 - sd)).toBeLessThanOrEqual(0.01);
  const summary = page.getByRole('region', { name: 'Summary' });
  await expect(summary.getByRole('columnheader', { name: 'Expected cost ±1 σ' })).toBeVisible();
  // TWAP holds shares to the end: it has timing risk, so a range.
  await expect(page.getByTestId('range-naive')).toHaveText(/^-?\$[\d,.]+ to -?\$[\d,.]+/);
  await page.screenshot({ path: 'test-results/screenshots/replay-summary-range.png' });
});
