/** The calibrated model's costs: per share, of a schedule, and its permanent part. */
import { PUBLISHED, type CalibratedImpact } from './types';

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
