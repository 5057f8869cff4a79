/** Power law with an intercept, g = c + b·x^α, fitted on g itself. */

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
