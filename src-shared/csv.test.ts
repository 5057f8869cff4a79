import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { SCHEDULE_CSV_COLUMNS, scheduleCsvFileName, scheduleToCsv } from './csv';
import { parsePlan } from './plan';
import { solvePlan } from './solver';

describe('scheduleToCsv', () => {
  it('writes one row per period with cumulative shares and % complete', () => {
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
    });
    if (!r.ok) throw new Error(r.errors.join());
    const result = solvePlan(r.value);
    const csv = scheduleToCsv(result);
    const parsed = Papa.parse<string[]>(csv.trim());
    expect(parsed.data[0]).toEqual([...SCHEDULE_CSV_COLUMNS]);
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
    expect(csv.split('\n')[1]).toBe('1,,,0,0,0,0,0,');
    expect(scheduleCsvFileName('BRK.B', 'sell')).toBe('BRK.B-sell-schedule.csv');
    expect(scheduleCsvFileName('A/B C', 'buy')).toBe('A_B_C-buy-schedule.csv');
  });
});
