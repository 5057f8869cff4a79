/**
 * certificate-fallback-ignores-dp-limits: when the convex method's O(N) certificate fails
 * (floating-point noise), the DP engine settles the plan, and it must do so under the same
 * memory and work limits as any other DP solve: a plan too large for them is refused before
 * anything is allocated, saying why the engine was needed. The certificate is made to fail
 * here by replacing it (a real failure needs noise that the exact search does not produce).
 */
import { describe, expect, it, vi } from 'vitest';
import { testPlan, thrownPlannerError } from '../testing/plans';
import type * as Convex from './convex';
import { solveConvex } from './convex';
import { solveLots, solvePlan } from './index';

// vi.mock is hoisted above the imports: solveLots sees the failing certificate.

vi.mock('./convex', async (importOriginal) => {
  const original = await importOriginal<typeof Convex>();
  return {
    ...original,
    certifyConvex: () => ({
      ok: false,
      maxUsed: 2,
      minNext: 1,
      problem: 'an increment costing 2 is used while one costing 1 is left',
    }),
  };
});

describe('certificate-fallback-ignores-dp-limits', () => {
  it('a small convex plan whose certificate fails is solved by the DP engine, optimally', () => {
    const p = testPlan({
      shares: 2000,
      lotSize: 100,
      periods: 6,
      impact: { model: 'power', beta: 1e-4, exponent: 0.5, profile: [3, 1, 2, 2, 1, 3] },
    });
    const sol = solveLots(p);
    expect(sol.method).toBe('engine');
    expect(sol.certified).toBe(false);
    expect(sol.reason).toMatch(
      /but the convex method's certificate failed \(an increment costing 2 is used while one costing 1 is left\); solved by the DP engine$/,
    );
    const cost = (lots: ArrayLike<number>) =>
      Array.from(lots).reduce((a, k, i) => a + sol.grid.cost(i, k), 0);
    expect(cost(sol.lots)).toBeCloseTo(cost(solveConvex(sol.grid)), 9);
  });

  it('the fallback keeps the work limit: refused before it starts, naming the failed certificate', () => {
    const p = testPlan({
      shares: 1_000_000,
      lotSize: 1,
      periods: 390,
      impact: { model: 'linear', beta: 1e-7 },
    });
    let progress = 0;
    const e = thrownPlannerError(() =>
      solveLots(p, { maxEvaluations: 1e6, onProgress: () => progress++ }),
    );
    expect(e.code).toBe('too_large');
    expect(e.message).toMatch(/cost evaluations, more than the limit of 1\.0e\+6/);
    expect(e.message).toMatch(
      /\(the DP engine is needed: .*but the convex method's certificate failed \(an increment/,
    );
    expect(progress).toBe(0); // the engine never ran a period
  });

  it('the fallback keeps the memory budget on a 2·10^9-lot grid', () => {
    const p = testPlan({
      shares: 2_000_000_000,
      lotSize: 1,
      periods: 390,
      impact: { model: 'power', beta: 2e-7, exponent: 0.5 },
    });
    const e = thrownPlannerError(() => solvePlan(p, { curve: 1001 }));
    expect(e.code).toBe('too_large');
    expect(e.message).toMatch(/of memory even with checkpointed rows, more than the budget/);
    expect(e.message).toMatch(/certificate failed/);
  });
});
