import { describe, expect, it } from 'vitest';
import { PlanSchema } from './plan';
import {
  calibratedFromTerms,
  dayVolumeShare,
  sessionVolumeShare,
  termsOfPlan,
  traderTermsIssues,
  volumeProfileFromTerms,
  WORKED_EXAMPLE,
  workedExamplePlan,
  type TraderTerms,
} from './traderTerms';

const TERMS: TraderTerms = {
  adv: 2_000_000,
  dailyVolatilityPct: 2,
  spreadBps: 5,
  commissionCents: 0.3,
  referencePrice: 50,
};

describe('calibratedFromTerms', () => {
  it('turns %, bps and ¢ into $ at the reference price', () => {
    const im = calibratedFromTerms(TERMS);
    // σ = 2% × $50 = $1; spread = 5 bps × $50 = $0.025; fee = 0.3¢ = $0.003.
    expect(im.sigma).toBeCloseTo(1, 12);
    expect(im.spread).toBeCloseTo(0.025, 12);
    expect(im.feePerShare).toBeCloseTo(0.003, 12);
    expect(im.dailyVolume).toBe(2_000_000);
    expect([im.eta, im.beta, im.gamma]).toEqual([0.142, 0.6, 0.314]);
    expect(im.sources).toMatchObject({ sigma: 'typed', spread: 'typed', eta: 'default' });
  });

  it('names each unusable field', () => {
    const issues = traderTermsIssues({
      adv: 0,
      dailyVolatilityPct: -1,
      spreadBps: 10_000,
      commissionCents: Number.NaN,
      referencePrice: 0,
    });
    expect(issues.map((i) => i.field)).toEqual([
      'adv',
      'dailyVolatilityPct',
      'spreadBps',
      'commissionCents',
      'referencePrice',
    ]);
    expect(traderTermsIssues(TERMS)).toEqual([]);
  });
});

describe('volumeProfileFromTerms', () => {
  const DAY = { start: '09:30', end: '16:00' };

  it('flat over the whole day: ADV / 390 a minute', () => {
    const v = volumeProfileFromTerms(390_000, 390, DAY, 'flat');
    expect(v).toEqual(new Array(390).fill(1000));
  });

  it('U over the day in three periods: 106/270, 58/270, 106/270 of ADV', () => {
    // ∫(1 + 2τ²) over τ ∈ [−1, −1/3] is 106/81, over [−1/3, 1/3] 58/81, the day 270/81.
    expect(volumeProfileFromTerms(2_700_000, 3, DAY, 'u')).toEqual([1_060_000, 580_000, 1_060_000]);
  });

  it('a morning session gets its share of the day: half the day is half the U', () => {
    const morning = { start: '09:30', end: '12:45' };
    expect(sessionVolumeShare(morning, 'u')).toBeCloseTo(0.5, 12);
    const v = volumeProfileFromTerms(1_000_002, 13, morning, 'u');
    // Whole shares adding up exactly to ADV × the share of the day (500,001).
    expect(v.reduce((a, b) => a + b, 0)).toBe(500_001);
    expect(v.every((x) => Number.isInteger(x) && x > 0)).toBe(true);
    // Busier at the open than towards midday.
    expect(v[0]).toBeGreaterThan(v[12]);
  });

  it('minutes outside the regular day have no volume', () => {
    const v = volumeProfileFromTerms(390_000, 4, { start: '09:00', end: '10:00' }, 'flat');
    expect(v).toEqual([0, 0, 15_000, 15_000]);
  });

  it('without a session clock: ADV / 390 per period', () => {
    expect(volumeProfileFromTerms(3_900, 3, undefined, 'u')).toEqual([10, 10, 10]);
  });

  it('the U share is 0 at the open, ½ at midday, 1 at the close', () => {
    expect(dayVolumeShare(0, 'u')).toBeCloseTo(0, 12);
    expect(dayVolumeShare(195, 'u')).toBeCloseTo(0.5, 12);
    expect(dayVolumeShare(390, 'u')).toBeCloseTo(1, 12);
    expect(dayVolumeShare(-5, 'u')).toBe(0);
  });
});

describe('the worked example', () => {
  it('is a valid plan whose terms read back from it', () => {
    const parsed = PlanSchema.safeParse(workedExamplePlan());
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    const plan = parsed.data;
    expect(plan.volumeProfile!.reduce((a, b) => a + b, 0)).toBe(2_000_000);
    expect(termsOfPlan(plan)).toEqual({ terms: WORKED_EXAMPLE.terms, shape: 'u' });
    // σ = 2% × $31.50 = $0.63; spread 5 bps × $31.50 = $0.01575.
    expect(plan.impact).toMatchObject({ model: 'calibrated', dailyVolume: 2_000_000 });
    if (plan.impact.model === 'calibrated') {
      expect(plan.impact.sigma).toBeCloseTo(0.63, 12);
      expect(plan.impact.spread).toBeCloseTo(0.01575, 12);
    }
  });

  it('a calibrated plan not made from terms is not read as terms', () => {
    const parsed = PlanSchema.parse({
      ...workedExamplePlan(),
      impact: { ...calibratedFromTerms(WORKED_EXAMPLE.terms), eta: 0.2 },
    });
    expect(termsOfPlan(parsed)).toBeNull();
  });
});
