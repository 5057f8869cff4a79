/**
 * Model evaluators on flat typed arrays, converted once from the plan: power laws (linear,
 * power, calibrated), piecewise-linear tables and order-book ladders.
 */
import type { PowerLaw } from './grid';

export interface ModelEval {
  /** g_i(kq)·kq for k ≥ 1 (no fee, k within the model's limit). */
  cost(i: number, k: number): number;
  /** cost(i, k) − cost(i, k − 1) for k ≥ 2. */
  marginal(i: number, k: number): number;
  impactCost(i: number, x: number): number;
  impact(i: number, x: number): number;
  /** out[k] = cost(i, k) for k = 1..kMax. */
  fill(i: number, out: Float64Array, kMax: number): void;
  /** A guess at #{k ≥ 1 : marginal(i, k) ≤ λ} ignoring the fee and caps (see ImpactGrid). */
  inverse(i: number, lambda: number): number;
}

/**
 * g = l_i + b_i·x^α, c = l_i·q·k + b_i·q^(α+1)·k^(α+1): linear (α = 1) and power impact (l = the
 * power model's intercept, b = β·p_i), and the calibrated model (l = fee + s_t/2,
 * b = η·σ·p_t/V_t^β, α = β).
 */
export class PowerEval implements ModelEval {
  private readonly coef: Float64Array; // b_i·q^(α+1)
  private readonly a: number; // α + 1
  /** l_i·q: the cost of one lot at l_i per share (null: no per-share term). */
  private readonly lin: Float64Array | null;

  constructor(
    q: number,
    private readonly gcoef: Float64Array,
    private readonly alpha: number,
    private readonly perShare: Float64Array | null,
  ) {
    const n = gcoef.length;
    this.a = alpha + 1;
    this.coef = new Float64Array(n);
    const qa = Math.pow(q, this.a);
    for (let i = 0; i < n; i++) this.coef[i] = gcoef[i] * qa;
    this.lin = perShare ? perShare.map((l) => l * q) : null;
  }
  cost(i: number, k: number): number {
    const c = this.a === 2 ? this.coef[i] * k * k : this.coef[i] * Math.pow(k, this.a);
    return this.lin ? this.lin[i] * k + c : c;
  }
  marginal(i: number, k: number): number {
    let d: number;
    if (this.a === 2) d = this.coef[i] * (2 * k - 1);
    // k^a − (k−1)^a = k^a·(1 − (1 − 1/k)^a), without cancellation for large k.
    else d = this.coef[i] * Math.pow(k, this.a) * -Math.expm1(this.a * Math.log1p(-1 / k));
    return this.lin ? this.lin[i] + d : d;
  }
  impactCost(i: number, x: number): number {
    const c = this.gcoef[i] * Math.pow(x, this.a);
    return this.perShare ? this.perShare[i] * x + c : c;
  }
  impact(i: number, x: number): number {
    const g = this.gcoef[i] * Math.pow(x, this.alpha);
    return this.perShare ? this.perShare[i] + g : g;
  }
  fill(i: number, out: Float64Array, kMax: number): void {
    const c = this.coef[i];
    const a = this.a;
    // The square-root law (a = 1.5) and linear impact (a = 2) without pow(): the DP engine
    // fills every period's row, and pow() was a fifth of its time.
    if (a === 1.5) for (let k = 1; k <= kMax; k++) out[k] = c * k * Math.sqrt(k);
    else if (a === 2) for (let k = 1; k <= kMax; k++) out[k] = c * k * k;
    else for (let k = 1; k <= kMax; k++) out[k] = c * Math.pow(k, a);
    if (this.lin) {
      const l = this.lin[i];
      for (let k = 1; k <= kMax; k++) out[k] += l * k;
    }
  }
  /**
   * d(k) = l + coef·(k^a − (k−1)^a) = l + a·coef·ξ^(a−1) for some ξ in (k−1, k), ξ ≈ k − 1/2:
   * so d(k) ≤ λ about when k ≤ ((λ − l)/(a·coef))^(1/α) + 1/2 (linear: exactly
   * k ≤ ((λ − l)/coef + 1)/2).
   */
  inverse(i: number, lambda: number): number {
    const c = this.coef[i];
    const mu = this.lin ? lambda - this.lin[i] : lambda;
    if (!(mu > 0)) return mu === 0 && c === 0 ? Infinity : 0;
    if (c === 0) return Infinity;
    if (this.a === 2) return (mu / c + 1) / 2;
    return Math.pow(mu / (this.a * c), 1 / this.alpha) + 0.5;
  }
  /** The pure power law, or null when a per-share term comes on top (see ImpactGrid). */
  form(): PowerLaw | null {
    return this.lin ? null : { exponent: this.a, coef: this.coef };
  }
}

/**
 * Piecewise-linear g through each period's points; flat (= first value) below the first point,
 * not allowed beyond the last (reported flat there for infeasible baselines).
 */
export class TableEval implements ModelEval {
  private readonly start: Int32Array; // period i's points are [start[i], start[i+1])
  private readonly xs: Float64Array;
  private readonly gs: Float64Array;

  constructor(
    n: number,
    private readonly q: number,
    curves: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
  ) {
    this.start = new Int32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) {
      this.start[i] = total;
      total += curves[i].length;
    }
    this.start[n] = total;
    this.xs = new Float64Array(total);
    this.gs = new Float64Array(total);
    for (let i = 0; i < n; i++) {
      const c = curves[i];
      for (let j = 0; j < c.length; j++) {
        this.xs[this.start[i] + j] = c[j][0];
        this.gs[this.start[i] + j] = c[j][1];
      }
    }
  }
  lastX(i: number): number {
    return this.xs[this.start[i + 1] - 1];
  }
  /** Index p of the piece holding x: −1 below the first point, else xs[p] ≤ x (≤ xs[p+1]). */
  private piece(i: number, x: number): number {
    let lo = this.start[i];
    let hi = this.start[i + 1] - 1;
    if (x < this.xs[lo]) return -1;
    if (x >= this.xs[hi]) return hi;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.xs[mid] <= x) lo = mid;
      else hi = mid;
    }
    return lo;
  }
  /** g on piece p at x (flat below the first point and beyond the last). */
  private gOn(i: number, p: number, x: number): number {
    if (p < 0) return this.gs[this.start[i]];
    if (p >= this.start[i + 1] - 1) return this.gs[p];
    const x0 = this.xs[p];
    const t = (x - x0) / (this.xs[p + 1] - x0);
    return this.gs[p] + t * (this.gs[p + 1] - this.gs[p]);
  }
  impact(i: number, x: number): number {
    return this.gOn(i, this.piece(i, x), x);
  }
  impactCost(i: number, x: number): number {
    return this.impact(i, x) * x;
  }
  cost(i: number, k: number): number {
    const x = k * this.q;
    return this.impact(i, x) * x;
  }
  marginal(i: number, k: number): number {
    const x2 = k * this.q;
    const x1 = x2 - this.q;
    const p = this.piece(i, x1);
    const last = this.start[i + 1] - 1;
    // Same piece: c(x2) − c(x1) = (x2 − x1)·(a + b·(x1 + x2)), exact ties on flat pieces.
    if (p < 0 && x2 <= this.xs[this.start[i]]) return this.q * this.gs[this.start[i]];
    if (p >= 0 && p < last && x2 <= this.xs[p + 1]) {
      const b = (this.gs[p + 1] - this.gs[p]) / (this.xs[p + 1] - this.xs[p]);
      const a = this.gs[p] - b * this.xs[p];
      return this.q * (a + b * (x1 + x2));
    }
    return this.impactCost(i, x2) - this.impactCost(i, x1);
  }
  fill(i: number, out: Float64Array, kMax: number): void {
    // Walk the pieces once instead of a binary search per k.
    const first = this.start[i];
    const last = this.start[i + 1] - 1;
    let p = first - 1;
    for (let k = 1; k <= kMax; k++) {
      const x = k * this.q;
      while (p < last && this.xs[p + 1] <= x) p++;
      out[k] = this.gOn(i, p < first ? -1 : p, x) * x;
    }
  }
  /**
   * With g = a_j + b_j·x on piece j, c'(x) = a_j + 2·b_j·x, and lot k's marginal is
   * q·c'((k − 1/2)·q) inside a piece: find where c' crosses λ/q (c' nondecreasing when c is
   * convex; a binary search over the pieces' left ends), then k ≈ x/q + 1/2.
   */
  inverse(i: number, lambda: number): number {
    const q = this.q;
    const mu = lambda / q;
    const first = this.start[i];
    const last = this.start[i + 1] - 1;
    const xs = this.xs;
    const gs = this.gs;
    if (!(mu >= gs[first])) return 0.5; // below the flat start: not even the first lot
    if (first === last) return xs[first] / q + 0.5; // one point: flat up to it
    // c' at the left end of piece j (first ≤ j < last) is g_j + b_j·x_j.
    let lo = first;
    let hi = last;
    while (hi - lo > 0) {
      const j = (lo + hi) >> 1;
      const b = (gs[j + 1] - gs[j]) / (xs[j + 1] - xs[j]);
      if (gs[j] + b * xs[j] <= mu) lo = j + 1;
      else hi = j;
    }
    // Pieces first..lo−1 start at or below mu; none when lo = first (flat start up to x_first).
    if (lo === first) return xs[first] / q + 0.5;
    const j = lo - 1;
    const b = (gs[j + 1] - gs[j]) / (xs[j + 1] - xs[j]);
    const a = gs[j] - b * xs[j];
    let x = b > 0 ? (mu - a) / (2 * b) : xs[j + 1];
    if (!(x <= xs[j + 1])) x = xs[j + 1];
    if (x < xs[j]) x = xs[j];
    return x / q + 0.5;
  }
}

/** c(x) = sum of the offsets of the cheapest x shares of the period's ladder. */
export class BookEval implements ModelEval {
  private readonly start: Int32Array;
  private readonly off: Float64Array; // sorted offsets (levels with size > 0)
  private readonly cumSize: Float64Array; // shares before level j (within the period)
  private readonly cumCost: Float64Array; // cost of those shares

  constructor(
    n: number,
    private readonly q: number,
    ladders: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
  ) {
    this.start = new Int32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) {
      this.start[i] = total;
      for (const [, size] of ladders[i]) if (size > 0) total++;
    }
    this.start[n] = total;
    // One extra slot per period would complicate indexing; keep cum arrays of length total+n.
    this.off = new Float64Array(total);
    this.cumSize = new Float64Array(total + n);
    this.cumCost = new Float64Array(total + n);
    for (let i = 0; i < n; i++) {
      const levels = ladders[i].filter((l) => l[1] > 0).sort((u, v) => u[0] - v[0]);
      let s = 0;
      let c = 0;
      for (let j = 0; j < levels.length; j++) {
        const at = this.start[i] + j;
        this.off[at] = levels[j][0];
        this.cumSize[at + i] = s;
        this.cumCost[at + i] = c;
        s += levels[j][1];
        c += levels[j][0] * levels[j][1];
      }
      this.cumSize[this.start[i + 1] + i] = s;
      this.cumCost[this.start[i + 1] + i] = c;
    }
  }
  depth(i: number): number {
    return this.cumSize[this.start[i + 1] + i];
  }
  /** Level j (global index) holding share x (cumSize[j] < x ≤ cumSize[j+1]), clamped to the last. */
  private level(i: number, x: number): number {
    let lo = this.start[i];
    let hi = this.start[i + 1] - 1;
    if (hi < lo) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.cumSize[mid + i] < x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  impactCost(i: number, x: number): number {
    const j = this.level(i, x);
    if (j < 0) return 0;
    return this.cumCost[j + i] + (x - this.cumSize[j + i]) * this.off[j];
  }
  impact(i: number, x: number): number {
    return this.impactCost(i, x) / x;
  }
  cost(i: number, k: number): number {
    return this.impactCost(i, k * this.q);
  }
  marginal(i: number, k: number): number {
    const x2 = k * this.q;
    const x1 = x2 - this.q;
    const j2 = this.level(i, x2);
    if (j2 < 0) return 0;
    if (this.cumSize[j2 + i] <= x1) return this.q * this.off[j2];
    const j1 = this.level(i, x1);
    const upper = this.cumSize[j1 + 1 + i];
    let c = (upper - x1) * this.off[j1];
    c += this.cumCost[j2 + i] - this.cumCost[j1 + 1 + i];
    return c + (x2 - this.cumSize[j2 + i]) * this.off[j2];
  }
  fill(i: number, out: Float64Array, kMax: number): void {
    for (let k = 1; k <= kMax; k++) out[k] = this.cost(i, k);
  }
  /** Whole lots inside the levels priced at most λ/q (a lot straddling two levels may count). */
  inverse(i: number, lambda: number): number {
    const mu = lambda / this.q;
    let lo = this.start[i];
    let hi = this.start[i + 1] - 1;
    if (hi < lo || !(this.off[lo] <= mu)) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.off[mid] <= mu) lo = mid;
      else hi = mid - 1;
    }
    return this.cumSize[lo + 1 + i] / this.q;
  }
}
