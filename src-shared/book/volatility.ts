/** σ per period and its intraday profile from the mids at the period starts. */
import type { Volatility } from './types';

/**
 * σ per period from the mids at the period starts: the sample standard deviation of the
 * one-period changes m_t − m_{t−1} (both periods with a book), with an intraday profile from
 * a centred rolling window of ±h changes (h ≈ 15 minutes of periods, at least 5): σ_t² is the
 * mean squared deviation in the window (the day's variance where the window holds fewer than
 * 5 changes), then scaled so that the mean of σ_t²/σ² over the day is 1. Null with fewer than
 * 10 changes or none non-zero.
 */
export function midVolatility(mids: (number | null)[], periodMinutes = 1): Volatility | null {
  const n = mids.length;
  const change: (number | null)[] = new Array(n).fill(null);
  const d: number[] = [];
  for (let i = 1; i < n; i++) {
    const a = mids[i - 1];
    const b = mids[i];
    if (a !== null && b !== null) {
      change[i] = b - a;
      d.push(b - a);
    }
  }
  if (d.length < 10) return null;
  const mean = d.reduce((x, y) => x + y, 0) / d.length;
  const v = d.reduce((x, y) => x + (y - mean) ** 2, 0) / (d.length - 1);
  if (!(v > 0 && Number.isFinite(v))) return null;
  const h = Math.max(5, Math.round(15 / periodMinutes));
  // Prefix sums of squared deviations and counts, for O(N) windows.
  const sq = new Float64Array(n + 1);
  const cnt = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const c = change[i];
    sq[i + 1] = sq[i] + (c === null ? 0 : (c - mean) ** 2);
    cnt[i + 1] = cnt[i] + (c === null ? 0 : 1);
  }
  const local = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const lo = Math.max(0, t - h);
    const hi = Math.min(n, t + h + 1);
    const k = cnt[hi] - cnt[lo];
    local[t] = k >= 5 ? (sq[hi] - sq[lo]) / k : v;
  }
  const meanLocal = local.reduce((x, y) => x + y, 0) / n;
  const profile = Array.from(local, (x) =>
    meanLocal > 0 ? Number(Math.sqrt(x / meanLocal).toPrecision(12)) : 1,
  );
  return { value: Math.sqrt(v), changes: d.length, window: h, profile };
}
