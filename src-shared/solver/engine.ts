/**
 * The exact DP engine on the lot grid, for every plan the Lagrange method does not take
 * (fixed fees, minimum order sizes, tables that bend, state costs): the run as a whole. The
 * estimate is checked against the memory budget and the work limit before anything is
 * allocated (engineEstimate.ts), the periods are stepped forwards (engineStep.ts: runs,
 * monotone minima, merge, tie rule), and the schedule is read back from the argmin table, or,
 * when the table would not fit, from checkpointed rows whose segments are recomputed while
 * backtracking (engineMemory.ts).
 */
import type { ImpactGrid } from '../impact';
import { fmtInt } from '../impact';
import { PlannerError } from '../contract';
import { DEFAULT_MAX_EVALUATIONS, DEFAULT_MEMORY_BUDGET, fmtBytesPair } from './limits';
import {
  largestOrder,
  maxWidthOf,
  newArgTable,
  SETUP_WORK,
  sliceRow,
  Workspace,
  type ArgTable,
} from './engineMemory';
import { estimateEngine, type EstimateOptions } from './engineEstimate';
import { PeriodStepper, type StepOptions } from './engineStep';

export interface EngineOptions extends StepOptions, EstimateOptions {
  shouldCancel?: () => boolean;
  memoryBudgetBytes?: number;
  maxEvaluations?: number;
}

export interface EngineWork {
  runsMin: number;
  runsMax: number;
  runsTotal: number;
  mergedPeriods: number;
  evaluations: number;
  /** The estimate checked against the limit before the solve started (≥ evaluations). */
  estimatedEvaluations: number;
  tableBytes: number;
  checkpointed: boolean;
  /** Periods where a stretch that bends down was split into single points. */
  concavePeriods: number;
  /** Share of the reachable states kept by the bounds (1 without bounds). */
  keptStates: number;
}

export interface EngineResult {
  lots: Float64Array;
  /** C(N, M) including state costs. */
  cost: number;
  /** C(N, s), s = 0..M (Infinity where s cannot be reached), when asked for. */
  curve: Float64Array | null;
  work: EngineWork;
}

const EMPTY = new Float64Array(0);

/** An optimal schedule (lots per period); throws 'too_large', 'cancelled' or 'infeasible'. */
export function solveEngine(grid: ImpactGrid, options: EngineOptions = {}): EngineResult {
  const { n, lots: M, caps, minLots } = grid;
  const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
  const maxEval = options.maxEvaluations ?? DEFAULT_MAX_EVALUATIONS;
  const est = estimateEngine(grid, options);
  const what = () => `the exact DP on ${fmtInt(n)} periods × ${fmtInt(M + 1)} lot counts`;
  const advice = 'use a larger lotSize or tighter caps';
  if (est.bytes > budget) {
    const [need, have] = fmtBytesPair(est.bytes, budget);
    throw new PlannerError(
      'too_large',
      `shares: ${what()} needs ${need} of memory even with checkpointed rows, more than the budget of ${have}; ${advice}`,
    );
  }
  // Refused before it starts when the work that is surely done exceeds the limit; the scans
  // of stretches that bend down are held to the limit as they run (see PeriodStepper.poll).
  const sure = est.evaluations - est.scanEvaluations;
  if (sure > maxEval) {
    throw new PlannerError(
      'too_large',
      `shares: ${what()} needs about ${sure.toExponential(1)} cost evaluations, more than the limit of ${maxEval.toExponential(1)}; ${advice}`,
    );
  }
  const maxK = largestOrder(caps, M);
  let ws: Workspace;
  let table: ArgTable | null = null;
  let stepWork = 0;
  const checkpoints: Float64Array[] = [];
  try {
    ws = new Workspace(M, maxK);
    stepWork += SETUP_WORK * (M + 1);
    if (!est.checkpointed) table = newArgTable(est.argBytes, est.fullTableBytes / est.argBytes);
  } catch {
    throw new PlannerError(
      'too_large',
      `shares: ${what()} needs ${fmtBytesPair(est.bytes, budget)[0]} of memory, which could not be allocated; ${advice}`,
    );
  }
  const stepper = new PeriodStepper(grid, ws, est, options);
  stepper.row.work.evaluations += stepWork;
  const { lo, hi } = est;

  // Forward pass: C(0, 0) = 0.
  ws.prevC.fill(Infinity);
  ws.prevD.fill(Infinity);
  ws.prevC[0] = 0;
  ws.prevD[0] = 0;
  const base = new Float64Array(n + 2); // offset of period i's block in the full table
  let offset = 0;
  for (let i = 1; i <= n; i++) {
    if (est.checkpointed && (i - 1) % est.segment === 0) {
      checkpoints.push(sliceRow(ws.prevC, lo[i - 1], hi[i - 1]));
      checkpoints.push(sliceRow(ws.prevD, lo[i - 1], hi[i - 1]));
    }
    base[i] = offset;
    stepper.step(i, table, offset - lo[i]);
    offset += hi[i] - lo[i] + 1;
    ws.swap();
  }
  const finalC = ws.prevC;
  if (!Number.isFinite(finalC[M])) {
    throw new PlannerError(
      'infeasible',
      minLots > 1
        ? `minOrderSize: no schedule of orders that are 0 or at least ${fmtInt(minLots * grid.lot)} shares fits the caps and adds up to ${fmtInt(M * grid.lot)} shares`
        : `shares: no schedule within the caps adds up to ${fmtInt(M * grid.lot)} shares`,
    );
  }
  const cost = finalC[M];
  const curve = options.curve ? finalC.slice(0, M + 1) : null;

  // Backtracking.
  const lots = new Float64Array(n);
  if (table) {
    let s = M;
    for (let i = n; i >= 1; i--) {
      const k = table[base[i] + s - lo[i]];
      lots[i - 1] = k;
      s -= k;
    }
  } else {
    // Recompute each segment from its checkpoint, last segment first.
    stepper.counting = false;
    const seg = est.segment;
    const segTable = newArgTable(est.argBytes, est.segment * maxWidthOf(lo, hi));
    let s = M;
    for (let t = Math.ceil(n / seg) - 1; t >= 0; t--) {
      const first = t * seg + 1;
      const last = Math.min(n, (t + 1) * seg);
      ws.prevC.fill(Infinity);
      ws.prevD.fill(Infinity);
      ws.prevC.set(checkpoints[2 * t], lo[first - 1]);
      ws.prevD.set(checkpoints[2 * t + 1], lo[first - 1]);
      const segBase = new Float64Array(last - first + 2);
      let off = 0;
      for (let i = first; i <= last; i++) {
        segBase[i - first] = off;
        stepper.step(i, segTable, off - lo[i]);
        off += hi[i] - lo[i] + 1;
        ws.swap();
      }
      for (let i = last; i >= first; i--) {
        const k = segTable[segBase[i - first] + s - lo[i]];
        lots[i - 1] = k;
        s -= k;
      }
      // Free the segment's checkpoints as soon as they are used.
      checkpoints[2 * t] = checkpoints[2 * t + 1] = EMPTY;
    }
  }
  options.onProgress?.(1);
  const w = stepper.row.work;
  return {
    lots,
    cost,
    curve,
    work: {
      runsMin: w.runsMin === Infinity ? 0 : w.runsMin,
      runsMax: w.runsMax,
      runsTotal: w.runsTotal,
      mergedPeriods: w.merged,
      evaluations: w.evaluations,
      estimatedEvaluations: est.evaluations,
      tableBytes: est.checkpointed ? est.bytes : est.fullTableBytes,
      checkpointed: est.checkpointed,
      concavePeriods: w.concavePeriods,
      keptStates: est.keptStates,
    },
  };
}
