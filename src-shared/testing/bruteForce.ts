/**
 * Test-only reference: the plan's cost functions written straight from their definitions
 * (docs/architecture.md, "Impact models"; no shared code with impact/) and the naive
 * brute-force DP over every (period, total, lots) triple.
 * Small instances only.
 */
import type { Plan } from '../plan';

/** c_i(x) from the definitions, including the fee; Infinity where x is not allowed. */
export function referenceCost(plan: Plan, i: number, x: number): number {
  if (x === 0) return 0;
  if (x > referenceCapShares(plan, i)) return Infinity;
  if (plan.minOrderSize !== undefined && x < plan.minOrderSize) return Infinity;
  return referenceImpact(plan, i, x) * x + (plan.fixedFeePerOrder ?? 0);
}

/** g_i(x) from the definitions (x within the model's limits, x > 0). */
export function referenceImpact(plan: Plan, i: number, x: number): number {
  const im = plan.impact;
  switch (im.model) {
    case 'linear':
      return im.beta * (im.profile?.[i] ?? 1) * x;
    case 'power':
      return (im.intercept ?? 0) + im.beta * (im.profile?.[i] ?? 1) * Math.pow(x, im.exponent);
    case 'calibrated': {
      const spread = typeof im.spread === 'number' ? im.spread : im.spread[i];
      const v = plan.volumeProfile![i];
      const sigma = im.sigma * (im.volatilityProfile?.[i] ?? 1);
      return (im.feePerShare ?? 0) + spread / 2 + im.eta * sigma * Math.pow(x / v, im.beta);
    }
    case 'table': {
      const pts = im.curves[i];
      if (x <= pts[0][0]) return pts[0][1];
      for (let j = 1; j < pts.length; j++) {
        if (x <= pts[j][0]) {
          const [x0, g0] = pts[j - 1];
          const [x1, g1] = pts[j];
          return g0 + ((g1 - g0) * (x - x0)) / (x1 - x0);
        }
      }
      return pts[pts.length - 1][1];
    }
    case 'book': {
      const levels = [...im.ladders[i]].sort((a, b) => a[0] - b[0]);
      let left = x;
      let cost = 0;
      for (const [off, size] of levels) {
        const take = Math.min(left, size);
        cost += take * off;
        left -= take;
        if (left <= 0) break;
      }
      return cost / x;
    }
  }
}

/** Largest number of shares period i may trade (ignoring the lot grid). */
export function referenceCapShares(plan: Plan, i: number): number {
  let cap = plan.shares;
  const mpp = plan.maxPerPeriod;
  if (mpp !== undefined) cap = Math.min(cap, typeof mpp === 'number' ? mpp : mpp[i]);
  if (plan.maxParticipation !== undefined && plan.volumeProfile)
    cap = Math.min(cap, plan.maxParticipation * plan.volumeProfile[i] + 1e-9 * plan.lotSize);
  const im = plan.impact;
  if (im.model === 'calibrated' && !(plan.volumeProfile![i] > 0)) cap = 0;
  if (im.model === 'table') cap = Math.min(cap, im.curves[i][im.curves[i].length - 1][0]);
  if (im.model === 'book')
    cap = Math.min(
      cap,
      im.ladders[i].reduce((s, l) => s + l[1], 0),
    );
  return cap;
}

/** Brute-force DP over all totals and all lot counts: optimal cost (Infinity if infeasible). */
export function bruteForceOptimum(plan: Plan): { cost: number; lots: number[] } {
  const n = plan.periods;
  const q = plan.lotSize;
  const M = plan.shares / q;
  let prev = new Array<number>(M + 1).fill(Infinity);
  prev[0] = 0;
  const choice: number[][] = [];
  for (let i = 0; i < n; i++) {
    const cur = new Array<number>(M + 1).fill(Infinity);
    const arg = new Array<number>(M + 1).fill(0);
    for (let s = 0; s <= M; s++) {
      for (let k = 0; k <= s; k++) {
        const v = referenceCost(plan, i, k * q) + prev[s - k];
        if (v < cur[s]) {
          cur[s] = v;
          arg[s] = k;
        }
      }
    }
    choice.push(arg);
    prev = cur;
  }
  const lots = new Array<number>(n).fill(0);
  if (Number.isFinite(prev[M])) {
    let s = M;
    for (let i = n - 1; i >= 0; i--) {
      lots[i] = choice[i][s];
      s -= lots[i];
    }
  }
  return { cost: prev[M], lots };
}

/** Convexity of every period's cost on its allowed grid, by checking every second difference. */
export function bruteForceConvex(plan: Plan): boolean {
  const q = plan.lotSize;
  const M = plan.shares / q;
  for (let i = 0; i < plan.periods; i++) {
    let K = 0;
    while (K < M && referenceCost(plan, i, (K + 1) * q) < Infinity) K++;
    // A minimum order leaves a gap {1..m−1} below an allowed size: not convex.
    for (let k = K + 2; k <= M; k++) if (referenceCost(plan, i, k * q) < Infinity) return false;
    for (let k = 1; k + 1 <= K; k++) {
      const a = referenceCost(plan, i, k * q) - referenceCost(plan, i, (k - 1) * q);
      const b = referenceCost(plan, i, (k + 1) * q) - referenceCost(plan, i, k * q);
      if (b < a && a - b > 1e-12 * (Math.abs(a) + Math.abs(b))) return false;
    }
  }
  return true;
}

export function close(a: number, b: number, rel = 1e-9): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}
