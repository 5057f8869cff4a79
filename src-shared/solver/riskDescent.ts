/**
 * A warm start's path moved to the optimum of a convex risk-aware plan: steepest descent of
 * the L♮-convex objective E + λ·Var in the cumulative totals, by scaled steps. It only finds
 * where to centre the engine's band (risk.ts): the band's solve decides the schedule and its
 * certificate says it is optimal, so a descent stopped early costs a wider band, never a
 * wrong point.
 */
import type { ImpactGrid } from '../impact';

/** Improving moves tried at one step size before the next smaller one (bounds the work). */
export const DESCENT_MOVES_PER_SCALE = 64;

/**
 * Cost evaluations of one move, per period: an order one step larger and one smaller for each
 * sign, and the moved orders' new costs.
 */
const EVALUATIONS_PER_MOVE = 5;

/**
 * Work units of one cost evaluation here: each goes through the grid's `cost` one order at a
 * time (a call, a power, the caps), measured at 40–90 ns on the 2 shared cores, where the
 * engine's filled rows run at about 1 ns a unit (the frontier limit's scale).
 */
const UNITS_PER_EVALUATION = 50;

/**
 * The descent's work at most, in the frontier limit's units: every step size from the largest
 * power of two below M down to 1, each with DESCENT_MOVES_PER_SCALE moves and the final check
 * (the measured descents of 390 periods × 10^6 lots made 50–600 moves in all). O(1).
 */
export function descentWork(n: number, M: number): number {
  const scales = Math.max(1, Math.ceil(Math.log2(Math.max(2, M))));
  return scales * (DESCENT_MOVES_PER_SCALE + 1) * EVALUATIONS_PER_MOVE * n * UNITS_PER_EVALUATION;
}

/**
 * The path (cumulative lots after each period, index 0 = 0, index n = M) that steepest descent
 * reaches from `start` on Σ_i c_i(s_i − s_(i−1)) + Σ_i w_i·(M − s_i)². A move shifts a set X of
 * totals by ±δ together; the best set for a sign is a two-state DP along the periods (each
 * term involves at most two neighbouring totals), O(N). Step sizes halve from about M / 2 to
 * 1; at δ = 1, a path no move improves is optimal (L♮-convexity), up to rounding and the move
 * cap. `start` is first made feasible (orders within 0..K_i, reaching M). O(N log M) a move.
 */
export function descendRiskPath(
  grid: ImpactGrid,
  weights: Float64Array | null,
  start: Float64Array,
  poll: () => void,
): Float64Array {
  const { n, lots: M, caps } = grid;
  const s = feasiblePath(caps, M, start);
  const cost = (i: number, k: number) => (k < 0 ? Infinity : grid.cost(i, k));
  // Per period: the order now and its cost; the state cost now.
  const order = new Float64Array(n);
  const base = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = s[i + 1] - s[i];
    base[i] = cost(i, order[i]);
    if (!(base[i] < Infinity)) return s; // no feasible start: the band's own search decides
  }
  const stateCost = (i: number, total: number) => {
    const w = weights ? weights[i] : 0;
    const h = M - total;
    return w * h * h;
  };
  let objective = 0;
  for (let i = 0; i < n; i++) objective += base[i] + stateCost(i, s[i + 1]);
  const choice = new Uint8Array(2 * (n + 1));
  const up = new Uint8Array(n + 1);
  const down = new Uint8Array(n + 1);
  let delta = 1;
  while (delta * 2 <= M / 2) delta *= 2;
  for (; delta >= 1; delta /= 2) {
    for (let moves = 0; moves < DESCENT_MOVES_PER_SCALE; moves++) {
      poll();
      const gainUp = bestMove(delta, up);
      const gainDown = bestMove(-delta, down);
      const best = Math.min(gainUp, gainDown);
      // Only a gain beyond rounding moves the path (else the descent could go round in circles).
      if (!(-best > 1e-13 * Math.abs(objective))) break;
      const picked = gainUp <= gainDown ? up : down;
      const step = gainUp <= gainDown ? delta : -delta;
      for (let i = 1; i < n; i++) if (picked[i]) s[i] += step;
      for (let i = 0; i < n; i++) {
        const k = s[i + 1] - s[i];
        if (k !== order[i]) {
          order[i] = k;
          base[i] = cost(i, k);
        }
      }
      objective += best;
    }
  }
  return s;

  /**
   * The least change of the objective from moving a set of totals 1..n−1 by `step` (x_i = 1:
   * total i moves), with the set in `out`. Totals 0 and n stay.
   */
  function bestMove(step: number, out: Uint8Array): number {
    // v0 / v1: least change so far with the current total staying / moving.
    let v0 = 0;
    let v1 = Infinity;
    for (let i = 1; i <= n; i++) {
      const p = i - 1;
      const k = order[p];
      const c = base[p];
      // Period i's order between totals i−1 and i: unchanged when both move or both stay.
      const grow = cost(p, k + step) - c; // total i moves, i−1 stays
      const shrink = cost(p, k - step) - c; // total i−1 moves, i stays
      const last = i === n;
      const move = last ? Infinity : stateCost(p, s[i] + step) - stateCost(p, s[i]);
      // Stay at i: from stay (no change) or from move (order shrinks by step).
      const fromMove0 = v1 + shrink;
      const n0 = v0 <= fromMove0 ? v0 : fromMove0;
      choice[2 * i] = v0 <= fromMove0 ? 0 : 1;
      // Move at i: from stay (order grows) or from move (unchanged).
      const fromStay1 = v0 + grow;
      const n1 = (fromStay1 <= v1 ? fromStay1 : v1) + move;
      choice[2 * i + 1] = fromStay1 <= v1 ? 0 : 1;
      v0 = n0;
      v1 = last ? Infinity : n1;
    }
    // Back from total n (stays).
    let x = 0;
    for (let i = n; i >= 1; i--) {
      out[i] = x;
      x = choice[2 * i + x];
    }
    out[0] = 0;
    return v0;
  }
}

/**
 * The path clamped, period by period, to orders within 0..K_i and totals that can still reach
 * M: s_i ∈ [max(s_(i−1), M − Σ_(j>i) K_j), min(s_(i−1) + K_i, M)], never empty. O(N).
 */
function feasiblePath(caps: Float64Array, M: number, start: Float64Array): Float64Array {
  const n = caps.length;
  const after = new Float64Array(n + 1); // Σ_{j>i} K_j (periods i+1..n)
  for (let i = n - 1; i >= 0; i--) after[i] = after[i + 1] + caps[i];
  const s = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(s[i - 1], M - after[i]);
    const hi = Math.min(s[i - 1] + caps[i - 1], M);
    const want = i === n ? M : Math.round(start[i] ?? 0);
    s[i] = Math.min(hi, Math.max(lo, want));
  }
  return s;
}
