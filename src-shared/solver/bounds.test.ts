import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildImpactGrid, capacity } from '../impact';
import type { Plan } from '../plan';
import { bruteForceOptimum, close } from '../testing/bruteForce';
import { testPlan } from '../testing/plans';
import { stateBounds } from './bounds';
import { chordSlopes, rankBySlope } from './boundsChord';
import { solveEngine } from './engine';
import { solveLots } from './index';

/**
 * Plans where a fee or a minimum order makes a few large orders optimal and many periods cost
 * nearly alike (flat or gently U-shaped profiles, exact ties from values in thousandths): where
 * the chord bound and the upper bound on the cheapest periods prune the most.
 */
const arbFewOrders: fc.Arbitrary<Plan> = fc
  .record({
    n: fc.integer({ min: 2, max: 24 }),
    m: fc.integer({ min: 1, max: 60 }),
    exponent: fc.constantFrom(0.5, 0.6, 1, 1.5),
    beta: fc.integer({ min: 1, max: 400 }).map((v) => v / 1000),
    bow: fc.integer({ min: 0, max: 30 }).map((v) => v / 1000),
    jitter: fc.boolean(),
    fee: fc.option(
      fc.integer({ min: 1, max: 5000 }).map((v) => v / 1000),
      { nil: undefined, freq: 3 },
    ),
    minOrder: fc.option(fc.integer({ min: 2, max: 12 }), { nil: undefined, freq: 2 }),
    cap: fc.option(fc.integer({ min: 4, max: 60 }), { nil: undefined, freq: 3 }),
    seed: fc.integer({ min: 1, max: 1000 }),
  })
  .filter((r) => r.fee !== undefined || r.minOrder !== undefined)
  .map((r) => {
    const profile = Array.from({ length: r.n }, (_, i) => {
      const t = r.n > 1 ? i / (r.n - 1) - 0.5 : 0;
      const wobble = r.jitter ? ((r.seed * (i + 7)) % 5) / 1000 : 0;
      return Math.round((1 + r.bow * t * t * 40 + wobble) * 1000) / 1000;
    });
    return testPlan({
      periods: r.n,
      shares: r.m,
      lotSize: 1,
      fixedFeePerOrder: r.fee,
      minOrderSize: r.minOrder,
      maxPerPeriod: r.cap,
      impact: { model: 'power', beta: r.beta, exponent: r.exponent, profile },
    });
  });

const relaxedGrid = (p: Plan) =>
  buildImpactGrid({ ...p, fixedFeePerOrder: undefined, minOrderSize: undefined });

describe('cost bounds with the chord slope and the cheapest periods', () => {
  it('the chord slope is at most the cost per lot of every allowed order', () => {
    fc.assert(
      fc.property(arbFewOrders, (p) => {
        const grid = buildImpactGrid(p);
        const { slope, size } = chordSlopes(grid);
        for (let i = 0; i < grid.n; i++) {
          let least = Infinity;
          for (let k = 1; k <= grid.caps[i]; k++) least = Math.min(least, grid.cost(i, k) / k);
          expect(slope[i]).toBeLessThanOrEqual(least);
          if (least < Infinity) {
            expect(close(slope[i], least, 1e-9)).toBe(true);
            expect(close(grid.cost(i, size[i]) / size[i], least, 1e-12)).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('prune no optimal path: same optimal cost and schedule as without them, and as brute force', () => {
    fc.assert(
      fc.property(arbFewOrders, (p) => {
        const grid = buildImpactGrid(p);
        if (capacity(grid) < grid.lots) return;
        const brute = bruteForceOptimum(p);
        let plain;
        try {
          plain = solveEngine(grid);
        } catch (e) {
          expect((e as { code: string }).code).toBe('infeasible');
          expect(brute.cost).toBe(Infinity);
          return;
        }
        expect(close(plain.cost, brute.cost)).toBe(true);
        // The chord bound alone, and with the multipliers' bound (the default picks one).
        for (const lambdaGrid of [false, true]) {
          const b = stateBounds(grid, relaxedGrid(p), undefined, undefined, { lambdaGrid });
          if (!b) return;
          expect(b.upper).toBeGreaterThanOrEqual(plain.cost * (1 - 1e-12) - 1e-12);
          // Every total and order of the optimal schedule lies inside the kept ranges and caps.
          let s = 0;
          for (let i = 1; i <= grid.n; i++) {
            s += plain.lots[i - 1];
            expect(s).toBeGreaterThanOrEqual(b.lo[i]);
            expect(s).toBeLessThanOrEqual(b.hi[i]);
            expect(plain.lots[i - 1]).toBeLessThanOrEqual(b.caps![i - 1]);
          }
          const bounded = solveEngine({ ...grid, caps: b.caps! }, { bounds: b });
          expect(close(bounded.cost, brute.cost)).toBe(true);
          expect(Array.from(bounded.lots)).toEqual(Array.from(plain.lots));
        }
        // And through the product's path (bounds taken inside solveLots).
        expect(Array.from(solveLots(p).lots)).toEqual(Array.from(plain.lots));
      }),
      { numRuns: 1500 },
    );
  });

  it('keep few states on a long plan where a fee makes a few large orders optimal', () => {
    const n = 2000;
    const profile = Array.from({ length: n }, (_, i) => 0.7 + 6.4 * (i / (n - 1) - 0.5) ** 2);
    const p = testPlan({
      periods: n,
      shares: 1000 * 100,
      lotSize: 100,
      fixedFeePerOrder: 5,
      impact: { model: 'power', beta: 2e-5, exponent: 0.5, profile },
    });
    const sol = solveLots(p);
    expect(sol.method).toBe('engine');
    // Before the chord bound the λ grid kept every total over the middle fifth of the periods.
    expect(sol.work!.keptStates).toBeLessThan(0.05);
    const plain = solveEngine(buildImpactGrid(p));
    expect(Array.from(sol.lots)).toEqual(Array.from(plain.lots));
  });
});

describe('rankBySlope', () => {
  /** The ranking as it was first written: finite slopes filtered, sorted, then the indices. */
  function reference(slope: Float64Array, count: number): Int32Array {
    const finite = slope.filter((v) => v < Infinity);
    const take = Math.min(count, finite.length);
    if (take === 0) return new Int32Array(0);
    const threshold = finite.sort()[take - 1];
    const idx: number[] = [];
    for (let i = 0; i < slope.length; i++) if (slope[i] <= threshold) idx.push(i);
    idx.sort((a, b) => slope[a] - slope[b] || a - b);
    return Int32Array.from(idx.slice(0, take));
  }

  it('ranks the cheapest periods as before, with ties, zeros and untradable periods', () => {
    const slopeValue = fc.oneof(
      fc.constantFrom(Infinity, 0, 1, 2, 1e-300),
      fc.double({ min: 0, max: 1e6, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(slopeValue, { maxLength: 80 }),
        fc.integer({ min: 0, max: 100 }),
        (values, count) => {
          const slope = Float64Array.from(values);
          expect(rankBySlope(slope, count)).toEqual(reference(slope, count));
        },
      ),
      { numRuns: 500 },
    );
  });
});
