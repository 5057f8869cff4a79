import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AllocationError,
  allocateLots,
  baselineWeights,
  computeBaselines,
  evaluateBaseline,
  roundCumulative,
  sortByLevel,
} from './baselines';
import { buildImpactGrid, capacity, type ImpactGrid } from './impact';
import type { ImpactModel, Plan } from './plan';
import { BaselineResultSchema } from './result';
import { arbPlan } from './testing/arbitraries';
import { referenceCapShares } from './testing/bruteForce';
import { testPlan } from './testing/plans';

const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0);

/** Indices of the periods that trade. */
const tradingPeriods = (xs: ArrayLike<number>) =>
  Array.from(xs).flatMap((x, i) => (x > 0 ? [i] : []));

/** Gaps between consecutive trading periods. */
const gaps = (xs: ArrayLike<number>) => {
  const at = tradingPeriods(xs);
  return at.slice(1).map((p, j) => p - at[j]);
};

/** Whole lots, 0 ≤ out[i] ≤ caps[i], summing exactly to total. */
function expectValidAllocation(out: ArrayLike<number>, caps: ArrayLike<number>, total: number) {
  expect(sum(out)).toBe(total);
  Array.from(out).forEach((k, i) => {
    expect(Number.isInteger(k)).toBe(true);
    expect(k).toBeGreaterThanOrEqual(0);
    expect(k).toBeLessThanOrEqual(caps[i]);
  });
}

/** Cost of a schedule in lots (the known optimum of a test; the solver's tests prove it). */
const costOf = (grid: ImpactGrid, lots: number[]) => sum(lots.map((k, i) => grid.cost(i, k)));

/** A plan of `lots` lots of 100 over `periods` one-minute periods, linear impact, no caps. */
function sessionPlan(lots: number, periods: number): Plan {
  return testPlan({
    shares: lots * 100,
    lotSize: 100,
    periods,
    impact: { model: 'linear', beta: 1e-6 },
  });
}

describe('allocateLots', () => {
  it('sums exactly to the total, respects caps, and rounds each uncapped period within one lot', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 40 })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer({ min: 0, max: 2000 }),
        (pairs, want) => {
          const w = pairs.map((p) => p[0]);
          const caps = pairs.map((p) => p[1]);
          const total = Math.min(want, sum(caps));
          const out = allocateLots(w, caps, total);
          expectValidAllocation(out, caps, total);
          // Without caps in the way, every prefix is within half a lot of the continuous curve
          // and so every period within one lot of its share.
          const W = sum(w);
          if (W > 0 && caps.every((c, i) => c >= (total * w[i]) / W + 1)) {
            let cum = 0;
            let T = 0;
            out.forEach((k, i) => {
              cum += k;
              T += (total * w[i]) / W;
              expect(Math.abs(cum - T)).toBeLessThanOrEqual(0.5 + 1e-9);
              expect(Math.abs(k - (total * w[i]) / W)).toBeLessThan(1);
            });
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('weights spanning 1e−20..1e20 (zeros included) and random caps: exact total, every cap holds', () => {
    const weight = fc.oneof(
      { arbitrary: fc.constant(0), weight: 1 },
      {
        arbitrary: fc
          .tuple(fc.integer({ min: -20, max: 20 }), fc.double({ min: 1, max: 9.99, noNaN: true }))
          .map(([e, m]) => m * 10 ** e),
        weight: 4,
      },
    );
    const cap = fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: 0, max: 500 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(weight, cap), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (pairs, frac) => {
          const w = pairs.map((p) => p[0]);
          const caps = pairs.map((p) => p[1]);
          const total = Math.round(frac * sum(caps));
          const out = allocateLots(w, caps, total);
          expectValidAllocation(out, caps, total);
          // Zero-weight periods only take what the weighted ones cannot.
          const weightedCap = sum(caps.map((c, i) => (w[i] > 0 ? c : 0)));
          out.forEach((k, i) => {
            if (weightedCap >= total && !(w[i] > 0)) expect(k).toBe(0);
            if (weightedCap < total && w[i] > 0) expect(k).toBe(caps[i]);
          });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('weights across the whole double range (1e−300..1e300) still sum exactly within the caps', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constant(0),
              fc.integer({ min: -300, max: 300 }).map((e) => 10 ** e),
            ),
            fc.integer({ min: 0, max: 20 }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (pairs, frac) => {
          const w = pairs.map((p) => p[0]);
          const caps = pairs.map((p) => p[1]);
          const total = Math.round(frac * sum(caps));
          expectValidAllocation(allocateLots(w, caps, total), caps, total);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('redistributes the excess of capped periods over the others by weight', () => {
    expect(Array.from(allocateLots([1, 1, 1, 1], [1, 10, 10, 10], 10))).toEqual([1, 3, 3, 3]);
    expect(Array.from(allocateLots([4, 3, 2, 1], [2, 10, 10, 10], 10))).toEqual([2, 4, 3, 1]);
    // Zero-weight periods only take what the weighted ones cannot.
    expect(Array.from(allocateLots([0, 1, 0, 1], [5, 2, 5, 2], 8))).toEqual([2, 2, 2, 2]);
    expect(Array.from(allocateLots([0, 1, 0, 1], [5, 9, 5, 9], 8))).toEqual([0, 4, 0, 4]);
    expect(() => allocateLots([1, 1], [1, 1], 3)).toThrow(/caps allow 2 lots, fewer than 3/);
  });

  it('rounds the cumulative curve: fewer lots than periods are spread, not front-loaded', () => {
    // 3 lots over 7 equal periods: T = 3/7, 6/7, …, 3 and round(T_i) steps past 0.5, 1.5, 2.5.
    expect(Array.from(allocateLots(new Array(7).fill(1), new Array(7).fill(3), 3))).toEqual([
      0, 1, 0, 1, 0, 1, 0,
    ]);
    // Largest remainder gave [1, 1, 1, 0, 0, 0, 0].
  });

  it('refuses negative or non-finite weights instead of returning a wrong split', () => {
    for (const bad of [-1, NaN, Infinity]) {
      let err: unknown;
      try {
        allocateLots([1, bad, 1], [5, 5, 5], 3);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AllocationError);
      expect((err as AllocationError).kind).toBe('input');
      expect((err as Error).message).toMatch(/weight 2 is/);
    }
  });
});

describe('roundCumulative cap repair', () => {
  it('moves a lot that rounding noise puts over a cap to the nearest period with room', () => {
    // 0.49999999999999994 + 1 rounds to 1.5 in doubles: round(T) jumps by 2 in period 2 (cap 1).
    const t = new Float64Array([0.49999999999999994, 1, 0.5]);
    const room = new Float64Array([1, 1, 1]);
    // Periods 1 and 3 are both one away; period 3 is further below its target (0.5 vs 0.49…).
    expect(Array.from(roundCumulative(t, room, 2))).toEqual([0, 1, 1]);
    // Nearest wins over further below target: period 4 (0.5 below) is two away, period 1 one.
    const t4 = new Float64Array([0.49999999999999994, 1, 0, 0.5]);
    expect(Array.from(roundCumulative(t4, new Float64Array([1, 1, 1, 1]), 2))).toEqual([
      1, 1, 0, 0,
    ]);
  });

  it('a lot the rounded curve falls short of goes to the nearest period with room from the end', () => {
    // Targets sum to 2.7 (noise in a real run): the last prefix is forced to the total, 3.
    const out = roundCumulative(new Float64Array([0.9, 0.9, 0.9]), new Float64Array([1, 1, 1]), 3);
    expect(Array.from(out)).toEqual([1, 1, 1]);
    // The last period is full: its extra lot moves to the nearest one with room.
    const full = roundCumulative(new Float64Array([0.4, 0.4, 1]), new Float64Array([2, 2, 1]), 3);
    expect(Array.from(full)).toEqual([0, 2, 1]);
  });
});

describe('baselines', () => {
  it('twap-front-loaded-when-fewer-lots-than-periods: 100 lots over 390 minutes, one every 3–4', () => {
    // Largest remainder traded one lot in each of the first 100 minutes and nothing after:
    // the same schedule as "aggressive", and a 51% "saving" against a TWAP that was not one.
    const p = sessionPlan(100, 390);
    const grid = buildImpactGrid(p);
    const optimal = 100 * grid.cost(0, 1); // equal profile: any 100 one-lot orders are optimal
    const b = computeBaselines(p, grid, optimal);
    const twap = b.naive.shares;
    expect(sum(twap)).toBe(10_000);
    expect(twap.every((x) => x === 0 || x === 100)).toBe(true);
    const g = gaps(twap);
    expect(g).toHaveLength(99);
    expect(g.every((d) => d === 3 || d === 4)).toBe(true);
    const at = tradingPeriods(twap);
    expect(at[0]).toBeLessThanOrEqual(3);
    expect(at[at.length - 1]).toBeGreaterThanOrEqual(386);
    expect(twap).not.toEqual(b.aggressive.shares);
    expect(b.naive.savingPct).toBeCloseTo(0, 9);
    expect(b.naive.feasible).toBe(true);
    expect(b.naive.problem).toBeUndefined();
  });

  for (const lots of [100, 389, 390, 391, 1000, 100_000]) {
    it(`aggressive decreases, conservative increases, following their curves (${lots} lots, 390 periods)`, () => {
      const n = 390;
      const p = sessionPlan(lots, n);
      const b = computeBaselines(p, buildImpactGrid(p), 0);
      for (const name of ['aggressive', 'conservative'] as const) {
        const x = b[name].shares.map((s) => s / 100);
        expect(sum(x)).toBe(lots);
        // Every prefix within half a lot of M·Σ_{j≤i} w_j / Σ w.
        const w = baselineWeights(name, n);
        const W = sum(w);
        let cum = 0;
        let T = 0;
        x.forEach((k, i) => {
          cum += k;
          T += w[i];
          expect(Math.abs(cum - (lots * T) / W)).toBeLessThanOrEqual(0.5 + 1e-6);
        });
        const dir = name === 'aggressive' ? 1 : -1;
        // Lots per period: non-increasing (aggressive) / non-decreasing (conservative), ±1.
        for (let i = 1; i < n; i++) expect(dir * (x[i] - x[i - 1])).toBeLessThanOrEqual(1);
        // Fewer lots than periods: the gaps between orders widen (aggressive) / narrow, ±1.
        const g = gaps(x);
        for (let j = 1; j < g.length; j++) expect(dir * (g[j - 1] - g[j])).toBeLessThanOrEqual(1);
      }
      // The front-loaded schedule is ahead of the back-loaded one at mid-session.
      const half = (s: number[]) => sum(s.slice(0, n / 2));
      expect(half(b.aggressive.shares)).toBeGreaterThan(half(b.conservative.shares));
      if (lots >= 1000) {
        expect(b.aggressive.shares[0]).toBeGreaterThan(b.aggressive.shares[n - 1]);
        expect(b.conservative.shares[0]).toBeLessThan(b.conservative.shares[n - 1]);
      }
    });
  }

  for (const model of ['linear', 'power', 'table', 'book'] as ImpactModel[]) {
    it(`${model}: on random plans every baseline sums to the order within every cap, or says why not`, () => {
      fc.assert(
        fc.property(arbPlan(model), (p) => {
          const grid = buildImpactGrid(p);
          const reachable = capacity(grid) >= grid.lots;
          for (const b of Object.values(computeBaselines(p, grid, 0))) {
            if (!b) continue;
            if (!reachable) {
              expect(b.problem).toMatch(/the caps allow at most/);
              expect(b.shares).toEqual([]);
              continue;
            }
            expect(b.problem).toBeUndefined();
            expect(sum(b.shares)).toBe(p.shares);
            b.shares.forEach((x, i) => {
              expect(x % p.lotSize).toBe(0);
              expect(x).toBeLessThanOrEqual(referenceCapShares(p, i) + 1e-9);
            });
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('naive is even, aggressive front-loaded, conservative back-loaded, vwap follows volume', () => {
    const p = testPlan({
      shares: 100_000,
      periods: 5,
      volumeProfile: [500, 100, 100, 100, 200],
      impact: { model: 'linear', beta: 1e-6 },
    });
    const grid = buildImpactGrid(p);
    // Equal impact profile: the optimum is TWAP, 200 lots a period.
    const b = computeBaselines(p, grid, costOf(grid, [200, 200, 200, 200, 200]));
    expect(b.naive.shares).toEqual([20_000, 20_000, 20_000, 20_000, 20_000]);
    expect(b.aggressive.shares).toEqual([33_300, 26_700, 20_000, 13_300, 6700]);
    expect(b.conservative.shares).toEqual([6700, 13_300, 20_000, 26_700, 33_300]);
    expect(b.vwap?.shares).toEqual([50_000, 10_000, 10_000, 10_000, 20_000]);
    expect(b.naive.savingPct).toBeCloseTo(0, 9);
    expect(b.aggressive.savingPct).toBeGreaterThan(0);
    expect(b.vwap?.feasible).toBe(true);
    expect(baselineWeights('vwap', 3)).toEqual(new Float64Array([1, 1, 1]));
  });

  it('vwap-volumes-1e-20-to-1e20-lost-in-the-water-filling: 10 shares, not 12 called feasible', () => {
    // Subtracting the saturated 1e20 volumes from their sum left 0 (or less) for the 1e−20
    // ones: every period was "saturated" and the schedule summed to 12 shares for an order
    // of 10, reported feasible.
    const p = testPlan({
      shares: 10,
      lotSize: 1,
      periods: 6,
      maxPerPeriod: 3,
      volumeProfile: [1e20, 1e-20, 1e20, 1e-20, 1e-20, 1e-20],
      impact: { model: 'linear', beta: 1e-4 },
    });
    const b = computeBaselines(p, buildImpactGrid(p), 0);
    expect(b.vwap?.problem).toBeUndefined();
    expect(b.vwap?.shares).toEqual([3, 1, 3, 1, 1, 1]);
    expect(b.vwap?.feasible).toBe(true);
  });

  it('a baseline whose caps cannot reach the order reports a problem, not a number', () => {
    const p = testPlan({
      shares: 1000,
      periods: 4,
      maxPerPeriod: 200,
      volumeProfile: [1, 2, 3, 4],
      impact: { model: 'linear', beta: 1e-4 },
    });
    const b = computeBaselines(p, buildImpactGrid(p), 123);
    for (const [name, label] of [
      ['naive', 'Naive \\(TWAP\\)'],
      ['aggressive', 'Front-loaded'],
      ['conservative', 'Back-loaded'],
      ['vwap', 'VWAP'],
    ] as const) {
      const r = b[name]!;
      expect(r.problem).toMatch(
        new RegExp(`^${label}: the caps allow at most 800 shares, fewer than the 1,000 to trade`),
      );
      expect(r).toMatchObject({
        shares: [],
        totalCost: 0,
        totalCostBps: null,
        savingPct: 0,
        feasible: false,
      });
      expect(BaselineResultSchema.parse(r)).toEqual(r);
    }
  });

  it('a volume profile that cannot split the order makes VWAP a problem; the others still build', () => {
    const p = testPlan({
      shares: 1000,
      periods: 4,
      volumeProfile: [1, 2, 3, 4],
      impact: { model: 'linear', beta: 1e-4 },
    });
    const grid = buildImpactGrid(p);
    const corrupt: Plan = { ...p, volumeProfile: [1, NaN, 3, 4] };
    const b = computeBaselines(corrupt, grid, 0);
    expect(b.vwap?.problem).toMatch(/^VWAP: the volume profile cannot be used to split the order/);
    expect(b.vwap?.shares).toEqual([]);
    expect(b.vwap?.feasible).toBe(false);
    expect(b.naive.problem).toBeUndefined();
    expect(b.naive.shares).toEqual([300, 200, 300, 200]);
  });

  it('no vwap without a volume profile; saving is (baseline − optimal)/baseline', () => {
    const p = testPlan({ impact: { model: 'linear', beta: 1e-4, profile: [1, 2, 3, 4] } });
    const grid = buildImpactGrid(p);
    const optimal = costOf(grid, [5, 2, 2, 1]); // impact ∝ 1, 2, 3, 4: lots ∝ 1/p (rounded)
    const bl = computeBaselines(p, grid, optimal);
    expect(bl.vwap).toBeUndefined();
    const b = bl.naive;
    expect(b.shares).toEqual([300, 200, 300, 200]);
    expect(b.savingPct).toBeCloseTo(((b.totalCost - optimal) / b.totalCost) * 100, 10);
    expect(b.savingPct).toBeGreaterThan(0);
  });

  it('a baseline respects the book depth: it never takes more than a period holds', () => {
    const p = testPlan({
      shares: 1000,
      periods: 4,
      impact: {
        model: 'book',
        ladders: [[[0.01, 1000]], [[0.01, 100]], [[0.01, 100]], [[0.01, 100]]],
      },
    });
    const grid = buildImpactGrid(p);
    const optimal = costOf(grid, [7, 1, 1, 1]); // the only schedule within the depths
    const naive = computeBaselines(p, grid, optimal).naive;
    expect(naive.feasible).toBe(true);
    expect(naive.shares).toEqual([700, 100, 100, 100]);
    expect(naive.totalCost).toBeCloseTo(optimal, 12);
  });

  it('baseline-free-liquidity-in-empty-book-periods: no baseline trades where the book is empty', () => {
    // An imported book has empty ladders for periods before its first row. The baselines
    // used to put shares there at no cost, then claimed the optimum was worse than them.
    const p = testPlan({
      shares: 1000,
      lotSize: 100,
      periods: 5,
      impact: {
        model: 'book',
        ladders: [[], [[0.01, 600]], [], [[0.02, 600]], []],
      },
    });
    const grid = buildImpactGrid(p);
    const optimal = costOf(grid, [0, 6, 0, 4, 0]); // all it can at 0.01, the rest at 0.02
    const bl = computeBaselines(p, grid, optimal);
    for (const b of [bl.naive, bl.aggressive, bl.conservative]) {
      expect([b.shares[0], b.shares[2], b.shares[4]]).toEqual([0, 0, 0]);
      expect(b.feasible).toBe(true);
      expect(b.totalCost).toBeGreaterThanOrEqual(optimal);
      expect(b.savingPct).toBeGreaterThanOrEqual(0);
    }
  });

  it('negative-saving-from-summation-noise: shown as 0, while a real shortfall stays visible', () => {
    // 100,000 near-equal periods summed the optimum 1e-12 above TWAP: "saving −0.00%".
    const p = testPlan({ impact: { model: 'linear', beta: 1e-4 } });
    const grid = buildImpactGrid(p);
    const twap = [3, 2, 3, 2]; // lots of 100: 1,000 shares
    const cost = evaluateBaseline(p, grid, twap, 0).totalCost;
    expect(evaluateBaseline(p, grid, twap, cost * (1 + 1e-12)).savingPct).toBe(0);
    expect(evaluateBaseline(p, grid, twap, cost * (1 + 1e-6)).savingPct).toBeLessThan(0);
    expect(evaluateBaseline(p, grid, twap, cost * 0.5).savingPct).toBeCloseTo(50, 12);
  });

  it('a baseline with orders below the minimum order is reported infeasible', () => {
    const m = testPlan({
      shares: 1000,
      periods: 4,
      minOrderSize: 300,
      impact: { model: 'linear', beta: 1e-4 },
    });
    const grid = buildImpactGrid(m);
    const bl = computeBaselines(m, grid, 0);
    expect(bl.naive.shares).toEqual([300, 200, 300, 200]); // two orders below 300
    expect(bl.naive.feasible).toBe(false);
    expect(bl.aggressive.feasible).toBe(false);
    expect(bl.naive.problem).toBeUndefined();
  });

  it('respects maxPerPeriod and participation caps', () => {
    const p = testPlan({
      shares: 2000,
      periods: 4,
      maxPerPeriod: [300, 1000, 1000, 1000],
      volumeProfile: [10_000, 10_000, 10_000, 2000],
      maxParticipation: 0.1,
      impact: { model: 'linear', beta: 1e-4 },
    });
    const bl = computeBaselines(p, buildImpactGrid(p), 0);
    expect(bl.vwap).toBeDefined();
    for (const b of Object.values(bl)) {
      if (!b) continue;
      expect(b.shares[0]).toBeLessThanOrEqual(300);
      expect(b.shares[3]).toBeLessThanOrEqual(200);
      expect(b.shares.reduce((a, x) => a + x, 0)).toBe(2000);
      expect(b.feasible).toBe(true);
    }
  });
});

describe('sortByLevel (water-filling order)', () => {
  /** The order as a comparator sort gives it: level cap/s, ties by index. */
  function reference(idx: Int32Array, cap: Float64Array, s: Float64Array): Int32Array {
    const level = (i: number) => cap[i] / s[i];
    return idx.slice().sort((a, b) => level(a) - level(b) || a - b);
  }

  it('orders as the comparator sort does, levels in order, in reverse, tied or mixed', () => {
    const level = fc.oneof(
      fc.integer({ min: 0, max: 5 }),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            level,
            fc.oneof(fc.constant(1), fc.double({ min: 1e-300, max: 1, noNaN: true })),
          ),
          {
            maxLength: 60,
          },
        ),
        fc.constantFrom('as is', 'rising', 'falling'),
        (pairs, shape) => {
          // Sorted by level cap/s (with ties kept), or left as drawn.
          if (shape !== 'as is') pairs.sort(([ca, sa], [cb, sb]) => ca / sa - cb / sb);
          if (shape === 'falling') pairs.reverse();
          const caps = pairs.map(([c]) => c);
          const cap = Float64Array.from(caps);
          const s = Float64Array.from(pairs, ([, w]) => w);
          const idx = Int32Array.from(caps, (_, i) => i);
          const want = reference(idx, cap, s);
          sortByLevel(idx, cap, s);
          expect(idx).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });
});
