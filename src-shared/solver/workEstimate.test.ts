import { describe, expect, it } from 'vitest';
import type { Plan, PlanInput } from '../plan';
import { testPlan } from '../testing/plans';
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
}

const N = 24;
const LOTS = 3000;
const base = { periods: N, shares: LOTS * 100, lotSize: 100 };
const CASES: Case[] = [
  { name: 'fee', plan: testPlan({ ...base, impact: sqrt(N), fixedFeePerOrder: 5 }) },
  { name: 'minimum order', plan: testPlan({ ...base, impact: sqrt(N), minOrderSize: 5000 }) },
  { name: 'table that bends', plan: testPlan({ ...base, impact: table(N, LOTS * 100, true) }) },
  { name: 'convex table', plan: testPlan({ ...base, impact: table(N, LOTS * 100, false) }) },
  {
    name: 'timing risk',
    plan: testPlan({ ...base, impact: sqrt(N), risk: { volatility: 0.02, aversion: 1e-6 } }),
    options: { band: false },
  },
  // Permanent impact bends the square-root law down beyond about 2,200 lots.
  {
    name: 'permanent impact on a power law',
    plan: testPlan({ ...base, impact: sqrt(N), permanentImpact: 3e-8 }),
  },
  {
    name: 'permanent impact on a power law, three periods',
    plan: testPlan({ ...base, periods: 3, impact: sqrt(3), permanentImpact: 3e-8 }),
  },
  {
    name: 'permanent impact beyond a linear law',
    plan: testPlan({
      ...base,
      periods: 6,
      impact: { model: 'linear', beta: 1e-7 },
      permanentImpact: 1e-6,
    }),
  },
  {
    name: 'permanent impact on a table',
    plan: testPlan({ ...base, periods: 6, impact: table(6, LOTS * 100, false), permanentImpact: 1e-8 }),
  },
  {
    name: 'permanent impact on a book',
    plan: testPlan({ ...base, periods: 4, impact: book(4, LOTS * 100), permanentImpact: 1e-9 }),
  },
  {
    name: 'permanent impact and a fee, checkpointed',
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
    it(c.name, () => {
      const sol = solveLots(c.plan, { method: 'engine', ...c.options });
      const w = sol.work!;
      console.log(c.name, w.evaluations, w.estimatedEvaluations, (w.estimatedEvaluations / w.evaluations).toFixed(2), w.concavePeriods);
      expect(w.evaluations).toBeGreaterThan(0);
      expect(w.evaluations).toBeLessThanOrEqual(w.estimatedEvaluations);
    });
  }
});
