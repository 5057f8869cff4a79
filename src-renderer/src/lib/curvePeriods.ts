/** The "Curve periods" choice shared by the impact-curve charts (results and order book). */

/** One colour per chosen period; also the most periods a curve chart draws at once. */
export const CURVE_COLORS = ['#1f77d0', '#e0672b', '#2f9e62', '#9b59b6', '#c0392b', '#7f8c8d'];

export interface PeriodChoice {
  /** Distinct 1-based period numbers in 1..n, in the order typed, at most CURVE_COLORS.length. */
  periods: number[];
  /** The user typed something, and none of it names a period. */
  invalid: boolean;
}

/** Read the period numbers typed (commas or spaces between them); blank means `fallback`. */
export function choosePeriods(text: string, fallback: string, n: number): PeriodChoice {
  const typed = text.trim() !== '';
  const periods: number[] = [];
  for (const part of (typed ? text : fallback).split(/[,\s]+/)) {
    const v = Number(part);
    if (Number.isInteger(v) && v >= 1 && v <= n && !periods.includes(v)) periods.push(v);
  }
  const chosen = periods.slice(0, CURVE_COLORS.length);
  return { periods: chosen, invalid: typed && chosen.length === 0 };
}
