/**
 * floorLots-forgave-a-share-with-lots-over-1e9: shares → lots added a fixed 1e−9 lot before
 * flooring, which forgave a whole missing share once a lot held more than 10^9 shares (a cap
 * of 2·10^10 − 1 shares became two lots of 10^10) and no longer forgave real noise once the
 * count of lots passed ~10^7. The tolerance is now relative to the shares and below one share.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildImpactGrid, floorLots } from './impact';
import { testPlan } from './testing/plans';

describe('floorLots-forgave-a-share-with-lots-over-1e9', () => {
  it('never forgives a whole share, whatever the lot size', () => {
    expect(floorLots(2e10 - 1, 1e10)).toBe(1);
    expect(floorLots(1e13 - 1, 5e12)).toBe(1);
    expect(floorLots(1e13 - 1, 1)).toBe(1e13 - 1);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 1e9 }),
        (k, lot) => {
          fc.pre(k * lot <= 1e13);
          expect(floorLots(k * lot, lot)).toBe(k);
          expect(floorLots(k * lot - 1, lot)).toBe(k - 1);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('forgives floating-point noise at any number of lots', () => {
    expect(floorLots(4999.999999999999, 100)).toBe(50);
    expect(floorLots(0.29 * 100, 1)).toBe(29); // 28.999999999999996
    expect(floorLots(0.29 * 1e11, 1)).toBe(29e9); // 28,999,999,999.999996: was 28,999,999,999
    expect(floorLots(0.1 * 49_996, 100)).toBe(49); // 4,999.6 is real, not noise
    expect([floorLots(0, 7), floorLots(-3, 7), floorLots(Number.NaN, 7)]).toEqual([0, 0, 0]);
  });

  it('a cap one share below two huge lots allows one lot', () => {
    const p = testPlan({
      shares: 2e10,
      lotSize: 1e10,
      periods: 2,
      maxPerPeriod: [2e10 - 1, 2e10],
      impact: { model: 'linear', beta: 1e-12 },
    });
    expect(Array.from(buildImpactGrid(p).caps)).toEqual([1, 2]);
  });
});
