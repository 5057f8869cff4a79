/**
 * The seed's comparison strategies (DESIGN.md §1): naive/TWAP, aggressive (front-loaded),
 * conservative (back-loaded) and VWAP when a volume profile is given. Each is rounded to lots
 * by largest remainder so it sums exactly to S and respects every cap (DESIGN.md §1): the
 * user's (maxPerPeriod, maxParticipation) and the model's (a table's last point, a book's
 * depth; a period without liquidity gets nothing); excess over a capped period is
 * redistributed over the others by weight. A baseline with an order below minOrderSize
 * cannot be executed: it is reported with feasible = false.
 */
import type { Plan } from './plan';
import type { BaselineName, BaselineResult, SolveResult } from './result';
import type { ImpactGrid } from './impact';

export type Baselines = SolveResult['baselines'];

/** Weights of a baseline over N periods (not normalised). */
export function baselineWeights(
  name: BaselineName,
  n: number,
  volumeProfile?: readonly number[],
): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    switch (name) {
      case 'naive':
        w[i] = 1;
        break;
      case 'aggressive':
        w[i] = n - i; // decreasing: n, n−1, …, 1
        break;
      case 'conservative':
        w[i] = i + 1; // increasing: 1, 2, …, n
        break;
      case 'vwap':
        w[i] = volumeProfile ? volumeProfile[i] : 1;
        break;
    }
  }
  return w;
}

/**
 * Split `total` lots over periods ∝ weights, at most caps[i] each, in whole lots summing exactly
 * to `total`: water-filling (periods whose share would exceed their cap are held at the cap and
 * the rest rescaled), then largest remainder. Periods with weight 0 only take what the others
 * cannot. Throws when Σ caps < total.
 */
export function allocateLots(
  weights: ArrayLike<number>,
  caps: ArrayLike<number>,
  total: number,
): Float64Array {
  const n = weights.length;
  const out = new Float64Array(n);
  let capSum = 0;
  let weightedCap = 0;
  for (let i = 0; i < n; i++) {
    capSum += caps[i];
    if (weights[i] > 0) weightedCap += caps[i];
  }
  if (capSum < total) throw new Error(`caps allow ${capSum} lots, fewer than ${total}`);
  if (weightedCap < total) {
    // Weighted periods are all filled; the rest goes evenly over the zero-weight periods.
    const w0 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (weights[i] > 0) out[i] = caps[i];
      else w0[i] = 1;
    }
    const rest = allocateLots(w0, caps, total - weightedCap);
    for (let i = 0; i < n; i++) if (!(weights[i] > 0)) out[i] = rest[i];
    return out;
  }
  // Water level: periods in order of cap/weight saturate first.
  const idx: number[] = [];
  let wSum = 0;
  for (let i = 0; i < n; i++) {
    if (weights[i] > 0) {
      idx.push(i);
      wSum += weights[i];
    }
  }
  idx.sort((a, b) => caps[a] / weights[a] - caps[b] / weights[b]);
  let rem = total;
  const target = new Float64Array(n);
  let p = 0;
  for (; p < idx.length; p++) {
    const i = idx[p];
    if (caps[i] * wSum > rem * weights[i]) break;
    target[i] = caps[i];
    rem -= caps[i];
    wSum -= weights[i];
  }
  for (let j = p; j < idx.length; j++) {
    const i = idx[j];
    target[i] = Math.min(caps[i], (rem * weights[i]) / wSum);
  }
  // Largest remainder, robust to rounding noise in the targets.
  let floorSum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.min(caps[i], Math.floor(target[i] + 1e-9));
    floorSum += out[i];
  }
  let r = total - floorSum;
  if (r !== 0) {
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => target[b] - out[b] - (target[a] - out[a]) || a - b,
    );
    for (let j = 0; r > 0 && j < n * 2; j++) {
      const i = order[j % n];
      if (out[i] < caps[i]) {
        out[i]++;
        r--;
      }
    }
    for (let j = n - 1; r < 0 && j >= 0; j--) {
      const i = order[j];
      if (out[i] > 0) {
        out[i]--;
        r++;
      }
    }
  }
  return out;
}

/** Every baseline for the plan with its cost and the optimum's saving against it. */
export function computeBaselines(plan: Plan, grid: ImpactGrid, optimalCost: number): Baselines {
  const names: BaselineName[] = ['naive', 'aggressive', 'conservative'];
  if (plan.volumeProfile) names.push('vwap');
  const out: Partial<Record<BaselineName, BaselineResult>> = {};
  for (const name of names) {
    const w = baselineWeights(name, grid.n, plan.volumeProfile);
    // grid.caps: every limit (a book period without liquidity must not look free).
    const lots = allocateLots(w, grid.caps, grid.lots);
    out[name] = evaluateBaseline(plan, grid, lots, optimalCost);
  }
  return out as Baselines;
}

/** Cost, bps, saving and feasibility of a schedule given in lots. */
export function evaluateBaseline(
  plan: Plan,
  grid: ImpactGrid,
  lots: ArrayLike<number>,
  optimalCost: number,
): BaselineResult {
  let total = 0;
  let feasible = true;
  const shares: number[] = new Array(grid.n);
  for (let i = 0; i < grid.n; i++) {
    const k = lots[i];
    shares[i] = k * grid.lot;
    if (k === 0) continue;
    if (k > grid.modelCaps[i] || k < grid.minLots || k > grid.planCaps[i]) feasible = false;
    total += grid.rawCost(i, k);
  }
  const ref = plan.referencePrice;
  return {
    shares,
    totalCost: total,
    totalCostBps: ref ? (total / (plan.shares * ref)) * 1e4 : null,
    savingPct: savingPct(total, optimalCost, feasible),
    feasible,
  };
}

/**
 * (baseline − optimal) / baseline in percent; 0 when the baseline costs nothing. The optimum is
 * never dearer than an executable baseline, so a negative saving within summation noise
 * (relative 1e-9, e.g. 100,000 near-equal periods) is reported as 0, not as "−0.00%".
 */
function savingPct(total: number, optimal: number, feasible: boolean): number {
  if (!(total > 0)) return 0;
  const pct = ((total - optimal) / total) * 100;
  return feasible && pct < 0 && optimal - total <= 1e-9 * Math.abs(optimal) ? 0 : pct;
}
