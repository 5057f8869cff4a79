/**
 * Exact solver for convex per-period costs (docs/solver.md): the optimum on the lot grid is the
 * set of the M cheapest marginal increments d_i(k) = c_i(k) − c_i(k−1) across periods.
 *
 * A Lagrange multiplier λ is bracketed on the counting function
 * n(λ) = Σ_i #{k ≤ K_i : d_i(k) ≤ λ}:
 *   - the first probe is the continuous KKT multiplier for power and linear costs (water-filling
 *     x_i = min(K_i, (λ/(a·coef_i))^(1/α)), Σ x_i = M), the average marginal at an even split
 *     for tables and books; the second a Newton step on the same model; then interpolation
 *     (secant, log–log across wide ranges) with bisection as the safeguard;
 *   - each period's count comes from the model's closed-form inverse of the marginal
 *     (ImpactGrid.marginalInverse; power and linear are exact or one off), corrected with
 *     marginal() evaluations (two when the guess is right, galloping otherwise), so every
 *     count is exact for the λ used: d_i(k) ≤ λ < d_i(k + 1);
 *   - every period remembers d_i at both ends of its bracket, so a probe touches only the
 *     periods whose bracket straddles it, and when every increment left in the bracket costs
 *     the same the search stops (ties).
 * Once few candidate increments remain they are collected and the R-th cheapest v selected
 * (quickselect). Increments below v are taken; those equal to v are tied, and the tie-break of
 * tiebreak.ts chooses among them exactly (placeTies below). No N·M table is ever built.
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

/** Candidate increments at most this many (times the periods still open) are collected. */
const COLLECT_PER_PERIOD = 4;
const COLLECT_MIN = 512;
/** Past the iteration bound the bracket is collected anyway up to this many candidates. */
const COLLECT_MAX = 4_000_000;
/**
 * Probes of λ at most. Once both ends of the bracket are finite, a bisection halves its width
 * counted in doubles (at most 2^64 of them, whatever the magnitudes: 1e−300 and 1e300 are as
 * close as 1 and 2 here), and one is forced whenever two probes in a row have not halved that
 * width, so 3 × 64 probes reach adjacent doubles, where the search stops; opening the
 * bracket takes at most 7 (the first probe and the Newton steps). The bound is therefore
 * never reached by a correct search; it keeps a wrong one from running on.
 */
export const MAX_ITERATIONS = 256;
/** shouldCancel is polled every this many periods inside a pass over them. */
const POLL_PERIODS = 1024;
/** Work bound (rows + runs moved) of the exact tie-break before it falls back to even spacing. */
export const MAX_TIE_WORK = 2e7;

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
  return new LagrangeSearch(grid, shouldCancel).run();
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
// The search for λ

/**
 * Bracket state: for every period nlo_i ≤ nhi_i with d_i(nlo_i) ≤ λ_lo (or nlo_i = 0) and
 * d_i(nhi_i + 1) > λ_hi (or nhi_i = K_i); lowNext_i = d_i(nlo_i + 1) and highTop_i = d_i(nhi_i)
 * when known (NaN otherwise). Periods with nlo_i = nhi_i are settled and leave `active`.
 */
class LagrangeSearch {
  private readonly n: number;
  private readonly M: number;
  private readonly caps: Float64Array;
  private readonly nlo: Float64Array;
  private readonly nhi: Float64Array;
  private readonly lowNext: Float64Array;
  private readonly highTop: Float64Array;
  private readonly cnt: Float64Array;
  private readonly cntLow: Float64Array;
  private readonly cntNext: Float64Array;
  private readonly active: Int32Array;
  private nActive = 0;
  /** Σ counts of the settled periods. */
  private fixedSum = 0;
  private lamLo = -Infinity;
  private lamHi = Infinity;
  private sumLo = 0;
  private sumHi = 0;
  /** All candidates left cost the same (or λ_lo, λ_hi are adjacent doubles). */
  private collapsed = false;
  private lastSide = 0;
  private sameSide = 0;
  private iterations = 0;
  /** Width of the bracket (in doubles) when it last halved, and probes since then. */
  private halvedAt = Infinity;
  private sinceHalved = 0;
  /** Power law: 1/(a·coef_i) (Infinity for zero impact) and p = 1/α. */
  private readonly invAC: Float64Array | null = null;
  private readonly p: number = 1;
  private newtonTries = 0;
  /** The last two probes (λ, count). */
  private lastMid = NaN;
  private lastSum = 0;
  private prevMid = NaN;
  private prevSum = 0;
  /** First probe (every period counted): λ and Σ of the continuous x_i below their caps. */
  private mid0 = NaN;
  private free0 = 0;
  /** Set by crossing(): d(k) when k > lo, d(k + 1) when k < hi (NaN otherwise). */
  private dk = NaN;
  private dk1 = NaN;

  constructor(
    private readonly grid: ImpactGrid,
    private readonly shouldCancel?: () => boolean,
  ) {
    const n = grid.n;
    this.n = n;
    this.M = grid.lots;
    this.caps = grid.caps;
    this.nlo = new Float64Array(n);
    this.nhi = new Float64Array(n);
    this.lowNext = new Float64Array(n).fill(NaN);
    this.highTop = new Float64Array(n).fill(NaN);
    this.cnt = new Float64Array(n);
    this.cntLow = new Float64Array(n);
    this.cntNext = new Float64Array(n);
    this.active = new Int32Array(n);
    const pl = grid.powerLaw;
    if (pl && pl.exponent > 1) {
      this.p = 1 / (pl.exponent - 1);
      const inv = new Float64Array(n);
      for (let i = 0; i < n; i++) inv[i] = 1 / (pl.exponent * pl.coef[i]); // 1/0 = Infinity
      this.invAC = inv;
    }
  }

  run(): ConvexSolution {
    const { n, M, caps, nhi, active } = this;
    let sumCaps = 0;
    for (let i = 0; i < n; i++) {
      nhi[i] = caps[i];
      sumCaps += caps[i];
      if (caps[i] > 0) active[this.nActive++] = i;
    }
    if (sumCaps < M) throw new PlannerError('infeasible', 'caps cannot reach the order size');
    if (sumCaps === M) return this.done(Float64Array.from(caps), 'none', 0);
    this.sumHi = sumCaps;

    while (!this.collapsed) {
      const gap = this.sumHi - this.sumLo;
      if (gap <= Math.max(COLLECT_MIN, COLLECT_PER_PERIOD * this.nActive)) break;
      if (this.iterations >= MAX_ITERATIONS) break;
      this.poll();
      const mid = this.nextProbe();
      if (this.collapsed) break;
      if (!(mid > this.lamLo && mid < this.lamHi)) {
        // λ_lo and λ_hi are adjacent doubles: every candidate costs λ_hi exactly.
        this.collapsed = true;
        break;
      }
      this.iterations++;
      const sum = this.pass(mid);
      if (sum === M) {
        // Every increment ≤ mid is taken and none above: the optimum is unique.
        const lots = Float64Array.from(this.nlo);
        for (let j = 0; j < this.nActive; j++) lots[active[j]] = this.cnt[active[j]];
        return this.done(lots, 'none', 0);
      }
      this.update(mid, sum);
    }
    return this.finish();
  }

  private done(lots: Float64Array, ties: ConvexSolution['ties'], tiedLots: number) {
    return { lots, ties, tiedLots, iterations: this.iterations };
  }

  private poll(): void {
    if (this.shouldCancel?.()) throw new PlannerError('cancelled', 'solve cancelled');
  }

  /** The next λ to probe; may set `collapsed` instead. */
  private nextProbe(): number {
    if (this.iterations === 0) {
      const g = this.invAC ? this.kktMultiplier() : this.evenSplitMarginal();
      if (Number.isFinite(g)) return g;
    }
    if (this.lamHi === Infinity) {
      const m = this.newton(1);
      if (m > this.lamLo && m < Infinity) return m;
      this.boundHigh();
      if (this.collapsed || this.lamHi === Infinity) return NaN;
    }
    if (this.lamLo === -Infinity) {
      const m = this.newton(-1);
      if (m > -Infinity && m < this.lamHi) return m;
      this.boundLow();
      if (this.collapsed || this.lamLo === -Infinity) return NaN;
    }
    const lo = this.lamLo;
    const hi = this.lamHi;
    const { M, sumLo, sumHi } = this;
    const width = doublesBetween(lo, hi);
    if (width <= this.halvedAt / 2) {
      this.halvedAt = width;
      this.sinceHalved = 0;
    }
    let mid = NaN;
    if (this.sameSide >= 2 || this.sinceHalved >= 2) {
      // One end keeps moving, or two probes did not halve the bracket: bisect it, counted
      // in doubles (the width halves whatever the magnitudes and signs of its ends).
      this.sinceHalved = 0;
      this.halvedAt = width;
      return bisectDoubles(lo, hi);
    }
    this.sinceHalved++;
    if (this.prevSum !== this.lastSum && this.prevMid === this.prevMid) {
      // Secant through the last two probes (superlinear where n(λ) is smooth).
      const { lastMid, lastSum, prevMid, prevSum } = this;
      mid = lastMid + ((M - lastSum) * (lastMid - prevMid)) / (lastSum - prevSum);
    }
    if (!(mid > lo && mid < hi)) {
      if (lo > 0 && hi > 4 * lo && sumLo > 0) {
        // n(λ) ≈ C·λ^p (exact for power laws): interpolate the ends in log–log.
        const t = Math.log(M / sumLo) / Math.log(sumHi / sumLo);
        mid = Math.exp(Math.log(lo) + t * Math.log(hi / lo));
      } else mid = lo + (hi - lo) * ((M - sumLo) / (sumHi - sumLo));
    }
    if (!(mid > lo && mid < hi)) mid = bisectDoubles(lo, hi);
    return mid;
  }

  /**
   * Continuous KKT multiplier of the power law with caps (water-filling): periods whose
   * x_i = (λ/(a·coef_i))^p reach K_i are fixed there, the rest share what is left.
   */
  private kktMultiplier(): number {
    const inv = this.invAC as Float64Array;
    const { n, caps, p } = this;
    const capped = new Uint8Array(n);
    let rest = this.M;
    let invMax = 0;
    for (let i = 0; i < n; i++) {
      if (caps[i] === 0) capped[i] = 1;
      else if (inv[i] === Infinity) {
        capped[i] = 1; // zero impact: takes its cap at any λ ≥ 0
        rest -= caps[i];
      } else if (inv[i] > invMax) invMax = inv[i];
    }
    if (rest <= 0 || invMax === 0) return 0;
    // x_i = share·w_i with w_i = (inv_i/invMax)^p ≤ 1 (no overflow), share = rest / Σ w.
    const w = new Float64Array(n);
    let W = 0;
    for (let i = 0; i < n; i++) {
      if (capped[i]) continue;
      const r = inv[i] / invMax;
      w[i] = p === 1 ? r : p === 2 ? r * r : Math.pow(r, p);
      W += w[i];
    }
    let share = rest / W;
    for (let round = 0; round < 16; round++) {
      let changed = false;
      for (let i = 0; i < n; i++) {
        if (!capped[i] && share * w[i] >= caps[i]) {
          capped[i] = 1;
          rest -= caps[i];
          W -= w[i];
          changed = true;
        }
      }
      if (!changed || rest <= 0 || !(W > 0)) break;
      share = rest / W;
    }
    if (!(share > 0) || !Number.isFinite(share)) return NaN;
    // share = (λ·invMax)^p  ⇒  λ = share^(1/p) / invMax.
    return Math.pow(share, 1 / p) / invMax;
  }

  /** The average marginal cost at an even split (tables, books). */
  private evenSplitMarginal(): number {
    const { grid, n, caps, M } = this;
    let probe = 0;
    let count = 0;
    const even = Math.ceil(M / n);
    for (let i = 0; i < n; i++) {
      if (caps[i] >= 1) {
        probe += grid.marginal(i, Math.min(caps[i], even));
        count++;
      }
    }
    return probe / count;
  }

  /**
   * Power law, one end still open: a Newton step on the continuous count from the last probe,
   * n(λ) ≈ fixed + F·(λ/λ_last)^p (F: the continuous total of the periods below their caps,
   * F = F_0·(λ_last/λ_0)^p from the first probe), aimed past M by about the rounding noise of
   * the lots that will change (doubled at each retry) so that it brackets.
   */
  private newton(dir: 1 | -1): number {
    if (!this.invAC || !(this.free0 > 0) || !(this.lastMid > 0) || this.newtonTries >= 6)
      return NaN;
    const F = this.free0 * Math.pow(this.lastMid / this.mid0, this.p);
    const margin = (2 + 2 * Math.sqrt(Math.abs(this.M - this.lastSum))) * 2 ** this.newtonTries;
    this.newtonTries++;
    const target = this.M + dir * margin;
    let ratio = (F + target - this.lastSum) / F;
    if (!(ratio > 1e-3)) ratio = 1e-3;
    const m = this.lastMid * Math.pow(ratio, 1 / this.p);
    return dir > 0
      ? Math.max(m, this.lastMid * (1 + 1e-15))
      : Math.min(m, this.lastMid * (1 - 1e-15));
  }

  /** λ_hi from the highest candidate: d_i(nhi_i) over the open periods. */
  private boundHigh(): void {
    const { grid, nhi, highTop, active } = this;
    let hi = -Infinity;
    for (let j = 0; j < this.nActive; j++) {
      const i = active[j];
      const v = grid.marginal(i, nhi[i]);
      highTop[i] = v;
      if (v > hi) hi = v;
    }
    if (hi === hi && hi < Infinity) this.lamHi = hi;
    this.tighten();
  }

  /** λ_lo just below the lowest candidate: d_i(nlo_i + 1) over the open periods. */
  private boundLow(): void {
    const { grid, nlo, lowNext, active } = this;
    let lo = Infinity;
    for (let j = 0; j < this.nActive; j++) {
      const i = active[j];
      const v = grid.marginal(i, nlo[i] + 1);
      lowNext[i] = v;
      if (v < lo) lo = v;
    }
    if (lo === lo && lo > -Infinity) this.lamLo = nextDown(lo);
    this.tighten();
  }

  /** Count at λ = mid over the open periods (settled ones add fixedSum); fills cnt. */
  private pass(mid: number): number {
    const { grid, nlo, nhi, lowNext, highTop, cnt, cntLow, cntNext, active, caps } = this;
    const inv = this.invAC;
    const p = this.p;
    let sum = this.fixedSum;
    let free = 0;
    for (let j = 0; j < this.nActive; j++) {
      if (j % POLL_PERIODS === POLL_PERIODS - 1) this.poll();
      const i = active[j];
      const lo = nlo[i];
      const hi = nhi[i];
      let k: number;
      const ln = lowNext[i];
      const ht = highTop[i];
      if (ln > mid) {
        k = lo;
        cntLow[i] = NaN;
        cntNext[i] = ln;
      } else if (ht <= mid) {
        k = hi;
        cntLow[i] = ht;
        cntNext[i] = NaN;
      } else {
        let guess: number;
        if (inv !== null) {
          const ia = inv[i];
          if (mid > 0) {
            const r = mid * ia;
            const t = p === 1 ? r : p === 2 ? r * r : Math.pow(r, p);
            guess = t + 0.5;
            if (t < caps[i]) free += t;
          } else guess = mid === 0 && ia === Infinity ? Infinity : 0;
        } else guess = grid.marginalInverse(i, mid);
        k = this.crossing(i, mid, lo, hi, guess);
        cntLow[i] = this.dk;
        cntNext[i] = this.dk1;
      }
      cnt[i] = k;
      sum += k;
    }
    this.prevMid = this.lastMid;
    this.prevSum = this.lastSum;
    this.lastMid = mid;
    this.lastSum = sum;
    if (this.iterations === 1) {
      this.mid0 = mid;
      this.free0 = free;
    }
    return sum;
  }

  /** Move one end of the bracket to mid, settle periods, tighten. */
  private update(mid: number, sum: number): void {
    const { nlo, nhi, lowNext, highTop, cnt, cntLow, cntNext, active } = this;
    const side = sum >= this.M ? 1 : -1;
    this.sameSide = side === this.lastSide ? this.sameSide + 1 : 0;
    this.lastSide = side;
    if (side > 0) {
      this.lamHi = mid;
      this.sumHi = sum;
      for (let j = 0; j < this.nActive; j++) {
        const i = active[j];
        nhi[i] = cnt[i];
        highTop[i] = cntLow[i];
      }
    } else {
      this.lamLo = mid;
      this.sumLo = sum;
      for (let j = 0; j < this.nActive; j++) {
        const i = active[j];
        nlo[i] = cnt[i];
        lowNext[i] = cntNext[i];
      }
    }
    this.tighten();
  }

  /**
   * Drop settled periods; when d at both ends of every open bracket is known, λ_lo rises to
   * just below the cheapest candidate and λ_hi falls to the dearest (the counts there are
   * unchanged), and equal ends mean that every candidate ties.
   */
  private tighten(): void {
    const { nlo, nhi, lowNext, highTop, active } = this;
    let w = 0;
    let cmin = Infinity;
    let cmax = -Infinity;
    let known = true;
    for (let j = 0; j < this.nActive; j++) {
      const i = active[j];
      if (nlo[i] < nhi[i]) {
        active[w++] = i;
        const a = lowNext[i];
        const b = highTop[i];
        if (a !== a || b !== b) known = false;
        else {
          if (a < cmin) cmin = a;
          if (b > cmax) cmax = b;
        }
      } else this.fixedSum += nlo[i];
    }
    this.nActive = w;
    if (!known || w === 0) return;
    if (cmin === cmax) {
      this.collapsed = true;
      return;
    }
    if (cmin > -Infinity) {
      const below = nextDown(cmin);
      if (below > this.lamLo) this.lamLo = below;
    }
    if (cmax < this.lamHi) this.lamHi = cmax;
  }

  /**
   * Exact crossing of period i at λ in [lo, hi]: k with d(k) ≤ λ (or k = lo) and d(k + 1) > λ
   * (or k = hi), from a guess (two marginal() calls when it is right, galloping otherwise).
   * Relies on the bracket: d(lo) ≤ λ when lo ≥ 1, d(hi + 1) > λ when hi < K.
   */
  private crossing(i: number, lambda: number, lo: number, hi: number, guess: number): number {
    const grid = this.grid;
    let a = lo; // d(a) ≤ λ (or a = lo)
    let b = hi; // d(b + 1) > λ (or b = hi)
    let da = NaN;
    let db = NaN;
    const k = guess >= hi ? hi : guess > lo ? Math.floor(guess) : lo;
    let up = true;
    if (k > lo) {
      const v = grid.marginal(i, k);
      if (v <= lambda) {
        a = k;
        da = v;
      } else {
        b = k - 1;
        db = v;
        up = false;
      }
    }
    let step = 1;
    if (up) {
      while (a < b) {
        const t = Math.min(b, a + step);
        const v = grid.marginal(i, t);
        if (v > lambda) {
          b = t - 1;
          db = v;
          break;
        }
        a = t;
        da = v;
        step *= 2;
      }
    } else {
      while (a < b) {
        const t = Math.max(a + 1, b + 1 - step);
        const v = grid.marginal(i, t);
        if (v <= lambda) {
          a = t;
          da = v;
          break;
        }
        b = t - 1;
        db = v;
        step *= 2;
      }
    }
    while (a < b) {
      const t = a + Math.ceil((b - a) / 2);
      const v = grid.marginal(i, t);
      if (v <= lambda) {
        a = t;
        da = v;
      } else {
        b = t - 1;
        db = v;
      }
    }
    this.dk = a > lo ? da : NaN;
    this.dk1 = a < hi ? db : NaN;
    return a;
  }

  /**
   * Take the R = M − Σ nlo cheapest candidates (nlo_i, nhi_i]: those below the R-th cheapest
   * value v, then R' of those equal to v by the tie-break.
   */
  private finish(): ConvexSolution {
    const { grid, n, M, nlo, nhi, lowNext, highTop, active, nActive } = this;
    const R = M - this.sumLo;
    const gap = this.sumHi - this.sumLo;
    const base = Float64Array.from(nlo);
    const avail = new Float64Array(n);
    let rest = R;
    if (this.collapsed) {
      // Every candidate costs the same (the bracket's ends met).
      for (let j = 0; j < nActive; j++) avail[active[j]] = nhi[active[j]] - nlo[active[j]];
    } else if (gap > COLLECT_MAX) {
      // Only after MAX_ITERATIONS probes (which a correct search never needs): refuse rather
      // than guess.
      throw new PlannerError(
        'too_large',
        `impact: the convex method could not settle the marginal cost of the last lot: after ${MAX_ITERATIONS} probes of λ between ${this.lamLo.toPrecision(6)} and ${this.lamHi.toPrecision(6)}, ${fmtInt(gap)} lots across ${fmtInt(nActive)} periods still cost about the same; use a larger lotSize (fewer, larger lots) or an impact model whose marginal costs differ less across periods`,
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
    return this.placeTied(base, avail, rest);
  }

  private placeTied(base: Float64Array, avail: Float64Array, r: number): ConvexSolution {
    const n = this.n;
    let total = 0;
    let periods = 0;
    for (let i = 0; i < n; i++) {
      if (avail[i] > 0) {
        total += avail[i];
        periods++;
      }
    }
    if (r <= 0) return this.done(base, 'none', 0);
    if (r >= total || periods === 1) {
      // No choice: every tied increment is needed, or they all sit in one period.
      for (let i = 0; i < n; i++) if (avail[i] > 0) base[i] += Math.min(avail[i], r);
      return this.done(base, 'none', 0);
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
    const y = placeTies(this.M, base, tiePeriods, tieAvail, r, this.shouldCancel);
    if (y === null) {
      addEvenly(base, avail, r);
      return this.done(base, 'even', r);
    }
    for (let q = 0; q < periods; q++) base[tiePeriods[q]] += y[q];
    return this.done(base, 'exact', r);
  }
}

// ---------------------------------------------------------------------------------------
// The exact tie-break

/**
 * Choose y_p ∈ [0, a_p] for the tie periods (0-based indices `periods`, ascending), Σ y_p = R,
 * minimising D = Σ_{i=1..N} (s_i − M·i/N)² with s_i = B_i + Y_i (B: cumulative `base`, Y:
 * cumulative y); among schedules of equal D the lexicographically largest (y_P, …, y_1), i.e.
 * more later. Returns null when the work exceeds MAX_TIE_WORK (caller spreads evenly).
 *
 * Dynamic programme over Y = lots placed among the ties so far, one row per tie period
 * (periods between two tie periods keep Y and fold their terms into the earlier one's):
 *   F_p(Y) = min_{Y − a_p ≤ Y' ≤ Y} F_{p−1}(Y') + Σ_{i in group p} (B_i + Y − M·i/N)².
 * Every row is convex, so the window minimum only inserts a run of a_p zero differences at
 * the row's smallest minimiser m, and the group's quadratic adds a linear function to the
 * differences. The differences are kept as arithmetic runs on two stacks either side of m
 * (the right one shifted lazily), so a row costs O(1) amortised plus the runs the minimiser
 * passes, never O(R); backtracking needs only m_p: Y_{p−1} = clamp(m_{p−1}, Y_p − a_p, Y_p),
 * the smallest choice among equal D.
 *
 * The differences are kept as N·(F(Y+1) − F(Y)) = Σ_i N·(2Y + 1) + 2·(N·B_i − M·i): integers,
 * so every comparison (the minimiser, equal D) is exact while the intermediates stay below
 * 2^53, i.e. about N·Σ_i |B_i − M·i/N| + 8·N²·R < 9·10^15 (N = 390: any M up to ~10^10;
 * N = 10^5: a base within ~10^5 lots of the even pace and R up to ~10^5). Beyond that they
 * are floating-point comparisons, like the DP engine's own sums of D.
 *
 * Work: one step per tie period plus one per run the minimiser passes (amortised O(1) in
 * practice, O(P²) at the very worst); past `maxWork` steps it gives up.
 */
export function placeTies(
  M: number,
  base: ArrayLike<number>,
  periods: Int32Array,
  avail: ArrayLike<number>,
  R: number,
  shouldCancel?: () => boolean,
  maxWork: number = MAX_TIE_WORK,
): Float64Array | null {
  const n = base.length;
  const P = periods.length;
  const y = new Float64Array(P);
  if (P === 0) return y;
  if (P === 1) {
    y[0] = R;
    return y;
  }
  // Linear functions α·Y + β added to the differences by groups 0..P−2 (the last group sits
  // at Y = R and those before the first tie at Y = 0: constants).
  const alpha = new Float64Array(P - 1);
  const beta = new Float64Array(P - 1);
  let B = 0;
  let g = -1;
  for (let i = 1; i <= n; i++) {
    B += base[i - 1];
    if (g + 1 < P && periods[g + 1] === i - 1) g++;
    if (g < 0 || g >= P - 1) continue;
    alpha[g] += 2 * n;
    beta[g] += n + 2 * (n * B - M * i);
  }
  const dp = new TieRows(R);
  const mArr = new Float64Array(P - 1);
  const hiArr = new Float64Array(P - 1);
  for (let q = 0; q < P - 1; q++) {
    if ((q & 4095) === 4095 && shouldCancel?.())
      throw new PlannerError('cancelled', 'solve cancelled');
    dp.boxMin(avail[q]);
    dp.add(alpha[q], beta[q]);
    mArr[q] = dp.root();
    hiArr[q] = dp.hi;
    if (++dp.work > maxWork) return null;
  }
  let Y = R;
  for (let q = P - 2; q >= 0; q--) {
    const lo = Math.max(0, Y - avail[q + 1]);
    const up = Math.min(Y, hiArr[q]);
    const Yq = Math.min(Math.max(mArr[q], lo), up);
    y[q + 1] = Y - Yq;
    Y = Yq;
  }
  y[0] = Y;
  return y;
}

/**
 * The differences δ(Y) = F(Y+1) − F(Y), Y = 0..hi−1, of a convex row as arithmetic runs
 * (start, length, value at start, step). Left stack: Y < cursor, absolute positions, lazy
 * aL·Y + bL. Right stack: Y ≥ cursor, positions relative to `off` (absolute = rel + off, so
 * inserting at the cursor shifts the whole stack at once), lazy aR·rel + bR; its bottom is
 * the far right end, trimmed when the domain is capped at R.
 */
class TieRows {
  hi = 0;
  work = 0;
  private cursor = 0;
  private off = 0;
  private aL = 0;
  private bL = 0;
  private aR = 0;
  private bR = 0;
  private Ls = new Float64Array(64);
  private Ll = new Float64Array(64);
  private Lv = new Float64Array(64);
  private Ld = new Float64Array(64);
  private nL = 0;
  private Rs = new Float64Array(64);
  private Rl = new Float64Array(64);
  private Rv = new Float64Array(64);
  private Rd = new Float64Array(64);
  private rHead = 0;
  private nR = 0;

  constructor(private readonly R: number) {}

  /** G(Y) = min over [Y − a, Y] of F: a zero run of length a at the cursor (the minimiser). */
  boxMin(a: number): void {
    this.off += a;
    this.hi = Math.min(this.hi + a, this.R);
    const hi = this.hi;
    // Trim the far right end to the domain [0, hi).
    while (this.nR > this.rHead) {
      const t = this.rHead;
      const s = this.Rs[t] + this.off;
      if (s >= hi) {
        this.rHead++;
        continue;
      }
      if (s + this.Rl[t] > hi) this.Rl[t] = hi - s;
      break;
    }
    const len = Math.min(a, hi - this.cursor);
    if (len > 0) this.pushR(this.cursor, len, 0, 0);
    if (this.off > this.R) this.rebase();
  }

  /** δ(Y) += α·Y + β on the whole row. */
  add(alpha: number, beta: number): void {
    this.aL += alpha;
    this.bL += beta;
    this.aR += alpha;
    this.bR += beta + alpha * this.off;
  }

  /** Move the cursor to the smallest Y with δ(Y) ≥ 0 (hi when none): the smallest minimiser. */
  root(): number {
    let moved = false;
    while (this.nL > 0) {
      const t = this.nL - 1;
      const s = this.Ls[t];
      const l = this.Ll[t];
      const D = this.Ld[t] + this.aL;
      const first = this.Lv[t] + this.aL * s + this.bL;
      const last = first + D * (l - 1);
      if (last < 0) break;
      moved = true;
      this.work++;
      if (first >= 0) {
        this.nL--;
        this.pushR(s, l, first, D);
        this.cursor = s;
        continue;
      }
      const j = firstNonNegative(first, D, l);
      this.Ll[t] = j;
      this.pushR(s + j, l - j, first + D * j, D);
      this.cursor = s + j;
      break;
    }
    if (!moved) {
      while (this.nR > this.rHead) {
        const t = this.nR - 1;
        const rs = this.Rs[t];
        const l = this.Rl[t];
        const s = rs + this.off;
        const first = this.Rv[t] + this.aR * rs + this.bR;
        if (first >= 0) break;
        this.work++;
        const D = this.Rd[t] + this.aR;
        const last = first + D * (l - 1);
        if (last < 0) {
          this.nR--;
          this.pushL(s, l, first, D);
          this.cursor = s + l;
          continue;
        }
        const j = firstNonNegative(first, D, l);
        this.pushL(s, j, first, D);
        this.Rs[t] = rs + j;
        this.Rl[t] = l - j;
        this.Rv[t] = first + D * j - this.aR * (rs + j) - this.bR;
        this.cursor = s + j;
        break;
      }
    }
    return this.cursor;
  }

  /** Push a run (absolute start s, actual first value and step) on the left stack. */
  private pushL(s: number, l: number, first: number, D: number): void {
    if (this.nL === this.Ls.length) {
      this.Ls = grow(this.Ls);
      this.Ll = grow(this.Ll);
      this.Lv = grow(this.Lv);
      this.Ld = grow(this.Ld);
    }
    const t = this.nL++;
    this.Ls[t] = s;
    this.Ll[t] = l;
    this.Lv[t] = first - this.aL * s - this.bL;
    this.Ld[t] = D - this.aL;
  }

  /** Push a run (absolute start s, actual first value and step) on top of the right stack. */
  private pushR(s: number, l: number, first: number, D: number): void {
    if (this.nR === this.Rs.length) {
      if (this.rHead > this.Rs.length / 2) {
        // Compact: the bottom was trimmed away.
        const h = this.rHead;
        this.Rs.copyWithin(0, h, this.nR);
        this.Rl.copyWithin(0, h, this.nR);
        this.Rv.copyWithin(0, h, this.nR);
        this.Rd.copyWithin(0, h, this.nR);
        this.nR -= h;
        this.rHead = 0;
      } else {
        this.Rs = grow(this.Rs);
        this.Rl = grow(this.Rl);
        this.Rv = grow(this.Rv);
        this.Rd = grow(this.Rd);
      }
    }
    const t = this.nR++;
    const rs = s - this.off;
    this.Rs[t] = rs;
    this.Rl[t] = l;
    this.Rv[t] = first - this.aR * rs - this.bR;
    this.Rd[t] = D - this.aR;
  }

  /** Re-origin the right stack (off = 0) so that magnitudes stay bounded by R. */
  private rebase(): void {
    const off = this.off;
    for (let t = this.rHead; t < this.nR; t++) this.Rs[t] += off;
    this.work += this.nR - this.rHead;
    this.bR -= this.aR * off;
    this.off = 0;
  }
}

/** Smallest j in [1, l − 1] with first + D·j ≥ 0, given first < 0 ≤ first + D·(l − 1). */
function firstNonNegative(first: number, D: number, l: number): number {
  let j = Math.ceil(-first / D);
  if (!(j >= 1)) j = 1;
  if (j > l - 1) j = l - 1;
  while (j > 1 && first + D * (j - 1) >= 0) j--;
  while (j < l - 1 && first + D * j < 0) j++;
  return j;
}

function grow(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

// ---------------------------------------------------------------------------------------
// Helpers

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const SIGN_BIT = 1n << 63n;
const MASK_64 = (1n << 64n) - 1n;

/** The largest double below x (finite x). */
function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  f64[0] = x;
  if (x > 0) u64[0] -= 1n;
  else u64[0] += 1n;
  return f64[0];
}

/**
 * Doubles in total order as unsigned 64-bit keys: the bits of x ≥ 0 with the sign bit set,
 * the complement of the bits of x < 0 (−0 and +0 are neighbours). Finite x.
 */
function orderKey(x: number): bigint {
  f64[0] = x;
  const u = u64[0];
  return u >= SIGN_BIT ? MASK_64 - u : u + SIGN_BIT;
}

function fromOrderKey(key: bigint): number {
  u64[0] = key >= SIGN_BIT ? key - SIGN_BIT : MASK_64 - key;
  return f64[0];
}

/** How many doubles lie between lo and hi (finite, lo ≤ hi), as a number. */
function doublesBetween(lo: number, hi: number): number {
  return Number(orderKey(hi) - orderKey(lo));
}

/**
 * The middle double of [lo, hi] (finite) counted in doubles: strictly inside when at least
 * one double lies between them, else lo (the ends are adjacent).
 */
function bisectDoubles(lo: number, hi: number): number {
  const a = orderKey(lo);
  const b = orderKey(hi);
  return fromOrderKey(a + (b - a) / 2n);
}

/** The (r+1)-th smallest of a[0..len) (reorders a): three-way quickselect. */
function kthSmallest(a: Float64Array, len: number, r: number): number {
  let lo = 0;
  let hi = len - 1;
  for (let round = 0; lo < hi; round++) {
    if (round > 64) {
      const sub = a.subarray(lo, hi + 1).sort();
      return sub[r - lo];
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
    else return pivot;
  }
  return a[lo];
}

/**
 * Add r lots in total to `counts`, at most avail[i] to period i, as evenly as possible: a
 * common level L for every period with room, the remainder spread at even spacing in time.
 * (The approximate tie-break, used only past MAX_TIE_WORK.)
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
