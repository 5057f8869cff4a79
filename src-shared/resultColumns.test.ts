import { describe, expect, it } from 'vitest';
import { SolveResultSchema } from './result';
import { solvePlan } from './solver';
import { testPlan } from './testing/plans';
import {
  columnsFromJson,
  columnsToJson,
  fromColumns,
  inputToJson,
  outputFromJson,
  outputToJson,
  ResultInputSchema,
  rowAt,
  toColumns,
  trustedColumnsFromJson,
} from './resultColumns';

const session = { start: '09:30', end: '10:00', timeZone: 'America/New_York' };
const plan = testPlan({
  periods: 6,
  shares: 1200,
  lotSize: 100,
  referencePrice: 20,
  session,
  volumeProfile: [1000, 0, 800, 600, 900, 1000],
  impact: { model: 'power', beta: 0.001, exponent: 0.5 },
  risk: { volatility: 0.02, aversion: 1e-6 },
});

describe('columnar results', () => {
  const rows = solvePlan(plan);
  // As the schema reads it (it keeps only the fields it lists).
  const cols = toColumns(SolveResultSchema.parse(rows));

  it('rows → columns → rows gives the result back, nulls inside a column included', () => {
    expect(cols.schedule.shares).toBeInstanceOf(Float64Array);
    expect(cols.baselines.naive.shares).toBeInstanceOf(Float64Array);
    expect(fromColumns(toColumns(rows))).toEqual(rows);
    expect(rowAt(cols.schedule, 5)).toEqual(rows.schedule[5]);
    expect(rows.schedule.some((r) => r.participation === null)).toBe(true);
  });

  it('column-wise JSON holds no typed arrays and reads back exactly', () => {
    const text = JSON.stringify(columnsToJson(cols));
    expect(text).not.toContain('"0":');
    const back = columnsFromJson(JSON.parse(text));
    expect(back).toEqual(cols);
    expect(trustedColumnsFromJson(JSON.parse(text))).toEqual(cols);
    // The HTTP helpers apply to the operations that carry a result, and leave the rest alone.
    expect(
      outputFromJson('solve', JSON.parse(JSON.stringify(outputToJson('solve', cols)))),
    ).toEqual(cols);
    const stored = { id: 'p', result: cols };
    expect(
      outputFromJson('getPlan', JSON.parse(JSON.stringify(outputToJson('getPlan', stored)))),
    ).toEqual(stored);
    expect(outputToJson('listPlans', [stored])).toEqual([stored]);
    expect(inputToJson('savePlan', { plan, result: cols })).toEqual({
      plan,
      result: columnsToJson(cols),
    });
  });

  it('a result input is taken in columns or in rows, and a bad column is named', () => {
    expect(ResultInputSchema.parse(cols)).toEqual(cols);
    expect(ResultInputSchema.parse(rows)).toEqual(cols);
    expect(ResultInputSchema.parse(toColumns(rows))).toEqual(cols);
    expect(ResultInputSchema.parse(columnsToJson(cols))).toEqual(cols);
    const short = columnsToJson(cols) as { schedule: { cost: number[] } };
    short.schedule.cost = short.schedule.cost.slice(1);
    expect(() => columnsFromJson(short)).toThrow(
      'result.schedule.cost: has 5 entries, not 6 (one per period)',
    );
    const fractional = columnsToJson(cols) as { schedule: { shares: number[] } };
    fractional.schedule.shares[2] = 1.5;
    expect(() => columnsFromJson(fractional)).toThrow(
      'result.schedule.shares.2: must be a whole number of shares, 0 or more',
    );
    const text = columnsToJson(cols) as { schedule: { impactPerShare: unknown[] } };
    text.schedule.impactPerShare[0] = '0.1';
    expect(() => columnsFromJson(text)).toThrow(
      'result.schedule.impactPerShare.0: must be a finite number',
    );
  });
});
