/**
 * The convex runs of a period's cost on the lot grid: the maximal stretches of orders where
 * its second differences are ≥ 0, found from the values as the engine fills each period
 * (findRuns), and foreseen in closed form from the plan for the work estimate (runShape).
 * k = 0 is a run of its own; a fee or a minimum order leaves one convex run above it; a table
 * gives one run per piece, and a stretch that bends down falls apart into runs of one or two
 * points, which the engine scans directly (engineScan.ts).
 */
import type { ImpactGrid } from '../impact';
import { floorLots } from '../impact';
import type { Plan } from '../plan';

/** Runs of at most this many points are scanned directly (cheaper than monotone minima). */
export const NARROW_RUN = 8;
/** Second differences above −CONVEX_RTOL·|values| count as ≥ 0 (floating-point noise). */
export const CONVEX_RTOL = 1e-12;
/** Lots added to a closed-form concave stretch for the discrete runs around its end. */
const NARROW_MARGIN = 8;

/** Per period (0-based): convex runs expected, and lots in stretches that bend down. */
export interface RunShape {
  convexRuns(i: number): number;
  concaveLots(i: number): number;
}

/**
 * Maximal convex runs of c(1..K) into runStart/runEnd (c(0) = 0 is the run {0}, handled
 * apart); Infinity entries (below a minimum order) are skipped. `concave`: a stretch bends
 * down (runs of one or two points before the last).
 */
export function findRuns(
  grid: ImpactGrid,
  c: Float64Array,
  K: number,
  runStart: Int32Array,
  runEnd: Int32Array,
): { runs: number; concave: boolean } {
  let k = 1;
  while (k <= K && c[k] === Infinity) k++;
  if (k > K) return { runs: 0, concave: false };
  if (grid.kind !== 'table' && !grid.numericRuns) {
    // Linear, power and book costs are convex beyond the fee and the minimum order.
    runStart[0] = k;
    runEnd[0] = K;
    return { runs: 1, concave: false };
  }
  let runs = 0;
  let concave = false;
  while (k <= K) {
    const a = k;
    let b = a;
    while (b < K) {
      if (b > a) {
        const d2 = c[b + 1] - 2 * c[b] + c[b - 1];
        const scale = Math.abs(c[b + 1]) + 2 * Math.abs(c[b]) + Math.abs(c[b - 1]);
        if (d2 < -CONVEX_RTOL * scale) break;
      }
      b++;
    }
    if (b - a < 2 && b < K) concave = true;
    runStart[runs] = a;
    runEnd[runs] = b;
    runs++;
    k = b + 1;
  }
  return { runs, concave };
}

/**
 * What the engine will meet, for its work estimate: a table gives up to one convex run per
 * piece, and a piece where impact per share falls is a stretch that bends down (one run per
 * lot at worst). Permanent impact γ adds γ·x·(S − x)/2 to each order (withPermanentImpact),
 * whose −γ·x²/2 part bends a power law down beyond (α < 1) or below (α > 1) a size found in
 * closed form, a linear law or a book everywhere once γ/2 exceeds its slope, and a table's
 * pieces rising slower than γ/2 per share. Those stretches are scanned directly
 * (O(rows × their length)), so the estimate counts their lots. Other models: one convex run
 * (undefined). O(N + points).
 */
export function runShape(plan: Plan, grid: ImpactGrid): RunShape | undefined {
  const im = plan.impact;
  const gamma = plan.permanentImpact ?? 0;
  const q = grid.lot;
  if (im.model === 'table') {
    // Cost (g0 + s·(x − x0))·x + γ·x·(S − x)/2 on a piece bends down where 2s < γ.
    return {
      convexRuns: (i) => im.curves[i].length + 1,
      concaveLots: (i) => {
        const pts = im.curves[i];
        let lots = 0;
        for (let j = 0; j + 1 < pts.length; j++) {
          const dx = pts[j + 1][0] - pts[j][0];
          const slope = dx > 0 ? (pts[j + 1][1] - pts[j][1]) / dx : 0;
          if (pts[j + 1][1] < pts[j][1] || (gamma > 0 && 2 * slope < gamma))
            lots += floorLots(pts[j + 1][0], q) - floorLots(pts[j][0], q) + 1;
        }
        return lots;
      },
    };
  }
  if (!(gamma > 0)) return undefined;
  const pl = grid.powerLaw;
  if (!pl) {
    // A book's cost is linear between its levels: γ bends every stretch down.
    return { convexRuns: () => 1, concaveLots: (i) => grid.caps[i] };
  }
  // c(k) = coef·k^a − g·k² in lots: c'' = coef·a(a − 1)·k^(a−2) − 2g.
  const g = (gamma * q * q) / 2;
  const a = pl.exponent;
  return {
    convexRuns: () => 1,
    concaveLots: (i) => {
      const K = grid.caps[i];
      const coef = pl.coef[i];
      if (!(coef > 0)) return K;
      if (a === 2) return coef >= g ? 0 : K;
      const turn = Math.pow((coef * a * (a - 1)) / (2 * g), 1 / (2 - a));
      // Concave above the turn (a < 2) or below it (a > 2); a few lots of margin for the
      // grid's second differences and their tolerance.
      const lots = a < 2 ? K - Math.floor(turn) : Math.ceil(turn);
      return Math.min(K, Math.max(0, lots + NARROW_MARGIN));
    },
  };
}
