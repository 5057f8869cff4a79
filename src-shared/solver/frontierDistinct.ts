/**
 * The frontier's points as the window shows them: one per schedule. Kept apart from
 * frontier.ts (which re-exports it) so that the renderer can use it without the solver.
 */
import type { FrontierPoint } from '../result';

/** A frontier point that stands for a run of λ giving one schedule. */
export interface DistinctFrontierPoint extends FrontierPoint {
  /** The highest λ of the sweep that gave this schedule (absent: only `aversion` did). */
  aversionTo?: number;
}

/**
 * One point per schedule, for the chart and its list: where caps (or the lot grid) leave the
 * optimum unchanged over a run of λ, the sweep gives the same schedule several times and the
 * points were drawn on top of each other. A run of identical schedules becomes its first
 * point (the lowest λ, which gives that schedule) with `aversionTo` the run's highest λ. After
 * makeMonotone a schedule's points are consecutive (E and SD are the schedule's own and
 * monotone in λ). computeFrontier itself keeps one point per λ (the CLI prints K solves).
 * O(points · N).
 */
export function dedupeSchedules(points: readonly FrontierPoint[]): DistinctFrontierPoint[] {
  const out: DistinctFrontierPoint[] = [];
  for (const pt of points) {
    const last = out[out.length - 1];
    if (last && sameSchedule(last.shares, pt.shares))
      out[out.length - 1] = { ...last, aversionTo: pt.aversion };
    else out.push(pt);
  }
  return out;
}

function sameSchedule(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
