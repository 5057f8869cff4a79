/**
 * A curve computed in one pass equals the curve from solves: the convex one pass (increments
 * collected once, thresholds selected) gives, bit for bit, the cost a solve of every size
 * gives; the engine's last row gives it within the tie tolerance (the engine's own summation
 * noise); risk plans keep their sampled solves and match a solve of each size exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlannerError } from '../contract';
import type { ImpactModel, Plan } from '../plan';
import type { CostCurve } from '../result';
import { arbPlan } from '../testing/arbitraries';
import { testPlan } from '../testing/plans';
import { convexCurvePoints, sampledCurve, solveCostCurve } from './costCurve';
import { selectRanks } from './costCurveConvex';
import { setupSolve } from './solveSetup';
import { tieTolerance } from './tiebreak';
import { solvePlan } from './index';

const POINTS = 1001;

function curveOf(plan: Plan): CostCurve | null {
  try {
    return solveCostCurve(plan, { curve: POINTS });
  } catch (e) {
    if (e instanceof PlannerError && e.code === 'infeasible') return null;
    throw e;
  }
}

/** The optimal cost of `shares` as a solve of that size reports it (null: infeasible). */
function solvedCost(plan: Plan, shares: number): number | null {
  if (shares === 0) return 0;
  try {
    const r = solvePlan({ ...plan, shares });
    return plan.risk ? r.metrics!.expectedCost : r.totalCost;
  } catch (e) {
    if (e instanceof PlannerError && e.code === 'infeasible') return null;
    throw e;
  }
}

/** Every size 0..M is in the curve or infeasible, and each cost is the size's solve's. */
function expectCurveFromSolves(plan: Plan, exact: boolean): void {
  const curve = curveOf(plan);
  if (!curve) return;
  const M = plan.shares / plan.lotSize;
  for (let s = 0, t = 0; s <= M; s++) {
    const x = s * plan.lotSize;
    const want = solvedCost(plan, x);
    if (curve.shares[t] !== x) {
      expect(want, `size ${x} is missing from the curve but solves`).toBeNull();
      continue;
    }
    expect(want, `size ${x} is on the curve but does not solve`).not.toBeNull();
    const got = curve.cost[t++];
    if (exact) expect(got, `size ${x}`).toBe(want);
    else
      expect(
        Math.abs(got - want!) <= tieTolerance(plan.periods) * Math.abs(want!) * 4,
        `size ${x}: ${got} against ${want}`,
      ).toBe(true);
  }
  expect(curve.shares.at(-1)).toBe(plan.shares);
}

const CONVEX_MODELS: ImpactModel[] = ['linear', 'power', 'book', 'table'];

describe('a curve computed in one pass equals the curve from solves', () => {
  it('convex plans (participation caps, per-period caps, ties): bit for bit', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...CONVEX_MODELS)
          .chain((m) => arbPlan(m, { maxPeriods: 8, maxLots: 40, extras: false })),
        (plan) => {
          if (setupSafe(plan) !== 'convex') return;
          expectCurveFromSolves(plan, true);
          // And the 21- or 201-size sampled solves of the existing path, bit for bit.
          const one = curveOf(plan)!;
          const solves = sampledCurve(plan, convexCurvePoints(plan, POINTS), {}, true, {
            from: 0,
          });
          expect(one).toEqual(solves);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('convex plans with many equal periods and more lots than periods (the tie-break)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.integer({ min: 1, max: 400 }),
        fc.array(fc.constantFrom(0.5, 1, 1, 2), { minLength: 30, maxLength: 30 }),
        fc.constantFrom(0.5, 1, 1.5),
        fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
        (n, m, profile, exponent, cap) => {
          const plan = testPlan({
            shares: m * 100,
            lotSize: 100,
            periods: n,
            referencePrice: 20,
            ...(cap !== undefined ? { maxPerPeriod: cap * 100 } : {}),
            impact: { model: 'power', beta: 0.003, exponent, profile: profile.slice(0, n) },
          });
          if (setupSafe(plan) !== 'convex') return;
          const one = curveOf(plan)!;
          const solves = sampledCurve(plan, convexCurvePoints(plan, POINTS), {}, true, {
            from: 0,
          });
          expect(one).toEqual(solves);
          one.shares.forEach((x, t) => expect(one.cost[t], `size ${x}`).toBe(solvedCost(plan, x)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('plans for the engine (fees, minimum orders, tables that bend, caps): the last row, within the tie tolerance', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom<ImpactModel>('linear', 'power', 'book', 'table')
          .chain((m) => arbPlan(m, { maxPeriods: 5, maxLots: 15, extras: true })),
        (plan) => {
          if (setupSafe(plan) !== 'engine') return;
          expectCurveFromSolves(plan, false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('plans with timing risk or permanent impact keep their solves, one per size: exact', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom<ImpactModel>('linear', 'power', 'table')
          .chain((m) => arbPlan(m, { maxPeriods: 4, maxLots: 10, extras: true })),
        fc.constantFrom(1e-6, 1e-4, 1e-2),
        fc.constantFrom(0, 0.001),
        (p, aversion, gamma) => {
          const plan: Plan = {
            ...p,
            referencePrice: 30,
            risk: { volatility: 0.02, aversion },
            ...(gamma > 0 && p.impact.model === 'linear' ? { permanentImpact: gamma } : {}),
          };
          if (setupSafe(plan) !== 'risk') return;
          expectCurveFromSolves(plan, true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("the curve of an order that does not solve is refused with the solve's reason", () => {
    // 3 lots over 2 periods, each order 0 or 2 lots (minimum 11 shares, at most 20): sizes 0,
    // 20 and 40 fit, the order's 30 does not, so its curve must not pretend to end at 20.
    const plan = {
      name: 'random',
      symbol: 'RND',
      side: 'sell',
      shares: 30,
      lotSize: 10,
      periods: 2,
      minOrderSize: 11,
      impact: { model: 'table', curves: [[[20, 0]], [[20, 0]]] },
      referencePrice: 30,
      risk: { volatility: 0.02, aversion: 1e-6 },
    } as Plan;
    expect(() => solvePlan(plan)).toThrow(/minOrderSize/);
    expect(() => solveCostCurve(plan, { curve: POINTS })).toThrow(/minOrderSize/);
  });

  it('the curve of a solve that asks for it is the curve job', () => {
    const plan = testPlan({
      shares: 60_000,
      lotSize: 100,
      periods: 40,
      referencePrice: 25,
      impact: { model: 'power', beta: 2e-4, exponent: 0.5 },
    });
    expect(solvePlan(plan, { curve: POINTS }).costCurve).toEqual(curveOf(plan));
  });

  it('selects every rank of an array with repeated values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 80 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
        (xs, picks) => {
          const a = Float64Array.from(xs);
          const sorted = Float64Array.from(xs).sort();
          const ranks = [...new Set(picks.map((p) => p % a.length))].sort((x, y) => x - y);
          expect(Array.from(selectRanks(a, ranks))).toEqual(ranks.map((r) => sorted[r]));
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The setup's path, or null when the plan cannot be solved at all. */
function setupSafe(plan: Plan): 'convex' | 'engine' | 'risk' | null {
  try {
    return setupSolve(plan).path;
  } catch (e) {
    if (e instanceof PlannerError) return null;
    throw e;
  }
}
