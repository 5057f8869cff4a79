import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import {
  SCHEDULE_CSV_COLUMNS,
  SCHEDULE_CSV_RISK_COLUMNS,
  scheduleCsvFileName,
  scheduleToCsv,
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

const RISK_COLUMN_NAMES = SCHEDULE_CSV_RISK_COLUMNS.map(([name]) => name);

describe('scheduleToCsv', () => {
  it('writes one row per period with cumulative shares and % complete', () => {
    const result = solvePlan(plan());
    const csv = scheduleToCsv(result);
    const parsed = Papa.parse<string[]>(csv.trim(), { comments: '#' });
    expect(parsed.errors).toEqual([]);
    // The nine columns first, in their order, whatever the result adds after them.
    expect(parsed.data[0].slice(0, SCHEDULE_CSV_COLUMNS.length)).toEqual([...SCHEDULE_CSV_COLUMNS]);
    expect(parsed.data).toHaveLength(5);
    const rows = parsed.data.slice(1);
    expect(rows.map((row) => row[1])).toEqual(['09:30', '09:31', '09:32', '09:33']);
    expect(rows.map((row) => Number(row[3]))).toEqual(result.schedule.map((s) => s.shares));
    expect(Number(rows[3][4])).toBe(1000);
    expect(Number(rows[3][5])).toBe(100);
    expect(Number(rows[0][5])).toBeCloseTo((result.schedule[0].shares / 1000) * 100, 6);
    expect(Number(rows[1][7])).toBeCloseTo(result.schedule[1].cost, 12);
    expect(Number(rows[1][8])).toBeCloseTo(result.schedule[1].costBps!, 9);
  });

  it('leaves times and bps blank without a session or reference price', () => {
    const csv = scheduleToCsv({
      schedule: [
        { period: 1, start: null, end: null, shares: 0, impactPerShare: 0, cost: 0, costBps: null },
      ],
    });
    expect(csv).toBe(`${SCHEDULE_CSV_COLUMNS.join(',')}\n1,,,0,0,0,0,0,\n`);
    expect(scheduleCsvFileName('BRK.B', 'sell')).toBe('BRK.B-sell-schedule.csv');
    expect(scheduleCsvFileName('A/B C', 'buy')).toBe('A_B_C-buy-schedule.csv');
  });

  it('adds the risk columns and a # block of totals for a risk-aware result', () => {
    const result = solvePlan(
      plan({
        volumeProfile: [1000, 2000, 2000, 1000],
        risk: { volatility: 0.05, aversion: 0.001 },
      }),
    );
    const m = result.metrics!;
    expect(m).toBeDefined();
    const csv = scheduleToCsv(result, '\r\n');
    const lines = csv.split('\r\n');
    // The totals come first, one `# name: value` per line.
    expect(lines.slice(0, 7)).toEqual([
      `# expected cost: ${Number(m.expectedCost.toPrecision(12))}`,
      `# expected cost bps: ${Number(m.expectedCostBps!.toPrecision(12))}`,
      `# timing risk sd: ${Number(m.timingRiskSd.toPrecision(12))}`,
      `# timing risk sd bps: ${Number(m.timingRiskSdBps!.toPrecision(12))}`,
      `# 95% upper bound: ${Number(m.upper95.toPrecision(12))}`,
      `# 95% upper bound bps: ${Number(m.upper95Bps!.toPrecision(12))}`,
      '# aversion: 0.001',
    ]);
    const totals = Object.fromEntries(
      lines
        .filter((l) => l.startsWith('#'))
        .map((l) => /^# (.+): (\S+)$/.exec(l)!.slice(1))
        .map(([k, v]) => [k, Number(v)]),
    );
    expect(totals['expected cost']).toBeCloseTo(m.expectedCost, 9);
    expect(totals['timing risk sd']).toBeCloseTo(m.timingRiskSd, 9);
    expect(totals['95% upper bound']).toBeCloseTo(m.expectedCost + 1.645 * m.timingRiskSd, 6);
    expect(totals.aversion).toBe(0.001);

    // papaparse with comments: '#' reads the table alone, with the four extra columns.
    const parsed = Papa.parse<Record<string, string>>(csv, {
      comments: '#',
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([...SCHEDULE_CSV_COLUMNS, ...RISK_COLUMN_NAMES]);
    expect(RISK_COLUMN_NAMES).toEqual([
      'remaining shares',
      'risk variance',
      'expected volume',
      'participation',
    ]);
    expect(parsed.data).toHaveLength(4);
    parsed.data.forEach((row, i) => {
      const s = result.schedule[i];
      expect(Number(row.shares)).toBe(s.shares);
      expect(Number(row['remaining shares'])).toBe(s.remaining);
      expect(Number(row['remaining shares'])).toBe(1000 - Number(row['cumulative shares']));
      expect(Number(row['risk variance'])).toBeCloseTo(s.riskVariance!, 6);
      expect(Number(row['expected volume'])).toBe([1000, 2000, 2000, 1000][i]);
      expect(Number(row.participation)).toBeCloseTo(s.shares / [1000, 2000, 2000, 1000][i], 9);
    });
    // σ²·h² per period: the variance contributions add up to the reported SD squared.
    const variance = parsed.data.reduce((a, row) => a + Number(row['risk variance']), 0);
    expect(Math.sqrt(variance)).toBeCloseTo(m.timingRiskSd, 6);
  });

  it('leaves unknown extras blank and omits columns and totals that are absent', () => {
    const row = { period: 1, start: null, end: null, shares: 100, impactPerShare: 0.5, cost: 50 };
    const csv = scheduleToCsv({
      schedule: [
        { ...row, costBps: null, remaining: 0, riskVariance: 0, expectedVolume: null },
        { ...row, period: 2, costBps: null, remaining: 0, riskVariance: 0 },
      ],
    });
    // No metrics: no # block. participation is on no row: no column for it.
    expect(csv.split('\n')).toEqual([
      `${SCHEDULE_CSV_COLUMNS.join(',')},remaining shares,risk variance,expected volume`,
      '1,,,100,100,50,0.5,50,,0,0,',
      '2,,,100,200,100,0.5,50,,0,0,',
      '',
    ]);
    const solved = solvePlan(plan({ referencePrice: undefined }));
    const lines = scheduleToCsv({ ...solved, aversion: undefined }).split('\n');
    // Without a reference price the bps totals are left out; without λ the aversion line.
    expect(lines.filter((l) => l.startsWith('#')).map((l) => l.split(':')[0])).toEqual([
      '# expected cost',
      '# timing risk sd',
      '# 95% upper bound',
    ]);
  });
});
