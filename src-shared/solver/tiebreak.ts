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
 * different paths, so a cost v ties with the least cost m offered to the same total when
 * v ≤ m + tieTolerance(N)·|m|: relative to the values compared (about 1e−12, floating-point
 * noise of sums of terms ≥ 0), never to the largest cost of a row or period, which would
 * swallow real differences when costs span many orders of magnitude. The chosen tie is kept
 * within that limit of the least cost (engine.ts, offer). The Lagrange method compares single
 * marginal increments, which carry no summation noise, and uses exact equality (see convex.ts).
 */

export const TIE_BREAK_RULE =
  'among schedules of equal cost, the one closest to an even pace (smallest Σ (cumulative shares − S·i/N)²)';

/** Relative tolerance r (v ties with the least cost m when v ≤ m + r·|m|), for N periods. */
export function tieTolerance(n: number): number {
  return 1e-12 + n * 2.3e-16;
}
