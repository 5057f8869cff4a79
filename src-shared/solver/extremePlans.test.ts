/**
 * lagrange-search-unbounded-on-extreme-plans: a valid plan of 100,000 periods and 10^13
 * shares whose marginal costs span 1e−300..1e300 (with some free levels) kept the Lagrange
 * search bisecting λ by value from 0: about 1,000 passes over the periods, 80 s on a large
 * enough plan, and nothing polled inside a pass. The search now bisects in doubles (at most
 * MAX_ITERATIONS probes, in practice a few dozen), polls shouldCancel inside its passes, and
 * a time limit refuses the solve with a clear error. Outcomes and probe counts are asserted,
 * never wall time.
 */
import { describe, expect, it } from 'vitest';
import { buildImpactGrid } from '../impact';
import type { ImpactModel, Plan } from '../plan';
import { testPlan, thrownPlannerError } from '../testing/plans';
import { certifyConvex, solveConvexDetailed } from './convex';
import { MAX_ITERATIONS } from './lagrange';
import { solvePlan } from './index';

const N = 100_000;
const SHARES = 1e13;
/** Bisection in doubles: 3 probes per halving of at most 2^64 doubles, 7 to open the bracket. */
const PROVEN_PROBES = 3 * 64 + 7;

/** A deterministic generator (the same plan on every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** 1e−300..1e300, log-uniform. */
const magnitude = (t: number) => Math.pow(10, -300 + 600 * t);

/** Convex plans whose marginals span 1e±300; every tenth period starts with a free level. */
function extremePlan(model: Extract<ImpactModel, 'book' | 'table'>): Plan {
  const rnd = random(3);
  const levels = (i: number) => {
    let v = i % 10 === 0 ? 0 : magnitude(rnd());
    return Array.from({ length: 4 }, (_, l) => {
      if (l > 0) v += magnitude(rnd());
      return v;
    });
  };
  const depth = SHARES / N; // per level: four levels hold 4× the order
  const impact =
    model === 'book'
      ? {
          model,
          ladders: Array.from({ length: N }, (_, i) =>
            levels(i).map((o): [number, number] => [o, depth]),
          ),
        }
      : {
          model,
          curves: Array.from({ length: N }, (_, i) =>
            levels(i).map((g, l): [number, number] => [(l + 1) * depth, g]),
          ),
        };
  return testPlan({ shares: SHARES, lotSize: 1, periods: N, impact });
}

describe('lagrange-search-unbounded-on-extreme-plans', () => {
  for (const model of ['book', 'table'] as const) {
    it(`${model}: 10^5 periods, 10^13 shares, marginals over 1e±300: certified within the probe bound`, () => {
      const grid = buildImpactGrid(extremePlan(model));
      const sol = solveConvexDetailed(grid);
      expect(sol.iterations).toBeLessThanOrEqual(PROVEN_PROBES);
      expect(PROVEN_PROBES).toBeLessThanOrEqual(MAX_ITERATIONS);
      expect(certifyConvex(grid, sol.lots).ok).toBe(true);
    });
  }

  it('a power law with a profile over 1e±300 solves, certified, within the bound', () => {
    const rnd = random(5);
    const profile = Array.from({ length: N }, (_, i) => (i % 10 === 0 ? 0 : magnitude(rnd())));
    const p = testPlan({
      shares: SHARES,
      lotSize: 1,
      periods: N,
      maxPerPeriod: (2 * SHARES) / N,
      impact: { model: 'power', beta: 1e-290, exponent: 0.5, profile },
    });
    const grid = buildImpactGrid(p);
    const sol = solveConvexDetailed(grid);
    expect(sol.iterations).toBeLessThanOrEqual(PROVEN_PROBES);
    expect(certifyConvex(grid, sol.lots).ok).toBe(true);
    const res = solvePlan(p);
    expect(res.solver).toMatchObject({ method: 'convex', certified: true });
    expect(res.schedule.reduce((a, r) => a + r.shares, 0)).toBe(SHARES);
  });

  it('polls shouldCancel inside a pass over the periods, not only between passes', () => {
    const grid = buildImpactGrid(extremePlan('book'));
    let polls = 0;
    // The first poll comes before the first pass; the second one is inside it.
    const e = thrownPlannerError(() => solveConvexDetailed(grid, () => ++polls >= 2));
    expect([e.code, polls]).toEqual(['cancelled', 2]);
  });

  it('a time limit that has passed stops the solve with time_limit, saying what to change', () => {
    const message =
      'shares: stopped after 0 ms (the time limit): this plan took longer than its work estimate allowed for; use a larger lotSize, fewer periods or tighter caps, or try again when the machine is less busy';
    const e = thrownPlannerError(() => solvePlan(extremePlan('book'), { timeLimitMs: 0 }));
    expect([e.code, e.message]).toEqual(['time_limit', message]);
    // In the DP engine too (a fee), through the state bounds, neither swallowed nor reworded.
    const fee = testPlan({
      shares: 200_000,
      lotSize: 1,
      periods: 50,
      fixedFeePerOrder: 1,
      impact: { model: 'linear', beta: 1e-6 },
    });
    const d = thrownPlannerError(() => solvePlan(fee, { timeLimitMs: 0 }));
    expect([d.code, d.message]).toEqual(['time_limit', message]);
  });
});
