/**
 * permanent-impact-escapes-the-work-estimate: with permanent impact γ a power law bends down
 * for large orders, the engine scans those stretches order by order, and the estimate (one
 * convex run a period) let plans through that ran for minutes. The estimate now covers every
 * path; these tests compare it with the evaluations the engine counts as it works.
 */
import { describe, expect, it } from 'vitest';
import type { Plan, PlanInput } from '../plan';
import { testPlan, thrownPlannerError } from '../testing/plans';
import { solveLots, type SolveOptions } from './index';

/** U-shaped profile, dear at both ends. */
const u = (n: number) =>
  Array.from({ length: n }, (_, i) => 0.7 + 1.6 * (i / Math.max(1, n - 1) - 0.5) ** 2 * 4);

const sqrt = (n: number) =>
  ({ model: 'power', beta: 2e-5, exponent: 0.5, profile: u(n) }) as PlanInput['impact'];

function table(n: number, S: number, falling: boolean): PlanInput['impact'] {
  return {
    model: 'table',
    curves: Array.from({ length: n }, (_, i) => [
      [0, 0.001 * u(n)[i]],
      [0.05 * S, 0.004 * u(n)[i]],
      [0.3 * S, 0.02 * u(n)[i]],
      [0.6 * S, (falling ? 0.012 : 0.025) * u(n)[i]],
      [S, 0.03 * u(n)[i]],
    ]),
  };
}

function book(n: number, S: number): PlanInput['impact'] {
  return {
    model: 'book',
    ladders: Array.from({ length: n }, (_, i) =>
      Array.from({ length: 6 }, (_, l) => [0.01 * (l + 1) * u(n)[i], S / 4] as [number, number]),
    ),
  };
}

interface Case {
  name: string;
  plan: Plan;
  options?: SolveOptions;
  /**
   * Stretches that bend down are scanned order by order: the bound (rows × their lots) is
   * exact only when no scan stops early, so the counted work is held to the limit instead.
   */
  scans?: true;
}

const N = 24;
const LOTS = 3000;
const base = { periods: N, shares: LOTS * 100, lotSize: 100 };
const CASES: Case[] = [
  { name: 'fee', plan: testPlan({ ...base, impact: sqrt(N), fixedFeePerOrder: 5 }) },
  { name: 'minimum order', plan: testPlan({ ...base, impact: sqrt(N), minOrderSize: 5000 }) },
  {
    name: 'table that bends',
    scans: true,
    plan: testPlan({ ...base, impact: table(N, LOTS * 100, true) }),
  },
  { name: 'convex table', plan: testPlan({ ...base, impact: table(N, LOTS * 100, false) }) },
  {
    name: 'timing risk',
    plan: testPlan({ ...base, impact: sqrt(N), risk: { volatility: 0.02, aversion: 1e-6 } }),
    options: { band: false },
  },
  // Permanent impact bends the square-root law down beyond about 2,200 lots.
  {
    name: 'permanent impact on a power law',
    scans: true,
    plan: testPlan({ ...base, impact: sqrt(N), permanentImpact: 3e-8 }),
  },
  {
    name: 'permanent impact on a power law, three periods',
    scans: true,
    plan: testPlan({ ...base, periods: 3, impact: sqrt(3), permanentImpact: 3e-8 }),
  },
  {
    name: 'permanent impact beyond a linear law',
    scans: true,
    plan: testPlan({
      ...base,
      periods: 6,
      impact: { model: 'linear', beta: 1e-7 },
      permanentImpact: 1e-6,
    }),
  },
  {
    name: 'permanent impact on a table',
    plan: testPlan({
      ...base,
      periods: 6,
      impact: table(6, LOTS * 100, false),
      permanentImpact: 1e-8,
    }),
  },
  {
    name: 'permanent impact on a book',
    scans: true,
    plan: testPlan({ ...base, periods: 4, impact: book(4, LOTS * 100), permanentImpact: 1e-9 }),
  },
  {
    name: 'permanent impact and a fee, checkpointed',
    scans: true,
    plan: testPlan({ ...base, impact: sqrt(N), permanentImpact: 3e-8, fixedFeePerOrder: 5 }),
    options: { forceCheckpoints: true },
  },
  {
    name: 'fee, the whole curve',
    plan: testPlan({ ...base, impact: sqrt(N), fixedFeePerOrder: 5 }),
    options: { curve: Infinity },
  },
];

describe('work estimate against the evaluations counted', () => {
  for (const c of CASES) {
    it(`${c.name}: at least the work done${c.scans ? '' : ', at most 20 times it'}`, () => {
      const sol = solveLots(c.plan, { method: 'engine', ...c.options });
      const w = sol.work!;
      expect(w.evaluations).toBeGreaterThan(0);
      expect(w.evaluations).toBeLessThanOrEqual(w.estimatedEvaluations);
      if (!c.scans) expect(w.estimatedEvaluations).toBeLessThanOrEqual(20 * w.evaluations);
    });
  }
});

describe('the evaluation limit', () => {
  const bent = testPlan({ ...base, periods: 3, impact: sqrt(3), permanentImpact: 3e-8 });

  it('refuses before it starts what surely needs more', () => {
    const e = thrownPlannerError(() =>
      solveLots(testPlan({ ...base, impact: sqrt(N), fixedFeePerOrder: 5 }), {
        maxEvaluations: 1e4,
      }),
    );
    expect(e.code).toBe('too_large');
    expect(e.message).toMatch(
      /^shares: the exact DP on 24 periods × 3,001 lot counts needs about [\d.e+]+ cost evaluations, more than the limit of 1\.0e\+4/,
    );
  });

  it('holds scans of stretches that bend down to the limit as they run', () => {
    const done = solveLots(bent).work!.evaluations;
    // Beyond the estimate that is sure (the scans' bound is far above the work done) ...
    let polls = 0;
    const e = thrownPlannerError(() =>
      solveLots(bent, {
        maxEvaluations: done / 4,
        shouldCancel: () => {
          polls++;
          return false;
        },
      }),
    );
    expect(e.code).toBe('too_large');
    expect(e.message).toMatch(
      /^shares: the exact DP on 3 periods × 3,001 lot counts (passed the limit|needs about [\d.e+]+ cost evaluations \(judged from the [\d.e+]+ done so far\), more than the limit) of [\d.e+]+ cost evaluations.*where the cost of an order bends down .* use a larger lotSize or tighter caps/,
    );
    expect(polls).toBeGreaterThan(0);
    // ... and a limit above the work lets the same plan through.
    expect(solveLots(bent, { maxEvaluations: done * 1.01 }).work!.evaluations).toBe(done);
  });
});
