import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PlannerError } from '../contract';
import { buildImpactGrid, capacity, decideConvexity } from '../impact';
import type { ImpactModel, Plan } from '../plan';
import { arbPlan } from '../testing/arbitraries';
import {
  bruteForceConvex,
  bruteForceOptimum,
  close,
  referenceCapShares,
} from '../testing/bruteForce';
import { testPlan, thrownPlannerError, type TestPlanInput } from '../testing/plans';
import { solveDp } from '../testing/oldDp';
import { certifyConvex, estimatePlan, solveConvex, solveLots, solvePlan } from './index';

const MODELS: ImpactModel[] = ['linear', 'power', 'table', 'book'];
const RUNS = 1000;

const plan = (input: TestPlanInput): Plan => testPlan({ lotSize: 1, periods: 3, ...input });

/** Sum, lot grid and caps of a solved schedule. */
function expectValidSchedule(p: Plan, shares: number[]) {
  expect(shares.reduce((a, b) => a + b, 0)).toBe(p.shares);
  shares.forEach((x, i) => {
    expect(x % p.lotSize).toBe(0);
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThanOrEqual(referenceCapShares(p, i) + 1e-9);
    if (p.minOrderSize !== undefined && x > 0) expect(x).toBeGreaterThanOrEqual(p.minOrderSize);
  });
}

describe('every method matches a brute-force DP on random small plans', () => {
  for (const model of MODELS) {
    it(`${model}: auto, the engine, the old DP and (when convex) the Lagrange method agree with brute force`, () => {
      fc.assert(
        fc.property(arbPlan(model), (p) => {
          const ref = bruteForceOptimum(p);
          if (!Number.isFinite(ref.cost)) {
            expect(thrownPlannerError(() => solvePlan(p)).code).toBe('infeasible');
            expect(thrownPlannerError(() => solvePlan(p, { method: 'engine' })).code).toBe(
              'infeasible',
            );
            return;
          }
          const auto = solvePlan(p);
          expect(close(auto.totalCost, ref.cost)).toBe(true);
          expectValidSchedule(
            p,
            auto.schedule.map((r) => r.shares),
          );

          const engine = solvePlan(p, { method: 'engine' });
          expect(engine.solver.method).toBe('engine');
          expect(close(engine.totalCost, ref.cost)).toBe(true);
          expectValidSchedule(
            p,
            engine.schedule.map((r) => r.shares),
          );
          const grid = buildImpactGrid(p);
          expect(close(sumCost(grid, solveDp(grid)), ref.cost)).toBe(true);

          const convex = decideConvexity(p, buildImpactGrid(p)).convex;
          expect(convex).toBe(bruteForceConvex(p));
          expect(auto.solver.method).toBe(convex ? 'convex' : 'engine');
          if (convex) expect(auto.solver.certified).toBe(true);
          else
            expect(thrownPlannerError(() => solvePlan(p, { method: 'convex' })).code).toBe(
              'invalid_input',
            );

          // The optimum is never worse than a baseline that can be executed.
          for (const b of Object.values(auto.baselines)) {
            if (!b) continue;
            expect(b.shares.reduce((a, x) => a + x, 0)).toBe(p.shares);
            if (b.feasible)
              expect(auto.totalCost).toBeLessThanOrEqual(b.totalCost * (1 + 1e-9) + 1e-9);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('larger convex plans (more periods and lots): the Lagrange method equals the engine', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...MODELS)
          .chain((m) => arbPlan(m, { maxPeriods: 8, maxLots: 60, extras: false })),
        (p) => {
          const grid = buildImpactGrid(p);
          if (!decideConvexity(p, grid).convex) return;
          let dp: number;
          try {
            dp = solvePlan(p, { method: 'engine' }).totalCost;
          } catch (e) {
            expect((e as PlannerError).code).toBe('infeasible');
            return;
          }
          const cv = solvePlan(p, { method: 'convex' });
          expect(close(cv.totalCost, dp)).toBe(true);
          expect(cv.solver.certified).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('closed form', () => {
  it('power law with profile p: x_i ∝ p_i^(−1/α) on a fine grid', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 200, max: 3000 }).map((v) => v / 1000),
          { minLength: 2, maxLength: 8 },
        ),
        fc.constantFrom(0.3, 0.5, 0.75, 1, 2),
        (profile, alpha) => {
          const S = 10_000_000;
          const p = plan({
            shares: S,
            periods: profile.length,
            impact: { model: 'power', beta: 1e-6, exponent: alpha, profile },
          });
          const res = solvePlan(p);
          const w = profile.map((v) => Math.pow(v, -1 / alpha));
          const W = w.reduce((a, b) => a + b, 0);
          res.schedule.forEach((row, i) => {
            // Within the lot rounding of a separable convex optimum (at most N lots).
            expect(Math.abs(row.shares - (S * w[i]) / W)).toBeLessThanOrEqual(profile.length);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('huge grids', () => {
  const u = (n: number) =>
    Array.from({ length: n }, (_, i) => 0.7 + 1.6 * (i / (n - 1) - 0.5) ** 2 * 4);

  it('solves a convex plan of 2·10^9 shares at lot 1 without a table', () => {
    const p = plan({
      shares: 2_000_000_000,
      periods: 390,
      impact: { model: 'power', beta: 2e-7, exponent: 0.5, profile: u(390) },
    });
    const res = solvePlan(p);
    expect(res.solver).toMatchObject({ method: 'convex', gridSize: 2e9, certified: true });
    expect(res.schedule.reduce((a, r) => a + r.shares, 0)).toBe(2e9);
    // Heavier-impact periods (ends of the U) trade less.
    expect(res.schedule[0].shares).toBeLessThan(res.schedule[195].shares);
  });

  it('refuses a huge non-convex plan with too_large, naming the grid and the bytes', () => {
    const p = plan({
      shares: 2_000_000_000,
      periods: 390,
      fixedFeePerOrder: 5,
      impact: { model: 'power', beta: 2e-7, exponent: 0.5 },
    });
    const e = thrownPlannerError(() => solvePlan(p));
    expect(e.code).toBe('too_large');
    expect(e.message).toMatch(
      /^shares: .*390 periods × 2,000,000,001 lot counts needs [\d.]+ GiB of memory even with checkpointed rows, more than the budget of 1.5 GiB/,
    );
  });

  it('refuses a DP that fits in memory but would run too long, before starting', () => {
    const curve: [number, number][] = [
      [0, 0.01],
      [300_000, 0.02],
      [600_000, 0.015],
      [1_000_000, 0.03],
    ];
    const p = plan({
      shares: 1_000_000,
      periods: 10,
      impact: { model: 'table', curves: Array.from({ length: 10 }, () => curve) },
    });
    let polled = 0;
    const e = thrownPlannerError(() =>
      solvePlan(p, { maxEvaluations: 1e6, shouldCancel: () => ++polled < 0 }),
    );
    expect(e.code).toBe('too_large');
    expect(e.message).toMatch(/cost evaluations, more than the limit of 1\.0e\+6/);
    expect(polled).toBe(0);
  });

  it('too-large-dp-blames-the-convex-model: the refusal says the fee or minimum needs the DP', () => {
    // The advice "use a convex impact model" alone misled when the model was already convex.
    const p = plan({
      shares: 1_000_000_000,
      periods: 1000,
      minOrderSize: 100,
      impact: { model: 'linear', beta: 1e-7 },
    });
    const e = thrownPlannerError(() => solvePlan(p));
    expect(e.code).toBe('too_large');
    expect(e.message).toMatch(
      /\(the DP engine is needed: minOrderSize 100 shares: orders are 0 or at least/,
    );
  });

  it('estimates at least the work the engine really does, and not wildly more', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS).chain((m) => arbPlan(m, { maxPeriods: 6, maxLots: 60 })),
        (p) => {
          const g = buildImpactGrid(p);
          if (capacity(g) < g.lots) return;
          let r;
          try {
            r = solveLots(p, { method: 'engine' });
          } catch {
            return; // infeasible minimum orders
          }
          const e = estimatePlan(p);
          expect(r.work!.evaluations).toBeLessThanOrEqual(e.evaluations);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('respects memoryBudgetBytes', () => {
    const p = plan({
      shares: 500,
      periods: 20,
      fixedFeePerOrder: 1,
      impact: { model: 'linear', beta: 1e-4 },
    });
    expect(thrownPlannerError(() => solvePlan(p, { memoryBudgetBytes: 10_000 })).code).toBe(
      'too_large',
    );
    expect(solvePlan(p).solver.method).toBe('engine');
  });
});

describe('certificate', () => {
  it('accepts the optimum and rejects a schedule with one lot moved', () => {
    fc.assert(
      fc.property(
        arbPlan('linear', { maxPeriods: 6, maxLots: 40, extras: false }),
        fc.nat(),
        fc.nat(),
        (p, a, b) => {
          const grid = buildImpactGrid(p);
          if (capacity(grid) < grid.lots) return;
          const lots = solveConvex(grid);
          expect(certifyConvex(grid, lots).ok).toBe(true);
          const i = a % p.periods;
          const j = b % p.periods;
          if (i === j || lots[i] === 0 || lots[j] >= grid.caps[j]) return;
          const moved = Float64Array.from(lots);
          moved[i]--;
          moved[j]++;
          const before = sumCost(grid, lots);
          const after = sumCost(grid, moved);
          // Strictly worse schedules must fail the certificate.
          if (after > before * (1 + 1e-9) + 1e-12)
            expect(certifyConvex(grid, moved).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects schedules that do not sum to M or break a cap', () => {
    const p = plan({
      shares: 100,
      periods: 2,
      maxPerPeriod: 80,
      impact: { model: 'linear', beta: 1e-3 },
    });
    const grid = buildImpactGrid(p);
    expect(certifyConvex(grid, [50, 49]).problem).toMatch(/sum to 99, not 100/);
    expect(certifyConvex(grid, [10, 90]).problem).toMatch(/period 2: 90 lots outside 0..80/);
    expect(certifyConvex(grid, [60, 40]).ok).toBe(false);
    expect(certifyConvex(grid, [50, 50]).ok).toBe(true);
  });
});

describe('errors, progress and cancel', () => {
  it('costs-overflowing-doubles are refused by field, never returned as Infinity/NaN', () => {
    // β = 1e300 used to solve "fine" and print totalCost null (JSON of Infinity).
    const huge = plan({ shares: 1e13, impact: { model: 'power', beta: 1e300, exponent: 10 } });
    const e = thrownPlannerError(() => solvePlan(huge));
    expect([e.code, e.message.split(':')[0]]).toEqual(['invalid_input', 'impact']);
    const tinyRef = plan({
      shares: 1000,
      referencePrice: 1e-310,
      impact: { model: 'linear', beta: 1 },
    });
    const r = thrownPlannerError(() => solvePlan(tinyRef));
    expect([r.code, r.message.split(':')[0]]).toEqual(['invalid_input', 'referencePrice']);
    // Tiny and huge but representable values still solve, certified, with finite numbers.
    const extreme = plan({
      shares: 1000,
      impact: { model: 'power', beta: 1e-12, exponent: 3, profile: [1e-12, 1, 1e12] },
    });
    const ok = solvePlan(extreme);
    expect(ok.solver.certified).toBe(true);
    expect(Number.isFinite(ok.totalCost)).toBe(true);
    for (const b of Object.values(ok.baselines)) expect(Number.isFinite(b?.savingPct)).toBe(true);
    expect(JSON.stringify(ok)).not.toMatch(/NaN|Infinity|"(totalCost|cost|savingPct)":null/);
  });

  it('infeasible caps name the field and both share counts', () => {
    const p = plan({
      shares: 100_000,
      lotSize: 100,
      periods: 18,
      maxPerPeriod: 5000,
      impact: { model: 'linear', beta: 1e-6 },
    });
    const e = thrownPlannerError(() => solvePlan(p));
    expect(e.code).toBe('infeasible');
    expect(e.message).toBe(
      'maxPerPeriod: caps allow at most 90,000 shares, fewer than shares 100,000',
    );
  });

  it('a minimum order that no combination can meet is infeasible (found by the DP)', () => {
    const p = plan({
      shares: 4,
      periods: 2,
      maxPerPeriod: 3,
      minOrderSize: 3,
      impact: { model: 'linear', beta: 1 },
    });
    const e = thrownPlannerError(() => solvePlan(p));
    expect(e.code).toBe('infeasible');
    expect(e.message).toMatch(/^minOrderSize: /);
  });

  it('reports progress between periods, ending at 1, and stops on cancel', () => {
    const p = plan({
      shares: 1000,
      periods: 40,
      fixedFeePerOrder: 0.5,
      impact: { model: 'linear', beta: 1e-4 },
    });
    const seen: number[] = [];
    solvePlan(p, { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1])).toBe(true);
    let polls = 0;
    const e = thrownPlannerError(() => solvePlan(p, { shouldCancel: () => ++polls > 3 }));
    expect(e.code).toBe('cancelled');
    expect(polls).toBe(4);
  });

  it('spreads exact ties evenly (zero impact trades like TWAP)', () => {
    const p = plan({ shares: 1000, periods: 4, impact: { model: 'linear', beta: 0 } });
    const { lots } = solveLots(p);
    expect(Array.from(lots)).toEqual([250, 250, 250, 250]);
  });
});

function sumCost(grid: ReturnType<typeof buildImpactGrid>, lots: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < grid.n; i++) s += grid.cost(i, lots[i]);
  return s;
}
