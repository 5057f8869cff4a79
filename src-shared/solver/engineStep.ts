/**
 * One period of the DP engine, C(i−1, ·) → C(i, ·):
 *
 *     C(i, s) = min over runs r of period i of  min_j C(i−1, j) + c_i,r(s − j)   + state_i(s)
 *
 * The period's costs are filled and cut into convex runs (engineRuns.ts); k = 0 comes first,
 * then each run by increasing order: narrow runs by a direct scan (engineScan.ts), wide ones
 * by monotone minima (engineMinima.ts), or the whole period by a merge when the previous row
 * is convex and the period one convex run from 0 (engineMerge.ts). Then the state cost and
 * the pace deviation D are added and the argmins stored. Beside it, the estimate of that
 * work (periodWork), which engineEstimate.ts sums before the solve and the step uses for
 * progress.
 */
import type { ImpactGrid } from '../impact';
import type { ArgTable, Workspace } from './engineMemory';
import { EngineRow, type RowLimits } from './engineRow';
import { findRuns, NARROW_RUN, type RunShape } from './engineRuns';
import { concaveScanWork, narrowRunWork, scanRun } from './engineScan';
import { dncRun, dncWork } from './engineMinima';
import { canMerge, mergeConvex } from './engineMerge';

export interface StepOptions extends RowLimits {
  onProgress?: (fraction: number) => void;
  /**
   * Timing risk as a state cost: w[i − 1]·(M − s)² is added to C(i, s) after period i (1-based),
   * s lots traded so far (w = λ·σ_i²·q², 0 for the last period). Convex in s, so it keeps the
   * Monge structure and convex rows.
   */
  riskWeights?: Float64Array;
  /** Shape of the costs for the work estimate (tables); default one convex run a period. */
  shape?: RunShape;
}

/** The totals each period's row spans (i = 0..N) and the work estimated for the whole run. */
export interface StepRanges {
  lo: Float64Array;
  hi: Float64Array;
  evaluations: number;
}

export class PeriodStepper {
  readonly row: EngineRow;
  /** False while a checkpointed segment is recomputed (runs are counted once). */
  counting = true;
  private doneWork = 0;
  private reported = 0;

  constructor(
    private readonly grid: ImpactGrid,
    private readonly ws: Workspace,
    private readonly ranges: StepRanges,
    private readonly options: StepOptions,
  ) {
    this.row = new EngineRow(grid, ws, options);
  }

  /** Compute period i (1-based); store k per s at table[rowOffset + s] when a table is given. */
  step(i: number, table: ArgTable | null, rowOffset: number): void {
    const { grid, ws, ranges, options, row } = this;
    row.poll(true);
    const M = grid.lots;
    const sLo = ranges.lo[i] | 0;
    const sHi = ranges.hi[i] | 0;
    const pLo = ranges.lo[i - 1] | 0;
    const pHi = ranges.hi[i - 1] | 0;
    const K = Math.min(grid.caps[i - 1], sHi - pLo, M) | 0;
    const { prevC, prevD, curC, curD, cost, arg, runStart, runEnd } = ws;
    grid.fillCosts(i - 1, cost, K);
    const { runs, concave } = findRuns(grid, cost, K, runStart, runEnd);
    const w = row.work;
    // Work beside the cost evaluations: the costs filled and scanned (scale, suffix minima),
    // the rows set up and finished (start, pace deviation, state cost).
    w.evaluations += 3 * (K + 1) + 2 * (sHi - sLo + 1);
    if (this.counting) {
      if (concave) w.concavePeriods++;
      w.runsTotal += runs + 1;
      if (runs + 1 < w.runsMin) w.runsMin = runs + 1;
      if (runs + 1 > w.runsMax) w.runsMax = runs + 1;
    }

    const minC = ws.minC;
    for (let s = sLo; s <= sHi; s++) {
      curC[s] = Infinity;
      curD[s] = Infinity;
      minC[s] = Infinity;
      arg[s] = 0;
    }
    // Columns: finite C(i−1, j).
    let nc = 0;
    const cols = ws.cols;
    let minPrev = Infinity;
    for (let j = pLo; j <= pHi; j++) {
      const v = prevC[j];
      if (v < Infinity) {
        cols[nc++] = j;
        if (v < minPrev) minPrev = v;
      }
    }

    const merged =
      runs === 1 && runStart[0] === 1 && nc === pHi - pLo + 1 && canMerge(cost, K, prevC, pLo, pHi);
    if (merged) {
      if (this.counting) w.merged++;
      mergeConvex(row, sLo, sHi, pLo, pHi, K);
    } else {
      // k = 0 first (C(i−1, s) bounds every row), then the runs by increasing order size;
      // a later candidate replaces an equal one, so ties keep the larger order.
      const zLo = Math.max(sLo, pLo);
      const zHi = Math.min(sHi, pHi);
      for (let s = zLo; s <= zHi; s++) {
        curC[s] = prevC[s];
        curD[s] = prevD[s];
        minC[s] = prevC[s];
      }
      if (zHi >= zLo) w.evaluations += zHi - zLo + 1;
      // sufMin[k] + minPrev bounds every candidate with an order ≥ k from below.
      const sufMin = ws.sufMin;
      sufMin[K + 1] = Infinity;
      for (let k = K; k >= 1; k--) sufMin[k] = cost[k] < sufMin[k + 1] ? cost[k] : sufMin[k + 1];
      for (let r = 0; r < runs; r++) {
        const a = runStart[r];
        let b = runEnd[r];
        if (b - a + 1 <= NARROW_RUN) {
          // Adjacent narrow runs (a stretch that bends down) are one direct scan over their
          // orders, which stops where no larger order can help the row.
          while (r + 1 < runs && runEnd[r + 1] - runStart[r + 1] + 1 <= NARROW_RUN) b = runEnd[++r];
          scanRun(row, a, b, sLo, sHi, nc, minPrev);
        } else dncRun(row, a, b, sLo, sHi, pLo, pHi, minPrev);
        row.poll();
      }
      // Rows where a lower value arrived after the tie was chosen: decided again exactly.
      row.settleDirty(0, K, pLo, pHi);
    }
    const rw = options.riskWeights ? options.riskWeights[i - 1] : 0;
    // Pace deviation in units of 1/N² lots², (N·s − M·i)²: whole numbers, so equal D compare
    // equal exactly (while below 2^53; beyond, ordinary floating point).
    const n = grid.n;
    const target = M * i;
    for (let s = sLo; s <= sHi; s++) {
      if (curC[s] < Infinity) {
        if (rw !== 0) {
          const h = M - s;
          curC[s] += rw * h * h;
        }
        const dev = n * s - target;
        curD[s] += dev * dev;
      }
    }
    if (table) table.set(arg.subarray(sLo, sHi + 1), rowOffset + sLo);
    // Progress by estimated work done (both passes when checkpointed).
    this.doneWork += periodWork(
      grid,
      options.shape,
      i - 1,
      sHi - sLo + 1,
      pHi - pLo + 1,
      sHi - pLo,
    );
    if (options.onProgress) {
      const f = Math.min(0.999, this.doneWork / ranges.evaluations);
      if (f - this.reported >= 0.005) {
        this.reported = f;
        options.onProgress(f);
      }
    }
  }
}

/**
 * Estimated evaluations of step() for period i (0-based) with `rows` totals and `cols`
 * previous totals, `reach` the largest step between them: the costs c(0..K) filled and
 * scanned, the rows set up and finished, each convex run (a direct scan when narrow, else
 * divide and conquer; a merged period is counted as its one convex run) and the scans of
 * the stretches that bend down (concaveScanWork). Tables: one run per piece (RunShape).
 */
export function periodWork(
  grid: ImpactGrid,
  shape: RunShape | undefined,
  i: number,
  rows: number,
  cols: number,
  reach: number,
): number {
  // The largest order that can move a total of the previous row into this one.
  const K = Math.max(0, Math.min(grid.caps[i], grid.lots, reach));
  if (K === 0) return 3 * rows + 3;
  const convexRuns = shape ? Math.max(1, shape.convexRuns(i)) : 1;
  const span = Math.min(cols, rows + K);
  const run = Math.max(narrowRunWork(rows), dncWork(rows, span, K));
  const scans = concaveScanWork(K, shape ? shape.concaveLots(i) : 0, rows);
  return 3 * (K + 1) + 3 * rows + convexRuns * run + scans;
}

/** The part of periodWork that scans stretches bending down (held to the limit as it runs). */
export function periodScanWork(
  grid: ImpactGrid,
  shape: RunShape | undefined,
  i: number,
  rows: number,
  reach: number,
): number {
  const K = Math.max(0, Math.min(grid.caps[i], grid.lots, reach));
  return concaveScanWork(K, shape ? shape.concaveLots(i) : 0, rows);
}
