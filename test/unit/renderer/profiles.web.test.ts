/** Which preset a stored volume profile is: the early-stopping comparison against volumes(). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectVolumes, volumes, type ShapeKind } from '../../../src-renderer/src/lib/profiles';

/** The comparison as it was: build each preset's volumes whole, then compare. */
function detectWhole(values: number[]): { kind: ShapeKind; daily: number } | null {
  const total = values.reduce((a, b) => a + b, 0);
  for (const kind of ['flat', 'u'] as const) {
    const v = volumes(kind, values.length, total);
    if (v.every((x, i) => x === values[i])) return { kind, daily: total };
  }
  return null;
}

describe('detectVolumes', () => {
  it('finds the preset a profile was made from, with its day volume', () => {
    expect(detectVolumes(volumes('u', 390, 4_000_000))).toEqual({ kind: 'u', daily: 4_000_000 });
    expect(detectVolumes(volumes('flat', 100_000, 2_000_000))).toEqual({
      kind: 'flat',
      daily: 2_000_000,
    });
    expect(detectVolumes([5, 1, 5])).toBeNull();
  });

  it('agrees with building each preset whole: presets, presets changed in one period, any list', () => {
    const preset = fc
      .record({
        kind: fc.constantFrom<ShapeKind>('flat', 'u'),
        n: fc.integer({ min: 0, max: 400 }),
        daily: fc.integer({ min: 0, max: 10_000_000 }),
      })
      .map(({ kind, n, daily }) => volumes(kind, n, daily));
    const changed = fc
      .tuple(preset, fc.nat(), fc.integer({ min: -3, max: 3 }))
      .map(([v, at, by]) => (v.length ? v.map((x, i) => (i === at % v.length ? x + by : x)) : v));
    const any = fc.array(fc.integer({ min: 0, max: 50_000 }), { maxLength: 50 });
    fc.assert(
      fc.property(fc.oneof(preset, changed, any), (values) => {
        expect(detectVolumes(values)).toEqual(detectWhole(values));
      }),
      { numRuns: 400 },
    );
  });
});
