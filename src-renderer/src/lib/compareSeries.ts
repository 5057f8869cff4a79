/**
 * The compare view's chart: both schedules as cumulative % executed on one x axis: clock
 * time when the two sessions match, the period number when only the period counts do, else
 * the share of each plan's horizon.
 */
import { clockMinutes, type Plan } from '@shared/plan';
import { columnSum, type SolveResultColumns } from '@shared/resultColumns';

export type CompareAxis = 'clock' | 'period' | 'horizon';

export function compareAxis(a: Plan, b: Plan): CompareAxis {
  const sa = a.session;
  const sb = b.session;
  if (sa && sb && sa.start === sb.start && sa.end === sb.end && sa.timeZone === sb.timeZone)
    return 'clock';
  return a.periods === b.periods ? 'period' : 'horizon';
}

export interface Point {
  x: number;
  y: number;
}

/**
 * (x, cumulative %) at the start (0 %) and at the end of every period. x is minutes after
 * midnight (clock), the period number (0 before the first), or % of the horizon.
 */
export function cumulativePoints(
  plan: Plan,
  result: SolveResultColumns,
  axis: CompareAxis,
): Point[] {
  const n = result.schedule.length;
  const shares = result.schedule.shares;
  const total = columnSum(shares);
  const x = (i: number): number => {
    if (axis === 'clock' && plan.session) {
      const start = clockMinutes(plan.session.start);
      return start + ((clockMinutes(plan.session.end) - start) * i) / n;
    }
    return axis === 'period' ? i : (i / n) * 100;
  };
  const points: Point[] = [{ x: x(0), y: 0 }];
  let done = 0;
  for (let i = 0; i < n; i++) {
    done += shares[i];
    points.push({ x: x(i + 1), y: total > 0 ? (done / total) * 100 : 0 });
  }
  return points;
}

/** "09:30" for minutes after midnight (the clock axis's ticks). */
export function clockLabel(minutes: number): string {
  const m = Math.round(minutes);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
