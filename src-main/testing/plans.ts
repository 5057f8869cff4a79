/** Test fixtures: small valid plans and a result of the right shape (not a real solve). */
import { toColumns, type SolveResultColumns } from '@shared/resultColumns';
import type { Plan, PlanInput } from '@shared/plan';
import type { SolveResult } from '@shared/result';
import { testPlan } from '@shared/testing/plans';

export function samplePlan(overrides: Partial<PlanInput> = {}): Plan {
  return testPlan({
    name: 'Buy AAPL',
    symbol: 'AAPL',
    periods: 5,
    impact: { model: 'linear', beta: 0.0001 },
    ...overrides,
  });
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
    warnings: [],
  };
}

/** `sampleResult` in columns, as the window sends it and storage keeps it. */
export function sampleColumns(plan: Plan, totalCost = 12.5): SolveResultColumns {
  return toColumns(sampleResult(plan, totalCost));
}
