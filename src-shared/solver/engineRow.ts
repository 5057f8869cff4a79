/**
 * The row the DP engine is filling, C(i, ·) and D(i, ·), as every way of filling it sees it
 * (direct scans, monotone minima, the merge): candidates are offered to a total under the
 * tie rule of tiebreak.ts (offer), a total whose chosen tie dropped out is decided again
 * (rescanRow), and the work done is counted and polled against the limit and cancel.
 */
import type { ImpactGrid } from '../impact';
import { fmtInt } from '../impact';
import { PlannerError } from '../contract';
import { DEFAULT_MAX_EVALUATIONS } from './limits';
import { tieTolerance } from './tiebreak';
import type { Workspace } from './engineMemory';

/** Cancel is polled at least every this many cost evaluations. */
export const POLL_EVALUATIONS = 1e6;

export interface RowLimits {
  shouldCancel?: () => boolean;
  maxEvaluations?: number;
}

/** What an engine run counts as it goes (EngineWork's raw figures). */
export interface WorkCount {
  runsMin: number;
  runsMax: number;
  runsTotal: number;
  merged: number;
  evaluations: number;
  concavePeriods: number;
}

export class EngineRow {
  readonly work: WorkCount = {
    runsMin: Infinity,
    runsMax: 0,
    runsTotal: 0,
    merged: 0,
    evaluations: 0,
    concavePeriods: 0,
  };
  /** Relative tie tolerance (tiebreak.ts): v ties with the least value m when v ≤ m + rtol·|m|. */
  readonly rtol: number;
  /** Totals whose chosen candidate lost its tie while other tied candidates may remain. */
  readonly dirty: number[] = [];
  readonly maxEvaluations: number;
  private sincePoll = 0;

  constructor(
    private readonly grid: Pick<ImpactGrid, 'n' | 'lots'>,
    readonly ws: Workspace,
    private readonly limits: RowLimits,
  ) {
    this.rtol = tieTolerance(grid.n);
    this.maxEvaluations = limits.maxEvaluations ?? DEFAULT_MAX_EVALUATIONS;
  }

  /**
   * Cancel is polled at every period and, inside a period, every million evaluations: between
   * runs, and within a run (`pending`: its evaluations not yet added to the work count), so
   * that one wide run never goes long without a poll (the worker's heartbeat comes from here).
   */
  poll(force = false, pending = 0): void {
    const done = this.work.evaluations + pending;
    if (!force && done - this.sincePoll < POLL_EVALUATIONS) return;
    this.sincePoll = done;
    if (done > this.maxEvaluations) this.overLimit(done);
    if (this.limits.shouldCancel?.()) throw new PlannerError('cancelled', 'solve cancelled');
  }

  /** The counted work passed the limit (only scans of stretches that bend down can). */
  overLimit(done: number, projected?: number): never {
    const { n, lots } = this.grid;
    const what = `the exact DP on ${fmtInt(n)} periods × ${fmtInt(lots + 1)} lot counts`;
    const limit = this.maxEvaluations.toExponential(1);
    const how =
      projected === undefined
        ? `passed the limit of ${limit} cost evaluations (${done.toExponential(1)} done)`
        : `needs about ${projected.toExponential(1)} cost evaluations (judged from the ${done.toExponential(1)} done so far), more than the limit of ${limit}`;
    throw new PlannerError(
      'too_large',
      `shares: ${what} ${how}: where the cost of an order bends down (permanent impact beyond the impact's curvature, impact per share that falls) every order size is tried; use a larger lotSize or tighter caps`,
    );
  }

  /**
   * Offer candidate value v (pace deviation dv, order k) to total s of the current period.
   * minC[s] keeps the least value offered; curC, curD, arg the chosen candidate: the least D
   * among the values within the tie limit m + rtol·|m| of that least value m, equal D going
   * to the larger order. Costs are compared only relative to their own size, so a chosen
   * value is never more than the tie limit above the least one (cost is not traded for
   * shape). The limit only falls as m falls: when the chosen candidate drops out of it while
   * an earlier one may still be inside, the row is marked and rescanRow decides it again.
   */
  offer(s: number, v: number, dv: number, k: number): void {
    const { curC, curD, arg, minC } = this.ws;
    const m = minC[s];
    if (!(v < Infinity)) return;
    if (v < m) {
      minC[s] = v;
      const lim = v + this.rtol * Math.abs(v);
      if (curC[s] > lim) {
        if (m <= lim) this.dirty.push(s);
        curC[s] = v;
        curD[s] = dv;
        arg[s] = k;
        return;
      }
    } else if (v > m + this.rtol * Math.abs(m)) return;
    if (dv < curD[s] || (dv === curD[s] && k > arg[s])) {
      curC[s] = v;
      curD[s] = dv;
      arg[s] = k;
    }
  }

  /** Rows marked by offer() decided again over orders a..b (a period: 0..K). */
  settleDirty(a: number, b: number, pLo: number, pHi: number): void {
    while (this.dirty.length > 0) this.rescanRow(this.dirty.pop()!, a, b, pLo, pHi);
  }

  /**
   * Total s decided again from every candidate (orders kMin..kMax: 0..K in a period): the
   * least value first, then the least D among the values within its tie limit, equal D going
   * to the larger order. O(K); only for the rare rows offer() marks.
   */
  private rescanRow(s: number, kMin: number, kMax: number, pLo: number, pHi: number): void {
    const { prevC, prevD, curC, curD, cost, arg, minC } = this.ws;
    const kLo = Math.max(kMin, s - pHi);
    const kHi = Math.min(kMax, s - pLo);
    let m = Infinity;
    for (let k = kLo; k <= kHi; k++) {
      const v = prevC[s - k] + cost[k];
      if (v < m) m = v;
    }
    const lim = m + this.rtol * Math.abs(m);
    let bd = Infinity;
    let bk = -1;
    for (let k = kLo; k <= kHi; k++) {
      const j = s - k;
      const v = prevC[j] + cost[k];
      if (v <= lim && (bk < 0 || prevD[j] <= bd)) {
        bd = prevD[j];
        bk = k;
      }
    }
    this.work.evaluations += 2 * (kHi - kLo + 1);
    if (m === Infinity || bk < 0) return;
    minC[s] = m;
    curC[s] = prevC[s - bk] + cost[bk];
    curD[s] = bd;
    arg[s] = bk;
  }
}
