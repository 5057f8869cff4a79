/** Shared chart.js options: theme colours, compact legends, readable axes. */
import { Legend, type ChartOptions, type LegendItem, type LegendOptions } from 'chart.js';
import { fmtCentsTick, fmtInt, fmtPerShare } from './format';

const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export interface ChartColors {
  text: string;
  grid: string;
}

/**
 * A bottom legend whose entries look like what they stand for: a line (dashed like its series,
 * as thick) for a line, a dot for a dataset drawn as points only (showLine: false). chart.js's
 * own entries are filled boxes, which match neither.
 */
export function legendOptions(c: ChartColors): Partial<LegendOptions<'line'>> {
  return {
    position: 'bottom',
    labels: {
      color: c.text,
      usePointStyle: true,
      pointStyleWidth: 22,
      boxHeight: 8,
      generateLabels: (chart) =>
        // The legend plugin's own defaults (registered or not: unit tests do not register).
        (Legend.defaults as LegendOptions<'line'>).labels
          .generateLabels(chart)
          .map((item: LegendItem) => {
            const ds = chart.data.datasets[item.datasetIndex ?? 0] as {
              showLine?: boolean;
              borderDash?: number[];
              borderWidth?: number;
              borderColor?: string;
            };
            if (ds?.showLine === false) return { ...item, pointStyle: 'circle' };
            // With point styles chart.js takes the style of the first point, not of the line.
            return {
              ...item,
              pointStyle: 'line',
              lineDash: ds?.borderDash ?? [],
              lineWidth: ds?.borderWidth ?? item.lineWidth,
              strokeStyle: ds?.borderColor ?? item.strokeStyle,
            };
          }),
    } as LegendOptions<'line'>['labels'],
  };
}

export function lineOptions(
  c: ChartColors,
  y: { title: string; percent?: boolean; decimals?: boolean },
  x: { title: string },
): ChartOptions<'line'> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    color: c.text,
    plugins: {
      legend: legendOptions(c),
      tooltip: {
        callbacks: {
          label: (ctx) =>
            `${ctx.dataset.label}: ${y.percent ? `${(ctx.parsed.y ?? 0).toFixed(1)}%` : fmtInt(ctx.parsed.y ?? 0)}`,
        },
      },
    },
    // Straight segments only: tension or monotone interpolation would draw values between
    // points that no period has.
    elements: {
      point: { radius: 0, hoverRadius: 3 },
      line: { borderWidth: 1.5, tension: 0, cubicInterpolationMode: 'default' },
    },
    scales: {
      x: {
        title: { display: true, text: x.title, color: c.text },
        ticks: {
          color: c.text,
          maxTicksLimit: 9,
          maxRotation: 0,
          autoSkip: true,
          autoSkipPadding: 12,
          // Measure a sample of the labels, not every one (hundreds on a profile preview).
          sampleSize: 40,
        },
        grid: { color: c.grid },
      },
      y: {
        title: { display: true, text: y.title, color: c.text },
        ticks: {
          color: c.text,
          callback: (v) =>
            y.percent ? `${v}%` : y.decimals ? decimal.format(Number(v)) : fmtInt(Number(v)),
        },
        grid: { color: c.grid },
        beginAtZero: true,
        ...(y.percent ? { max: 100 } : {}),
      },
    },
  };
}

/** Impact per share against shares traded (x numeric, not parsed), for the curve charts. */
export function impactCurveOptions(c: ChartColors): ChartOptions<'line'> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    parsing: false,
    // The tooltip follows the mouse along the shares axis (no need to hit the thin line).
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    // Linear between the curve's points, as the solver interpolates it: never smoothed.
    elements: { line: { tension: 0, cubicInterpolationMode: 'default' } },
    plugins: {
      legend: legendOptions(c),
      tooltip: {
        callbacks: {
          title: (items) => `${fmtInt(Number(items[0]?.parsed.x ?? 0))} shares`,
          label: (ctx) => `${ctx.dataset.label}: ${fmtPerShare(Number(ctx.parsed.y))} per share`,
        },
      },
    },
    scales: {
      x: {
        type: 'linear',
        title: { display: true, text: 'Shares in the period', color: c.text },
        ticks: { color: c.text, callback: (v) => fmtInt(Number(v)), maxTicksLimit: 7 },
        grid: { color: c.grid },
      },
      y: {
        beginAtZero: true,
        title: { display: true, text: 'Impact per share (¢)', color: c.text },
        ticks: { color: c.text, callback: (v) => fmtCentsTick(Number(v)) },
        grid: { color: c.grid },
      },
    },
  };
}

/** Tick steps on a clock axis, in minutes: round times only. */
const CLOCK_STEPS = [1, 2, 5, 15, 30, 60, 120, 240, 360, 720];

/**
 * Round clock times (minutes since midnight) between `from` and `to`: the smallest step of
 * CLOCK_STEPS that gives at most `maxTicks` ticks, at multiples of the step (10:00, 11:00, …
 * for a trading day; every 15 or 30 minutes for a short session).
 */
export function clockTicks(from: number, to: number, maxTicks = 8): number[] {
  if (!(to > from)) return [from];
  const step =
    CLOCK_STEPS.find((s) => Math.floor(to / s) - Math.ceil(from / s) + 1 <= maxTicks) ??
    CLOCK_STEPS[CLOCK_STEPS.length - 1];
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to + 1e-9; t += step) ticks.push(t);
  return ticks;
}

/** Minutes since midnight as "10:00" (seconds shown only when they are not 0). */
export function fmtClock(minutes: number): string {
  const total = Math.round(minutes * 60);
  const h = Math.floor(total / 3600) % 24;
  const m = Math.floor(total / 60) % 60;
  const s = total % 60;
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${pad(h)}:${pad(m)}${s ? `:${pad(s)}` : ''}`;
}

/** The x axis of a per-period chart: period numbers, or clock minutes with a session. */
export interface PeriodAxis {
  title: string;
  min: number;
  max: number;
  /** Clock axis: ticks on round times, labels "10:00". */
  clock: boolean;
}

/**
 * A line chart of decimated per-period series on a linear x axis (see PeriodAxis). The tooltip
 * tells every series at the hovered period from the full data (`tooltip(x)`), so it stays
 * exact whatever the decimation kept.
 */
export function periodLineOptions(
  c: ChartColors,
  y: { title: string; percent?: boolean },
  x: PeriodAxis,
  tooltip: (x: number) => { title: string; lines: string[] },
): ChartOptions<'line'> {
  const base = lineOptions(c, y, { title: x.title });
  return {
    ...base,
    parsing: false,
    normalized: true,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    plugins: {
      ...base.plugins,
      tooltip: {
        displayColors: false,
        // One item (the nearest point) carries the lines of every series at its period.
        filter: (_item, index) => index === 0,
        callbacks: {
          title: (items) => (items[0] ? tooltip(Number(items[0].parsed.x)).title : ''),
          label: (ctx) => tooltip(Number(ctx.parsed.x)).lines,
        },
      },
    },
    scales: {
      ...base.scales,
      x: {
        type: 'linear',
        min: x.min,
        max: x.max,
        title: { display: true, text: x.title, color: c.text },
        ...(x.clock
          ? {
              afterBuildTicks: (axis) => {
                axis.ticks = clockTicks(axis.min, axis.max).map((value) => ({ value }));
              },
            }
          : {}),
        ticks: {
          color: c.text,
          maxTicksLimit: 9,
          maxRotation: 0,
          precision: 0,
          callback: (v) => (x.clock ? fmtClock(Number(v)) : fmtInt(Number(v))),
        },
        grid: { color: c.grid },
      },
    },
  };
}
