import { describe, expect, it } from 'vitest';
import { PlannerError } from './contract';
import { mergeLadders, type Ladder } from './book';
import { PlanSchema, type Plan } from './plan';
import { replaySchedule, type ReplayDay } from './replay';
import {
  t975,
  tInterval,
  validatePlans,
  type ValidationDay,
  type ValidationFold,
} from './validation';

/** A day whose every period shows the same ladder, mid 10, arrival 10. */
function day(date: string, ladder: Ladder, periods = 2, symbol = 'FROG'): ValidationDay<Ladder[]> {
  const ladders = Array.from({ length: periods }, () => ladder);
  return {
    symbol,
    date,
    name: `${symbol}-${date}.csv`,
    replay: { ladders, mids: ladders.map(() => 10), arrival: 10, periodSeconds: 60 },
    data: ladders,
  };
}

/** The book model on the days' ladders averaged (as book-plan averages days). */
function bookPlan(shares = 200): (days: ValidationDay<Ladder[]>[]) => Plan {
  return (days) => {
    const n = days[0].data.length;
    const ladders = Array.from({ length: n }, (_, t) =>
      mergeLadders(
        days.map((d) => d.data[t]),
        1 / days.length,
      ),
    );
    return PlanSchema.parse({
      name: 'test',
      symbol: days[0].symbol,
      source: { symbol: days[0].symbol, dates: days.map((d) => d.date) },
      side: 'buy',
      shares,
      lotSize: 100,
      periods: n,
      referencePrice: 10,
      volumeProfile: Array.from({ length: n }, () => 1000),
      impact: { model: 'book', ladders },
    });
  };
}

const optimal = (f: ValidationFold) => f.schedules.find((s) => s.key === 'optimal')!;

describe('validatePlans', () => {
  it('identical days: out-of-sample equals in-sample, bias 1, a zero-width interval', async () => {
    const ladder: Ladder = [
      [0.01, 100],
      [0.05, 1000],
    ];
    const days = ['2025-01-02', '2025-01-03', '2025-01-06'].map((d) => day(d, ladder));
    const r = await validatePlans(days, bookPlan(), { mode: 'leave-one-out' });
    expect(r.folds).toHaveLength(3);
    expect(r.folds.every((f) => !f.inSample)).toBe(true);
    expect(r.inSample.folds.every((f) => f.inSample)).toBe(true);
    for (let i = 0; i < 3; i++) {
      expect(r.folds[i].schedules).toEqual(r.inSample.folds[i].schedules);
    }
    const opt = optimal(r.folds[0]);
    // 100 shares a period at 1¢: $2 planned and realised, 1¢/share, 10 bps of $10.
    expect(opt.planned.dollars).toBeCloseTo(2, 9);
    expect(opt.realised.dollars).toBeCloseTo(2, 9);
    expect(opt.realised.centsPerShare).toBeCloseTo(1, 9);
    expect(opt.realised.bps).toBeCloseTo(10, 9);
    expect(opt.bias).toBeCloseTo(1, 12);
    const s = r.summary.savingVsTwap;
    expect(s.dollars!.low).toBeCloseTo(s.dollars!.mean, 12);
    expect(s.dollars!.high).toBeCloseTo(s.dollars!.mean, 12);
    expect(r.summary.schedules.find((x) => x.key === 'optimal')!.medianBias).toBeCloseTo(1, 12);
  });

  it('bias from a known book: a day twice as dear as the plan shows bias 2', async () => {
    const cheap: Ladder = [[0.01, 1000]];
    const dear: Ladder = [[0.02, 1000]];
    const days = [day('2025-01-02', cheap), day('2025-01-03', cheap), day('2025-01-06', dear)];
    const r = await validatePlans(days, bookPlan(), { mode: 'leave-one-out' });
    const f3 = r.folds.find((f) => f.date === '2025-01-06')!;
    expect(f3.planDates).toEqual(['2025-01-02', '2025-01-03']);
    expect(optimal(f3).planned.dollars).toBeCloseTo(2, 9); // 200 × 1¢
    expect(optimal(f3).realised.dollars).toBeCloseTo(4, 9); // 200 × 2¢
    expect(optimal(f3).bias).toBeCloseTo(2, 12);
    // A cheap day planned from one cheap and one dear day: the merged book shows 500 at 1¢
    // first, so the plan expects 1¢ and gets it.
    const f1 = r.folds.find((f) => f.date === '2025-01-02')!;
    expect(optimal(f1).bias).toBeCloseTo(1, 12);
    expect(r.summary.schedules.find((x) => x.key === 'optimal')!.medianBias).toBeCloseTo(1, 12);
  });

  it('walk-forward plans each day from the days before it only', async () => {
    const ladder: Ladder = [[0.01, 1000]];
    const days = ['2025-01-06', '2025-01-02', '2025-01-03'].map((d) => day(d, ladder));
    const seen: [string[], number][] = [];
    const build = bookPlan();
    const r = await validatePlans(
      days,
      (train) => {
        seen.push([train.map((d) => d.date), seen.length]);
        return build(train);
      },
      { mode: 'walk-forward' },
    );
    expect(r.folds.map((f) => [f.date, f.planDates])).toEqual([
      ['2025-01-03', ['2025-01-02']],
      ['2025-01-06', ['2025-01-02', '2025-01-03']],
    ]);
    for (const f of r.folds) expect(f.planDates.every((d) => d < f.date)).toBe(true);
    // The in-sample reference is built once, from all days.
    expect(seen.map(([d]) => d.length)).toEqual([1, 2, 3]);
  });

  it('the saving against TWAP: the optimum avoids the dear period', async () => {
    // Period 1 costs 1¢, period 2 costs 5¢: the optimum buys all in period 1, TWAP splits.
    const mk = (date: string): ValidationDay<Ladder[]> => {
      const ladders: Ladder[] = [[[0.01, 1000]], [[0.05, 1000]]];
      return {
        symbol: 'FROG',
        date,
        name: date,
        replay: { ladders, mids: [10, 10], arrival: 10 },
        data: ladders,
      };
    };
    const r = await validatePlans([mk('2025-01-02'), mk('2025-01-03')], bookPlan(), {
      mode: 'leave-one-out',
    });
    // TWAP: 100 × 1¢ + 100 × 5¢ = $6; optimum 200 × 1¢ = $2: saving $4, 2¢/share, 20 bps.
    const s = r.summary.savingVsTwap;
    expect(s.dollars!.mean).toBeCloseTo(4, 9);
    expect(s.centsPerShare!.mean).toBeCloseTo(2, 9);
    expect(s.bps!.mean).toBeCloseTo(20, 9);
    expect(s.planned!.dollars).toBeCloseTo(4, 9);
    // Flat volume: VWAP is TWAP here.
    expect(r.summary.savingVsVwap.dollars!.mean).toBeCloseTo(4, 9);
  });

  it('a fold whose plan cannot be built keeps its problem and stays out of the aggregate', async () => {
    const ladder: Ladder = [[0.01, 1000]];
    const days = ['2025-01-02', '2025-01-03', '2025-01-06'].map((d) => day(d, ladder));
    const build = bookPlan();
    const r = await validatePlans(
      days,
      (train) => {
        if (!train.some((d) => d.date === '2025-01-02'))
          throw new PlannerError('infeasible', 'the visible ask side holds too few shares');
        return build(train);
      },
      { mode: 'leave-one-out' },
    );
    expect(r.folds[0].problem).toMatch(/too few shares/);
    expect(r.folds[0].schedules).toEqual([]);
    expect(r.summary.days).toBe(2);
  });

  it('refuses one day, mixed symbols and a date twice, naming the day', async () => {
    const l: Ladder = [[0.01, 1000]];
    const v = (days: ValidationDay<Ladder[]>[]) =>
      validatePlans(days, bookPlan(), { mode: 'leave-one-out' });
    await expect(v([day('2025-01-02', l)])).rejects.toThrow(/at least 2 days/);
    await expect(v([day('2025-01-02', l), day('2025-01-03', l, 2, 'ARL')])).rejects.toThrow(
      /ARL-2025-01-03\.csv: is ARL, FROG-2025-01-02\.csv is FROG/,
    );
    await expect(v([day('2025-01-02', l), day('2025-01-02', l)])).rejects.toThrow(/also/);
    await expect(v([day('2025-01-02', l), day('2025-01-03', l, 3)])).rejects.toThrow(/3 periods/);
  });
});

describe('tInterval', () => {
  it('is the mean ± t(0.975, n−1)·s/√n', async () => {
    const r = tInterval([1, 2, 3])!;
    expect(r.mean).toBe(2);
    expect(r.high! - r.mean).toBeCloseTo((4.303 * 1) / Math.sqrt(3), 9);
    expect(tInterval([5])).toEqual({ mean: 5, low: null, high: null, days: 1 });
  });
  it('t975 past the table follows the expansion (40 df: 2.021, 120 df: 1.980)', async () => {
    expect(t975(40)).toBeCloseTo(2.021, 3);
    expect(t975(120)).toBeCloseTo(1.98, 3);
  });
});

describe('replaySchedule recovery', () => {
  const ladder: Ladder = [
    [0.01, 100],
    [0.02, 100],
  ];
  const d: ReplayDay = {
    ladders: [ladder, ladder],
    mids: [10, 10],
    arrival: 10,
    periodSeconds: 60,
  };
  it('default: each child order walks the book in effect when sent', async () => {
    expect(replaySchedule('x', [100, 100], d, 'buy').impactCost).toBeCloseTo(2, 12);
  });
  it('a 60 s half-life over 60 s periods leaves half the shares taken missing', async () => {
    // Second child: 50 of the 1¢ level are still gone, so 50 at 1¢ and 50 at 2¢.
    const r = replaySchedule('x', [100, 100], d, 'buy', { recoveryHalfLifeSeconds: 60 });
    expect(r.periods[1].cost).toBeCloseTo(1.5, 12);
    expect(r.impactCost).toBeCloseTo(2.5, 12);
  });
  it('liquidity still missing beyond the book is priced at its deepest level', async () => {
    const r = replaySchedule('x', [200, 200], d, 'buy', { recoveryHalfLifeSeconds: 1e9 });
    expect(r.periods[1].cost).toBeCloseTo(200 * 0.02, 9);
    expect(r.beyondBook).toBeCloseTo(200, 3);
  });
  it('needs the period length with a half-life', async () => {
    expect(() =>
      replaySchedule('x', [1], { ...d, periodSeconds: undefined }, 'buy', {
        recoveryHalfLifeSeconds: 5,
      }),
    ).toThrow(/period length/);
  });
});
