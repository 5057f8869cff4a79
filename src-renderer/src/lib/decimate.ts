/**
 * Decimation of long series before they reach chart.js: per pixel bucket, the smallest and
 * the largest value (in their order), so a spike of one period among 100,000 still shows.
 * chart.js's own decimation plugin needs a linear axis with parsing off and runs after the
 * data has been handed over; this runs before, so chart.js only ever sees ~2 points a pixel.
 */

export interface XY {
  x: number;
  y: number;
}

/**
 * The points (x(i), ys[i]) of a series, at most two per bucket of `buckets` equal runs of
 * indices: each bucket's minimum and maximum in index order (one point when they coincide).
 * The first and last points are always kept: the first bucket keeps its first point and the
 * extreme farthest from it, the last bucket likewise with its last point. A series of at most
 * 2·buckets points comes back whole.
 */
export function decimateMinMax(
  ys: ArrayLike<number>,
  buckets: number,
  x: (i: number) => number = (i) => i,
): XY[] {
  const n = ys.length;
  const b = Math.max(1, Math.floor(buckets));
  const out: XY[] = [];
  if (n <= 2 * b) {
    for (let i = 0; i < n; i++) out.push({ x: x(i), y: ys[i] });
    return out;
  }
  const push = (i: number) => out.push({ x: x(i), y: ys[i] });
  for (let k = 0; k < b; k++) {
    const from = Math.floor((k * n) / b);
    const to = Math.floor(((k + 1) * n) / b); // exclusive
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      if (ys[i] < ys[lo]) lo = i;
      if (ys[i] > ys[hi]) hi = i;
    }
    // An end bucket keeps its end point and, of its two extremes, the one farther from it.
    if (k === 0 || k === b - 1) {
      const end = k === 0 ? from : to - 1;
      const far = Math.abs(ys[hi] - ys[end]) >= Math.abs(ys[lo] - ys[end]) ? hi : lo;
      lo = Math.min(end, far);
      hi = Math.max(end, far);
    }
    if (lo === hi) push(lo);
    else {
      push(Math.min(lo, hi));
      push(Math.max(lo, hi));
    }
  }
  return out;
}

/** Buckets for a chart of `width` CSS pixels (its canvas; a default before it is laid out). */
export function bucketsFor(width: number): number {
  return width > 0 ? Math.max(50, Math.round(width)) : 800;
}
