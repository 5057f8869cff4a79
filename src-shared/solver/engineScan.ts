/**
 * Direct scans of narrow runs: adjacent runs of at most NARROW_RUN points (a stretch where
 * the cost bends down) are one scan over their orders for every total, stopped where no
 * larger order can help, and held to the work limit as they run. Also their part of the work
 * estimate: the one part that is an upper bound far above what the early stop leaves.
 */
import type { EngineRow } from './engineRow';
import { POLL_EVALUATIONS } from './engineRow';
import { NARROW_RUN } from './engineRuns';

/**
 * Direct scan of the narrow runs [a, b], orders increasing; a row stops as soon as no larger
 * order can reach its tie limit (sufMin + minPrev, the old DP's bound). Every candidate is
 * offered to the row (offer). `nc` columns of C(i−1, ·) are finite (ws.cols), the least of
 * them minPrev.
 */
export function scanRun(
  row: EngineRow,
  a: number,
  b: number,
  sLo: number,
  sHi: number,
  nc: number,
  minPrev: number,
): void {
  const { prevC, prevD, cost, cols, sufMin, minC } = row.ws;
  if (nc === 0) return;
  const jMin = cols[0];
  const jMax = cols[nc - 1];
  const rLo = Math.max(sLo, jMin + a);
  const rHi = Math.min(sHi, jMax + b);
  const rtol = row.rtol;
  let evals = 0;
  let checkedEvals = 0;
  let checkedRow = rLo;
  for (let s = rLo; s <= rHi; s++) {
    row.poll(false, evals);
    if (evals - checkedEvals > POLL_EVALUATIONS) {
      // The rows since the last check project this scan's work (longer scans come with
      // larger totals): refuse as soon as it is bound to pass the limit, not at the limit.
      const rate = (evals - checkedEvals) / (s - checkedRow);
      checkedEvals = evals;
      checkedRow = s;
      const done = row.work.evaluations + evals;
      const projected = done + rate * (rHi - s + 1);
      if (projected > 1.5 * row.maxEvaluations) row.overLimit(done, projected);
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
      row.offer(s, cj + cost[d], prevD[j], d);
    }
  }
  row.work.evaluations += evals;
}

/** Estimated evaluations of one run of at most NARROW_RUN points over `rows` totals. */
export function narrowRunWork(rows: number): number {
  return NARROW_RUN * rows;
}

/**
 * Estimated evaluations of the scans of a period's stretches that bend down: `concaveLots`
 * orders (and two around them) for each of `rows` totals, with orders up to K. An upper
 * bound that the early stop usually beats by far, so it is held to the limit on the counted
 * work (EngineRow.poll, the projection above) rather than before the solve.
 */
export function concaveScanWork(K: number, concaveLots: number, rows: number): number {
  const concave = Math.min(K, concaveLots);
  return K > 0 && concave > 0 ? (concave + 2) * rows : 0;
}
