/**
 * The seed document's DP, kept as the benchmark's reference (DESIGN.md §1):
 *   C(i, s) = min over 0 ≤ k ≤ min(s, u_i/q) of c_i(k·q) + C(i−1, s−k),  C(0,0) = 0,
 * with the argmin kept to recover the schedule. O(N·M·K) time and a full (N+1)·(M+1) table.
 * Straightforward on purpose: every s, every k, no reachable-range pruning. The only liberty
 * taken is computing each period's cost row c_i(0..M) once instead of inside the k loop
 * (which would make it slower still, by a pow() per step).
 */
export interface SeedResult {
  cost: number;
  lots: number[];
}

/** cost(i, k): c_i for period i (0-based) and k lots; Infinity where k exceeds the cap. */
export function seedDp(n: number, M: number, cost: (i: number, k: number) => number): SeedResult {
  const W = M + 1;
  const C = new Float64Array((n + 1) * W).fill(Infinity);
  const arg = new Int32Array(n * W);
  const row = new Float64Array(W);
  C[0] = 0;
  for (let i = 1; i <= n; i++) {
    for (let k = 0; k <= M; k++) row[k] = cost(i - 1, k);
    const prev = (i - 1) * W;
    const cur = i * W;
    for (let s = 0; s <= M; s++) {
      let best = Infinity;
      let bestK = 0;
      for (let k = 0; k <= s; k++) {
        const v = row[k] + C[prev + s - k];
        if (v < best) {
          best = v;
          bestK = k;
        }
      }
      C[cur + s] = best;
      arg[(i - 1) * W + s] = bestK;
    }
  }
  const lots = new Array<number>(n).fill(0);
  let s = M;
  for (let i = n; i >= 1; i--) {
    lots[i - 1] = arg[(i - 1) * W + s];
    s -= lots[i - 1];
  }
  return { cost: C[n * W + M], lots };
}
