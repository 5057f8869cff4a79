/**
 * frontier-runs-minutes-before-refusing: a frontier of 390 periods × 1,000,000 shares at lot 1
 * computed for minutes (25 solves of several seconds each) before one was refused. Its work
 * is now estimated for every point before the first starts; since each point's band is
 * centred on a warm start moved to the optimum, that plan runs in seconds and the refusal is
 * shown at 10,000,000 shares.
 */
import { describe, expect, it } from 'vitest';
import { testPlan, thrownPlannerError } from '../testing/plans';
import { computeFrontier, estimateFrontier, FRONTIER_MAX_EVALUATIONS } from './frontier';
import { solveLots } from './index';
import { scheduleMetrics } from './metrics';

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
  it('390 periods × 10,000,000 shares at lot 1 is refused before any point is solved', () => {
    let progressed = false;
    const e = thrownPlannerError(() =>
      computeFrontier(riskPlan(390, 10_000_000, 1), {
        points: 25,
        onProgress: () => (progressed = true),
      }),
    );
    expect(e.code).toBe('too_large');
    expect(e.message).toMatch(
      /^shares: the efficient frontier of 25 points on 390 periods × 10,000,001 lot counts needs about [\d.e+]+ cost evaluations \(up to [\d.e+]+ a point\), more than the limit of [\d.e+]+; use a larger lotSize, fewer periods or fewer points$/,
    );
    expect(progressed).toBe(false);
  });

  it('fewer points of the same plan fit the limit the frontier is held to', () => {
    const plan = riskPlan(60, 200_000, 1);
    const five = estimateFrontier(plan, 5);
    expect(five).toBeGreaterThan(0);
    expect(estimateFrontier(plan, 25)).toBeGreaterThan(4 * five);
    expect(() => computeFrontier(plan, { points: 5, maxEvaluations: 0.9 * five })).toThrow(
      /efficient frontier of 5 points/,
    );
    expect(computeFrontier(plan, { points: 5, maxEvaluations: five }).points).toHaveLength(5);
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

/** The plan of the reports: 390 periods of a 09:30–16:00 session, √ impact, 30% a year. */
function bigPlan(shares: number, aversion: number) {
  return testPlan({
    name: 'Buy BIG',
    symbol: 'BIG',
    shares,
    lotSize: 1,
    periods: 390,
    referencePrice: 31.5,
    session: { start: '09:30', end: '16:00' },
    impact: { model: 'power', beta: 0.00002, exponent: 0.5 },
    risk: { annualVolatility: 0.3, aversion },
  });
}

/**
 * frontier-point-falls-off-the-band: a frontier of 390 periods × 100,000 one-share lots passed
 * its estimate, then its first point after λ = 0 was refused ("the exact DP on 390 periods ×
 * 100,001 lot counts needs about 6.8e+8 cost evaluations"): at a small λ the coarse path
 * (2 or 3 lots of 100 shares a period, the 3s first) ran 9,500 shares ahead of the optimum
 * (257 shares, then 256), the band widened fourfold around that centre until it covered the
 * order, and the solve fell to the whole grid. The band now moves to each result it tried.
 */
describe('every point of an accepted frontier runs', () => {
  it('a small aversion whose coarse path runs ahead of the optimum is solved in a band', () => {
    const sol = solveLots(bigPlan(100_000, 1e-10));
    expect(sol.certified).toBe(true);
    expect(sol.bandWidth).toBeGreaterThan(0);
    expect(sol.lots.reduce((a, b) => a + b, 0)).toBe(100_000);
  });

  it('the band moved to the results it tried finds the optimum of the whole grid', () => {
    // 20,000 lots: the whole grid is within the work limit, and the coarse path (20 shares a
    // lot) runs ahead of the optimum at this λ as above.
    const plan = bigPlan(20_000, 1e-10);
    const banded = solveLots(plan);
    const whole = solveLots(plan, { band: false });
    expect(banded.bandWidth).toBeGreaterThan(4 * 20 + 8);
    const objective = (lots: Float64Array) =>
      scheduleMetrics(plan, banded.grid, Array.from(lots)).objective;
    expect(objective(banded.lots)).toBeLessThanOrEqual(objective(whole.lots) * (1 + 1e-12));
  });

  it('390 periods × 100,000 one-share lots: estimated, accepted, every point solved', () => {
    const plan = bigPlan(100_000, 1e-7);
    expect(estimateFrontier(plan)).toBeLessThanOrEqual(FRONTIER_MAX_EVALUATIONS);
    const f = computeFrontier(plan, { points: 25 });
    expect(f.points).toHaveLength(25);
    for (let t = 1; t < f.points.length; t++) {
      expect(f.points[t].expectedCost).toBeGreaterThanOrEqual(f.points[t - 1].expectedCost);
      expect(f.points[t].timingRiskSd).toBeLessThanOrEqual(f.points[t - 1].timingRiskSd);
    }
  });

  it('390 periods × 1,000,000 one-share lots is accepted up front, 10,000,000 refused', () => {
    expect(estimateFrontier(bigPlan(200_000, 1e-7))).toBeLessThanOrEqual(FRONTIER_MAX_EVALUATIONS);
    expect(estimateFrontier(bigPlan(1_000_000, 1e-7))).toBeLessThanOrEqual(
      FRONTIER_MAX_EVALUATIONS,
    );
    expect(estimateFrontier(bigPlan(10_000_000, 1e-7))).toBeGreaterThan(FRONTIER_MAX_EVALUATIONS);
  });
});
