/**
 * The calibrated cost model (Almgren, Thum, Hauptmann, Li 2005) end to end in src-shared: the
 * plan schema, the cost per period against figures worked out by hand, the permanent term in
 * the result and the baselines, the power model's intercept, and the convex method against
 * the DP engine on random calibrated plans.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CALIBRATED_DEFAULTS, parsePlan, type Plan, type PlanInput } from './plan';
import {
  buildImpactGrid,
  calibratedDailyVolume,
  calibratedPermanentCost,
  decideConvexity,
  infeasibilityMessage,
} from './impact';
import { scheduleToCsv } from './csv';
import { solveLots, solvePlan } from './solver';
import { scheduleMetrics } from './solver/metrics';
import { bruteForceOptimum, close } from './testing/bruteForce';
import { testPlan } from './testing/plans';

const calibrated = (
  impact: Partial<Extract<PlanInput['impact'], { model: 'calibrated' }>> = {},
  rest: Partial<PlanInput> = {},
): Plan =>
  testPlan({
    shares: 1000,
    lotSize: 100,
    periods: 4,
    volumeProfile: [10_000, 10_000, 10_000, 10_000],
    impact: { model: 'calibrated', sigma: 0.5, spread: 0.04, ...impact },
    ...rest,
  });

function errorsOf(input: Record<string, unknown>): string[] {
  const r = parsePlan({
    name: 'x',
    symbol: 'X',
    side: 'buy',
    shares: 1000,
    lotSize: 100,
    periods: 4,
    ...input,
  });
  return r.ok ? [] : r.errors;
}

describe('calibrated plan schema', () => {
  it('applies the published defaults of η, β and γ', () => {
    const p = calibrated();
    if (p.impact.model !== 'calibrated') throw new Error('model');
    expect(p.impact).toMatchObject({ eta: 0.142, beta: 0.6, gamma: 0.314 });
    expect(CALIBRATED_DEFAULTS).toEqual({ eta: 0.142, beta: 0.6, gamma: 0.314 });
    expect(p.impact.feePerShare).toBeUndefined();
  });

  it('needs σ and the spread, naming each', () => {
    const errors = errorsOf({ volumeProfile: [1, 1, 1, 1], impact: { model: 'calibrated' } });
    expect(errors.some((e) => e.startsWith('impact.sigma:'))).toBe(true);
    expect(errors.some((e) => e.startsWith('impact.spread:'))).toBe(true);
  });

  it('refuses negative, zero and out-of-range parameters with the field name', () => {
    const base = { volumeProfile: [1, 1, 1, 1] };
    const bad = (impact: Record<string, unknown>) =>
      errorsOf({ ...base, impact: { model: 'calibrated', sigma: 0.5, spread: 0.04, ...impact } });
    expect(bad({ sigma: -1 })).toEqual(['impact.sigma: must not be negative']);
    expect(bad({ beta: 0 })).toEqual(['impact.beta: must be greater than 0']);
    expect(bad({ beta: 11 })).toEqual(['impact.beta: must be at most 10']);
    expect(bad({ eta: -0.1 })).toEqual(['impact.eta: must not be negative']);
    expect(bad({ dailyVolume: 0 })).toEqual(['impact.dailyVolume: must be greater than 0']);
    expect(bad({ spread: [0.01, -0.01, 0.01, 0.01] })[0]).toMatch(/^impact\.spread/);
    expect(bad({ sources: { eta: 'guessed' } })).toEqual([
      'impact.sources.eta: must be "default", "fitted" or "typed"',
    ]);
    expect(bad({ sources: { lambda: 'typed' } })[0]).toMatch(
      /^impact\.sources: unknown field "lambda"/,
    );
    expect(bad({ calibration: { days: 2.5 } })).toEqual([
      'impact.calibration.days: must be a whole number',
    ]);
    expect(bad({ etaa: 0.1 })[0]).toMatch(/^impact: unknown field "etaa"/);
  });

  it('checks the lengths of per-period lists against periods', () => {
    const errors = errorsOf({
      volumeProfile: [1, 1, 1, 1],
      impact: {
        model: 'calibrated',
        sigma: 0.5,
        spread: [0.01, 0.02],
        volatilityProfile: [1, 1, 1],
      },
    });
    expect(errors).toEqual([
      'impact.spread: must have one spread per period: expected 4, got 2',
      'impact.volatilityProfile: must have one multiplier per period: expected 4, got 3',
    ]);
  });

  it('needs a volumeProfile (V_t), on the volumeProfile path', () => {
    expect(errorsOf({ impact: { model: 'calibrated', sigma: 0.5, spread: 0.04 } })).toEqual([
      'volumeProfile: impact: the calibrated model needs a volumeProfile (expected volume per period)',
    ]);
  });

  it('needs a daily volume when the volume profile adds up to nothing', () => {
    expect(
      errorsOf({
        volumeProfile: [0, 0, 0, 0],
        impact: { model: 'calibrated', sigma: 0.5, spread: 0.04 },
      })[0],
    ).toMatch(/^impact\.dailyVolume: is needed/);
  });

  it('refuses plan.permanentImpact beside the model’s own γ', () => {
    expect(
      errorsOf({
        volumeProfile: [1, 1, 1, 1],
        permanentImpact: 0.001,
        impact: { model: 'calibrated', sigma: 0.5, spread: 0.04 },
      }),
    ).toEqual([
      'permanentImpact: cannot be combined with the calibrated impact model, which has its own permanent impact (impact.gamma)',
    ]);
  });

  it('keeps sources and calibration metadata', () => {
    const p = calibrated({
      sources: { sigma: 'fitted', spread: 'fitted', eta: 'default' },
      calibration: { days: 5, dates: ['2025-04-01'], sigmaEstimator: 'two-scale', r2: 0.8 },
    });
    if (p.impact.model !== 'calibrated') throw new Error('model');
    expect(p.impact.sources).toEqual({ sigma: 'fitted', spread: 'fitted', eta: 'default' });
    expect(p.impact.calibration?.days).toBe(5);
  });

  it('power: the intercept is optional, not negative', () => {
    const p = testPlan({ impact: { model: 'power', beta: 1e-4, exponent: 0.5, intercept: 0.02 } });
    expect(p.impact).toMatchObject({ intercept: 0.02 });
    expect(errorsOf({ impact: { model: 'power', beta: 1, exponent: 0.5, intercept: -1 } })).toEqual(
      ['impact.intercept: must not be negative'],
    );
  });
});

describe('calibrated cost per period (worked by hand)', () => {
  // σ = 0.5, s = 0.04, η = 0.142, β = 0.6, V = 10,000:
  //   g(x) = ½·0.04 + 0.142·0.5·(x/10,000)^0.6 = 0.02 + 0.071·(x/10,000)^0.6
  //   x =    100: (0.01)^0.6 = 10^−1.2 = 0.0630957344 → g = 0.0244797971, c = 2.44797971
  //   x =  1,000: (0.1)^0.6  = 10^−0.6 = 0.2511886432 → g = 0.0378343937, c = 37.8343937
  //   x = 10,000: 1                                    → g = 0.091,        c = 910
  const plan = calibrated({}, { shares: 10_000 });
  const grid = buildImpactGrid(plan);

  it.each([
    [100, 0.0244797971, 2.44797971],
    [1000, 0.0378343937, 37.8343937],
    [10_000, 0.091, 910],
  ])('x = %d shares: g = %f, c = %f', (x, g, c) => {
    expect(grid.impact(0, x)).toBeCloseTo(g, 9);
    expect(grid.impactCost(0, x)).toBeCloseTo(c, 7);
    expect(grid.cost(0, x / 100)).toBeCloseTo(c, 7);
  });

  it('marginals add up to the cost, and the closed-form inverse finds the count', () => {
    let sum = 0;
    for (let k = 1; k <= 100; k++) {
      sum += grid.marginal(0, k);
      expect(sum).toBeCloseTo(grid.cost(0, k), 8);
    }
    for (let k = 1; k < 100; k++) {
      const lambda = (grid.marginal(0, k) + grid.marginal(0, k + 1)) / 2;
      expect(Math.floor(grid.marginalInverse(0, lambda))).toBe(k);
    }
    // Below half the spread per lot nothing trades.
    expect(grid.marginalInverse(0, 0.02 * 100 * 0.999)).toBe(0);
  });

  it('adds the fee per share, a spread per period and the volatility profile', () => {
    const p = calibrated(
      { feePerShare: 0.001, spread: [0.04, 0.02, 0.04, 0.04], volatilityProfile: [1, 2, 1, 1] },
      { volumeProfile: [10_000, 40_000, 10_000, 10_000] },
    );
    const gr = buildImpactGrid(p);
    // Period 2: 0.001 + 0.01 + 0.142·0.5·2·(1,000/40,000)^0.6
    const g = 0.001 + 0.01 + 0.142 * 0.5 * 2 * Math.pow(0.025, 0.6);
    expect(gr.impact(1, 1000)).toBeCloseTo(g, 12);
    expect(gr.cost(1, 10)).toBeCloseTo(g * 1000, 9);
  });

  it('is convex (the Lagrange method applies) and a period without volume cannot trade', () => {
    const p = calibrated({}, { volumeProfile: [10_000, 0, 10_000, 10_000] });
    const gr = buildImpactGrid(p);
    expect(decideConvexity(p, gr).convex).toBe(true);
    expect(decideConvexity(p, gr).reason).toMatch(/^calibrated impact/);
    expect(Array.from(gr.caps)).toEqual([10, 0, 10, 10]);
    const sol = solveLots(p);
    expect(sol.method).toBe('convex');
    expect(sol.certified).toBe(true);
    expect(sol.lots[1]).toBe(0);
  });

  it('says so when no period has volume', () => {
    const p = calibrated({ dailyVolume: 1e6 }, { volumeProfile: [0, 0, 0, 0] });
    expect(infeasibilityMessage(p, buildImpactGrid(p))).toMatch(
      /^volumeProfile: every period has 0 expected volume/,
    );
  });
});

describe('permanent impact of the calibrated model', () => {
  it('is ½·γ·σ·(S/V_day)·S, V_day defaulting to the volume profile’s sum', () => {
    // ½ · 0.314 · 0.5 · (1,000 / 40,000) · 1,000 = 1.9625
    const p = calibrated();
    expect(calibratedDailyVolume(p)).toBe(40_000);
    expect(calibratedPermanentCost(p)).toBeCloseTo(1.9625, 12);
    // V_day given: ½ · 0.314 · 0.5 · (1,000 / 100,000) · 1,000 = 0.785
    expect(calibratedPermanentCost(calibrated({ dailyVolume: 100_000 }))).toBeCloseTo(0.785, 12);
    expect(calibratedPermanentCost(calibrated({ gamma: 0 }))).toBe(0);
  });

  it('is its own figure in the expected cost of the optimum and of every baseline', () => {
    const p = calibrated({}, { volumeProfile: [10_000, 20_000, 5_000, 5_000] });
    const r = solvePlan(p);
    const perm = calibratedPermanentCost(p);
    expect(r.metrics!.permanentCost).toBeCloseTo(perm, 12);
    expect(r.metrics!.expectedCost).toBeCloseTo(r.totalCost + perm, 9);
    for (const b of [r.baselines.naive, r.baselines.vwap!]) {
      expect(b.metrics!.permanentCost).toBeCloseTo(perm, 12);
      expect(b.metrics!.expectedCost).toBeCloseTo(b.totalCost + perm, 9);
      // Savings on the whole expected cost, the permanent part included.
      const saving =
        ((b.metrics!.expectedCost - r.metrics!.expectedCost) / b.metrics!.expectedCost) * 100;
      expect(b.savingPct).toBeCloseTo(saving, 9);
      if (b.totalCost > r.totalCost)
        expect(b.savingPct).toBeLessThan(((b.totalCost - r.totalCost) / b.totalCost) * 100);
    }
    expect(r.baselines.naive.savingPct).toBeGreaterThan(0);
  });

  it('is in the CSV header block and the model line', () => {
    const p = calibrated({ dailyVolume: 100_000 });
    const csv = scheduleToCsv(solvePlan(p), { plan: p, date: '2025-04-02' });
    expect(csv).toContain(
      '# model: calibrated (Almgren et al. 2005), sigma 0.5 per day, spread 0.04, eta 0.142, beta 0.6, gamma 0.314, daily volume 100000\n',
    );
    expect(csv).toContain('# permanent impact: 0.785\n');
  });
});

describe('power model intercept', () => {
  it('adds a cost per share and still solves by the convex method', () => {
    const p = testPlan({
      lotSize: 1,
      shares: 50,
      periods: 3,
      impact: { model: 'power', beta: 0.01, exponent: 0.5, intercept: 0.03, profile: [1, 2, 3] },
    });
    const grid = buildImpactGrid(p);
    expect(grid.impact(1, 16)).toBeCloseTo(0.03 + 0.02 * 4, 12);
    expect(grid.powerLaw).toBeNull();
    const sol = solveLots(p);
    expect(sol.method).toBe('convex');
    const brute = bruteForceOptimum(p);
    let cost = 0;
    for (let i = 0; i < 3; i++) cost += grid.cost(i, sol.lots[i]);
    expect(close(cost, brute.cost)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// The convex method against the DP engine on random calibrated plans

const arbCalibrated = (opts: { fee: boolean; risk: boolean }): fc.Arbitrary<Plan> =>
  fc
    .record({
      n: fc.integer({ min: 1, max: 6 }),
      m: fc.integer({ min: 1, max: 30 }),
      q: fc.constantFrom(1, 10, 100),
    })
    .chain(({ n, m, q }) =>
      fc
        .record({
          sigma: fc.integer({ min: 0, max: 2000 }).map((v) => v / 1000),
          spread: fc.oneof(
            fc.integer({ min: 0, max: 100 }).map((v) => v / 1000),
            fc.array(
              fc.integer({ min: 0, max: 100 }).map((v) => v / 1000),
              { minLength: n, maxLength: n },
            ),
          ),
          eta: fc.integer({ min: 0, max: 500 }).map((v) => v / 1000),
          beta: fc.constantFrom(0.3, 0.5, 0.6, 1, 1.7),
          feePerShare: fc.option(
            fc.integer({ min: 0, max: 10 }).map((v) => v / 1000),
            {
              nil: undefined,
            },
          ),
          profile: fc.option(
            fc.array(
              fc.integer({ min: 1, max: 3000 }).map((v) => v / 1000),
              {
                minLength: n,
                maxLength: n,
              },
            ),
            { nil: undefined },
          ),
          // Zero volume in some periods: those cannot trade.
          volume: fc.array(fc.constantFrom(0, 50, 500, 5000, 20_000), {
            minLength: n,
            maxLength: n,
          }),
          cap: fc.option(fc.integer({ min: q, max: m * q }), { nil: undefined }),
          fixedFee: opts.fee
            ? fc.integer({ min: 0, max: 3000 }).map((v) => v / 1000)
            : fc.constant(0),
          aversion: opts.risk ? fc.constantFrom(1e-6, 1e-4, 1e-2) : fc.constant(0),
          vol: fc.constantFrom(0.01, 0.05),
        })
        .map((r) => {
          const input: PlanInput = {
            name: 'random calibrated',
            symbol: 'RND',
            side: 'buy',
            shares: m * q,
            lotSize: q,
            periods: n,
            volumeProfile: r.volume.some((v) => v > 0) ? r.volume : [...r.volume.slice(1), 100],
            impact: {
              model: 'calibrated',
              sigma: r.sigma,
              spread: r.spread,
              eta: r.eta,
              beta: r.beta,
              ...(r.feePerShare !== undefined ? { feePerShare: r.feePerShare } : {}),
              ...(r.profile ? { volatilityProfile: r.profile } : {}),
            },
            ...(r.cap !== undefined ? { maxPerPeriod: r.cap } : {}),
            ...(r.fixedFee > 0 ? { fixedFeePerOrder: r.fixedFee } : {}),
            ...(r.aversion > 0 ? { risk: { volatility: r.vol, aversion: r.aversion } } : {}),
          };
          const parsed = parsePlan(input);
          if (!parsed.ok) throw new Error(parsed.errors.join('; '));
          return parsed.value;
        }),
    );

/** E + λ·Var of a solution (lots), from the shared metrics. */
function objective(plan: Plan, lots: ArrayLike<number>): number {
  const grid = buildImpactGrid(plan);
  return scheduleMetrics(
    plan,
    grid,
    Array.from(lots, (k) => k * plan.lotSize),
  ).objective;
}

/** Feasible under the plan's caps (an infeasible plan is refused by both methods alike). */
function feasible(plan: Plan): boolean {
  return infeasibilityMessage(plan, buildImpactGrid(plan)) === null;
}

describe('convex method and DP engine agree on calibrated plans', () => {
  it('without risk: the same objective, equal to the brute-force optimum', () => {
    fc.assert(
      fc.property(arbCalibrated({ fee: false, risk: false }), (plan) => {
        if (!feasible(plan)) return;
        const convex = solveLots(plan, { method: 'convex' });
        const engine = solveLots(plan, { method: 'engine' });
        const a = objective(plan, convex.lots);
        const b = objective(plan, engine.lots);
        expect(close(a, b, 1e-9)).toBe(true);
        const brute = bruteForceOptimum(plan).cost + calibratedPermanentCost(plan);
        expect(close(a, brute, 1e-9)).toBe(true);
      }),
      { numRuns: 150, seed: 20_261_206 },
    );
  });

  it('with a fixed fee per order (engine) and with timing risk: the brute-force optimum', () => {
    fc.assert(
      fc.property(arbCalibrated({ fee: true, risk: true }), (plan) => {
        if (!feasible(plan)) return;
        const engine = solveLots(plan);
        const full = solveLots(plan, { method: 'engine', band: false });
        const a = objective(plan, engine.lots);
        expect(close(a, objective(plan, full.lots), 1e-9)).toBe(true);
        if (plan.risk) return; // the brute force below has no state cost
        const brute = bruteForceOptimum(plan).cost + calibratedPermanentCost(plan);
        expect(close(a, brute, 1e-9)).toBe(true);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('with timing risk: the engine’s objective is the exhaustive optimum of E + λ·Var', () => {
    fc.assert(
      fc.property(arbCalibrated({ fee: false, risk: true }), (plan) => {
        if (!feasible(plan) || plan.periods > 4 || plan.shares / plan.lotSize > 12) return;
        const got = objective(plan, solveLots(plan).lots);
        const grid = buildImpactGrid(plan);
        let best = Infinity;
        const M = grid.lots;
        const walk = (i: number, left: number, lots: number[]) => {
          if (i === grid.n - 1) {
            if (left > grid.caps[i]) return;
            const v = objective(plan, [...lots, left]);
            if (v < best) best = v;
            return;
          }
          for (let k = 0; k <= Math.min(left, grid.caps[i]); k++)
            walk(i + 1, left - k, [...lots, k]);
        };
        walk(0, M, []);
        expect(close(got, best, 1e-9)).toBe(true);
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
