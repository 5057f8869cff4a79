/**
 * The optimal lots per period (no report): the setup decides the path once (solveSetup.ts),
 * then the Lagrange method with its O(N) certificate (convex.ts; the engine settles a failed
 * certificate), the DP engine with the cost bounds of bounds.ts (engine.ts), or the risk path
 * (risk.ts). Also the engine's estimate for a plan, what this path checks before it starts.
 * Throws PlannerError('infeasible' | 'too_large' | 'cancelled' | 'invalid_input').
 */
import type { Plan } from '../plan';
import { buildImpactGrid, fmtInt, type ImpactGrid } from '../impact';
import { certifyConvex, solveConvexDetailed } from './convex';
import { solveEngine } from './engine';
import { estimateEngine, type EngineEstimate } from './engineEstimate';
import { stateBounds, type StateBounds } from './bounds';
import { withTimeLimit } from './limits';
import { solveWithRisk } from './risk';
import {
  engineNeeded,
  engineOptionsFor,
  engineSolution,
  planFacts,
  setupSolve,
  type PlanFacts,
  type SolveOptions,
  type SolveSetup,
  type Solution,
} from './solveSetup';

/** The optimal lots per period only (no report, no baselines). */
export function solveLots(plan: Plan, solveOptions: SolveOptions = {}): Solution {
  const options = withTimeLimit(solveOptions);
  return solveWithSetup(setupSolve(plan, options.method), options);
}

/** solveLots on a setup already made (solvePlan makes it once for the schedule and curve). */
export function solveWithSetup(setup: SolveSetup, options: SolveOptions): Solution {
  const { grid, convexity, method } = setup;
  if (setup.path === 'risk') return solveWithRisk(setup, options, solveLots);
  if (setup.path === 'convex') {
    const cs = solveConvexDetailed(grid, options.shouldCancel);
    const lots = cs.lots;
    const cert = certifyConvex(grid, lots);
    if (cert.ok || method === 'convex') {
      options.onProgress?.(1);
      const reason =
        cs.ties === 'even'
          ? `${convexity.reason}; ${fmtInt(cs.tiedLots)} lots tie in cost and were spread evenly (the exact even-pace choice among them was too large to compute)`
          : convexity.reason;
      return { lots, method: 'convex', certified: cert.ok, reason, grid };
    }
    // Only floating-point noise can make the certificate fail on convex costs; the engine
    // settles it under its own memory and work limits (a plan too large for them is refused,
    // saying why the engine was needed). Without the curve: the plan was let through to the
    // curve as a convex one, whose curve is sampled by the Lagrange method, not one DP run.
    const why = `${convexity.reason}, but the convex method's certificate failed (${cert.problem})`;
    return runEngine(setup, { ...options, curve: 0 }, why, `${why}; solved by the DP engine`);
  }
  const why = method !== 'engine' || !convexity.convex ? convexity.reason : null;
  const reason =
    method === 'engine' ? `DP engine requested (${convexity.reason})` : convexity.reason;
  return runEngine(setup, options, why, reason);
}

/**
 * The DP engine on the plan, within the memory and work limits of `options`; a refusal
 * ('too_large') says `why` the engine was needed, when given (a fee or a minimum order, not
 * the model; a failed certificate).
 */
function runEngine(
  facts: PlanFacts,
  options: SolveOptions,
  why: string | null,
  reason: string,
): Solution {
  const { plan, grid } = facts;
  try {
    const curve = (options.curve ?? 0) > 0;
    const bounds = curve ? null : planBounds(plan, grid, options);
    const r = solveEngine(boundedGrid(grid, bounds), {
      ...engineOptionsFor(facts, options),
      bounds: bounds ?? undefined,
      curve,
    });
    return { ...engineSolution(grid, r, reason), curve: r.curve ?? undefined };
  } catch (e) {
    throw engineNeeded(e, why);
  }
}

/** State bounds for the engine (bounds.ts), from the plan without its fee and minimum order. */
function planBounds(
  plan: Plan,
  grid: ImpactGrid,
  options: Pick<SolveOptions, 'shouldCancel' | 'costBounds'> = {},
) {
  const im = plan.impact;
  const bounds = { chord: options.costBounds !== 'multipliers' };
  if (im.model === 'table') return stateBounds(grid, grid, im.curves, options.shouldCancel, bounds);
  if (grid.fee <= 0 && grid.minLots <= 1) return null;
  const relaxed = buildImpactGrid({
    ...plan,
    fixedFeePerOrder: undefined,
    minOrderSize: undefined,
  });
  return stateBounds(grid, relaxed, undefined, options.shouldCancel, bounds);
}

/** The engine's memory and work estimate for a plan (what solveLots checks before it starts). */
export function estimatePlan(
  plan: Plan,
  options: Pick<SolveOptions, 'curve' | 'memoryBudgetBytes' | 'costBounds'> = {},
): EngineEstimate {
  const facts = planFacts(plan);
  const curve = (options.curve ?? 0) > 0;
  const bounds = curve ? null : planBounds(plan, facts.grid, options);
  return estimateEngine(boundedGrid(facts.grid, bounds), {
    ...engineOptionsFor(facts, options),
    bounds: bounds ?? undefined,
    curve,
  });
}

/**
 * The grid with the orders the bounds proved too large cut off its caps (the same costs: only
 * orders no optimal or tied schedule takes are gone), so each period fills and scans fewer.
 */
function boundedGrid(grid: ImpactGrid, bounds: StateBounds | null): ImpactGrid {
  return bounds?.caps ? { ...grid, caps: bounds.caps } : grid;
}
