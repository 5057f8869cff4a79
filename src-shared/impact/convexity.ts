/** Exact convexity of a plan's per-period costs, decided from the model's form. */
import type { Plan } from '../plan';
import { fmtInt } from './format';
import type { ImpactGrid } from './grid';

/** Relative tolerance for second differences computed from values (breakpoints, fees). */
const CONVEXITY_RTOL = 1e-12;

export interface Convexity {
  convex: boolean;
  /** Why, in words (shown to the user as the solver's reason). */
  reason: string;
}

/**
 * Exact convexity of every c_i on {0..K_i} (discrete second differences ≥ 0), decided from the
 * model's form: O(N) for linear/power/book, O(points) for tables, never O(M).
 */
export function decideConvexity(plan: Plan, grid: ImpactGrid): Convexity {
  const { n, caps, fee, minLots, lot } = grid;
  const im = plan.impact;
  let formReason: string;
  switch (im.model) {
    case 'linear':
      formReason = 'linear impact: c(x) = β·p·x² is convex';
      break;
    case 'power':
      formReason = `power-law impact: c(x) = ${im.intercept ? 'intercept·x + ' : ''}β·p·x^${1 + im.exponent} is convex (exponent > 0)`;
      break;
    case 'calibrated':
      formReason = `calibrated impact: c(x) = (fee + s/2)·x + η·σ·p·x^${1 + im.beta}/V^${im.beta} is convex (β > 0)`;
      break;
    case 'book':
      formReason = 'order-book impact: walking a ladder is convex';
      break;
    case 'table': {
      const bad = tableNonConvexAt(grid, im.curves);
      if (bad !== null) {
        return {
          convex: false,
          reason: `table curve of period ${bad.period + 1} bends down near ${fmtInt(bad.k * lot)} shares (non-convex)`,
        };
      }
      formReason = 'table curves are convex on the lot grid';
      break;
    }
  }
  if (minLots > 1) {
    for (let i = 0; i < n; i++) {
      if (caps[i] >= minLots) {
        return {
          convex: false,
          reason: `minOrderSize ${fmtInt(plan.minOrderSize ?? 0)} shares: orders are 0 or at least ${fmtInt(minLots * lot)} shares, a gap on the grid (non-convex)`,
        };
      }
    }
  }
  // The first difference carries the fee: convex iff d(2) ≥ d(1) wherever k = 2 is allowed.
  if (fee > 0) {
    for (let i = 0; i < n; i++) {
      if (caps[i] >= 2 && !nondecreasing(grid.marginal(i, 1), grid.marginal(i, 2))) {
        return {
          convex: false,
          reason: `fixedFeePerOrder ${fee} makes the first lot dearer than the second in period ${i + 1} (non-convex)`,
        };
      }
    }
  }
  return { convex: true, reason: fee > 0 ? `${formReason}, fee included` : formReason };
}

/**
 * First grid point where a table's cost is not convex, or null. On a piece [x_j, x_{j+1}] the
 * impact is g = a + b·x, so c = a·x + b·x² and every second difference inside the piece is
 * 2·b·q²: its sign is b's. Windows that straddle a point are checked from values.
 */
function tableNonConvexAt(
  grid: ImpactGrid,
  curves: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
): { period: number; k: number } | null {
  const q = grid.lot;
  for (let i = 0; i < grid.n; i++) {
    const K = grid.caps[i];
    if (K < 2) continue;
    const pts = curves[i];
    for (let j = 0; j + 1 < pts.length; j++) {
      const [x0, g0] = pts[j];
      const [x1, g1] = pts[j + 1];
      if (g1 < g0) {
        // A window [k−1, k+1]·q fully inside the piece (and inside the cap) shows b < 0.
        const k = Math.ceil(x0 / q) + 1;
        if (k + 1 <= K && (k + 1) * q <= x1) return { period: i, k };
      }
    }
    for (let j = 0; j < pts.length; j++) {
      const base = Math.floor(pts[j][0] / q);
      if (base - 1 > K) break;
      for (let k = Math.max(1, base - 1); k <= base + 2 && k + 1 <= K; k++) {
        if (!nondecreasing(grid.marginal(i, k), grid.marginal(i, k + 1))) return { period: i, k };
      }
    }
  }
  return null;
}

function nondecreasing(a: number, b: number): boolean {
  return b >= a || a - b <= CONVEXITY_RTOL * (Math.abs(a) + Math.abs(b));
}
