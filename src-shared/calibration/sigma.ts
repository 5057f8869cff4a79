/** σ robust to bid–ask bounce: the two-scale estimator, and why it found none. */

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
