/**
 * Pre-trade figures of a schedule, from the definitions (Almgren–Chriss on the grid):
 *   temporary impact Σ g_i(x_i)·x_i, fees, permanent impact γ·Σ_i x_i·Σ_{j<i} x_j
 *   = γ·(S² − Σ x_i²)/2 (a calibrated plan's own: ½·γ·σ·(S/V_day)·S, the same for every
 *   schedule), expected cost E = the three together, timing risk
 *   Var = Σ_{i<N} σ_i²·h_i² with h_i = S − Σ_{j≤i} x_j, objective E + λ·Var.
 * The same function serves the optimum and every baseline, so they compare like for like.
 */
import { periodVolatilities, type Plan } from '../plan';
import { calibratedPermanentCost, type ImpactGrid } from '../impact';
import type { ScheduleMetrics } from '../result';

/** One-sided 95% quantile of the normal distribution. */
export const Z95 = 1.645;

export function scheduleMetrics(
  plan: Plan,
  grid: ImpactGrid,
  shares: ArrayLike<number>,
  sigma: Float64Array = periodVolatilities(plan),
): ScheduleMetrics {
  const n = grid.n;
  const S = plan.shares;
  let temporary = 0;
  let fees = 0;
  let sumSq = 0;
  let variance = 0;
  let done = 0;
  let first: number | null = null;
  let last: number | null = null;
  for (let i = 0; i < n; i++) {
    const x = shares[i];
    if (x > 0) {
      temporary += grid.impactCost(i, x);
      fees += grid.fee;
      if (first === null) first = i + 1;
      last = i + 1;
    }
    sumSq += x * x;
    done += x;
    if (i + 1 < n) {
      const h = S - done;
      variance += sigma[i] * sigma[i] * h * h;
    }
  }
  const gamma = plan.permanentImpact ?? 0;
  const permanent = (gamma * (S * S - sumSq)) / 2 + calibratedPermanentCost(plan);
  const expected = temporary + permanent + fees;
  const sd = Math.sqrt(variance);
  const lambda = plan.risk?.aversion ?? 0;
  const ref = plan.referencePrice;
  const bps = (v: number) => (ref ? (v / (S * ref)) * 1e4 : null);
  const upper = expected + Z95 * sd;
  const volume = plan.volumeProfile;
  let windowVolume = 0;
  let dayVolume = 0;
  if (volume) {
    for (let i = 0; i < n; i++) {
      dayVolume += volume[i];
      if (first !== null && last !== null && i + 1 >= first && i + 1 <= last)
        windowVolume += volume[i];
    }
  }
  return {
    temporaryCost: temporary,
    permanentCost: permanent,
    fees,
    expectedCost: expected,
    timingRiskSd: sd,
    objective: expected + lambda * variance,
    upper95: upper,
    expectedCostBps: bps(expected),
    timingRiskSdBps: bps(sd),
    upper95Bps: bps(upper),
    centsPerShare: (expected / S) * 100,
    averagePrice: ref ? (plan.side === 'buy' ? ref + expected / S : ref - expected / S) : null,
    firstPeriod: first,
    lastPeriod: last,
    durationPeriods: first !== null && last !== null ? last - first + 1 : 0,
    participation: volume && windowVolume > 0 ? S / windowVolume : null,
    shareOfDayVolume: volume && dayVolume > 0 ? S / dayVolume : null,
  };
}

/**
 * The plan's own scale of λ: expected cost / variance of the naive (TWAP) schedule, the λ at
 * which its risk penalty equals its cost. Null without timing risk.
 */
export function riskScale(m: ScheduleMetrics): number | null {
  const v = m.timingRiskSd * m.timingRiskSd;
  return v > 0 && m.expectedCost > 0 && Number.isFinite(m.expectedCost / v)
    ? m.expectedCost / v
    : null;
}
