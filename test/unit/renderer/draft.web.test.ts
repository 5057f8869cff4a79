/** The editor's form model: plan → form → plan is lossless, and form problems name fields. */
import { describe, expect, it } from 'vitest';
import { PlanSchema, parsePlan, type PlanInput } from '@shared/plan';
import { labelFor } from '../../../src-renderer/src/lib/fieldLabels';
import {
  calibratedSource,
  fittedLocked,
  lengthFromPeriods,
  newDraft,
  periodsFromLength,
} from '../../../src-renderer/src/lib/draft';
import { draftFromPlan } from '../../../src-renderer/src/lib/draftFromPlan';
import { draftToInput } from '../../../src-renderer/src/lib/draftToPlan';
import {
  parseCurveCsv,
  parseValuesCsv,
  profileValueProblem,
  shape,
  volumes,
} from '../../../src-renderer/src/lib/profiles';

function roundTrip(input: PlanInput) {
  const plan = PlanSchema.parse(input);
  const { input: back, issues } = draftToInput(draftFromPlan(plan));
  expect(issues).toEqual([]);
  const again = parsePlan(back);
  expect(again).toEqual({ ok: true, value: plan });
}

const base = {
  name: 'Buy FROG',
  symbol: 'FROG',
  side: 'buy',
  shares: 100_000,
  lotSize: 100,
} as const;

describe('draft round trip', () => {
  it('keeps a power-law plan with session, U profile, volume, caps and fees', () => {
    const n = 390;
    roundTrip({
      ...base,
      periods: n,
      referencePrice: 31.5,
      session: { start: '09:30', end: '16:00', timeZone: 'America/New_York' },
      impact: { model: 'power', beta: 2.345678901234e-5, exponent: 0.5, profile: shape('u', n) },
      volumeProfile: volumes('u', n, 12_345_678),
      maxParticipation: 0.07,
      maxPerPeriod: 5000,
      fixedFeePerOrder: 0.35,
      minOrderSize: 200,
      notes: 'hello',
    });
  });

  it('keeps arbitrary per-period values, caps and curves', () => {
    const n = 4;
    roundTrip({
      ...base,
      periods: n,
      maxPerPeriod: [1, 2, 3, 100_000],
      impact: { model: 'linear', beta: 1e-6, profile: [1, 2, 3, 4.5] },
      volumeProfile: [10, 20, 30, 41],
    });
    roundTrip({
      ...base,
      periods: 2,
      impact: {
        model: 'table',
        curves: [
          [
            [0, 0.01],
            [50_000, 0.02],
          ],
          [
            [0, 0.03],
            [90_000, 0.01],
          ],
        ],
      },
    });
    roundTrip({
      ...base,
      periods: 3,
      impact: {
        model: 'table',
        curves: Array(3).fill([
          [0, 0.01],
          [60_000, 0.5],
        ]),
      },
    });
    roundTrip({
      ...base,
      periods: 2,
      impact: { model: 'book', ladders: [[[0.01, 60_000]], [[0.02, 70_000]]] },
    });
  });
});

describe('calibrated model in the form', () => {
  const volumeProfile = [12_000, 0, 15_000, 9_000];
  const periods = volumeProfile.length;

  it('round-trips a fitted plan: per-period spreads, σ profile, sources, calibration', () => {
    roundTrip({
      ...base,
      periods,
      volumeProfile,
      impact: {
        model: 'calibrated',
        sigma: 0.4123456789,
        spread: [0.02, 0.01, 0.015, 0.03],
        eta: 0.15,
        volatilityProfile: [1.2, 0.9, 0.9, 1],
        dailyVolume: 40_000,
        feePerShare: 0.0005,
        sources: { sigma: 'fitted', spread: 'fitted', eta: 'fitted', beta: 'default' },
        calibration: { days: 5, dates: ['2025-04-01'], sigmaEstimator: 'bipower', r2: 0.7 },
      },
    });
  });

  it('round-trips a power plan with an intercept', () => {
    roundTrip({
      ...base,
      periods,
      impact: { model: 'power', beta: 2e-5, exponent: 0.5, intercept: 0.0123456789 },
    });
  });

  it('shows η, β, γ at their default blank, and says where each value comes from', () => {
    const plan = PlanSchema.parse({
      ...base,
      periods,
      volumeProfile,
      impact: { model: 'calibrated', sigma: 0.5, spread: 0.02, sources: { sigma: 'fitted' } },
    });
    const d = draftFromPlan(plan);
    expect([d.eta, d.calBeta, d.gamma]).toEqual(['', '', '']);
    expect(calibratedSource(d, 'sigma')).toBe('fitted');
    expect(fittedLocked(d, 'sigma')).toBe(true);
    expect(calibratedSource(d, 'eta')).toBe('default');
    // Not recorded in the file: unknown, not guessed.
    expect(calibratedSource(d, 'spread')).toBeNull();
    d.sigma = '0.55';
    d.gamma = '0.2';
    expect(calibratedSource(d, 'sigma')).toBe('typed');
    const { input } = draftToInput(d);
    expect(input.impact).toEqual({
      model: 'calibrated',
      sigma: 0.55,
      spread: 0.02,
      gamma: 0.2,
      sources: { sigma: 'typed', gamma: 'typed' },
    });
  });

  it('a new typed plan records typed values only', () => {
    const d = newDraft();
    d.model = 'calibrated';
    d.sigma = '0.5';
    d.spread = '0.04';
    expect(draftToInput(d).input.impact).toEqual({
      model: 'calibrated',
      sigma: 0.5,
      spread: 0.04,
      sources: { sigma: 'typed', spread: 'typed' },
    });
  });
});

describe('draft validation input', () => {
  it('maps empty and junk numbers so the schema reports them', () => {
    const d = newDraft();
    d.shares = '';
    d.lotSize = 'abc';
    const { input } = draftToInput(d);
    expect(input.shares).toBeUndefined();
    expect(Number.isNaN(input.lotSize)).toBe(true);
    expect(parsePlan(input).ok).toBe(false);
  });

  it('reports an unreadable curve against impact.curves', () => {
    const d = { ...newDraft(), model: 'table' as const, curveText: '0, 0.01\nlots, 0.2' };
    expect(draftToInput(d).issues).toEqual([
      {
        path: 'impact.curves',
        message: 'line 2: expected "shares, impact per share", got "lots, 0.2"',
      },
    ]);
  });

  it('accepts an intraday profile value of 0 (a period without impact, like a crossing)', () => {
    const d = newDraft();
    Object.assign(d, { name: 'Cross', symbol: 'X', shares: '1000', periods: '3' });
    Object.assign(d, { profileKind: 'custom', profileValues: [1.5, 0, 1.5] });
    const { input, issues } = draftToInput(d);
    expect(issues).toEqual([]);
    expect(input.impact).toMatchObject({ profile: [1.5, 0, 1.5] });
    const parsed = parsePlan(input);
    expect(parsed.ok).toBe(true);
    // …and a plan with a 0 in its profile comes back into the form unchanged.
    if (parsed.ok) roundTrip(parsed.value);
  });

  it('refuses a negative or non-finite profile value, naming the field and the period', () => {
    const d = { ...newDraft(), profileKind: 'custom' as const, profileValues: [1, 0, -0.5, 2] };
    const { input, issues } = draftToInput(d);
    expect(issues).toEqual([
      {
        path: 'impact.profile',
        message:
          'period 3: must not be negative (got -0.5; 0 is allowed: no impact in that period)',
      },
    ]);
    // The editor shows "<label>: <message>" for a local issue: the form's label of the field.
    expect(labelFor(issues[0].path).label).toBe('Intraday profile');
    // Said once: the refused values are not also handed to the schema.
    expect(input.impact).not.toHaveProperty('profile');
    expect(profileValueProblem([1, Number.POSITIVE_INFINITY])).toBe(
      'period 2: must be a finite number (got Infinity)',
    );
    expect(profileValueProblem([0, 0, 3])).toBeNull();
  });

  it('needs a daily volume for a preset volume profile', () => {
    const d = { ...newDraft(), volumeKind: 'u' as const };
    expect(draftToInput(d).issues.map((i) => i.path)).toEqual(['dailyVolume']);
  });

  it('keeps periods and period length in step with the session', () => {
    const d = { ...newDraft(), periodMinutes: '5' };
    expect(periodsFromLength(d)).toBe(78);
    expect(lengthFromPeriods({ ...d, periods: '780' })).toBe('0.5');
  });
});

describe('CSV values', () => {
  it('reads one value per line or the last column, skipping a header', () => {
    expect(parseValuesCsv('volume\n1,000\n2000\n')).toEqual({ ok: true, values: [1000, 2000] });
    expect(parseValuesCsv('period,volume\n1,"1,000"\n2,2000\n')).toEqual({
      ok: true,
      values: [1000, 2000],
    });
    expect(parseValuesCsv('x\n1\nfoo\n')).toEqual({
      ok: false,
      error: 'line 3: "foo" is not a number',
    });
    expect(parseValuesCsv('1\n-2\n')).toEqual({
      ok: false,
      error: 'line 2: -2 is negative (0 is allowed)',
    });
    // 0 is a value like any other (a period without impact, or without volume).
    expect(parseValuesCsv('profile\n1.2\n0\n0.8\n')).toEqual({ ok: true, values: [1.2, 0, 0.8] });
  });

  it('reads an impact curve', () => {
    expect(parseCurveCsv('shares,impact\n0,0.01\n1000,0.02')).toEqual({
      ok: true,
      points: [
        [0, 0.01],
        [1000, 0.02],
      ],
    });
    expect(parseCurveCsv('')).toEqual({
      ok: false,
      error: 'needs at least one "shares, impact" line',
    });
  });
});

describe('share fields read counts as a trader types them', () => {
  it('"200,000", "200k", "2m" and "1.5m" in Shares, the cap, the minimum and the lot', () => {
    for (const [text, value] of [
      ['200,000', 200_000],
      ['200k', 200_000],
      ['2m', 2_000_000],
      ['1.5m', 1_500_000],
    ] as const) {
      const d = { ...newDraft(), shares: text, capMode: 'shares' as const, capShares: '20k' };
      const { input, issues } = draftToInput({ ...d, minOrderSize: '1k', lotSize: '0.1k' });
      expect(issues, text).toEqual([]);
      expect(input, text).toMatchObject({
        shares: value,
        maxPerPeriod: 20_000,
        minOrderSize: 1000,
        lotSize: 100,
      });
    }
  });

  it('"2mm" and "1.0005k" are refused under Shares with what to type', () => {
    const twice = draftToInput({ ...newDraft(), shares: '2mm' }).issues;
    expect(twice).toEqual([
      {
        path: 'shares',
        message:
          '"2mm" is not a number of shares: type a number, optionally followed by k (thousand) or m (million), such as 200,000, 200k or 1.5m',
      },
    ]);
    expect(draftToInput({ ...newDraft(), shares: '1.0005k' }).issues).toEqual([
      { path: 'shares', message: '"1.0005k" is 1000.5 shares: a share count must be whole' },
    ]);
    // A price is no share count: "2k" there is not a number.
    const price = draftToInput({ ...newDraft(), shares: '1000', referencePrice: '2k' });
    expect(price.input.referencePrice).toBeNaN();
  });
});

describe('preset volumes are exact', () => {
  it('a U-shaped day of 4,000,000 shares sums to 4,000,000, not 4,000,004', () => {
    for (const [n, daily] of [
      [390, 4_000_000],
      [390, 232_833],
      [13, 1_000_001],
      [7, 10],
    ] as const) {
      for (const kind of ['u', 'flat'] as const) {
        const v = volumes(kind, n, daily);
        expect(
          v.reduce((a, b) => a + b, 0),
          `${kind} ${n} ${daily}`,
        ).toBe(daily);
        expect(v.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      }
    }
    // The form's preset reads back as the same preset and day volume.
    const d = { ...newDraft(), periods: '390', volumeKind: 'u' as const, dailyVolume: '4m' };
    const input = draftToInput(d).input as { volumeProfile: number[] };
    expect(input.volumeProfile.reduce((a, b) => a + b, 0)).toBe(4_000_000);
  });
});
