/** The form's market figures in a trader's terms: they make the calibrated model and the volume. */
import { describe, expect, it } from 'vitest';
import { PlanSchema, parsePlan } from '@shared/plan';
import { workedExamplePlan } from '@shared/traderTerms';
import { newDraft, notCalibratedReason, type Draft } from '../../../src-renderer/src/lib/draft';
import { draftFromPlan } from '../../../src-renderer/src/lib/draftFromPlan';
import { draftToInput } from '../../../src-renderer/src/lib/draftToPlan';

function typed(over: Partial<Draft>): Draft {
  return {
    ...newDraft(),
    name: 'Buy FROG',
    symbol: 'FROG',
    shares: '100000',
    referencePrice: '50',
    ...over,
  };
}

describe('market figures in the form', () => {
  it('a new form starts on the market figures and, with none typed, says its cost is not calibrated', () => {
    const d = typed({});
    expect(d.model).toBe('market');
    const { input, issues } = draftToInput(d);
    expect(issues).toEqual([]);
    // The placeholder: the advanced power law as it stands (β 0.0001, square root).
    expect(input.impact).toMatchObject({ model: 'power', beta: 0.0001, exponent: 0.5 });
    expect(notCalibratedReason(d)).toMatch(
      /^Cost not calibrated: without the stock’s daily volume/,
    );
  });

  it('ADV, volatility %, spread bps and commission ¢ make the calibrated model in $', () => {
    const d = typed({
      marketAdv: '2,000,000',
      marketVolatilityPct: '2',
      marketSpreadBps: '5',
      marketCommissionCents: '0.3',
    });
    const { input, issues } = draftToInput(d);
    expect(issues).toEqual([]);
    const plan = PlanSchema.parse(input);
    expect(plan.impact.model).toBe('calibrated');
    if (plan.impact.model !== 'calibrated') return;
    // 2% × $50 = $1 a day; 5 bps × $50 = $0.025; 0.3¢ = $0.003.
    expect(plan.impact.sigma).toBeCloseTo(1, 12);
    expect(plan.impact.spread).toBeCloseTo(0.025, 12);
    expect(plan.impact.feePerShare).toBeCloseTo(0.003, 12);
    // 09:30–16:00 is the whole day: 390 periods adding up to the ADV, busier at the open.
    expect(plan.volumeProfile).toHaveLength(390);
    expect(plan.volumeProfile!.reduce((a, b) => a + b, 0)).toBe(2_000_000);
    expect(plan.volumeProfile![0]).toBeGreaterThan(plan.volumeProfile![195]);
    expect(notCalibratedReason(d)).toBeNull();
  });

  it('the ADV reads as a trader types it: "2m" and "2,000,000" give the same plan', () => {
    const figures = { marketVolatilityPct: '2', marketSpreadBps: '5' };
    const short = draftToInput(typed({ ...figures, marketAdv: '2m' }));
    const long = draftToInput(typed({ ...figures, marketAdv: '2,000,000' }));
    expect(short.issues).toEqual([]);
    expect(short.input).toEqual(long.input);
  });

  it('a missing figure or reference price is a problem under its field', () => {
    const { issues } = draftToInput(
      typed({ referencePrice: '', marketAdv: '2000000', marketVolatilityPct: '2' }),
    );
    expect(issues).toEqual([
      { path: 'market.spread', message: 'is required to calibrate the cost' },
      {
        path: 'referencePrice',
        message: 'is required with the market figures: it turns % and bps into $',
      },
    ]);
    // Only the figures' own problems are listed, not the calibrated model's fields.
    const partial = draftToInput(typed({ marketAdv: '2000000' }));
    expect(partial.issues.map((i) => i.path)).toEqual(['market.dailyVolatility', 'market.spread']);
    expect(PlanSchema.safeParse(partial.input).success).toBe(true);
    const bad = draftToInput(
      typed({ marketAdv: '0', marketVolatilityPct: '2', marketSpreadBps: '5' }),
    );
    expect(bad.issues).toEqual([
      { path: 'market.adv', message: 'must be a number of shares greater than 0' },
    ]);
  });

  it('a plan made from market figures opens on them and saves back unchanged', () => {
    const plan = PlanSchema.parse(workedExamplePlan());
    const d = draftFromPlan(plan);
    expect(d.model).toBe('market');
    expect([
      d.marketAdv,
      d.marketVolatilityPct,
      d.marketSpreadBps,
      d.marketCommissionCents,
    ]).toEqual(['2,000,000', '2', '5', '0.3']);
    const { input, issues } = draftToInput(d);
    expect(issues).toEqual([]);
    expect(parsePlan(input)).toEqual({ ok: true, value: plan });
  });

  it('typed coefficients are not calibrated; the calibrated model is', () => {
    expect(notCalibratedReason(typed({ model: 'power' }))).toMatch(/^Cost not calibrated/);
    expect(notCalibratedReason(typed({ model: 'calibrated' }))).toBeNull();
  });
});
