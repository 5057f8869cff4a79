/**
 * The tie-break among optimal schedules, shared by the DP engine and the Lagrange method.
 *
 * Cost is minimised first and never traded for shape. Among the schedules of (equal) optimal
 * cost the solver returns the one closest to an even pace: the smallest
 *
 *     D = Σ_{i=1..N} (s_i − M·i/N)²      s_i = lots traded in periods 1..i (cumulative)
 *
 * (computed as Σ (N·s_i − M·i)², whole numbers, so equal D compare equal). Schedules equal in
 * cost and in D (exact symmetry, rare) go to the one that trades more later: the
 * lexicographically largest (x_N, …, x_1).
 *
 * What "equal cost" means: the engine sums the same costs in different orders along
 * different paths, so it counts costs within tieTolerance(N) of each other (relative, about
 * 1e−12: floating-point noise) as equal. The Lagrange method compares single marginal
 * increments, which carry no summation noise, and uses exact equality (see convex.ts).
 */

export const TIE_BREAK_RULE =
  'among schedules of equal cost, the one closest to an even pace (smallest Σ (cumulative shares − S·i/N)²)';

/** Relative tolerance under which two path costs count as equal, for N periods. */
export function tieTolerance(n: number): number {
  return 1e-12 + n * 2.3e-16;
}
