/**
 * progress-stuck-during-curve: the window's bar stood still (at 78%) while the cost-by-size
 * curve's 21 solves ran, and during a frontier. Progress now moves at every curve size and
 * every frontier point, never steps back, and ends at 100%.
 */
import { describe, expect, it } from 'vitest';
import { testPlan } from '../testing/plans';
import { computeFrontier } from './frontier';
import { solvePlan } from './index';

function expectMonotoneToOne(seen: number[]): void {
  expect(seen.length).toBeGreaterThan(0);
  for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
  expect(seen[0]).toBeGreaterThanOrEqual(0);
  expect(seen.at(-1)).toBe(1);
}

describe('progress', () => {
  it('moves at every size of a sampled cost-by-size curve, and ends at 1', () => {
    // A fee makes the plan non-convex: the curve is 21 sizes solved one by one.
    const plan = testPlan({
      shares: 20_000,
      lotSize: 100,
      periods: 30,
      referencePrice: 30,
      fixedFeePerOrder: 5,
      impact: { model: 'power', beta: 2e-5, exponent: 0.5 },
    });
    const seen: number[] = [];
    const r = solvePlan(plan, {
      curve: 1000,
      maxCurveEvaluations: 0,
      onProgress: (f) => seen.push(f),
    });
    expect(r.costCurve!.shares).toHaveLength(21);
    expectMonotoneToOne(seen);
    // The curve's phase is most of the bar and moves at each of its 20 sizes above 0.
    const afterSchedule = seen.filter((f) => f > seen[0] && f < 1);
    expect(new Set(afterSchedule.map((f) => f.toFixed(6))).size).toBeGreaterThanOrEqual(19);
    expect(seen.some((f) => f > 0.1 && f < 0.9)).toBe(true);
  });

  it('moves at every frontier point, never back, and ends at 1', () => {
    const plan = testPlan({
      shares: 20_000,
      lotSize: 100,
      periods: 30,
      referencePrice: 30,
      impact: { model: 'power', beta: 2e-5, exponent: 0.5 },
      risk: { volatility: 0.05, aversion: 0 },
    });
    const seen: number[] = [];
    computeFrontier(plan, { points: 12, onProgress: (f) => seen.push(f) });
    expectMonotoneToOne(seen);
    for (let t = 1; t < 12; t++)
      expect(
        seen.some((f) => Math.abs(f - t / 12) < 1e-12),
        `point ${t}`,
      ).toBe(true);
  });
});
