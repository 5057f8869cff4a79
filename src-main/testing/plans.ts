/** Test fixtures: small valid plans and a result of the right shape (not a real solve). */
import type { Plan, PlanInput } from '@shared/plan';
import { parsePlan } from '@shared/plan';
import type { SolveResult } from '@shared/result';

export function samplePlan(overrides: Partial<PlanInput> = {}): Plan {
  const r = parsePlan({
    name: 'Buy AAPL',
    symbol: 'AAPL',
    side: 'buy',
    shares: 1000,
    lotSize: 100,
    periods: 5,
    impact: { model: 'linear', beta: 0.0001 },
    ...overrides,
  });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.value;
}

/** A result-shaped object for storage tests; the numbers are arbitrary but consistent. */
export function sampleResult(plan: Plan, totalCost = 12.5): SolveResult {
  const per = plan.shares / plan.periods;
  const baseline = {
    shares: Array.from({ length: plan.periods }, () => per),
    totalCost: totalCost * 2,
    totalCostBps: null,
    savingPct: 50,
    feasible: true,
  };
  return {
    schedule: Array.from({ length: plan.periods }, (_, i) => ({
      period: i + 1,
      start: null,
      end: null,
      shares: per,
      impactPerShare: 0.01,
      cost: totalCost / plan.periods,
      costBps: null,
    })),
    totalCost,
    totalCostBps: null,
    baselines: { naive: baseline, aggressive: baseline, conservative: baseline },
    solver: {
      method: 'convex',
      gridSize: plan.shares / plan.lotSize,
      periods: plan.periods,
      millis: 1,
      certified: true,
      reason: 'test fixture',
    },
  };
}
