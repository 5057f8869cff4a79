/**
 * The grid view of a plan's cost model: per-period cost functions on the lot grid
 * (docs/architecture.md, "Impact models"; the grid: docs/solver.md), and the capacity the
 * caps allow.
 *
 * `buildImpactGrid(plan)` converts a plan once into flat typed arrays and answers, for period i
 * (0-based) and lot count k (x = k·q shares):
 *   - cost(i, k)      c_i(k) = g_i(kq)·kq + fee·[k > 0]   (Infinity where k is not allowed)
 *   - marginal(i, k)  c_i(k) − c_i(k−1), computed in a numerically stable way per model
 *   - impact(i, x)    g_i(x) for reporting
 * together with the per-period caps K_i (in lots). The feasibility check (feasibility.ts) is
 * O(N) and the convexity decision (convexity.ts) never walks the whole grid.
 */
import type { Plan } from '../plan';
import { BookEval, PowerEval, TableEval, type ModelEval } from './evaluators';
import { floorLots } from './lots';

export type ModelKind = 'linear' | 'power' | 'table' | 'book' | 'calibrated';

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

/** Largest total (in lots) the caps allow, and the M it must reach. O(N). */
export function capacity(grid: ImpactGrid): number {
  let total = 0;
  for (let i = 0; i < grid.n; i++) total += grid.caps[i];
  return total;
}
