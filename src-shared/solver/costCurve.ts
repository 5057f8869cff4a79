/**
 * The cost-by-size curve: the optimal cost of trading s lots for s = 0..M. Convex plans get it
 * in one pass (costCurveConvex.ts: the increments collected once, every sampled size's
 * threshold selected from them); the engine's plans read it off the last row C(N, ·) of one
 * run without the cost bounds when that run is affordable (curveDirect); otherwise, and with
 * a risk term (whose state cost and permanent impact depend on the order's size), sizes are
 * solved one by one. `solveCostCurve` is the curve on its own (the window's curve job, after
 * the schedule); `costCurve` is the curve of a solve that asked for it (the CLI's --curve).
 */
import type { Plan } from '../plan';
import type { CostCurve } from '../result';
import { PlannerError } from '../contract';
import { buildImpactGrid, type ImpactGrid } from '../impact';
import { solveConvex } from './convex';
import { convexCurveCosts } from './costCurveConvex';
import { estimateEngine } from './engineEstimate';
import { DEFAULT_MEMORY_BUDGET, withTimeLimit } from './limits';
import { scheduleMetrics } from './metrics';
import { solveLots, solveWithSetup } from './solve';
import { setupSolve, type SolveOptions, type SolveSetup, type Solution } from './solveSetup';

/** Beyond this many cost evaluations the curve is not taken from one unbounded engine run. */
const CURVE_DIRECT_EVALUATIONS = 3e8;
/** Sizes solved one by one (each with the cost bounds) when the curve is sampled. */
const SAMPLED_CURVE_POINTS = 21;

/** The curve can come from the engine's last row at an acceptable cost (or no engine runs). */
export function curveDirect(setup: SolveSetup, options: SolveOptions): boolean {
  // The Lagrange method runs no engine (its curve is sampled by the same method).
  if (setup.path === 'convex') return true;
  // With a risk term C(N, s) is not the risk of an order of s lots: sample instead.
  if (setup.path === 'risk') return false;
  if (!Number.isFinite(options.curve)) return true; // every lot count: the CLI's --curve
  const e = estimateEngine(setup.grid, { curve: true, shape: setup.shape });
  return (
    e.evaluations <= (options.maxCurveEvaluations ?? CURVE_DIRECT_EVALUATIONS) &&
    e.bytes <= (options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET)
  );
}

/**
 * The share of the progress bar the schedule's solve takes: all of it unless the curve is
 * sampled, then 1 / (1 + the sizes' work in solves of the whole order, ∝ their lots).
 */
export function scheduleShare(M: number, points: number, direct: boolean): number {
  if (!(points > 0) || direct) return 1;
  const sizes = curveSizes(M, Math.min(points, SAMPLED_CURVE_POINTS));
  return 1 / (1 + sizes.reduce((w, s) => w + s / Math.max(1, M), 0));
}

/**
 * The curve of a solved plan at `points` sizes: the engine's own row when it kept one, else
 * sizes solved one by one (each moving the bar from `progress.from` towards 1).
 */
export function costCurve(
  sol: Solution,
  plan: Plan,
  points: number,
  options: SolveOptions,
  progress: { report?: (fraction: number) => void; from: number },
): CostCurve {
  if (sol.curve) return sampleCurve(sol.curve, sol.grid, points, plan.referencePrice);
  return sol.method === 'convex'
    ? convexCurve(plan, sol.grid, points, options, progress)
    : sampledCurve(plan, Math.min(points, SAMPLED_CURVE_POINTS), options, false, progress);
}

/**
 * The cost-by-size curve alone, at about `points` sizes (Infinity: every lot count), exactly
 * as a solve asking for it would give it, but without the schedule's report. Convex plans:
 * one pass; the engine's plans: the last row of one unbounded run when affordable, else
 * sampled solves; risk: sampled solves. Progress moves from 0 to 1 and never steps back.
 */
export function solveCostCurve(plan: Plan, solveOptions: SolveOptions): CostCurve {
  const options = withTimeLimit(solveOptions);
  const points = options.curve ?? 0;
  if (!(points > 0))
    throw new PlannerError('invalid_input', 'curve: the number of sizes must be positive');
  const report = monotoneProgress(options.onProgress);
  const progress = { report, from: 0 };
  const setup = setupSolve(plan, options.method);
  let curve: CostCurve;
  if (setup.path === 'convex') {
    curve = convexCurve(plan, setup.grid, points, options, progress);
  } else if (curveDirect(setup, options)) {
    const sol = solveWithSetup(setup, { ...options, curve: points, onProgress: report });
    curve = sampleCurve(sol.curve!, sol.grid, points, plan.referencePrice);
  } else {
    curve = sampledCurve(plan, Math.min(points, SAMPLED_CURVE_POINTS), options, false, progress);
  }
  // A curve that stops short of the order: the order itself does not solve (a minimum order
  // that no mix of orders adds up to). Its solve throws the reason, as the schedule's would.
  if (curve.shares.at(-1) !== plan.shares) {
    solveWithSetup(setup, { ...options, curve: undefined, onProgress: undefined });
    throw new PlannerError('infeasible', `no schedule adds up to ${plan.shares} shares`);
  }
  report?.(1);
  return curve;
}

/** Sizes sampled on a convex plan's curve: 21 beyond 5,000 periods, else up to 201. */
export function convexCurvePoints(plan: Plan, points: number): number {
  return Math.min(points, plan.periods > 5000 ? 21 : 201);
}

/**
 * A convex plan's curve: every sampled size from one pass over the increments, or (when there
 * are too many to collect) each size solved by the Lagrange method; the same costs either way.
 */
function convexCurve(
  plan: Plan,
  grid: ImpactGrid,
  points: number,
  options: SolveOptions,
  progress: { report?: (fraction: number) => void; from: number },
): CostCurve {
  const sampled = convexCurvePoints(plan, points);
  const sizes = curveSizes(grid.lots, sampled).filter((s) => s > 0);
  const costs = convexCurveCosts(grid, sizes, options.shouldCancel, (done) =>
    progress.report?.(progress.from + ((1 - progress.from) * done) / Math.max(1, sizes.length)),
  );
  if (!costs) return sampledCurve(plan, sampled, options, true, progress);
  const shares = [0, ...sizes.map((s) => s * grid.lot)];
  const cost = [0, ...costs];
  return curveResult(shares, cost, plan.referencePrice, sizes.length + 1 === grid.lots + 1);
}

/** A progress callback that passes on only values above the last one (undefined: none). */
export function monotoneProgress(
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
export function sampledCurve(
  plan: Plan,
  points: number,
  options: SolveOptions,
  convex: boolean,
  progress: { report?: (fraction: number) => void; from: number },
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
