/** The Risk section of the form: plan ↔ form, the empty section, conversions, λ formatting. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MINUTES_PER_YEAR,
  PlanSchema,
  parsePlan,
  periodVolatilities,
  type PlanInput,
} from '@shared/plan';
import { annualToPeriod, newDraft, periodToAnnual } from '../../../src-renderer/src/lib/draft';
import { draftFromPlan } from '../../../src-renderer/src/lib/draftFromPlan';
import { draftToInput } from '../../../src-renderer/src/lib/draftToPlan';
import { fmtCoef, fmtMoneyShort } from '../../../src-renderer/src/lib/format';
import { toNumber } from '../../../src-renderer/src/lib/profiles';
import { withFieldLabel } from '../../../src-renderer/src/lib/fieldLabels';

const base = {
  name: 'Buy FROG',
  symbol: 'FROG',
  side: 'buy',
  shares: 100_000,
  lotSize: 100,
  periods: 390,
  referencePrice: 31.5,
  session: { start: '09:30', end: '16:00', timeZone: 'America/New_York' },
  impact: { model: 'power', beta: 2e-5, exponent: 0.5 },
} as const;

function roundTrip(input: PlanInput) {
  const plan = PlanSchema.parse(input);
  const { input: back, issues } = draftToInput(draftFromPlan(plan));
  expect(issues).toEqual([]);
  expect(parsePlan(back)).toEqual({ ok: true, value: plan });
}

describe('risk in the draft', () => {
  it('round-trips every form of the risk object and the permanent impact', () => {
    roundTrip({ ...base, risk: { annualVolatility: 0.3, aversion: 2.76024e-8 } });
    roundTrip({ ...base, risk: { annualVolatility: 0.07, minutesPerYear: 60_000, aversion: 0 } });
    roundTrip({ ...base, risk: { volatility: 0.0301446, aversion: 1.23456789012e-7 } });
    roundTrip({
      ...base,
      periods: 3,
      session: undefined,
      risk: { volatility: 0.05, volatilityProfile: [1, 2, 0.5], aversion: 1234.5 },
      permanentImpact: 1e-6,
    });
  });

  it('an empty Risk section is a plan without risk (today’s plans unchanged)', () => {
    const d = draftFromPlan(PlanSchema.parse(base));
    const { input } = draftToInput(d);
    expect(input).not.toHaveProperty('risk');
    expect(input).not.toHaveProperty('permanentImpact');
    // The default minutes per year is not written even though the field shows it.
    d.annualVolatilityPct = '30';
    expect(draftToInput(d).input.risk).toEqual({ annualVolatility: 0.3 });
  });

  it('λ without a volatility is a problem of the volatility field in use', () => {
    const d = newDraft();
    d.aversion = '1e-6';
    expect(draftToInput(d).issues).toContainEqual({
      path: 'risk.annualVolatility',
      message: 'is required to weigh timing risk',
    });
    d.volatilityMode = 'period';
    expect(draftToInput(d).issues).toContainEqual({
      path: 'risk.volatility',
      message: 'is required to weigh timing risk',
    });
  });

  it('converts between the two forms as the plan does', () => {
    const plan = PlanSchema.parse({ ...base, risk: { annualVolatility: 0.3 } });
    const sigma = periodVolatilities(plan)[0];
    expect(annualToPeriod(30, 31.5, 1, DEFAULT_MINUTES_PER_YEAR)).toBeCloseTo(sigma, 12);
    expect(periodToAnnual(sigma, 31.5, 1, DEFAULT_MINUTES_PER_YEAR)).toBeCloseTo(30, 10);
  });

  it('names the risk fields by their labels', () => {
    expect(withFieldLabel('risk.volatility: the efficient frontier needs a timing risk')).toBe(
      'Volatility ($ per period): the efficient frontier needs a timing risk',
    );
    expect(withFieldLabel('permanentImpact: must not be negative')).toBe(
      'Permanent impact γ: must not be negative',
    );
  });
});

describe('λ formatting', () => {
  it('uses separators in the everyday range and an exponent outside it; reads back', () => {
    expect(fmtCoef(0)).toBe('0');
    expect(fmtCoef(1234.5678)).toBe('1,234.57');
    expect(fmtCoef(0.5)).toBe('0.5');
    expect(fmtCoef(2.7602351988513e-8)).toBe('2.76024e-8');
    expect(fmtCoef(3e12)).toBe('3e12');
    for (const v of [2.76024e-8, 1234.57, 0.5, 3e12, 1e-3]) expect(toNumber(fmtCoef(v))).toBe(v);
  });

  it('short money for dense tables', () => {
    expect(fmtMoneyShort(43397.41)).toBe('$43,397');
    expect(fmtMoneyShort(38.634)).toBe('$38.63');
  });
});
