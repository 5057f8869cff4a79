/**
 * Exact solver for convex per-period costs (docs/solver.md), the Lagrange method: the optimum
 * on the lot grid is the set of the M cheapest marginal increments d_i(k) = c_i(k) − c_i(k−1)
 * across periods. This file owns its entry and its end: lagrange.ts brackets the multiplier
 * λ until few candidate increments remain; those are collected here and the R-th cheapest v
 * selected (quickselect). Increments below v are taken; those equal to v are tied, and the
 * tie-break of tiebreak.ts chooses among them exactly (placeTies). Also the O(N) optimality
 * certificate that the solver checks every result with.
 *
 * "Equal" marginals are equal doubles (exact equality), not tieTolerance(): individual
 * increments carry no summation noise (equal profiles, flat table pieces and zero impact give
 * bitwise-equal increments), the optimum stays the exact optimum of the computed costs, and
 * certifyConvex (tolerance 1e−12 of the increments) keeps passing; a tolerance of
 * tieTolerance(N) (up to 2.4e−11 at N = 10^5) would trade real cost for shape and could fail
 * the certificate. Mathematically equal increments computed from different inputs (linear
 * impact, profile 0.3 at k = 2 against profile 0.9 at k = 1: 3·(β·0.3·q²) and β·0.9·q² need
 * not be the same double) may differ in the last bit and then do not tie.
 */
import { fmtInt, type ImpactGrid } from '../impact';
import { PlannerError } from '../contract';
import { LagrangeSearch, MAX_ITERATIONS, type Bracket } from './lagrange';
import { addEvenly, placeTies } from './tiebreak';

/** Past the iteration bound the bracket is collected anyway up to this many candidates. */
const COLLECT_MAX = 4_000_000;

export interface ConvexSolution {
  /** Lot counts n_i (as doubles; M may exceed 2^31) of an optimal schedule. */
  lots: Float64Array;
  /**
   * Lots tied at the threshold marginal (several optimal schedules):
   *   'none'  – the optimum is unique (no choice among tied increments);
   *   'exact' – the tie-break rule of tiebreak.ts (smallest pace deviation D, then more later)
   *             chose among them exactly;
   *   'even'  – the exact tie-break would have taken too long (more than MAX_TIE_WORK steps):
   *             the tied lots were spread evenly (approximate; still optimal in cost).
   */
  ties: 'none' | 'exact' | 'even';
  /** Lots placed among tied increments (0 when ties is 'none'). */
  tiedLots: number;
  /** Probes of λ (passes over the periods still open). */
  iterations: number;
}

/** Lot counts n_i (as doubles; M may exceed 2^31) of an optimal schedule. */
export function solveConvex(grid: ImpactGrid, shouldCancel?: () => boolean): Float64Array {
  return solveConvexDetailed(grid, shouldCancel).lots;
}

/** solveConvex with how ties were resolved and the number of probes. */
export function solveConvexDetailed(
  grid: ImpactGrid,
  shouldCancel?: () => boolean,
): ConvexSolution {
  const bracket = new LagrangeSearch(grid, shouldCancel).run();
  if (bracket.settled) return done(bracket, bracket.settled, 'none', 0);
  return finish(grid, bracket, shouldCancel);
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

function done(
  bracket: Bracket,
  lots: Float64Array,
  ties: ConvexSolution['ties'],
  tiedLots: number,
): ConvexSolution {
  return { lots, ties, tiedLots, iterations: bracket.iterations };
}

// ---------------------------------------------------------------------------------------
// From the bracket to the schedule

/**
 * Take the R = M − Σ nlo cheapest candidates (nlo_i, nhi_i]: those below the R-th cheapest
 * value v, then R' of those equal to v by the tie-break.
 */
function finish(
  grid: ImpactGrid,
  bracket: Bracket,
  shouldCancel: (() => boolean) | undefined,
): ConvexSolution {
  const { n, M, nlo, nhi, lowNext, highTop, active, nActive } = bracket;
  const R = M - bracket.sumLo;
  const gap = bracket.sumHi - bracket.sumLo;
  const base = Float64Array.from(nlo);
  const avail = new Float64Array(n);
  let rest = R;
  if (bracket.collapsed) {
    // Every candidate costs the same (the bracket's ends met).
    for (let j = 0; j < nActive; j++) avail[active[j]] = nhi[active[j]] - nlo[active[j]];
  } else if (gap > COLLECT_MAX) {
    // Only after MAX_ITERATIONS probes (which a correct search never needs): refuse rather
    // than guess.
    throw new PlannerError(
      'too_large',
      `impact: the convex method could not settle the marginal cost of the last lot: after ${MAX_ITERATIONS} probes of λ between ${bracket.lamLo.toPrecision(6)} and ${bracket.lamHi.toPrecision(6)}, ${fmtInt(gap)} lots across ${fmtInt(nActive)} periods still cost about the same; use a larger lotSize (fewer, larger lots) or an impact model whose marginal costs differ less across periods`,
    );
  } else {
    const vals = new Float64Array(gap);
    let c = 0;
    for (let j = 0; j < nActive; j++) {
      const i = active[j];
      const top = nhi[i];
      for (let k = nlo[i] + 1; k <= top; k++) {
        let v: number;
        if (k === nlo[i] + 1 && lowNext[i] === lowNext[i]) v = lowNext[i];
        else if (k === top && highTop[i] === highTop[i]) v = highTop[i];
        else v = grid.marginal(i, k);
        vals[c++] = v === v ? v : Infinity;
      }
    }
    const v = kthSmallest(Float64Array.from(vals), gap, R - 1);
    c = 0;
    for (let j = 0; j < nActive; j++) {
      const i = active[j];
      const len = nhi[i] - nlo[i];
      for (let t = 0; t < len; t++) {
        const x = vals[c++];
        if (x < v) {
          base[i]++;
          rest--;
        } else if (x === v) avail[i]++;
      }
    }
  }
  return placeTied(bracket, base, avail, rest, shouldCancel);
}

/** Place the r lots left among the tied increments avail (per period) on top of base. */
function placeTied(
  bracket: Bracket,
  base: Float64Array,
  avail: Float64Array,
  r: number,
  shouldCancel: (() => boolean) | undefined,
): ConvexSolution {
  const ties = placeTiedLots(bracket.M, base, avail, r, shouldCancel);
  return done(bracket, base, ties, ties === 'none' ? 0 : r);
}

/**
 * Add to base the r lots of an order of M lots left among the tied increments avail (per
 * period): all of them when every one is needed or they sit in one period, else by the exact
 * tie-break (evenly past its work bound). Says which. Also the cost curve's (costCurveConvex.ts).
 */
export function placeTiedLots(
  M: number,
  base: Float64Array,
  avail: Float64Array,
  r: number,
  shouldCancel: (() => boolean) | undefined,
): ConvexSolution['ties'] {
  const n = base.length;
  let total = 0;
  let periods = 0;
  for (let i = 0; i < n; i++) {
    if (avail[i] > 0) {
      total += avail[i];
      periods++;
    }
  }
  if (r <= 0) return 'none';
  if (r >= total || periods === 1) {
    // No choice: every tied increment is needed, or they all sit in one period.
    for (let i = 0; i < n; i++) if (avail[i] > 0) base[i] += Math.min(avail[i], r);
    return 'none';
  }
  const tiePeriods = new Int32Array(periods);
  const tieAvail = new Float64Array(periods);
  let t = 0;
  for (let i = 0; i < n; i++) {
    if (avail[i] > 0) {
      tiePeriods[t] = i;
      tieAvail[t++] = avail[i];
    }
  }
  const y = placeTies(M, base, tiePeriods, tieAvail, r, shouldCancel);
  if (y === null) {
    addEvenly(base, avail, r);
    return 'even';
  }
  for (let q = 0; q < periods; q++) base[tiePeriods[q]] += y[q];
  return 'exact';
}

/** The (r+1)-th smallest of a[0..len) (reorders a): three-way quickselect. */
function kthSmallest(a: Float64Array, len: number, r: number): number {
  selectIn(a, 0, len - 1, r);
  return a[r];
}

/**
 * Rearrange a[lo..hi] (three-way quickselect) so that a[r] holds its rank-r value, everything
 * left of the returned `lt` is smaller, a[lt..gt] equals it and everything right of `gt` is
 * larger. Also the cost curve's selection of many ranks (costCurveConvex.ts).
 */
export function selectIn(a: Float64Array, lo: number, hi: number, r: number): [number, number] {
  for (let round = 0; ; round++) {
    if (lo >= hi) return [r, r];
    if (round > 64) {
      // A run of bad pivots: sort what is left, then find the run of a[r]'s value.
      a.subarray(lo, hi + 1).sort();
      let l = r;
      let g = r;
      while (l > lo && a[l - 1] === a[r]) l--;
      while (g < hi && a[g + 1] === a[r]) g++;
      return [l, g];
    }
    const x = a[lo];
    const y = a[(lo + hi) >>> 1];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = a[i];
      if (v < pivot) {
        a[i] = a[lt];
        a[lt] = v;
        lt++;
        i++;
      } else if (v > pivot) {
        a[i] = a[gt];
        a[gt] = v;
        gt--;
      } else i++;
    }
    if (r < lt) hi = lt - 1;
    else if (r > gt) lo = gt + 1;
    else return [lt, gt];
  }
}
