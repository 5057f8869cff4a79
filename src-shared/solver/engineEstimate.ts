/**
 * What a DP engine run will cost, before anything is allocated: the totals each period can
 * hold (from the caps, narrowed by the cost bounds of bounds.ts), the memory they need
 * (engineMemory.ts) and the work, the sum of each period's estimate (periodWork, beside the
 * step it estimates). An upper bound on the counted work of every path; O(N + table points).
 */
import type { ImpactGrid } from '../impact';
import { DEFAULT_MEMORY_BUDGET } from './limits';
import { planMemory, SETUP_WORK } from './engineMemory';
import type { RunShape } from './engineRuns';
import { periodScanWork, periodWork } from './engineStep';

export interface EstimateOptions {
  /** Keep C(N, s) for every s = 0..M (the cost-by-size curve): no lower bound from the caps. */
  curve?: boolean;
  memoryBudgetBytes?: number;
  /** Force the checkpointed table (tests). */
  forceCheckpoints?: boolean;
  /** Shape of the costs for the work estimate (tables); default one convex run a period. */
  shape?: RunShape;
  /**
   * Cumulative lots that an optimal schedule can hold after period i, lo[i]..hi[i] (i = 0..N),
   * proven by bounds.ts; ignored with `curve` (every total is wanted then).
   */
  bounds?: { lo: Float64Array; hi: Float64Array };
}

export interface EngineEstimate {
  /** Bytes the solve will allocate (table or checkpoints, rows, buffers). */
  bytes: number;
  /** Bytes of the full argmin table (what checkpointing avoids). */
  fullTableBytes: number;
  checkpointed: boolean;
  /** Upper estimate of the cost evaluations. */
  evaluations: number;
  /**
   * The part of `evaluations` that scans stretches bending down: an upper bound that the
   * scans' early stop usually beats by far, so it is enforced on the counted work instead.
   */
  scanEvaluations: number;
  lo: Float64Array;
  hi: Float64Array;
  argBytes: 1 | 2 | 4;
  segment: number;
  /** Cells kept over cells reachable without the bounds. */
  keptStates: number;
}

/** Reachable ranges, memory and work of the engine for this grid. O(N + table points). */
export function estimateEngine(grid: ImpactGrid, options: EstimateOptions = {}): EngineEstimate {
  const { n, lots: M, caps } = grid;
  const { lo, hi } = capRanges(caps, M, options.curve === true);
  let unboundedCells = 0;
  for (let i = 1; i <= n; i++) unboundedCells += hi[i] - lo[i] + 1;
  const b = options.bounds;
  if (b && !options.curve) {
    // Narrower ranges proven by bounds.ts; keep them consistent with the steps a period can
    // take (s never falls, rises by at most K_i), forwards and backwards. Should they ever
    // leave a period empty (they cannot when the bounds are right), they are not used.
    const l2 = lo.slice();
    const h2 = hi.slice();
    for (let i = 1; i < n; i++) {
      l2[i] = Math.max(l2[i], b.lo[i], l2[i - 1]);
      h2[i] = Math.min(h2[i], b.hi[i], h2[i - 1] + caps[i - 1]);
    }
    for (let i = n - 1; i >= 1; i--) {
      h2[i] = Math.min(h2[i], h2[i + 1]);
      l2[i] = Math.max(l2[i], l2[i + 1] - caps[i]);
    }
    let ok = true;
    for (let i = 1; i <= n; i++) if (h2[i] < l2[i]) ok = false;
    if (ok) {
      lo.set(l2);
      hi.set(h2);
    }
  }
  let cells = 0;
  let maxWidth = 1;
  let maxCap = 0;
  let evaluations = 0;
  let scanEvaluations = 0;
  for (let i = 1; i <= n; i++) {
    const width = hi[i] - lo[i] + 1;
    const reach = hi[i] - lo[i - 1];
    cells += width;
    maxWidth = Math.max(maxWidth, width);
    maxCap = Math.max(maxCap, caps[i - 1]);
    evaluations += periodWork(grid, options.shape, i - 1, width, hi[i - 1] - lo[i - 1] + 1, reach);
    scanEvaluations += periodScanWork(grid, options.shape, i - 1, width, reach);
  }
  const memory = planMemory(
    n,
    M,
    maxCap,
    cells,
    maxWidth,
    options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET,
    options.forceCheckpoints === true,
  );
  const checkpointed = memory.checkpointed;
  return {
    bytes: memory.bytes,
    fullTableBytes: memory.fullTableBytes,
    checkpointed,
    // Checkpointed: every segment is computed twice (forwards, then again while backtracking).
    evaluations: (checkpointed ? 2 * evaluations : evaluations) + SETUP_WORK * (M + 1),
    scanEvaluations: checkpointed ? 2 * scanEvaluations : scanEvaluations,
    lo,
    hi,
    argBytes: memory.argBytes,
    segment: memory.segment,
    keptStates: unboundedCells > 0 ? cells / unboundedCells : 1,
  };
}

/**
 * The cumulative totals the caps allow after each period i = 0..N: lo[i]..hi[i] (lo = 0 for
 * the curve, which wants every total). O(N).
 */
export function capRanges(
  caps: Float64Array,
  M: number,
  curve = false,
): { lo: Float64Array; hi: Float64Array } {
  const n = caps.length;
  const lo = new Float64Array(n + 1);
  const hi = new Float64Array(n + 1);
  const suffix = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) suffix[i] = Math.min(M, suffix[i + 1] + caps[i]);
  for (let i = 1; i <= n; i++) {
    hi[i] = Math.min(M, hi[i - 1] + caps[i - 1]);
    lo[i] = curve ? 0 : Math.max(0, M - suffix[i]);
  }
  return { lo, hi };
}
