import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ImpactModel, Plan } from '../plan';
import { periodVolatilities } from '../plan';
import { arbPlan } from '../testing/arbitraries';
import { close, referenceCost } from '../testing/bruteForce';
import { testPlan, thrownPlannerError } from '../testing/plans';
import { solveLots, solvePlan } from './index';
import { computeFrontier } from './frontier';

const MODELS: ImpactModel[] = ['linear', 'power', 'table', 'book'];

/** E + λ·Var of a schedule in shares, straight from the definitions. */
function objective(p: Plan, x: number[]): number {
  const sigma = periodVolatilities(p);
  const gamma = p.permanentImpact ?? 0;
  const lambda = p.risk?.aversion ?? 0;
  let c = 0;
  let sumSq = 0;
  let done = 0;
  for (let i = 0; i < x.length; i++) {
    c += referenceCost(p, i, x[i]);
    sumSq += x[i] * x[i];
    done += x[i];
    if (i + 1 < x.length) c += lambda * sigma[i] ** 2 * (p.shares - done) ** 2;
  }
  return c + (gamma * (p.shares ** 2 - sumSq)) / 2;
}

/** The least objective over every schedule (tiny plans only). */
function bruteForce(p: Plan): number {
  const n = p.periods;
  const q = p.lotSize;
  const M = p.shares / q;
  let best = Infinity;
  const x = new Array<number>(n).fill(0);
  const walk = (i: number, left: number) => {
    if (i === n - 1) {
      x[i] = left * q;
      best = Math.min(best, objective(p, x));
      return;
    }
    for (let k = 0; k <= left; k++) {
      x[i] = k * q;
      walk(i + 1, left - k);
    }
  };
  walk(0, M);
  return best;
}

const withRisk = (model: ImpactModel) =>
  fc
    .tuple(
      arbPlan(model, { maxPeriods: 4, maxLots: 7 }),
      fc.integer({ min: 0, max: 40 }).map((v) => v / 100),
      fc.constantFrom(0, 1e-4, 1e-3, 1e-2, 0.1, 1),
      fc.constantFrom(0, 0, 1e-5, 1e-4, 1e-3),
      fc.boolean(),
    )
    .map(([p, sigma, lambda, gamma, profiled]) => {
      const risk = {
        volatility: sigma,
        aversion: lambda,
        volatilityProfile: profiled
          ? Array.from({ length: p.periods }, (_, i) => 0.5 + ((i * 7) % 5) / 4)
          : undefined,
      };
      return { ...p, risk, permanentImpact: gamma || undefined } as Plan;
    });

describe('risk-aware optimum against brute force', () => {
  for (const model of MODELS) {
    it(`${model}: E + λ·Var with permanent impact, fees, minimum orders, both sides`, () => {
      fc.assert(
        fc.property(withRisk(model), (p) => {
          const ref = bruteForce(p);
          if (!Number.isFinite(ref)) {
            expect(thrownPlannerError(() => solveLots(p)).code).toBe('infeasible');
            return;
          }
          const sol = solveLots(p);
          const x = Array.from(sol.lots, (k) => k * p.lotSize);
          expect(close(objective(p, x), ref, 1e-9)).toBe(true);
          const r = solvePlan(p);
          expect(close(r.metrics!.objective, ref, 1e-9)).toBe(true);
        }),
        { numRuns: 500 },
      );
    });
  }
});

describe('convex risk-aware plans solved in a band', () => {
  it('give exactly the schedule of the full engine', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 2, max: 30 }),
          lots: fc.integer({ min: 4000, max: 12_000 }),
          model: fc.constantFrom('linear' as const, 'power' as const),
          exponent: fc.constantFrom(0.5, 0.6, 1),
          lambda: fc.constantFrom(1e-9, 1e-7, 1e-6, 1e-5),
          sigma: fc.constantFrom(0.01, 0.05, 0.2),
          gamma: fc.constantFrom(0, 0, 1e-7),
          cap: fc.option(fc.integer({ min: 300, max: 3000 }), { nil: undefined }),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        (r) => {
          const profile = Array.from({ length: r.n }, (_, i) => 0.5 + ((i * 37 + r.seed) % 11) / 7);
          const impact =
            r.model === 'linear'
              ? { model: 'linear' as const, beta: 2e-6, profile }
              : { model: 'power' as const, beta: 2e-5, exponent: r.exponent, profile };
          let p: Plan;
          try {
            p = testPlan({
              shares: r.lots,
              lotSize: 1,
              periods: r.n,
              maxPerPeriod: r.cap !== undefined && r.cap * r.n >= r.lots ? r.cap : undefined,
              impact,
              risk: { volatility: r.sigma, aversion: r.lambda },
              permanentImpact: r.model === 'linear' && r.gamma > 0 ? r.gamma : undefined,
            });
          } catch {
            return;
          }
          const banded = Array.from(solveLots(p).lots);
          const full = Array.from(solveLots(p, { band: false }).lots);
          // Same schedule, or (rarely) another one whose objective differs from it only by the
          // rounding of the two summation orders: optimal both, to 1e-10 relative.
          const shares = (x: number[]) => x.map((k) => k * p.lotSize);
          const a = objective(p, shares(banded));
          const b = objective(p, shares(full));
          if (banded.some((k, i) => k !== full[i])) expect(close(a, b, 1e-10)).toBe(true);
          else expect(a).toBe(b);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('Almgren–Chriss', () => {
  const ac = (S: number, N: number, eta: number, gamma: number, sigma: number, lambda: number) => {
    const etaT = eta - gamma / 2;
    const kappa = Math.acosh(1 + (lambda * sigma * sigma) / (2 * etaT));
    return Array.from(
      { length: N + 1 },
      (_, i) => (S * Math.sinh(kappa * (N - i))) / Math.sinh(kappa * N),
    );
  };

  for (const [gamma, lambda] of [
    [0, 1e-6],
    [0, 1e-5],
    [2e-6, 1e-6],
  ] as const) {
    it(`linear impact, constant σ, lot 1: within a lot per period of the closed form (γ = ${gamma}, λ = ${lambda})`, () => {
      const S = 4000;
      const N = 20;
      const eta = 1e-5;
      const sigma = 0.5;
      const p = testPlan({
        shares: S,
        lotSize: 1,
        periods: N,
        impact: { model: 'linear', beta: eta },
        risk: { volatility: sigma, aversion: lambda },
        permanentImpact: gamma || undefined,
      });
      const sol = solveLots(p);
      const h = ac(S, N, eta, gamma, sigma, lambda);
      let left = S;
      for (let i = 0; i < N; i++) {
        left -= sol.lots[i];
        expect(Math.abs(left - h[i + 1])).toBeLessThanOrEqual(1);
      }
      // Risk aversion front-loads the order.
      expect(sol.lots[0]).toBeGreaterThan(sol.lots[N - 1]);
    });
  }

  it('λ → 0 gives the risk-neutral plan, and λ = 0 is identical to no risk at all', () => {
    const base = testPlan({
      shares: 10_000,
      lotSize: 100,
      periods: 39,
      fixedFeePerOrder: 2,
      impact: { model: 'power', beta: 2e-5, exponent: 0.5 },
    });
    const plain = solvePlan(base);
    const zero = solvePlan({ ...base, risk: { volatility: 0.02, aversion: 0 } });
    expect(zero.schedule.map((r) => r.shares)).toEqual(plain.schedule.map((r) => r.shares));
    expect(zero.totalCost).toBe(plain.totalCost);
    const tiny = solveLots({ ...base, risk: { volatility: 0.02, aversion: 1e-30 } });
    expect(Array.from(tiny.lots)).toEqual(plain.schedule.map((r) => r.shares / 100));
  });
});

describe('efficient frontier', () => {
  it('expected cost rises and timing risk falls as λ grows; baselines are placed', () => {
    const p = testPlan({
      shares: 20_000,
      lotSize: 100,
      periods: 30,
      referencePrice: 30,
      impact: { model: 'power', beta: 2e-5, exponent: 0.5 },
      risk: { volatility: 0.05, aversion: 0 },
    });
    const seen: number[] = [];
    const f = computeFrontier(p, { points: 12, onProgress: (x) => seen.push(x) });
    expect(f.points).toHaveLength(12);
    expect(f.points[0].aversion).toBe(0);
    for (let t = 1; t < f.points.length; t++) {
      const a = f.points[t - 1];
      const b = f.points[t];
      expect(b.aversion).toBeGreaterThan(a.aversion);
      expect(b.expectedCost).toBeGreaterThanOrEqual(a.expectedCost * (1 - 1e-12));
      expect(b.timingRiskSd).toBeLessThanOrEqual(a.timingRiskSd * (1 + 1e-12));
    }
    // From spreading the order to (nearly) trading at once.
    expect(f.points.at(-1)!.timingRiskSd).toBeLessThan(f.points[0].timingRiskSd / 5);
    expect(f.baselines.map((b) => b.name)).toEqual(['Naive (TWAP)', 'Front-loaded', 'Back-loaded']);
    expect(seen.at(-1)).toBe(1);
  });

  it('without a volatility there is no frontier, and the message names the field', () => {
    const p = testPlan({ impact: { model: 'linear', beta: 1e-4 } });
    const e = thrownPlannerError(() => computeFrontier(p));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/^risk\.volatility: /);
  });
});
