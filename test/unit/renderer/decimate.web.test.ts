/** Min/max decimation of long series before they reach chart.js. */
import { describe, expect, it } from 'vitest';
import { bucketsFor, decimateMinMax } from '../../../src-renderer/src/lib/decimate';

/**
 * Which bucket (0..b−1) index i of n falls in, as decimateMinMax cuts them: the largest k with
 * floor(k·n/b) ≤ i, i.e. k·n/b < i + 1.
 */
const bucketOf = (i: number, n: number, b: number) => Math.ceil(((i + 1) * b) / n) - 1;

describe('decimateMinMax', () => {
  it('keeps a one-period spike among 100,000 flat periods', () => {
    const ys = new Array<number>(100_000).fill(100);
    ys[61_234] = 50_000;
    ys[7] = 0;
    const out = decimateMinMax(ys, 600);
    expect(out).toContainEqual({ x: 61_234, y: 50_000 });
    expect(out).toContainEqual({ x: 7, y: 0 });
    expect(Math.max(...out.map((p) => p.y))).toBe(50_000);
  });

  it('gives at most two points per bucket, in x order', () => {
    const n = 100_000;
    const b = 700;
    const ys = Array.from({ length: n }, (_, i) => Math.round(1000 * Math.sin(i / 37) + (i % 13)));
    const out = decimateMinMax(ys, b);
    const perBucket = new Map<number, number>();
    for (const p of out) {
      const k = bucketOf(p.x, n, b);
      perBucket.set(k, (perBucket.get(k) ?? 0) + 1);
    }
    expect(Math.max(...perBucket.values())).toBeLessThanOrEqual(2);
    expect(out.length).toBeLessThanOrEqual(2 * b);
    for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThan(out[i - 1].x);
    // Every bucket's extremes are there (end buckets aside, which keep their end point).
    for (let k = 1; k < b - 1; k++) {
      const from = Math.floor((k * n) / b);
      const slice = ys.slice(from, Math.floor(((k + 1) * n) / b));
      const kept = out.filter((p) => bucketOf(p.x, n, b) === k).map((p) => p.y);
      expect(kept).toContain(Math.max(...slice));
      expect(kept).toContain(Math.min(...slice));
    }
  });

  it('keeps the first and the last point even when neither is an extreme of its bucket', () => {
    const n = 10_000;
    const ys: number[] = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 10 : 30));
    ys[0] = 20;
    ys[n - 1] = 21;
    const out = decimateMinMax(ys, 100, (i) => 1000 + i);
    expect(out[0]).toEqual({ x: 1000, y: 20 });
    expect(out.at(-1)).toEqual({ x: 1000 + n - 1, y: 21 });
    expect(out.filter((p) => p.x < 1100)).toHaveLength(2);
  });

  it('returns a short series whole, with the x it is given', () => {
    expect(decimateMinMax([5, 0, 7], 100, (i) => i + 1)).toEqual([
      { x: 1, y: 5 },
      { x: 2, y: 0 },
      { x: 3, y: 7 },
    ]);
    expect(decimateMinMax([], 10)).toEqual([]);
  });

  it('one bucket per pixel, with a default before the chart is laid out', () => {
    expect(bucketsFor(612.4)).toBe(612);
    expect(bucketsFor(0)).toBe(800);
  });
});
