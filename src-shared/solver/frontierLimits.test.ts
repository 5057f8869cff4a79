/**
 * frontier-runs-minutes-before-refusing: a frontier of 390 periods × 1,000,000 shares at lot 1
 * computed for minutes (25 solves of several seconds each) before one was refused. Its work
 * is now estimated for every point before the first starts, and each point's band starts at
 * the width the previous one needed.
 */
import { describe, expect, it } from 'vitest';
import { testPlan, thrownPlannerError } from '../testing/plans';
import { computeFrontier } from './frontier';
import { estimateRiskSolve, solveLots } from './index';

const u = (n: number) =>
  Array.from({ length: n }, (_, i) => 0.7 + 1.6 * (i / Math.max(1, n - 1) - 0.5) ** 2 * 4);

function riskPlan(periods: number, shares: number, lotSize: number) {
  return testPlan({
    periods,
    shares,
    lotSize,
    referencePrice: 30,
    impact: { model: 'power', beta: 2e-5, exponent: 0.5, profile: u(periods) },
    risk: { volatility: 0.02, aversion: 0 },
  });
}

describe('the frontier is estimated before it starts', () => {
  it('390 periods × 1,000,000 shares at lot 1 is refused before any point is solved', () => {
    let progressed = false;
    const e = thrownPlannerError(() =>
      computeFrontier(riskPlan(390, 1_000_000, 1), {
        points: 25,
        onProgress: () => (progressed = true),
      }),
    );
    expect(e.code).toBe('too_large');
    expect(e.message).toMatch(
      /^shares: the efficient frontier of 25 points on 390 periods × 1,000,001 lot counts needs about [\d.e+]+ cost evaluations \(up to [\d.e+]+ a point\), more than the limit of [\d.e+]+; use a larger lotSize, fewer periods or fewer points$/,
    );
    expect(progressed).toBe(false);
  });

  it('fewer points of the same plan fit the limit the frontier is held to', () => {
    const plan = riskPlan(60, 200_000, 1);
    const one = estimateRiskSolve({ ...plan, risk: { volatility: 0.02, aversion: 1e-6 } });
    expect(one).toBeGreaterThan(0);
    expect(() => computeFrontier(plan, { points: 5, maxEvaluations: 3 * one })).toThrow(
      /efficient frontier of 5 points/,
    );
    expect(computeFrontier(plan, { points: 5, maxEvaluations: 10 * one }).points).toHaveLength(5);
  });

  it('a band warm-started at a wider width gives the same schedule', () => {
    const plan = { ...riskPlan(60, 200_000, 1), risk: { volatility: 0.02, aversion: 1e-6 } };
    const cold = solveLots(plan);
    expect(cold.bandWidth).toBeGreaterThan(0);
    const warm = solveLots(plan, { bandStart: 4 * cold.bandWidth! });
    expect(warm.bandWidth).toBeGreaterThanOrEqual(4 * cold.bandWidth!);
    expect(Array.from(warm.lots)).toEqual(Array.from(cold.lots));
  });
});
