/**
 * General dynamic programme on the lot grid for any (non-convex) costs:
 *   C(i, s) = min over k of c_i(k) + C(i−1, s−k),   C(0, 0) = 0.
 *
 * Tight version of the seed DP: s is restricted to the range that can still reach M given the
 * caps (lo_i = M − Σ_{j>i} K_j .. hi_i = Σ_{j≤i} K_j), k to the caps and the minimum order;
 * two flat Float64Array rows, one flat argmin table (Uint16Array when every cap fits, else
 * Int32Array), no allocation inside the loops. Memory and work are checked before anything
 * is allocated; progress is reported and cancellation polled between periods.
 */
import type { ImpactGrid } from '../impact';
import { fmtInt } from '../impact';
import { fmtBytes } from '../solver/limits';
import { PlannerError } from '../contract';

export const DEFAULT_MEMORY_BUDGET = 1.5 * 1024 ** 3;
/** About 20–60 s on a modest machine; beyond this the DP is refused, not started. */
export const DEFAULT_MAX_DP_OPERATIONS = 3e10;

export interface DpOptions {
  onProgress?: (fraction: number) => void;
  shouldCancel?: () => boolean;
  memoryBudgetBytes?: number;
  maxDpOperations?: number;
}

export interface DpPlanEstimate {
  /** Bytes of the argmin table, the two rows, the cost row and its suffix minima. */
  bytes: number;
  /** Inner-loop steps (upper bound). */
  operations: number;
  /** Σ over periods of the reachable range of s. */
  cells: number;
}

/** Reachable ranges and the memory/work the DP would need. O(N). */
export function estimateDp(
  grid: ImpactGrid,
): DpPlanEstimate & { lo: Float64Array; hi: Float64Array } {
  const { n, lots: M, caps } = grid;
  const lo = new Float64Array(n + 1);
  const hi = new Float64Array(n + 1);
  const suffix = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) suffix[i] = Math.min(M, suffix[i + 1] + caps[i]);
  let cells = 0;
  let operations = 0;
  let maxK = 0;
  for (let i = 1; i <= n; i++) {
    hi[i] = Math.min(M, hi[i - 1] + caps[i - 1]);
    lo[i] = Math.max(0, M - suffix[i]);
    const width = hi[i] - lo[i] + 1;
    cells += width;
    // Σ over s of the k range [max(0, s − hi_{i−1}), min(K_i, s − lo_{i−1})].
    const K = Math.min(caps[i - 1], hi[i] - lo[i - 1]);
    operations +=
      width +
      sumClippedAbove(lo[i] - lo[i - 1], hi[i] - lo[i - 1], K) -
      sumPositive(lo[i] - hi[i - 1], hi[i] - hi[i - 1]);
    maxK = Math.max(maxK, caps[i - 1]);
  }
  const argBytes = maxK <= 0xffff ? 2 : 4;
  const bytes = cells * argBytes + 2 * (M + 1) * 8 + 2 * (Math.min(maxK, M) + 1) * 8;
  return { bytes, operations, cells, lo, hi };
}

/** Lot counts of an optimal schedule; throws 'too_large', 'cancelled' or 'infeasible'. */
export function solveDp(grid: ImpactGrid, options: DpOptions = {}): Float64Array {
  const { n, lots: M, caps, minLots } = grid;
  const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
  const maxOps = options.maxDpOperations ?? DEFAULT_MAX_DP_OPERATIONS;
  const est = estimateDp(grid);
  const what = `the exact DP on ${fmtInt(n)} periods × ${fmtInt(M + 1)} lot counts`;
  const advice = 'use a larger lotSize, tighter caps or a convex impact model';
  if (est.bytes > budget) {
    throw new PlannerError(
      'too_large',
      `shares: ${what} needs ${fmtBytes(est.bytes)} of memory, more than the budget of ${fmtBytes(budget)}; ${advice}`,
    );
  }
  if (est.operations > maxOps) {
    throw new PlannerError(
      'too_large',
      `shares: ${what} needs about ${est.operations.toExponential(1)} steps, more than the limit of ${maxOps.toExponential(1)}; ${advice}`,
    );
  }
  const { lo, hi } = est;
  let maxK = 0;
  for (let i = 0; i < n; i++) maxK = Math.max(maxK, caps[i]);
  maxK = Math.min(maxK, M);
  let arg: Uint16Array | Int32Array;
  let prev: Float64Array;
  let cur: Float64Array;
  let cost: Float64Array;
  let sufMin: Float64Array;
  try {
    arg = maxK <= 0xffff ? new Uint16Array(est.cells) : new Int32Array(est.cells);
    prev = new Float64Array(M + 1);
    cur = new Float64Array(M + 1);
    cost = new Float64Array(maxK + 1);
    sufMin = new Float64Array(maxK + 1);
  } catch {
    throw new PlannerError(
      'too_large',
      `shares: ${what} needs ${fmtBytes(est.bytes)} of memory, which could not be allocated; ${advice}`,
    );
  }
  const base = new Float64Array(n + 1); // offset of period i's argmin block
  prev[0] = 0;

  let done = 0;
  let reported = 0;
  let offset = 0;
  const kFirst = Math.max(1, minLots) | 0;
  for (let i = 1; i <= n; i++) {
    if (options.shouldCancel?.()) throw new PlannerError('cancelled', 'solve cancelled');
    // The grid fits in memory here, so every index is a small integer: keep them int32.
    const sLo = lo[i] | 0;
    const sHi = hi[i] | 0;
    const pLo = lo[i - 1] | 0;
    const pHi = hi[i - 1] | 0;
    const K = Math.min(caps[i - 1], sHi - pLo) | 0;
    grid.fillCosts(i - 1, cost, K);
    // Bound: c_i(k') + C(i−1, ·) ≥ sufMin[k] + minPrev for every k' ≥ k, so once that reaches
    // the best value found for s no larger k can improve it (costs are ≥ 0, k ascending).
    sufMin[K] = cost[K];
    for (let k = K - 1; k >= 0; k--) sufMin[k] = cost[k] < sufMin[k + 1] ? cost[k] : sufMin[k + 1];
    let minPrev = Infinity;
    for (let t = pLo; t <= pHi; t++) if (prev[t] < minPrev) minPrev = prev[t];
    base[i] = offset;
    const rowOffset = offset - sLo;
    for (let s = sLo; s <= sHi; s++) {
      const kLo = s > pHi ? s - pHi : 0;
      const kHi = K < s - pLo ? K : s - pLo;
      let best = Infinity;
      let bestK = 0;
      if (kLo === 0) best = prev[s];
      for (let k = kLo > kFirst ? kLo : kFirst; k <= kHi; k++) {
        if (sufMin[k] + minPrev >= best) break;
        const v = cost[k] + prev[s - k];
        if (v < best) {
          best = v;
          bestK = k;
        }
      }
      cur[s] = best;
      arg[rowOffset + s] = bestK;
    }
    offset += sHi - sLo + 1;
    const t = prev;
    prev = cur;
    cur = t;
    if (options.onProgress) {
      done += (sHi - sLo + 1) * (K + 1);
      const f = Math.min(1, done / est.operations);
      if (f - reported >= 0.005 || i === n) {
        reported = f;
        options.onProgress(i === n ? 1 : f);
      }
    }
  }
  if (!Number.isFinite(prev[M])) {
    throw new PlannerError(
      'infeasible',
      `minOrderSize: no schedule of orders that are 0 or at least ${fmtInt(minLots * grid.lot)} shares fits the caps and adds up to ${fmtInt(M * grid.lot)} shares`,
    );
  }
  const counts = new Float64Array(n);
  let s = M;
  for (let i = n; i >= 1; i--) {
    const k = arg[base[i] + s - lo[i]];
    counts[i - 1] = k;
    s -= k;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------
// Helpers

/** Σ_{t=a}^{b} min(K, t) for 0 ≤ a ≤ b. */
function sumClippedAbove(a: number, b: number, K: number): number {
  const m = Math.min(b, K); // t in [a, m] contributes t, t in (max(a−1, m), b] contributes K
  const linear = m >= a ? ((a + m) * (m - a + 1)) / 2 : 0;
  return linear + K * (b - Math.max(m, a - 1));
}

/** Σ_{t=a}^{b} max(0, t). */
function sumPositive(a: number, b: number): number {
  const from = Math.max(a, 1);
  return b >= from ? ((from + b) * (b - from + 1)) / 2 : 0;
}
