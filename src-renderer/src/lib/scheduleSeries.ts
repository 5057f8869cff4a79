/**
 * What the per-period charts of a result draw (the results panel's and the report's): one
 * series per strategy (the optimum, then every baseline that could be built), their cumulative
 * % executed, and the x axis (clock minutes with a session, else period numbers).
 */
import type { ChartData } from 'chart.js';
import { clockMinutes, periodMinutes, type Plan } from '@shared/plan';
import { BASELINE_LABELS, type BaselineName } from '@shared/result';
import { columnSum, type SolveResultColumns } from '@shared/resultColumns';
import type { PeriodAxis } from './chartOptions';
import { decimateMinMax } from './decimate';

export interface StrategySeries {
  key: 'optimal' | BaselineName;
  name: string;
  shares: ArrayLike<number>;
}

/** The optimum and the baselines that have numbers (one with a `problem` has none). */
export function strategySeries(
  result: SolveResultColumns,
  names: Record<BaselineName, string> = BASELINE_LABELS,
): StrategySeries[] {
  const keys = (Object.keys(names) as BaselineName[]).filter(
    (k) => result.baselines[k] && !result.baselines[k].problem,
  );
  return [
    { key: 'optimal', name: 'Optimal', shares: result.schedule.shares },
    ...keys.map((k) => ({ key: k, name: names[k], shares: result.baselines[k]!.shares })),
  ];
}

/** Cumulative % of `total` executed after each period, full length. */
export function cumulativePercent(shares: ArrayLike<number>, total: number): Float64Array {
  const out = new Float64Array(shares.length);
  let c = 0;
  for (let i = 0; i < shares.length; i++) {
    c += shares[i];
    out[i] = total > 0 ? (c / total) * 100 : 0;
  }
  return out;
}

export interface ScheduleAxis {
  axis: PeriodAxis;
  /** x of period i (0-based). */
  xOf: (i: number) => number;
  /** The period (0-based) nearest to x. */
  indexOf: (x: number) => number;
}

/** Clock minutes when the plan has a session (and the rows their times), else period numbers. */
export function scheduleAxis(plan: Plan, result: SolveResultColumns): ScheduleAxis {
  const n = result.schedule.length;
  const clock =
    plan.session && result.schedule.start !== null && n > 0
      ? { start: clockMinutes(plan.session.start), step: periodMinutes(plan) }
      : null;
  const xOf = clock ? (i: number) => clock.start + i * clock.step : (i: number) => i + 1;
  const indexOf = (x: number) =>
    Math.min(n - 1, Math.max(0, Math.round(clock ? (x - clock.start) / clock.step : x - 1)));
  return {
    axis: {
      title: clock ? 'Time' : 'Period',
      min: xOf(0),
      max: xOf(Math.max(0, n - 1)),
      clock: clock !== null,
    },
    xOf,
    indexOf,
  };
}

/** Line widths and the baselines' dash: the screen's and the paper's differ. */
export interface SeriesStyle {
  optimalWidth: number;
  baselineWidth: number;
  baselineDash: number[];
}

/**
 * A chart.js line dataset of one strategy, decimated to `buckets` min/max pairs, drawn with
 * straight segments between the points (no tension, no cubic interpolation: a smoothed curve
 * would show numbers that are in no period).
 */
export function strategyDataset(
  s: { key: string; name: string },
  ys: ArrayLike<number>,
  color: string,
  x: { buckets: number; xOf: (i: number) => number },
  style: SeriesStyle,
) {
  const optimal = s.key === 'optimal';
  return {
    label: s.name,
    data: decimateMinMax(ys, x.buckets, x.xOf),
    borderColor: color,
    backgroundColor: color,
    borderWidth: optimal ? style.optimalWidth : style.baselineWidth,
    borderDash: optimal ? [] : style.baselineDash,
    order: optimal ? 0 : 1,
    tension: 0,
    cubicInterpolationMode: 'default' as const,
  };
}

/**
 * The shares-per-period dataset of one strategy: steps, each period's child order held flat
 * from the start of its period to the start of the next (chart.js `stepped: 'before'`: the
 * line runs level at a point's value up to the next point), closed by one more point at the
 * end of the last period. Lot rounding that alternates (2 and 3 lots in turn) draws as a solid
 * zig-zag band between the two levels; decimation keeps each bucket's minimum and maximum, so
 * the band stays whole however many periods there are. The chart's x axis must run to
 * `x.xOf(n)` (see sharesAxis).
 */
export function sharesDataset(
  s: { key: string; name: string },
  ys: ArrayLike<number>,
  color: string,
  x: { buckets: number; xOf: (i: number) => number },
  style: SeriesStyle,
) {
  const dataset = strategyDataset(s, ys, color, x, style);
  const n = ys.length;
  if (n > 0) dataset.data.push({ x: x.xOf(n), y: ys[n - 1] });
  return { ...dataset, stepped: 'before' as const };
}

/** The x axis of the shares-per-period chart: to the end of the last period (its step). */
export function sharesAxis(x: ScheduleAxis, periods: number): PeriodAxis {
  return periods > 0 ? { ...x.axis, max: x.xOf(periods) } : x.axis;
}

/**
 * The two line charts of a result, as the results panel and the report draw them: shares per
 * period (steps) and cumulative % executed, one dataset per strategy in its colour, decimated
 * to `x.buckets`; with each strategy's cumulative % at full length (for tooltips).
 */
export function scheduleLines(
  result: SolveResultColumns,
  series: readonly StrategySeries[],
  colors: Record<string, string>,
  x: { buckets: number; xOf: (i: number) => number },
  style: SeriesStyle,
): { cumulativePct: Float64Array[]; perPeriod: ChartData; cumulative: ChartData } {
  const total = columnSum(result.schedule.shares);
  const cumulativePct = series.map((s) => cumulativePercent(s.shares, total));
  return {
    cumulativePct,
    perPeriod: {
      datasets: series.map((s) => sharesDataset(s, s.shares, colors[s.key], x, style)),
    } as ChartData,
    cumulative: {
      datasets: series.map((s, j) => strategyDataset(s, cumulativePct[j], colors[s.key], x, style)),
    } as ChartData,
  };
}
