/**
 * frontier-points-pile-up-under-caps: when caps leave the optimum the same over a run of λ,
 * the frontier listed that schedule once per λ and the chart drew the points on top of each
 * other. Now each schedule is one point, with the λ range that gives it.
 */
import { describe, expect, it } from 'vitest';
import { testPlan } from '../testing/plans';
import { computeFrontier, dedupeSchedules } from './frontier';

function cappedPlan(cap: number) {
  return testPlan({
    periods: 10,
    shares: 1000,
    lotSize: 100,
    referencePrice: 30,
    maxPerPeriod: cap,
    impact: { model: 'linear', beta: 1e-4 },
    risk: { volatility: 0.05, aversion: 0 },
  });
}

describe('frontier points under caps', () => {
  it('caps that allow one schedule give one point covering every λ of the sweep', () => {
    const f = computeFrontier(cappedPlan(100), { points: 12 });
    expect(f.points).toHaveLength(12); // one solve per λ
    const points = dedupeSchedules(f.points);
    expect(points).toHaveLength(1);
    expect(points[0].shares).toEqual(new Array(10).fill(100));
    expect(points[0].aversion).toBe(0);
    expect(points[0].aversionTo).toBe(f.points[11].aversion);
  });

  it('caps that bind at high λ: no two points share a schedule, λ ranges ascend', () => {
    const capped = computeFrontier(cappedPlan(300), { points: 25 });
    const points = dedupeSchedules(capped.points);
    expect(points.length).toBeLessThan(25);
    expect(points.length).toBeGreaterThan(1);
    const keys = points.map((p) => p.shares.join(','));
    expect(new Set(keys).size).toBe(keys.length);
    for (let i = 1; i < points.length; i++) {
      const prev = points[i - 1];
      expect(points[i].aversion).toBeGreaterThan(prev.aversionTo ?? prev.aversion);
      expect(points[i].expectedCost).toBeGreaterThanOrEqual(prev.expectedCost);
      expect(points[i].timingRiskSd).toBeLessThanOrEqual(prev.timingRiskSd);
    }
    // Every λ of the sweep is in one point's range.
    const covered = points.reduce(
      (n, p) =>
        n +
        capped.points.filter(
          (q) => q.aversion >= p.aversion && q.aversion <= (p.aversionTo ?? p.aversion),
        ).length,
      0,
    );
    expect(covered).toBe(25);
    // The last schedule is the capped fastest one, reached at some λ and kept to the end.
    const last = points[points.length - 1];
    expect(last.shares.slice(0, 3)).toEqual([300, 300, 300]);
    expect(last.aversionTo).toBe(capped.points[24].aversion);
  });

  it('dedupeSchedules keeps distinct neighbours and merges equal ones', () => {
    const pt = (aversion: number, shares: number[]) => ({
      aversion,
      expectedCost: shares[0],
      timingRiskSd: 1,
      objective: 1,
      shares,
    });
    const out = dedupeSchedules([
      pt(0, [1, 2]),
      pt(1, [1, 2]),
      pt(2, [2, 1]),
      pt(3, [2, 1]),
      pt(4, [2, 1]),
      pt(5, [3, 0]),
    ]);
    expect(out.map((p) => [p.aversion, p.aversionTo])).toEqual([
      [0, 1],
      [2, 4],
      [5, undefined],
    ]);
  });
});
