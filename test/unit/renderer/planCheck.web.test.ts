/** The editor's fast plan check gives PlanSchema's results; the plan key stays cheap and exact. */
import { describe, expect, it } from 'vitest';
import { PlanSchema, formatPath } from '@shared/plan';
import { checkPlan, planKey } from '../../../src-renderer/src/lib/planCheck';
import { longList } from '../../../src-renderer/src/lib/draft';

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
};
const n = 390;
const list = (f: (i: number) => unknown) => longList(Array.from({ length: n }, (_, i) => f(i)));

const cases: Record<string, unknown>[] = [
  base,
  { ...base, shares: 1050 },
  { ...base, volumeProfile: list(() => 1000), maxParticipation: 0.1 },
  { ...base, volumeProfile: list((i) => (i === 7 ? -1 : 1000)) },
  { ...base, volumeProfile: list(() => 1000).slice(0, 10) },
  { ...base, maxPerPeriod: list(() => 500) },
  { ...base, maxPerPeriod: list((i) => (i === 3 ? 1.5 : 500)) },
  { ...base, maxPerPeriod: 250 },
  { ...base, maxPerPeriod: Number.NaN },
  { ...base, maxParticipation: 0.1 },
  { ...base, impact: { model: 'power', beta: 2e-5, exponent: 0.5, profile: list(() => 1) } },
  { ...base, impact: { model: 'linear', beta: -1, profile: list((i) => (i ? 1 : -2)) } },
  {
    ...base,
    impact: {
      model: 'table',
      curves: list(() => [
        [0, 0.01],
        [1000, 0.02],
      ]),
    },
  },
  {
    ...base,
    impact: {
      model: 'table',
      curves: list((i) =>
        i === 5
          ? [
              [0, 1],
              [0, 2],
            ]
          : [[0, 1]],
      ),
    },
  },
  { ...base, impact: { model: 'book', ladders: list(() => [[0.01, 500]]) } },
  { ...base, impact: { model: 'book', ladders: list((i) => (i === 2 ? [[-1, 5]] : [])) } },
  { ...base, impact: { model: 'nope' } },
  { ...base, risk: { volatility: 0.02, volatilityProfile: list(() => 1) } },
  { ...base, risk: { volatility: 0.02, volatilityProfile: list((i) => (i ? 1 : -1)) } },
  { ...base, risk: { annualVolatility: 0.3, volatility: 1 }, referencePrice: undefined },
  { ...base, periods: Number.NaN, session: { start: '10:00', end: '09:00', timeZone: 'x' } },
  { ...base, shares: undefined, lotSize: 0, impact: { model: 'power', beta: Number.NaN } },
];

const issues = (r: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => (r.error?.issues ?? []).map((i) => `${formatPath(i.path)}: ${i.message}`).sort();

describe('checkPlan', () => {
  it('reports what PlanSchema reports and returns the same plan', () => {
    for (const input of cases) {
      const slow = PlanSchema.safeParse(input);
      const fast = checkPlan(input);
      expect(issues(fast), JSON.stringify(input).slice(0, 200)).toEqual(issues(slow));
      expect(fast.success).toBe(slow.success);
      if (slow.success) expect(JSON.stringify(fast.data)).toBe(JSON.stringify(slow.data));
    }
  });

  it('checks a list once: the same list is not walked again', () => {
    const values = list(() => 1000);
    const input = { ...base, volumeProfile: values };
    expect(checkPlan(input).success).toBe(true);
    let reads = 0;
    const spy = new Proxy(values, {
      get(t, p, r) {
        if (typeof p === 'string' && /^\d+$/.test(p)) reads++;
        return Reflect.get(t, p, r);
      },
    });
    // A proxy is another object: walked once; the original list is not walked again.
    checkPlan({ ...input, volumeProfile: spy });
    const once = reads;
    checkPlan({ ...input, volumeProfile: spy });
    expect(once).toBeGreaterThanOrEqual(n);
    expect(reads).toBe(once);
  });
});

describe('planKey', () => {
  it('is the JSON of short values and tells long lists apart by identity', () => {
    const a = list(() => 1);
    const b = list(() => 1);
    expect(planKey({ x: 1, y: [1, 2] })).toBe(JSON.stringify({ x: 1, y: [1, 2] }));
    expect(planKey({ v: a })).toBe(planKey({ v: a }));
    expect(planKey({ v: a })).not.toBe(planKey({ v: b }));
    expect(planKey({ v: a }).length).toBeLessThan(40);
  });
});
