/**
 * Solver entry point (pure, synchronous): the worker, the CLI, the bench and tests call it alike.
 *
 * 1. Convert the plan once into the grid view (caps, cost evaluators): O(N + points).
 * 2. Feasibility Σ K_i ≥ M in O(N); otherwise 'infeasible' naming the binding field.
 * 3. Exact convexity decision from the model's form (never O(M)). Convex costs without a
 *    state cost → the Lagrange method (no table, billions of shares) with an O(N)
 *    certificate; everything else → the DP engine (engine.ts: min-plus convolution over the
 *    convex runs of each period, memory and work checked first).
 * Throws PlannerError('infeasible' | 'too_large' | 'cancelled' | 'invalid_input').
 */
import { periodVolatilities, type Plan } from '../plan';
import type { CostCurve, ScheduleRow, SolveResult, SolverInfo } from '../result';
import { PlannerError } from '../contract';
import {
  buildImpactGrid,
  calibratedPermanentCost,
  decideConvexity,
  floorLots,
  fmtInt,
  infeasibilityMessage,
  type ImpactGrid,
} from '../impact';
import { computeBaselines } from '../baselines';
import { periodLabels } from '../session';
import { certifyConvex, solveConvex, solveConvexDetailed } from './convex';
import {
  DEFAULT_MEMORY_BUDGET,
  estimateEngine,
  solveEngine,
  type EngineOptions,
  type EngineWork,
  type RunShape,
} from './engine';
import { TIE_BREAK_RULE } from './tiebreak';
import { riskScale, scheduleMetrics } from './metrics';
import { stateBounds } from './bounds';
import { stopsTheSolve, withTimeLimit } from './limits';
import { solveWarnings } from '../warnings';

export { certifyConvex, solveConvex } from './convex';
export { withTimeLimit, TimeLimitExceeded, DEFAULT_TIME_LIMIT_MS } from './limits';
export { scheduleMetrics, riskScale } from './metrics';
export {
  solveEngine,
  estimateEngine,
  DEFAULT_MEMORY_BUDGET,
  DEFAULT_MAX_EVALUATIONS,
} from './engine';

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

/** The optimal lots per period only (no report, no baselines). */
export function solveLots(plan: Plan, solveOptions: SolveOptions = {}): Solution {
  const options = withTimeLimit(solveOptions);
  const grid = buildImpactGrid(plan);
  const infeasible = infeasibilityMessage(plan, grid);
  if (infeasible) throw new PlannerError('infeasible', infeasible);
  const risk = riskTerms(plan, grid);
  if (risk) return solveWithRisk(plan, grid, risk, options);
  const convexity = decideConvexity(plan, grid);
  const method = options.method ?? 'auto';
  if (method === 'convex' && !convexity.convex)
    throw new PlannerError(
      'invalid_input',
      `impact: the convex method does not apply: ${convexity.reason}`,
    );
  if (method !== 'engine' && convexity.convex) {
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
    const sol = runEngine(plan, grid, { ...options, curve: 0 }, why);
    return { ...sol, reason: `${why}; solved by the DP engine` };
  }
  const why = method !== 'engine' || !convexity.convex ? convexity.reason : null;
  const sol = runEngine(plan, grid, options, why);
  const reason =
    method === 'engine' ? `DP engine requested (${convexity.reason})` : convexity.reason;
  return { ...sol, reason };
}

/** Timing risk and permanent impact of a plan, when it has either (else null). */
interface RiskTerms {
  /** λ·σ_i²·q² per lot² of what is left after period i (0 for the last period). */
  weights: Float64Array | null;
  /** γ > 0: the engine's costs are c_i(k) + γ·x·(S − x)/2, x = kq. */
  gamma: number;
  aversion: number;
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

/**
 * Minimise E + λ·Var exactly: the risk term is the engine's state cost, permanent impact
 * adds γ·x·(S − x)/2 to each order of x shares (withPermanentImpact). With convex
 * impact the rows stay convex and each period is an O(M) merge.
 */
function solveWithRisk(
  plan: Plan,
  grid: ImpactGrid,
  risk: RiskTerms,
  options: SolveOptions,
): Solution {
  if (options.method === 'convex')
    throw new PlannerError(
      'invalid_input',
      'impact: the convex method does not apply: timing risk and permanent impact need the DP engine',
    );
  const engineGrid = risk.gamma > 0 ? withPermanentImpact(grid, risk.gamma) : grid;
  const parts = [
    risk.weights ? `timing risk (λ = ${risk.aversion.toPrecision(3)}) is a state cost` : '',
    risk.gamma > 0
      ? `permanent impact γ = ${risk.gamma.toPrecision(3)} adds γ·x·(S − x)/2 to each order of x shares`
      : '',
  ].filter(Boolean);
  try {
    const engineOptions = {
      ...engineOptionsFor(plan, grid, options),
      riskWeights: risk.weights ?? undefined,
    };
    const banded =
      options.band !== false && convexRisk(plan, grid, risk)
        ? solveInBand(plan, engineGrid, engineOptions, options)
        : null;
    if (banded) {
      return {
        lots: banded.lots,
        method: 'engine',
        certified: true,
        grid,
        work: banded.work,
        bandWidth: banded.width,
        reason: `${parts.join('; ')}: solved by the DP engine in a band around a coarse solution (±${fmtInt(banded.width)} lots), optimal by convexity since no total touches the band's edges`,
      };
    }
    const r = solveEngine(engineGrid, engineOptions);
    return {
      lots: r.lots,
      method: 'engine',
      certified: false,
      grid,
      work: r.work,
      reason: `${parts.join('; ')}: solved by the DP engine`,
    };
  } catch (e) {
    if (e instanceof PlannerError && e.code === 'too_large' && !stopsTheSolve(e))
      throw new PlannerError(
        'too_large',
        `${e.message} (the DP engine is needed: ${parts.join('; ')})`,
      );
    throw e;
  }
}

/**
 * Convex impact without fee or minimum, and permanent impact only where it keeps each
 * period convex (linear impact with β·p_i ≥ γ/2): the objective is then L♮-convex in the
 * cumulative totals, so a schedule optimal within a band that it never touches is optimal.
 */
function convexRisk(plan: Plan, grid: ImpactGrid, risk: RiskTerms): boolean {
  if (grid.fee > 0 || grid.minLots > 1) return false;
  if (!decideConvexity(plan, grid).convex) return false;
  if (risk.gamma > 0) {
    const im = plan.impact;
    if (im.model !== 'linear') return false;
    for (let i = 0; i < grid.n; i++) {
      if (im.beta * (im.profile?.[i] ?? 1) < risk.gamma / 2) return false;
    }
  }
  return true;
}

/** Coarse grids aim at about this many lots. */
const COARSE_LOTS = 1000;

/**
 * Exact solve of a convex risk-aware plan in a band: solve the plan on a coarse lot grid,
 * take its cumulative path (scaled) as the band's centre (or the centre given), solve the real
 * grid within ±W lots of it, and accept the result when no total sits on a band edge that the
 * caps do not impose (local optimality in the band's interior is global optimality for
 * L♮-convex objectives); otherwise centre the next band on that result (the optimum lies
 * beyond the edges it reached) and double W. A band as wide as the order is the whole grid,
 * which no total can touch: the loop always ends with the optimum. The coarse path can be
 * far from the fine one: at a small λ its few lots a period put the extra lot early in the
 * day (3 lots of 100 shares, then 2), thousands of shares ahead of the fine optimum (257,
 * then 256). Null when the coarse solve fails (the full engine decides).
 */
function solveInBand(
  plan: Plan,
  engineGrid: ImpactGrid,
  engineOptions: EngineOptions,
  options: SolveOptions,
): { lots: Float64Array; work: EngineWork; width: number } | null {
  const { n, lots: M, caps } = engineGrid;
  const G = Math.floor(M / COARSE_LOTS);
  if (G < 2) return null;
  const coarseLots = Math.floor(M / G);
  const given = options.bandCentre?.length === n + 1 ? options.bandCentre : null;
  let coarse: Solution | null = null;
  if (!given) {
    const coarsePlan: Plan = {
      ...plan,
      shares: coarseLots * G * plan.lotSize,
      lotSize: G * plan.lotSize,
    };
    try {
      coarse = solveLots(coarsePlan, { ...options, onProgress: undefined, curve: 0 });
    } catch (e) {
      if (stopsTheSolve(e)) throw e;
      return null; // no band: the full engine decides
    }
  }
  // Natural ranges from the caps, and the centre within them: the one given, or the coarse
  // path scaled to the whole order.
  const natLo = new Float64Array(n + 1);
  const natHi = new Float64Array(n + 1);
  const suffix = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) suffix[i] = Math.min(M, suffix[i + 1] + caps[i]);
  const centre = new Float64Array(n + 1);
  let cum = 0;
  for (let i = 1; i <= n; i++) {
    natHi[i] = Math.min(M, natHi[i - 1] + caps[i - 1]);
    natLo[i] = Math.max(0, M - suffix[i]);
    if (coarse) cum += coarse.lots[i - 1] * G;
    const c = given ? given[i] : Math.round((cum * M) / (coarseLots * G));
    centre[i] = Math.min(natHi[i], Math.max(natLo[i], Math.round(c)));
  }
  for (let W = Math.max(firstBandWidth(M), options.bandStart ?? 0); ; W *= 2) {
    const lo = new Float64Array(n + 1);
    const hi = new Float64Array(n + 1);
    for (let i = 1; i <= n; i++) {
      lo[i] = Math.max(natLo[i], centre[i] - W);
      hi[i] = Math.min(natHi[i], centre[i] + W);
    }
    lo[n] = hi[n] = M;
    const r = solveEngine(engineGrid, { ...engineOptions, bounds: { lo, hi } });
    let s = 0;
    let touches = false;
    for (let i = 1; i < n && !touches; i++) {
      s += r.lots[i - 1];
      if ((s <= lo[i] && lo[i] > natLo[i]) || (s >= hi[i] && hi[i] < natHi[i])) touches = true;
    }
    if (!touches) return { lots: r.lots, work: r.work, width: W };
    let c = 0;
    for (let i = 1; i <= n; i++) centre[i] = c += r.lots[i - 1];
  }
}

/** The first band's half-width in lots: four coarse lots and a few more. */
function firstBandWidth(M: number): number {
  return 4 * Math.floor(M / COARSE_LOTS) + 8;
}

/**
 * Work of one risk-aware solve, for the frontier's estimate before it starts: in a band
 * (convex plans) the coarse solve (none when the centre is given) and one engine run in the
 * band `widenings` doublings wider than the first, centred on an even pace (the widths, not
 * the centre, make the work); otherwise the engine's sure estimate on the whole grid (each
 * with the engine's set-up, O(M) a run). O(N).
 */
export function estimateRiskSolve(
  plan: Plan,
  band: { widenings?: number; centreGiven?: boolean } = {},
): number {
  const grid = buildImpactGrid(plan);
  const risk = riskTerms(plan, grid);
  const { n, lots: M, caps } = grid;
  const options = engineOptionsFor(plan, grid, {});
  // Without a risk term a convex plan is the Lagrange method's: O(N log M), no table.
  if (!risk && decideConvexity(plan, grid).convex) return 64 * n;
  const G = Math.floor(M / COARSE_LOTS);
  if (!risk || !convexRisk(plan, grid, risk) || G < 2) {
    const e = estimateEngine(grid, options);
    return e.evaluations - e.scanEvaluations;
  }
  const W = firstBandWidth(M) * 2 ** (band.widenings ?? 0);
  const lo = new Float64Array(n + 1);
  const hi = new Float64Array(n + 1);
  const suffix = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) suffix[i] = Math.min(M, suffix[i + 1] + caps[i]);
  let natHi = 0;
  for (let i = 1; i <= n; i++) {
    natHi = Math.min(M, natHi + caps[i - 1]);
    const centre = Math.round((M * i) / n);
    lo[i] = Math.max(0, M - suffix[i], centre - W);
    hi[i] = Math.min(natHi, centre + W);
  }
  lo[n] = hi[n] = M;
  const banded = estimateEngine(grid, { ...options, bounds: { lo, hi } }).evaluations;
  if (band.centreGiven) return banded;
  const coarse = estimateEngine(
    buildImpactGrid({
      ...plan,
      shares: Math.floor(M / G) * G * plan.lotSize,
      lotSize: G * plan.lotSize,
    }),
    options,
  );
  return banded + coarse.evaluations;
}

/**
 * The grid with permanent impact added to every order: γ·x·(S − x)/2 for x = kq shares
 * (γ·q²/2·k·(M − k)). Summed over a schedule that is γ·(S² − Σ x_i²)/2, the permanent cost
 * itself, so the engine's values are the objective E + λ·Var with no constant taken off: every
 * term is ≥ 0 and no sum cancels, so costs compare relative to their own size (see
 * tiebreak.ts) even where the permanent cost dwarfs the rest.
 */
function withPermanentImpact(grid: ImpactGrid, gamma: number): ImpactGrid {
  const g = (gamma * grid.lot * grid.lot) / 2;
  const M = grid.lots;
  return {
    ...grid,
    numericRuns: true,
    cost: (i, k) => {
      const c = grid.cost(i, k);
      return k === 0 || c === Infinity ? c : c + g * k * (M - k);
    },
    marginal: (i, k) => grid.marginal(i, k) + g * (M - 2 * k + 1),
    rawCost: (i, k) => (k === 0 ? 0 : grid.rawCost(i, k) + g * k * (M - k)),
    fillCosts: (i, out, kMax) => {
      grid.fillCosts(i, out, kMax);
      for (let k = 1; k <= kMax; k++) if (out[k] < Infinity) out[k] += g * k * (M - k);
    },
  };
}

/** State bounds for the engine (bounds.ts), from the plan without its fee and minimum order. */
function planBounds(plan: Plan, grid: ImpactGrid, shouldCancel?: () => boolean) {
  const im = plan.impact;
  if (im.model === 'table') return stateBounds(grid, grid, im.curves, shouldCancel);
  if (grid.fee <= 0 && grid.minLots <= 1) return null;
  const relaxed = buildImpactGrid({
    ...plan,
    fixedFeePerOrder: undefined,
    minOrderSize: undefined,
  });
  return stateBounds(grid, relaxed, undefined, shouldCancel);
}

/** The engine's memory and work estimate for a plan (what solveLots checks before it starts). */
export function estimatePlan(
  plan: Plan,
  options: Pick<SolveOptions, 'curve' | 'memoryBudgetBytes'> = {},
) {
  const grid = buildImpactGrid(plan);
  const curve = (options.curve ?? 0) > 0;
  return estimateEngine(grid, {
    ...engineOptionsFor(plan, grid, options),
    bounds: (curve ? null : planBounds(plan, grid)) ?? undefined,
    curve,
  });
}

/** The engine options every caller passes alike: progress, cancel, limits, the cost shape. */
function engineOptionsFor(plan: Plan, grid: ImpactGrid, options: SolveOptions): EngineOptions {
  return {
    onProgress: options.onProgress,
    shouldCancel: options.shouldCancel,
    memoryBudgetBytes: options.memoryBudgetBytes,
    maxEvaluations: options.maxEvaluations,
    forceCheckpoints: options.forceCheckpoints,
    shape: runShape(plan, grid),
  };
}

/**
 * The DP engine on the plan, within the memory and work limits of `options`; a refusal
 * ('too_large') says `why` the engine was needed, when given.
 */
function runEngine(
  plan: Plan,
  grid: ImpactGrid,
  options: SolveOptions,
  why: string | null,
): Omit<Solution, 'reason'> {
  try {
    const curve = (options.curve ?? 0) > 0;
    const bounds = curve ? null : planBounds(plan, grid, options.shouldCancel);
    const r = solveEngine(grid, {
      ...engineOptionsFor(plan, grid, options),
      bounds: bounds ?? undefined,
      curve,
    });
    return {
      lots: r.lots,
      method: 'engine',
      certified: false,
      grid,
      work: r.work,
      curve: r.curve ?? undefined,
    };
  } catch (e) {
    // Say why the DP is needed: a fee or a minimum order (not the model), a failed certificate.
    if (e instanceof PlannerError && e.code === 'too_large' && why !== null && !stopsTheSolve(e))
      throw new PlannerError('too_large', `${e.message} (the DP engine is needed: ${why})`);
    throw e;
  }
}

export function solvePlan(plan: Plan, solveOptions: SolveOptions = {}): SolveResult {
  const t0 = now();
  const options = withTimeLimit(solveOptions);
  // The whole curve comes from one engine run without the cost bounds; when that run would be
  // long, the schedule is solved with the bounds and the curve at sampled sizes instead.
  const points = options.curve ?? 0;
  const direct = points > 0 && curveDirect(plan, options);
  // Progress never steps back, and a sampled curve's solves move it too: the schedule takes
  // the first share of the bar, each curve size the next ones in proportion to its lots.
  const report = monotoneProgress(options.onProgress);
  const M = plan.shares / plan.lotSize;
  const scheduleShare =
    points > 0 && !direct ? 1 / (1 + curveWeight(M, Math.min(points, SAMPLED_CURVE_POINTS))) : 1;
  const sol = solveLots(plan, {
    ...options,
    ...(direct ? {} : { curve: 0 }),
    onProgress: report ? (f) => report(Math.min(1, f) * scheduleShare) : undefined,
  });
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
  // Pre-trade figures, the same definitions for the optimum and every baseline.
  const sigma = periodVolatilities(plan);
  const metrics = scheduleMetrics(
    plan,
    grid,
    schedule.map((r) => r.shares),
    sigma,
  );
  addRowRisk(plan, schedule, sigma);
  if (!Number.isFinite(metrics.permanentCost))
    throw new PlannerError(
      'invalid_input',
      'impact: the permanent impact ½·γ·σ·(S/V_day)·S overflows; check gamma, sigma and the daily volume',
    );
  // With a risk term the plan minimises E + λ·Var: savings compare that objective. A calibrated
  // plan's permanent impact is in every strategy's E alike: savings are on the whole expected
  // cost, not on the part of it a schedule can change.
  const onObjective = riskTerms(plan, grid) !== null || calibratedPermanentCost(plan) > 0;
  for (const b of Object.values(baselines)) {
    if (!b || b.problem) continue;
    b.metrics = scheduleMetrics(plan, grid, b.shares, sigma);
    if (onObjective && b.feasible && b.metrics.objective > 0)
      b.savingPct = ((b.metrics.objective - metrics.objective) / b.metrics.objective) * 100;
  }
  const solver: SolverInfo = {
    method: sol.method,
    gridSize: grid.lots,
    periods: grid.n,
    millis: Math.round(millis * 1000) / 1000,
    certified: sol.certified,
    reason: sol.reason,
    tieBreak: TIE_BREAK_RULE,
  };
  if (sol.work) solver.work = { ...sol.work, summary: workSummary(sol.work, grid) };
  const naive = baselines.naive.metrics;
  const result: SolveResult = {
    schedule,
    totalCost,
    totalCostBps,
    baselines,
    solver,
    metrics,
    aversion: plan.risk?.aversion ?? 0,
    riskScale: naive ? riskScale(naive) : null,
    warnings: solveWarnings(
      plan,
      schedule.map((r) => r.shares),
      grid,
    ),
  };
  if (points > 0) {
    result.costCurve = sol.curve
      ? sampleCurve(sol.curve, grid, points, ref)
      : sol.method === 'convex'
        ? sampledCurve(plan, Math.min(points, plan.periods > 5000 ? 21 : 201), options, true, {
            report,
            from: scheduleShare,
          })
        : sampledCurve(plan, Math.min(points, SAMPLED_CURVE_POINTS), options, false, {
            report,
            from: scheduleShare,
          });
  }
  report?.(1);
  return result;
}

/** A progress callback that passes on only values above the last one (undefined: none). */
function monotoneProgress(
  onProgress: ((fraction: number) => void) | undefined,
): ((fraction: number) => void) | undefined {
  if (!onProgress) return undefined;
  let last = -1;
  return (fraction) => {
    const f = Math.min(1, Math.max(0, fraction));
    if (f <= last) return;
    last = f;
    onProgress(f);
  };
}

/** The work of a curve sampled at `points` sizes, in solves of the whole order (∝ lots). */
function curveWeight(M: number, points: number): number {
  return curveSizes(M, points).reduce((w, s) => w + s / Math.max(1, M), 0);
}

/** Beyond this many cost evaluations the curve is not taken from one unbounded engine run. */
const CURVE_DIRECT_EVALUATIONS = 3e8;
/** Sizes solved one by one (each with the cost bounds) when the curve is sampled. */
const SAMPLED_CURVE_POINTS = 21;

/** The curve can come from the engine's last row at an acceptable cost (or no engine runs). */
function curveDirect(plan: Plan, options: SolveOptions): boolean {
  if (options.method === 'convex') return true;
  const grid = buildImpactGrid(plan);
  // With a risk term C(N, s) is not the risk of an order of s lots: sample instead.
  if (riskTerms(plan, grid)) return false;
  if (options.method !== 'engine' && decideConvexity(plan, grid).convex) return true;
  if (!Number.isFinite(options.curve)) return true; // every lot count: the CLI's --curve
  const e = estimateEngine(grid, { curve: true, shape: runShape(plan, grid) });
  return (
    e.evaluations <= (options.maxCurveEvaluations ?? CURVE_DIRECT_EVALUATIONS) &&
    e.bytes <= (options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET)
  );
}

/** Remaining shares, risk contribution, expected volume and participation per row. */
function addRowRisk(plan: Plan, schedule: ScheduleRow[], sigma: Float64Array): void {
  let left = plan.shares;
  const vol = plan.volumeProfile;
  for (let i = 0; i < schedule.length; i++) {
    const r = schedule[i];
    left -= r.shares;
    r.remaining = left;
    r.riskVariance = i + 1 < schedule.length ? sigma[i] * sigma[i] * left * left : 0;
    r.expectedVolume = vol ? vol[i] : null;
    r.participation = vol && vol[i] > 0 ? r.shares / vol[i] : null;
  }
}

/** The engine's work in one line for the user. */
function workSummary(w: EngineWork, grid: ImpactGrid): string {
  const runs =
    w.runsMin === w.runsMax
      ? `${fmtInt(w.runsMin)} convex run${w.runsMin === 1 ? '' : 's'} per period (k = 0 included)`
      : `${fmtInt(w.runsMin)}–${fmtInt(w.runsMax)} convex runs per period (${fmtInt(w.runsTotal)} in all, k = 0 included)`;
  const parts = [
    `monotone minima (divide and conquer) over ${runs}`,
    w.mergedPeriods > 0 ? `${fmtInt(w.mergedPeriods)} periods merged in O(M)` : '',
    w.concavePeriods > 0
      ? `${fmtInt(w.concavePeriods)} periods with stretches where impact per share falls, split into single points (cost O(M × their length))`
      : '',
    w.keptStates < 1
      ? `cost bounds kept ${fmtShare(w.keptStates)} of the (period, total) states`
      : '',
    `${w.evaluations.toExponential(2)} cost evaluations`,
    `argmin table ${fmtMiB(w.tableBytes)}${w.checkpointed ? ` (rows checkpointed every ≈√${fmtInt(grid.n)} periods, segments recomputed)` : ''}`,
  ];
  return parts.filter(Boolean).join('; ');
}

function fmtShare(f: number): string {
  return f >= 0.1 ? `${Math.round(f * 100)}%` : `${(f * 100).toPrecision(2)}%`;
}

function fmtMiB(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;
}

/** Lot counts 0..M sampled to at most `points` (all of them when they fit), M included. */
function curveSizes(M: number, points: number): number[] {
  if (M + 1 <= points) return Array.from({ length: M + 1 }, (_, s) => s);
  const out: number[] = [];
  const p = Math.max(2, Math.floor(points));
  for (let t = 0; t < p; t++) {
    const s = Math.round((t * M) / (p - 1));
    if (out.length === 0 || s > out[out.length - 1]) out.push(s);
  }
  return out;
}

function sampleCurve(
  curve: Float64Array,
  grid: ImpactGrid,
  points: number,
  ref: number | undefined,
): CostCurve {
  const sizes = curveSizes(grid.lots, points);
  const shares: number[] = [];
  const cost: number[] = [];
  for (const s of sizes) {
    if (!Number.isFinite(curve[s])) continue; // not reachable (minimum order, caps)
    shares.push(s * grid.lot);
    cost.push(curve[s]);
  }
  return curveResult(shares, cost, ref, sizes.length === grid.lots + 1);
}

/**
 * The curve at sampled sizes, each the exact optimum of the smaller order: the Lagrange
 * method for convex plans (each O(N log M), no table), the engine with the cost bounds
 * otherwise; with a risk term the cost is the expected cost of that size's optimum.
 */
function sampledCurve(
  plan: Plan,
  points: number,
  options: SolveOptions,
  convex: boolean,
  progress: { report?: (fraction: number) => void; from: number } = { from: 0 },
): CostCurve {
  const M = plan.shares / plan.lotSize;
  const sizes = curveSizes(M, points);
  const shares: number[] = [0];
  const cost: number[] = [0];
  // Each size moves the bar from `from` to 1 in proportion to its lots (its solve's work).
  const total = sizes.reduce((w, s) => w + s, 0);
  let done = 0;
  const at = (lots: number) =>
    progress.report?.(progress.from + (1 - progress.from) * (total > 0 ? lots / total : 1));
  for (const s of sizes) {
    if (s === 0) continue;
    const sub: Plan = { ...plan, shares: s * plan.lotSize };
    try {
      let c: number;
      if (convex) {
        const grid = buildImpactGrid(sub);
        const lots = solveConvex(grid, options.shouldCancel);
        c = 0;
        for (let i = 0; i < grid.n; i++) c += grid.cost(i, lots[i]);
      } else {
        const r = solveLots(sub, {
          ...options,
          curve: 0,
          onProgress: progress.report ? (f) => at(done + Math.min(1, f) * s) : undefined,
        });
        c = scheduleMetrics(
          sub,
          r.grid,
          Array.from(r.lots, (k) => k * plan.lotSize),
        ).expectedCost;
      }
      shares.push(s * plan.lotSize);
      cost.push(c);
    } catch (e) {
      // A size no schedule can trade (a minimum order) is left out; other errors stand.
      if (!(e instanceof PlannerError && e.code === 'infeasible')) throw e;
    }
    done += s;
    at(done);
  }
  return curveResult(shares, cost, plan.referencePrice, sizes.length === M + 1);
}

function curveResult(
  shares: number[],
  cost: number[],
  ref: number | undefined,
  complete: boolean,
): CostCurve {
  return {
    shares,
    cost,
    costBps: ref ? shares.map((x, t) => (x > 0 ? (cost[t] / (x * ref)) * 1e4 : 0)) : null,
    complete,
  };
}

/**
 * What the engine will meet, for its work estimate: a table gives up to one convex run per
 * piece, and a piece where impact per share falls is a stretch that bends down (one run per
 * lot at worst). Permanent impact γ adds γ·x·(S − x)/2 to each order (withPermanentImpact),
 * whose −γ·x²/2 part bends a power law down beyond (α < 1) or below (α > 1) a size found in
 * closed form, a linear law or a book everywhere once γ/2 exceeds its slope, and a table's
 * pieces rising slower than γ/2 per share. Those stretches are scanned directly (O(rows × their length)), so the estimate
 * counts their lots. Other models: one convex run. O(N + points).
 */
function runShape(plan: Plan, grid: ImpactGrid): RunShape | undefined {
  const im = plan.impact;
  const gamma = plan.permanentImpact ?? 0;
  const q = grid.lot;
  if (im.model === 'table') {
    // Cost (g0 + s·(x − x0))·x + γ·x·(S − x)/2 on a piece bends down where 2s < γ.
    return {
      convexRuns: (i) => im.curves[i].length + 1,
      concaveLots: (i) => {
        const pts = im.curves[i];
        let lots = 0;
        for (let j = 0; j + 1 < pts.length; j++) {
          const dx = pts[j + 1][0] - pts[j][0];
          const slope = dx > 0 ? (pts[j + 1][1] - pts[j][1]) / dx : 0;
          if (pts[j + 1][1] < pts[j][1] || (gamma > 0 && 2 * slope < gamma))
            lots += floorLots(pts[j + 1][0], q) - floorLots(pts[j][0], q) + 1;
        }
        return lots;
      },
    };
  }
  if (!(gamma > 0)) return undefined;
  const pl = grid.powerLaw;
  if (!pl) {
    // A book's cost is linear between its levels: γ bends every stretch down.
    return { convexRuns: () => 1, concaveLots: (i) => grid.caps[i] };
  }
  // c(k) = coef·k^a − g·k² in lots: c'' = coef·a(a − 1)·k^(a−2) − 2g.
  const g = (gamma * q * q) / 2;
  const a = pl.exponent;
  return {
    convexRuns: () => 1,
    concaveLots: (i) => {
      const K = grid.caps[i];
      const coef = pl.coef[i];
      if (!(coef > 0)) return K;
      if (a === 2) return coef >= g ? 0 : K;
      const turn = Math.pow((coef * a * (a - 1)) / (2 * g), 1 / (2 - a));
      // Concave above the turn (a < 2) or below it (a > 2); a few lots of margin for the
      // grid's second differences and their tolerance.
      const lots = a < 2 ? K - Math.floor(turn) : Math.ceil(turn);
      return Math.min(K, Math.max(0, lots + NARROW_MARGIN));
    },
  };
}

/** Lots added to a closed-form concave stretch for the discrete runs around its end. */
const NARROW_MARGIN = 8;

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
