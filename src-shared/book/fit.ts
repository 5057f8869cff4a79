/**
 * Power laws fitted to book-walk curves on a log-log scale: one curve, the pooled fit of a
 * day's periods (one exponent, one level per period), a side's ladders, and the R² on g
 * itself of a fit with an intercept.
 */
import type { PowerFit } from '../contract';
import type { Ladder } from './types';
import { walkCurve } from './walk';

/** Points usable on a log-log scale (x > 0, g > 0), as [ln x, ln g]. */
function logPoints(points: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [x, g] of points) if (x > 0 && g > 0) out.push([Math.log(x), Math.log(g)]);
  return out;
}

/**
 * Least squares of ln g = ln β + α ln x through the points, with R² on the log scale.
 * Null when there are fewer than two points with distinct x (no slope to fit).
 */
export function fitPowerLaw(points: [number, number][]): PowerFit | null {
  const lp = logPoints(points);
  const n = lp.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (const [u, v] of lp) {
    mx += u;
    my += v;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [u, v] of lp) {
    sxx += (u - mx) * (u - mx);
    sxy += (u - mx) * (v - my);
    syy += (v - my) * (v - my);
  }
  if (!(sxx > 1e-12)) return null;
  const exponent = sxy / sxx;
  const intercept = my - exponent * mx;
  const sse = Math.max(0, syy - exponent * sxy);
  const r2 = syy > 1e-24 ? 1 - sse / syy : 1;
  return { beta: Math.exp(intercept), exponent, r2, points: n };
}

export interface PooledFit {
  /** Common exponent α; beta is the geometric mean of the per-period β_t. */
  pooled: PowerFit;
  /** β_t per period under the common α (null where the period has no curve). */
  betas: (number | null)[];
}

/**
 * Pooled fit over the day: ln g_{t,k} = ln β_t + α ln x_{t,k}, one α for all periods and
 * one intercept per period (fixed effects; α from the within-period deviations). R² is
 * 1 − SSE/SST with SST about the overall mean of ln g, so it credits both the common slope
 * and the per-period levels. Null when no period has two distinct x to give a slope.
 */
export function fitPooledPowerLaw(curves: [number, number][][]): PooledFit | null {
  const logs = curves.map(logPoints);
  let sxx = 0;
  let sxy = 0;
  let count = 0;
  let sumY = 0;
  const means = logs.map((lp) => {
    if (lp.length === 0) return null;
    let mx = 0;
    let my = 0;
    for (const [u, v] of lp) {
      mx += u;
      my += v;
    }
    mx /= lp.length;
    my /= lp.length;
    for (const [u, v] of lp) {
      sxx += (u - mx) * (u - mx);
      sxy += (u - mx) * (v - my);
      count++;
      sumY += v;
    }
    return [mx, my] as const;
  });
  if (!(sxx > 1e-12)) return null;
  const exponent = sxy / sxx;
  const meanY = sumY / count;
  let sse = 0;
  let sst = 0;
  let logBetaSum = 0;
  let fitted = 0;
  const betas = means.map((m, t) => {
    if (!m) return null;
    const a = m[1] - exponent * m[0];
    for (const [u, v] of logs[t]) {
      sse += (v - a - exponent * u) ** 2;
      sst += (v - meanY) ** 2;
    }
    logBetaSum += a;
    fitted++;
    return Math.exp(a);
  });
  const r2 = sst > 1e-24 ? 1 - sse / sst : 1;
  return { pooled: { beta: Math.exp(logBetaSum / fitted), exponent, r2, points: count }, betas };
}

export interface SideFit {
  pooled: PowerFit | null;
  perPeriod: (PowerFit | null)[];
  /** β_t under the pooled exponent (null where the period has no book). */
  betas: (number | null)[];
}

/** Per-period and pooled fits of the walk curves; with an intercept c, of g − c (points at
 *  or below c are left out, as a log cannot take them). */
export function fitLadders(ladders: Ladder[], intercept = 0): SideFit {
  const curves = ladders.map((l) =>
    intercept > 0
      ? walkCurve(l).map(([x, g]) => [x, g - intercept] as [number, number])
      : walkCurve(l),
  );
  const pooled = fitPooledPowerLaw(curves);
  return {
    pooled: pooled?.pooled ?? null,
    perPeriod: curves.map(fitPowerLaw),
    betas: pooled?.betas ?? ladders.map(() => null),
  };
}

/** R² on g itself of g = c + β_t·x^α over the walk-curve points. */
export function interceptR2(
  ladders: Ladder[],
  c: number,
  betas: (number | null)[],
  alpha: number,
): number {
  const pts: [number, number][] = [];
  ladders.forEach((l, t) => {
    const b = betas[t];
    if (b === null) return;
    for (const [x, g] of walkCurve(l)) pts.push([g, c + b * x ** alpha]);
  });
  if (pts.length === 0) return 0;
  const mean = pts.reduce((a, [g]) => a + g, 0) / pts.length;
  let sse = 0;
  let sst = 0;
  for (const [g, f] of pts) {
    sse += (g - f) ** 2;
    sst += (g - mean) ** 2;
  }
  return sst > 1e-24 ? 1 - sse / sst : 1;
}
