/**
 * The frontier's reuse between points (warm starts moved to the optimum by descent, narrow
 * bands around them) never trades exactness: every point is the schedule of the single risk
 * solve at its λ and of the engine on the whole grid, and the descent alone reaches the
 * brute-force optimum of tiny plans from any start.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildImpactGrid, type ImpactGrid } from '../impact';
import { periodVolatilities, type Plan } from '../plan';
import { testPlan } from '../testing/plans';
import { computeFrontier } from './frontier';
import { solveLots } from './index';
import { descendRiskPath } from './riskDescent';
import { scheduleMetrics } from './metrics';

/** Σ c_i(k_i) + Σ w_i·(M − s_i)² of a path of cumulative lots (Infinity off the caps). */
function pathObjective(grid: ImpactGrid, w: Float64Array, s: ArrayLike<number>): number {
  let f = 0;
  for (let i = 1; i <= grid.n; i++) {
    const k = s[i] - s[i - 1];
    if (k < 0) return Infinity;
    const h = grid.lots - s[i];
    f += grid.cost(i - 1, k) + w[i - 1] * h * h;
  }
  return f;
}

/** The least objective over every path (tiny plans only). */
function bruteForce(grid: ImpactGrid, w: Float64Array): number {
  const { n, lots: M } = grid;
  const s = new Float64Array(n + 1);
  s[n] = M;
  let best = Infinity;
  const walk = (i: number) => {
    if (i === n) {
      best = Math.min(best, pathObjective(grid, w, s));
      return;
    }
    for (let t = s[i - 1]; t <= M; t++) {
      s[i] = t;
      walk(i + 1);
    }
  };
  walk(1);
  return best;
}

function riskWeights(plan: Plan, grid: ImpactGrid): Float64Array {
  const sigma = periodVolatilities(plan);
  const lambda = plan.risk?.aversion ?? 0;
  return Float64Array.from(sigma, (v) => lambda * v * v * grid.lot * grid.lot);
}

const profileOf = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => 0.5 + ((i * 37 + seed) % 11) / 7);

describe('descent from a warm start', () => {
  it('reaches the brute-force optimum of tiny convex plans from any start', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 2, max: 4 }),
          lots: fc.integer({ min: 1, max: 14 }),
          model: fc.constantFrom('linear' as const, 'power' as const),
          exponent: fc.constantFrom(0.5, 0.8, 1.5),
          lambda: fc.constantFrom(0, 1e-4, 1e-2, 1, 100),
          cap: fc.option(fc.integer({ min: 2, max: 10 }), { nil: undefined }),
          seed: fc.integer({ min: 0, max: 1000 }),
          start: fc.array(fc.integer({ min: -20, max: 40 }), { minLength: 5, maxLength: 5 }),
        }),
        (r) => {
          const plan = testPlan({
            periods: r.n,
            shares: r.lots * 100,
            lotSize: 100,
            referencePrice: 30,
            maxPerPeriod: r.cap === undefined ? undefined : r.cap * 100,
            impact:
              r.model === 'linear'
                ? { model: 'linear', beta: 1e-4, profile: profileOf(r.n, r.seed) }
                : {
                    model: 'power',
                    beta: 1e-4,
                    exponent: r.exponent,
                    profile: profileOf(r.n, r.seed),
                  },
            risk: { volatility: 0.05, aversion: r.lambda },
          });
          const grid = buildImpactGrid(plan);
          const w = riskWeights(plan, grid);
          const best = bruteForce(grid, w);
          const start = Float64Array.from([0, ...r.start.slice(0, r.n - 1), r.lots]);
          if (!Number.isFinite(best)) return; // the caps cannot reach the order
          const s = descendRiskPath(grid, w, start, () => {});
          expect(s[0]).toBe(0);
          expect(s[r.n]).toBe(r.lots);
          const f = pathObjective(grid, w, s);
          expect(f).toBeLessThanOrEqual(best + 1e-9 * Math.abs(best));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('frontier points against single solves', () => {
  it('every point is the single solve at its λ and the whole grid engine’s schedule', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 2, max: 8 }),
          shares: fc.integer({ min: 2000, max: 5000 }),
          model: fc.constantFrom('linear' as const, 'power' as const),
          exponent: fc.constantFrom(0.5, 0.6, 1),
          sigma: fc.constantFrom(0.01, 0.05, 0.2),
          cap: fc.option(fc.integer({ min: 700, max: 3000 }), { nil: undefined }),
          flat: fc.boolean(),
          seed: fc.integer({ min: 0, max: 1000 }),
          points: fc.integer({ min: 3, max: 7 }),
        }),
        (r) => {
          const profile = r.flat ? undefined : profileOf(r.n, r.seed);
          const plan = testPlan({
            periods: r.n,
            shares: r.shares,
            lotSize: 1,
            referencePrice: 30,
            maxPerPeriod: r.cap,
            impact:
              r.model === 'linear'
                ? { model: 'linear', beta: 1e-5, profile }
                : { model: 'power', beta: 1e-4, exponent: r.exponent, profile },
            risk: { volatility: r.sigma, aversion: 0 },
          });
          let f;
          let ties = 0;
          try {
            f = computeFrontier(plan, { points: r.points });
          } catch {
            // Caps that cannot take the order: the single solve says so too.
            expect(() => solveLots(plan)).toThrow();
            return;
          }
          for (const pt of f.points) {
            const at: Plan = { ...plan, risk: { ...plan.risk!, aversion: pt.aversion } };
            const solved = solveLots(at);
            const single = Array.from(solved.lots);
            const whole = Array.from(solveLots(at, { band: false }).lots);
            expect(single).toEqual(whole);
            if (pt.shares.join() === single.join()) continue;
            // Only a tie within rounding may differ: the Lagrange method at λ = 0 and the
            // engine above it choose differently among tied schedules, and the frontier keeps
            // E and SD monotone as computed numbers (makeMonotone).
            const own = scheduleMetrics(at, solved.grid, single).objective;
            expect(Math.abs(pt.objective - own)).toBeLessThanOrEqual(1e-12 * own);
            ties++;
          }
          expect(ties).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 40, seed: Number(process.env.FC_SEED ?? -429584435) },
    );
  });
});
