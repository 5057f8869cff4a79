/**
 * Calibration of the `calibrated` cost model from several imported days (docs/orderbook.md,
 * "Calibration"). Pure: no node:*, no DOM.
 *
 * Per share, period t:  g_t(x) = fee + ½·s_t + η·σ·p_t·(x / V_t)^β, plus the permanent part
 * ½·γ·σ·(S / V_day)·S of the whole order (schedule-independent). Each input is a robust
 * estimate over the days, never one sample per period:
 * - Inputs per day (from the import): V_t the continuous volume of each period (auction
 *   prints apart), s_t the quoted spread time-weighted over the period, the mids of the books
 *   in effect when the periods' child orders are sent, the auction volume.
 * - V_t, s_t: per period a trimmed mean over the days (the median with fewer than five),
 *   smoothed into an intraday profile by a centred moving average, then shrunk toward the
 *   day-wide value with weight D / (D + k) (k = SHRINK_DAYS): with one day the profile is
 *   mostly flat, with many it is mostly the days' own shape. The day-wide value is a trimmed
 *   mean for the spread, the plain mean per period for the volume (so V_day adds up).
 *   V_day (permanent term) = Σ V_t + the days' mean auction volume.
 * - σ: a two-scale estimator robust to bid–ask bounce. With mids observed with iid noise u,
 *   Var(m_{t+k} − m_t) = k·σ₁² + 2·Var(u) for every k ≥ 1, so the one-period variance σ₁²
 *   is (RV_k − RV_1) / (k − 1) (RV_j: the mean squared j-period change, pooled over the
 *   days), scaled to a day by the periods per day. The variance ratio RV_k / (k·RV_1) says
 *   how much bounce there was (1: none). Where the noise estimate comes out negative the
 *   k-period variance alone is used.
 * - p_t: the intraday multiplier of σ from k-period changes around each period, robust over
 *   the days, smoothed, shrunk toward 1 and scaled to mean square 1.
 * - η, β: fitted so the model's cost matches what walking the days' books cost: over the
 *   periods and days and a grid of sizes, the per-share walk cost minus ½·s_t is regressed
 *   on σ·p_t·(x / V_t)^β (least squares through the origin for η, β on a grid); with R² of
 *   the whole g below MIN_FIT_R2 (or no usable points) the published values are kept.
 */
import { walkCost, type Ladder } from './book';
import type { CalibratedParameter } from './plan';

/** The published parameters (Almgren, Thum, Hauptmann, Li 2005). */
export const PUBLISHED = { eta: 0.142, beta: 0.6, gamma: 0.314 } as const;

export type ParamSource = 'default' | 'fitted' | 'typed';

/**
 * The plan file's `calibrated` impact object (the agreed shape; the plan schema checks it).
 */
export interface CalibratedImpact {
  model: 'calibrated';
  /** σ: daily volatility of the price, $ per share per day. */
  sigma: number;
  /** s_t: typical quoted spread, $ — one number or N. */
  spread: number | number[];
  eta?: number;
  beta?: number;
  gamma?: number;
  /** p_t: N multipliers of σ, mean about 1. */
  volatilityProfile?: number[];
  /** V_day shares (default: the sum of the plan's volumeProfile). */
  dailyVolume?: number;
  feePerShare?: number;
  /** Provenance per parameter (the keys the plan schema allows). */
  sources?: Partial<Record<CalibratedParameter, ParamSource>>;
  calibration?: {
    days?: number;
    dates?: string[];
    sigmaEstimator?: string;
    varianceRatio?: number;
    r2?: number;
    notes?: string[];
  };
}

/** One day's per-period figures, as calibration needs them. */
export interface CalibrationDay {
  date: string;
  /** Mid of the book in effect when each period's child order is sent (null: no book). */
  mids: (number | null)[];
  /** Quoted spread of each period: time-weighted ask − bid over the part with a book. */
  spreads: (number | null)[];
  /** Shares traded in each period in continuous trading (null: unknown). */
  volumes: (number | null)[];
  /** Shares of the day's opening and closing auction prints (null or absent: unknown; 0:
   *  none, as in a clock window cut from inside a session). Never in `volumes`. */
  auctionVolume?: number | null;
  /**
   * The books an order would walk, one per period (cheapest level first, offsets from the
   * mid): the books in effect at the period starts where the import has them.
   */
  ladders: Ladder[];
}

export interface CalibrationOptions {
  periodMinutes: number;
  /** Periods per day N (every day must have N of each figure). */
  periods: number;
  /** The order size and lot, for the grid of sizes of the η fit. */
  shares: number;
  lotSize?: number;
  /** Steps of the two-scale σ estimator, in minutes (default 10). */
  sigmaStepMinutes?: number;
  /** Prior weight of the day-wide value, in days (default SHRINK_DAYS). */
  shrinkDays?: number;
  /** Half-width of the smoothing window, in minutes (default 7). */
  smoothMinutes?: number;
  feePerShare?: number;
}

export const SHRINK_DAYS = 2;
/** A fit of η explaining less of the walk costs than this keeps the published values. */
export const MIN_FIT_R2 = 0.2;
const TRIM = 0.2;

export interface Calibration {
  impact: CalibratedImpact;
  /** V_t: expected shares per period (the plan's volumeProfile). */
  volumeProfile: number[];
  /** σ per period (price units), for the plan's risk. */
  sigmaPerPeriod: number;
  /** Per-period σ from one-period mid changes (the bounce-inflated figure), for comparison. */
  naiveSigmaPerPeriod: number;
  varianceRatio: number;
  sigmaEstimator: string;
  fit: { eta: number; beta: number; r2: number; points: number; source: ParamSource };
  /** V_day in parts: Σ V_t (continuous trading) and the mean auction volume of a day
   *  (null: no day says). dailyVolume = continuous + (auctions ?? 0). */
  volume: { continuous: number; auctions: number | null };
  notes: string[];
}

// ---------------------------------------------------------------------------------------
// Robust building blocks

/** Median of the finite values (null when none). */
export function medianOf(values: readonly number[]): number | null {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/**
 * Robust centre of a few values: the mean after dropping ⌊trim·n⌋ values at each end with
 * five or more values, the median with fewer (null when none is finite).
 */
export function robustMean(values: readonly number[], trim = TRIM): number | null {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  if (v.length < 5) return medianOf(v);
  const cut = Math.floor(trim * v.length);
  const kept = v.slice(cut, v.length - cut);
  return kept.reduce((a, b) => a + b, 0) / kept.length;
}

/** Centred moving average of half-width h over the non-null values (null stays null only
 *  where the whole window is null). */
export function smooth(values: readonly (number | null)[], h: number): (number | null)[] {
  return values.map((_, t) => {
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, t - h); j <= Math.min(values.length - 1, t + h); j++) {
      const v = values[j];
      if (v !== null && Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    return n ? sum / n : null;
  });
}

/** w·profile + (1 − w)·dayWide with w = D / (D + k); null periods take the day-wide value. */
export function shrink(
  profile: readonly (number | null)[],
  dayWide: number,
  days: number,
  k = SHRINK_DAYS,
): number[] {
  const w = days / (days + k);
  return profile.map((v) => (v === null ? dayWide : w * v + (1 - w) * dayWide));
}

/** Per period: the robust centre over the days, smoothed, shrunk toward the day-wide value. */
export function periodProfile(
  byDay: readonly (readonly (number | null)[])[],
  opts: { h: number; shrinkDays?: number; dayWide?: number },
): { profile: number[]; dayWide: number } | null {
  const n = byDay[0]?.length ?? 0;
  const centre: (number | null)[] = [];
  const all: number[] = [];
  for (let t = 0; t < n; t++) {
    const vals: number[] = [];
    for (const d of byDay) {
      const v = d[t];
      if (v !== null && v !== undefined && Number.isFinite(v)) vals.push(v);
    }
    all.push(...vals);
    centre.push(robustMean(vals));
  }
  const dayWide = opts.dayWide ?? robustMean(all);
  if (dayWide === null) return null;
  return {
    profile: shrink(smooth(centre, opts.h), dayWide, byDay.length, opts.shrinkDays),
    dayWide,
  };
}

// ---------------------------------------------------------------------------------------
// σ robust to bid–ask bounce

export interface TwoScaleSigma {
  /** σ² per period, noise-corrected. */
  variance: number;
  /** Mean squared one-period change (inflated by bounce). */
  rv1: number;
  /** Mean squared k-period change. */
  rvk: number;
  k: number;
  /** rvk / (k·rv1): 1 without bounce, lower with it. */
  varianceRatio: number;
  changes: number;
  /** 'two-scale' normally; 'k-step' when the noise estimate came out negative. */
  method: 'two-scale' | 'k-step';
}

/** Mean squared j-step change pooled over the days (overlapping steps). */
function meanSquaredChange(days: readonly (readonly (number | null)[])[], j: number) {
  let sum = 0;
  let n = 0;
  for (const mids of days) {
    for (let t = j; t < mids.length; t++) {
      const a = mids[t - j];
      const b = mids[t];
      if (a !== null && b !== null && Number.isFinite(a) && Number.isFinite(b)) {
        sum += (b - a) ** 2;
        n++;
      }
    }
  }
  return { value: n ? sum / n : NaN, n };
}

/**
 * σ² per period from mids with bid–ask bounce: (RV_k − RV_1)/(k − 1), exact in expectation for
 * a random walk plus iid noise. Null with fewer than 10 one-period changes or none non-zero.
 */
export function twoScaleSigma(
  days: readonly (readonly (number | null)[])[],
  k: number,
): TwoScaleSigma | null {
  const one = meanSquaredChange(days, 1);
  if (one.n < 10 || !(one.value > 0)) return null;
  const kk = Math.max(2, Math.round(k));
  const many = meanSquaredChange(days, kk);
  if (!(many.n > 0) || !Number.isFinite(many.value)) return null;
  const corrected = (many.value - one.value) / (kk - 1);
  const useKStep = !(corrected > 0);
  const variance = useKStep ? many.value / kk : corrected;
  if (!(variance > 0)) return null;
  return {
    variance,
    rv1: one.value,
    rvk: many.value,
    k: kk,
    varianceRatio: many.value / (kk * one.value),
    changes: one.n,
    method: useKStep ? 'k-step' : 'two-scale',
  };
}

/** Why twoScaleSigma found no σ, in words for the user (it returned null). */
export function sigmaProblem(
  days: readonly (readonly (number | null)[])[],
  k: number,
  periodMinutes: number,
): string {
  const one = meanSquaredChange(days, 1);
  if (one.n < 10) {
    return `too few mid changes to estimate σ (${one.n}; at least 10 are needed)`;
  }
  if (!(one.value > 0)) return 'the mid never moves, so σ cannot be estimated';
  const many = meanSquaredChange(days, Math.max(2, Math.round(k)));
  if (many.n === 0) {
    return `the session is shorter than the ${k * periodMinutes}-minute changes σ is estimated from`;
  }
  return `the mid does not move over ${k * periodMinutes}-minute changes (it only moves back and forth), so σ cannot be estimated`;
}

// ---------------------------------------------------------------------------------------
// Power law with an intercept: g = c + b·x^α

export interface InterceptPowerFit {
  intercept: number;
  b: number;
  alpha: number;
  /** On g itself (not its log). */
  r2: number;
  points: number;
}

/**
 * Least squares of g = c + b·x^α with c fixed (the half-spread) or free: for each α on a
 * fine grid the rest is linear; the best α is refined by golden-section search. Null with
 * fewer than three points or no positive b.
 */
export function fitInterceptPowerLaw(
  points: readonly [number, number][],
  fixedIntercept?: number,
): InterceptPowerFit | null {
  const pts = points.filter(([x, g]) => x > 0 && Number.isFinite(g) && Number.isFinite(x));
  if (pts.length < 3) return null;
  const evalAlpha = (alpha: number) => {
    let sz = 0;
    let sy = 0;
    let szz = 0;
    let szy = 0;
    const n = pts.length;
    for (const [x, g] of pts) {
      const z = x ** alpha;
      sz += z;
      sy += g;
      szz += z * z;
      szy += z * g;
    }
    let b: number;
    let c: number;
    if (fixedIntercept !== undefined) {
      c = fixedIntercept;
      b = szz > 0 ? (szy - c * sz) / szz : 0;
    } else {
      const den = n * szz - sz * sz;
      b = den > 1e-300 ? (n * szy - sz * sy) / den : 0;
      c = (sy - b * sz) / n;
    }
    let sse = 0;
    for (const [x, g] of pts) sse += (g - c - b * x ** alpha) ** 2;
    return { b, c, sse };
  };
  let best = { alpha: NaN, sse: Infinity };
  for (let a = 0.05; a <= 3.0001; a += 0.05) {
    const r = evalAlpha(a);
    if (r.b > 0 && r.sse < best.sse) best = { alpha: a, sse: r.sse };
  }
  if (!Number.isFinite(best.sse)) return null;
  let lo = Math.max(0.01, best.alpha - 0.05);
  let hi = best.alpha + 0.05;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const a1 = hi - phi * (hi - lo);
    const a2 = lo + phi * (hi - lo);
    if (evalAlpha(a1).sse <= evalAlpha(a2).sse) hi = a2;
    else lo = a1;
  }
  const alpha = (lo + hi) / 2;
  const r = evalAlpha(alpha);
  if (!(r.b > 0)) return null;
  const mean = pts.reduce((a, [, g]) => a + g, 0) / pts.length;
  const sst = pts.reduce((a, [, g]) => a + (g - mean) ** 2, 0);
  return {
    intercept: r.c,
    b: r.b,
    alpha,
    r2: sst > 1e-24 ? 1 - r.sse / sst : 1,
    points: pts.length,
  };
}

// ---------------------------------------------------------------------------------------
// The calibrated model

/** g_t(x) per share of the calibrated model (temporary part, with the fee). */
export function calibratedImpactPerShare(
  im: CalibratedImpact,
  volumeProfile: readonly number[],
  t: number,
  x: number,
): number {
  if (!(x > 0)) return 0;
  const s = Array.isArray(im.spread) ? im.spread[t] : im.spread;
  const p = im.volatilityProfile?.[t] ?? 1;
  const v = volumeProfile[t];
  if (!(v > 0)) return Infinity;
  const eta = im.eta ?? PUBLISHED.eta;
  const beta = im.beta ?? PUBLISHED.beta;
  return (im.feePerShare ?? 0) + s / 2 + eta * im.sigma * p * (x / v) ** beta;
}

/** Σ_t x_t·g_t(x_t): the planned temporary cost of a schedule (price units × shares). */
export function calibratedScheduleCost(
  im: CalibratedImpact,
  volumeProfile: readonly number[],
  shares: readonly number[],
): number {
  let total = 0;
  for (let t = 0; t < shares.length; t++)
    if (shares[t] > 0)
      total += shares[t] * calibratedImpactPerShare(im, volumeProfile, t, shares[t]);
  return total;
}

/** The permanent part ½·γ·σ·(S / V_day)·S (dollars). */
export function calibratedPermanentCost(
  im: CalibratedImpact,
  volumeProfile: readonly number[],
  shares: number,
): number {
  const vDay = im.dailyVolume ?? volumeProfile.reduce((a, b) => a + b, 0);
  if (!(vDay > 0)) return 0;
  return 0.5 * (im.gamma ?? PUBLISHED.gamma) * im.sigma * (shares / vDay) * shares;
}

const round = (v: number, digits = 6) => Number(v.toPrecision(digits));

/** Geometric grid of sizes (whole lots) from one lot up to `top`. */
function sizeGrid(lot: number, top: number, count = 12): number[] {
  const out = new Set<number>();
  if (!(top >= lot)) return [];
  for (let i = 0; i < count; i++) {
    const x = lot * Math.max(1, Math.round((top / lot) ** (i / (count - 1))));
    out.add(x);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Calibrate the model from D ≥ 1 days on one period grid. Throws an Error naming the field
 * when the days are not usable (no volumes, no mids, lengths that do not match).
 */
export function calibrate(days: readonly CalibrationDay[], opts: CalibrationOptions): Calibration {
  const n = opts.periods;
  if (days.length === 0) throw new Error('days: at least one day is needed to calibrate');
  for (const d of days) {
    for (const [key, arr] of [
      ['mids', d.mids],
      ['spreads', d.spreads],
      ['volumes', d.volumes],
      ['ladders', d.ladders],
    ] as const) {
      if (arr.length !== n)
        throw new Error(`${key}: the day ${d.date} has ${arr.length} periods, expected ${n}`);
    }
  }
  const D = days.length;
  const pm = opts.periodMinutes;
  const h = Math.max(1, Math.round((opts.smoothMinutes ?? 7) / pm));
  const shrinkDays = opts.shrinkDays ?? SHRINK_DAYS;
  const lot = opts.lotSize ?? 1;
  const notes: string[] = [];

  // V_t
  // The day-wide volume is the plain mean per period (a total must add up: a trimmed mean
  // of minutes would drop the busiest ones); each period's value is still robust over days.
  const allVolumes = days.flatMap((d) =>
    d.volumes.filter((v): v is number => v !== null && Number.isFinite(v)),
  );
  const vol = periodProfile(
    days.map((d) => d.volumes),
    {
      h,
      shrinkDays,
      dayWide: allVolumes.length
        ? allVolumes.reduce((a, b) => a + b, 0) / allVolumes.length
        : undefined,
    },
  );
  if (!vol || !(vol.dayWide > 0)) {
    throw new Error(
      'volumes: the days have no traded volume (an action column with trades is needed)',
    );
  }
  const volumeProfile = vol.profile.map((v) => round(Math.max(0, v)));
  const continuousVolume = volumeProfile.reduce((a, b) => a + b, 0);
  // V_day of the permanent term is the whole day's volume, auction prints included (the
  // published γ is per share of the day's volume); the mean over the days that say, so a
  // total adds up. V_t stays continuous: no child order trades in an auction.
  const auctionDays = days.flatMap((d) =>
    d.auctionVolume !== undefined && d.auctionVolume !== null && Number.isFinite(d.auctionVolume)
      ? [d.auctionVolume]
      : [],
  );
  const auctions = auctionDays.length
    ? auctionDays.reduce((a, b) => a + b, 0) / auctionDays.length
    : null;
  const dailyVolume = continuousVolume + (auctions ?? 0);
  if (auctions !== null && auctions > 0) {
    notes.push(
      `V_day ${Math.round(dailyVolume).toLocaleString('en-US')} shares: ${Math.round(continuousVolume).toLocaleString('en-US')} in continuous trading (V_t) and ${Math.round(auctions).toLocaleString('en-US')} in the auction prints (mean of ${auctionDays.length} day(s)), which the permanent term counts and no period trades in.`,
    );
  }

  // s_t
  const spr = periodProfile(
    days.map((d) => d.spreads),
    { h, shrinkDays },
  );
  if (!spr) throw new Error('spreads: the days have no book with a spread');
  const spread = spr.profile.map((v) => round(Math.max(0, v)));

  // σ (per period → per day)
  const k = Math.max(2, Math.round((opts.sigmaStepMinutes ?? 10) / pm));
  const mids = days.map((d) => d.mids);
  const ts = twoScaleSigma(mids, k);
  if (!ts) throw new Error(`mids: ${sigmaProblem(mids, k, pm)}`);
  const sigmaPerPeriod = Math.sqrt(ts.variance);
  const sigma = sigmaPerPeriod * Math.sqrt(n);
  const sigmaEstimator =
    ts.method === 'two-scale'
      ? `two-scale: (RV of ${k * pm}-min changes − RV of ${pm}-min changes)/${k - 1}, pooled over ${D} day(s), scaled to a ${n * pm}-min day`
      : `${k * pm}-min mid changes (bounce correction negative), pooled over ${D} day(s), scaled to a ${n * pm}-min day`;

  // p_t: local k-step variance around each period, robust over days
  const half = Math.max(1, k >> 1);
  const localByDay = mids.map((m) =>
    m.map((_, t) => {
      const a = m[Math.max(0, t - half)];
      const b = m[Math.min(n - 1, t + half)];
      const span = Math.min(n - 1, t + half) - Math.max(0, t - half);
      return a !== null && b !== null && span > 0 ? (b - a) ** 2 / span : null;
    }),
  );
  const pv = periodProfile(localByDay, { h, shrinkDays });
  let volatilityProfile = new Array<number>(n).fill(1);
  if (pv && pv.dayWide > 0) {
    const rel = pv.profile.map((v) => Math.max(0, v / pv.dayWide));
    const meanSq = rel.reduce((a, b) => a + b, 0) / n;
    if (meanSq > 0) volatilityProfile = rel.map((v) => round(Math.sqrt(v / meanSq)));
  }

  // η, β from walking the days' books
  const fit = fitEta(days, {
    spread,
    sigma,
    volatilityProfile,
    volumeProfile,
    shares: opts.shares,
    lot,
  });
  if (fit.source === 'default') {
    notes.push(
      fit.points === 0
        ? 'No book could be walked to fit η; the published η and β are used.'
        : `The fit of η explains little of the walk costs (R² ${fit.r2.toFixed(3)} < ${MIN_FIT_R2}); the published η and β are used.`,
    );
  }

  const impact: CalibratedImpact = {
    model: 'calibrated',
    sigma: round(sigma),
    spread,
    eta: round(fit.eta),
    beta: round(fit.beta),
    gamma: PUBLISHED.gamma,
    volatilityProfile,
    dailyVolume: round(dailyVolume),
    ...(opts.feePerShare ? { feePerShare: opts.feePerShare } : {}),
    sources: {
      sigma: 'fitted',
      spread: 'fitted',
      volatilityProfile: 'fitted',
      dailyVolume: 'fitted',
      volumeProfile: 'fitted',
      eta: fit.source,
      beta: fit.source,
      gamma: 'default',
    },
    calibration: {
      days: D,
      dates: days.map((d) => d.date),
      sigmaEstimator,
      varianceRatio: round(ts.varianceRatio, 4),
      r2: round(fit.r2, 4),
      notes,
    },
  };
  return {
    impact,
    volumeProfile,
    sigmaPerPeriod,
    naiveSigmaPerPeriod: Math.sqrt(ts.rv1),
    varianceRatio: ts.varianceRatio,
    sigmaEstimator,
    fit,
    volume: { continuous: continuousVolume, auctions },
    notes,
  };
}

const BETA_GRID = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2];

/**
 * η (and β on a grid) from the walk costs of the days' books: per period t and size x (a
 * geometric grid from one lot to the order's size), the walk cost per share robust over the
 * days (those deep enough), y = that − ½·s_t against z = σ·p_t·(x/V_t)^β; η = Σyz/Σz².
 * R² is of g itself over those points.
 */
function fitEta(
  days: readonly CalibrationDay[],
  m: {
    spread: number[];
    sigma: number;
    volatilityProfile: number[];
    volumeProfile: number[];
    shares: number;
    lot: number;
  },
): Calibration['fit'] {
  // Per period and size, the robust mean over the days of the walk cost per share (a size
  // beyond a day's visible depth is left out for that day): the curve the model should match,
  // without the day-to-day noise of single books.
  const obs: { t: number; x: number; g: number }[] = [];
  const sizes = sizeGrid(m.lot, Math.max(m.lot, m.shares));
  for (let t = 0; t < m.volumeProfile.length; t++) {
    if (!(m.volumeProfile[t] > 0)) continue;
    for (const x of sizes) {
      const g: number[] = [];
      for (const d of days) {
        const ladder = d.ladders[t];
        if (!ladder || ladder.length === 0) continue;
        const c = walkCost(ladder, x);
        if (Number.isFinite(c)) g.push(c / x);
      }
      // At least half the days deep enough, so the mean is not of the deep books alone.
      if (g.length * 2 < days.length || g.length === 0) continue;
      obs.push({ t, x, g: robustMean(g)! });
    }
  }
  const fallback = (r2: number): Calibration['fit'] => ({
    eta: PUBLISHED.eta,
    beta: PUBLISHED.beta,
    r2,
    points: obs.length,
    source: 'default',
  });
  if (obs.length < 3 || !(m.sigma > 0)) return fallback(0);
  const meanG = obs.reduce((a, o) => a + o.g, 0) / obs.length;
  const sst = obs.reduce((a, o) => a + (o.g - meanG) ** 2, 0);
  let best: { eta: number; beta: number; sse: number } | null = null;
  for (const beta of BETA_GRID) {
    let szz = 0;
    let szy = 0;
    for (const o of obs) {
      const z = m.sigma * m.volatilityProfile[o.t] * (o.x / m.volumeProfile[o.t]) ** beta;
      const y = o.g - m.spread[o.t] / 2;
      szz += z * z;
      szy += z * y;
    }
    if (!(szz > 0)) continue;
    const eta = Math.max(0, szy / szz);
    let sse = 0;
    for (const o of obs) {
      const z = m.sigma * m.volatilityProfile[o.t] * (o.x / m.volumeProfile[o.t]) ** beta;
      sse += (o.g - m.spread[o.t] / 2 - eta * z) ** 2;
    }
    if (!best || sse < best.sse) best = { eta, beta, sse };
  }
  if (!best) return fallback(0);
  const r2 = sst > 1e-24 ? 1 - best.sse / sst : 1;
  if (!(best.eta > 0) || r2 < MIN_FIT_R2) return fallback(r2);
  return { eta: best.eta, beta: best.beta, r2, points: obs.length, source: 'fitted' };
}
