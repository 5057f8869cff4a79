/**
 * Exact solver for convex per-period costs (DESIGN.md §1): the optimum on the lot grid is the
 * set of the M cheapest marginal increments d_i(k) = c_i(k) − c_i(k−1) across periods.
 *
 * A Lagrange multiplier λ is bracketed (alternating interpolation and bisection on the
 * counting function n(λ) = Σ_i #{k ≤ K_i : d_i(k) ≤ λ}, each period's count by binary search
 * inside the current bracket), until few candidate increments remain between the bracket's
 * ends; those are sorted and the cheapest taken, ties spread evenly across periods. No N·M
 * table is ever built: time is about O(N · log M · iterations), memory O(N).
 */
import type { ImpactGrid } from '../impact';
import { PlannerError } from '../contract';

/** Candidate increments at most this many (times N) are resolved by sorting. */
const COLLECT_PER_PERIOD = 2;
const COLLECT_MIN = 512;
/** A guard only: bisection over doubles needs about 2,100 halvings at the very most. */
const MAX_ITERATIONS = 10_000;

/** Lot counts n_i (as doubles; M may exceed 2^31) of an optimal schedule. */
export function solveConvex(grid: ImpactGrid, shouldCancel?: () => boolean): Float64Array {
  const { n, lots: M, caps } = grid;
  const nlo = new Float64Array(n); // counts at λ_lo (Σ < M)
  const nhi = new Float64Array(n); // counts at λ_hi (Σ ≥ M)
  const cnt = new Float64Array(n);
  let minFirst = Infinity;
  let maxLast = -Infinity;
  let sumHi = 0;
  for (let i = 0; i < n; i++) {
    const K = caps[i];
    nhi[i] = K;
    sumHi += K;
    if (K >= 1) {
      minFirst = Math.min(minFirst, grid.marginal(i, 1));
      maxLast = Math.max(maxLast, grid.marginal(i, K));
    }
  }
  if (sumHi < M) throw new PlannerError('infeasible', 'caps cannot reach the order size');
  if (sumHi === M) return nhi;
  let sumLo = 0;
  let lo = minFirst - (Math.abs(minFirst) * 1e-9 + 1e-300);
  let hi = maxLast;
  const collectLimit = Math.max(COLLECT_MIN, COLLECT_PER_PERIOD * n);

  // First probe: the marginal cost at an even split, averaged over periods (near λ* when the
  // periods are alike, a fair start otherwise).
  let probe = 0;
  let active = 0;
  for (let i = 0; i < n; i++) {
    if (caps[i] >= 1) {
      probe += grid.marginal(i, Math.min(caps[i], Math.ceil(M / n)));
      active++;
    }
  }
  probe /= active;
  let lastSide = 0; // +1: hi moved last, −1: lo moved last
  let sameSide = 0;
  for (let iter = 0; sumHi - sumLo > collectLimit && iter < MAX_ITERATIONS; iter++) {
    if ((iter & 15) === 15 && shouldCancel?.())
      throw new PlannerError('cancelled', 'solve cancelled');
    let mid: number;
    if (iter === 0 && probe > lo && probe < hi) {
      mid = probe;
    } else if (sameSide >= 2) {
      // Interpolation keeps moving one end: bisect (geometrically across wide positive ranges).
      mid = lo > 0 && hi > 1024 * lo ? Math.sqrt(lo * hi) : lo + (hi - lo) / 2;
    } else if (lo > 0 && sumLo > 0) {
      // n(λ) ≈ C·λ^p (exact for power laws): interpolate in log–log.
      const t = Math.log(M / sumLo) / Math.log(sumHi / sumLo);
      mid = Math.exp(Math.log(lo) + t * Math.log(hi / lo));
    } else {
      mid = lo + (hi - lo) * ((M - sumLo) / (sumHi - sumLo));
    }
    if (!(mid > lo && mid < hi)) mid = lo + (hi - lo) / 2;
    if (!(mid > lo && mid < hi)) break; // λ_lo, λ_hi adjacent: every candidate ties at λ_hi
    let sum = 0;
    for (let i = 0; i < n; i++) {
      cnt[i] = countAtMost(grid, i, mid, nlo[i], nhi[i]);
      sum += cnt[i];
    }
    const side = sum >= M ? 1 : -1;
    sameSide = side === lastSide ? sameSide + 1 : 0;
    lastSide = side;
    if (sum >= M) {
      hi = mid;
      nhi.set(cnt);
      sumHi = sum;
      if (sum === M) return nhi;
    } else {
      lo = mid;
      nlo.set(cnt);
      sumLo = sum;
    }
  }

  // Take the R = M − Σ nlo cheapest increments among the candidates (nlo_i, nhi_i].
  const R = M - sumLo;
  const gap = sumHi - sumLo;
  const counts = Float64Array.from(nlo);
  if (gap > collectLimit) {
    // Bracket collapsed to adjacent doubles: all candidates cost λ_hi exactly.
    const avail = new Float64Array(n);
    for (let i = 0; i < n; i++) avail[i] = nhi[i] - nlo[i];
    addEvenly(counts, avail, R);
    return counts;
  }
  const vals = new Float64Array(gap);
  const owner = new Int32Array(gap);
  let c = 0;
  for (let i = 0; i < n; i++) {
    for (let k = nlo[i] + 1; k <= nhi[i]; k++) {
      vals[c] = grid.marginal(i, k);
      owner[c++] = i;
    }
  }
  const order = Array.from({ length: gap }, (_, j) => j).sort((a, b) => vals[a] - vals[b]);
  const v = vals[order[R - 1]];
  const ties = new Float64Array(n);
  let taken = 0;
  for (const j of order) {
    if (vals[j] < v) {
      counts[owner[j]]++;
      taken++;
    } else if (vals[j] === v) ties[owner[j]]++;
  }
  addEvenly(counts, ties, R - taken);
  return counts;
}

export interface Certificate {
  ok: boolean;
  /** Largest marginal cost used (max_i d_i(n_i)). */
  maxUsed: number;
  /** Smallest marginal cost left (min_i d_i(n_i + 1) where n_i < K_i). */
  minNext: number;
  /** What failed, when not ok. */
  problem?: string;
}

/**
 * O(N) optimality certificate for convex costs: a schedule that sums to M within the caps is
 * optimal iff no increment it uses costs more than an increment it leaves out.
 */
export function certifyConvex(grid: ImpactGrid, counts: ArrayLike<number>): Certificate {
  const { n, lots: M, caps } = grid;
  let sum = 0;
  let maxUsed = -Infinity;
  let minNext = Infinity;
  for (let i = 0; i < n; i++) {
    const k = counts[i];
    if (!Number.isInteger(k) || k < 0 || k > caps[i])
      return {
        ok: false,
        maxUsed,
        minNext,
        problem: `period ${i + 1}: ${k} lots outside 0..${caps[i]}`,
      };
    sum += k;
    if (k >= 1) maxUsed = Math.max(maxUsed, grid.marginal(i, k));
    if (k < caps[i]) minNext = Math.min(minNext, grid.marginal(i, k + 1));
  }
  if (sum !== M) return { ok: false, maxUsed, minNext, problem: `lots sum to ${sum}, not ${M}` };
  const ok =
    maxUsed <= minNext || maxUsed - minNext <= 1e-12 * (Math.abs(maxUsed) + Math.abs(minNext));
  return ok
    ? { ok, maxUsed, minNext }
    : {
        ok,
        maxUsed,
        minNext,
        problem: `an increment costing ${maxUsed} is used while one costing ${minNext} is left`,
      };
}

// ---------------------------------------------------------------------------------------
// Helpers

/** Largest k in [a, b] with d_i(k) ≤ λ, knowing d_i(a) ≤ λ (or a = 0) and d_i(b + 1) > λ. */
function countAtMost(grid: ImpactGrid, i: number, lambda: number, a: number, b: number): number {
  let lo = a;
  let hi = b;
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if (grid.marginal(i, mid) <= lambda) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Add r lots in total to `counts`, at most avail[i] to period i, as evenly as possible: a
 * common level L for every period with room, the remainder spread at even spacing in time.
 */
export function addEvenly(counts: Float64Array, avail: Float64Array, r: number): void {
  if (r <= 0) return;
  const idx: number[] = [];
  for (let i = 0; i < avail.length; i++) if (avail[i] > 0) idx.push(i);
  idx.sort((x, y) => avail[x] - avail[y]);
  let rem = r;
  let active = idx.length;
  let p = 0;
  while (p < idx.length && avail[idx[p]] * active <= rem) {
    counts[idx[p]] += avail[idx[p]];
    rem -= avail[idx[p]];
    active--;
    p++;
  }
  if (active === 0) return;
  const rest = idx.slice(p).sort((x, y) => x - y);
  const level = Math.floor(rem / active);
  const extra = rem - level * active;
  for (let j = 0; j < rest.length; j++) {
    const bump = Math.floor(((j + 1) * extra) / active) - Math.floor((j * extra) / active);
    counts[rest[j]] += level + bump;
  }
}
