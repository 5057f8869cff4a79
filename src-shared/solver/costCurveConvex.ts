/**
 * The cost-by-size curve of a convex plan in one pass: the optimum of s lots is the set of the
 * s cheapest marginal increments (docs/solver.md, "Lagrange method"), so one solve of the whole
 * order M bounds every smaller size's threshold (v_s ≤ v_M). The increments at or below v_M are
 * collected once (about M of them) and the threshold of every sampled size is selected from
 * that one array. Each size then gets exactly the schedule the Lagrange method would return
 * for it (increments below v_s taken, those equal to v_s placed by the same tie-break), and
 * its cost is summed in period order as a solve of that size sums it: the same doubles, to
 * the last bit.
 */
import type { ImpactGrid } from '../impact';
import { PlannerError } from '../contract';
import { placeTiedLots, selectIn, solveConvex } from './convex';

/** Beyond this many collected increments the one pass is not taken (8 bytes each, twice). */
export const CONVEX_CURVE_COLLECT_MAX = 8_000_000;

/**
 * Optimal cost of each size in `sizes` (ascending lot counts 1..M) on the plan's grid, or null
 * when the increments to collect exceed CONVEX_CURVE_COLLECT_MAX (the caller solves sizes one
 * by one). `onSize` is told after each size (progress, cancel polling happens in solveConvex
 * and between sizes through shouldCancel).
 */
export function convexCurveCosts(
  grid: ImpactGrid,
  sizes: readonly number[],
  shouldCancel?: () => boolean,
  onSize?: (done: number) => void,
): Float64Array | null {
  const { n, caps } = grid;
  const full = solveConvex(grid, shouldCancel);
  // v_M: the dearest increment the whole order uses; no smaller order uses a dearer one.
  let vM = -Infinity;
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (full[i] >= 1) vM = Math.max(vM, marginal(grid, i, full[i]));
    total += full[i];
  }
  // Per period, the increments k = 1..u_i at or below v_M (the full order's own, and any tie
  // of v_M beyond them).
  const upto = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let k = full[i];
    while (k < caps[i] && marginal(grid, i, k + 1) <= vM) {
      k++;
      if (++total > CONVEX_CURVE_COLLECT_MAX) return null;
    }
    upto[i] = k;
  }
  if (total > CONVEX_CURVE_COLLECT_MAX) return null;
  const start = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + upto[i];
  const vals = new Float64Array(total);
  for (let i = 0, c = 0; i < n; i++) {
    for (let k = 1; k <= upto[i]; k++) vals[c++] = marginal(grid, i, k);
    if ((i & 1023) === 1023) poll(shouldCancel);
  }
  // The s-th cheapest increment of every size at once (the ranks selected in one recursion).
  const ranks = sizes.map((s) => s - 1);
  const thresholds = selectRanks(Float64Array.from(vals), ranks);
  const out = new Float64Array(sizes.length);
  const base = new Float64Array(n);
  const avail = new Float64Array(n);
  for (let t = 0; t < sizes.length; t++) {
    const S = sizes[t];
    const v = thresholds[t];
    let rest = S;
    for (let i = 0; i < n; i++) {
      let below = 0;
      let tied = 0;
      for (let c = start[i], e = start[i + 1]; c < e; c++) {
        const x = vals[c];
        if (x < v) below++;
        else if (x === v) tied++;
      }
      base[i] = below;
      avail[i] = tied;
      rest -= below;
    }
    let cost = 0;
    if (rest > 0 && singleFirstLotTies(base, avail)) {
      // Every addend is 0 or the same v: the partial sums are 0, v, v + v, … wherever the
      // r lots go, so the tie-break's placement cannot change the sum.
      for (let j = 0; j < rest; j++) cost += v;
    } else {
      placeTiedLots(S, base, avail, rest, shouldCancel);
      for (let i = 0; i < n; i++) cost += grid.cost(i, base[i]);
    }
    out[t] = cost;
    onSize?.(t + 1);
    poll(shouldCancel);
  }
  return out;
}

/**
 * True when no period takes a lot below the threshold and every tied increment is a period's
 * first lot: each such lot then costs c_i(1) = d_i(1) = v exactly (the tie), the same double.
 */
function singleFirstLotTies(base: Float64Array, avail: Float64Array): boolean {
  for (let i = 0; i < base.length; i++) if (base[i] !== 0 || avail[i] > 1) return false;
  return true;
}

function poll(shouldCancel: (() => boolean) | undefined): void {
  if (shouldCancel?.()) throw new PlannerError('cancelled', 'solve cancelled');
}

/** As the Lagrange method reads an increment (NaN as Infinity, convex.ts's finish). */
function marginal(grid: ImpactGrid, i: number, k: number): number {
  const v = grid.marginal(i, k);
  return v === v ? v : Infinity;
}

/**
 * The values of ascending `ranks` (0-based) in `a` (reordered): each rank selected by
 * three-way quickselect within the part of `a` its neighbours left, middle rank first, so the
 * work is O(|a| log |ranks|).
 */
export function selectRanks(a: Float64Array, ranks: readonly number[]): Float64Array {
  const out = new Float64Array(ranks.length);
  const go = (lo: number, hi: number, from: number, to: number): void => {
    if (from > to) return;
    const mid = (from + to) >>> 1;
    const r = ranks[mid];
    const [lt, gt] = selectIn(a, lo, hi, r);
    out[mid] = a[r];
    go(lo, lt - 1, from, mid - 1);
    go(gt + 1, hi, mid + 1, to);
  };
  go(0, a.length - 1, 0, ranks.length - 1);
  return out;
}
