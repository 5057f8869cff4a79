/**
 * Solver entry point (pure, synchronous): the worker, the CLI, the bench and tests call it alike.
 *
 * 1. Convert the plan once into the grid view (caps, cost evaluators): O(N + points).
 * 2. Feasibility Σ K_i ≥ M in O(N); otherwise 'infeasible' naming the binding field.
 * 3. Exact convexity decision from the model's form (never O(M)); convex → Lagrange method
 *    with an O(N) certificate, otherwise the general DP (memory/work checked first).
 * Throws PlannerError('infeasible' | 'too_large' | 'cancelled' | 'invalid_input').
 */
import type { Plan } from '../plan';
import type { ScheduleRow, SolveResult } from '../result';
import { PlannerError } from '../contract';
import { buildImpactGrid, decideConvexity, infeasibilityMessage, type ImpactGrid } from '../impact';
import { computeBaselines } from '../baselines';
import { periodLabels } from '../session';
import { certifyConvex, solveConvex } from './convex';
import { DEFAULT_MEMORY_BUDGET, estimateDp, solveDp } from './dp';

export { certifyConvex, solveConvex } from './convex';
export { solveDp, estimateDp, DEFAULT_MEMORY_BUDGET, DEFAULT_MAX_DP_OPERATIONS } from './dp';

export interface SolveOptions {
  /** Called between periods with a fraction 0..1. */
  onProgress?: (fraction: number) => void;
  /** Polled between periods; return true to stop (throws PlannerError 'cancelled'). */
  shouldCancel?: () => boolean;
  /** Refuse a DP table larger than this many bytes (default 1.5 GiB). */
  memoryBudgetBytes?: number;
  /** Refuse a DP that needs more inner-loop steps than this (default 3e10). */
  maxDpOperations?: number;
  /** 'auto' (default) picks from the convexity decision; 'dp' forces the general DP;
   *  'convex' insists on the convex method (refused when the costs are not convex). */
  method?: 'auto' | 'convex' | 'dp';
  /**
   * Also return the cost-by-size curve C(N, s), s = 0..M lots, sampled to at most this many
   * sizes (Infinity: every lot count, as the CLI's --curve prints). Omitted or 0: no curve.
   */
  curve?: number;
}

export interface Solution {
  /** Lots per period. */
  lots: Float64Array;
  method: 'convex' | 'dp';
  certified: boolean;
  reason: string;
  grid: ImpactGrid;
}

/** The optimal lots per period only (no report, no baselines). */
export function solveLots(plan: Plan, options: SolveOptions = {}): Solution {
  const grid = buildImpactGrid(plan);
  const infeasible = infeasibilityMessage(plan, grid);
  if (infeasible) throw new PlannerError('infeasible', infeasible);
  const convexity = decideConvexity(plan, grid);
  const method = options.method ?? 'auto';
  if (method === 'convex' && !convexity.convex)
    throw new PlannerError(
      'invalid_input',
      `impact: the convex method does not apply: ${convexity.reason}`,
    );
  if (method !== 'dp' && convexity.convex) {
    const lots = solveConvex(grid, options.shouldCancel);
    const cert = certifyConvex(grid, lots);
    if (
      cert.ok ||
      method === 'convex' ||
      estimateDp(grid).bytes > (options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET)
    ) {
      options.onProgress?.(1);
      return { lots, method: 'convex', certified: cert.ok, reason: convexity.reason, grid };
    }
    // Only floating-point noise can make the certificate fail on convex costs; the DP settles it.
    const dpLots = solveDp(grid, options);
    const reason = `${convexity.reason}, but the certificate failed (${cert.problem}); solved by the general DP`;
    return { lots: dpLots, method: 'dp', certified: false, reason, grid };
  }
  let lots: Float64Array;
  try {
    lots = solveDp(grid, options);
  } catch (e) {
    // "Use a convex impact model" misleads when the model is convex and a fee or a minimum
    // order is what needs the DP: say why the DP was chosen.
    if (e instanceof PlannerError && e.code === 'too_large' && method !== 'dp')
      throw new PlannerError('too_large', `${e.message} (the DP is needed: ${convexity.reason})`);
    throw e;
  }
  const reason = method === 'dp' ? `general DP requested (${convexity.reason})` : convexity.reason;
  return { lots, method: 'dp', certified: false, reason, grid };
}

export function solvePlan(plan: Plan, options: SolveOptions = {}): SolveResult {
  const t0 = now();
  const sol = solveLots(plan, options);
  const millis = now() - t0;
  const { grid, lots } = sol;
  const labels = periodLabels(plan.session, grid.n);
  const ref = plan.referencePrice;
  const schedule: ScheduleRow[] = new Array(grid.n);
  let totalCost = 0;
  for (let i = 0; i < grid.n; i++) {
    const k = lots[i];
    const x = k * grid.lot;
    const cost = grid.cost(i, k);
    totalCost += cost;
    schedule[i] = {
      period: i + 1,
      start: labels ? labels[i].start : null,
      end: labels ? labels[i].end : null,
      shares: x,
      impactPerShare: grid.impact(i, x),
      cost,
      costBps: ref ? (x > 0 ? (cost / (x * ref)) * 1e4 : 0) : null,
    };
  }
  const baselines = computeBaselines(plan, grid, totalCost);
  const totalCostBps = ref ? (totalCost / (plan.shares * ref)) * 1e4 : null;
  assertFiniteCosts(schedule, totalCost, totalCostBps, baselines);
  return {
    schedule,
    totalCost,
    totalCostBps,
    baselines,
    solver: {
      method: sol.method,
      gridSize: grid.lots,
      periods: grid.n,
      millis: Math.round(millis * 1000) / 1000,
      certified: sol.certified,
      reason: sol.reason,
    },
  };
}

// ---------------------------------------------------------------------------------------
// Helpers

/**
 * Costs beyond the double range (about 1.8e308 price units) would print as null or NaN: refuse
 * the plan instead, naming the impact model. O(N).
 */
function assertFiniteCosts(
  schedule: readonly ScheduleRow[],
  totalCost: number,
  totalCostBps: number | null,
  baselines: SolveResult['baselines'],
): void {
  let costs = Number.isFinite(totalCost);
  let bps = totalCostBps === null || Number.isFinite(totalCostBps);
  for (const r of schedule) {
    costs &&= Number.isFinite(r.impactPerShare) && Number.isFinite(r.cost);
    bps &&= r.costBps === null || Number.isFinite(r.costBps);
  }
  for (const b of Object.values(baselines)) {
    if (!b) continue;
    costs &&= Number.isFinite(b.totalCost) && Number.isFinite(b.savingPct);
    bps &&= b.totalCostBps === null || Number.isFinite(b.totalCostBps);
  }
  if (!costs) {
    throw new PlannerError(
      'invalid_input',
      'impact: the costs of this plan overflow (more than 1.8e308 price units); check beta, the profile and the units of the impact model',
    );
  }
  if (!bps) {
    throw new PlannerError(
      'invalid_input',
      'referencePrice: too small, the costs in basis points overflow; give the price in the same units as the impact',
    );
  }
}

function now(): number {
  return globalThis.performance ? globalThis.performance.now() : Date.now();
}
