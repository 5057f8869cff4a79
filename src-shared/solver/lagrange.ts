/**
 * The Lagrange method's search for the multiplier λ (docs/solver.md): the optimum of convex
 * separable costs on the lot grid is the set of the M cheapest marginal increments
 * d_i(k) = c_i(k) − c_i(k−1) across periods, and λ is bracketed on the counting function
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
 * It ends with the bracket (or the optimum, when a probe's count is exactly M); convex.ts
 * takes the cheapest candidates left in it. No N·M table is ever built.
 */
import type { ImpactGrid } from '../impact';
import { PlannerError } from '../contract';
import { bisectDoubles, doublesBetween, nextDown } from './doubles';

/** Candidate increments at most this many (times the periods still open) are collected. */
const COLLECT_PER_PERIOD = 4;
const COLLECT_MIN = 512;
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

/**
 * Where the search stopped: the optimum when it settled it, else for every open period
 * (active[0..nActive)) the candidates (nlo_i, nhi_i] with d_i(nlo_i + 1) = lowNext_i and
 * d_i(nhi_i) = highTop_i when known (NaN otherwise); Σ nlo = sumLo, Σ nhi = sumHi. `collapsed`:
 * every candidate left costs the same.
 */
export interface Bracket {
  settled: Float64Array | null;
  iterations: number;
  collapsed: boolean;
  n: number;
  M: number;
  nlo: Float64Array;
  nhi: Float64Array;
  lowNext: Float64Array;
  highTop: Float64Array;
  active: Int32Array;
  nActive: number;
  sumLo: number;
  sumHi: number;
  lamLo: number;
  lamHi: number;
}

/**
 * Bracket state: for every period nlo_i ≤ nhi_i with d_i(nlo_i) ≤ λ_lo (or nlo_i = 0) and
 * d_i(nhi_i + 1) > λ_hi (or nhi_i = K_i); lowNext_i = d_i(nlo_i + 1) and highTop_i = d_i(nhi_i)
 * when known (NaN otherwise). Periods with nlo_i = nhi_i are settled and leave `active`.
 */
export class LagrangeSearch {
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

  /** Bracket λ until few candidates remain, they all tie, or the optimum is settled. */
  run(): Bracket {
    const { n, M, caps, nhi, active } = this;
    let sumCaps = 0;
    for (let i = 0; i < n; i++) {
      nhi[i] = caps[i];
      sumCaps += caps[i];
      if (caps[i] > 0) active[this.nActive++] = i;
    }
    if (sumCaps < M) throw new PlannerError('infeasible', 'caps cannot reach the order size');
    if (sumCaps === M) return this.bracket(Float64Array.from(caps));
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
        return this.bracket(lots);
      }
      this.update(mid, sum);
    }
    return this.bracket(null);
  }

  private bracket(settled: Float64Array | null): Bracket {
    const { n, M, nlo, nhi, lowNext, highTop, active, nActive, collapsed, iterations } = this;
    const { sumLo, sumHi, lamLo, lamHi } = this;
    return {
      settled,
      iterations,
      collapsed,
      n,
      M,
      nlo,
      nhi,
      lowNext,
      highTop,
      active,
      nActive,
      sumLo,
      sumHi,
      lamLo,
      lamHi,
    };
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
}
