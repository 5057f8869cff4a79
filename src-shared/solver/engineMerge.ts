/**
 * The merge: when C(i−1, ·) is convex (no gaps) and the period is one convex run from 0 (no
 * fee, no minimum order), the min-plus convolution takes, for every total s, the s − pLo
 * cheapest increments of the two marginal sequences, O(M) a period instead of the monotone
 * minima. Also the test for when it applies.
 */
import type { EngineRow } from './engineRow';
import { CONVEX_RTOL } from './engineRuns';

/** The merge applies: c(0..K) convex from 0 (no fee jump) and C(i−1, pLo..pHi) convex. */
export function canMerge(
  cost: Float64Array,
  K: number,
  prevC: Float64Array,
  pLo: number,
  pHi: number,
): boolean {
  return convexFromZero(cost, K) && isConvexRow(prevC, pLo, pHi);
}

/**
 * The merge's split for total s (> pLo) from the one for s − 1 (order k): the next increment
 * is the cheaper of C(j+1) − C(j) and c(k+1) − c(k), j = s − 1 − k; equal ones take the
 * order's (larger k), as the other paths do. Returns the order for s.
 */
function nextOrder(
  prevC: Float64Array,
  cost: Float64Array,
  s: number,
  k: number,
  pHi: number,
  K: number,
): number {
  const j = s - 1 - k;
  const dj = j < pHi ? prevC[j + 1] - prevC[j] : Infinity;
  const dk = k < K ? cost[k + 1] - cost[k] : Infinity;
  return dk <= dj ? k + 1 : k;
}

/**
 * C(i−1, ·) convex on [pLo, pHi] (no gaps) and c convex on [0, K]: the min-plus convolution
 * takes, for every s, the s − pLo cheapest increments of the two marginal sequences (a merge,
 * O(M)). The first walk assumes every total has a single optimal split (no neighbour within
 * tolerance): one comparison and two neighbour checks per total; at the first tie the period
 * is walked again with `ties`. Equal increments leave a range [jlo, jhi] of optimal splits for s,
 * both ends nondecreasing in s; the split with the smallest pace deviation D(j) in that range
 * is kept by a sliding-window minimum (a deque), so the merge stays O(M).
 */
export function mergeConvex(
  row: EngineRow,
  sLo: number,
  sHi: number,
  pLo: number,
  pHi: number,
  K: number,
  ties = false,
): void {
  const { prevC, prevD, curC, curD, cost, arg } = row.ws;
  const dq = row.ws.best;
  const rtol = row.rtol;
  let head = 0;
  let tail = 0;
  let k = 0; // the merge's split for s: s = j + k
  let jlo = pLo;
  let jhi = pLo - 1; // every j ≤ jhi has been offered to the deque
  let evals = 0;
  const last = Math.min(sHi, pHi + K);
  for (let s = pLo; s <= last; s++) {
    if (s > pLo) k = nextOrder(prevC, cost, s, k, pHi, K);
    if (s < sLo) continue;
    const j = s - k;
    const v0 = prevC[j] + cost[k];
    const lim = v0 + rtol * Math.abs(v0);
    if (!ties) {
      // The near-optimal splits form an interval around j (convex in j): check its neighbours.
      if (
        (j > pLo && k < K && prevC[j - 1] + cost[k + 1] <= lim) ||
        (j < pHi && k > 0 && prevC[j + 1] + cost[k - 1] <= lim)
      )
        return mergeConvex(row, sLo, sHi, pLo, pHi, K, true);
      curC[s] = v0;
      curD[s] = prevD[j];
      arg[s] = k;
      evals += 3;
      continue;
    }
    const jMax = pHi < s ? pHi : s;
    // Offer every split up to the last one still within tolerance to the deque (kept with
    // increasing D from its head; equal D keep the earlier split, the larger order).
    while (jhi < jMax && (jhi < j || prevC[jhi + 1] + cost[s - jhi - 1] <= lim)) {
      const jj = ++jhi;
      while (tail > head && prevD[dq[tail - 1]] > prevD[jj]) tail--;
      dq[tail++] = jj;
      evals++;
    }
    if (jlo < s - K) jlo = s - K;
    while (jlo < j && prevC[jlo] + cost[s - jlo] > lim) {
      jlo++;
      evals++;
    }
    while (dq[head] < jlo) head++;
    const jb = dq[head];
    curC[s] = prevC[jb] + cost[s - jb];
    curD[s] = prevD[jb];
    arg[s] = s - jb;
    evals++;
  }
  row.work.evaluations += evals;
}

/** c(0) = 0, c(1), c(2): the first two increments do not fall (no fee jump). */
function convexFromZero(cost: Float64Array, K: number): boolean {
  if (K < 2) return true;
  const d2 = cost[2] - 2 * cost[1] + cost[0];
  return d2 >= -CONVEX_RTOL * (Math.abs(cost[2]) + 2 * Math.abs(cost[1]));
}

/** Second differences of row[lo..hi] all ≥ 0 (within noise). O(hi − lo). */
function isConvexRow(row: Float64Array, lo: number, hi: number): boolean {
  for (let s = lo + 1; s < hi; s++) {
    const d2 = row[s + 1] - 2 * row[s] + row[s - 1];
    if (d2 < -CONVEX_RTOL * (Math.abs(row[s + 1]) + 2 * Math.abs(row[s]) + Math.abs(row[s - 1])))
      return false;
  }
  return true;
}
