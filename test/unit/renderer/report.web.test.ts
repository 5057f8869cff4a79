/** The printed report's paper size and its schedule cut to one page; the compare view's
 *  input lines and chart series. */
import { describe, expect, it } from 'vitest';
import type { ScheduleRow } from '../../../src-shared/result';
import type { SolveResultColumns } from '../../../src-shared/resultColumns';
import { testPlan } from '../../../src-shared/testing/plans';
import { pageSizeForLocale, reportSchedule } from '../../../src-renderer/src/lib/report';
import { diffPlans, summarizeArray } from '../../../src-renderer/src/lib/planFacts';
import { compareAxis, cumulativePoints } from '../../../src-renderer/src/lib/compareSeries';

function rows(n: number, clock = true): ScheduleRow[] {
  return Array.from({ length: n }, (_, i) => ({
    period: i + 1,
    start: clock
      ? `${String(9 + Math.floor((30 + i) / 60)).padStart(2, '0')}:${String((30 + i) % 60).padStart(2, '0')}`
      : null,
    end: clock
      ? `${String(9 + Math.floor((31 + i) / 60)).padStart(2, '0')}:${String((31 + i) % 60).padStart(2, '0')}`
      : null,
    shares: 100 * (i % 3),
    impactPerShare: 0.01,
    cost: i,
    costBps: null,
    expectedVolume: 1000,
    participation: null,
  }));
}

describe('pageSizeForLocale', () => {
  it('is Letter in the US and Canada, A4 elsewhere and when unknown', () => {
    expect(pageSizeForLocale('en-US')).toBe('Letter');
    expect(pageSizeForLocale('fr-CA')).toBe('Letter');
    expect(pageSizeForLocale('en')).toBe('Letter'); // English maximises to the US
    expect(pageSizeForLocale('en-GB')).toBe('A4');
    expect(pageSizeForLocale('de-DE')).toBe('A4');
    expect(pageSizeForLocale(undefined)).toBe('A4');
    expect(pageSizeForLocale('not a locale!')).toBe('A4');
  });
});

describe('reportSchedule', () => {
  it('keeps a schedule that fits its page as it is', () => {
    const t = reportSchedule(rows(48));
    expect(t.step).toBe(1);
    expect(t.rows).toHaveLength(48);
    expect(t.rows[0]).toMatchObject({ periods: '1', time: '09:30', shares: 0, cumulative: 0 });
    expect(t.rows[1]).toMatchObject({ periods: '2', shares: 100, participation: 0.1 });
  });

  it('sums a long schedule into rows of a round number of periods, totals unchanged', () => {
    const schedule = rows(390);
    const t = reportSchedule(schedule);
    expect(t.step).toBe(10);
    expect(t.rows).toHaveLength(39);
    expect(t.rows[0]).toMatchObject({ periods: '1–10', time: '09:30–09:40', volume: 10_000 });
    expect(t.rows[38]).toMatchObject({ periods: '381–390', time: '15:50–16:00' });
    const shares = schedule.reduce((a, r) => a + r.shares, 0);
    expect(t.rows.reduce((a, r) => a + r.shares, 0)).toBe(shares);
    expect(t.rows.at(-1)).toMatchObject({ cumulative: shares, pct: 100 });
    expect(t.rows.reduce((a, r) => a + r.cost, 0)).toBe(schedule.reduce((a, r) => a + r.cost, 0));
  });

  it('never prints more rows than fit, however many periods (one-second periods)', () => {
    const t = reportSchedule(rows(23_400, false));
    expect(t.rows.length).toBeLessThanOrEqual(48);
    expect(t.step).toBe(600);
    expect(t.rows[0].time).toBe('');
    expect(reportSchedule(rows(200_000, false)).rows.length).toBeLessThanOrEqual(48);
  });
});

describe('diffPlans', () => {
  const base = testPlan({ impact: { model: 'power', beta: 0.01, exponent: 0.5 } });

  it('marks what differs, says "differs" for arrays, leaves out what neither sets', () => {
    const other = testPlan({
      shares: 2000,
      impact: { model: 'power', beta: 0.01, exponent: 0.5, profile: [1, 2, 1, 0.5] },
    });
    const d = diffPlans(base, other);
    const byKey = Object.fromEntries(d.map((r) => [r.key, r]));
    expect(byKey.shares).toMatchObject({ label: 'Shares', a: '1,000', b: '2,000', differs: true });
    expect(byKey.symbol.differs).toBe(false);
    expect(byKey['impact.profile']).toMatchObject({
      label: 'Intraday profile',
      a: '—',
      b: '4 values, 0.5–2, total 4.5',
      differs: true,
      array: true,
    });
    expect(byKey.volumeProfile).toBeUndefined();
  });

  it('shows a changed model with the other model’s coefficients against "—"', () => {
    const linear = testPlan({ impact: { model: 'linear', beta: 0.01 } });
    const byKey = Object.fromEntries(diffPlans(base, linear).map((r) => [r.key, r]));
    expect(byKey['impact.model']).toMatchObject({ a: 'power', b: 'linear', differs: true });
    expect(byKey['impact.exponent']).toMatchObject({ a: '0.5', b: '—', differs: true });
    expect(byKey['impact.beta'].differs).toBe(false);
  });

  it('finds arrays that differ in one value even when their summaries agree', () => {
    const p = (profile: number[]) => testPlan({ impact: { model: 'linear', beta: 0.01, profile } });
    const [row] = diffPlans(p([1, 2, 3, 4]), p([1, 3, 2, 4])).filter(
      (r) => r.key === 'impact.profile',
    );
    expect(row.a).toBe(row.b);
    expect(row.differs).toBe(true);
    expect(summarizeArray([5, 5])).toBe('2 values, all 5, total 10');
  });

  it('gives volumes exactly: a total of 232,833 shares is not shown as 232,800', () => {
    const volumes = [100_000, 50_000, 50_000, 32_833];
    const text = '4 values, 32,833–100,000, total 232,833 shares';
    expect(summarizeArray(volumes, 'shares')).toBe(text);
    const impact = { model: 'linear', beta: 0.01 } as const;
    const facts = diffPlans(testPlan({ impact, volumeProfile: volumes }), testPlan({ impact }));
    expect(facts.find((r) => r.key === 'volumeProfile')?.a).toBe(text);
  });
});

describe('compare chart series', () => {
  const result = (shares: number[]) =>
    ({
      layout: 'columns',
      schedule: { length: shares.length, shares: Float64Array.from(shares) },
    }) as unknown as SolveResultColumns;
  const session = { start: '09:30', end: '10:30', timeZone: 'America/New_York' };

  it('uses clock time when the sessions match, else periods, else % of the horizon', () => {
    const a = testPlan({ periods: 4, session, impact: { model: 'linear', beta: 1 } });
    const b = testPlan({ periods: 2, session, impact: { model: 'linear', beta: 1 } });
    expect(compareAxis(a, b)).toBe('clock');
    expect(compareAxis(a, { ...b, session: { ...session, end: '11:00' } })).toBe('horizon');
    expect(compareAxis({ ...a, session: undefined }, { ...a, session: undefined })).toBe('period');
    expect(cumulativePoints(a, result([100, 300, 0, 600]), 'clock')).toEqual([
      { x: 570, y: 0 },
      { x: 585, y: 10 },
      { x: 600, y: 40 },
      { x: 615, y: 40 },
      { x: 630, y: 100 },
    ]);
    expect(cumulativePoints(b, result([500, 500]), 'horizon').map((p) => p.x)).toEqual([
      0, 50, 100,
    ]);
  });
});
