/** The "Curve periods" input shared by the impact-curve charts. */
import { describe, expect, it } from 'vitest';
import { CURVE_COLORS, choosePeriods } from '../../../src-renderer/src/lib/curvePeriods';

describe('choosePeriods', () => {
  it('uses the default periods while the input is blank, and is not invalid then', () => {
    expect(choosePeriods('  ', '1, 5, 10', 10)).toEqual({ periods: [1, 5, 10], invalid: false });
  });

  it('reads commas or spaces, keeps the order typed, drops repeats and periods out of 1..n', () => {
    expect(choosePeriods('7 3,3, 0, 11, 2.5, x, 10', '1', 10)).toEqual({
      periods: [7, 3, 10],
      invalid: false,
    });
  });

  it('draws at most one period per colour', () => {
    const typed = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(CURVE_COLORS.length).toBeLessThan(typed.length);
    expect(choosePeriods(typed.join(','), '1', 20).periods).toEqual(
      typed.slice(0, CURVE_COLORS.length),
    );
  });

  it('is invalid when something is typed but none of it names a period', () => {
    expect(choosePeriods('0, 99, abc', '1, 2', 10)).toEqual({ periods: [], invalid: true });
  });
});
