/**
 * The efficient frontier: expected cost E against timing risk SD over the risk aversion λ,
 * each point an exact solve of E + λ·Var. λ runs from 0 (risk-neutral) through values
 * log-spaced on the plan's own scale (TWAP's cost / its variance) up to where the optimum is
 * close to trading at once, so that the curve is well spread whatever the plan's units.
 */
import { PlannerError } from '../contract';
import { buildImpactGrid, type ImpactGrid } from '../impact';
import { periodVolatilities, type Plan } from '../plan';
import { BASELINE_LABELS, type Frontier, type FrontierPoint } from '../result';
import { computeBaselines } from '../baselines';
import { estimateRiskSolve } from './risk';
import { solveLots } from './solve';
import type { SolveOptions } from './solveSetup';
import { withTimeLimit } from './limits';
import { tieTolerance } from './tiebreak';
import { riskScale, scheduleMetrics } from './metrics';

export { dedupeSchedules, type DistinctFrontierPoint } from './frontierDistinct';

export interface FrontierOptions {
  points?: number;
  onProgress?: (fraction: number) => void;
  shouldCancel?: () => boolean;
  memoryBudgetBytes?: number;
  /** One limit for the whole frontier (all its solves), as SolveOptions.timeLimitMs. */
  timeLimitMs?: number;
  /**
   * One work limit for the whole frontier, checked on the estimate of all its points before
   * the first starts (default FRONTIER_MAX_EVALUATIONS); the points of an accepted frontier
   * are not held to a solve's limit one by one.
   */
  maxEvaluations?: number;
}

/**
 * The frontier's work limit, in the units of its estimate: about the seconds of a solve's 5e8
 * units of the engine's slowest path. The estimate is the engine's sure one (every level of
 * the monotone minima counted in full) and the sweep's band runs measure 0.7–1.4 ns a unit on
 * two busy cores: 1e10 is 7–14 s, and 390 periods × 200,000 one-share lots (8.7e9) fit.
 */
export const FRONTIER_MAX_EVALUATIONS = 1e10;

/**
 * Doublings of the first band that the estimate allows each point: centred on what the
 * previous points predict, the measured sweeps of 390 periods needed at most four (a point
 * whose optimum moves further widens further; the time limit is the backstop).
 */
const POINT_WIDENINGS = 4;

/** λ from LOW × scale to HIGH × scale (log-spaced), after λ = 0. */
const LOW = 1e-3;
const HIGH = 1e4;

export function computeFrontier(plan: Plan, frontierOptions: FrontierOptions = {}): Frontier {
  const options = withTimeLimit(frontierOptions);
  const points = Math.max(3, Math.min(60, Math.round(options.points ?? 25)));
  const sigma = periodVolatilities(plan);
  const grid = buildImpactGrid(plan);
  const baselines = computeBaselines(plan, grid, 0);
  const scale = baselines.naive.problem
    ? null
    : riskScale(scheduleMetrics(plan, grid, baselines.naive.shares, sigma));
  if (scale === null)
    throw new PlannerError(
      'invalid_input',
      'risk.volatility: the efficient frontier needs a timing risk: give a volatility above 0',
    );
  const lambdas = frontierAversions(scale, points);
  refuseLargeFrontier(plan, lambdas, options.maxEvaluations ?? FRONTIER_MAX_EVALUATIONS);
  const out: FrontierPoint[] = [];
  // Progress moves at every point (a band solve may report nothing itself) and never back.
  let reported = -1;
  const report = (f: number) => {
    if (!options.onProgress || f <= reported) return;
    reported = f;
    options.onProgress(f);
  };
  // Reuse between points: each band is centred on the path its two predecessors predict
  // (no coarse solve), moved to the optimum by descent (riskDescent.ts) before the band runs.
  const paths: Float64Array[] = [];
  for (let t = 0; t < lambdas.length; t++) {
    const lambda = lambdas[t];
    const p: Plan = { ...plan, risk: { ...(plan.risk ?? { volatility: 0 }), aversion: lambda } };
    const opts: SolveOptions = {
      shouldCancel: options.shouldCancel,
      memoryBudgetBytes: options.memoryBudgetBytes,
      onProgress: options.onProgress
        ? (f) => report((t + Math.min(1, f)) / lambdas.length)
        : undefined,
      bandCentre: predictPath(paths),
      maxEvaluations: Infinity,
    };
    report(t / lambdas.length);
    const sol = solveLots(p, opts);
    paths.push(cumulative(sol.lots));
    const shares = Array.from(sol.lots, (k) => k * grid.lot);
    const m = scheduleMetrics(p, grid, shares, sigma);
    out.push({
      aversion: lambda,
      expectedCost: m.expectedCost,
      timingRiskSd: m.timingRiskSd,
      objective: m.objective,
      shares,
    });
    // The last point's metrics and makeMonotone are what is left at (n − 1)/n … 1.
    if (t + 1 < lambdas.length) report((t + 1) / lambdas.length);
  }
  makeMonotone(plan, grid, sigma, out);
  report(1);
  const named = BASELINE_LABELS;
  const labelled = Object.entries(baselines).flatMap(([key, b]) => {
    if (!b || b.problem) return [];
    const m = scheduleMetrics(plan, grid, b.shares, sigma);
    return [
      {
        name: named[key as keyof typeof named],
        expectedCost: m.expectedCost,
        timingRiskSd: m.timingRiskSd,
      },
    ];
  });
  return { points: out, scale, baselines: labelled };
}

/**
 * Exact optima give a monotone frontier: for x optimal at λ < λ' and x' at λ', E + λ·Var and
 * E' + λ'·Var' being the least, (λ' − λ)·(Var' − Var) ≤ 0, so Var' ≤ Var and E' ≥ E. The
 * points are made to satisfy it as computed numbers too: every point takes the schedule with
 * the least objective at its own λ among all the schedules of the sweep (its own one unless
 * another is better there by more than the tie tolerance, so that a point stays its own
 * solve's schedule when another only ties it within rounding). Where E or SD would still step
 * the wrong way (two nearly equal objectives, such as the Lagrange method's and the engine's
 * choices among tied schedules at λ = 0), the earlier point takes the later schedule when
 * that ties its own, else the later point takes its predecessor's schedule, whose objective at
 * its λ is then within that rounding of the least. O(points² · N).
 */
export function makeMonotone(
  plan: Plan,
  grid: ImpactGrid,
  sigma: Float64Array,
  out: FrontierPoint[],
): void {
  const at = (lambda: number, shares: number[]): FrontierPoint => {
    const p: Plan = { ...plan, risk: { ...(plan.risk ?? { volatility: 0 }), aversion: lambda } };
    const m = scheduleMetrics(p, grid, shares, sigma);
    return {
      aversion: lambda,
      expectedCost: m.expectedCost,
      timingRiskSd: m.timingRiskSd,
      objective: m.objective,
      shares,
    };
  };
  const schedules = out.map((pt) => pt.shares);
  const tolerance = tieTolerance(grid.n);
  for (let t = 0; t < out.length; t++) {
    for (const shares of schedules) {
      if (shares === out[t].shares) continue;
      const other = at(out[t].aversion, shares);
      // Only a real improvement: a tie within rounding keeps the point's own solve.
      const own = out[t].objective;
      if (other.objective < own - tolerance * Math.abs(own)) out[t] = other;
    }
  }
  // A wrong-way step: the earlier point takes the later schedule when that ties its own
  // within rounding (then checked against its own predecessor again), else the later point
  // takes the earlier schedule. Each earlier point moves at most once per later point.
  let moves = 0;
  for (let t = 1; t < out.length; t++) {
    const a = out[t - 1];
    const b = out[t];
    if (!(b.expectedCost < a.expectedCost || b.timingRiskSd > a.timingRiskSd)) continue;
    const earlier = at(a.aversion, b.shares);
    if (
      moves++ < out.length * out.length &&
      earlier.objective <= a.objective + tolerance * Math.abs(a.objective)
    ) {
      out[t - 1] = earlier;
      t = Math.max(0, t - 2);
    } else out[t] = at(b.aversion, a.shares);
  }
}

/** λ = 0, then log-spaced from LOW × scale to HIGH × scale: `points` in all. */
function frontierAversions(scale: number, points: number): number[] {
  const lambdas = [0];
  for (let t = 0; t < points - 1; t++)
    lambdas.push(scale * LOW * Math.pow(HIGH / LOW, t / Math.max(1, points - 2)));
  return lambdas;
}

/** Cumulative lots after each period (index 0: none yet). */
function cumulative(lots: Float64Array): Float64Array {
  const out = new Float64Array(lots.length + 1);
  for (let i = 0; i < lots.length; i++) out[i + 1] = out[i] + lots[i];
  return out;
}

/**
 * The next point's path from the previous ones: the last, moved on by its step from the one
 * before (λ is log-spaced, so the optimum moves by similar steps); undefined at the start.
 */
function predictPath(paths: Float64Array[]): Float64Array | undefined {
  const last = paths[paths.length - 1];
  const before = paths[paths.length - 2];
  if (!last || !before) return last;
  // Kept a path (never falling) so that the band around it holds one.
  const out = new Float64Array(last.length);
  for (let i = 1; i < last.length; i++) out[i] = Math.max(out[i - 1], 2 * last[i] - before[i]);
  return out;
}

/**
 * The work of every point, estimated before the first starts: the Lagrange method's
 * O(N log M) at λ = 0, then in a band (each centred on what its predecessors predict, no
 * coarse solve) one run at the width reached after POINT_WIDENINGS doublings, or the engine's
 * sure estimate on the whole grid where the band does not apply (the path each point takes).
 * Beyond the work limit the frontier is refused at once, naming the points and the work of
 * one. O(points × N).
 */
function refuseLargeFrontier(plan: Plan, lambdas: number[], limit: number): void {
  const { total, largest } = frontierWork(plan, lambdas);
  if (total > limit) {
    const M = plan.shares / plan.lotSize;
    throw new PlannerError(
      'too_large',
      `shares: the efficient frontier of ${lambdas.length} points on ${plan.periods.toLocaleString('en-US')} periods × ${(M + 1).toLocaleString('en-US')} lot counts needs about ${total.toExponential(1)} cost evaluations (up to ${largest.toExponential(1)} a point), more than the limit of ${limit.toExponential(1)}; use a larger lotSize, fewer periods or fewer points`,
    );
  }
}

function frontierWork(plan: Plan, lambdas: number[]): { total: number; largest: number } {
  let total = 0;
  let largest = 0;
  for (const lambda of lambdas) {
    const p: Plan = { ...plan, risk: { ...(plan.risk ?? { volatility: 0 }), aversion: lambda } };
    const w = estimateRiskSolve(p, { widenings: POINT_WIDENINGS, centreGiven: lambda > 0 });
    total += w;
    largest = Math.max(largest, w);
  }
  return { total, largest };
}

/** The work the frontier of `points` points is estimated at before it starts (its limit's units). */
export function estimateFrontier(plan: Plan, points = 25): number {
  const sigma = periodVolatilities(plan);
  const grid = buildImpactGrid(plan);
  const naive = computeBaselines(plan, grid, 0).naive;
  const scale = naive.problem ? null : riskScale(scheduleMetrics(plan, grid, naive.shares, sigma));
  return scale === null ? 0 : frontierWork(plan, frontierAversions(scale, points)).total;
}
