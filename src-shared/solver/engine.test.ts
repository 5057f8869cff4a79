import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildImpactGrid, capacity, decideConvexity } from '../impact';
import type { ImpactModel, Plan } from '../plan';
import { arbPlan } from '../testing/arbitraries';
import { bruteForceOptimum, close, referenceCost } from '../testing/bruteForce';
import { testPlan, thrownPlannerError, type TestPlanInput } from '../testing/plans';
import { solveEngine } from './engine';
import { bandRowMinima } from './engineMinima';
import { estimateEngine } from './engineEstimate';
import { fmtBytesPair } from './limits';
import { estimatePlan, solveLots, solvePlan } from './index';
import { stateBounds } from './bounds';

const MODELS: ImpactModel[] = ['linear', 'power', 'table', 'book'];
const plan = (input: TestPlanInput): Plan => testPlan({ lotSize: 1, periods: 3, ...input });

/** D = Σ_i (s_i − M·i/N)², the pace deviation of a schedule in lots. */
function paceD(lots: ArrayLike<number>, M: number): number {
  const n = lots.length;
  let s = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    s += lots[i];
    d += (s - (M * (i + 1)) / n) ** 2;
  }
  return d;
}

/** Every schedule within the reference caps: the optimal cost and the least D among optima. */
function bruteForceTieBreak(p: Plan): { cost: number; d: number } {
  const n = p.periods;
  const q = p.lotSize;
  const M = p.shares / q;
  let best = Infinity;
  let bestD = Infinity;
  const lots = new Array<number>(n).fill(0);
  const walk = (i: number, left: number, cost: number) => {
    if (i === n - 1) {
      const c = cost + referenceCost(p, i, left * q);
      if (!Number.isFinite(c)) return;
      lots[i] = left;
      const d = paceD(lots, M);
      if (c < best && !close(c, best, 1e-10)) {
        best = c;
        bestD = d;
      } else if (close(c, best, 1e-10)) {
        if (c < best) best = c;
        bestD = Math.min(bestD, d);
      }
      return;
    }
    for (let k = 0; k <= left; k++) {
      const c = referenceCost(p, i, k * q);
      if (!Number.isFinite(c)) continue;
      lots[i] = k;
      walk(i + 1, left - k, cost + c);
    }
  };
  walk(0, M, 0);
  return { cost: best, d: bestD };
}

describe('monotone minima on adversarial band matrices', () => {
  // Small integers make exact ties everywhere; Infinity marks unreachable totals.
  const arbCase = fc
    .record({
      M: fc.integer({ min: 0, max: 40 }),
      a: fc.integer({ min: 1, max: 6 }),
      w: fc.integer({ min: 0, max: 30 }),
      seedC: fc.array(fc.integer({ min: -1, max: 6 }), { minLength: 41, maxLength: 41 }),
      seedD: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 41, maxLength: 41 }),
      slopes: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 40, maxLength: 40 }),
      lo: fc.nat(40),
      hi: fc.nat(40),
    })
    .map((r) => {
      const C = new Float64Array(r.M + 1);
      const D = new Float64Array(r.M + 1);
      for (let j = 0; j <= r.M; j++) {
        C[j] = r.seedC[j] < 0 ? Infinity : r.seedC[j];
        D[j] = C[j] === Infinity ? Infinity : r.seedD[j];
      }
      // A convex run on [a, b]: nondecreasing integer increments (many equal).
      const b = Math.min(r.a + r.w, r.M);
      const cost = new Float64Array(Math.max(b, r.a) + 1);
      let v = 0;
      const sorted = [...r.slopes].sort((x, y) => x - y);
      for (let k = 1; k < cost.length; k++) {
        v += sorted[k - 1];
        cost[k] = v;
      }
      const sLo = Math.min(r.lo, r.hi, r.M);
      const sHi = Math.min(Math.max(r.lo, r.hi), r.M);
      return { C, D, cost, a: r.a, b, sLo, sHi, M: r.M };
    });

  it(`dnc: every row's (cost, D) minimum equals a full scan, ties and +∞ included`, () => {
    fc.assert(
      fc.property(arbCase, ({ C, D, cost, a, b, sLo, sHi }) => {
        if (b < a) return;
        const got = bandRowMinima(C, D, cost, a, b, sLo, sHi);
        for (let s = sLo; s <= sHi; s++) {
          let bc = Infinity;
          let bd = Infinity;
          let bk = -1;
          for (let d = b; d >= a; d--) {
            const j = s - d;
            if (j < 0 || C[j] === Infinity) continue;
            const v = C[j] + cost[d];
            if (v < bc || (v === bc && D[j] < bd)) {
              bc = v;
              bd = D[j];
              bk = d;
            }
          }
          const t = s - sLo;
          expect(got.c[t]).toBe(bc);
          if (bk >= 0) {
            expect(got.dev[t]).toBe(bd);
            // Exact ties in (cost, D) keep the larger order.
            expect(got.d[t]).toBe(bk);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the engine against brute force', () => {
  for (const model of MODELS) {
    it(`${model}: optimal cost, and among optima the least pace deviation D`, () => {
      fc.assert(
        fc.property(arbPlan(model, { maxPeriods: 4, maxLots: 8 }), (p) => {
          const ref = bruteForceTieBreak(p);
          if (!Number.isFinite(ref.cost)) return;
          const sol = solveLots(p, { method: 'engine' });
          const grid = buildImpactGrid(p);
          let cost = 0;
          for (let i = 0; i < grid.n; i++) cost += grid.cost(i, sol.lots[i]);
          expect(close(cost, ref.cost)).toBe(true);
          expect(paceD(sol.lots, grid.lots)).toBeCloseTo(ref.d, 6);
        }),
        { numRuns: 600 },
      );
    });
  }

  it('checkpointed rows give the same schedule as the full table', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS).chain((m) => arbPlan(m, { maxPeriods: 12, maxLots: 40 })),
        (p) => {
          let full;
          try {
            full = solveLots(p, { method: 'engine' });
          } catch (e) {
            expect((e as { code: string }).code).toBe('infeasible');
            return;
          }
          const cp = solveLots(p, { method: 'engine', forceCheckpoints: true });
          expect(cp.work?.checkpointed).toBe(true);
          expect(Array.from(cp.lots)).toEqual(Array.from(full.lots));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the cost-by-size curve C(N, s) is the optimal cost of every smaller order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS).chain((m) => arbPlan(m, { maxPeriods: 3, maxLots: 8 })),
        (p) => {
          if (!Number.isFinite(bruteForceOptimum(p).cost)) return;
          const r = solvePlan(p, { method: 'engine', curve: Infinity });
          const curve = r.costCurve!;
          expect(curve.shares.at(-1)).toBe(p.shares);
          expect(curve.cost.at(-1)).toBeCloseTo(r.totalCost, 9);
          curve.shares.forEach((x, t) => {
            const sub = x === 0 ? 0 : bruteForceOptimum({ ...p, shares: x }).cost;
            expect(close(curve.cost[t], sub)).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('state bounds (branch and bound)', () => {
  it('never cut an optimal path: the engine gives the same schedule with and without them', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom<ImpactModel>('linear', 'power', 'book', 'table')
          .chain((m) => arbPlan(m, { maxPeriods: 14, maxLots: 80, extras: true })),
        (p) => {
          const grid = buildImpactGrid(p);
          if (capacity(grid) < grid.lots) return; // infeasible caps: refused before the engine
          const relaxed = buildImpactGrid({
            ...p,
            fixedFeePerOrder: undefined,
            minOrderSize: undefined,
          });
          const im = p.impact;
          const b =
            im.model === 'table' ? stateBounds(grid, grid, im.curves) : stateBounds(grid, relaxed);
          let plain;
          try {
            plain = solveEngine(grid);
          } catch (e) {
            expect((e as { code: string }).code).toBe('infeasible');
            return;
          }
          if (!b) return;
          // The bound is a feasible schedule's cost: never below the optimum.
          expect(b.upper).toBeGreaterThanOrEqual(plain.cost * (1 - 1e-12) - 1e-12);
          const bounded = solveEngine(grid, { bounds: b });
          expect(Array.from(bounded.lots)).toEqual(Array.from(plain.lots));
        },
      ),
      { numRuns: 2500 },
    );
  });
});

describe('sampled cost curve', () => {
  it('solves each sampled size exactly when one unbounded run would be too long', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom<ImpactModel>('power', 'table')
          .chain((m) => arbPlan(m, { maxPeriods: 3, maxLots: 40, extras: true })),
        (p) => {
          if (!Number.isFinite(bruteForceOptimum(p).cost)) return;
          if (decideConvexity(p, buildImpactGrid(p)).convex) return;
          const r = solvePlan(p, { curve: 1001, maxCurveEvaluations: 0 });
          const curve = r.costCurve!;
          expect(curve.complete).toBe(p.shares / p.lotSize + 1 <= 21);
          expect(curve.shares.length).toBeLessThanOrEqual(21);
          expect(curve.shares.at(-1)).toBe(p.shares);
          curve.shares.forEach((x, t) => {
            const sub = x === 0 ? 0 : bruteForceOptimum({ ...p, shares: x }).cost;
            expect(close(curve.cost[t], sub)).toBe(true);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('schedules a trader would run', () => {
  const N = 390;
  const gaps = (shares: number[]) => {
    const at = shares.flatMap((x, i) => (x > 0 ? [i] : []));
    return { at, gaps: at.slice(1).map((v, t) => v - at[t]) };
  };

  it('minimum order 5,000 of 100,000 shares, flat impact: 20 orders spread over the session', () => {
    // Ties went to the earliest periods: the whole order was done by 09:50.
    const p = plan({
      shares: 100_000,
      lotSize: 100,
      periods: N,
      minOrderSize: 5000,
      impact: { model: 'power', beta: 1e-6, exponent: 0.5 },
    });
    const r = solvePlan(p);
    expect(r.solver.method).toBe('engine');
    const { at, gaps: g } = gaps(r.schedule.map((x) => x.shares));
    expect(at.length).toBe(20);
    expect(r.schedule.filter((x) => x.shares > 0).every((x) => x.shares === 5000)).toBe(true);
    expect(at[0]).toBeLessThan(20);
    expect(at.at(-1)).toBeGreaterThan(N - 21);
    expect(Math.max(...g) - Math.min(...g)).toBeLessThanOrEqual(1);
  });

  it('a fixed fee with flat impact spreads its orders evenly, not at the start', () => {
    const p = plan({
      shares: 20_000,
      lotSize: 100,
      periods: N,
      fixedFeePerOrder: 20,
      impact: { model: 'linear', beta: 1e-5 },
    });
    const r = solvePlan(p);
    const { at, gaps: g } = gaps(r.schedule.map((x) => x.shares));
    expect(at.length).toBeGreaterThan(1);
    expect(at.length).toBeLessThan(N);
    // Orders of 1,400 and 1,500 shares: gaps of 27–29 periods keep the pace even.
    expect(Math.max(...g) - Math.min(...g)).toBeLessThanOrEqual(2);
    expect(at[0]).toBeLessThanOrEqual(Math.ceil(N / at.length));
  });

  it('a flat non-convex table spreads its orders instead of packing the first minutes', () => {
    // Impact per share rises, then falls: 20 orders went into the first 20 minutes.
    const curve: [number, number][] = [
      [0, 0.01],
      [2000, 0.03],
      [5000, 0.01],
      [10_000, 0.05],
    ];
    const p = plan({
      shares: 100_000,
      lotSize: 100,
      periods: N,
      impact: { model: 'table', curves: Array.from({ length: N }, () => curve) },
    });
    const r = solvePlan(p);
    expect(r.solver.method).toBe('engine');
    const { at, gaps: g } = gaps(r.schedule.map((x) => x.shares));
    expect(at[0]).toBeLessThan(30);
    expect(at.at(-1)).toBeGreaterThan(N - 31);
    expect(Math.max(...g)).toBeLessThanOrEqual(Math.ceil(N / at.length) + 1);
  });

  it('profile value 0 (a crossing) is allowed and takes the order for free', () => {
    const p = plan({
      shares: 900,
      lotSize: 100,
      periods: 3,
      maxPerPeriod: 500,
      fixedFeePerOrder: 1,
      impact: { model: 'linear', beta: 1e-4, profile: [1, 0, 1] },
    });
    const r = solvePlan(p);
    expect(r.schedule[1].shares).toBe(500);
    expect(r.schedule[1].cost).toBe(1);
  });
});

describe('memory and work limits', () => {
  it('stores the argmin table in one byte per cell when every cap is at most 255', () => {
    const p = plan({
      shares: 2000,
      periods: 10,
      maxPerPeriod: 255,
      fixedFeePerOrder: 1,
      impact: { model: 'linear', beta: 1e-4 },
    });
    const grid = buildImpactGrid(p);
    const e = estimateEngine(grid);
    expect(e.argBytes).toBe(1);
    let cells = 0;
    for (let i = 1; i <= grid.n; i++) cells += e.hi[i] - e.lo[i] + 1;
    expect(e.fullTableBytes).toBe(cells);
    expect(solveEngine(grid).work.tableBytes).toBe(cells);
    expect(estimateEngine(buildImpactGrid({ ...p, maxPerPeriod: 256 })).argBytes).toBe(2);
  });

  it('checkpoints rows instead of refusing when the full table would not fit', () => {
    const p = plan({
      shares: 3000,
      periods: 100,
      fixedFeePerOrder: 1,
      impact: { model: 'power', beta: 1e-4, exponent: 0.5 },
    });
    const budget = estimatePlan(p).bytes - 1; // the full table no longer fits
    const sol = solveLots(p, { memoryBudgetBytes: budget });
    expect(sol.work?.checkpointed).toBe(true);
    expect(Array.from(sol.lots)).toEqual(Array.from(solveLots(p).lots));
  });

  it('never says "needs 1.5 GiB, more than the budget of 1.5 GiB"', () => {
    const budget = 1.5 * 1024 ** 3;
    const [need, have] = fmtBytesPair(budget + 1000, budget);
    expect(need).not.toBe(have);
    expect(have).toMatch(/^1\.50* GiB$/);
    const p = plan({
      shares: 10_000_000,
      periods: 390,
      fixedFeePerOrder: 5,
      impact: { model: 'linear', beta: 1e-7 },
    });
    const e = thrownPlannerError(() => solvePlan(p, { memoryBudgetBytes: 200e6 }));
    expect(e.code).toBe('too_large');
    const m =
      /needs (.+) of memory even with checkpointed rows, more than the budget of (.+?);/.exec(
        e.message,
      );
    expect(m).not.toBeNull();
    expect(m![1]).not.toBe(m![2]);
  });
});
