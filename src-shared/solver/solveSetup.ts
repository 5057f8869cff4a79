/**
 * What a solve is asked (SolveOptions) and what it returns (Solution), and the decisions made
 * once per solve before anything runs: the plan's grid view (built once, O(N + points)),
 * feasibility Σ K_i ≥ M, the risk terms, the exact convexity decision from the model's form,
 * the cost shape the engine's work estimate needs, and from them the method: the Lagrange
 * method for convex costs without a state cost, the DP engine otherwise (with risk terms, the
 * risk path of risk.ts). Every path below receives this setup and computes none of it again.
 */
import { periodVolatilities, type Plan } from '../plan';
import { PlannerError } from '../contract';
import {
  buildImpactGrid,
  decideConvexity,
  infeasibilityMessage,
  type Convexity,
  type ImpactGrid,
} from '../impact';
import type { EngineOptions, EngineResult, EngineWork } from './engine';
import { stopsTheSolve } from './limits';
import { runShape, type RunShape } from './engineRuns';

export interface SolveOptions {
  /** Called between periods with a fraction 0..1. */
  onProgress?: (fraction: number) => void;
  /**
   * Polled between periods of the DP and inside the Lagrange method's passes over the periods
   * (at least every 1,024 periods or million cost evaluations); return true to stop (throws
   * PlannerError 'cancelled'). It may also throw a PlannerError of its own.
   */
  shouldCancel?: () => boolean;
  /**
   * Give up with PlannerError('too_large') once the solve has run this long (milliseconds),
   * checked where shouldCancel is polled. Default: no limit.
   */
  timeLimitMs?: number;
  /** Refuse a DP table larger than this many bytes (default 1.5 GiB). */
  memoryBudgetBytes?: number;
  /** Refuse a DP that needs more cost evaluations than this (default 5e8: seconds). */
  maxEvaluations?: number;
  /** 'auto' (default) picks from the convexity decision; 'engine' forces the DP engine;
   *  'convex' insists on the Lagrange method (refused when the costs are not convex). */
  method?: 'auto' | 'convex' | 'engine';
  /**
   * Also return the cost-by-size curve C(N, s), s = 0..M lots, sampled to at most this many
   * sizes (Infinity: every lot count, as the CLI's --curve prints). Omitted or 0: no curve.
   */
  curve?: number;
  /** Force the engine's checkpointed table (tests). */
  forceCheckpoints?: boolean;
  /**
   * The curve is read off one engine run without the cost bounds while that run needs at most
   * this many evaluations (default 3e8); beyond, it is sampled at 21 sizes, each solved exactly.
   */
  maxCurveEvaluations?: number;
  /**
   * The cost bounds' lower bound: 'chord' (default) the chord slopes, with the multipliers
   * where they pay; 'multipliers' the multipliers alone, no order caps (the method before the
   * chord bound, kept for the bench and tests).
   */
  costBounds?: 'chord' | 'multipliers';
  /** Convex risk-aware plans are solved in a band around a coarse solution (default true). */
  band?: boolean;
  /**
   * The band's first half-width in lots (a warm start: the frontier passes the width its
   * previous point needed, so that the narrower bands that would fail are not tried again).
   */
  bandStart?: number;
  /**
   * Cumulative lots after each period (length N + 1) of a nearby schedule, the band's first
   * centre instead of a coarse solve: the frontier passes what its previous points predict.
   */
  bandCentre?: Float64Array;
}

export interface Solution {
  /** Lots per period. */
  lots: Float64Array;
  method: 'convex' | 'engine';
  certified: boolean;
  reason: string;
  grid: ImpactGrid;
  work?: EngineWork;
  /** C(N, s) for s = 0..M when the engine was asked for the curve. */
  curve?: Float64Array;
  /** Half-width (lots) of the band the plan was solved in, when it was. */
  bandWidth?: number;
}

/** The Solution of an engine run on the plan's grid (certified only where a caller proves it). */
export function engineSolution(
  grid: ImpactGrid,
  r: EngineResult,
  reason: string,
  certified = false,
): Solution {
  return { lots: r.lots, method: 'engine', certified, grid, work: r.work, reason };
}

/**
 * The error to throw when the engine failed: a 'too_large' refusal says `why` the engine was
 * needed (when given); a cancel, the time limit and other errors stay as they are.
 */
export function engineNeeded(e: unknown, why: string | null): unknown {
  if (why !== null && e instanceof PlannerError && e.code === 'too_large' && !stopsTheSolve(e))
    return new PlannerError('too_large', `${e.message} (the DP engine is needed: ${why})`);
  return e;
}

/** Timing risk and permanent impact of a plan, when it has either (else null). */
export interface RiskTerms {
  /** λ·σ_i²·q² per lot² of what is left after period i (0 for the last period). */
  weights: Float64Array | null;
  /** γ > 0: the engine's costs are c_i(k) + γ·x·(S − x)/2, x = kq. */
  gamma: number;
  aversion: number;
}

/** The plan as every solve path sees it: computed once, by planFacts. */
export interface PlanFacts {
  plan: Plan;
  grid: ImpactGrid;
  risk: RiskTerms | null;
  convexity: Convexity;
  /** The cost shape for the engine's work estimate (undefined: one convex run a period). */
  shape: RunShape | undefined;
}

/**
 * The path a solve takes: 'convex' the Lagrange method (the engine settles a failed
 * certificate), 'engine' the DP engine, 'risk' the DP engine with timing risk or permanent
 * impact (risk.ts).
 */
export type SolvePath = 'convex' | 'engine' | 'risk';

export interface SolveSetup extends PlanFacts {
  path: SolvePath;
  /** The method asked for ('auto' when none). */
  method: NonNullable<SolveOptions['method']>;
}

/** The plan's grid view, risk terms, convexity and cost shape. No feasibility check. */
export function planFacts(plan: Plan, grid: ImpactGrid = buildImpactGrid(plan)): PlanFacts {
  return {
    plan,
    grid,
    risk: riskTerms(plan, grid),
    convexity: decideConvexity(plan, grid),
    shape: runShape(plan, grid),
  };
}

/**
 * Everything a solve decides before it runs, once: the grid, feasibility ('infeasible' naming
 * the binding field), the plan's facts and the path. Refuses `method: 'convex'` where the
 * Lagrange method does not apply ('invalid_input').
 */
export function setupSolve(plan: Plan, method: SolveOptions['method'] = 'auto'): SolveSetup {
  const grid = buildImpactGrid(plan);
  const infeasible = infeasibilityMessage(plan, grid);
  if (infeasible) throw new PlannerError('infeasible', infeasible);
  const facts = planFacts(plan, grid);
  if (facts.risk) {
    if (method === 'convex')
      throw new PlannerError(
        'invalid_input',
        'impact: the convex method does not apply: timing risk and permanent impact need the DP engine',
      );
    return { ...facts, path: 'risk', method };
  }
  if (method === 'convex' && !facts.convexity.convex)
    throw new PlannerError(
      'invalid_input',
      `impact: the convex method does not apply: ${facts.convexity.reason}`,
    );
  const path = method !== 'engine' && facts.convexity.convex ? 'convex' : 'engine';
  return { ...facts, path, method };
}

/** The engine options every caller passes alike: progress, cancel, limits, the cost shape. */
export function engineOptionsFor(facts: PlanFacts, options: SolveOptions): EngineOptions {
  return {
    onProgress: options.onProgress,
    shouldCancel: options.shouldCancel,
    memoryBudgetBytes: options.memoryBudgetBytes,
    maxEvaluations: options.maxEvaluations,
    forceCheckpoints: options.forceCheckpoints,
    shape: facts.shape,
  };
}

function riskTerms(plan: Plan, grid: ImpactGrid): RiskTerms | null {
  const aversion = plan.risk?.aversion ?? 0;
  const gamma = plan.permanentImpact ?? 0;
  let weights: Float64Array | null = null;
  if (aversion > 0) {
    const sigma = periodVolatilities(plan);
    const q2 = grid.lot * grid.lot;
    weights = new Float64Array(grid.n);
    let any = false;
    for (let i = 0; i + 1 < grid.n; i++) {
      weights[i] = aversion * sigma[i] * sigma[i] * q2;
      if (weights[i] > 0) any = true;
    }
    if (!any) weights = null;
  }
  if (!weights && !(gamma > 0)) return null;
  return { weights, gamma, aversion };
}
