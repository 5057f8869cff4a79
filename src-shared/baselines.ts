/**
 * The comparison strategies (docs/architecture.md, "Baselines"): naive/TWAP (equal weights),
 * aggressive (weights n, n−1, …, 1), conservative (1, 2, …, n) and VWAP (∝ the volume profile)
 * when one is given. Each respects every cap: the user's (maxPerPeriod, maxParticipation) and
 * the model's (a table's last point, a book's depth; a period without liquidity gets nothing).
 *
 * Rounding to lots (allocateLots):
 *  1. Continuous targets t_i ∝ weight by water-filling: a period whose share would exceed its cap
 *     is held at the cap and the excess redistributed over the others by weight. Weights are
 *     scaled by the largest one first, so volumes spanning 1e−20..1e20 neither overflow nor
 *     underflow, and the remaining weight is a suffix sum, never a difference.
 *  2. Cumulative rounding: with T_i = Σ_{j≤i} t_j, period i gets round(T_i) − round(T_{i−1}).
 *     Every prefix of the schedule is then within half a lot of the continuous curve (before
 *     any repair below), so a TWAP of 100 lots over 390 periods trades one lot every 3 or 4
 *     periods across the whole session (largest remainder traded them all in the first 100,
 *     like aggressive), and aggressive/conservative keep their decreasing/increasing shape at
 *     any order size.
 *  3. Cap repair. Since t_i ≤ cap_i, round(T_{i−1} + t_i) − round(T_{i−1}) ≤ cap_i in exact
 *     arithmetic, but floating-point noise (0.49999999999999994 + 1 = 1.5) can put a period a
 *     lot above its cap, and the last rounded prefix can fall short of the total (it is then
 *     set to the total: the last period takes the missing lots). Each lot above a cap moves to
 *     the nearest period (by index) with room; on a tie, the one further below its target t_j,
 *     then the earlier one. Only the prefixes between the two periods move, by one lot each.
 *     Zero-weight periods have no room here (see below).
 *  Periods with weight 0 take nothing while the weighted periods can take the whole order; when
 *  they cannot, the weighted periods are filled to their caps and the rest is spread evenly over
 *  the zero-weight ones the same way. The result is checked (exact total, whole lots, every cap)
 *  before it is returned.
 *
 * A baseline that cannot be built (the caps cannot reach the order, or the check fails) is
 * reported with `problem` set and no numbers; a baseline with an order below minOrderSize cannot
 * be executed: it is reported with feasible = false.
 */
import type { Plan } from './plan';
import {
  BASELINE_LABELS,
  type BaselineName,
  type BaselineResult,
  type SolveResult,
} from './result';
import { capacity, fmtInt, type ImpactGrid } from './impact';
import type { BaselineColumns, SolveResultColumns } from './resultColumns';

export type Baselines = SolveResult['baselines'];

/** How each baseline is called in a problem sentence (the window's own labels). */
const LABELS = BASELINE_LABELS;

/** Weights of a baseline over N periods (not normalised). */
export function baselineWeights(
  name: BaselineName,
  n: number,
  volumeProfile?: readonly number[],
): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    switch (name) {
      case 'naive':
        w[i] = 1;
        break;
      case 'aggressive':
        w[i] = n - i; // decreasing: n, n−1, …, 1
        break;
      case 'conservative':
        w[i] = i + 1; // increasing: 1, 2, …, n
        break;
      case 'vwap':
        w[i] = volumeProfile ? volumeProfile[i] : 1;
        break;
    }
  }
  return w;
}

/** Why allocateLots could not split the order; `reason` completes "<baseline>: …". */
export class AllocationError extends Error {
  constructor(
    readonly kind: 'capacity' | 'input' | 'rounding',
    message: string,
  ) {
    super(message);
    this.name = 'AllocationError';
  }
}

/**
 * Split `total` lots over periods ∝ weights, at most caps[i] each, in whole lots summing exactly
 * to `total` (the rule is in the module comment): water-filling, cumulative rounding, cap repair.
 * Periods with weight 0 only take what the others cannot. Throws an AllocationError when
 * Σ caps < total, when a weight is negative or not finite, or when the result would break the
 * total or a cap (never returned).
 */
export function allocateLots(
  weights: ArrayLike<number>,
  caps: ArrayLike<number>,
  total: number,
): Float64Array {
  const n = weights.length;
  if (caps.length !== n) {
    throw new AllocationError('input', `${n} weights but ${caps.length} caps`);
  }
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new AllocationError('input', `the total ${total} is not a whole number of lots`);
  }
  // Whole lots, at most the total (a cap of Infinity means "no cap").
  const cap = new Float64Array(n);
  let capSum = 0;
  let weightedCap = 0;
  let wMax = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new AllocationError('input', `weight ${i + 1} is ${w}, not a finite number ≥ 0`);
    }
    const c = caps[i];
    cap[i] = c >= 0 ? Math.min(total, Math.floor(c)) : 0;
    capSum += cap[i];
    if (w > 0) {
      weightedCap += cap[i];
      wMax = Math.max(wMax, w);
    }
  }
  if (capSum < total) {
    throw new AllocationError('capacity', `caps allow ${capSum} lots, fewer than ${total}`);
  }
  let out: Float64Array;
  if (weightedCap < total) {
    // The weighted periods are all filled; the rest goes evenly over the zero-weight periods.
    const w0 = new Float64Array(n);
    for (let i = 0; i < n; i++) if (!(weights[i] > 0)) w0[i] = 1;
    out = allocateLots(w0, cap, total - weightedCap);
    for (let i = 0; i < n; i++) if (weights[i] > 0) out[i] = cap[i];
  } else {
    // Scaled weights in (0, 1]; a weight too small to scale stays positive.
    const s = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (weights[i] > 0) s[i] = Math.max(Number.MIN_VALUE, weights[i] / wMax);
    }
    const target = waterFill(s, cap, total);
    // Zero-weight periods have no room while the weighted ones can take the order.
    const room = new Float64Array(n);
    for (let i = 0; i < n; i++) room[i] = s[i] > 0 ? cap[i] : 0;
    out = roundCumulative(target, room, total);
  }
  assertAllocation(out, cap, total);
  return out;
}

/**
 * Continuous targets t_i = min(cap_i, λ·s_i) with Σ t_i = total (Σ over s_i > 0 of cap_i ≥ total).
 * Periods saturate in order of cap_i/s_i; the weight still unsaturated is a suffix sum in that
 * order, so it never suffers cancellation (1e20 − 1e20 leaving nothing of 1e−20).
 */
function waterFill(s: Float64Array, cap: Float64Array, total: number): Float64Array {
  const n = s.length;
  // The weighted periods, counted first: pushing 100,000 indices one by one costs more than
  // the whole water-filling.
  let m = 0;
  for (let i = 0; i < n; i++) if (s[i] > 0) m++;
  const idx = new Int32Array(m);
  for (let i = 0, p = 0; i < n; i++) if (s[i] > 0) idx[p++] = i;
  sortByLevel(idx, cap, s);
  const suffix = new Float64Array(m + 1);
  for (let p = m - 1; p >= 0; p--) suffix[p] = suffix[p + 1] + s[idx[p]];
  const target = new Float64Array(n);
  let rem = total;
  let p = 0;
  // Period idx[p] saturates when cap ≤ λ·s with λ = rem / (weight left): cap·left ≤ rem·s.
  for (; p < m; p++) {
    const i = idx[p];
    if (cap[i] * suffix[p] > rem * s[i]) break;
    target[i] = cap[i];
    rem -= cap[i];
  }
  for (let q = p; q < m; q++) {
    const i = idx[q];
    target[i] = Math.min(cap[i], rem * (s[i] / suffix[p]));
  }
  return target;
}

/**
 * The periods in order of level cap_i / s_i, ties by index. The baselines' levels usually come
 * in order already (TWAP: all equal, front-loaded: rising) or in reverse (back-loaded): those
 * are seen in O(n). Any other order (a VWAP's U-shaped profile) is sorted by the levels' bits
 * (radixSortByLevel), where a sort with a comparator took about 40 ms at N = 100,000.
 */
export function sortByLevel(idx: Int32Array, cap: Float64Array, s: Float64Array): void {
  const m = idx.length;
  const level = new Float64Array(m);
  let rising = true;
  let falling = true;
  for (let p = 0; p < m; p++) {
    // + 0 turns a −0 (a cap of −0) into 0, which it equals: the bits below must agree.
    level[p] = cap[idx[p]] / s[idx[p]] + 0;
    if (p > 0) {
      // NaN cannot occur (cap finite, s > 0); a tie keeps the index order: it is not falling.
      if (level[p] < level[p - 1]) rising = false;
      if (!(level[p] < level[p - 1])) falling = false;
    }
  }
  if (rising) return; // idx is in index order, so ties are already by index
  if (falling) {
    idx.reverse();
    return;
  }
  if (LITTLE_ENDIAN) {
    radixSortByLevel(idx, level);
    return;
  }
  const levelOf = (i: number) => cap[i] / s[i];
  idx.sort((a, b) => {
    const la = levelOf(a);
    const lb = levelOf(b);
    return la < lb ? -1 : la > lb ? 1 : a - b;
  });
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * `idx` (in index order) reordered by `level` (its entries' levels, each 0 or more, +∞ allowed,
 * never NaN or −0), ties kept in index order. For doubles of one sign the order of the values
 * is the order of their 64 bits read as an unsigned integer, so a stable least-significant-digit
 * radix sort over six digits of at most 11 bits (RADIX_DIGITS) sorts them in O(n).
 */
export function radixSortByLevel(idx: Int32Array, level: Float64Array): void {
  const m = idx.length;
  const words = new Uint32Array(level.buffer, level.byteOffset, 2 * m);
  let order = new Int32Array(m);
  let next = new Int32Array(m);
  for (let p = 0; p < m; p++) order[p] = p;
  const count = new Int32Array(RADIX_BUCKETS);
  for (let digit = 0; digit < RADIX_DIGITS.length; digit += 2) {
    const word = RADIX_DIGITS[digit] >> 5; // little-endian: the low word first
    const shift = RADIX_DIGITS[digit] & 31;
    const mask = RADIX_DIGITS[digit + 1];
    count.fill(0);
    for (let p = 0; p < m; p++) count[(words[2 * p + word] >>> shift) & mask]++;
    // A digit every level shares moves nothing.
    if (count[(words[word] >>> shift) & mask] === m) continue;
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let q = 0; q < m; q++) {
      const p = order[q];
      next[count[(words[2 * p + word] >>> shift) & mask]++] = p;
    }
    const t = order;
    order = next;
    next = t;
  }
  const sorted = new Int32Array(m);
  for (let q = 0; q < m; q++) sorted[q] = idx[order[q]];
  idx.set(sorted);
}

/**
 * The radix sort's digits, least significant first, as pairs (bit offset in the double, mask):
 * three digits of 11, 11 and 10 bits per 32-bit word. Six passes over 2,048 buckets cost less
 * than four over 65,536 at every size: clearing and summing a 65,536-entry table four times
 * took a cold process 15 ms for a 390-period plan, and the small table stays in the L1 cache.
 */
const RADIX_DIGITS = [0, 0x7ff, 11, 0x7ff, 22, 0x3ff, 32, 0x7ff, 43, 0x7ff, 54, 0x3ff];
const RADIX_BUCKETS = 2048;

/**
 * Whole lots following the cumulative curve of `target`: period i gets round(T_i) − round(T_{i−1}),
 * the last prefix is the total, then every lot above `room` (or the total's missing lot) moves to
 * the nearest period with room. Needs Σ room ≥ total.
 */
export function roundCumulative(
  target: Float64Array,
  room: Float64Array,
  total: number,
): Float64Array {
  const n = target.length;
  const out = new Float64Array(n);
  let T = 0;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    T += target[i];
    const R = Math.min(total, Math.max(prev, Math.round(T)));
    out[i] = R - prev;
    prev = R;
  }
  if (prev < total && n > 0) out[n - 1] += total - prev;
  for (let i = 0; i < n; i++) {
    while (out[i] > room[i]) {
      const j = nearestWithRoom(i, out, room, target);
      if (j < 0) break; // cannot happen with Σ room ≥ total; assertAllocation reports it
      out[i]--;
      out[j]++;
    }
  }
  return out;
}

/** The period nearest to i with room for one more lot; on a tie the one further below its target, then the earlier. */
function nearestWithRoom(
  i: number,
  out: Float64Array,
  room: Float64Array,
  target: Float64Array,
): number {
  const n = out.length;
  for (let d = 1; d < n; d++) {
    const a = i - d;
    const b = i + d;
    const okA = a >= 0 && out[a] < room[a];
    const okB = b < n && out[b] < room[b];
    if (okA && okB) return target[b] - out[b] > target[a] - out[a] ? b : a;
    if (okA) return a;
    if (okB) return b;
  }
  return -1;
}

/** The allocation is whole lots, within every cap, and sums exactly to the total; else throws. */
function assertAllocation(out: Float64Array, cap: Float64Array, total: number): void {
  let sum = 0;
  for (let i = 0; i < out.length; i++) {
    const k = out[i];
    if (!Number.isInteger(k) || k < 0 || k > cap[i]) {
      throw new AllocationError(
        'rounding',
        `period ${i + 1} would get ${k} lots, outside 0..${cap[i]}`,
      );
    }
    sum += k;
  }
  if (sum !== total) {
    throw new AllocationError('rounding', `the lots sum to ${sum}, not ${total}`);
  }
}

/**
 * Every baseline for the plan with its cost and the optimum's saving against it. Never throws: a
 * baseline that cannot be built is reported with `problem` set (see problemBaseline).
 */
export function computeBaselines(plan: Plan, grid: ImpactGrid, optimalCost: number): Baselines {
  return baselineRows(computeBaselineColumns(plan, grid, optimalCost));
}

/** The baselines as `computeBaselines` gives them, each one's shares in a typed array. */
export type BaselineColumnSet = SolveResultColumns['baselines'];

/** `computeBaselines` with each baseline's shares as a Float64Array (the columnar result's). */
export function computeBaselineColumns(
  plan: Plan,
  grid: ImpactGrid,
  optimalCost: number,
): BaselineColumnSet {
  const names: BaselineName[] = ['naive', 'aggressive', 'conservative'];
  if (plan.volumeProfile) names.push('vwap');
  const out: Partial<Record<BaselineName, BaselineColumns>> = {};
  for (const name of names) out[name] = buildBaseline(plan, grid, name, optimalCost);
  return out as BaselineColumnSet;
}

/** The baselines with their shares as plain arrays (the row-wise result's form). */
export function baselineRows(b: BaselineColumnSet): Baselines {
  const rows = (x: BaselineColumns): BaselineResult => ({ ...x, shares: Array.from(x.shares) });
  return {
    naive: rows(b.naive),
    aggressive: rows(b.aggressive),
    conservative: rows(b.conservative),
    ...(b.vwap ? { vwap: rows(b.vwap) } : {}),
  };
}

function buildBaseline(
  plan: Plan,
  grid: ImpactGrid,
  name: BaselineName,
  optimalCost: number,
): BaselineColumns {
  const label = LABELS[name];
  const what = name === 'vwap' ? 'the volume profile' : 'the weights';
  try {
    // The one capacity check: allocateLots' own (Σ min(total, ⌊caps_i⌋) < total) cannot fire
    // after it, since grid.caps are whole lot counts of at most grid.lots.
    const room = capacity(grid);
    if (room < grid.lots) {
      return problemBaseline(
        `${label}: the caps allow at most ${fmtInt(room * grid.lot)} shares, fewer than the ${fmtInt(plan.shares)} to trade`,
      );
    }
    const w = baselineWeights(name, grid.n, plan.volumeProfile);
    // grid.caps: every limit (a book period without liquidity must not look free).
    const lots = allocateLots(w, grid.caps, grid.lots);
    return evaluateLots(plan, grid, lots, optimalCost);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    if (e instanceof AllocationError && e.kind === 'input') {
      return problemBaseline(`${label}: ${what} cannot be used to split the order (${detail})`);
    }
    if (e instanceof AllocationError) {
      return problemBaseline(
        `${label}: ${what} cannot be rounded to lots within the caps (${detail})`,
      );
    }
    return problemBaseline(`${label}: the baseline could not be built (${detail})`);
  }
}

/** A baseline that could not be built: no schedule and no numbers, only the sentence why. */
function problemBaseline(problem: string): BaselineColumns {
  return {
    shares: new Float64Array(0),
    totalCost: 0,
    totalCostBps: null,
    savingPct: 0,
    feasible: false,
    problem,
  };
}

/**
 * Cost, bps, saving and feasibility of a schedule given in lots within grid.caps (as
 * allocateLots returns it: grid.caps is already the least of the plan's and the model's caps),
 * so only the minimum order can make it infeasible.
 */
export function evaluateBaseline(
  plan: Plan,
  grid: ImpactGrid,
  lots: ArrayLike<number>,
  optimalCost: number,
): BaselineResult {
  const b = evaluateLots(plan, grid, lots, optimalCost);
  return { ...b, shares: Array.from(b.shares) };
}

/** `evaluateBaseline` with the shares in a typed array. */
function evaluateLots(
  plan: Plan,
  grid: ImpactGrid,
  lots: ArrayLike<number>,
  optimalCost: number,
): BaselineColumns {
  let total = 0;
  let feasible = true;
  const shares = new Float64Array(grid.n);
  for (let i = 0; i < grid.n; i++) {
    const k = lots[i];
    shares[i] = k * grid.lot;
    if (k === 0) continue;
    if (k < grid.minLots) feasible = false;
    total += grid.rawCost(i, k);
  }
  const ref = plan.referencePrice;
  return {
    shares,
    totalCost: total,
    totalCostBps: ref ? (total / (plan.shares * ref)) * 1e4 : null,
    savingPct: savingPct(total, optimalCost, feasible),
    feasible,
  };
}

/**
 * (baseline − optimal) / baseline in percent; 0 when the baseline costs nothing. The optimum is
 * never dearer than an executable baseline, so a negative saving within summation noise
 * (relative 1e-9, e.g. 100,000 near-equal periods) is reported as 0, not as "−0.00%".
 */
function savingPct(total: number, optimal: number, feasible: boolean): number {
  if (!(total > 0)) return 0;
  const pct = ((total - optimal) / total) * 100;
  return feasible && pct < 0 && optimal - total <= 1e-9 * Math.abs(optimal) ? 0 : pct;
}
