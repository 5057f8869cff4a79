/**
 * Monotone minima of a convex run: for a convex run [a, b] of the period's cost the matrix
 * A[s][j] = C(i−1, j) + c(s − j) is Monge whatever C(i−1, ·) is (+∞ outside the band), so
 * the best column is nondecreasing in the row. Found by divide and conquer (the production
 * path; SMAWK, O(rows + columns), was measured slower on the engine's bounded ranges and
 * removed: docs/solver.md), with its part of the work estimate beside it, and a test hook.
 */
import { EngineRow } from './engineRow';
import { Workspace } from './engineMemory';

/** Divide and conquer scans a node's rows directly once it has fewer columns than this. */
const SMALL_NODE_COLUMNS = 4;
/** … or fewer cells than this (rows × columns): splitting costs more than it saves. */
const SMALL_NODE_CELLS = 48;

/**
 * Row minima of A[s][j] = C(j) + c(s − j), s − j ∈ [a, b], by divide and conquer on the
 * monotone argmin: the middle row is scanned, the rows above search left of its minimum,
 * the rows below right of it. O((rows + columns) · log rows) with a tight inner loop; each
 * scan runs over increasing orders and stops once no larger order can reach the run's best
 * (sufMin + minPrev), so the run's own minimum is always found. The minima are offered to
 * the row (offer).
 */
export function dncRun(
  row: EngineRow,
  a: number,
  b: number,
  sLo: number,
  sHi: number,
  pLo: number,
  pHi: number,
  minPrev: number,
): void {
  const { prevC, prevD, cost, best, sufMin } = row.ws;
  const rLo = Math.max(sLo, pLo + a) | 0;
  const rHi = Math.min(sHi, pHi + b) | 0;
  if (rLo > rHi) return;
  const rtol = row.rtol;
  const dirty = row.dirty;
  let evals = 0;
  // Explicit stack of (row range, column range) to avoid recursion.
  const stack = row.ws.dncStack;
  let top = 0;
  stack[top++] = rLo;
  stack[top++] = rHi;
  stack[top++] = pLo;
  stack[top++] = pHi;
  while (top > 0) {
    row.poll(false, evals);
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
              if (m <= v + rtol * Math.abs(v)) dirty.push(s);
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
          if (m <= v + rtol * Math.abs(v)) dirty.push(mid);
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
    row.offer(s, prevC[j] + cost[s - j], prevD[j], s - j);
  }
  row.work.evaluations += evals + (rHi - rLo + 1);
}

/**
 * Estimated evaluations of dncRun over `rows` totals whose columns can reach `span` previous
 * totals, orders up to K: every column plus one per node on each of its ⌈log2(rows + 1)⌉
 * levels, and no row beyond the run's K + 1 orders; plus the offers, one a row.
 */
export function dncWork(rows: number, span: number, K: number): number {
  const levels = Math.ceil(Math.log2(rows + 1));
  return rows + Math.min(levels * (span + rows), rows * (K + 1));
}

/**
 * Test hook: the row minima of one convex run [a, b] over a given row C, D (Infinity marks
 * unreachable totals), for s in [sLo, sHi], by divide and conquer. Returns the chosen order d
 * per row (−1 where no entry is finite) and the row's (cost, D).
 */
export function bandRowMinima(
  prevC: Float64Array,
  prevD: Float64Array,
  cost: Float64Array,
  a: number,
  b: number,
  sLo: number,
  sHi: number,
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
  const row = new EngineRow({ n: 1, lots: M }, ws, {});
  let minPrev = Infinity;
  for (let j = 0; j <= M; j++) if (prevC[j] < minPrev) minPrev = prevC[j];
  ws.sufMin[cost.length] = Infinity;
  for (let k = cost.length - 1; k >= 0; k--) ws.sufMin[k] = Math.min(cost[k], ws.sufMin[k + 1]);
  dncRun(row, a, b, sLo, sHi, 0, M, minPrev);
  row.settleDirty(a, b, 0, M);
  return {
    d: ws.arg.slice(sLo, sHi + 1),
    c: ws.curC.slice(sLo, sHi + 1),
    dev: ws.curD.slice(sLo, sHi + 1),
  };
}
