import { describe, expect, it } from 'vitest';
import { PlanSchema, type Plan, type PlanInput } from './plan';
import { SolveResultSchema } from './result';
import { solvePlan } from './solver';
import {
  bookDataWarnings,
  degenerateGamma,
  mergeWarnings,
  planWarnings,
  solveWarnings,
  type WarningCode,
} from './warnings';

const plan = (over: Partial<PlanInput> = {}): Plan =>
  PlanSchema.parse({
    name: 'test',
    symbol: 'FROG',
    side: 'buy',
    shares: 1000,
    lotSize: 1,
    periods: 4,
    impact: { model: 'linear', beta: 1e-6 },
    ...over,
  });

/** A calibrated plan in the stock's own figures (typed): nothing to warn about. */
const calibrated = (over: Partial<PlanInput> = {}): Plan =>
  plan({
    periods: 10,
    referencePrice: 20,
    volumeProfile: Array(10).fill(10_000),
    impact: {
      model: 'calibrated',
      sigma: 0.4,
      spread: 0.02,
      sources: { sigma: 'typed', spread: 'typed', volumeProfile: 'typed' },
    },
    ...over,
  });

const codes = (list: { code: WarningCode }[]) => list.map((w) => w.code);
const find = (list: { code: WarningCode; message: string }[], code: WarningCode) =>
  list.find((w) => w.code === code);

describe('participation', () => {
  const volume = Array(4).fill(1000);
  it('is warned when a solved child order is above 100% of its period’s volume, not at 99%', () => {
    // Even optimum (linear impact, no profile): 990 and 1,010 shares a period.
    const under = plan({ shares: 3960, volumeProfile: volume, session: undefined });
    const over = plan({ shares: 4040, volumeProfile: volume });
    expect(find(solvePlan(under).warnings, 'participation')).toBeUndefined();
    const w = find(solvePlan(over).warnings, 'participation');
    expect(w?.message).toMatch(/above 100% of the period’s expected volume in 4 periods/);
    expect(w?.message).toMatch(/the worst is 101% in period 1: 1,010 shares against 1,000/);
    expect(w?.message).toMatch(/participation cap/);
  });

  it('names the periods by clock time and the worst one', () => {
    const p = plan({
      volumeProfile: [1000, 500, 1000, 1000],
      session: { start: '09:30', end: '09:34' },
    });
    const w = find(solveWarnings(p, [0, 540, 460, 0]), 'participation');
    expect(w?.message).toMatch(/in 1 period \(09:31\); the worst is 108% in 09:31 \(period 2\)/);
    expect(find(solveWarnings(p, [0, 500, 500, 0]), 'participation')).toBeUndefined();
  });

  it('says a child order in a period that expects no volume', () => {
    const p = plan({ volumeProfile: [0, 1000, 1000, 1000] });
    const w = find(solveWarnings(p, [10, 330, 330, 330]), 'participation');
    expect(w?.message).toMatch(/10 shares in period 1, which expects no volume at all/);
  });

  it('is seen before the solve from the even pace, unless a cap of at most 100% holds', () => {
    const under = plan({ shares: 3960, volumeProfile: volume });
    const over = plan({ shares: 4040, volumeProfile: volume });
    expect(find(planWarnings(under), 'participation')).toBeUndefined();
    expect(find(planWarnings(over), 'participation')?.message).toMatch(
      /^At an even pace \(1,010 shares a period\) child orders would be above 100%/,
    );
    expect(
      find(planWarnings(plan({ ...over, maxParticipation: 1, shares: 4000 })), 'participation'),
    ).toBeUndefined();
    // Caps of at most the volume keep the even pace within it too.
    const capped = {
      shares: 5500,
      periods: 5,
      volumeProfile: [1000, 1000, 1000, 1000, 2000],
    };
    expect(find(planWarnings(plan(capped)), 'participation')?.message).toMatch(/in 4 periods/);
    expect(
      find(
        planWarnings(plan({ ...capped, maxPerPeriod: [1000, 1000, 1000, 1000, 1500] })),
        'participation',
      ),
    ).toBeUndefined();
    expect(
      find(
        planWarnings(
          plan({ shares: 4004, volumeProfile: volume, maxPerPeriod: [1000, 1000, 1000, 1004] }),
        ),
        'participation',
      )?.message,
    ).toMatch(
      /in 1 period \(period 4\); the worst is 100.1% in period 4: 1,001 shares against 1,000/,
    );
  });
});

describe('order-vs-volume', () => {
  const volume = Array(4).fill(1000);
  it('is warned above 25% of the volume over the plan’s periods', () => {
    expect(
      find(planWarnings(plan({ shares: 960, volumeProfile: volume })), 'order-vs-volume'),
    ).toBe(undefined);
    const w = find(planWarnings(plan({ shares: 1040, volumeProfile: volume })), 'order-vs-volume');
    expect(w?.message).toMatch(
      /The order is 26% of the expected volume over the plan’s 4 periods \(1,040 of 4,000 shares\)/,
    );
  });
  it('is not guessed without a volume profile', () => {
    expect(find(planWarnings(plan({ shares: 1e6 })), 'order-vs-volume')).toBeUndefined();
  });
});

describe('fat-finger', () => {
  it('is warned above 100% of the day’s volume (a calibrated plan’s V_day)', () => {
    const p = (shares: number) =>
      calibrated({ shares, impact: { ...calibratedImpact(), dailyVolume: 50_000 } });
    expect(find(planWarnings(p(49_500)), 'fat-finger')).toBeUndefined();
    expect(find(planWarnings(p(50_500)), 'fat-finger')?.message).toMatch(
      /50,500 shares is 101% of the day’s volume \(50,000 shares\)/,
    );
  });
  it('is warned above 100% of the plan’s volume for other models', () => {
    const volume = Array(4).fill(1000);
    expect(find(planWarnings(plan({ shares: 3990, volumeProfile: volume })), 'fat-finger')).toBe(
      undefined,
    );
    expect(
      find(planWarnings(plan({ shares: 4010, volumeProfile: volume })), 'fat-finger')?.message,
    ).toMatch(/^Check the order size for a typing error: 4,010 shares is 100.3% of all the volume/);
  });
  it('is warned above $10 billion of notional', () => {
    const p = (price: number) => plan({ shares: 1_000_000, referencePrice: price });
    expect(find(planWarnings(p(9_900)), 'fat-finger')).toBeUndefined();
    expect(find(planWarnings(p(10_100)), 'fat-finger')?.message).toMatch(
      /1,000,000 shares at 10100 is \$10.1 billion, above \$10 billion/,
    );
  });
});

function calibratedImpact() {
  return {
    model: 'calibrated' as const,
    sigma: 0.4,
    spread: 0.02,
    sources: { sigma: 'typed' as const, spread: 'typed' as const },
  };
}

/** The largest child order's share of the order. */
const concentration = (p: Plan) => {
  const r = solvePlan(p);
  return Math.max(...r.schedule.map((row) => row.shares)) / p.shares;
};

describe('permanent-dominates', () => {
  it('linear impact: warned from γ = 2β on, and the solved plan turns into a block there', () => {
    const at = (gamma: number) => plan({ periods: 10, permanentImpact: gamma });
    expect(degenerateGamma(at(1e-6))?.limit).toBeCloseTo(2e-6, 15);
    const below = at(1.98e-6);
    const above = at(2.02e-6);
    expect(find(planWarnings(below), 'permanent-dominates')).toBeUndefined();
    const w = find(planWarnings(above), 'permanent-dominates');
    expect(w?.message).toMatch(
      /Permanent impact γ = 2.02e-6 is at least twice the linear impact β = 1e-6 \(γ ≥ 2β = 2e-6\)/,
    );
    expect(w?.message).toMatch(/Lower γ below 2e-6/);
    expect(find(planWarnings(at(2e-6)), 'permanent-dominates')).toBeDefined();
    // The claim itself, by a real solve: below the threshold the even pace, above one block.
    expect(concentration(below)).toBeCloseTo(0.1, 10);
    expect(concentration(above)).toBe(1);
  });

  it('linear impact with a profile: the smallest β·p decides', () => {
    const p = (gamma: number) =>
      plan({
        periods: 4,
        impact: { model: 'linear', beta: 1e-6, profile: [1, 0.5, 1, 2] },
        permanentImpact: gamma,
      });
    expect(degenerateGamma(p(1e-7))?.limit).toBeCloseTo(1e-6, 15);
    expect(find(planWarnings(p(0.99e-6)), 'permanent-dominates')).toBeUndefined();
    expect(find(planWarnings(p(1.01e-6)), 'permanent-dominates')?.message).toMatch(
      /β × profile \(smallest\) = 5e-7/,
    );
    // Below, every period still trades (the cheap period takes most as γ nears 2β·p); above,
    // one block.
    expect(Math.min(...solvePlan(p(0.99e-6)).schedule.map((r) => r.shares))).toBeGreaterThan(0);
    expect(concentration(p(0.99e-6))).toBeLessThan(1);
    expect(concentration(p(1.01e-6))).toBe(1);
  });

  it('square-root law: warned where a block beats the even pace, and the solve agrees', () => {
    const p = (gamma: number) =>
      plan({
        shares: 2000,
        periods: 10,
        impact: { model: 'power', beta: 1e-4, exponent: 0.5 },
        permanentImpact: gamma,
      });
    const limit = degenerateGamma(p(1e-9))!.limit;
    // 2β·S^(α−1)·(1 − N^−α)/(1 − 1/N): the block test is the first to bind for α < 1.
    const closed = (2 * 1e-4 * Math.pow(2000, -0.5) * (1 - Math.pow(10, -0.5))) / (1 - 1 / 10);
    expect(limit).toBeCloseTo(closed, 12);
    expect(find(planWarnings(p(limit * 0.98)), 'permanent-dominates')).toBeUndefined();
    expect(find(planWarnings(p(limit * 1.02)), 'permanent-dominates')?.message).toMatch(
      /is at or above .* where merging child orders costs less than spreading them/,
    );
    expect(concentration(p(limit * 0.98))).toBeLessThan(0.2);
    expect(concentration(p(limit * 1.02))).toBe(1);
  });

  it('is never said of a calibrated plan (its permanent impact is the same for every schedule)', () => {
    expect(degenerateGamma(calibrated())).toBeNull();
    expect(find(planWarnings(calibrated()), 'permanent-dominates')).toBeUndefined();
  });

  it('leaves out what depth cannot hold: a book too shallow for a merged order', () => {
    const ladder = [
      [0.01, 300],
      [0.02, 300],
    ];
    const p = plan({
      shares: 1000,
      periods: 4,
      impact: { model: 'book', ladders: Array(4).fill(ladder) },
      permanentImpact: 1,
    });
    // 2x̄ = 500 fits the 600-share depth; a block of 1,000 does not.
    expect(degenerateGamma(p)?.limit).toBeCloseTo((0.01 * 300 + 0.02 * 200 - 2 * 2.5) / 62_500, 12);
  });
});

describe('partial-data and stale-data', () => {
  const source = { symbol: 'FROG', dates: ['2025-03-07'] };
  const withEmpty = (empty: number) =>
    calibrated({
      periods: 100,
      volumeProfile: Array.from({ length: 100 }, (_, i) => (i < empty ? 0 : 10_000)),
      source,
    });
  it('a data plan is warned when more than 5% of its periods have no volume or book', () => {
    expect(find(planWarnings(withEmpty(5)), 'partial-data')).toBeUndefined();
    expect(find(planWarnings(withEmpty(6)), 'partial-data')?.message).toMatch(
      /^6 of the 100 periods \(6%\) have no book or no traded volume/,
    );
  });
  it('a book’s statistics: coverage below 95% and a book unchanged for 10 minutes', () => {
    const ok = bookDataWarnings({ coveredPeriods: 95, longestStale: null }, 100);
    expect(ok).toEqual([]);
    const gap = { from: '10:02', to: '10:08', minutes: 6 };
    const stale = { from: '11:00', to: '11:10', minutes: 10 };
    const bad = bookDataWarnings({ coveredPeriods: 94, largestGap: gap, longestStale: stale }, 100);
    expect(codes(bad)).toEqual(['partial-data', 'stale-data']);
    expect(bad[0].message).toMatch(
      /covers 94 of the 100 periods: 6 \(6%\) have no book \(the longest stretch without a book 10:02–10:08, 6 min\)/,
    );
    expect(bad[1].message).toMatch(/One book stood unchanged for 10 min \(11:00–11:10\)/);
    expect(
      bookDataWarnings({ coveredPeriods: 100, longestStale: { ...stale, minutes: 9.9 } }, 100),
    ).toEqual([]);
  });
  it('the statistics’ warning replaces the plan’s of the same code', () => {
    const fromPlan = planWarnings(withEmpty(6));
    const merged = mergeWarnings(fromPlan, bookDataWarnings({ coveredPeriods: 50 }, 100));
    expect(merged.filter((w) => w.code === 'partial-data')).toHaveLength(1);
    expect(find(merged, 'partial-data')?.message).toMatch(/^The book covers 50 of the 100/);
  });
});

describe('not-calibrated', () => {
  it('a typed β is not calibrated; a plan from data or in the stock’s own figures is', () => {
    expect(find(planWarnings(plan()), 'not-calibrated')?.message).toMatch(
      /raw linear impact \(β = 1e-6\) that was typed in, not calibrated to FROG/,
    );
    expect(
      find(
        planWarnings(plan({ source: { symbol: 'FROG', dates: ['2025-03-07'] } })),
        'not-calibrated',
      ),
    ).toBeUndefined();
    expect(find(planWarnings(calibrated()), 'not-calibrated')).toBeUndefined();
    const defaults = calibrated({
      impact: { ...calibratedImpact(), sources: { sigma: 'default', spread: 'typed' } },
    });
    expect(find(planWarnings(defaults), 'not-calibrated')?.message).toMatch(
      /uses default values for sigma/,
    );
  });
});

describe('the result', () => {
  it('a clean plan’s result has warnings: [] (the key always present)', () => {
    const r = solvePlan(calibrated());
    expect(r.warnings).toEqual([]);
    expect(JSON.parse(JSON.stringify(r))).toHaveProperty('warnings', []);
  });
  it('results saved before warnings still parse, with none', () => {
    const old: Record<string, unknown> = { ...solvePlan(calibrated()) };
    delete old.warnings;
    expect(SolveResultSchema.parse(old).warnings).toEqual([]);
  });
  it('warnings come in the order that matters to a desk, one per code', () => {
    const p = plan({ shares: 5000, volumeProfile: Array(4).fill(1000), permanentImpact: 1e-5 });
    expect(codes(solvePlan(p).warnings)).toEqual([
      'participation',
      'fat-finger',
      'order-vs-volume',
      'permanent-dominates',
      'not-calibrated',
    ]);
  });
});
