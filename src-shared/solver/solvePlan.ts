/**
 * Solver entry point (pure, synchronous): the worker, the CLI, the bench and tests call it
 * alike. solvePlan makes the setup once (grid, feasibility, convexity, method:
 * solveSetup.ts), solves the schedule on it (solve.ts) and the cost curve when asked
 * (costCurve.ts), and reports: the schedule's rows, the baselines, the pre-trade metrics, the
 * warnings and what the solver did. Throws PlannerError('infeasible' | 'too_large' |
 * 'cancelled' | 'invalid_input' | 'time_limit').
 */
import { periodVolatilities, type Plan } from '../plan';
import type { ScheduleRow, SolveResult, SolverInfo } from '../result';
import type { SolveResultColumns } from '../resultColumns';
import { PlannerError } from '../contract';
import { calibratedPermanentCost, fmtInt, type ImpactGrid } from '../impact';
import { baselineRows, computeBaselineColumns } from '../baselines';
import { periodLabels } from '../session';
import { solveWarnings } from '../warnings';
import type { EngineWork } from './engine';
import { TIE_BREAK_RULE } from './tiebreak';
import { riskScale, scheduleMetrics } from './metrics';
import { monotonicMs as now, withTimeLimit } from './limits';
import { costCurve, curveDirect, monotoneProgress, scheduleShare } from './costCurve';
import { solveWithSetup } from './solve';
import { setupSolve, type SolveOptions } from './solveSetup';

export function solvePlan(plan: Plan, solveOptions: SolveOptions = {}): SolveResult {
  return solveIn(plan, solveOptions, true) as SolveResult;
}

/**
 * The same solve and the same values as `solvePlan`, in columns (what the worker sends the
 * host and the window shows): the schedule's columns and the baselines' shares are typed
 * arrays filled as they are computed, with no row objects made; it equals
 * `toColumns(solvePlan(plan, options))`.
 */
export function solvePlanColumns(plan: Plan, solveOptions: SolveOptions = {}): SolveResultColumns {
  return solveIn(plan, solveOptions, false) as SolveResultColumns;
}

function solveIn(
  plan: Plan,
  solveOptions: SolveOptions,
  inRows: boolean,
): SolveResult | SolveResultColumns {
  const t0 = now();
  const options = withTimeLimit(solveOptions);
  // The whole curve comes from one engine run without the cost bounds; when that run would be
  // long, the schedule is solved with the bounds and the curve at sampled sizes instead.
  const points = options.curve ?? 0;
  const setup = setupSolve(plan, options.method);
  const direct = points > 0 && curveDirect(setup, options);
  // Progress never steps back, and a sampled curve's solves move it too: the schedule takes
  // the first share of the bar, each curve size the next ones in proportion to its lots.
  const report = monotoneProgress(options.onProgress);
  const M = plan.shares / plan.lotSize;
  const share = scheduleShare(M, points, direct);
  const sol = solveWithSetup(setup, {
    ...options,
    ...(direct ? {} : { curve: 0 }),
    onProgress: report ? (f) => report(Math.min(1, f) * share) : undefined,
  });
  const millis = now() - t0;
  const { grid, lots } = sol;
  const labels = periodLabels(plan.session, grid.n);
  const ref = plan.referencePrice;
  const sigma = periodVolatilities(plan);
  const vol = plan.volumeProfile;
  const n = grid.n;
  // The columns are filled as the values are computed (a null entry is NaN, a column no period
  // has is null, as toColumns makes them); the rows only when the caller wants rows.
  const shares = new Float64Array(n);
  const impactCol = new Float64Array(n);
  const costCol = new Float64Array(n);
  const bpsCol = new Float64Array(n);
  const remainingCol = new Float64Array(n);
  const varianceCol = new Float64Array(n);
  const volumeCol = new Float64Array(n);
  const participationCol = new Float64Array(n);
  const startCol = labels && !inRows ? new Array<string>(n) : null;
  const endCol = labels && !inRows ? new Array<string>(n) : null;
  // Every row is made whole in one literal (its fields in the order the result prints them):
  // fields added afterwards would move 100,000 rows to slower shapes and a second allocation.
  const schedule: ScheduleRow[] | null = inRows ? new Array(n) : null;
  /** Bit set: some period has costBps (1), an expected volume (8), a participation (16). */
  let seen = 0;
  let totalCost = 0;
  let left = plan.shares;
  let costsFinite = true;
  let bpsFinite = true;
  for (let i = 0; i < n; i++) {
    const k = lots[i];
    const x = k * grid.lot;
    const cost = grid.cost(i, k);
    const impactPerShare = grid.impact(i, x);
    const costBps = ref ? (x > 0 ? (cost / (x * ref)) * 1e4 : 0) : null;
    totalCost += cost;
    left -= x;
    costsFinite &&= Number.isFinite(impactPerShare) && Number.isFinite(cost);
    bpsFinite &&= costBps === null || Number.isFinite(costBps);
    // Shares still to trade, this period's share of the timing-risk variance, the volume.
    const riskVariance = i + 1 < n ? sigma[i] * sigma[i] * left * left : 0;
    const expectedVolume = vol ? vol[i] : null;
    const participation = vol && vol[i] > 0 ? x / vol[i] : null;
    shares[i] = x;
    impactCol[i] = impactPerShare;
    costCol[i] = cost;
    remainingCol[i] = left;
    varianceCol[i] = riskVariance;
    if (costBps != null) seen |= 1;
    if (expectedVolume != null) seen |= 8;
    if (participation != null) seen |= 16;
    bpsCol[i] = costBps ?? NaN;
    volumeCol[i] = expectedVolume ?? NaN;
    participationCol[i] = participation ?? NaN;
    if (startCol && endCol && labels) {
      startCol[i] = labels[i].start;
      endCol[i] = labels[i].end;
    }
    if (schedule)
      schedule[i] = {
        period: i + 1,
        start: labels ? labels[i].start : null,
        end: labels ? labels[i].end : null,
        shares: x,
        impactPerShare,
        cost,
        costBps,
        remaining: left,
        riskVariance,
        expectedVolume,
        participation,
      };
  }
  const baselines = computeBaselineColumns(plan, grid, totalCost);
  const totalCostBps = ref ? (totalCost / (plan.shares * ref)) * 1e4 : null;
  assertFiniteCosts(costsFinite, bpsFinite, totalCost, totalCostBps, baselines);
  // Pre-trade figures, the same definitions for the optimum and every baseline.
  const metrics = scheduleMetrics(plan, grid, shares, sigma);
  if (!Number.isFinite(metrics.permanentCost))
    throw new PlannerError(
      'invalid_input',
      'impact: the permanent impact ½·γ·σ·(S/V_day)·S overflows; check gamma, sigma and the daily volume',
    );
  // With a risk term the plan minimises E + λ·Var: savings compare that objective. A calibrated
  // plan's permanent impact is in every strategy's E alike: savings are on the whole expected
  // cost, not on the part of it a schedule can change.
  const onObjective = setup.risk !== null || calibratedPermanentCost(plan) > 0;
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
  // The fields in the order the row-wise result prints them (and toColumns keeps them).
  const result = {
    schedule: schedule ?? {
      length: n,
      start: n > 0 ? startCol : null,
      end: n > 0 ? endCol : null,
      shares,
      impactPerShare: impactCol,
      cost: costCol,
      costBps: seen & 1 ? bpsCol : null,
      remaining: n > 0 ? remainingCol : null,
      riskVariance: n > 0 ? varianceCol : null,
      expectedVolume: seen & 8 ? volumeCol : null,
      participation: seen & 16 ? participationCol : null,
    },
    totalCost,
    totalCostBps,
    baselines: schedule ? baselineRows(baselines) : baselines,
    solver,
    metrics,
    aversion: plan.risk?.aversion ?? 0,
    riskScale: naive ? riskScale(naive) : null,
    warnings: solveWarnings(plan, shares, grid),
  } as SolveResult | SolveResultColumns;
  if (points > 0) result.costCurve = costCurve(sol, plan, points, options, { report, from: share });
  report?.(1);
  if (schedule) return result;
  return Object.assign(result, { layout: 'columns' as const });
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

// ---------------------------------------------------------------------------------------
// Helpers

/**
 * Costs beyond the double range (about 1.8e308 price units) would print as null or NaN: refuse
 * the plan instead, naming the impact model. The rows' costs are checked as they are made.
 */
function assertFiniteCosts(
  rowCostsFinite: boolean,
  rowBpsFinite: boolean,
  totalCost: number,
  totalCostBps: number | null,
  baselines: SolveResultColumns['baselines'],
): void {
  let costs = rowCostsFinite && Number.isFinite(totalCost);
  let bps = rowBpsFinite && (totalCostBps === null || Number.isFinite(totalCostBps));
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
