/**
 * The DP engine's memory: the workspace of rows it fills period after period, the argmin
 * table (the chosen order for every period and total) and the checkpointed rows that replace
 * the table when it would not fit, with the bytes of each, counted before anything is
 * allocated (engineEstimate.ts checks them against the budget).
 */

/**
 * Work units for each lot count of the workspace (eight rows of M + 1 allocated and filled
 * once a run): counted with the cost evaluations so that the limit covers it.
 */
export const SETUP_WORK = 8;

/** Divide and conquer's explicit stack: 4 numbers per pending range, depth ≤ 2·log2 M. */
const DNC_STACK = 4 * 2 * 64;

/**
 * The rows of one engine run: C(i−1, ·), D(i−1, ·) in prev*, C(i, ·), D(i, ·) in cur*, and the
 * scratch that the ways of filling a row share.
 */
export class Workspace {
  prevC: Float64Array;
  prevD: Float64Array;
  curC: Float64Array;
  curD: Float64Array;
  /** Least value offered to each s of the current period so far (curC holds the chosen one). */
  readonly minC: Float64Array;
  /** Chosen lots per s of the current period. */
  readonly arg: Int32Array;
  /** Columns j with finite C(i−1, j). */
  readonly cols: Int32Array;
  /** Best column per row of the current run (the merge's deque). */
  readonly best: Int32Array;
  /** The period's costs c(0..K). */
  readonly cost: Float64Array;
  /** Suffix minima of the period's costs: min over orders ≥ k. */
  readonly sufMin: Float64Array;
  /** The period's convex runs [runStart[r], runEnd[r]] of orders. */
  readonly runStart: Int32Array;
  readonly runEnd: Int32Array;
  readonly dncStack = new Int32Array(DNC_STACK);

  constructor(M: number, maxK: number) {
    this.prevC = new Float64Array(M + 1);
    this.prevD = new Float64Array(M + 1);
    this.curC = new Float64Array(M + 1);
    this.curD = new Float64Array(M + 1);
    this.minC = new Float64Array(M + 1);
    this.arg = new Int32Array(M + 1);
    this.cols = new Int32Array(M + 1);
    this.best = new Int32Array(M + 1);
    this.cost = new Float64Array(maxK + 1);
    this.sufMin = new Float64Array(maxK + 2);
    this.runStart = new Int32Array(maxK + 2);
    this.runEnd = new Int32Array(maxK + 2);
  }

  /** Bytes of a workspace for M lots and orders up to maxK: the arrays above. */
  static bytes(M: number, maxK: number): number {
    return (M + 1) * (5 * 8 + 3 * 4) + (maxK + 2) * (2 * 8 + 2 * 4) + DNC_STACK * 4;
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

/** The largest order any period can take on the grid: min(K_i, M) over the periods. */
export function largestOrder(caps: Float64Array, M: number): number {
  let maxK = 0;
  for (let i = 0; i < caps.length; i++) maxK = Math.max(maxK, Math.min(caps[i], M));
  return maxK;
}

export type ArgTable = Uint8Array | Uint16Array | Uint32Array;

/** The argmin table's bytes per cell: the smallest unsigned type that holds every cap. */
export function argBytesFor(maxCap: number): 1 | 2 | 4 {
  return maxCap <= 0xff ? 1 : maxCap <= 0xffff ? 2 : 4;
}

export function newArgTable(bytes: 1 | 2 | 4, cells: number): ArgTable {
  return bytes === 1
    ? new Uint8Array(cells)
    : bytes === 2
      ? new Uint16Array(cells)
      : new Uint32Array(cells);
}

export interface MemoryPlan {
  /** Bytes the solve will allocate (table or checkpoints, rows, buffers). */
  bytes: number;
  /** Bytes of the full argmin table (what checkpointing avoids). */
  fullTableBytes: number;
  checkpointed: boolean;
  argBytes: 1 | 2 | 4;
  /** Periods per checkpointed segment (≈ √N). */
  segment: number;
}

/**
 * The memory of a run over `cells` (period, total) states, rows at most `maxWidth` wide: the
 * full argmin table when it fits the budget (or checkpoints are not forced), else only every
 * ⌈√N⌉-th row of C and D and one segment's table, recomputed while backtracking.
 */
export function planMemory(
  n: number,
  M: number,
  maxCap: number,
  cells: number,
  maxWidth: number,
  budget: number,
  forceCheckpoints: boolean,
): MemoryPlan {
  const argBytes = argBytesFor(maxCap);
  const rowBytes = Workspace.bytes(M, Math.min(maxCap, M));
  const fullTableBytes = cells * argBytes;
  const segment = Math.max(1, Math.ceil(Math.sqrt(n)));
  const checkpointBytes = Math.ceil(n / segment) * 2 * 8 * maxWidth + segment * maxWidth * argBytes;
  const checkpointed = forceCheckpoints || fullTableBytes + rowBytes > budget;
  const bytes = rowBytes + (checkpointed ? checkpointBytes : fullTableBytes);
  return { bytes, fullTableBytes, checkpointed, argBytes, segment };
}

/** A copy of row[lo..hi] (a checkpoint). */
export function sliceRow(row: Float64Array, lo: number, hi: number): Float64Array {
  return row.slice(lo, hi + 1);
}

export function maxWidthOf(lo: Float64Array, hi: Float64Array): number {
  let w = 1;
  for (let i = 0; i < lo.length; i++) w = Math.max(w, hi[i] - lo[i] + 1);
  return w;
}
