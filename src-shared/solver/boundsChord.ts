/**
 * The cheapest rate per lot of each period, and the plan restricted to a few periods: the
 * parts of the cost bounds (bounds.ts) that make them tight at scale when a fee or a minimum
 * order makes a few large orders optimal.
 *
 * - The chord slope a_i = min over allowed k ≥ 1 of c_i(k)/k (fee included) is the least cost
 *   per lot period i can ever trade at, so c_i(k) ≥ a_i·k for every allowed k (0 included).
 *   Trading s lots in periods 1..i therefore costs at least s·min_{j≤i} a_j, whatever the
 *   caps: a lower bound that needs no multiplier and is exact on a flat stretch of periods,
 *   where the multipliers' bound loses the spacing of its λ grid times s.
 * - `linearInterval` is the interval of totals each period's chord bound keeps, in O(1).
 * - `restrictGrid` is the relaxed plan on the m cheapest periods (by chord slope) only, so the
 *   upper bound's convex solves cost O(m), not O(N), and can try the order counts around
 *   M / k* (k* the size of the cheapest order per lot).
 */
import type { ImpactGrid } from '../impact';

/** Chord slopes are lowered by this much (relative) so that rounding never raises them. */
const CHORD_SLACK = 1e-12;

export interface Chords {
  /** a_i (Infinity where the period cannot trade). */
  slope: Float64Array;
  /** The order size k*_i where c_i(k)/k is least (0 where the period cannot trade). */
  size: Float64Array;
}

/**
 * a_i and k*_i for a grid whose costs beyond the fee are convex in k (linear, power, book,
 * calibrated): c(k)/k is then quasi-convex on k ≥ minLots (its derivative's sign is that of
 * c'(k)·k − c(k), nondecreasing), so the least k with c(k+1)/(k+1) ≥ c(k)/k is the minimum.
 * O(N log M).
 */
export function chordSlopes(grid: ImpactGrid): Chords {
  const { n, caps, minLots } = grid;
  const slope = new Float64Array(n).fill(Infinity);
  const size = new Float64Array(n);
  const m = Math.max(1, minLots);
  const avg = (i: number, k: number) => grid.cost(i, k) / k;
  const law = grid.powerLaw;
  for (let i = 0; i < n; i++) {
    const K = caps[i];
    if (K < m) continue;
    let lo = m;
    let hi = K;
    // A power law c = fee + coef·k^a has its least cost per lot near (fee / (coef·(a − 1)))^(1/a):
    // start there and walk downhill (quasi-convex: a local minimum is the minimum).
    const guess =
      law && law.exponent > 1 && law.coef[i] > 0
        ? (grid.fee / (law.coef[i] * (law.exponent - 1))) ** (1 / law.exponent)
        : NaN;
    if (Number.isFinite(guess)) {
      let k = Math.max(m, Math.min(K, Math.round(guess)));
      let v = avg(i, k);
      for (let step = 0; step < 64; step++) {
        const up = k < K ? avg(i, k + 1) : Infinity;
        const down = k > m ? avg(i, k - 1) : Infinity;
        if (up < v) {
          k++;
          v = up;
        } else if (down < v) {
          k--;
          v = down;
        } else {
          lo = hi = k; // settled; otherwise the binary search below decides
          break;
        }
      }
    }
    while (lo < hi) {
      const mid = lo + ((hi - lo) >> 1);
      if (avg(i, mid + 1) >= avg(i, mid)) hi = mid;
      else lo = mid + 1;
    }
    const a = avg(i, lo);
    if (!(a >= 0)) continue; // NaN or negative: no bound from this period (never on valid plans)
    slope[i] = a * (1 - CHORD_SLACK);
    size[i] = lo;
  }
  return { slope, size };
}

/**
 * The `count` periods of least chord slope, cheapest first (ties: earlier first; untradable
 * periods never): the slopes are sorted as numbers, and only the periods at or below the
 * count-th slope are sorted by index. O(N log N) in native sorts.
 */
export function rankBySlope(slope: Float64Array, count = slope.length): Int32Array {
  // Sorted as numbers, the untradable periods' Infinity last (a slope is never NaN).
  const sorted = slope.slice().sort();
  let finite = 0;
  while (finite < sorted.length && sorted[finite] < Infinity) finite++;
  const take = Math.min(count, finite);
  if (take === 0) return new Int32Array(0);
  const threshold = sorted[take - 1];
  const idx: number[] = [];
  for (let i = 0; i < slope.length; i++) if (slope[i] <= threshold) idx.push(i);
  idx.sort((a, b) => slope[a] - slope[b] || a - b);
  return Int32Array.from(idx.slice(0, take));
}

/**
 * The grid on the given periods only (in their order), with caps `caps[t]` for the t-th of
 * them: every method of the grid is the original's on the mapped period.
 */
export function restrictGrid(
  grid: ImpactGrid,
  periods: Int32Array,
  caps: Float64Array,
): ImpactGrid {
  const p = periods;
  const pick = (a: Float64Array) => Float64Array.from(p, (i) => a[i]);
  const capOf = (t: number) => caps[t];
  return {
    kind: grid.kind,
    n: p.length,
    lot: grid.lot,
    lots: grid.lots,
    caps,
    planCaps: pick(grid.planCaps),
    modelCaps: pick(grid.modelCaps),
    fee: grid.fee,
    minLots: grid.minLots,
    cost: (t, k) => (k > capOf(t) ? Infinity : grid.cost(p[t], k)),
    marginal: (t, k) => grid.marginal(p[t], k),
    impactCost: (t, x) => grid.impactCost(p[t], x),
    rawCost: (t, k) => grid.rawCost(p[t], k),
    impact: (t, x) => grid.impact(p[t], x),
    fillCosts: (t, out, kMax) => grid.fillCosts(p[t], out, Math.min(kMax, capOf(t))),
    marginalInverse: (t, lambda) => grid.marginalInverse(p[t], lambda),
    powerLaw: grid.powerLaw
      ? { exponent: grid.powerLaw.exponent, coef: pick(grid.powerLaw.coef) }
      : null,
    numericRuns: grid.numericRuns,
  };
}

/** min_{j<i} slope[j] for i = 0..N (prefix) and min_{j≥i} slope[j] (suffix). O(N). */
export function slopeMinima(slope: Float64Array): { before: Float64Array; after: Float64Array } {
  const n = slope.length;
  const before = new Float64Array(n + 1);
  const after = new Float64Array(n + 1);
  before[0] = Infinity;
  for (let i = 0; i < n; i++) before[i + 1] = Math.min(before[i], slope[i]);
  after[n] = Infinity;
  for (let i = n - 1; i >= 0; i--) after[i] = Math.min(after[i + 1], slope[i]);
  return { before, after };
}

/**
 * The largest order each period can hold on a schedule within `limit` (U with its slack): an
 * order of k lots in period i leaves M − k lots to the others, which cost at least
 * (M − k)·min_{j≠i} a_j, so k is out when c_i(k) + (M − k)·min_{j≠i} a_j > limit. That sum is
 * convex in k (c_i is, beyond the fee), so the orders kept are an interval: its top is found
 * by bisection from the least point. Periods whose totals cannot step by more than `small`
 * lots anyway keep their caps. O(N log M) at most.
 */
export function orderCaps(
  grid: ImpactGrid,
  chords: Chords,
  limit: number,
  reach: (i: number) => number,
  small = 64,
): Float64Array {
  const { n, caps, lots: M } = grid;
  const m = Math.max(1, grid.minLots);
  const { before, after } = slopeMinima(chords.slope);
  const out = caps.slice();
  for (let i = 0; i < n; i++) {
    const K = Math.min(caps[i], M, reach(i));
    if (K < m) continue;
    if (K <= small) {
      out[i] = K;
      continue;
    }
    const A = Math.min(before[i], after[i + 1]);
    if (!Number.isFinite(A)) continue; // no other period can trade: no bound
    // f(k) = c_i(k) + (M − k)·A (orderBound); its least point on [m, K]: where the marginal
    // reaches A.
    let lo = m;
    let hi = K;
    while (lo < hi) {
      const mid = lo + ((hi - lo) >> 1);
      if (orderBound(grid, i, mid + 1, M, A) >= orderBound(grid, i, mid, M, A)) hi = mid;
      else lo = mid + 1;
    }
    if (!(orderBound(grid, i, lo, M, A) <= limit)) {
      out[i] = 0; // no order of this period fits under the limit
      continue;
    }
    hi = K;
    while (lo < hi) {
      const mid = lo + Math.ceil((hi - lo) / 2);
      if (orderBound(grid, i, mid, M, A) <= limit) lo = mid;
      else hi = mid - 1;
    }
    out[i] = lo;
  }
  return out;
}

/** An order of k lots in period i and the rest at the least rate A of the other periods. */
function orderBound(grid: ImpactGrid, i: number, k: number, M: number, A: number): number {
  return grid.cost(i, k) + (M - k) * A;
}

/**
 * The totals s in 0..M where the chord bound before·s + after·(M − s) (each term only when
 * its lots are > 0; the slopes may be Infinity: no period to trade in) is at most `limit`:
 * an interval, as the bound is linear for 0 < s < M, that holds `cum` (the feasible
 * schedule's total). Its ends are placed from the line, then settled on the bound itself,
 * and written to lo[i] and hi[i] (called once per period: no closure, no pair allocated).
 */
export function linearInterval(
  before: number,
  after: number,
  M: number,
  cum: number,
  limit: number,
  lo: Float64Array,
  hi: Float64Array,
  i: number,
): void {
  let l = 0;
  let h = M;
  const d = before - after; // the line's slope per lot
  if (Number.isFinite(d) && d !== 0) {
    const cross = (limit - after * M) / d; // where the line meets the limit
    if (d > 0) h = Math.floor(cross);
    else l = Math.ceil(cross);
  } else if (d === Infinity) h = 0;
  else if (d === -Infinity) l = M;
  l = Math.max(0, Math.min(l, cum));
  h = Math.min(M, Math.max(h, cum));
  // A few steps settle rounding; should they not, the interval stays as wide as it is safe:
  // outwards to the end, inwards not at all.
  for (let t = 0; l > 0 && chordBound(before, after, M, l - 1) <= limit; t++) l = t < 4 ? l - 1 : 0;
  for (let t = 0; t < 4 && l < cum && !(chordBound(before, after, M, l) <= limit); t++) l++;
  for (let t = 0; h < M && chordBound(before, after, M, h + 1) <= limit; t++) h = t < 4 ? h + 1 : M;
  for (let t = 0; t < 4 && h > cum && !(chordBound(before, after, M, h) <= limit); t++) h--;
  lo[i] = l;
  hi[i] = h;
}

/** The chord bound of a total s: before·s (when s > 0) + after·(M − s) (when s < M). */
function chordBound(before: number, after: number, M: number, s: number): number {
  return (s > 0 ? before * s : 0) + (s < M ? after * (M - s) : 0);
}
