/** Shared chart.js options: theme colours, compact legends, readable axes. */
import type { ChartOptions } from 'chart.js';
import { fmtInt, fmtPrice } from './format';

const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export interface ChartColors {
  text: string;
  grid: string;
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
      legend: { position: 'bottom', labels: { color: c.text, boxWidth: 12, boxHeight: 12 } },
      tooltip: {
        callbacks: {
          label: (ctx) =>
            `${ctx.dataset.label}: ${y.percent ? `${(ctx.parsed.y ?? 0).toFixed(1)}%` : fmtInt(ctx.parsed.y ?? 0)}`,
        },
      },
    },
    elements: { point: { radius: 0, hoverRadius: 3 }, line: { borderWidth: 1.5 } },
    scales: {
      x: {
        title: { display: true, text: x.title, color: c.text },
        ticks: {
          color: c.text,
          maxTicksLimit: 9,
          maxRotation: 0,
          autoSkip: true,
          autoSkipPadding: 12,
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
    plugins: {
      legend: { position: 'bottom', labels: { color: c.text, boxWidth: 12 } },
      tooltip: {
        callbacks: {
          title: (items) => `${fmtInt(Number(items[0]?.parsed.x ?? 0))} shares`,
          label: (ctx) => `${ctx.dataset.label}: ${fmtPrice(Number(ctx.parsed.y))} per share`,
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
        title: { display: true, text: 'Impact per share ($)', color: c.text },
        ticks: { color: c.text },
        grid: { color: c.grid },
      },
    },
  };
}
