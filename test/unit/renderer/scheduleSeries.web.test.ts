/**
 * The shares-per-period series: steps, nothing smoothed, and lot-rounding that alternates
 * (2 and 3 lots in turn) kept as a band between the two levels after decimation.
 */
import { describe, expect, it } from 'vitest';
import {
  sharesAxis,
  sharesDataset,
  strategyDataset,
} from '../../../src-renderer/src/lib/scheduleSeries';
import { lineOptions, impactCurveOptions } from '../../../src-renderer/src/lib/chartOptions';

const STYLE = { optimalWidth: 2.5, baselineWidth: 1.25, baselineDash: [5, 3] };
const optimal = { key: 'optimal', name: 'Optimal' };
/** 2 and 3 lots of 100 in turn, n periods. */
const alternating = (n: number): number[] =>
  Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 200 : 300));

describe('sharesDataset', () => {
  it('draws steps held over each period, closed at the end of the last one, never smoothed', () => {
    const ds = sharesDataset(
      optimal,
      [200, 300, 200],
      '#000',
      { buckets: 800, xOf: (i) => i + 1 },
      STYLE,
    );
    expect(ds.stepped).toBe('before');
    expect(ds.tension).toBe(0);
    expect(ds.cubicInterpolationMode).toBe('default');
    expect(ds.data).toEqual([
      { x: 1, y: 200 },
      { x: 2, y: 300 },
      { x: 3, y: 200 },
      // The end of period 3: its 200 shares are held over the whole period.
      { x: 4, y: 200 },
    ]);
  });

  it('keeps 2-and-3-lot alternation as a band in every bucket after decimation', () => {
    const n = 100_000;
    const buckets = 800;
    const ds = sharesDataset(
      optimal,
      alternating(n),
      '#000',
      { buckets, xOf: (i) => i + 1 },
      STYLE,
    );
    // At most two points a bucket, plus the closing one.
    expect(ds.data.length).toBeLessThanOrEqual(2 * buckets + 1);
    const points = ds.data.slice(0, -1);
    expect(new Set(points.map((p) => p.y))).toEqual(new Set([200, 300]));
    // Every bucket of periods has both levels: the band is solid from first to last period.
    const seen = new Map<number, Set<number>>();
    for (const p of points) {
      const k = Math.floor(((p.x - 1) * buckets) / n);
      if (!seen.has(k)) seen.set(k, new Set());
      seen.get(k)!.add(p.y);
    }
    expect(seen.size).toBe(buckets);
    for (const levels of seen.values()) expect(levels).toEqual(new Set([200, 300]));
  });

  it('keeps a single spike among many periods', () => {
    const ys = alternating(50_000);
    ys[31_337] = 5_000;
    const ds = sharesDataset(optimal, ys, '#000', { buckets: 500, xOf: (i) => i }, STYLE);
    expect(ds.data).toContainEqual({ x: 31_337, y: 5_000 });
  });

  it('the axis runs to the end of the last period', () => {
    const axis = { title: 'Period', min: 1, max: 10, clock: false };
    expect(sharesAxis({ axis, xOf: (i) => i + 1, indexOf: (x) => x - 1 }, 10)).toEqual({
      ...axis,
      max: 11,
    });
  });
});

describe('no chart smooths a number', () => {
  it('line datasets and the shared line options have no tension and no monotone curve', () => {
    const ds = strategyDataset(optimal, [1, 2, 3], '#000', { buckets: 10, xOf: (i) => i }, STYLE);
    expect(ds.tension).toBe(0);
    const colors = { text: '#000', grid: '#ccc' };
    for (const o of [
      lineOptions(colors, { title: 'y' }, { title: 'x' }),
      impactCurveOptions(colors),
    ]) {
      expect(o.elements?.line?.tension).toBe(0);
      expect(o.elements?.line?.cubicInterpolationMode).toBe('default');
    }
  });
});
