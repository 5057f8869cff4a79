import { describe, expect, it } from 'vitest';
import {
  PUBLISHED,
  calibrate,
  calibratedImpactPerShare,
  calibratedPermanentCost,
  calibratedScheduleCost,
  fitInterceptPowerLaw,
  periodProfile,
  robustMean,
  shrink,
  smooth,
  sigmaProblem,
  twoScaleSigma,
  type CalibratedImpact,
  type CalibrationDay,
} from './calibration';
import type { Ladder } from './book';

/** Deterministic PRNG (mulberry32) and a standard normal from it. */
function rng(seed: number) {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return { u, normal };
}

describe('the calibrated cost by hand', () => {
  const im: CalibratedImpact = {
    model: 'calibrated',
    sigma: 0.5,
    spread: [0.06, 0.1],
    eta: 0.142,
    beta: 0.6,
    gamma: 0.314,
    volatilityProfile: [1, 2],
    feePerShare: 0.001,
  };
  const V = [10_000, 1_000];
  it('g_t(x) = fee + ½s_t + η·σ·p_t·(x/V_t)^β at a few sizes', () => {
    // 1,000 shares in period 0: 0.001 + 0.03 + 0.142·0.5·1·0.1^0.6 = 0.031 + 0.071·0.251189
    // (0.1^0.6 = 0.2511886432)
    expect(calibratedImpactPerShare(im, V, 0, 1000)).toBeCloseTo(0.031 + 0.071 * 0.2511886432, 9);
    // 100 shares in period 1: 0.001 + 0.05 + 0.142·0.5·2·0.1^0.6
    expect(calibratedImpactPerShare(im, V, 1, 100)).toBeCloseTo(0.051 + 0.142 * 0.2511886432, 9);
    // 1,000 shares in period 1: all of its volume, (1)^0.6 = 1
    expect(calibratedImpactPerShare(im, V, 1, 1000)).toBeCloseTo(0.051 + 0.142, 12);
    expect(calibratedImpactPerShare(im, V, 0, 0)).toBe(0);
    expect(calibratedScheduleCost(im, V, [1000, 100])).toBeCloseTo(
      1000 * (0.031 + 0.071 * 0.2511886432) + 100 * (0.051 + 0.142 * 0.2511886432),
      6,
    );
  });

  it('the permanent part is ½·γ·σ·(S/V_day)·S, V_day the volumes summed by default', () => {
    // S = 1,100, V_day = 11,000: ½·0.314·0.5·0.1·1,100 = 8.635
    expect(calibratedPermanentCost(im, V, 1100)).toBeCloseTo(8.635, 9);
    expect(calibratedPermanentCost({ ...im, dailyVolume: 22_000 }, V, 1100)).toBeCloseTo(4.3175, 9);
  });

  it('defaults to the published η, β when they are absent', () => {
    const bare: CalibratedImpact = { model: 'calibrated', sigma: 1, spread: 0 };
    expect(calibratedImpactPerShare(bare, [100], 0, 100)).toBeCloseTo(PUBLISHED.eta, 12);
  });
});

describe('robust estimates', () => {
  it('robustMean: the median below five values, a 20% trimmed mean from five', () => {
    expect(robustMean([1, 2, 100])).toBe(2);
    expect(robustMean([1, 2, 3, 100])).toBe(2.5);
    // Ten values: drop two at each end.
    expect(robustMean([1000, 1, 2, 3, 4, 5, 6, 7, 8, -1000])).toBeCloseTo(4.5, 12);
    expect(robustMean([])).toBeNull();
    expect(robustMean([NaN, 4])).toBe(4);
  });

  it('smooth: a centred moving average over the known values', () => {
    expect(smooth([0, 3, 6, null, 12], 1)).toEqual([1.5, 3, 4.5, 9, 12]);
    expect(smooth([null, null], 1)).toEqual([null, null]);
  });

  it('shrink: weight D/(D+k) on the profile, the day-wide value elsewhere', () => {
    // One day, k = 2: a third of the profile.
    expect(shrink([4, null, 1], 1, 1, 2)).toEqual([2, 1, 1]);
    // Many days: nearly the profile.
    const many = shrink([4], 1, 98, 2)[0];
    expect(many).toBeCloseTo(0.98 * 4 + 0.02 * 1, 12);
  });

  it('periodProfile: one wild day does not move a period (trimmed mean over days)', () => {
    const days = [
      [10, 10],
      [10, 10],
      [10, 10],
      [10, 10],
      [10_000, 10],
    ];
    const p = periodProfile(days, { h: 0, shrinkDays: 0 })!;
    expect(p.profile).toEqual([10, 10]);
  });

  it('periodProfile: a single day is shrunk most of the way toward the day-wide value', () => {
    const p = periodProfile([[2, 4, 6]], { h: 0, shrinkDays: 2, dayWide: 4 })!;
    expect(p.profile.map((v) => Number(v.toFixed(9)))).toEqual([3.333333333, 4, 4.666666667]);
  });
});

describe('σ robust to bid–ask bounce', () => {
  it('recovers σ of a random walk with bounce within 10% (one-period changes overstate it)', () => {
    const { u, normal } = rng(7);
    const sigma = 0.02; // per period
    const halfSpread = 0.04; // mids bounce by ±½ of it: noise as large as σ
    const days: number[][] = [];
    for (let d = 0; d < 20; d++) {
      let p = 30;
      const mids: number[] = [];
      for (let t = 0; t < 390; t++) {
        p += sigma * normal();
        mids.push(p + (u() < 0.5 ? -1 : 1) * (halfSpread / 2));
      }
      days.push(mids);
    }
    const est = twoScaleSigma(days, 10)!;
    expect(est.method).toBe('two-scale');
    expect(Math.abs(Math.sqrt(est.variance) / sigma - 1)).toBeLessThan(0.1);
    // The naive estimate is inflated (√(σ₁² + 2·0.02²) = 1.73σ) and the variance ratio
    // (10σ₁² + 2·0.02²)/(10·(σ₁² + 2·0.02²)) = 0.4 says so.
    expect(Math.sqrt(est.rv1)).toBeGreaterThan(1.6 * sigma);
    expect(est.varianceRatio).toBeGreaterThan(0.35);
    expect(est.varianceRatio).toBeLessThan(0.45);
  });

  it('without bounce the variance ratio is about 1 and σ is the one-period σ', () => {
    const { normal } = rng(3);
    const days: number[][] = [];
    for (let d = 0; d < 10; d++) {
      let p = 10;
      days.push(Array.from({ length: 390 }, () => (p += 0.01 * normal())));
    }
    const est = twoScaleSigma(days, 10)!;
    expect(Math.abs(Math.sqrt(est.variance) / 0.01 - 1)).toBeLessThan(0.1);
    expect(Math.abs(est.varianceRatio - 1)).toBeLessThan(0.15);
  });

  it('needs ten changes', () => {
    expect(twoScaleSigma([[1, 2, 3]], 2)).toBeNull();
    expect(sigmaProblem([[1, 2, 3]], 2, 1)).toBe(
      'too few mid changes to estimate σ (2; at least 10 are needed)',
    );
  });

  it('says why no σ: a mid that only moves back and forth is not "too few changes"', () => {
    // Steps 0, +2, −1, +1, −2 ticks repeat every 5 periods: 29 one-period changes, and every
    // 10-period change is 0.
    const steps = [0, 2, -1, 1, -2];
    let ticks = 10_000;
    const mids = Array.from({ length: 30 }, (_, k) => (ticks += k ? steps[k % 5] : 0) / 100);
    expect(twoScaleSigma([mids], 10)).toBeNull();
    expect(sigmaProblem([mids], 10, 1)).toBe(
      'the mid does not move over 10-minute changes (it only moves back and forth), so σ cannot be estimated',
    );
    expect(sigmaProblem([new Array<number>(30).fill(31.5)], 10, 1)).toBe(
      'the mid never moves, so σ cannot be estimated',
    );
    const short = Array.from({ length: 12 }, (_, k) => 31 + k / 100);
    expect(sigmaProblem([short], 20, 1)).toBe(
      'the session is shorter than the 20-minute changes σ is estimated from',
    );
  });
});

describe('power law with an intercept', () => {
  it('recovers b and α of g = c + b·x^α on synthetic points, with R² near 1', () => {
    const pts: [number, number][] = [];
    for (const x of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000])
      pts.push([x, 0.03 + 0.002 * x ** 0.5]);
    const free = fitInterceptPowerLaw(pts)!;
    expect(free.intercept).toBeCloseTo(0.03, 6);
    expect(free.b).toBeCloseTo(0.002, 6);
    expect(free.alpha).toBeCloseTo(0.5, 4);
    expect(free.r2).toBeGreaterThan(0.999999);
    const fixed = fitInterceptPowerLaw(pts, 0.03)!;
    expect(fixed.intercept).toBe(0.03);
    expect(fixed.b).toBeCloseTo(0.002, 6);
    expect(fixed.alpha).toBeCloseTo(0.5, 4);
  });

  it('with noise, stays near the truth', () => {
    const { normal } = rng(11);
    const pts: [number, number][] = [];
    for (let i = 0; i < 400; i++) {
      const x = 1 + i * 5;
      pts.push([x, 0.05 + 0.001 * x ** 0.7 + 0.002 * normal()]);
    }
    const fit = fitInterceptPowerLaw(pts, 0.05)!;
    expect(fit.alpha).toBeGreaterThan(0.65);
    expect(fit.alpha).toBeLessThan(0.75);
    expect(fit.r2).toBeGreaterThan(0.9);
  });

  it('needs three points', () => {
    expect(
      fitInterceptPowerLaw([
        [1, 1],
        [2, 2],
      ]),
    ).toBeNull();
  });
});

describe('calibrate', () => {
  /** Days whose books cost exactly ½s + η·σ_day·(x/V)^β per share, per the model. */
  function syntheticDays(D: number, eta: number, beta: number): CalibrationDay[] {
    const { normal, u } = rng(5);
    const N = 60;
    const out: CalibrationDay[] = [];
    for (let d = 0; d < D; d++) {
      let p = 20;
      const mids: number[] = [];
      for (let t = 0; t < N; t++) {
        p += 0.01 * normal();
        mids.push(p + (u() < 0.5 ? -0.005 : 0.005));
      }
      out.push({
        date: `2025-04-${String(d + 1).padStart(2, '0')}`,
        mids,
        spreads: new Array<number>(N).fill(0.04),
        volumes: new Array<number>(N).fill(1000),
        ladders: [],
      });
    }
    // σ the calibration will see, to build books that match the model at it.
    const sigmaDay = Math.sqrt(
      twoScaleSigma(
        out.map((d) => d.mids),
        10,
      )!.variance * N,
    );
    const ladder: Ladder = [];
    // Marginal cost of share k from c(x) = x·(½s + η·σ·(x/V)^β): one share per level.
    const c = (x: number) => x * (0.02 + eta * sigmaDay * (x / 1000) ** beta);
    for (let k = 1; k <= 400; k++) ladder.push([c(k) - c(k - 1), 1]);
    for (const d of out) d.ladders = new Array(N).fill(ladder);
    return out;
  }

  it('fits η and β back from books that follow the model', () => {
    const days = syntheticDays(8, 0.3, 0.6);
    const cal = calibrate(days, { periodMinutes: 1, periods: 60, shares: 400, lotSize: 1 });
    expect(cal.impact.model).toBe('calibrated');
    expect(cal.fit.source).toBe('fitted');
    expect(cal.impact.eta).toBeCloseTo(0.3, 2);
    expect(cal.impact.beta).toBe(0.6);
    // Not exactly 1: p_t is estimated from the noisy mids (shrunk toward 1, not equal to it).
    expect(cal.fit.r2).toBeGreaterThan(0.98);
    expect(cal.impact.spread).toEqual(new Array(60).fill(0.04));
    expect(cal.volumeProfile).toEqual(new Array(60).fill(1000));
    expect(cal.impact.dailyVolume).toBe(60_000);
    expect(cal.impact.sources).toMatchObject({ eta: 'fitted', sigma: 'fitted', gamma: 'default' });
    expect(cal.impact.calibration).toMatchObject({ days: 8, dates: days.map((d) => d.date) });
    expect(cal.impact.calibration!.sigmaEstimator).toMatch(/^two-scale/);
  });

  it('V_day counts the auction prints, V_t does not (the mean over the days that say)', () => {
    const days = syntheticDays(3, 0.3, 0.6).map((d, i) => ({
      ...d,
      auctionVolume: [5000, 7000, null][i],
    }));
    const cal = calibrate(days, { periodMinutes: 1, periods: 60, shares: 400 });
    expect(cal.volumeProfile).toEqual(new Array(60).fill(1000));
    expect(cal.volume).toEqual({ continuous: 60_000, auctions: 6000 });
    expect(cal.impact.dailyVolume).toBe(66_000);
    expect(cal.notes.join(' ')).toMatch(
      /^V_day 66,000 shares: 60,000 in continuous trading \(V_t\) and 6,000 in the auction prints \(mean of 2 day\(s\)\)/,
    );
    // No day says: V_day is the continuous volume alone.
    const none = calibrate(syntheticDays(3, 0.3, 0.6), {
      periodMinutes: 1,
      periods: 60,
      shares: 400,
    });
    expect(none.volume.auctions).toBeNull();
    expect(none.impact.dailyVolume).toBe(60_000);
  });

  it('keeps the published η when the books say nothing about size (flat, scattered books)', () => {
    const { u } = rng(9);
    const days = syntheticDays(3, 0.3, 0.6).map((d) => ({
      ...d,
      ladders: d.ladders.map((): Ladder => [[0.005 + 0.05 * u(), 10_000]]),
    }));
    const cal = calibrate(days, { periodMinutes: 1, periods: 60, shares: 400 });
    expect(cal.fit.source).toBe('default');
    expect(cal.impact.eta).toBe(PUBLISHED.eta);
    expect(cal.impact.sources?.eta).toBe('default');
    expect(cal.notes.join(' ')).toMatch(/published η and β are used/);
  });

  it('names the field when the days cannot be used', () => {
    const days = syntheticDays(2, 0.3, 0.6);
    expect(() =>
      calibrate(
        days.map((d) => ({ ...d, volumes: d.volumes.map(() => null) })),
        { periodMinutes: 1, periods: 60, shares: 100 },
      ),
    ).toThrow(/^volumes: the days have no traded volume/);
    expect(() => calibrate(days, { periodMinutes: 1, periods: 30, shares: 100 })).toThrow(
      /^mids: the day 2025-04-01 has 60 periods, expected 30/,
    );
    expect(() => calibrate([], { periodMinutes: 1, periods: 30, shares: 100 })).toThrow(/^days:/);
  });
});
