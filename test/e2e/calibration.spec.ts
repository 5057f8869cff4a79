/**
 * Calibrating a plan on real days: a trader imports days with trades, reads their coverage
 * (one day ends mid-session), volume and σ, plans from one day with an urgency, replays the
 * plan against another day, and averages days. Every figure asserted is computed here from
 * the generated files. Screenshots of the new screens in light, dark and 1024×700.
 */
import { join, resolve } from 'node:path';
import { test, expect } from './fixtures';
import { shotChecked } from './pages/layout';
import type { PlannerPage } from './pages/planner';
import { mbp10Csv, nsAt, type Mbp10Snapshot } from '../fixtures/mbp10';

const DIR = resolve(__dirname, '../../test-results/screenshots');

// ---------------------------------------------------------------------------------------
// The generated days: 09:30–10:00 New York (EDT, UTC−4), one-minute periods (30).

const PERIODS = 30;
/** Ask and bid ladders: 10 levels 1¢ apart from 1¢ off the mid, 100, 200, … 1,000 shares. */
const LADDER: [number, number][] = Array.from({ length: 10 }, (_, j) => [
  (j + 1) / 100,
  100 * (j + 1),
]);
const DEPTH = LADDER.reduce((a, [, s]) => a + s, 0); // 5,500 shares a side

interface Day {
  date: string;
  file: string;
  /** Mid at each period start (the book changes only then). */
  mids: number[];
  /** Trade sizes per period. */
  trades: number[][];
  /** Minutes of the session with a book; the last row is written at this time. */
  endMinute: number;
}

/** A walk on a 1¢ grid: mid_k = 100 + Σ steps / 100, steps from a fixed pattern. */
function walk(n: number, mult: number): number[] {
  const mids: number[] = [];
  let ticks = 10_000;
  for (let k = 0; k < n; k++) {
    if (k > 0) ticks += ((k * mult) % 5) - 2;
    mids.push(ticks / 100);
  }
  return mids;
}

/** 2025-04-02: a book and trades all session. */
const DAY1: Day = {
  date: '2025-04-02',
  file: 'FROG-2025-04-02.csv',
  mids: walk(PERIODS, 7),
  trades: Array.from({ length: PERIODS }, (_, k) => [100 + 10 * k, 37 + k]),
  endMinute: 30,
};
/** 2025-04-03: the data ends at 09:47:30 (a last trade), mid-session. */
const DAY2: Day = {
  date: '2025-04-03',
  file: 'FROG-2025-04-03.csv',
  mids: walk(18, 3),
  trades: [...Array.from({ length: 17 }, (_, k) => [200 + 5 * k]), [90]],
  endMinute: 17.5,
};

function book(mid: number): Pick<Mbp10Snapshot, 'bids' | 'asks'> {
  return {
    bids: LADDER.map(([off, size]) => [round(mid - off), size]),
    asks: LADDER.map(([off, size]) => [round(mid + off), size]),
  };
}

/** The day as MBP-10 CSV: a snapshot at each period start, trade rows (same book) 20 s in. */
function csvOf(day: Day): string {
  const at = (minutes: number) =>
    nsAt(`${day.date}T13:30:00Z`) + BigInt(Math.round(minutes * 60)) * 1_000_000_000n;
  const rows: Mbp10Snapshot[] = [];
  day.mids.forEach((mid, k) => {
    rows.push({ tsEvent: at(k), ...book(mid) });
    day.trades[k]?.forEach((size, i) => {
      rows.push({ tsEvent: at(k + (20 + i) / 60), ...book(mid), action: 'T', size });
    });
  });
  const last = day.mids[day.mids.length - 1];
  if (day.endMinute === PERIODS) rows.push({ tsEvent: at(PERIODS), ...book(last) });
  else rows.push({ tsEvent: at(day.endMinute), ...book(last), action: 'T', size: 55 });
  return mbp10Csv(rows, { symbol: 'FROG' });
}

const volumeOf = (d: Day) =>
  d.trades.flat().reduce((a, b) => a + b, 0) + (d.endMinute === PERIODS ? 0 : 55);
const tradesOf = (d: Day) => d.trades.flat().length + (d.endMinute === PERIODS ? 0 : 1);

/** σ per period: the sample standard deviation of the one-period mid changes. */
function sigmaOf(mids: number[]): number {
  const d = mids.slice(1).map((m, i) => m - mids[i]);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  return Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
}

/** Walk cost of x shares through LADDER. */
function walkCost(x: number): number {
  let left = x;
  let cost = 0;
  for (const [off, size] of LADDER) {
    const take = Math.min(left, size);
    cost += take * off;
    left -= take;
  }
  return cost;
}

// The window's formats.
const int = (v: number) => new Intl.NumberFormat('en-US').format(v);
const sig3 = (v: number) =>
  new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }).format(v);
const bps2 = (v: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
const money = (v: number) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    ...(Math.abs(v) >= 1000
      ? { maximumFractionDigits: 0 }
      : { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  }).format(v);
const pct1 = (v: number) =>
  `${Math.abs(v) < 0.05 ? '' : v > 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}%`;
const dollars = (text: string) => Number(text.replace(/[$,]/g, ''));
function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

async function importDays(planner: PlannerPage, days: Day[]): Promise<void> {
  await planner.chooseBookFiles(days.map((d) => ({ name: d.file, csv: csvOf(d) })));
  await expect(
    planner.bookPanel.getByRole('status').filter({ hasText: /^Imported/ }),
  ).toBeVisible();
}

async function openBookTab(planner: PlannerPage): Promise<void> {
  await planner.openBook();
  await planner.bookPanel.getByLabel('Session end', { exact: true }).fill('10:00');
}

/** The summary's value for a label ("Day volume" → "7,440 shares in 60 trades"). */
function figure(planner: PlannerPage, summary: string, label: string) {
  return planner.bookSummary(summary).locator(`dt:text-is("${label}") + dd`).first();
}

// ---------------------------------------------------------------------------------------

test('import days with trades, read coverage, volume and σ, plan with urgency, replay against another day', async ({
  planner,
  page,
}) => {
  test.setTimeout(120_000);
  await openBookTab(planner);
  const panel = planner.bookPanel;

  // Day 1: a book all session, trades in every period.
  await importDays(planner, [DAY1]);
  const s1 = 'FROG 2025-04-02';
  await expect(figure(planner, s1, 'Book per period')).toHaveText(
    'time-averaged book of each period',
  );
  await expect(figure(planner, s1, 'Periods covered')).toHaveText('30 of 30');
  await expect(figure(planner, s1, 'Not covered')).toHaveText('none');
  await expect(figure(planner, s1, 'Largest gap')).toHaveText('none: a book all session');
  await expect(figure(planner, s1, 'First and last row')).toHaveText(
    '09:30:00 to 10:00:00 on 2025-04-02',
  );
  const v1 = volumeOf(DAY1);
  await expect(figure(planner, s1, 'Day volume')).toHaveText(
    `${int(v1)} shares in ${tradesOf(DAY1)} trades`,
  );
  const sigma1 = sigmaOf(DAY1.mids);
  await expect(figure(planner, s1, 'Volatility σ')).toContainText(
    `$${sig3(sigma1)} per 1-min period (${bps2((sigma1 / DAY1.mids[0]) * 1e4)} bps of the arrival price)`,
  );
  await expect(figure(planner, s1, 'Volatility σ')).toContainText(
    `from ${PERIODS - 1} one-period mid changes`,
  );
  await expect(figure(planner, s1, 'Arrival price')).toContainText(
    `${money(DAY1.mids[0])} mid at 09:30`,
  );
  await expect(figure(planner, s1, 'Median visible depth')).toHaveText(
    `bid ${int(DEPTH)}, ask ${int(DEPTH)} shares`,
  );
  await expect(
    panel.getByRole('img', { name: /Shares traded in each period \(bars\)/ }),
  ).toBeVisible();
  await expect(
    panel.getByRole('img', { name: /Standard deviation of the one-period mid/ }),
  ).toBeVisible();

  // Day 2: the data ends at 09:47:30, so 12 periods have no book and 09:47 only half.
  await importDays(planner, [DAY2]);
  const s2 = 'FROG 2025-04-03';
  await expect(figure(planner, s2, 'Periods covered')).toHaveText('18 of 30 (1 partly)');
  await expect(figure(planner, s2, 'Not covered')).toHaveText(
    '12 (no book: capped at 0) — periods 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, … (12 in all)',
  );
  await expect(figure(planner, s2, 'Largest gap')).toHaveText('09:47:30–10:00, 12.5 min');
  await expect(figure(planner, s2, 'First and last row')).toHaveText(
    '09:30:00 to 09:47:30 on 2025-04-03',
  );
  await expect(figure(planner, s2, 'Day volume')).toHaveText(
    `${int(volumeOf(DAY2))} shares in ${tradesOf(DAY2)} trades`,
  );
  await expect(panel.getByText('Shaded: periods with no book.')).toBeVisible();

  // Plan from day 1; the fitted law says how well it fits; a bad arrival time is refused.
  await panel.getByRole('button', { name: /^Open FROG 2025-04-02/ }).click();
  await expect(planner.bookSummary(s1)).toBeVisible();
  const use = panel.getByRole('region', { name: 'Use in plan' });
  await use.getByLabel('Shares', { exact: true }).fill('5000');
  await use.getByLabel('Lot size', { exact: true }).fill('100');
  await use.getByLabel('Impact model').selectOption('fit');
  await expect(use.getByTestId('fit-quality')).toContainText(/Pooled R² \d\.\d{3} on the ask side/);
  await use.getByLabel('Impact model').selectOption('book');
  await expect(use.getByTestId('fit-quality')).toBeHidden();
  const arrival = use.getByLabel('Arrival time (optional)');
  await arrival.fill('9:5');
  await use.getByRole('button', { name: 'Use in plan' }).click();
  await expect(use).toContainText('must be a clock time HH:MM');
  await arrival.fill('10:30');
  await use.getByRole('button', { name: 'Use in plan' }).click();
  await expect(use).toContainText('10:30 is outside the session 09:30–10:00');
  await arrival.fill('09:45');
  await use.getByRole('button', { name: 'Use in plan' }).click();

  // The plan: the reference price is the mid at 09:45, the volume from the trades (VWAP).
  await expect(planner.field('Shares')).toHaveValue('5000');
  await expect(planner.field('Reference price')).toHaveValue(String(DAY1.mids[15]));
  await planner.solve(PERIODS);
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText('VWAP');
  await expect(page.getByTestId('day-volume')).toHaveText(
    `Expected day volume ${int(v1)} shares (the plan's volume profile): the order of 5,000 shares is ${sig3((5000 / v1) * 100)}% of it.`,
  );
  // σ came with the book: the urgency presets work at once.
  await planner.urgency('Medium').click();
  await expect(planner.urgency('Medium')).toHaveAttribute('aria-pressed', 'true');
  await planner.solveAgain();
  await expect(page.getByTestId('timing-risk')).toContainText('risk (1 SD)');

  // Replay against day 2 (out of sample): computed here from the schedule and day 2's books.
  const replay = planner.replay;
  await expect(replay.getByLabel('Day to replay against')).toBeVisible();
  await replay
    .getByLabel('Day to replay against')
    .selectOption({ label: `FROG 2025-04-03 (${DAY2.file})` });
  await replay.getByRole('button', { name: 'Replay' }).click();
  const table = replay.getByRole('table', { name: 'Replay against a real day', exact: true });
  await expect(table).toBeVisible();
  await expect(replay.getByTestId('replay-about')).toContainText(
    'Out of sample: the plan was built from other days.',
  );
  const shares = await planner.scheduleShares();
  expect(shares.reduce((a, b) => a + b, 0)).toBe(5000);
  const withBook = DAY2.mids.length; // periods 1–18 have a book when they start
  let cost = 0;
  let drift = 0;
  let noBook = 0;
  shares.forEach((x, k) => {
    if (k < withBook) {
      cost += walkCost(x);
      drift += x * (DAY2.mids[k] - DAY2.mids[0]);
    } else noBook += x;
  });
  expect(noBook).toBeGreaterThan(0);
  const planned = dollars((await planner.totalCost.textContent()) ?? '');
  const optimal = table.getByRole('row', { name: /^Optimal/ });
  await expect(optimal.getByRole('cell')).toHaveText([
    money(planned),
    money(cost),
    // Marked: the unpriced shares make the replay look cheaper.
    `${pct1(((cost - planned) / planned) * 100)}*`,
    money(cost + drift),
    '0',
    int(noBook),
  ]);
  for (const name of ['Naive (TWAP)', 'Front-loaded', 'Back-loaded', 'VWAP'])
    await expect(
      table.getByRole('row', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')}`) }),
    ).toBeVisible();
  // TWAP trades in every period, so it too sends shares where day 2 has no book.
  await expect(
    table
      .getByRole('row', { name: /^Naive/ })
      .getByRole('cell')
      .last(),
  ).not.toHaveText('0');
  await expect(replay).toContainText('Shares in periods with no book are not priced');

  // Against its own day the exact book costs what was planned.
  await replay
    .getByLabel('Day to replay against')
    .selectOption({ label: `FROG 2025-04-02 (${DAY1.file}) — the plan was built from it` });
  await replay.getByRole('button', { name: 'Replay' }).click();
  await expect(replay.getByTestId('replay-about')).toContainText('In sample');
  await expect(optimal.getByRole('cell').nth(2)).toHaveText('0.0%');
  await expect(optimal.getByRole('cell').nth(1)).toHaveText(money(planned));

  // A saved plan reopens into the same result view, and replays again.
  await planner.fill({ name: 'FROG from 04-02' });
  await planner.button('Save').click();
  await expect(planner.unsavedMarker).toBeHidden();
  await page.reload();
  await planner.libraryItem('FROG from 04-02').getByRole('button', { name: /^Open/ }).click();
  await expect(planner.totalCost).toHaveText(money(planned));
  await replay
    .getByLabel('Day to replay against')
    .selectOption({ label: `FROG 2025-04-03 (${DAY2.file})` });
  await replay.getByRole('button', { name: 'Replay' }).click();
  await expect(optimal.getByRole('cell').nth(1)).toHaveText(money(cost));
});

test('a day with trades gives the calibrated model by default: fitted values with their source, solved with its permanent impact', async ({
  planner,
  page,
}) => {
  test.setTimeout(120_000);
  // DAY1's walk comes back every five minutes, so its 10-minute mid changes are all 0 and no
  // σ can be estimated from it; this day drifts as well.
  const day: Day = {
    ...DAY1,
    date: '2025-04-04',
    file: 'FROG-2025-04-04.csv',
    mids: DAY1.mids.map((m, k) => round(m + Math.floor(k / 4) / 100)),
  };
  await openBookTab(planner);
  await importDays(planner, [day]);
  const use = planner.bookPanel.getByRole('region', { name: 'Use in plan' });
  await expect(use.getByLabel('Impact model')).toHaveValue('calibrated');
  await use.getByLabel('Shares', { exact: true }).fill('5000');
  await use.getByLabel('Lot size', { exact: true }).fill('100');
  await use.getByRole('button', { name: 'Use in plan' }).click();

  await expect(planner.field('Impact model').locator('option:checked')).toHaveText(
    'Calibrated (Almgren et al. 2005)',
  );
  // 5,000 shares is most of this quiet day's volume: the default 25% cap could not fill it,
  // so the plan has none and says so.
  await expect(planner.field('Notes')).toHaveValue(
    /No participation cap: the default of 25% of each period's expected volume allows only [\d,]+ of the 5,000 shares\./,
  );
  // σ and the spread come from the day, read-only until the trader chooses to edit them.
  const sigma = planner.field('σ daily volatility');
  await expect(sigma).toHaveAttribute('readonly', '');
  await expect(sigma).toHaveAccessibleDescription(/· fitted to data$/);
  await expect(page.getByTestId('calibration-fit')).toContainText(
    /^Calibration: fitted on 1 day \(2025-04-04\); σ: .+; variance ratio \d\.\d\d/,
  );
  await planner.solve(PERIODS);
  await expect(page.getByTestId('permanent-cost')).toContainText(/^\+ \$[\d.,]+ permanent impact$/);
  // A plan made from data: its planned saving is said to be in-sample.
  await expect(page.getByRole('region', { name: 'Summary' }).locator('thead')).toContainText(
    'planned, in-sample',
  );
});

test('import two days at once: both are kept, their average opens; tick days to average', async ({
  planner,
}) => {
  test.setTimeout(120_000);
  await openBookTab(planner);
  const panel = planner.bookPanel;
  await importDays(planner, [DAY1, DAY2]);
  const files = panel.getByRole('list', { name: 'Files of the import' });
  await expect(files.getByRole('listitem')).toHaveText([
    `${DAY1.file} imported: FROG 2025-04-02`,
    `${DAY2.file} imported: FROG 2025-04-03`,
  ]);
  await expect(panel.getByRole('status').filter({ hasText: /^Imported/ })).toHaveText(
    'Imported 2 files: FROG 2025-04-02, FROG 2025-04-03. Averaged the 2 days into one dataset.',
  );

  // The average is opened; each day stays in the list.
  const avg = 'FROG average of 2 days';
  await expect(planner.bookSummary(avg)).toBeVisible();
  const days = planner.bookSummary(avg).getByRole('list', { name: 'Days averaged' });
  await expect(days.getByRole('listitem')).toHaveText([
    `2025-04-02 ${DAY1.file}`,
    `2025-04-03 ${DAY2.file}`,
  ]);
  // Day 2 had a book in 09:47 for half the period and none after: on average partly covered.
  await expect(figure(planner, avg, 'Periods covered')).toHaveText('30 of 30 (13 partly)');
  await expect(figure(planner, avg, 'Largest gap')).toHaveText('none: a book all session');
  await expect(figure(planner, avg, 'Average day volume')).toHaveText(
    `${int(Math.round((volumeOf(DAY1) + volumeOf(DAY2)) / 2))} shares in ${int(Math.round((tradesOf(DAY1) + tradesOf(DAY2)) / 2))} trades (mean of the days)`,
  );
  const sigma = Math.sqrt((sigmaOf(DAY1.mids) ** 2 + sigmaOf(DAY2.mids) ** 2) / 2);
  await expect(figure(planner, avg, 'Volatility σ')).toContainText(`$${sig3(sigma)} per 1-min`);
  await expect(figure(planner, avg, 'First and last row')).toHaveText(
    '2025-04-02 09:30:00 to 2025-04-03 09:47:30',
  );
  const list = panel.getByRole('list', { name: 'Imported datasets' });
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(list.getByRole('button', { name: /^Open FROG average of 2 days/ })).toBeVisible();

  // Ticking days: too few, then days that do not match, say why the button is off.
  const average = panel.getByRole('button', { name: 'Average selected days' });
  await expect(average).toBeDisabled();
  await expect(panel.getByText('Tick two or more single days of one symbol')).toBeVisible();
  await panel.getByLabel('Book at period start').check();
  await importDays(planner, [DAY2]);
  await expect(figure(planner, 'FROG 2025-04-03', 'Book per period')).toHaveText(
    'book in effect at each period start',
  );
  await expect(list.getByRole('listitem')).toHaveCount(4);
  await list.getByRole('checkbox').nth(0).check(); // newest: 2025-04-03, book at start
  await list.getByRole('checkbox').nth(2).check(); // 2025-04-02, time-averaged
  await expect(average).toBeDisabled();
  await expect(
    panel.getByText('The ticked days were imported with different sampling'),
  ).toBeVisible();
  // The same day sampled both ways is no pair either.
  await list.getByRole('checkbox').nth(2).uncheck();
  await list.getByRole('checkbox').nth(1).check(); // 2025-04-03, time-averaged
  await expect(average).toBeDisabled();
  await expect(
    panel.getByText('The ticked days were imported with different sampling'),
  ).toBeVisible();

  // Two matching days (the time-averaged ones): the existing average is opened again.
  await list.getByRole('checkbox').nth(0).uncheck();
  await list.getByRole('checkbox').nth(2).check();
  await expect(average).toBeEnabled();
  await panel.getByRole('button', { name: /^Open FROG 2025-04-02/ }).click();
  await average.click();
  await expect(planner.bookSummary(avg)).toBeVisible();
  await expect(list.getByRole('listitem')).toHaveCount(4);

  // A plan from the average: the replay lists only real days with its periods, and says why.
  const use = panel.getByRole('region', { name: 'Use in plan' });
  await use.getByLabel('Shares', { exact: true }).fill('3000');
  await use.getByRole('button', { name: 'Use in plan' }).click();
  await planner.solve(PERIODS);
  await expect(planner.replay.getByTestId('replay-unlisted')).toContainText(
    'FROG average of 2 days, an average, not a real day',
  );
  const options = planner.replay.getByLabel('Day to replay against').locator('option');
  await expect(options).toHaveCount(3);
  await planner.replay
    .getByLabel('Day to replay against')
    .selectOption({ label: `FROG 2025-04-02 (${DAY1.file}) — the plan was built from it` });
  await planner.replay.getByRole('button', { name: 'Replay' }).click();
  await expect(planner.replay.getByTestId('replay-about')).toContainText('In sample');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`calibration screens (${scheme})`, async ({ planner, page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    const shot = (name: string) =>
      shotChecked(page, join(DIR, `${scheme}-calibration-${name}.png`), `${scheme} ${name}`);
    await openBookTab(planner);
    const panel = planner.bookPanel;
    await importDays(planner, [DAY1, DAY2]);
    await expect(planner.bookSummary('FROG average of 2 days')).toBeVisible();
    await panel.getByRole('button', { name: /^Open FROG 2025-04-03/ }).click();
    await expect(figure(planner, 'FROG 2025-04-03', 'Largest gap')).toHaveText(
      '09:47:30–10:00, 12.5 min',
    );
    await page.setViewportSize({ width: 1400, height: 1500 });
    await shot('1-day-with-gap');

    await page.setViewportSize({ width: 1024, height: 700 });
    await shot('2-import-1024');
    await planner.bookSummary('FROG 2025-04-03').scrollIntoViewIfNeeded();
    await expect(planner.bookSummary('FROG 2025-04-03')).toContainText('Arrival price');
    await shot('3-summary-1024');
    await panel.getByRole('img', { name: /Shares traded in each period/ }).scrollIntoViewIfNeeded();
    await shot('4-charts-1024');

    await panel.getByRole('button', { name: /^Open FROG 2025-04-02/ }).click();
    const use = panel.getByRole('region', { name: 'Use in plan' });
    await use.getByLabel('Shares', { exact: true }).fill('5000');
    await use.getByLabel('Impact model').selectOption('fit');
    await use.scrollIntoViewIfNeeded();
    await expect(use.getByRole('button', { name: 'Use in plan' })).toBeInViewport();
    await shot('5-use-in-plan-1024');
    await use.getByLabel('Impact model').selectOption('book');
    await use.getByRole('button', { name: 'Use in plan' }).click();
    await planner.solve(PERIODS);
    await planner.replay
      .getByLabel('Day to replay against')
      .selectOption({ label: `FROG 2025-04-03 (${DAY2.file})` });
    await planner.replay.getByRole('button', { name: 'Replay' }).click();
    await expect(planner.replay.getByRole('table').first()).toBeVisible();
    await planner.replay.getByRole('table').first().scrollIntoViewIfNeeded();
    await shot('6-replay-1024');
    await expect(planner.replay.getByRole('table').first()).toContainText('Naive (TWAP)');
    await page.setViewportSize({ width: 1400, height: 1024 });
    await planner.replay.scrollIntoViewIfNeeded();
    await expect(planner.replay.getByRole('table').first()).toBeInViewport();
    await shot('7-replay');
  });
}
