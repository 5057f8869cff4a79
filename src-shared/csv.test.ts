import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import {
  SCHEDULE_CSV_COLUMNS,
  isoInZone,
  scheduleCsvFileName,
  scheduleToCsv,
  tradeDate,
} from './csv';
import { parsePlan, type PlanInput } from './plan';
import { solvePlan } from './solver';

function plan(overrides: Partial<PlanInput> = {}) {
  const r = parsePlan({
    name: 'csv',
    symbol: 'FROG',
    side: 'buy',
    shares: 1000,
    lotSize: 100,
    periods: 4,
    referencePrice: 10,
    session: { start: '09:30', end: '09:34' },
    impact: { model: 'linear', beta: 1e-4, profile: [1, 2, 2, 1] },
    ...overrides,
  });
  if (!r.ok) throw new Error(r.errors.join());
  return r.value;
}

/** The `# name: value` lines as an object. */
function headerOf(csv: string): Record<string, string> {
  return Object.fromEntries(
    csv
      .split(/\r?\n/)
      .filter((l) => l.startsWith('#'))
      .map((l) => /^# ([^:]+): (.*)$/.exec(l)!.slice(1)),
  );
}

function table(csv: string) {
  const parsed = Papa.parse<Record<string, string>>(csv, {
    comments: '#',
    header: true,
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  return parsed;
}

describe('scheduleToCsv', () => {
  it('csv-times-without-date: times are ISO 8601 with the date and the zone offset', () => {
    const p = plan();
    const csv = scheduleToCsv(solvePlan(p), { plan: p, date: '2025-03-07' });
    const rows = table(csv).data;
    expect(rows.map((r) => r.start)).toEqual([
      '2025-03-07T09:30:00-05:00',
      '2025-03-07T09:31:00-05:00',
      '2025-03-07T09:32:00-05:00',
      '2025-03-07T09:33:00-05:00',
      '2025-03-07T09:30:00-05:00', // the total row spans the session
    ]);
    expect(rows[3].end).toBe('2025-03-07T09:34:00-05:00');
    // After the clocks change (New York, 9 March 2025) the offset is -04:00.
    const summer = scheduleToCsv(solvePlan(p), { plan: p, date: '2025-03-10' });
    expect(table(summer).data[0].start).toBe('2025-03-10T09:30:00-04:00');
    // Another zone, seconds in the labels (4 minutes over 3 periods: 80 s each).
    const tokyo = plan({
      periods: 3,
      lotSize: 1,
      shares: 999,
      impact: { model: 'linear', beta: 1e-4 },
      session: { start: '09:00', end: '09:04', timeZone: 'Asia/Tokyo' },
    });
    const t = table(scheduleToCsv(solvePlan(tokyo), { plan: tokyo, date: '2025-03-07' })).data;
    expect(t.map((r) => r.end)).toEqual([
      '2025-03-07T09:01:20+09:00',
      '2025-03-07T09:02:40+09:00',
      '2025-03-07T09:04:00+09:00',
      '2025-03-07T09:04:00+09:00',
    ]);
  });

  it('csv-header-missing-plan: the header block names the plan, session, model, totals and solve time', () => {
    const p = plan({ name: 'Buy FROG\nmorning' });
    const result = solvePlan(p);
    const csv = scheduleToCsv(result, {
      plan: p,
      date: '2025-03-07',
      solvedAt: '2025-03-07T14:12:03.456Z',
    });
    const h = headerOf(csv);
    expect(h).toMatchObject({
      plan: 'Buy FROG morning', // a line break in a name does not break the block
      symbol: 'FROG',
      side: 'buy',
      shares: '1000',
      date: '2025-03-07',
      'time zone': 'America/New_York',
      session: '09:30-09:34, 4 periods of 1 min',
      model: 'linear, beta 0.0001, intraday profile',
      'reference price': '10',
      'solved at': '2025-03-07T09:12:03-05:00',
      precision: 'rounded (shares whole, prices 4 decimals, bps 2 decimals)',
    });
    expect(Number(h['total cost'])).toBeCloseTo(result.totalCost, 4);
    expect(Number(h['total cost bps'])).toBeCloseTo(result.totalCostBps!, 2);
    // The plan's one warning (a typed β) comes first; no stale-form line.
    expect(h.warning).toMatch(/^The cost model is a raw linear impact/);
    // No risk section: no timing-risk lines and no risk column.
    expect(h['timing risk sd']).toBeUndefined();
    expect(csv.split('\n')[1].startsWith('# plan: ')).toBe(true);
  });

  it('csv-warnings: every warning of the result is a # warning: line before the plan, after the stale one', () => {
    const p = plan({ volumeProfile: [100, 100, 100, 100] });
    const result = solvePlan(p);
    expect(result.warnings.length).toBeGreaterThan(2);
    const lines = scheduleToCsv(result, { plan: p, date: '2025-03-07', stale: true }).split('\n');
    expect(lines[0]).toMatch(/^# warning: schedule for the plan as last solved/);
    expect(lines.slice(1, 1 + result.warnings.length)).toEqual(
      result.warnings.map((w) => `# warning: ${w.message}`),
    );
    expect(lines[1 + result.warnings.length]).toBe('# plan: csv');
    expect(lines[1]).toMatch(
      /^# warning: Child orders are above 100% of the period’s expected volume/,
    );
    const clean = { ...result, warnings: [] };
    expect(scheduleToCsv(clean, { plan: p, date: '2025-03-07' }).startsWith('# plan: ')).toBe(true);
  });

  it('stale-csv-export: a schedule of an older form says so first, in the header block', () => {
    const p = plan();
    const csv = scheduleToCsv(solvePlan(p), {
      plan: p,
      date: '2025-03-07',
      solvedAt: '2025-03-07T14:00:00Z',
      stale: true,
    });
    expect(csv.split('\n')[0]).toBe(
      '# warning: schedule for the plan as last solved at 2025-03-07T09:00:00-05:00, not the current form',
    );
  });

  it('csv-unrounded: shares whole, prices 4 decimals, bps 2; raw keeps 12 digits', () => {
    const p = plan({
      shares: 1001,
      lotSize: 1,
      periods: 3,
      referencePrice: 31.5,
      impact: { model: 'power', beta: 0.0123456, exponent: 0.5 },
      session: { start: '09:30', end: '09:33' },
      volumeProfile: [3000, 7000, 3000],
    });
    const result = solvePlan(p);
    const rounded = table(scheduleToCsv(result, { plan: p, date: '2025-03-07' }));
    expect(rounded.meta.fields).toEqual([
      ...SCHEDULE_CSV_COLUMNS,
      'expected volume',
      'participation %',
    ]);
    for (const row of rounded.data.slice(0, 3)) {
      expect(row.shares).toMatch(/^\d+$/);
      expect(row['impact per share']).toMatch(/^\d+(\.\d{1,4})?$/);
      expect(row.cost).toMatch(/^\d+(\.\d{1,4})?$/);
      expect(row['cost bps']).toMatch(/^\d+(\.\d{1,2})?$/);
      expect(row['% complete']).toMatch(/^\d+(\.\d{1,2})?$/);
      expect(row['participation %']).toMatch(/^\d+(\.\d{1,2})?$/);
    }
    const raw = table(scheduleToCsv(result, { plan: p, date: '2025-03-07', raw: true }));
    raw.data.slice(0, 3).forEach((row, i) => {
      const s = result.schedule[i];
      expect(Number(row['impact per share'])).toBeCloseTo(s.impactPerShare, 11);
      expect(Number(row.cost)).toBeCloseTo(s.cost, 9);
      expect(Number(row['participation %'])).toBeCloseTo(
        (s.shares / [3000, 7000, 3000][i]) * 100,
        9,
      );
      expect(Number(rounded.data[i]['impact per share'])).toBeCloseTo(s.impactPerShare, 4);
    });
    expect(raw.data[0]['impact per share']).toMatch(/\.\d{5,}/);
  });

  it('csv-no-total-row: the total row sums shares, cost and volume and gives the average impact', () => {
    const p = plan({ volumeProfile: [1000, 2000, 2000, 1000] });
    const result = solvePlan(p);
    const rows = table(scheduleToCsv(result, { plan: p, date: '2025-03-07', raw: true })).data;
    expect(rows).toHaveLength(5);
    const total = rows[4];
    expect(total.period).toBe('total');
    expect(Number(total.shares)).toBe(1000);
    expect(Number(total['remaining shares'])).toBe(0);
    expect(Number(total['% complete'])).toBe(100);
    expect(Number(total.cost)).toBeCloseTo(result.totalCost, 9);
    expect(Number(total['cost bps'])).toBeCloseTo(result.totalCostBps!, 9);
    expect(Number(total['expected volume'])).toBe(6000);
    expect(Number(total['participation %'])).toBeCloseTo((1000 / 6000) * 100, 9);
    expect(Number(total['impact per share'])).toBeCloseTo(result.totalCost / 1000, 9);
    rows.slice(0, 4).forEach((row, i) => {
      expect(Number(row['remaining shares'])).toBe(1000 - Number(row['cumulative shares']));
      expect(Number(row['expected volume'])).toBe([1000, 2000, 2000, 1000][i]);
    });
  });

  it('adds the risk column and the pre-trade totals for a risk-aware plan', () => {
    const p = plan({
      volumeProfile: [1000, 2000, 2000, 1000],
      risk: { volatility: 0.05, aversion: 0.001 },
    });
    const result = solvePlan(p);
    const m = result.metrics!;
    const csv = scheduleToCsv(result, { plan: p, date: '2025-03-07', raw: true, newline: '\r\n' });
    const h = headerOf(csv);
    expect(Number(h['expected cost'])).toBeCloseTo(m.expectedCost, 9);
    expect(Number(h['timing risk sd'])).toBeCloseTo(m.timingRiskSd, 9);
    expect(Number(h['95% upper bound'])).toBeCloseTo(m.upper95, 9);
    expect(h.aversion).toBe('0.001');
    const parsed = table(csv);
    expect(parsed.meta.fields).toEqual([
      ...SCHEDULE_CSV_COLUMNS,
      'expected volume',
      'participation %',
      'risk variance',
    ]);
    // σ²·h² per period: the variance contributions add up to the reported SD squared.
    const periods = parsed.data.slice(0, 4);
    const variance = periods.reduce((a, row) => a + Number(row['risk variance']), 0);
    expect(Math.sqrt(variance)).toBeCloseTo(m.timingRiskSd, 6);
    expect(Number(parsed.data[4]['risk variance'])).toBeCloseTo(variance, 6);
  });

  it('leaves times and bps blank without a session or reference price', () => {
    const p = plan({ session: undefined, referencePrice: undefined });
    const csv = scheduleToCsv(solvePlan(p), { plan: p, date: '2025-03-07' });
    const h = headerOf(csv);
    expect(h.session).toBe('no session clock, 4 periods');
    expect(h['time zone']).toBeUndefined();
    expect(h['total cost bps']).toBeUndefined();
    const rows = table(csv).data;
    expect(rows.every((r) => r.start === '' && r.end === '' && r['cost bps'] === '')).toBe(true);
  });
});

describe('file name, trade date and zoned instants', () => {
  it('names the file by symbol, side and date', () => {
    expect(scheduleCsvFileName('FROG', 'buy', '2025-03-07')).toBe('FROG-buy-2025-03-07.csv');
    expect(scheduleCsvFileName('A/B C', 'sell', '2025-03-07')).toBe('A_B_C-sell-2025-03-07.csv');
  });

  it('the default date is the next trading day in the session time zone', () => {
    // 14:00 UTC on Friday 7 March is 09:00 in New York: today's session is still to come.
    expect(tradeDate(plan(), Date.parse('2025-03-07T14:00:00Z'))).toBe('2025-03-07');
    // 03:00 UTC on 8 March is Friday evening in New York (after the session), already
    // Saturday in Tokyo: both move to Monday 10 March.
    const now = Date.parse('2025-03-08T03:00:00Z');
    expect(tradeDate(plan(), now)).toBe('2025-03-10');
    const tokyo = plan({ session: { start: '09:00', end: '15:00', timeZone: 'Asia/Tokyo' } });
    expect(tradeDate(tokyo, now)).toBe('2025-03-10');
  });

  it('formats an instant in a zone with its offset', () => {
    expect(isoInZone(Date.parse('2025-07-01T13:30:00Z'), 'America/New_York')).toBe(
      '2025-07-01T09:30:00-04:00',
    );
    expect(isoInZone(Date.parse('2025-07-01T13:30:00Z'), 'UTC')).toBe('2025-07-01T13:30:00Z');
    expect(isoInZone(Date.parse('2025-07-01T13:30:00Z'), 'Asia/Kolkata')).toBe(
      '2025-07-01T19:00:00+05:30',
    );
  });
});
