import { describe, expect, it } from 'vitest';
import { PlannerError } from './contract';
import {
  buildBookPlan,
  calibrateSource,
  clockLabel,
  fitLadders,
  fitPowerLaw,
  localToUtcMs,
  median,
  fmtGapLength,
  midVolatility,
  POOR_FIT_R2,
  sessionPeriods,
  utcToLocal,
  walkCost,
  walkCurve,
  walkLadder,
  type BookPeriod,
  type BookPlanSource,
  type BookStats,
  type Ladder,
} from './book';

/** A ladder whose walk curve is exactly g(X_k) = beta·X_k^alpha at the level ends X_k. */
function powerLadder(beta: number, alpha: number, sizes: number[]): Ladder {
  const out: Ladder = [];
  let x = 0;
  let cost = 0;
  for (const size of sizes) {
    const next = x + size;
    const nextCost = beta * next ** (1 + alpha);
    out.push([(nextCost - cost) / size, size]);
    x = next;
    cost = nextCost;
  }
  return out;
}

describe('ladder walk', () => {
  const ladder: Ladder = [
    [0.01, 100],
    [0.02, 50],
    [0.05, 10],
  ];
  it('sums the offsets of the cheapest shares and refuses beyond the depth', () => {
    expect(walkCost(ladder, 0)).toBe(0);
    expect(walkCost(ladder, 100)).toBeCloseTo(1, 12);
    expect(walkCost(ladder, 120)).toBeCloseTo(1 + 20 * 0.02, 12);
    expect(walkCost(ladder, 160)).toBeCloseTo(1 + 1 + 0.5, 12);
    expect(walkCost(ladder, 161)).toBe(Infinity);
  });
  it('skips the shares earlier orders took off the top and returns what the depth cannot hold', () => {
    // 120 shares skipped: the first level and 20 of the second are gone.
    expect(walkLadder(ladder, 30, 120)).toEqual({ cost: 30 * 0.02, left: 0 });
    const deep = walkLadder(ladder, 50, 120);
    expect(deep.cost).toBeCloseTo(30 * 0.02 + 10 * 0.05, 12);
    expect(deep.left).toBe(10);
    // No skip: the cost walkCost gives, and beyond the depth the shares left over.
    expect(walkLadder(ladder, 120)).toEqual({ cost: walkCost(ladder, 120), left: 0 });
    expect(walkLadder(ladder, 170).left).toBe(10);
  });
  it('gives the average impact at each level end', () => {
    const c = walkCurve(ladder);
    expect(c.map((p) => p[0])).toEqual([100, 150, 160]);
    expect(c[1][1]).toBeCloseTo(2 / 150, 12);
    expect(c[2][1]).toBeCloseTo(2.5 / 160, 12);
  });
});

describe('power-law fit', () => {
  it('recovers beta and alpha from a synthetic power-law ladder', () => {
    const fit = fitPowerLaw(walkCurve(powerLadder(0.002, 0.6, [120, 80, 300, 45, 500, 90])));
    expect(fit).not.toBeNull();
    expect(fit!.beta).toBeCloseTo(0.002, 9);
    expect(fit!.exponent).toBeCloseTo(0.6, 9);
    expect(fit!.r2).toBeCloseTo(1, 9);
    expect(fit!.points).toBe(6);
  });
  it('cannot fit a single level', () => {
    expect(fitPowerLaw(walkCurve([[0.01, 100]]))).toBeNull();
  });
  it('pools one exponent over periods and recovers each period level', () => {
    const profile = [1, 2, 0.5, 1.5];
    const ladders = profile.map((p, t) =>
      powerLadder(0.001 * p, 0.45, [50 + 10 * t, 200, 70, 400 - 30 * t]),
    );
    ladders.push([]); // a period with no book
    ladders.push([[0.03, 100]]); // one level: no own slope, but a level under the pooled α
    const fit = fitLadders(ladders);
    expect(fit.pooled!.exponent).toBeCloseTo(0.45, 6);
    const betas = fit.betas.slice(0, 4).map((b) => b! / 0.001);
    betas.forEach((b, t) => expect(b).toBeCloseTo(profile[t], 6));
    expect(fit.betas[4]).toBeNull();
    expect(fit.betas[5]).toBeCloseTo(0.03 / 100 ** 0.45, 9);
    expect(fit.perPeriod[0]!.exponent).toBeCloseTo(0.45, 9);
    expect(fit.perPeriod[5]).toBeNull();
    // Geometric mean of the per-period betas, including the single-level period.
    const all = [...profile.map((p) => 0.001 * p), 0.03 / 100 ** 0.45];
    expect(fit.pooled!.beta).toBeCloseTo(
      Math.exp(all.reduce((s, b) => s + Math.log(b), 0) / all.length),
      9,
    );
    expect(fit.pooled!.r2).toBeCloseTo(1, 9);
  });
  it('reports a worse R² for noisy curves', () => {
    const ladder: Ladder = [
      [0.01, 100],
      [0.5, 10],
      [0.02, 500],
    ];
    const fit = fitPowerLaw(walkCurve(ladder.sort((a, b) => a[0] - b[0])))!;
    expect(fit.r2).toBeLessThan(0.99);
    expect(fit.r2).toBeGreaterThanOrEqual(0);
  });
});

describe('session clock and time zones', () => {
  it('converts New York 09:30 to UTC on both sides of the March DST switch', () => {
    // 2025-03-09 US clocks spring forward.
    expect(new Date(localToUtcMs('2025-03-07', 570, 'America/New_York')).toISOString()).toBe(
      '2025-03-07T14:30:00.000Z',
    );
    expect(new Date(localToUtcMs('2025-03-10', 570, 'America/New_York')).toISOString()).toBe(
      '2025-03-10T13:30:00.000Z',
    );
    expect(new Date(localToUtcMs('2025-04-03', 960, 'America/New_York')).toISOString()).toBe(
      '2025-04-03T20:00:00.000Z',
    );
    expect(new Date(localToUtcMs('2025-07-01', 480, 'Europe/London')).toISOString()).toBe(
      '2025-07-01T07:00:00.000Z',
    );
  });
  it('finds the local date and time of an instant', () => {
    expect(utcToLocal(Date.parse('2025-04-03T00:30:00Z'), 'America/New_York')).toEqual({
      date: '2025-04-02',
      minutes: 20 * 60 + 30,
    });
  });
  it('counts periods, a shorter last one included', () => {
    const s = { start: '09:30', end: '16:00', timeZone: 'America/New_York' };
    expect(sessionPeriods(s, 1)).toBe(390);
    expect(sessionPeriods(s, 5)).toBe(78);
    expect(sessionPeriods(s, 7)).toBe(56);
    expect(clockLabel(9 * 3600 + 30 * 60 + 30)).toBe('09:30:30');
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('plans from a book', () => {
  const source: BookPlanSource = {
    symbol: 'AAPL',
    date: '2025-04-03',
    fileName: 'aapl.csv',
    periods: 3,
    periodMinutes: 130,
    session: { start: '09:30', end: '16:00', timeZone: 'America/New_York' },
    series: [100, null, 101].map((mid, i) => ({
      start: ['09:30', '11:40', '13:50'][i],
      mid,
      spread: mid === null ? null : 0.02,
      bidDepth: 0,
      askDepth: 0,
    })),
    stats: null,
    ladders: {
      buy: [powerLadder(0.001, 0.5, [100, 200, 300]), [], powerLadder(0.002, 0.5, [50, 50])],
      sell: [[[0.01, 10]], [], [[0.02, 5]]],
    },
  };
  it('builds an exact book plan with an empty period as no liquidity', () => {
    const plan = buildBookPlan(source, { shares: 500, side: 'buy', lotSize: 1, fit: false });
    expect(plan.impact.model).toBe('book');
    expect(plan.periods).toBe(3);
    // Without import statistics (an old dataset) the first period's mid is the reference.
    expect(plan.referencePrice).toBe(100);
    expect(plan.notes).toContain('No book in 1 period(s), capped at 0: 2.');
    if (plan.impact.model === 'book') expect(plan.impact.ladders[1]).toEqual([]);
  });
  it('refuses an exact plan larger than the visible book, naming the side', () => {
    expect(() =>
      buildBookPlan(source, { shares: 16, side: 'sell', lotSize: 1, fit: false }),
    ).toThrow(/bid side holds only 15 shares/);
  });
  // The books as they are quoted: the power law on top of the half-spread (0.01).
  const halfSpread = (l: Ladder): Ladder => l.map(([o, size]) => [o + 0.01, size]);
  const quoted: BookPlanSource = {
    ...source,
    ladders: { buy: source.ladders.buy.map(halfSpread), sell: source.ladders.sell },
  };
  it('builds the fitted power law with a profile and cap 0 where no book', () => {
    const plan = buildBookPlan(quoted, { shares: 500, side: 'buy', lotSize: 10, fit: true });
    expect(plan.impact.model).toBe('power');
    if (plan.impact.model !== 'power') return;
    // g = ½s + β·p_t·x^α: the median half-spread is the intercept, the rest the power law.
    expect(plan.impact.intercept).toBe(0.01);
    expect(plan.impact.exponent).toBeCloseTo(0.5, 9);
    const [p0, , p2] = plan.impact.profile!;
    expect((plan.impact.beta * p2) / (plan.impact.beta * p0)).toBeCloseTo(2, 9);
    // Capped at the visible depth of each period (600 and 100 shares, in lots of 10).
    expect(plan.maxPerPeriod).toEqual([600, 0, 100]);
  });
  it('poor-fit: says in the notes when the pooled R² is below POOR_FIT_R2', () => {
    // Flat for 4,000 shares, then a jump: no power law follows that (R² ≈ 0.55).
    const flatThenSteep: [number, number][] = [
      [0.01, 1000],
      [0.0101, 1000],
      [0.0102, 1000],
      [0.0103, 1000],
      [0.5, 4000],
    ];
    const steep = halfSpread(flatThenSteep);
    const poor = { ...source, ladders: { buy: [steep, [], steep], sell: [] } };
    const plan = buildBookPlan(poor, { shares: 1000, side: 'buy', lotSize: 1, fit: true });
    expect(plan.notes).toMatch(
      /pooled R² = 0\.5\d\d \(log scale\), R² of g = -?[\d.]+ — a poor fit: prefer the exact book model/,
    );
    expect(POOR_FIT_R2).toBe(0.8);
    // A good fit says nothing of the kind.
    const good = buildBookPlan(quoted, { shares: 500, side: 'buy', lotSize: 10, fit: true });
    expect(good.notes).toMatch(/pooled R² = 1\.000 \(log scale\), R² of g = 1\.000; each period/);
  });
  it('refuses to fit a side with single-level books', () => {
    try {
      buildBookPlan(source, { shares: 10, side: 'sell', lotSize: 1, fit: true });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PlannerError);
      expect((e as PlannerError).code).toBe('infeasible');
    }
  });
});

describe('midVolatility', () => {
  it('is the sample standard deviation of one-period mid changes, skipping periods without a book', () => {
    const mids = [10, 10.1, 10, 10.1, null, 10.2, 10.1, 10.2, 10.1, 10.2, 10.1, 10.2, 10.1];
    const r = midVolatility(mids)!;
    // Changes: ±0.1 alternating over the pairs with both mids.
    const d = [0.1, -0.1, 0.1, -0.1, 0.1, -0.1, 0.1, -0.1, 0.1, -0.1];
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
    expect(r.changes).toBe(10);
    expect(r.value).toBeCloseTo(sd, 12);
    expect(midVolatility([1, 2, 3])).toBeNull();
    expect(midVolatility(Array(20).fill(5))).toBeNull();
  });
});

describe('fmtGapLength', () => {
  it('says seconds under a minute, minutes under an hour, then hours and minutes', () => {
    expect(fmtGapLength(0.7)).toBe('42 s');
    expect(fmtGapLength(12.46)).toBe('12.5 min');
    expect(fmtGapLength(252.5)).toBe('4 h 13 min');
    expect(fmtGapLength(120)).toBe('2 h');
    expect(fmtGapLength(179.9)).toBe('3 h');
  });
});

describe('power law with the spread as intercept', () => {
  it('fitLadders(ladders, c) fits g − c: b and α of g = c + b·x^α come back exactly', () => {
    // Level ends x_k with c(x) = x·(0.03 + 0.001·x^0.5): offsets are the slopes between ends.
    const ends = [10, 30, 100, 300, 1000, 3000];
    const cost = (x: number) => x * (0.03 + 0.001 * x ** 0.5);
    const ladder: Ladder = ends.map((x, k) => {
      const prev = k ? ends[k - 1] : 0;
      return [(cost(x) - cost(prev)) / (x - prev), x - prev];
    });
    const withIntercept = fitLadders([ladder, ladder], 0.03);
    expect(withIntercept.pooled!.exponent).toBeCloseTo(0.5, 9);
    expect(withIntercept.pooled!.beta).toBeCloseTo(0.001, 9);
    expect(withIntercept.pooled!.r2).toBeCloseTo(1, 9);
    // Without it the log-log slope is flattened by the spread (what made small orders cheap).
    expect(fitLadders([ladder, ladder]).pooled!.exponent).toBeLessThan(0.4);
  });
});

describe('calibrateSource', () => {
  it('reads the import’s quoted spread, start mids and auction prints over the sampled figures', () => {
    const N = 40;
    const { series, startMids } = (() => {
      const series: BookPeriod[] = [];
      const startMids: number[] = [];
      let p = 50;
      for (let t = 0; t < N; t++) {
        p += t % 3 === 0 ? 0.02 : -0.01;
        startMids.push(p);
        series.push({
          start: clockLabel((570 + t) * 60).slice(0, 5),
          // The period mid and the sampled spread say something else: they must not be used.
          mid: 50,
          spread: 0.5,
          quotedSpread: 0.04,
          bidDepth: 1000,
          askDepth: 1000,
          volume: 500,
        });
      }
      return { series, startMids };
    })();
    const ladder: Ladder = [
      [0.02, 100],
      [0.03, 100],
      [0.05, 1000],
    ];
    const src: BookPlanSource = {
      symbol: 'ACME',
      date: '2025-04-03',
      fileName: 'acme.csv',
      periods: N,
      periodMinutes: 1,
      session: { start: '09:30', end: '10:10', timeZone: 'America/New_York' },
      series,
      ladders: { buy: new Array(N).fill(ladder), sell: new Array(N).fill(ladder) },
      stats: {
        startMids,
        openingAuction: { at: '09:30', volume: 3000, trades: 1, price: 50 },
        closingAuction: null,
      } as unknown as BookStats,
    };
    const cal = calibrateSource(src, { side: 'buy', shares: 200, lotSize: 1 });
    expect(cal.impact.spread).toEqual(new Array(N).fill(0.04));
    // σ from the start mids (the period mids are flat: no σ at all from them).
    expect(cal.sigmaPerPeriod).toBeGreaterThan(0);
    expect(cal.volume).toEqual({ continuous: N * 500, auctions: 3000 });
    expect(cal.impact.dailyVolume).toBe(N * 500 + 3000);
  });
});
