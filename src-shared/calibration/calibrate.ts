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

import { walkCost } from '../book/walk';
import { periodProfile, robustMean } from './robust';
import { sigmaProblem, twoScaleSigma } from './sigma';
import {
  MIN_FIT_R2,
  PUBLISHED,
  SHRINK_DAYS,
  type CalibratedImpact,
  type Calibration,
  type CalibrationDay,
  type CalibrationOptions,
} from './types';

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
