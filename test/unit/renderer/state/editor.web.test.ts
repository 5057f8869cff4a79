/** EditorState: the form ↔ plan mapping, field problems and when they show, the change keys. */
import { describe, expect, it, vi } from 'vitest';
import { PlanSchema } from '@shared/plan';
import { workedExamplePlan } from '@shared/traderTerms';
import { EditorState, frontierKeyOf } from '../../../../src-renderer/src/state/editor.svelte';
import { checkPlan, collectIssues } from '../../../../src-renderer/src/lib/planCheck';
import { plan, riskPlan } from './fixtures.web';

/** The editor with a plan loaded as stored (id 'p1', revision 1). */
function loaded(p = plan()): EditorState {
  const e = new EditorState();
  e.load(p, 'p1', 1);
  return e;
}

describe('EditorState: draft ↔ plan', () => {
  it('a loaded plan maps back to the same plan, unchanged and with every problem shown', () => {
    const p = riskPlan({
      referencePrice: 31.5,
      session: { start: '09:30', end: '09:34', timeZone: 'America/New_York' },
      maxPerPeriod: 500,
      notes: 'a note',
    });
    const e = loaded(p);
    expect(e.issues).toEqual([]);
    expect(e.plan).toEqual(p);
    expect(e.dirty).toBe(false);
    expect(e.revealAll).toBe(true);
    expect(e.planId).toBe('p1');
    expect(e.revision).toBe(1);
  });

  it('the worked example maps back to itself in the market figures', () => {
    const p = PlanSchema.parse(workedExamplePlan());
    const e = new EditorState();
    e.start(p);
    expect(e.draft.model).toBe('market');
    expect(e.draft.marketAdv).toBe('2,000,000');
    expect(e.plan).toEqual(p);
  });

  it('an edit reaches the plan; a field that breaks it leaves no plan', () => {
    const e = loaded();
    e.draft.shares = '2000';
    expect(e.plan?.shares).toBe(2000);
    e.draft.shares = '2050';
    expect(e.plan).toBeNull();
    e.draft.shares = '2k';
    expect(e.plan?.shares).toBe(2000);
  });

  it('load with no id is a new plan: changed until saved', () => {
    const e = new EditorState();
    e.load(plan(), null);
    expect(e.planId).toBeNull();
    expect(e.dirty).toBe(true);
    e.markSaved();
    expect(e.dirty).toBe(false);
  });

  it('start shows a plan as a starting point: not stored, not changed, problems not shouted', () => {
    const e = new EditorState();
    e.start(plan());
    expect(e.planId).toBeNull();
    expect(e.dirty).toBe(false);
    expect(e.revealAll).toBe(false);
  });

  it('dirty follows the content: an edit makes it, undoing the edit clears it', () => {
    const e = loaded();
    e.draft.name = 'Buy more FROG';
    expect(e.dirty).toBe(true);
    e.draft.name = 'Buy FROG';
    expect(e.dirty).toBe(false);
    e.draft.periods = '5';
    expect(e.dirty).toBe(true);
    e.markSaved();
    expect(e.dirty).toBe(false);
  });

  it('reset empties the form and forgets the stored plan', () => {
    const e = loaded();
    e.draft.shares = '5000';
    e.touch('shares');
    e.reset();
    expect(e.draft.name).toBe('');
    expect(e.planId).toBeNull();
    expect(e.revision).toBeNull();
    expect(e.touched).toEqual({});
    expect(e.revealAll).toBe(false);
    expect(e.dirty).toBe(false);
  });
});

describe('EditorState: field problems', () => {
  it('a fresh form has problems but shows none until a field is touched', () => {
    const e = new EditorState();
    expect(e.plan).toBeNull();
    expect(e.issues.map((i) => i.field)).toEqual(expect.arrayContaining(['name', 'shares']));
    expect(e.shownIssues).toEqual([]);
    expect(e.issueFor('shares')).toBeUndefined();
    e.touch('shares');
    expect(e.issueFor('shares')).toBe('is required');
    expect(e.shownIssues.map((i) => i.field)).toEqual(['shares']);
    expect(e.issueFor('name')).toBeUndefined();
  });

  it('revealAll shows every problem; the first is what the solve bar names', () => {
    const e = new EditorState();
    e.revealAll = true;
    expect(e.shownIssues).toEqual(e.issues);
    expect(e.issueFor('name')).toBe('must not be empty');
    expect(e.firstIssue).toBe(e.issues[0]);
  });

  it('a problem names its field in the form’s words', () => {
    const e = loaded();
    e.draft.shares = '1050';
    expect(e.issueFor('shares')).toBe('must be a multiple of lot size 100 (got 1,050)');
    expect(e.firstIssue?.text).toBe('Shares: must be a multiple of lot size 100 (got 1,050)');
    e.draft.lotSize = 'abc';
    expect(e.issueFor('lotSize')).toMatch(/number/);
  });

  it('touching a section shows the problems of its fields', () => {
    const e = new EditorState();
    e.start(plan());
    e.draft.model = 'power';
    e.draft.beta = '-1';
    expect(e.issues.some((i) => i.field === 'impact.beta')).toBe(true);
    expect(e.shownIssues).toEqual([]);
    e.touch('impact');
    expect(e.shownIssues.map((i) => i.field)).toEqual(['impact.beta']);
  });

  it('an ambiguous number is its own problem, not the schema’s', () => {
    const e = loaded();
    e.draft.referencePrice = '31,50';
    e.touch('referencePrice');
    expect(e.plan).toBeNull();
    expect(e.issueFor('referencePrice')).toMatch(/31,50/);
  });
});

describe('EditorState: keys', () => {
  it('the solve key ignores the labels (name, symbol, notes) but not the order', () => {
    const e = loaded();
    const key = e.solveKey;
    e.draft.name = 'Renamed';
    e.draft.symbol = 'TOAD';
    e.draft.notes = 'hello';
    expect(e.solveKey).toBe(key);
    expect(e.dirty).toBe(true);
    e.draft.shares = '2000';
    expect(e.solveKey).not.toBe(key);
  });

  it('the frontier key ignores λ but not σ', () => {
    const e = loaded(riskPlan());
    const frontier = e.frontierKey;
    const solve = e.solveKey;
    e.setAversion(3e-6);
    expect(e.solveKey).not.toBe(solve);
    expect(e.frontierKey).toBe(frontier);
    e.draft.volatility = '0.07';
    expect(e.frontierKey).not.toBe(frontier);
  });

  it('frontierKeyOf of no key is no key', () => {
    expect(frontierKeyOf('')).toBe('');
    expect(frontierKeyOf('{"shares":1,"risk":{"aversion":2,"volatility":3}}')).toBe(
      '{"shares":1,"risk":{"volatility":3}}',
    );
  });
});

describe('EditorState: linked fields', () => {
  const session = { start: '09:30', end: '10:30', timeZone: 'America/New_York' };

  it('periods and period length follow each other within the session', () => {
    const e = loaded(plan({ periods: 60, session }));
    expect(e.draft.periodMinutes).toBe('1');
    e.setPeriods('12');
    expect(e.draft.periodMinutes).toBe('5');
    e.setPeriodMinutes('15');
    expect(e.draft.periods).toBe('4');
    e.setClock('end', '11:30');
    expect(e.draft.periods).toBe('8');
    expect(e.plan?.periods).toBe(8);
  });

  it('without a session, periods stand alone', () => {
    const e = loaded();
    e.draft.periodMinutes = '7';
    e.setPeriods('10');
    expect(e.draft.periods).toBe('10');
    expect(e.draft.periodMinutes).toBe('7');
  });

  it('switching the volatility form converts σ so the plan keeps the same σ', () => {
    const p = riskPlan({ referencePrice: 50, periods: 60, session });
    const e = loaded(p);
    expect(e.draft.volatilityMode).toBe('period');
    e.setVolatilityMode('annual');
    expect(e.draft.volatilityMode).toBe('annual');
    const pct = Number(e.draft.annualVolatilityPct);
    // 0.05 $ a minute at $50: 0.1% a minute, √98,280 minutes a year.
    expect(pct).toBeCloseTo(0.1 * Math.sqrt(98_280), 2);
    e.setVolatilityMode('period');
    expect(e.draft.volatility).toBe('0.05');
    expect(e.plan?.risk?.volatility).toBe(0.05);
  });

  it('without a reference price the volatility form switches but nothing is converted', () => {
    const e = loaded(riskPlan());
    e.setVolatilityMode('annual');
    expect(e.draft.volatilityMode).toBe('annual');
    expect(e.draft.annualVolatilityPct).toBe('');
  });

  it('leaving the market figures for the calibrated model keeps the plan', () => {
    const p = PlanSchema.parse(workedExamplePlan());
    const e = new EditorState();
    e.start(p);
    const before = e.plan;
    e.setModel('calibrated');
    expect(e.draft.model).toBe('calibrated');
    expect(e.draft.volumeKind).toBe('custom');
    expect(e.plan?.impact).toEqual(before?.impact);
    expect(e.plan?.volumeProfile).toEqual(before?.volumeProfile);
  });

  it('setAversion rounds λ to what the field shows and marks it touched', () => {
    const e = loaded(riskPlan());
    e.setAversion(1.234567891e-6);
    expect(e.draft.aversion).toBe('1.23457e-6');
    expect(e.plan?.risk?.aversion).toBe(1.23457e-6);
    expect(e.touched['risk.aversion']).toBe(true);
  });
});

describe('EditorState: a long plan just opened', () => {
  it('checks its caps after the first frame: the problem is listed then, and the same as at once', async () => {
    vi.useFakeTimers();
    try {
      // 3,000 periods capped at 100 shares each cannot fill 400,000 shares.
      const long = plan({ periods: 3000, shares: 400_000, maxPerPeriod: 100 });
      const e = loaded(long);
      expect(e.issues.map((i) => i.field)).not.toContain('maxPerPeriod');
      expect(e.plan).toEqual(long);
      await vi.runAllTimersAsync();
      expect(e.issues.filter((i) => i.field === 'maxPerPeriod')).toHaveLength(1);
      expect(e.issues[0].message).toMatch(/^caps allow at most 300,000 of 400,000 shares/);
      // The very list the form's checks give with the cap check run at once.
      expect(e.issues).toEqual(collectIssues(e.draft, e.mapped, checkPlan(e.mapped.input)));
    } finally {
      vi.useRealTimers();
    }
  });

  it('a plan opened over it before the check ran is checked for itself', async () => {
    vi.useFakeTimers();
    try {
      const e = loaded(plan({ periods: 3000, shares: 400_000, maxPerPeriod: 100 }));
      e.load(plan({ periods: 3000, shares: 300_000, maxPerPeriod: 100 }), 'p2', 1);
      await vi.runAllTimersAsync();
      expect(e.issues).toEqual([]);
      e.reset();
      await vi.runAllTimersAsync();
      expect(e.plan).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
