/** Robust building blocks: median, trimmed mean, smoothing, shrinkage, per-period profiles. */
import { SHRINK_DAYS } from './types';

const TRIM = 0.2;

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
