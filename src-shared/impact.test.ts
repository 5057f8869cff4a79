import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildImpactGrid, decideConvexity, floorLots, infeasibilityMessage } from './impact';
import type { ImpactModel, Plan, PlanInput } from './plan';
import { arbPlan } from './testing/arbitraries';
import {
  bruteForceConvex,
  close,
  referenceCapShares,
  referenceCost,
  referenceImpact,
} from './testing/bruteForce';
import { testPlan, type TestPlanInput } from './testing/plans';

const plan = (input: TestPlanInput): Plan => testPlan({ periods: 2, ...input });

describe('cost, impact and caps match the definitions', () => {
  for (const model of ['linear', 'power', 'table', 'book'] as ImpactModel[]) {
    it(`${model}: cost(i,k), marginal, impact and K_i on every grid point`, () => {
      fc.assert(
        fc.property(arbPlan(model), (p) => {
          const g = buildImpactGrid(p);
          const q = p.lotSize;
          const row = new Float64Array(g.lots + 1);
          for (let i = 0; i < p.periods; i++) {
            const capShares = referenceCapShares(p, i);
            const minOk = (k: number) => p.minOrderSize === undefined || k * q >= p.minOrderSize;
            const expectedCap = Math.floor(capShares / q + 1e-9);
            const K = g.caps[i];
            expect(K === 0 || minOk(K)).toBe(true);
            if (minOk(expectedCap)) expect(K).toBe(Math.min(expectedCap, g.lots));
            g.fillCosts(i, row, K);
            for (let k = 0; k <= g.lots; k++) {
              const want = k <= K ? referenceCost(p, i, k * q) : Infinity;
              expect(close(g.cost(i, k), want)).toBe(true);
              if (k <= K) expect(close(row[k], want)).toBe(true);
              if (k >= 1 && k <= g.modelCaps[i]) {
                // Marginals ignore caps and the minimum order, never the fee at k = 1.
                const raw = (j: number) =>
                  j === 0 ? 0 : referenceImpact(p, i, j * q) * j * q + (p.fixedFeePerOrder ?? 0);
                expect(close(g.marginal(i, k), raw(k) - raw(k - 1), 1e-7)).toBe(true);
              }
              if (k >= 1 && k <= K)
                expect(close(g.impact(i, k * q), referenceImpact(p, i, k * q))).toBe(true);
            }
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('floors caps to whole lots, forgiving floating-point noise', () => {
    expect(floorLots(4999.999999999999, 100)).toBe(50);
    expect(floorLots(4999, 100)).toBe(49);
    const p = plan({
      shares: 10_000,
      periods: 3,
      maxPerPeriod: [5000, 250, 10_000],
      volumeProfile: [50_000, 50_000, 12_345],
      maxParticipation: 0.1,
      impact: { model: 'linear', beta: 1e-6 },
    });
    expect(Array.from(buildImpactGrid(p).caps)).toEqual([50, 2, 12]);
  });

  it('caps a table at its last point and a book at its depth; an empty ladder trades nothing', () => {
    const t = plan({
      impact: {
        model: 'table',
        curves: [
          [
            [0, 0.01],
            [450, 0.02],
          ],
          [[100, 0.01]],
        ],
      },
    });
    expect(Array.from(buildImpactGrid(t).caps)).toEqual([4, 1]);
    const b = plan({
      impact: {
        model: 'book',
        ladders: [
          [
            [0.02, 300],
            [0.01, 250],
          ],
          [],
        ],
      },
    });
    const g = buildImpactGrid(b);
    expect(Array.from(g.caps)).toEqual([5, 0]);
    // Cheapest first: 250 @ 0.01 then 50 @ 0.02 for 300 shares.
    expect(g.cost(0, 3)).toBeCloseTo(250 * 0.01 + 50 * 0.02, 12);
    expect(g.impact(0, 300)).toBeCloseTo((2.5 + 1) / 300, 12);
  });
});

describe('exact convexity decision', () => {
  for (const model of ['linear', 'power', 'table', 'book'] as ImpactModel[]) {
    it(`${model}: equals checking every second difference on the grid`, () => {
      fc.assert(
        fc.property(arbPlan(model, { maxPeriods: 3, maxLots: 25 }), (p) => {
          expect(decideConvexity(p, buildImpactGrid(p)).convex).toBe(bruteForceConvex(p));
        }),
        { numRuns: 1000 },
      );
    });
  }

  it('a table that bends down is non-convex and says where; one that bends between grid points may be convex', () => {
    const bend = plan({
      shares: 1000,
      lotSize: 10,
      impact: {
        model: 'table',
        curves: [
          [
            [0, 0.01],
            [500, 0.02],
            [1000, 0.005],
          ],
          [
            [0, 0.01],
            [1000, 0.02],
          ],
        ],
      },
    });
    const d = decideConvexity(bend, buildImpactGrid(bend));
    expect(d.convex).toBe(false);
    expect(d.reason).toMatch(/period 1 bends down near 5\d0 shares/);
    // g drops slightly over a stretch shorter than one lot: the grid never sees it.
    const hidden = plan({
      shares: 1000,
      lotSize: 100,
      impact: {
        model: 'table',
        curves: [
          [
            [0, 0.01],
            [150, 0.02],
            [160, 0.0199],
            [1000, 0.05],
          ],
          [
            [0, 0.01],
            [1000, 0.02],
          ],
        ],
      },
    });
    expect(decideConvexity(hidden, buildImpactGrid(hidden)).convex).toBe(bruteForceConvex(hidden));
  });

  it('a large fee or a minimum order makes linear costs non-convex; a tiny fee does not', () => {
    const base = { shares: 1000, lotSize: 100, impact: { model: 'linear' as const, beta: 1e-4 } };
    // 2·β·q² = 2 is the margin between the first two increments.
    expect(
      decideConvexity(
        plan({ ...base, fixedFeePerOrder: 1.5 }),
        buildImpactGrid(plan({ ...base, fixedFeePerOrder: 1.5 })),
      ).convex,
    ).toBe(true);
    const fee = plan({ ...base, fixedFeePerOrder: 2.5 });
    expect(decideConvexity(fee, buildImpactGrid(fee)).reason).toMatch(/^fixedFeePerOrder 2.5/);
    const min = plan({ ...base, minOrderSize: 300 });
    expect(decideConvexity(min, buildImpactGrid(min)).reason).toMatch(/^minOrderSize 300 shares/);
  });

  it('decides a table with a million points per period without walking 2·10^9 grid points', () => {
    const pts: [number, number][] = Array.from({ length: 1000 }, (_, j) => [
      j * 2_000_000,
      0.001 + j * 1e-6,
    ]);
    const p = plan({
      shares: 1_000_000_000,
      lotSize: 1,
      periods: 2,
      impact: { model: 'table', curves: [pts, pts] },
    });
    expect(decideConvexity(p, buildImpactGrid(p)).convex).toBe(true);
  });
});

describe('feasibility names the binding field', () => {
  const base = {
    shares: 10_000,
    lotSize: 100,
    periods: 4,
    impact: { model: 'linear' as const, beta: 1e-6 },
  };
  it.each<[Partial<PlanInput>, string]>([
    [
      { maxPerPeriod: 2000 },
      'maxPerPeriod: caps allow at most 8,000 shares, fewer than shares 10,000',
    ],
    [
      { volumeProfile: [10_000, 10_000, 10_000, 5000], maxParticipation: 0.25 },
      'maxParticipation: 25% of volumeProfile allows at most 8,700 shares, fewer than shares 10,000',
    ],
    [
      {
        impact: {
          model: 'book' as const,
          ladders: [[[0.01, 1000]], [[0.01, 1050]], [], [[0.02, 3000]]],
        },
      },
      'impact.ladders: the books hold at most 5,000 shares in whole lots, fewer than shares 10,000',
    ],
    [
      {
        impact: {
          model: 'table' as const,
          curves: [
            [
              [0, 0.01],
              [2500, 0.02],
            ],
            [
              [0, 0.01],
              [2500, 0.02],
            ],
            [
              [0, 0.01],
              [2500, 0.02],
            ],
            [
              [0, 0.01],
              [2450, 0.02],
            ],
          ],
        },
      },
      'impact.curves: the curves end at 9,900 shares in total (in whole lots), fewer than shares 10,000',
    ],
    [
      { maxPerPeriod: [4000, 4000, 1000, 1000], minOrderSize: 1100 },
      'minOrderSize: periods whose cap is below 1,100 shares cannot trade; the rest allow at most 8,000 shares, fewer than shares 10,000',
    ],
    [
      { maxPerPeriod: [5000, 5000, 0, 0], volumeProfile: [1, 1, 1e6, 1e6], maxParticipation: 1 },
      'maxPerPeriod + maxParticipation: together the caps allow at most 0 shares, fewer than shares 10,000',
    ],
  ])('%j', (extra, message) => {
    const p = plan({ ...base, ...extra });
    expect(infeasibilityMessage(p, buildImpactGrid(p))).toBe(message);
  });

  it('is null when the caps reach S', () => {
    const p = plan({ ...base, maxPerPeriod: 2500 });
    expect(infeasibilityMessage(p, buildImpactGrid(p))).toBeNull();
  });
});
