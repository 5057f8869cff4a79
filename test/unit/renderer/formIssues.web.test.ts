/** The form's problems: one per problem, under the label the user sees, in trader units. */
import { afterEach, describe, expect, it } from 'vitest';
import { parsePlan, type PlanInput } from '@shared/plan';
import { newDraft, type Draft } from '../../../src-renderer/src/lib/draft';
import { draftFromPlan } from '../../../src-renderer/src/lib/draftFromPlan';
import { draftToInput } from '../../../src-renderer/src/lib/draftToPlan';
import { checkPlan, collectIssues, groupNumbers } from '../../../src-renderer/src/lib/planCheck';
import { setNumberLocale } from '../../../src-renderer/src/lib/profiles';

afterEach(() => setNumberLocale(null));

function filled(over: Partial<Draft> = {}): Draft {
  return { ...newDraft(), name: 'Buy FROG', symbol: 'FROG', shares: '100000', ...over };
}

function issuesOf(d: Draft) {
  const mapped = draftToInput(d);
  return collectIssues(d, mapped, checkPlan(mapped.input));
}
const texts = (d: Draft) => issuesOf(d).map((i) => i.text);

describe('form issues', () => {
  it('a filled form has none', () => {
    expect(texts(filled())).toEqual([]);
  });

  it('the calibrated model without a volume profile names the volume profile, in form words', () => {
    const d = filled({ model: 'calibrated', sigma: '0.5', spread: '0.02', beta: '' });
    expect(texts(d)).toEqual([
      'Volume profile: is needed by the calibrated impact model (V_t, the expected volume per period)',
    ]);
    expect(texts({ ...d, volumeKind: 'flat', dailyVolume: '1000000', sigma: '' })).toEqual([
      'σ daily volatility: is required',
    ]);
  });

  it('the calibrated model: a cap of 0 in the periods without volume counts against the order', () => {
    const d = filled({
      model: 'calibrated',
      sigma: '0.5',
      spread: '0.02',
      periods: '2',
      useSession: false,
      volumeKind: 'custom',
      volumeValues: [0, 100_000],
      capMode: 'shares',
      capShares: '50000',
    });
    expect(texts(d)).toEqual([
      'Cap per period: together with Volume profile, the caps allow at most 50,000 of 100,000 shares over 2 periods',
    ]);
  });

  it('reference price "31,50" is refused as ambiguous in en-US, named by its label, once', () => {
    setNumberLocale('en-US');
    expect(texts(filled({ referencePrice: '31,50' }))).toEqual([
      'Reference price: "31,50" is ambiguous: use 31.50 (a point marks decimals; a comma only groups thousands, as in 1,000)',
    ]);
  });

  it('reference price "31,50" is 31.5 in de-DE', () => {
    setNumberLocale('de-DE');
    const d = filled({ referencePrice: '31,50' });
    expect(texts(d)).toEqual([]);
    expect(draftToInput(d).input.referencePrice).toBe(31.5);
  });

  it('session end equal to the start says so, not "fill in"', () => {
    expect(texts(filled({ start: '09:30', end: '09:30' }))).toEqual([
      'Session end: must be after the session start (09:30)',
    ]);
  });

  it('period length 0 or -1 is a problem in the same list', () => {
    for (const len of ['0', '-1', 'x'])
      expect(texts(filled({ periodMinutes: len }))).toEqual([
        'Period length: must be a number of minutes above 0 (Periods is left as it is)',
      ]);
    expect(texts(filled({ periodMinutes: '0', useSession: false }))).toEqual([]);
  });

  it('says lot size, not lotSize, with thousands separators', () => {
    expect(texts(filled({ shares: '100050' }))).toEqual([
      'Shares: must be a multiple of lot size 100 (got 100,050)',
    ]);
  });

  it('one message per problem: an unreadable curve is not also "must not be empty"', () => {
    expect(texts(filled({ model: 'table', curveText: '0, 0.01\nmany, 0.02' }))).toEqual([
      'Impact curve: line 2: expected "shares, impact per share", got "many, 0.02"',
    ]);
  });

  it('per-period list lengths have thousands separators', () => {
    const d = filled({ periods: '100000', useSession: false, profileKind: 'custom' });
    d.profileValues = [1, 1, 1];
    expect(texts(d)).toEqual([
      'Intraday profile: must have one profile value per period: expected 100,000, got 3',
    ]);
  });
});

describe('cap feasibility while typing', () => {
  it('a cap below one lot is said in shares a minute', () => {
    const issues = issuesOf(filled({ capMode: 'shares', capShares: '38' }));
    expect(issues.map((i) => [i.field, i.text, i.always])).toEqual([
      ['maxPerPeriod', 'Cap per period: 38 shares a minute is less than one lot (100)', true],
    ]);
  });

  it('caps that cannot fill the order say how far they get', () => {
    expect(texts(filled({ capMode: 'shares', capShares: '100' }))).toEqual([
      'Cap per period: caps allow at most 39,000 of 100,000 shares over 390 periods (a cap of at least 300 shares a minute fills the order)',
    ]);
  });

  it('a participation cap names the expected volume', () => {
    const d = filled({
      capMode: 'participation',
      participationPct: '10',
      volumeKind: 'flat',
      dailyVolume: '390000',
    });
    expect(texts(d)).toEqual([
      'Max participation: 10% of the expected volume allows at most 39,000 of 100,000 shares over 390 periods',
    ]);
  });

  it('a table curve that ends below one lot says how far it reaches', () => {
    expect(
      texts(filled({ model: 'table', curveText: '0, 0.01\n50, 0.02', shares: '1000' })),
    ).toEqual([
      'Impact curve: the curves end at 0 of 1,000 shares over 390 periods (in whole lots of 100)',
    ]);
  });

  it('a minimum order above every cap is filed under Minimum order', () => {
    const d = filled({ capMode: 'shares', capShares: '300', minOrderSize: '500' });
    expect(issuesOf(d).map((i) => i.field)).toEqual(['minOrderSize']);
  });
});

describe('groupNumbers', () => {
  it('groups whole numbers but not decimals, times or quoted text', () => {
    expect(groupNumbers('expected 100000, got 3; 0.00012345 at 09:30 "31,5000" 1e-7 12345.5')).toBe(
      'expected 100,000, got 3; 0.00012345 at 09:30 "31,5000" 1e-7 12345.5',
    );
  });
});

describe('a plan fitted from the order book', () => {
  const fitted: PlanInput = {
    name: 'FROG 2025-03-07 buy (fitted book)',
    symbol: 'FROG',
    side: 'buy',
    shares: 10_000,
    lotSize: 100,
    periods: 3,
    referencePrice: 31.505,
    session: { start: '09:30', end: '09:33', timeZone: 'America/New_York' },
    volumeProfile: [1200, 800, 1500],
    maxPerPeriod: [5000, 4000, 6000],
    impact: {
      model: 'power',
      beta: 0.01129908832458,
      exponent: 0.5123456789,
      profile: [1.2345678901, 0.8, 0.9654321099],
    },
    risk: { volatility: 0.0123456789012, volatilityProfile: [1, 1.1, 0.9], aversion: 0 },
    notes:
      'From frog.csv, 2025-03-07, ask side, 1-minute periods, time-averaged books. Fitted g = β·x^α with α = 0.512.',
  };
  const plan = (() => {
    const r = parsePlan(fitted);
    if (!r.ok) throw new Error(r.errors.join('; '));
    return r.value;
  })();

  it('shows beta with six significant digits', () => {
    const d = draftFromPlan(plan);
    expect(d.beta).toBe('0.0112991');
    expect(d.exponent).toBe('0.512346');
    expect(d.volatility).toBe('0.0123457');
  });

  it('sends the exact plan unless a field is edited (opening it changes nothing)', () => {
    const d = draftFromPlan(plan);
    const mapped = draftToInput(d);
    const parsed = checkPlan(mapped.input);
    expect(parsed.success).toBe(true);
    expect(JSON.stringify(parsed.data)).toBe(JSON.stringify(plan));
    d.beta = '0.0113';
    expect((draftToInput(d).input.impact as { beta: number }).beta).toBe(0.0113);
  });

  it('names the order book as the source of its profiles', () => {
    const d = draftFromPlan(plan);
    expect(d.profileSource).toBe('From the order book: FROG 2025-03-07');
    expect(d.volumeSource).toBe('From the order book: FROG 2025-03-07');
    expect(d.volatilitySource).toBe('From the order book: FROG 2025-03-07');
    expect(draftFromPlan({ ...plan, notes: 'mine' }).profileSource).toBeNull();
  });
});

describe('capProblem', () => {
  it('agrees with the solver check as Shares changes on the same book', async () => {
    const { buildImpactGrid, infeasibilityMessage } = await import('@shared/impact');
    const { capProblem } = await import('../../../src-renderer/src/lib/planCheck');
    const ladders = Array.from({ length: 50 }, (_, i) => [
      [0.01, 150 + i],
      [0.02, 100],
    ]);
    for (const shares of [1000, 12_000, 12_500, 13_000, 20_000, 12_000]) {
      for (const minOrderSize of [undefined, 300]) {
        const r = parsePlan({
          name: 'Book',
          symbol: 'FROG',
          side: 'buy',
          shares,
          lotSize: 100,
          periods: 50,
          ...(minOrderSize ? { minOrderSize } : {}),
          impact: { model: 'book', ladders },
        });
        if (!r.ok) throw new Error(r.errors.join('; '));
        const shared = infeasibilityMessage(r.value, buildImpactGrid(r.value));
        const mine = capProblem(r.value);
        expect(mine === null, `${shares} ${minOrderSize}`).toBe(shared === null);
        if (shared && mine) {
          expect(shared.startsWith(`${mine.field}: `)).toBe(true);
          expect(mine.message).toContain(/at (?:most )?([\d,]+) shares/.exec(shared)![1]);
        }
      }
    }
  });
});
