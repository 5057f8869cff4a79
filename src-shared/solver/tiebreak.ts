/**
 * The tie-break among optimal schedules, shared by the DP engine and the Lagrange method.
 *
 * Cost is minimised first and never traded for shape. Among the schedules of (equal) optimal
 * cost the solver returns the one closest to an even pace: the smallest
 *
 *     D = Σ_{i=1..N} (s_i − M·i/N)²      s_i = lots traded in periods 1..i (cumulative)
 *
 * Costs that agree to within TIE_RTOL (relative, floating-point noise from summing the same
 * costs in another order) count as equal. Schedules equal in cost and in D (exact symmetry,
 * rare) go to the one that trades more later: the lexicographically largest (x_N, …, x_1).
 */

export const TIE_BREAK_RULE =
  'among schedules of equal cost, the one closest to an even pace (smallest Σ (cumulative shares − S·i/N)²)';

/** Relative tolerance under which two costs count as equal, for N periods. */
export function tieTolerance(n: number): number {
  return 1e-12 + n * 2.3e-16;
}

/** (s − M·i/N)²: the pace deviation of s cumulative lots after period i (1-based) of n. */
export function paceDeviation(lots: number, n: number, i: number, s: number): number {
  const d = s - (lots * i) / n;
  return d * d;
}

/** a strictly better than b: (cost, deviation) compared lexicographically, costs with tol. */
export function lexLess(
  aCost: number,
  aDev: number,
  bCost: number,
  bDev: number,
  rtol: number,
): boolean {
  if (aCost === Infinity || bCost === Infinity) return aCost < bCost;
  const diff = bCost - aCost;
  const scale = rtol * (Math.abs(aCost) > Math.abs(bCost) ? Math.abs(aCost) : Math.abs(bCost));
  if (diff > scale) return true;
  if (diff < -scale) return false;
  return aDev < bDev;
}
