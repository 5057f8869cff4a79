/**
 * Per-period cost functions on the lot grid (docs/architecture.md, "Impact models"; the grid:
 * docs/solver.md).
 *
 * `buildImpactGrid(plan)` converts a plan once into flat typed arrays and answers, for period i
 * (0-based) and lot count k (x = k·q shares):
 *   - cost(i, k)      c_i(k) = g_i(kq)·kq + fee·[k > 0]   (Infinity where k is not allowed)
 *   - marginal(i, k)  c_i(k) − c_i(k−1), computed in a numerically stable way per model
 *   - impact(i, x)    g_i(x) for reporting
 * together with the per-period caps K_i (in lots), an O(N) feasibility check and an exact
 * convexity decision that never walks the whole grid.
 */
import type { Plan } from './plan';

export type ModelKind = 'linear' | 'power' | 'table' | 'book' | 'calibrated';

/** Relative tolerance for second differences computed from values (breakpoints, fees). */
const CONVEXITY_RTOL = 1e-12;

export interface Convexity {
  convex: boolean;
  /** Why, in words (shown to the user as the solver's reason). */
  reason: string;
}

export interface ImpactGrid {
  readonly kind: ModelKind;
  /** Number of periods N. */
  readonly n: number;
  /** Lot size q (shares). */
  readonly lot: number;
  /** Grid size M = S / q. */
  readonly lots: number;
  /** K_i: the most lots period i may trade (every limit, floored to lots, at most M). */
  readonly caps: Float64Array;
  /** The user's own caps only (maxPerPeriod, maxParticipation), in lots, at most M. */
  readonly planCaps: Float64Array;
  /** Model limits only (table's last point, book depth), in lots; Infinity when none. */
  readonly modelCaps: Float64Array;
  /** Fixed fee per non-empty child order (price units). */
  readonly fee: number;
  /** Smallest allowed non-zero order in lots (1 when there is no minimum). */
  readonly minLots: number;
  /** c_i(k) including the fee; Infinity when k > K_i or 0 < k < minLots. */
  cost(i: number, k: number): number;
  /** c_i(k) − c_i(k−1) for 1 ≤ k (ignores caps and the minimum; includes the fee at k = 1). */
  marginal(i: number, k: number): number;
  /** g_i(x) · x for x shares, no fee; beyond a model limit extrapolated flat (for reporting). */
  impactCost(i: number, x: number): number;
  /** c_i(k) including the fee, ignoring caps and the minimum (beyond a model limit: flat). */
  rawCost(i: number, k: number): number;
  /** g_i(x) in price units per share; 0 for x = 0. */
  impact(i: number, x: number): number;
  /** out[k] = cost(i, k) for k = 0..kMax (kMax ≤ K_i). */
  fillCosts(i: number, out: Float64Array, kMax: number): void;
  /**
   * A guess at #{k ≥ 1 : marginal(i, k) ≤ λ} (caps ignored; take its floor), from the model's
   * closed form: power and linear exact or one off, tables and books near. May be ±Infinity
   * (a zero-impact period takes everything at λ ≥ 0). Only a starting point: callers that need
   * the exact count check it with marginal() (solver/convex.ts does).
   */
  marginalInverse(i: number, lambda: number): number;
  /**
   * Power and linear models: c_i(k) = coef[i]·k^exponent before the fee (coef = β·p_i·q^(α+1),
   * 0 for a zero-impact period); null for tables and books, and for power laws with a cost per
   * share on top (a power model's intercept, the calibrated model's spread and fee per share),
   * whose marginals are inverted per period by marginalInverse. For closed-form multipliers;
   * do not modify the array.
   */
  readonly powerLaw: PowerLaw | null;
  /**
   * Set on grids whose costs were changed after the model (permanent impact subtracts γ·x²/2):
   * the DP engine then finds each period's convex runs from the values, as for tables.
   */
  readonly numericRuns?: boolean;
}

export interface PowerLaw {
  /** a = α + 1 (2 for linear). */
  readonly exponent: number;
  readonly coef: Float64Array;
}

/** Build the grid view of a validated plan. O(N + total table points + total ladder levels). */
export function buildImpactGrid(plan: Plan): ImpactGrid {
  const n = plan.periods;
  const q = plan.lotSize;
  const lots = plan.shares / q;
  const fee = plan.fixedFeePerOrder ?? 0;
  const minLots = Math.max(1, Math.ceil((plan.minOrderSize ?? 0) / q - 1e-9));
  const im = plan.impact;

  const planCaps = new Float64Array(n).fill(lots);
  const mpp = plan.maxPerPeriod;
  if (mpp !== undefined) {
    for (let i = 0; i < n; i++) {
      const capShares = typeof mpp === 'number' ? mpp : mpp[i];
      planCaps[i] = Math.min(planCaps[i], floorLots(capShares, q));
    }
  }
  if (plan.maxParticipation !== undefined && plan.volumeProfile) {
    for (let i = 0; i < n; i++) {
      planCaps[i] = Math.min(
        planCaps[i],
        floorLots(plan.maxParticipation * plan.volumeProfile[i], q),
      );
    }
  }

  const modelCaps = new Float64Array(n).fill(Infinity);
  let eval_: ModelEval;
  switch (im.model) {
    case 'linear':
    case 'power': {
      const alpha = im.model === 'linear' ? 1 : im.exponent;
      const g = new Float64Array(n);
      for (let i = 0; i < n; i++) g[i] = im.beta * (im.profile ? im.profile[i] : 1);
      const intercept = im.model === 'power' ? (im.intercept ?? 0) : 0;
      eval_ = new PowerEval(
        q,
        g,
        alpha,
        intercept > 0 ? new Float64Array(n).fill(intercept) : null,
      );
      break;
    }
    case 'calibrated': {
      // g_t(x) = fee + s_t/2 + η·σ·p_t·(x/V_t)^β: a power law in x plus a cost per share.
      const volume = plan.volumeProfile ?? [];
      const g = new Float64Array(n);
      const perShare = new Float64Array(n);
      let anyPerShare = false;
      for (let i = 0; i < n; i++) {
        const s = typeof im.spread === 'number' ? im.spread : im.spread[i];
        perShare[i] = (im.feePerShare ?? 0) + s / 2;
        if (perShare[i] > 0) anyPerShare = true;
        const v = volume[i] ?? 0;
        // No expected volume: the period cannot trade (the cap), and costs nothing beyond it.
        if (!(v > 0)) modelCaps[i] = 0;
        else
          g[i] =
            (im.eta * im.sigma * (im.volatilityProfile ? im.volatilityProfile[i] : 1)) /
            Math.pow(v, im.beta);
      }
      eval_ = new PowerEval(q, g, im.beta, anyPerShare ? perShare : null);
      break;
    }
    case 'table': {
      const t = new TableEval(n, q, im.curves);
      for (let i = 0; i < n; i++) modelCaps[i] = floorLots(t.lastX(i), q);
      eval_ = t;
      break;
    }
    case 'book': {
      const b = new BookEval(n, q, im.ladders);
      for (let i = 0; i < n; i++) modelCaps[i] = floorLots(b.depth(i), q);
      eval_ = b;
      break;
    }
  }

  const caps = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = Math.min(planCaps[i], modelCaps[i], lots);
    caps[i] = k < minLots ? 0 : k;
  }

  const ev = eval_;
  return {
    kind: im.model,
    powerLaw: ev instanceof PowerEval ? ev.form() : null,
    n,
    lot: q,
    lots,
    caps,
    planCaps,
    modelCaps,
    fee,
    minLots,
    cost(i, k) {
      if (k === 0) return 0;
      if (k > caps[i] || k < minLots) return Infinity;
      return ev.cost(i, k) + fee;
    },
    marginal(i, k) {
      return k === 1 ? ev.cost(i, 1) + fee : ev.marginal(i, k);
    },
    impactCost(i, x) {
      return x === 0 ? 0 : ev.impactCost(i, x);
    },
    rawCost(i, k) {
      return k === 0 ? 0 : ev.cost(i, k) + fee;
    },
    impact(i, x) {
      return x === 0 ? 0 : ev.impact(i, x);
    },
    fillCosts(i, out, kMax) {
      out[0] = 0;
      ev.fill(i, out, kMax);
      for (let k = 1; k <= kMax; k++) out[k] = k < minLots ? Infinity : out[k] + fee;
    },
    marginalInverse(i, lambda) {
      return ev.inverse(i, lambda);
    },
  };
}

/**
 * V_day of a calibrated plan: its dailyVolume, else the sum of the plan's volumeProfile (0 for
 * other models).
 */
export function calibratedDailyVolume(plan: Plan): number {
  const im = plan.impact;
  if (im.model !== 'calibrated') return 0;
  return im.dailyVolume ?? (plan.volumeProfile ?? []).reduce((a, v) => a + v, 0);
}

/**
 * The permanent impact of a calibrated plan (Almgren, Thum, Hauptmann, Li 2005): the price
 * moves by γ·σ·(X/V_day) over the order, which costs the order ½·γ·σ·(X/V_day)·X on average,
 * whatever the schedule (0 for other models, and when V_day is 0). `shares` defaults to the
 * whole order.
 */
export function calibratedPermanentCost(plan: Plan, shares: number = plan.shares): number {
  const im = plan.impact;
  if (im.model !== 'calibrated') return 0;
  const day = calibratedDailyVolume(plan);
  if (!(day > 0)) return 0;
  return 0.5 * im.gamma * im.sigma * (shares / day) * shares;
}

/** Largest total (in lots) the caps allow, and the M it must reach. O(N). */
export function capacity(grid: ImpactGrid): number {
  let total = 0;
  for (let i = 0; i < grid.n; i++) total += grid.caps[i];
  return total;
}

/**
 * Why the caps cannot reach S, naming the field(s) responsible, or null when Σ K_i ≥ M.
 * (With a minimum order size Σ K_i ≥ M is necessary, not sufficient; the DP finds the rest.)
 */
export function infeasibilityMessage(plan: Plan, grid: ImpactGrid): string | null {
  const { n, lots, lot } = grid;
  if (capacity(grid) >= lots) return null;
  const shares = (k: number) => fmtInt(k * lot);
  const want = `fewer than shares ${fmtInt(plan.shares)}`;
  const sumOf = (f: (i: number) => number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.min(lots, f(i));
    return s;
  };
  if (plan.maxPerPeriod !== undefined) {
    const mpp = plan.maxPerPeriod;
    const t = sumOf((i) => floorLots(typeof mpp === 'number' ? mpp : mpp[i], lot));
    if (t < lots) return `maxPerPeriod: caps allow at most ${shares(t)} shares, ${want}`;
  }
  if (plan.maxParticipation !== undefined && plan.volumeProfile) {
    const f = plan.maxParticipation;
    const v = plan.volumeProfile;
    const t = sumOf((i) => floorLots(f * v[i], lot));
    if (t < lots)
      return `maxParticipation: ${fmtPct(f)} of volumeProfile allows at most ${shares(t)} shares, ${want}`;
  }
  const model = sumOf((i) => grid.modelCaps[i]);
  if (model < lots) {
    if (plan.impact.model === 'calibrated')
      return `volumeProfile: every period has 0 expected volume, and the calibrated model cannot trade in a period without volume; ${want}`;
    return plan.impact.model === 'book'
      ? `impact.ladders: the books hold at most ${shares(model)} shares in whole lots, ${want}`
      : `impact.curves: the curves end at ${shares(model)} shares in total (in whole lots), ${want}`;
  }
  const noMin = sumOf((i) => Math.min(grid.planCaps[i], grid.modelCaps[i]));
  if (noMin >= lots && grid.minLots > 1) {
    return `minOrderSize: periods whose cap is below ${fmtInt(plan.minOrderSize ?? 0)} shares cannot trade; the rest allow at most ${shares(capacity(grid))} shares, ${want}`;
  }
  const fields = [
    plan.maxPerPeriod !== undefined ? 'maxPerPeriod' : '',
    plan.maxParticipation !== undefined ? 'maxParticipation' : '',
    plan.impact.model === 'book'
      ? 'impact.ladders'
      : plan.impact.model === 'table'
        ? 'impact.curves'
        : plan.impact.model === 'calibrated' && grid.modelCaps.some((c) => c === 0)
          ? 'volumeProfile'
          : '',
    grid.minLots > 1 ? 'minOrderSize' : '',
  ]
    .filter(Boolean)
    .join(' + ');
  return `${fields}: together the caps allow at most ${shares(capacity(grid))} shares, ${want}`;
}

/**
 * Exact convexity of every c_i on {0..K_i} (discrete second differences ≥ 0), decided from the
 * model's form: O(N) for linear/power/book, O(points) for tables, never O(M).
 */
export function decideConvexity(plan: Plan, grid: ImpactGrid): Convexity {
  const { n, caps, fee, minLots, lot } = grid;
  const im = plan.impact;
  let formReason: string;
  switch (im.model) {
    case 'linear':
      formReason = 'linear impact: c(x) = β·p·x² is convex';
      break;
    case 'power':
      formReason = `power-law impact: c(x) = ${im.intercept ? 'intercept·x + ' : ''}β·p·x^${1 + im.exponent} is convex (exponent > 0)`;
      break;
    case 'calibrated':
      formReason = `calibrated impact: c(x) = (fee + s/2)·x + η·σ·p·x^${1 + im.beta}/V^${im.beta} is convex (β > 0)`;
      break;
    case 'book':
      formReason = 'order-book impact: walking a ladder is convex';
      break;
    case 'table': {
      const bad = tableNonConvexAt(grid, im.curves);
      if (bad !== null) {
        return {
          convex: false,
          reason: `table curve of period ${bad.period + 1} bends down near ${fmtInt(bad.k * lot)} shares (non-convex)`,
        };
      }
      formReason = 'table curves are convex on the lot grid';
      break;
    }
  }
  if (minLots > 1) {
    for (let i = 0; i < n; i++) {
      if (caps[i] >= minLots) {
        return {
          convex: false,
          reason: `minOrderSize ${fmtInt(plan.minOrderSize ?? 0)} shares: orders are 0 or at least ${fmtInt(minLots * lot)} shares, a gap on the grid (non-convex)`,
        };
      }
    }
  }
  // The first difference carries the fee: convex iff d(2) ≥ d(1) wherever k = 2 is allowed.
  if (fee > 0) {
    for (let i = 0; i < n; i++) {
      if (caps[i] >= 2 && !nondecreasing(grid.marginal(i, 1), grid.marginal(i, 2))) {
        return {
          convex: false,
          reason: `fixedFeePerOrder ${fee} makes the first lot dearer than the second in period ${i + 1} (non-convex)`,
        };
      }
    }
  }
  return { convex: true, reason: fee > 0 ? `${formReason}, fee included` : formReason };
}

/**
 * First grid point where a table's cost is not convex, or null. On a piece [x_j, x_{j+1}] the
 * impact is g = a + b·x, so c = a·x + b·x² and every second difference inside the piece is
 * 2·b·q²: its sign is b's. Windows that straddle a point are checked from values.
 */
function tableNonConvexAt(
  grid: ImpactGrid,
  curves: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
): { period: number; k: number } | null {
  const q = grid.lot;
  for (let i = 0; i < grid.n; i++) {
    const K = grid.caps[i];
    if (K < 2) continue;
    const pts = curves[i];
    for (let j = 0; j + 1 < pts.length; j++) {
      const [x0, g0] = pts[j];
      const [x1, g1] = pts[j + 1];
      if (g1 < g0) {
        // A window [k−1, k+1]·q fully inside the piece (and inside the cap) shows b < 0.
        const k = Math.ceil(x0 / q) + 1;
        if (k + 1 <= K && (k + 1) * q <= x1) return { period: i, k };
      }
    }
    for (let j = 0; j < pts.length; j++) {
      const base = Math.floor(pts[j][0] / q);
      if (base - 1 > K) break;
      for (let k = Math.max(1, base - 1); k <= base + 2 && k + 1 <= K; k++) {
        if (!nondecreasing(grid.marginal(i, k), grid.marginal(i, k + 1))) return { period: i, k };
      }
    }
  }
  return null;
}

function nondecreasing(a: number, b: number): boolean {
  return b >= a || a - b <= CONVEXITY_RTOL * (Math.abs(a) + Math.abs(b));
}

// ---------------------------------------------------------------------------------------
// Model evaluators (flat typed arrays, converted once)

interface ModelEval {
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
class PowerEval implements ModelEval {
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
class TableEval implements ModelEval {
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
class BookEval implements ModelEval {
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

// ---------------------------------------------------------------------------------------
// Small helpers

/**
 * Floating-point noise floorLots forgives, relative to the shares: 64 units in the last place.
 * Shares are at most 1e13, so this is below 0.15 of a share: a real share is never forgiven.
 */
const LOT_NOISE = 64 * Number.EPSILON;

/**
 * Shares → whole lots, forgiving floating-point noise such as 0.29 × 100 = 28.999…996 (a
 * tolerance relative to the shares, not a fixed fraction of a lot: 1e−9 lot forgave a whole
 * share once a lot held more than 10^9 shares, and forgave nothing once the count of lots
 * passed ~10^7).
 */
export function floorLots(shares: number, lot: number): number {
  if (!(shares > 0)) return 0;
  let k = Math.floor(shares / lot);
  const slack = shares * LOT_NOISE;
  if ((k + 1) * lot - shares <= slack) k++;
  else if (k * lot - shares > slack) k--; // the quotient was rounded up to a whole number
  return Math.max(0, k);
}

export function fmtInt(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}

function fmtPct(f: number): string {
  return `${Math.round(f * 1e4) / 100}%`;
}
