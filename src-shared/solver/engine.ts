/**
 * The exact DP engine on the lot grid, for every plan the Lagrange method does not take
 * (fixed fees, minimum order sizes, tables that bend, state costs):
 *
 *     C(i, s) = min over runs r of period i of  min_j C(i−1, j) + c_i,r(s − j)   + state_i(s)
 *
 * where the runs r are the maximal convex stretches of period i's cost on the lot grid
 * (k = 0 is a run of its own; a fee or a minimum order size gives {0} and one convex run; a
 * table gives one run per stretch where its second differences are ≥ 0, and a stretch that
 * bends down falls apart into runs of one or two points). For a convex run the matrix
 * A[s][j] = C(i−1, j) + c(s − j) is Monge whatever C(i−1, ·) is, so its row minima are
 * found by SMAWK in O(rows + columns); runs of at most NARROW_RUN points are scanned
 * directly. A period whose row C(i−1, ·) is convex and which has a single convex run (no
 * fee, no minimum) is a min-plus convolution of two convex sequences: the marginals are
 * merged in O(M).
 *
 * Among schedules of equal cost the one closest to an even pace wins (tiebreak.ts): every
 * value is compared as the pair (cost, pace deviation D), lexicographically. D is a state
 * cost too, so the pairs keep the Monge property. Costs tie relative to their own size: each
 * total keeps the least cost offered (minC) apart from the chosen one, which stays within
 * tieTolerance of it (offer); a total whose chosen tie drops out is decided again (rescanRow).
 *
 * Memory: the argmin table (lots per period and cumulative total) in the smallest unsigned
 * type that holds every cap. When the whole table would not fit the budget, only every
 * L-th row (L ≈ √N) of C and D is kept and each segment's argmins are recomputed while
 * backtracking (about twice the work). Both are estimated before anything is allocated.
 */
import type { ImpactGrid } from '../impact';
import { fmtInt } from '../impact';
import { PlannerError } from '../contract';
import { tieTolerance } from './tiebreak';

export const DEFAULT_MEMORY_BUDGET = 1.5 * 1024 ** 3;
/**
 * Estimated cost evaluations beyond which a plan is refused before it starts: the estimate is
 * an upper bound on every path of the engine, and the slowest path measured here (timing risk
 * without the band, a fee at M = 10^7 lots: 10–80 ns per unit with 2 cores shared by other
 * work, memory-bound at large M) takes seconds at this limit (tens when the machine is busy,
 * which the time limit catches); `npm run bench -- solver` prints the longest accepted one.
 */
export const DEFAULT_MAX_EVALUATIONS = 5e8;
/** Runs of at most this many points are scanned directly (cheaper than SMAWK). */
const NARROW_RUN = 8;
/** Divide and conquer scans a node's rows directly once it has fewer columns than this. */
const SMALL_NODE_COLUMNS = 4;
/** … or fewer cells than this (rows × columns): splitting costs more than it saves. */
const SMALL_NODE_CELLS = 48;
/** SMAWK evaluates each entry of about this many rows + columns (measured: 3–4). */
const SMAWK_FACTOR = 4;
/**
 * Work units for each lot count of the workspace (a dozen rows of M + 1 allocated and
 * filled once a run): counted with the cost evaluations so that the limit covers it.
 */
const SETUP_WORK = 8;
/** Cancel is polled at least every this many cost evaluations. */
const POLL_EVALUATIONS = 1e6;
/** Second differences above −CONVEX_RTOL·|values| count as ≥ 0 (floating-point noise). */
const CONVEX_RTOL = 1e-12;

export interface EngineOptions {
  onProgress?: (fraction: number) => void;
  shouldCancel?: () => boolean;
  memoryBudgetBytes?: number;
  maxEvaluations?: number;
  /**
   * Timing risk as a state cost: w[i − 1]·(M − s)² is added to C(i, s) after period i (1-based),
   * s lots traded so far (w = λ·σ_i²·q², 0 for the last period). Convex in s, so it keeps the
   * Monge structure and convex rows.
   */
  riskWeights?: Float64Array;
  /** Keep C(N, s) for every s = 0..M (the cost-by-size curve). */
  curve?: boolean;
  /** Force the checkpointed table (tests). */
  forceCheckpoints?: boolean;
  /** Shape of the costs for the work estimate (tables); default one convex run a period. */
  shape?: RunShape;
  /**
   * Cumulative lots that an optimal schedule can hold after period i, lo[i]..hi[i] (i = 0..N),
   * proven by bounds.ts; ignored with `curve` (every total is wanted then).
   */
  bounds?: { lo: Float64Array; hi: Float64Array };
  /** Row minima of wide convex runs: divide and conquer (default, faster here) or SMAWK. */
  minima?: 'dnc' | 'smawk';
}

/** Per period (0-based): convex runs expected, and lots in stretches that bend down. */
export interface RunShape {
  convexRuns(i: number): number;
  concaveLots(i: number): number;
}

export interface EngineWork {
  runsMin: number;
  runsMax: number;
  runsTotal: number;
  mergedPeriods: number;
  evaluations: number;
  /** The estimate checked against the limit before the solve started (≥ evaluations). */
  estimatedEvaluations: number;
  tableBytes: number;
  checkpointed: boolean;
  /** Periods where a stretch that bends down was split into single points. */
  concavePeriods: number;
  /** Share of the reachable states kept by the bounds (1 without bounds). */
  keptStates: number;
}

export interface EngineResult {
  lots: Float64Array;
  /** C(N, M) including state costs. */
  cost: number;
  /** C(N, s), s = 0..M (Infinity where s cannot be reached), when asked for. */
  curve: Float64Array | null;
  work: EngineWork;
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
export function estimateEngine(
  grid: ImpactGrid,
  options: Pick<
    EngineOptions,
    'curve' | 'memoryBudgetBytes' | 'forceCheckpoints' | 'shape' | 'bounds' | 'minima'
  > = {},
): EngineEstimate {
  const { n, lots: M, caps } = grid;
  const lo = new Float64Array(n + 1);
  const hi = new Float64Array(n + 1);
  const suffix = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) suffix[i] = Math.min(M, suffix[i + 1] + caps[i]);
  for (let i = 1; i <= n; i++) {
    hi[i] = Math.min(M, hi[i - 1] + caps[i - 1]);
    lo[i] = options.curve ? 0 : Math.max(0, M - suffix[i]);
  }
  let unboundedCells = 0;
  for (let i = 1; i <= n; i++) unboundedCells += hi[i] - lo[i] + 1;
  const b = options.bounds;
  if (b && !options.curve) {
    // Narrower ranges proven by bounds.ts; keep them consistent with the steps a period can
    // take (s never falls, rises by at most K_i), forwards and backwards. Should they ever
    // leave a period empty (they cannot when the bounds are right), they are not used.
    const l2 = Float64Array.from(lo);
    const h2 = Float64Array.from(hi);
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
  let maxK = 0;
  let evaluations = 0;
  let scanEvaluations = 0;
  for (let i = 1; i <= n; i++) {
    const width = hi[i] - lo[i] + 1;
    cells += width;
    maxWidth = Math.max(maxWidth, width);
    maxK = Math.max(maxK, caps[i - 1]);
    evaluations += periodWorkEstimate(
      grid,
      options.shape,
      i - 1,
      width,
      hi[i - 1] - lo[i - 1] + 1,
      options.minima,
      hi[i] - lo[i - 1],
    );
    scanEvaluations += concaveScanEstimate(grid, options.shape, i - 1, width, hi[i] - lo[i - 1]);
  }
  const argBytes: 1 | 2 | 4 = maxK <= 0xff ? 1 : maxK <= 0xffff ? 2 : 4;
  // Rows C and D (prev, cur), least values, the period's costs, columns, SMAWK's pool and
  // stack, best columns.
  const rowBytes = (M + 1) * (8 * 6 + 4 * 5) + (Math.min(maxK, M) + 1) * 8;
  const fullTableBytes = cells * argBytes;
  const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
  const segment = Math.max(1, Math.ceil(Math.sqrt(n)));
  const checkpointBytes = Math.ceil(n / segment) * 2 * 8 * maxWidth + segment * maxWidth * argBytes;
  const checkpointed = options.forceCheckpoints === true || fullTableBytes + rowBytes > budget;
  const bytes = rowBytes + (checkpointed ? checkpointBytes : fullTableBytes);
  return {
    bytes,
    fullTableBytes,
    checkpointed,
    evaluations: (checkpointed ? 2 * evaluations : evaluations) + SETUP_WORK * (M + 1),
    scanEvaluations: checkpointed ? 2 * scanEvaluations : scanEvaluations,
    lo,
    hi,
    argBytes,
    segment,
    keptStates: unboundedCells > 0 ? cells / unboundedCells : 1,
  };
}

/** An optimal schedule (lots per period); throws 'too_large', 'cancelled' or 'infeasible'. */
export function solveEngine(grid: ImpactGrid, options: EngineOptions = {}): EngineResult {
  const { n, lots: M, caps, minLots } = grid;
  const budget = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET;
  const maxEval = options.maxEvaluations ?? DEFAULT_MAX_EVALUATIONS;
  const est = estimateEngine(grid, options);
  const what = () => `the exact DP on ${fmtInt(n)} periods × ${fmtInt(M + 1)} lot counts`;
  const advice = 'use a larger lotSize or tighter caps';
  if (est.bytes > budget) {
    const [need, have] = fmtBytesPair(est.bytes, budget);
    throw new PlannerError(
      'too_large',
      `shares: ${what()} needs ${need} of memory even with checkpointed rows, more than the budget of ${have}; ${advice}`,
    );
  }
  // Refused before it starts when the work that is surely done exceeds the limit; the scans
  // of stretches that bend down are held to the limit as they run (see PeriodStepper.poll).
  const sure = est.evaluations - est.scanEvaluations;
  if (sure > maxEval) {
    throw new PlannerError(
      'too_large',
      `shares: ${what()} needs about ${sure.toExponential(1)} cost evaluations, more than the limit of ${maxEval.toExponential(1)}; ${advice}`,
    );
  }
  let maxK = 0;
  for (let i = 0; i < n; i++) maxK = Math.max(maxK, Math.min(caps[i], M));
  let ws: Workspace;
  let table: ArgTable | null = null;
  let stepWork = 0;
  const checkpoints: Float64Array[] = [];
  try {
    ws = new Workspace(M, maxK);
    stepWork += SETUP_WORK * (M + 1);
    if (!est.checkpointed) table = newArgTable(est.argBytes, est.fullTableBytes / est.argBytes);
  } catch {
    throw new PlannerError(
      'too_large',
      `shares: ${what()} needs ${fmtBytesPair(est.bytes, budget)[0]} of memory, which could not be allocated; ${advice}`,
    );
  }
  const stepper = new PeriodStepper(grid, ws, est, options);
  stepper.work.evaluations += stepWork;
  const { lo, hi } = est;

  // Forward pass: C(0, 0) = 0.
  ws.prevC.fill(Infinity);
  ws.prevD.fill(Infinity);
  ws.prevC[0] = 0;
  ws.prevD[0] = 0;
  const base = new Float64Array(n + 2); // offset of period i's block in the full table
  let offset = 0;
  for (let i = 1; i <= n; i++) {
    if (est.checkpointed && (i - 1) % est.segment === 0) {
      checkpoints.push(sliceRow(ws.prevC, lo[i - 1], hi[i - 1]));
      checkpoints.push(sliceRow(ws.prevD, lo[i - 1], hi[i - 1]));
    }
    base[i] = offset;
    stepper.step(i, table, offset - lo[i]);
    offset += hi[i] - lo[i] + 1;
    ws.swap();
  }
  const finalC = ws.prevC;
  if (!Number.isFinite(finalC[M])) {
    throw new PlannerError(
      'infeasible',
      minLots > 1
        ? `minOrderSize: no schedule of orders that are 0 or at least ${fmtInt(minLots * grid.lot)} shares fits the caps and adds up to ${fmtInt(M * grid.lot)} shares`
        : `shares: no schedule within the caps adds up to ${fmtInt(M * grid.lot)} shares`,
    );
  }
  const cost = finalC[M];
  const curve = options.curve ? Float64Array.from(finalC.subarray(0, M + 1)) : null;

  // Backtracking.
  const lots = new Float64Array(n);
  if (table) {
    let s = M;
    for (let i = n; i >= 1; i--) {
      const k = table[base[i] + s - lo[i]];
      lots[i - 1] = k;
      s -= k;
    }
  } else {
    // Recompute each segment from its checkpoint, last segment first.
    stepper.counting = false;
    const seg = est.segment;
    const segTable = newArgTable(est.argBytes, est.segment * maxWidthOf(lo, hi));
    let s = M;
    for (let t = Math.ceil(n / seg) - 1; t >= 0; t--) {
      const first = t * seg + 1;
      const last = Math.min(n, (t + 1) * seg);
      ws.prevC.fill(Infinity);
      ws.prevD.fill(Infinity);
      ws.prevC.set(checkpoints[2 * t], lo[first - 1]);
      ws.prevD.set(checkpoints[2 * t + 1], lo[first - 1]);
      const segBase = new Float64Array(last - first + 2);
      let off = 0;
      for (let i = first; i <= last; i++) {
        segBase[i - first] = off;
        stepper.step(i, segTable, off - lo[i]);
        off += hi[i] - lo[i] + 1;
        ws.swap();
      }
      for (let i = last; i >= first; i--) {
        const k = segTable[segBase[i - first] + s - lo[i]];
        lots[i - 1] = k;
        s -= k;
      }
      // Free the segment's checkpoints as soon as they are used.
      checkpoints[2 * t] = checkpoints[2 * t + 1] = EMPTY;
    }
  }
  options.onProgress?.(1);
  const w = stepper.work;
  return {
    lots,
    cost,
    curve,
    work: {
      runsMin: w.runsMin === Infinity ? 0 : w.runsMin,
      runsMax: w.runsMax,
      runsTotal: w.runsTotal,
      mergedPeriods: w.merged,
      evaluations: w.evaluations,
      estimatedEvaluations: est.evaluations,
      tableBytes: est.checkpointed ? est.bytes : est.fullTableBytes,
      checkpointed: est.checkpointed,
      concavePeriods: w.concavePeriods,
      keptStates: est.keptStates,
    },
  };
}

// ---------------------------------------------------------------------------------------
// One period: C(i−1, ·), D(i−1, ·) in ws.prev* → C(i, ·), D(i, ·) in ws.cur*, argmins.

type ArgTable = Uint8Array | Uint16Array | Uint32Array;
const EMPTY = new Float64Array(0);

class Workspace {
  prevC: Float64Array;
  prevD: Float64Array;
  curC: Float64Array;
  curD: Float64Array;
  /** The period's costs c(0..K). */
  readonly cost: Float64Array;
  /** Columns j with finite C(i−1, j). */
  readonly cols: Int32Array;
  /** SMAWK's reduced column lists, all levels. */
  readonly pool: Int32Array;
  /** Best column per row of the current run. */
  readonly best: Int32Array;
  /** SMAWK's REDUCE stack: value and order of each kept column at its row. */
  readonly sv: Float64Array;
  readonly sdl: Int32Array;
  /** Suffix minima of the period's costs: min over orders ≥ k. */
  readonly sufMin: Float64Array;
  /** Chosen lots per s of the current period. */
  readonly arg: Int32Array;
  /** Least value offered to each s of the current period so far (curC holds the chosen one). */
  readonly minC: Float64Array;

  constructor(M: number, maxK: number) {
    this.prevC = new Float64Array(M + 1);
    this.prevD = new Float64Array(M + 1);
    this.curC = new Float64Array(M + 1);
    this.curD = new Float64Array(M + 1);
    this.cost = new Float64Array(maxK + 1);
    this.sufMin = new Float64Array(maxK + 2);
    this.cols = new Int32Array(M + 1);
    this.pool = new Int32Array(2 * (M + 1) + 64);
    this.best = new Int32Array(M + 1);
    this.sv = new Float64Array(M + 1);
    this.sdl = new Int32Array(M + 1);
    this.arg = new Int32Array(M + 1);
    this.minC = new Float64Array(M + 1);
  }
  swap(): void {
    let t = this.prevC;
    this.prevC = this.curC;
    this.curC = t;
    t = this.prevD;
    this.prevD = this.curD;
    this.curD = t;
  }
}

class PeriodStepper {
  readonly work = {
    runsMin: Infinity,
    runsMax: 0,
    runsTotal: 0,
    merged: 0,
    evaluations: 0,
    concavePeriods: 0,
  };
  /** Relative tie tolerance (tiebreak.ts): v ties with the least value m when v ≤ m + rtol·|m|. */
  private readonly rtol: number;
  /** Totals whose chosen candidate lost its tie while other tied candidates may remain. */
  private readonly dirty: number[] = [];
  private readonly runStart: Int32Array;
  private readonly runEnd: Int32Array;
  private doneWork = 0;
  /** Divide and conquer's explicit stack: 4 numbers per pending range, depth ≤ 2·log2 M. */
  private readonly dncStack = new Int32Array(4 * 2 * 64);
  /** SMAWK's levels: first row, row stride, rows, offset and length of the column list. */
  private readonly lvStart = new Int32Array(64);
  private readonly lvStride = new Int32Array(64);
  private readonly lvCount = new Int32Array(64);
  private readonly lvAt = new Int32Array(64);
  private readonly lvLen = new Int32Array(64);
  /** False while a checkpointed segment is recomputed (runs are counted once). */
  counting = true;
  private reported = 0;
  private sincePoll = 0;
  private readonly maxEvaluations: number;

  constructor(
    private readonly grid: ImpactGrid,
    private readonly ws: Workspace,
    private readonly est: EngineEstimate,
    private readonly options: EngineOptions,
  ) {
    this.rtol = tieTolerance(grid.n);
    this.maxEvaluations = options.maxEvaluations ?? DEFAULT_MAX_EVALUATIONS;
    let maxK = 0;
    for (let i = 0; i < grid.n; i++) maxK = Math.max(maxK, Math.min(grid.caps[i], grid.lots));
    this.runStart = new Int32Array(maxK + 2);
    this.runEnd = new Int32Array(maxK + 2);
  }

  /** Compute period i (1-based); store k per s at table[rowOffset + s] when a table is given. */
  step(i: number, table: ArgTable | null, rowOffset: number): void {
    const { grid, ws, est, options } = this;
    this.poll(true);
    const M = grid.lots;
    const sLo = est.lo[i] | 0;
    const sHi = est.hi[i] | 0;
    const pLo = est.lo[i - 1] | 0;
    const pHi = est.hi[i - 1] | 0;
    const K = Math.min(grid.caps[i - 1], sHi - pLo, M) | 0;
    const { prevC, prevD, curC, curD, cost, arg } = ws;
    grid.fillCosts(i - 1, cost, K);
    const runs = this.findRuns(K);
    const w = this.work;
    // Work beside the cost evaluations: the costs filled and scanned (scale, suffix minima),
    // the rows set up and finished (start, pace deviation, state cost).
    w.evaluations += 3 * (K + 1) + 2 * (sHi - sLo + 1);
    if (this.counting) {
      w.runsTotal += runs + 1;
      if (runs + 1 < w.runsMin) w.runsMin = runs + 1;
      if (runs + 1 > w.runsMax) w.runsMax = runs + 1;
    }

    const minC = ws.minC;
    for (let s = sLo; s <= sHi; s++) {
      curC[s] = Infinity;
      curD[s] = Infinity;
      minC[s] = Infinity;
      arg[s] = 0;
    }
    // Columns: finite C(i−1, j).
    let nc = 0;
    const cols = ws.cols;
    let minPrev = Infinity;
    for (let j = pLo; j <= pHi; j++) {
      const v = prevC[j];
      if (v < Infinity) {
        cols[nc++] = j;
        if (v < minPrev) minPrev = v;
      }
    }

    const merged =
      runs === 1 &&
      this.runStart[0] === 1 &&
      convexFromZero(cost, K) &&
      nc === pHi - pLo + 1 &&
      isConvexRow(prevC, pLo, pHi);
    if (merged) {
      if (this.counting) w.merged++;
      this.mergeConvex(sLo, sHi, pLo, pHi, K);
    } else {
      // k = 0 first (C(i−1, s) bounds every row), then the runs by increasing order size;
      // a later candidate replaces an equal one, so ties keep the larger order.
      const zLo = Math.max(sLo, pLo);
      const zHi = Math.min(sHi, pHi);
      for (let s = zLo; s <= zHi; s++) {
        curC[s] = prevC[s];
        curD[s] = prevD[s];
        minC[s] = prevC[s];
      }
      if (zHi >= zLo) w.evaluations += zHi - zLo + 1;
      // sufMin[k] + minPrev bounds every candidate with an order ≥ k from below.
      const sufMin = ws.sufMin;
      sufMin[K + 1] = Infinity;
      for (let k = K; k >= 1; k--) sufMin[k] = cost[k] < sufMin[k + 1] ? cost[k] : sufMin[k + 1];
      const smawk = options.minima === 'smawk';
      for (let r = 0; r < runs; r++) {
        const a = this.runStart[r];
        let b = this.runEnd[r];
        if (b - a + 1 <= NARROW_RUN) {
          // Adjacent narrow runs (a stretch that bends down) are one direct scan over their
          // orders, which stops where no larger order can help the row.
          while (r + 1 < runs && this.runEnd[r + 1] - this.runStart[r + 1] + 1 <= NARROW_RUN)
            b = this.runEnd[++r];
          this.scanRun(a, b, sLo, sHi, nc, minPrev);
        } else if (smawk) this.smawkRun(a, b, sLo, sHi, nc);
        else this.dncRun(a, b, sLo, sHi, pLo, pHi, minPrev);
        this.poll();
      }
      // Rows where a lower value arrived after the tie was chosen: decided again exactly.
      this.settleDirty(0, K, pLo, pHi);
    }
    const rw = options.riskWeights ? options.riskWeights[i - 1] : 0;
    // Pace deviation in units of 1/N² lots², (N·s − M·i)²: whole numbers, so equal D compare
    // equal exactly (while below 2^53; beyond, ordinary floating point).
    const n = grid.n;
    const target = M * i;
    for (let s = sLo; s <= sHi; s++) {
      if (curC[s] < Infinity) {
        if (rw !== 0) {
          const h = M - s;
          curC[s] += rw * h * h;
        }
        const dev = n * s - target;
        curD[s] += dev * dev;
      }
    }
    if (table) table.set(arg.subarray(sLo, sHi + 1), rowOffset + sLo);
    // Progress by estimated work done (both passes when checkpointed).
    const rows = sHi - sLo + 1;
    this.doneWork += periodWorkEstimate(
      grid,
      options.shape,
      i - 1,
      rows,
      pHi - pLo + 1,
      options.minima,
      sHi - pLo,
    );
    if (options.onProgress) {
      const f = Math.min(0.999, this.doneWork / est.evaluations);
      if (f - this.reported >= 0.005) {
        this.reported = f;
        options.onProgress(f);
      }
    }
  }

  /**
   * Cancel is polled at every period and, inside a period, every million evaluations: between
   * runs, and within a run (`pending`: its evaluations not yet added to the work count), so
   * that one wide run never goes long without a poll (the worker's heartbeat comes from here).
   */
  private poll(force = false, pending = 0): void {
    const done = this.work.evaluations + pending;
    if (!force && done - this.sincePoll < POLL_EVALUATIONS) return;
    this.sincePoll = done;
    if (done > this.maxEvaluations) this.overLimit(done);
    if (this.options.shouldCancel?.()) throw new PlannerError('cancelled', 'solve cancelled');
  }

  /** The counted work passed the limit (only scans of stretches that bend down can). */
  private overLimit(done: number, projected?: number): never {
    const { n, lots } = this.grid;
    const what = `the exact DP on ${fmtInt(n)} periods × ${fmtInt(lots + 1)} lot counts`;
    const limit = this.maxEvaluations.toExponential(1);
    const how =
      projected === undefined
        ? `passed the limit of ${limit} cost evaluations (${done.toExponential(1)} done)`
        : `needs about ${projected.toExponential(1)} cost evaluations (judged from the ${done.toExponential(1)} done so far), more than the limit of ${limit}`;
    throw new PlannerError(
      'too_large',
      `shares: ${what} ${how}: where the cost of an order bends down (permanent impact beyond the impact's curvature, impact per share that falls) every order size is tried; use a larger lotSize or tighter caps`,
    );
  }

  /**
   * Maximal convex runs of c(1..K) (c(0) = 0 is the run {0}, handled apart); Infinity
   * entries (below a minimum order) are skipped. Returns the number of runs.
   */
  private findRuns(K: number): number {
    const c = this.ws.cost;
    const { grid } = this;
    let k = 1;
    while (k <= K && c[k] === Infinity) k++;
    if (k > K) return 0;
    if (grid.kind !== 'table' && !grid.numericRuns) {
      // Linear, power and book costs are convex beyond the fee and the minimum order.
      this.runStart[0] = k;
      this.runEnd[0] = K;
      return 1;
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
      this.runStart[runs] = a;
      this.runEnd[runs] = b;
      runs++;
      k = b + 1;
    }
    if (concave && this.counting) this.work.concavePeriods++;
    return runs;
  }

  /**
   * Direct scan of a narrow run [a, b], orders increasing; a row stops as soon as no larger
   * order can reach its tie limit (sufMin + minPrev, the old DP's bound). Every candidate is
   * offered to the row (offer).
   */
  private scanRun(
    a: number,
    b: number,
    sLo: number,
    sHi: number,
    nc: number,
    minPrev: number,
  ): void {
    const { prevC, prevD, cost, cols, sufMin, minC } = this.ws;
    if (nc === 0) return;
    const jMin = cols[0];
    const jMax = cols[nc - 1];
    const rLo = Math.max(sLo, jMin + a);
    const rHi = Math.min(sHi, jMax + b);
    const rtol = this.rtol;
    let evals = 0;
    let checkedEvals = 0;
    let checkedRow = rLo;
    for (let s = rLo; s <= rHi; s++) {
      this.poll(false, evals);
      if (evals - checkedEvals > POLL_EVALUATIONS) {
        // The rows since the last check project this scan's work (longer scans come with
        // larger totals): refuse as soon as it is bound to pass the limit, not at the limit.
        const rate = (evals - checkedEvals) / (s - checkedRow);
        checkedEvals = evals;
        checkedRow = s;
        const done = this.work.evaluations + evals;
        const projected = done + rate * (rHi - s + 1);
        if (projected > 1.5 * this.maxEvaluations) this.overLimit(done, projected);
      }
      const dHi = Math.min(b, s - jMin);
      const dLo = Math.max(a, s - jMax);
      for (let d = dLo; d <= dHi; d++) {
        const m = minC[s];
        if (sufMin[d] + minPrev > m + rtol * Math.abs(m)) break;
        const j = s - d;
        const cj = prevC[j];
        evals++;
        if (cj === Infinity) continue;
        this.offer(s, cj + cost[d], prevD[j], d);
      }
    }
    this.work.evaluations += evals;
  }

  /** Rows marked by offer() decided again over orders a..b (bandRowMinima's single run). */
  settleDirty(a: number, b: number, pLo: number, pHi: number): void {
    while (this.dirty.length > 0) this.rescanRow(this.dirty.pop()!, a, b, pLo, pHi);
  }

  /**
   * Offer candidate value v (pace deviation dv, order k) to total s of the current period.
   * minC[s] keeps the least value offered; curC, curD, arg the chosen candidate: the least D
   * among the values within the tie limit m + rtol·|m| of that least value m, equal D going
   * to the larger order. Costs are compared only relative to their own size, so a chosen
   * value is never more than the tie limit above the least one (cost is not traded for
   * shape). The limit only falls as m falls: when the chosen candidate drops out of it while
   * an earlier one may still be inside, the row is marked and rescanRow decides it again.
   */
  private offer(s: number, v: number, dv: number, k: number): void {
    const { curC, curD, arg, minC } = this.ws;
    const m = minC[s];
    if (!(v < Infinity)) return;
    if (v < m) {
      minC[s] = v;
      const lim = v + this.rtol * Math.abs(v);
      if (curC[s] > lim) {
        if (m <= lim) this.dirty.push(s);
        curC[s] = v;
        curD[s] = dv;
        arg[s] = k;
        return;
      }
    } else if (v > m + this.rtol * Math.abs(m)) return;
    if (dv < curD[s] || (dv === curD[s] && k > arg[s])) {
      curC[s] = v;
      curD[s] = dv;
      arg[s] = k;
    }
  }

  /**
   * Total s decided again from every candidate (orders kMin..kMax: 0..K in a period): the
   * least value first, then the least D among the values within its tie limit, equal D going
   * to the larger order. O(K); only for the rare rows offer() marks.
   */
  rescanRow(s: number, kMin: number, kMax: number, pLo: number, pHi: number): void {
    const { prevC, prevD, curC, curD, cost, arg, minC } = this.ws;
    const kLo = Math.max(kMin, s - pHi);
    const kHi = Math.min(kMax, s - pLo);
    let m = Infinity;
    for (let k = kLo; k <= kHi; k++) {
      const v = prevC[s - k] + cost[k];
      if (v < m) m = v;
    }
    const lim = m + this.rtol * Math.abs(m);
    let bd = Infinity;
    let bk = -1;
    for (let k = kLo; k <= kHi; k++) {
      const j = s - k;
      const v = prevC[j] + cost[k];
      if (v <= lim && (bk < 0 || prevD[j] <= bd)) {
        bd = prevD[j];
        bk = k;
      }
    }
    this.work.evaluations += 2 * (kHi - kLo + 1);
    if (m === Infinity || bk < 0) return;
    minC[s] = m;
    curC[s] = prevC[s - bk] + cost[bk];
    curD[s] = bd;
    arg[s] = bk;
  }

  /**
   * Row minima of A[s][j] = C(j) + c(s − j), s − j ∈ [a, b], by SMAWK (without recursion:
   * the REDUCE steps run top-down, level by level, the INTERPOLATE steps bottom-up), then
   * merged into the period's row.
   *
   * "Right column strictly better than left column at row s" (jl < jr): a column whose order
   * would exceed b (lower-left of the band) loses to any column on its right; one below a
   * (upper-right) never beats the column on its left; in-band entries compare as (cost, D).
   * The matrix stays totally monotone and its row minima are the band's. Equal entries keep
   * the left column (the larger order).
   */
  smawkRun(a: number, b: number, sLo: number, sHi: number, nc: number): void {
    const { prevC, prevD, cost, cols, pool, best, sv, sdl } = this.ws;
    if (nc === 0) return;
    const rLo = Math.max(sLo, cols[0] + a) | 0;
    const rHi = Math.min(sHi, cols[nc - 1] + b) | 0;
    if (rLo > rHi) return;
    // Columns that can reach a row of the run: j ∈ [rLo − b, rHi − a].
    const c0 = lowerBound(cols, 0, nc, rLo - b);
    const c1 = lowerBound(cols, c0, nc, rHi - a + 1);
    if (c0 >= c1) return;
    const rtol = this.rtol;
    const { lvStart, lvStride, lvCount, lvAt, lvLen } = this;
    let evals = 0;
    let src = cols;
    let from = c0;
    let len = c1 - c0;
    let start = rLo;
    let stride = 1;
    let count = rHi - rLo + 1;
    let at = 0;
    let levels = 0;
    while (count > 0) {
      this.poll(false, evals);
      // REDUCE: keep at most `count` columns of src[from, from + len). Each kept column's
      // order d and value at its own row are cached (sdl, sv): one new evaluation a test.
      let top = 0;
      for (let q = from; q < from + len; q++) {
        const c = src[q];
        while (top > 0) {
          const dl = sdl[top - 1];
          if (dl <= b) {
            const dr = start + (top - 1) * stride - c;
            if (dr < a) break;
            const vr = prevC[c] + cost[dr];
            evals++;
            const diff = sv[top - 1] - vr;
            const tol = rtol * Math.min(Math.abs(sv[top - 1]), Math.abs(vr));
            if (diff < -tol || (diff <= tol && !(prevD[c] < prevD[pool[at + top - 1]]))) break;
          }
          top--;
        }
        if (top < count) {
          const d = start + top * stride - c;
          pool[at + top] = c;
          sdl[top] = d;
          if (d >= a && d <= b) {
            sv[top] = prevC[c] + cost[d];
            evals++;
          }
          top++;
        }
      }
      lvStart[levels] = start;
      lvStride[levels] = stride;
      lvCount[levels] = count;
      lvAt[levels] = at;
      lvLen[levels] = top;
      levels++;
      src = pool;
      from = at;
      len = top;
      at += top;
      start += stride;
      stride *= 2;
      count >>= 1;
    }
    // INTERPOLATE, deepest level first: even rows between the odd rows' minima.
    for (let l = levels - 1; l >= 0; l--) {
      this.poll(false, evals);
      const st = lvStart[l];
      const sd = lvStride[l];
      const cnt = lvCount[l];
      const end = lvAt[l] + lvLen[l];
      let q = lvAt[l];
      for (let t = 0; t < cnt; t += 2) {
        const s = st + t * sd;
        const limit = t + 1 < cnt ? best[s + sd - rLo] : pool[end - 1];
        let bj = pool[q];
        let bdl = s - bj;
        let bv = bdl >= a && bdl <= b ? prevC[bj] + cost[bdl] : Infinity;
        evals++;
        while (q + 1 < end && pool[q] < limit) {
          q++;
          const c = pool[q];
          const dr = s - c;
          let take: boolean;
          if (bdl > b) take = true;
          else if (dr < a) take = false;
          else {
            const vr = prevC[c] + cost[dr];
            evals++;
            const diff = bv - vr;
            const tol = rtol * Math.min(Math.abs(bv), Math.abs(vr));
            take = diff > tol || (diff >= -tol && prevD[c] < prevD[bj]);
            if (take) {
              bj = c;
              bdl = dr;
              bv = vr;
              continue;
            }
          }
          if (take) {
            bj = c;
            bdl = dr;
            bv = dr >= a && dr <= b ? prevC[c] + cost[dr] : Infinity;
          }
        }
        best[s - rLo] = bj;
      }
    }
    for (let s = rLo; s <= rHi; s++) {
      const j = best[s - rLo];
      const d = s - j;
      if (d < a || d > b) continue;
      this.offer(s, prevC[j] + cost[d], prevD[j], d);
    }
    this.work.evaluations += evals + (rHi - rLo + 1);
  }

  /**
   * Row minima of A[s][j] = C(j) + c(s − j), s − j ∈ [a, b], by divide and conquer on the
   * monotone argmin: the middle row is scanned, the rows above search left of its minimum,
   * the rows below right of it. O((rows + columns) · log rows) with a tight inner loop; each
   * scan runs over increasing orders and stops once no larger order can reach the run's best
   * (sufMin + minPrev), so the run's own minimum is always found.
   */
  dncRun(
    a: number,
    b: number,
    sLo: number,
    sHi: number,
    pLo: number,
    pHi: number,
    minPrev: number,
  ): void {
    const { prevC, prevD, cost, best, sufMin } = this.ws;
    const rLo = Math.max(sLo, pLo + a) | 0;
    const rHi = Math.min(sHi, pHi + b) | 0;
    if (rLo > rHi) return;
    const rtol = this.rtol;
    let evals = 0;
    // Explicit stack of (row range, column range) to avoid recursion.
    const stack = this.dncStack;
    let top = 0;
    stack[top++] = rLo;
    stack[top++] = rHi;
    stack[top++] = pLo;
    stack[top++] = pHi;
    while (top > 0) {
      this.poll(false, evals);
      const oHi = stack[--top];
      const oLo = stack[--top];
      const hi = stack[--top];
      const lo = stack[--top];
      if (oHi - oLo < SMALL_NODE_COLUMNS || (hi - lo + 1) * (oHi - oLo + 1) <= SMALL_NODE_CELLS) {
        // Few columns left: scan every row of the node directly (no more splitting). Each
        // scan keeps its least value m and chooses as offer() does (orders increasing).
        for (let s = lo; s <= hi; s++) {
          const jLo = oLo > s - b ? oLo : s - b;
          const jHi = oHi < s - a ? oHi : s - a;
          let bd = Infinity;
          let bj = -1;
          let bv = Infinity;
          let m = Infinity;
          let lim = Infinity;
          for (let j = jHi; j >= jLo; j--) {
            const v = prevC[j] + cost[s - j];
            if (v < m) {
              if (bv > v + rtol * Math.abs(v)) {
                if (m <= v + rtol * Math.abs(v)) this.dirty.push(s);
                bd = Infinity;
              }
              m = v;
              lim = v + rtol * Math.abs(v);
            }
            if (v <= lim && prevD[j] <= bd) {
              bd = prevD[j];
              bj = j;
              bv = v;
            }
          }
          if (jHi >= jLo) evals += jHi - jLo + 1;
          best[s - rLo] = bj;
        }
        continue;
      }
      const mid = (lo + hi) >> 1;
      const jLo = oLo > mid - b ? oLo : mid - b;
      const jHi = oHi < mid - a ? oHi : mid - a;
      let bd = Infinity;
      let bj = -1;
      let bv = Infinity;
      let m = Infinity;
      let lim = Infinity;
      // The exact least (cost, D) column, equal pairs to the larger order: monotone in the
      // row (Monge). The other rows search up to both it and the chosen tie, so none loses its
      // least cost to a neighbour's tie-break, and ties keep their candidates.
      let ej = -1;
      let ed = Infinity;
      for (let j = jHi; j >= jLo; j--) {
        const k = mid - j;
        if (sufMin[k] + minPrev > lim) break;
        const v = prevC[j] + cost[k];
        if (v < m) {
          if (bv > v + rtol * Math.abs(v)) {
            if (m <= v + rtol * Math.abs(v)) this.dirty.push(mid);
            bd = Infinity;
          }
          m = v;
          lim = v + rtol * Math.abs(v);
          ej = j;
          ed = prevD[j];
        } else if (v === m && v < Infinity && prevD[j] <= ed) {
          ej = j;
          ed = prevD[j];
        }
        if (v <= lim && prevD[j] <= bd) {
          bd = prevD[j];
          bj = j;
          bv = v;
        }
        evals++;
      }
      best[mid - rLo] = bj;
      // A row without a finite entry constrains nothing: the band alone bounds its neighbours.
      if (lo < mid) {
        stack[top++] = lo;
        stack[top++] = mid - 1;
        stack[top++] = oLo;
        stack[top++] = bj < 0 ? oHi : ej < 0 || bj > ej ? bj : ej;
      }
      if (mid < hi) {
        stack[top++] = mid + 1;
        stack[top++] = hi;
        stack[top++] = bj < 0 ? oLo : ej < 0 || bj < ej ? bj : ej;
        stack[top++] = oHi;
      }
    }
    for (let s = rLo; s <= rHi; s++) {
      const j = best[s - rLo];
      if (j < 0) continue;
      this.offer(s, prevC[j] + cost[s - j], prevD[j], s - j);
    }
    this.work.evaluations += evals + (rHi - rLo + 1);
  }

  /**
   * C(i−1, ·) convex on [pLo, pHi] (no gaps) and c convex on [0, K]: the min-plus
   * convolution takes, for every s, the s − pLo cheapest increments of the two marginal
   * sequences (a merge, O(M)). Equal increments leave a range [jlo, jhi] of optimal splits
   * for s, both ends nondecreasing in s; the split with the smallest pace deviation D(j) in
   * that range is kept by a sliding-window minimum (a deque), so the merge stays O(M).
   */
  private mergeConvex(sLo: number, sHi: number, pLo: number, pHi: number, K: number): void {
    if (!this.mergeUnique(sLo, sHi, pLo, pHi, K)) this.mergeTies(sLo, sHi, pLo, pHi, K);
  }

  /**
   * The merge when every total has a single optimal split (no neighbour within tolerance):
   * one comparison and two neighbour checks per total. Returns false at the first tie, and
   * the period is redone by mergeTies.
   */
  private mergeUnique(sLo: number, sHi: number, pLo: number, pHi: number, K: number): boolean {
    const { prevC, prevD, curC, curD, cost, arg } = this.ws;
    const rtol = this.rtol;
    let j = pLo;
    let k = 0;
    const last = Math.min(sHi, pHi + K);
    for (let s = pLo; s <= last; s++) {
      if (s > pLo) {
        const dj = j < pHi ? prevC[j + 1] - prevC[j] : Infinity;
        const dk = k < K ? cost[k + 1] - cost[k] : Infinity;
        if (dk <= dj) k++;
        else j++;
      }
      if (s < sLo) continue;
      const v0 = prevC[j] + cost[k];
      const lim = v0 + rtol * Math.abs(v0);
      // The near-optimal splits form an interval around j (convex in j): check its neighbours.
      if (j > pLo && k < K && prevC[j - 1] + cost[k + 1] <= lim) return false;
      if (j < pHi && k > 0 && prevC[j + 1] + cost[k - 1] <= lim) return false;
      curC[s] = v0;
      curD[s] = prevD[j];
      arg[s] = k;
    }
    if (last >= sLo) this.work.evaluations += 3 * (last - Math.max(pLo, sLo) + 1);
    return true;
  }

  private mergeTies(sLo: number, sHi: number, pLo: number, pHi: number, K: number): void {
    const { prevC, prevD, curC, curD, cost, arg } = this.ws;
    const dq = this.ws.best;
    const rtol = this.rtol;
    let head = 0;
    let tail = 0;
    let j = pLo; // the merge's split for s: s = j + k
    let k = 0;
    let jlo = pLo;
    let jhi = pLo - 1; // every j ≤ jhi has been offered to the deque
    let evals = 0;
    const last = Math.min(sHi, pHi + K);
    for (let s = pLo; s <= last; s++) {
      if (s > pLo) {
        // Next increment: the cheaper of C(j+1) − C(j) and c(k+1) − c(k); equal ones take
        // the order's (larger k), as the other paths do.
        const dj = j < pHi ? prevC[j + 1] - prevC[j] : Infinity;
        const dk = k < K ? cost[k + 1] - cost[k] : Infinity;
        if (dk <= dj) k++;
        else j++;
      }
      if (s < sLo) continue;
      const v0 = prevC[j] + cost[k];
      const lim = v0 + rtol * Math.abs(v0);
      const jMax = pHi < s ? pHi : s;
      // Offer every split up to the last one still within tolerance to the deque (kept with
      // increasing D from its head; equal D keep the earlier split, the larger order).
      while (jhi < jMax && (jhi < j || prevC[jhi + 1] + cost[s - jhi - 1] <= lim)) {
        const jj = ++jhi;
        while (tail > head && prevD[dq[tail - 1]] > prevD[jj]) tail--;
        dq[tail++] = jj;
        evals++;
      }
      if (jlo < s - K) jlo = s - K;
      while (jlo < j && prevC[jlo] + cost[s - jlo] > lim) {
        jlo++;
        evals++;
      }
      while (dq[head] < jlo) head++;
      const jb = dq[head];
      curC[s] = prevC[jb] + cost[s - jb];
      curD[s] = prevD[jb];
      arg[s] = s - jb;
      evals++;
    }
    this.work.evaluations += evals;
  }
}

/**
 * Test hook: the row minima of one convex run [a, b] over a given row C, D (Infinity marks
 * unreachable totals), for s in [sLo, sHi], by SMAWK or by divide and conquer. Returns the
 * chosen order d per row (−1 where no entry is finite) and the row's (cost, D).
 */
export function bandRowMinima(
  prevC: Float64Array,
  prevD: Float64Array,
  cost: Float64Array,
  a: number,
  b: number,
  sLo: number,
  sHi: number,
  how: 'smawk' | 'dnc',
): { d: Int32Array; c: Float64Array; dev: Float64Array } {
  const M = prevC.length - 1;
  const ws = new Workspace(M, cost.length - 1);
  ws.prevC.set(prevC);
  ws.prevD.set(prevD);
  ws.cost.set(cost);
  ws.curC.fill(Infinity);
  ws.curD.fill(Infinity);
  ws.minC.fill(Infinity);
  ws.arg.fill(-1);
  const grid = { n: 1, lots: M, caps: new Float64Array([M]) } as unknown as ImpactGrid;
  const est = { lo: new Float64Array([0, sLo]), hi: new Float64Array([M, sHi]) } as EngineEstimate;
  const st = new PeriodStepper(grid, ws, est, {});
  let nc = 0;
  for (let j = 0; j <= M; j++) if (prevC[j] < Infinity) ws.cols[nc++] = j;
  let minPrev = Infinity;
  for (let j = 0; j <= M; j++) if (prevC[j] < minPrev) minPrev = prevC[j];
  ws.sufMin[cost.length] = Infinity;
  for (let k = cost.length - 1; k >= 0; k--) ws.sufMin[k] = Math.min(cost[k], ws.sufMin[k + 1]);
  if (how === 'smawk') st.smawkRun(a, b, sLo, sHi, nc);
  else st.dncRun(a, b, sLo, sHi, 0, M, minPrev);
  st.settleDirty(a, b, 0, M);
  return {
    d: ws.arg.slice(sLo, sHi + 1),
    c: ws.curC.slice(sLo, sHi + 1),
    dev: ws.curD.slice(sLo, sHi + 1),
  };
}

// ---------------------------------------------------------------------------------------
// Helpers

/** c(0) = 0, c(1), c(2): the first two increments do not fall (no fee jump). */
function convexFromZero(cost: Float64Array, K: number): boolean {
  if (K < 2) return true;
  const d2 = cost[2] - 2 * cost[1] + cost[0];
  return d2 >= -CONVEX_RTOL * (Math.abs(cost[2]) + 2 * Math.abs(cost[1]));
}

/** Second differences of row[lo..hi] all ≥ 0 (within noise). O(hi − lo). */
function isConvexRow(row: Float64Array, lo: number, hi: number): boolean {
  for (let s = lo + 1; s < hi; s++) {
    const d2 = row[s + 1] - 2 * row[s] + row[s - 1];
    if (d2 < -CONVEX_RTOL * (Math.abs(row[s + 1]) + 2 * Math.abs(row[s]) + Math.abs(row[s - 1])))
      return false;
  }
  return true;
}

/** First index p in [from, to) with arr[p] ≥ v (arr ascending). */
function lowerBound(arr: Int32Array, from: number, to: number, v: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Estimated evaluations for period i (0-based) with `rows` totals and `cols` previous
 * totals: SMAWK on the convex run(s), direct scans of what bends down. Tables: one run per
 * piece whose impact does not fall, and one point per lot where it falls.
 */
function periodWorkEstimate(
  grid: ImpactGrid,
  shape: RunShape | undefined,
  i: number,
  rows: number,
  cols: number,
  minimaKind: EngineOptions['minima'],
  reach: number,
): number {
  // The largest order that can move a total of the previous row into this one.
  const K = Math.max(0, Math.min(grid.caps[i], grid.lots, reach));
  if (K === 0) return 3 * rows + 3;
  const concave = Math.min(K, shape ? shape.concaveLots(i) : 0);
  const convexRuns = shape ? Math.max(1, shape.convexRuns(i)) : 1;
  // A run is scanned directly (≤ NARROW_RUN points) or by monotone minima: SMAWK in
  // O(rows + columns); divide and conquer scans at most every column plus one per node on
  // each of its ⌈log2(rows + 1)⌉ levels, and no row beyond the run's K + 1 orders.
  const span = Math.min(cols, rows + K);
  const levels = Math.ceil(Math.log2(rows + 1));
  const minima =
    minimaKind === 'smawk'
      ? (SMAWK_FACTOR + 1) * rows + SMAWK_FACTOR * span
      : rows + Math.min(levels * (span + rows), rows * (K + 1));
  const run = Math.max(NARROW_RUN * rows, minima);
  // The period's costs c(0..K) are computed once, then every row is set up.
  return 3 * (K + 1) + 3 * rows + convexRuns * run + (concave > 0 ? concave + 2 : 0) * rows;
}

/** The part of periodWorkEstimate that scans stretches bending down. */
function concaveScanEstimate(
  grid: ImpactGrid,
  shape: RunShape | undefined,
  i: number,
  rows: number,
  reach: number,
): number {
  const K = Math.max(0, Math.min(grid.caps[i], grid.lots, reach));
  const concave = Math.min(K, shape ? shape.concaveLots(i) : 0);
  return K > 0 && concave > 0 ? (concave + 2) * rows : 0;
}

function maxWidthOf(lo: Float64Array, hi: Float64Array): number {
  let w = 1;
  for (let i = 0; i < lo.length; i++) w = Math.max(w, hi[i] - lo[i] + 1);
  return w;
}

function newArgTable(bytes: 1 | 2 | 4, cells: number): ArgTable {
  return bytes === 1
    ? new Uint8Array(cells)
    : bytes === 2
      ? new Uint16Array(cells)
      : new Uint32Array(cells);
}

function sliceRow(row: Float64Array, lo: number, hi: number): Float64Array {
  return Float64Array.from(row.subarray(lo, hi + 1));
}

export function fmtBytes(b: number, digits = 1): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = b;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? Math.round(v) : v.toFixed(digits)} ${units[u]}`;
}

/** Two sizes formatted with enough digits that "needs X, more than Y" never reads X = Y. */
export function fmtBytesPair(need: number, have: number): [string, string] {
  for (let digits = 1; digits <= 6; digits++) {
    const a = fmtBytes(need, digits);
    const b = fmtBytes(have, digits);
    if (a !== b) return [a, b];
  }
  return [`${fmtInt(need)} bytes`, `${fmtInt(have)} bytes`];
}
