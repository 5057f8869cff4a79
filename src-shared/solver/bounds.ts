/**
 * Which cumulative totals can an optimal schedule pass through, and how large can its orders
 * be? A branch-and-bound filter for the DP engine, exact by construction: it only removes
 * states and orders that no schedule within the tie tolerance of the optimum can use.
 *
 * - U, an upper bound on the optimum: the true cost (fee and minimum order included) of a
 *   feasible schedule, the Lagrange optimum of the costs without the fee and the minimum on
 *   the m cheapest periods (repaired so that every order is 0 or at least the minimum).
 * - Lower bounds on any schedule through (i, s), each side (periods 1..i with s lots, the
 *   rest with M − s) taking the best of: the chord bound, s·min_{j≤i} a_j with a_j the least
 *   cost per lot of period j (boundsChord.ts; linear in s, O(1) a period), and weak Lagrangian
 *   duality on each period's convex envelope, λ·s − Σ_{j≤i} h_j(λ) with the conjugate
 *   h_j(λ) = max_k (λ·k − c_j(k)) for a few dozen λ (run where it pays). LB(i, s) is convex.
 * - States with LB(i, s) > U·(1 + slack) are not on an optimal path: the totals kept after
 *   period i form one interval [lo_i, hi_i] around the feasible schedule's own total; orders
 *   above the caps of boundsChord.orderCaps are not either.
 *
 * Applies to convex models (linear, power, book, calibrated) with a fee and/or a minimum order
 * size, and to tables (the multipliers' bound only), no state cost and no curve (the curve
 * wants every total). O(N log N) plus O(N · λ count · log M) where the multipliers run.
 */
import type { ImpactGrid } from '../impact';
import { solveConvex } from './convex';
import { stopsTheSolve } from './limits';
import {
  chordSlopes,
  linearInterval,
  orderCaps,
  rankBySlope,
  restrictGrid,
  slopeMinima,
  type Chords,
} from './boundsChord';

/** λ values: log-spaced over the plan's range of marginals, and dense around the optimum. */
const SPREAD_LAMBDAS = 16;
const LOCAL_LAMBDAS = 16;
/** U is relaxed by this much (relative) so that every tie candidate survives. */
const SLACK = 1e-9;
/** Plans of at most this many tradable periods also try every halving of them for U. */
const SHORT_PLAN = 4096;

export interface StateBounds {
  lo: Float64Array;
  hi: Float64Array;
  /** The feasible schedule's cost (the upper bound used). */
  upper: number;
  /** Caps no larger than the grid's that no optimal order exceeds (boundsChord.orderCaps). */
  caps?: Float64Array;
}

export interface BoundsOptions {
  /** Use the multipliers' bound (true), only the chord bound (false); default: when it pays. */
  lambdaGrid?: boolean;
  /** The chord bound and the order caps (default true); false: the multipliers alone. */
  chord?: boolean;
}

/**
 * Ranges of cumulative lots, or null when the filter does not apply or finds no feasible
 * schedule to bound with. `relaxed` is the same plan's grid without fee and minimum order.
 */
export function stateBounds(
  grid: ImpactGrid,
  relaxed: ImpactGrid,
  curves?: Curves,
  shouldCancel?: () => boolean,
  options: BoundsOptions = {},
): StateBounds | null {
  const { n, lots: M, fee, minLots } = grid;
  if (n < 2) return null;
  const table = grid.kind === 'table';
  if (table && !curves) return null;
  if (!table && fee <= 0 && minLots <= 1) return null;
  const argmax = (i: number, lambda: number) =>
    table ? tableArgmax(grid, curves![i], i, lambda) : convexArgmax(grid, i, lambda);
  const chords = table ? null : chordSlopes(grid);
  const found =
    (chords ? upperBound(grid, relaxed, chords, shouldCancel) : null) ??
    recoverPrimal(grid, argmax);
  if (!found) return null;
  const { lots: feasible, cost: upper } = found;

  const limit = upper + SLACK * Math.abs(upper) + 1e-12;
  const lo = new Float64Array(n + 1);
  const hi = new Float64Array(n + 1);
  lo[n] = hi[n] = M;
  // The cheapest rate per lot before and after period i (boundsChord.ts): s lots before cost
  // at least s·before[i], the rest at least (M − s)·after[i]. Linear in s, so each period's
  // interval is found in O(1); exact where the periods are nearly alike, where the λ grid is
  // not (it loses its spacing times s).
  const useChord = chords !== null && options.chord !== false;
  const slopes = useChord ? slopeMinima(chords.slope) : null;
  let cells = 0;
  let cum = 0;
  for (let i = 1; i < n; i++) {
    cum += feasible[i - 1];
    if (slopes) linearInterval(slopes.before[i], slopes.after[i], M, cum, limit, lo, hi, i);
    else hi[i] = M;
    cells += hi[i] - lo[i] + 1;
  }
  // The λ grid costs about T·N conjugates: worth it unless the chord bound already left fewer
  // states than that (a long plan where a fee makes a few orders optimal).
  const lambdas = chooseLambdas(grid, feasible);
  const T = lambdas.length;
  const useGrid = options.lambdaGrid ?? (!slopes || T * n < cells);
  if (useGrid) {
    // prefix[t·(n+1) + i] = Σ_{j<i} h_j(λ_t)
    const prefix = new Float64Array(T * (n + 1));
    for (let t = 0; t < T; t++) {
      let acc = 0;
      const l = lambdas[t];
      for (let i = 0; i < n; i++) {
        prefix[t * (n + 1) + i] = acc;
        // h_i(λ) = 0 when λ is at most the chord slope: c_i(k) ≥ slope·k ≥ λ·k.
        if (chords && l <= chords.slope[i]) continue;
        const k = argmax(i, l);
        const v = l * k - grid.cost(i, k);
        acc += v > 0 ? v : 0;
      }
      prefix[t * (n + 1) + n] = acc;
    }
    const lb = (i: number, s: number): number => {
      let a = -Infinity;
      let b = -Infinity;
      for (let t = 0; t < T; t++) {
        const row = t * (n + 1);
        const l = lambdas[t];
        const before = l * s - prefix[row + i];
        const after = l * (M - s) - (prefix[row + n] - prefix[row + i]);
        if (before > a) a = before;
        if (after > b) b = after;
      }
      if (slopes) {
        if (s > 0 && slopes.before[i] * s > a) a = slopes.before[i] * s;
        if (s < M && slopes.after[i] * (M - s) > b) b = slopes.after[i] * (M - s);
      }
      return a + b;
    };
    cum = 0;
    for (let i = 1; i < n; i++) {
      cum += feasible[i - 1];
      // {s : LB(i, s) ≤ U} is an interval holding the feasible schedule's own total (LB is
      // convex in s), inside the chord bound's interval.
      let l = lo[i];
      let h = cum;
      while (l < h) {
        const mid = Math.floor((l + h) / 2);
        if (lb(i, mid) <= limit) h = mid;
        else l = mid + 1;
      }
      const top = hi[i];
      lo[i] = l;
      l = cum;
      h = top;
      while (l < h) {
        const mid = Math.ceil((l + h) / 2);
        if (lb(i, mid) <= limit) l = mid;
        else h = mid - 1;
      }
      hi[i] = l;
    }
  }
  // Period i (0-based) steps from the totals after i to those after i + 1.
  const caps = useChord ? orderCaps(grid, chords, limit, (i) => hi[i + 1] - lo[i]) : undefined;
  return { lo, hi, upper, caps };
}

/**
 * A good feasible schedule: the relaxed (fee-free, minimum-free) optimum over the m cheapest
 * periods by chord slope (boundsChord.ts), for m = N, N/2, N/4, … and for the order counts
 * around M / k* (k* the cheapest period's best order size: a fee or a minimum order favours
 * about that many orders of that size), repaired for the minimum; the cheapest in true cost
 * wins. Each convex solve runs on the m periods only: O(N log N + Σ m log M).
 */
function upperBound(
  grid: ImpactGrid,
  relaxed: ImpactGrid,
  chords: Chords,
  shouldCancel?: () => boolean,
): { lots: Float64Array; cost: number } | null {
  const { n, lots: M } = grid;
  let cheapest = -1;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!(chords.slope[i] < Infinity)) continue;
    count++;
    if (cheapest < 0 || chords.slope[i] < chords.slope[cheapest]) cheapest = i;
  }
  if (count === 0) return null;
  let best: { lots: Float64Array; cost: number } | null = null;
  const sizes = new Set<number>();
  // With a minimum order, subsets whose average order is below it need heavy repair and are
  // never the best bound: start from the largest subset that can hold whole minimum orders.
  const most = grid.minLots > 1 ? Math.max(1, Math.floor(M / grid.minLots)) : count;
  // About M / k* orders are best (k* the cheapest period's best order size): halving starts
  // at four times that, or at every period.
  const ideal = M / Math.max(1, chords.size[cheapest]);
  for (let m = Math.min(count, most, Math.ceil(4 * ideal)); m >= 1; m = Math.floor(m / 2))
    sizes.add(m);
  if (grid.minLots > 1) sizes.add(Math.max(1, Math.min(count, Math.floor(M / grid.minLots))));
  for (const f of [0.5, 0.7, 0.85, 1, 1.15, 1.4, 2]) {
    const m = Math.round(ideal * f);
    for (const d of f === 1 ? [-2, -1, 0, 1, 2] : [0]) {
      if (m + d >= 1 && m + d <= count) sizes.add(m + d);
    }
  }
  // Short plans also try every halving from all periods (cheap at their size).
  if (count <= SHORT_PLAN) for (let m = Math.min(count, most); m >= 1; m >>= 1) sizes.add(m);
  let largest = 0;
  for (const m of sizes) largest = Math.max(largest, m);
  const rank = rankBySlope(chords.slope, Math.min(count, Math.max(2 * largest, SHORT_PLAN)));
  const costs = new Map<number, number>();
  const tryCount = (m: number): number => {
    if (m < 1 || m > rank.length) return Infinity;
    const known = costs.get(m);
    if (known !== undefined) return known;
    const cost = trySubset(m);
    costs.set(m, cost);
    return cost;
  };
  const trySubset = (m: number): number => {
    // The m cheapest periods in plan order (the tie rule of the solve reads the order).
    const periods = rank.slice(0, m).sort();
    const caps = new Float64Array(m);
    let room = 0;
    for (let t = 0; t < m; t++) {
      caps[t] = Math.min(relaxed.caps[periods[t]], grid.caps[periods[t]]);
      room += caps[t];
    }
    if (room < M) return Infinity;
    let sub: Float64Array;
    try {
      sub = solveConvex(restrictGrid(relaxed, periods, caps), shouldCancel);
    } catch (e) {
      if (stopsTheSolve(e)) throw e;
      return Infinity; // no bound from this subset
    }
    if (grid.minLots <= 1) {
      // Nothing to repair without a minimum: the cost is summed over the m periods in plan
      // order (the order of the whole schedule's sum, so the same double), and the schedule
      // of N periods is made only for the best (a few dozen subsets are tried).
      let cost = 0;
      for (let t = 0; t < m; t++) if (sub[t] > 0) cost += grid.cost(periods[t], sub[t]);
      if (!Number.isFinite(cost)) return Infinity;
      if (!best || cost < best.cost) best = { lots: spread(n, periods, sub), cost };
      return cost;
    }
    const x = repairMinimum(grid, spread(n, periods, sub));
    if (!x) return Infinity;
    let cost = 0;
    for (let i = 0; i < n; i++) if (x[i] > 0) cost += grid.cost(i, x[i]);
    if (!Number.isFinite(cost)) return Infinity;
    if (!best || cost < best.cost) best = { lots: x, cost };
    return cost;
  };
  let at = 0;
  let least = Infinity;
  for (const m of sizes) {
    const c = tryCount(m);
    if (c < least) [at, least] = [m, c];
  }
  // Then downhill in the number of periods from the best, in steps of about 1/64 of it
  // halving down to single periods (a few dozen small solves).
  for (let step = Math.max(1, Math.round(at / 64)); at > 0 && step >= 1;) {
    const up = tryCount(at + step);
    const down = tryCount(at - step);
    if (up < least && up <= down) [at, least] = [at + step, up];
    else if (down < least) [at, least] = [at - step, down];
    else step = step > 1 ? Math.floor(step / 2) : 0;
  }
  return best;
}

/** N periods' lots, `sub[t]` in period `periods[t]` and none elsewhere. */
function spread(n: number, periods: Int32Array, sub: Float64Array): Float64Array {
  const lots = new Float64Array(n);
  for (let t = 0; t < periods.length; t++) lots[periods[t]] = sub[t];
  return lots;
}

/** A table plan's curves, [shares, impact per share] per period. */
export type Curves = ReadonlyArray<ReadonlyArray<readonly [number, number]>>;

/**
 * argmax over allowed k (0 included) of λ·k − c_i(k), convex g beyond the fee and the
 * minimum: λ·k − g(k) is concave, its maximum is where g's marginal crosses λ. O(log M).
 */
function convexArgmax(grid: ImpactGrid, i: number, lambda: number): number {
  const K = grid.caps[i];
  const m = grid.minLots;
  if (K < m || K === 0) return 0;
  let k = countAtMost(grid, i, lambda, K);
  if (k < m) k = m;
  return lambda * k - grid.cost(i, k) > 0 ? k : 0;
}

/**
 * The same for a table: on each piece c(k) = A·kq + B·(kq)², so λ·k − c(k) is concave there
 * when B > 0 (its vertex, rounded both ways, and the piece's ends are the candidates) and
 * convex otherwise (the ends). Every allowed k lies on some piece, so the maximum is exact.
 * O(points).
 */
function tableArgmax(
  grid: ImpactGrid,
  pts: ReadonlyArray<readonly [number, number]>,
  i: number,
  lambda: number,
): number {
  const K = grid.caps[i];
  const m = Math.max(1, grid.minLots);
  if (K < m) return 0;
  const q = grid.lot;
  const fee = grid.fee;
  let bestK = 0;
  let bestV = 0;
  // Stretches [from, to] in lots: below the first point (g flat, c linear), then each piece.
  for (let p = -1; p + 1 < pts.length; p++) {
    const from = p < 0 ? m : Math.ceil(pts[p][0] / q);
    const to = Math.floor(pts[p + 1][0] / q);
    const k0 = from > m ? from : m;
    const k1 = to < K ? to : K;
    if (k1 < k0) continue;
    const c0 = k0;
    const c1 = k1;
    let c2 = k0;
    let c3 = k0;
    if (p >= 0) {
      const [x0, g0] = pts[p];
      const [x1, g1] = pts[p + 1];
      const B = (g1 - g0) / (x1 - x0);
      if (B > 0) {
        const A = g0 - B * x0;
        const v = (lambda - A * q) / (2 * B * q * q);
        if (Number.isFinite(v)) {
          c2 = Math.min(k1, Math.max(k0, Math.floor(v)));
          c3 = c2 < k1 ? c2 + 1 : k1;
        }
      }
    }
    // The piece's own formula (grid.cost would search the piece again); the caller takes
    // the exact cost of the winner, and rounding here is far inside the bounds' slack.
    const gx = p < 0 ? pts[0][1] : pts[p][1];
    const B = p < 0 ? 0 : (pts[p + 1][1] - pts[p][1]) / (pts[p + 1][0] - pts[p][0]);
    const xs = p < 0 ? 0 : pts[p][0];
    for (let t = 0; t < 4; t++) {
      const k = t === 0 ? c0 : t === 1 ? c1 : t === 2 ? c2 : c3;
      const x = k * q;
      const v = lambda * k - ((gx + B * (x - xs)) * x + fee);
      if (v > bestV || (v === bestV && k > bestK && bestK > 0)) {
        bestV = v;
        bestK = k;
      }
    }
  }
  return bestK;
}

/**
 * A feasible schedule from the Lagrangian: bisect λ until the periods' maximisers of
 * λ·k − c_i(k) add up to M (they grow with λ), then move the periods from the smaller λ's
 * choice to the larger one's until exactly M lots are placed (the last one part way).
 */
function recoverPrimal(
  grid: ImpactGrid,
  argmax: (i: number, lambda: number) => number,
): { lots: Float64Array; cost: number } | null {
  const { n, lots: M, minLots: m } = grid;
  const sum = (lambda: number, out: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += out[i] = argmax(i, lambda);
    return s;
  };
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  let lHi = 1;
  for (let t = 0; t < 2100 && sum(lHi, hi) < M; t++) lHi *= 2;
  if (sum(lHi, hi) < M) return null;
  let lLo = 0;
  if (sum(lLo, lo) >= M) return finish(grid, lo);
  for (let t = 0; t < 40; t++) {
    const mid = (lLo + lHi) / 2;
    if (!(mid > lLo && mid < lHi)) break;
    if (sum(mid, lo) >= M) {
      lHi = mid;
      hi.set(lo);
    } else lLo = mid;
  }
  let placed = sum(lLo, lo);
  const x = lo.slice();
  for (let i = 0; i < n && placed < M; i++) {
    if (hi[i] <= x[i]) continue;
    const add = Math.min(hi[i] - x[i], M - placed);
    const k = x[i] + add;
    if (k > 0 && k < m) continue; // would break the minimum: leave this period as it is
    x[i] = k;
    placed += add;
  }
  if (placed !== M) return null;
  return finish(grid, x);
}

function finish(grid: ImpactGrid, x: Float64Array): { lots: Float64Array; cost: number } | null {
  let cost = 0;
  let total = 0;
  for (let i = 0; i < grid.n; i++) {
    cost += grid.cost(i, x[i]);
    total += x[i];
  }
  return Number.isFinite(cost) && total === grid.lots ? { lots: x, cost } : null;
}

/** #{k ≤ K : g's marginal at k ≤ λ}, g the cost without the fee (nondecreasing marginals). */
function countAtMost(grid: ImpactGrid, i: number, lambda: number, K: number): number {
  // The model's closed-form guess brackets the count within a lot or two; check it, and fall
  // back to a binary search over 0..K when it does not.
  const guess = grid.marginalInverse(i, lambda);
  let lo = 0;
  let hi = K;
  if (Number.isFinite(guess)) {
    // Usually exact or one off: two or three marginals settle it.
    const g = Math.max(0, Math.min(K, Math.floor(guess)));
    if (atMost(grid, i, g, K, lambda)) {
      if (g === K || !atMost(grid, i, g + 1, K, lambda)) return g;
      if (g + 1 === K || !atMost(grid, i, g + 2, K, lambda)) return g + 1;
      lo = g + 2;
    } else {
      if (atMost(grid, i, g - 1, K, lambda)) return g - 1;
      hi = g - 2;
    }
  } else if (guess > 0) {
    return K;
  }
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if (gMarginalAtMost(grid, i, mid, lambda)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** k = 0, or k ≤ K with g's marginal at k at most λ. */
function atMost(grid: ImpactGrid, i: number, k: number, K: number, lambda: number): boolean {
  return k === 0 || (k <= K && gMarginalAtMost(grid, i, k, lambda));
}

/** g's marginal at k (the fee taken out of the first lot's) is at most λ. */
function gMarginalAtMost(grid: ImpactGrid, i: number, k: number, lambda: number): boolean {
  return (k === 1 ? grid.marginal(i, 1) - grid.fee : grid.marginal(i, k)) <= lambda;
}

/**
 * Orders of the relaxed optimum that fall below the minimum are moved, whole, to the
 * nearest order that is at or above it and has room; an order that cannot move is raised to
 * the minimum with lots taken from the largest orders. Null when no repair fits the caps.
 */
function repairMinimum(grid: ImpactGrid, base: Float64Array): Float64Array | null {
  const { n, caps, minLots: m } = grid;
  const x = base.slice();
  if (m <= 1) return x;
  // x ≤ caps throughout: base is a Lagrange optimum under caps no larger than grid.caps, and
  // each step below only lowers orders, raises one to m where caps ≥ m, or moves one to a
  // period with room for it.
  for (let pass = 0; pass < n; pass++) {
    let worst = -1;
    for (let i = 0; i < n; i++)
      if (x[i] > 0 && x[i] < m && (worst < 0 || x[i] < x[worst])) worst = i;
    if (worst < 0) break;
    // Raise it to the minimum with lots from orders that stay at or above it, if they can
    // spare them; otherwise move it whole to the nearest order with room.
    let surplus = 0;
    for (let j = 0; j < n; j++) if (j !== worst && x[j] > m) surplus += x[j] - m;
    const need = m - x[worst];
    if (caps[worst] >= m && surplus >= need) {
      // Take from the largest orders first (their marginal cost is the highest).
      let left = need;
      const donors = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== worst && x[j] > m)
        .sort((a, b) => x[b] - x[a]);
      while (left > 0) {
        for (const j of donors) {
          if (left === 0) break;
          if (x[j] > m) {
            x[j]--;
            left--;
          }
        }
      }
      x[worst] = m;
      continue;
    }
    let target = -1;
    for (let d = 1; d < n && target < 0; d++) {
      for (const j of [worst - d, worst + d]) {
        if (j >= 0 && j < n && x[j] >= m && x[j] + x[worst] <= caps[j]) {
          target = j;
          break;
        }
      }
    }
    if (target < 0) return null;
    x[target] += x[worst];
    x[worst] = 0;
  }
  for (let i = 0; i < n; i++) if (x[i] > 0 && x[i] < m) return null;
  return x;
}

/** λ log-spaced over every marginal the plan can meet, plus dense around the optimum's. */
function chooseLambdas(grid: ImpactGrid, x: Float64Array): number[] {
  const { n, caps } = grid;
  let lo = Infinity;
  let hi = 0;
  const used: number[] = [];
  for (let i = 0; i < n; i++) {
    const K = caps[i];
    if (K < 1) continue;
    const g1 = grid.marginal(i, 1) - grid.fee;
    const gK = K >= 2 ? grid.marginal(i, K) : g1;
    if (g1 > 0 && g1 < lo) lo = g1;
    if (gK > hi) hi = gK;
    if (x[i] >= 2) used.push(grid.marginal(i, x[i]));
  }
  const out: number[] = [0];
  if (hi > 0 && Number.isFinite(lo)) {
    const a = Math.log(Math.min(lo, hi));
    const b = Math.log(hi);
    for (let t = 0; t < SPREAD_LAMBDAS; t++)
      out.push(Math.exp(a + ((b - a) * t) / (SPREAD_LAMBDAS - 1)));
  }
  if (used.length) {
    used.sort((u, v) => u - v);
    const mid = used[used.length >> 1];
    const l0 = used[0] * 0.8;
    const l1 = used[used.length - 1] * 1.25;
    for (let t = 0; t < LOCAL_LAMBDAS; t++) out.push(l0 + ((l1 - l0) * t) / (LOCAL_LAMBDAS - 1));
    out.push(mid);
  }
  return out.filter((v) => Number.isFinite(v) && v >= 0);
}
