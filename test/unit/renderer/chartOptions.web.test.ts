/** Clock ticks and number formats of the result charts. */
import { describe, expect, it } from 'vitest';
import type { Chart, Scale, TooltipItem } from 'chart.js';
import {
  clockTicks,
  fmtClock,
  legendOptions,
  lineOptions,
  periodLineOptions,
} from '../../../src-renderer/src/lib/chartOptions';

const hhmm = (from: string, to: string, max?: number) => {
  const m = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
  return clockTicks(m(from), m(to), max).map(fmtClock);
};
const colors = { text: '#000', grid: '#ccc' };

describe('clockTicks', () => {
  it('a trading day ticks on the hour', () => {
    expect(hhmm('09:30', '15:59')).toEqual(['10:00', '11:00', '12:00', '13:00', '14:00', '15:00']);
  });

  it('a short session every 15 or 30 minutes', () => {
    expect(hhmm('09:30', '10:30')).toEqual(['09:30', '09:45', '10:00', '10:15', '10:30']);
    expect(hhmm('09:30', '11:30')).toEqual(['09:30', '10:00', '10:30', '11:00', '11:30']);
  });

  it('never more ticks than asked for, always on a round time', () => {
    for (const [from, to] of [
      [0, 1440],
      [570, 571],
      [570, 600],
      [575, 959],
      [61, 62.5],
    ])
      for (const max of [4, 6, 8, 12]) {
        const ticks = clockTicks(from, to, max);
        expect(ticks.length).toBeLessThanOrEqual(max);
        expect(ticks.length).toBeGreaterThan(0);
        for (const t of ticks) {
          expect(t).toBeGreaterThanOrEqual(from);
          expect(t).toBeLessThanOrEqual(to);
          expect(Number.isInteger(t)).toBe(true);
        }
      }
  });

  it('formats minutes since midnight as a clock, seconds only when there are some', () => {
    expect(fmtClock(600)).toBe('10:00');
    expect(fmtClock(570 + 1 / 60)).toBe('09:30:01');
  });
});

describe('axis and tooltip numbers have thousands separators', () => {
  it('period axis, share axis and tooltip', () => {
    const o = periodLineOptions(
      colors,
      { title: 'Shares' },
      { title: 'Period', min: 1, max: 100_000, clock: false },
      (x) => ({ title: `Period ${x}`, lines: [`Optimal: ${x}`] }),
    );
    const tick = (axis: 'x' | 'y', v: number) =>
      (o.scales![axis]!.ticks!.callback as (v: number) => string)(v);
    expect(tick('x', 25_000)).toBe('25,000');
    expect(tick('y', 1_234_567)).toBe('1,234,567');
    const item = { parsed: { x: 12, y: 1 } } as unknown as TooltipItem<'line'>;
    const cb = o.plugins!.tooltip!.callbacks!;
    expect((cb.label as (i: TooltipItem<'line'>) => string[])(item)).toEqual(['Optimal: 12']);
  });

  it('clock axis: ticks replaced by round times, labelled as clock times', () => {
    const o = periodLineOptions(
      colors,
      { title: 'Shares' },
      { title: 'Time', min: 570, max: 959, clock: true },
      () => ({ title: '', lines: [] }),
    );
    const x = o.scales!.x as unknown as {
      afterBuildTicks: (a: Scale) => void;
      ticks: { callback: (v: number) => string };
    };
    const axis = { min: 570, max: 959, ticks: [] } as unknown as Scale;
    x.afterBuildTicks(axis);
    expect(axis.ticks.map((t) => x.ticks.callback(t.value))).toEqual([
      '10:00',
      '11:00',
      '12:00',
      '13:00',
      '14:00',
      '15:00',
    ]);
  });

  it('lineOptions tooltips separate thousands', () => {
    const o = lineOptions(colors, { title: 'Shares' }, { title: 'Period' });
    const label = o.plugins!.tooltip!.callbacks!.label as (i: TooltipItem<'line'>) => string;
    const item = {
      dataset: { label: 'Optimal' },
      parsed: { y: 12_345 },
      chart: {} as Chart,
    } as unknown as TooltipItem<'line'>;
    expect(label(item)).toBe('Optimal: 12,345');
  });
});

describe('legend entries look like what is drawn', () => {
  it('one entry per dataset: lines as lines (dashed like their series), a point-only one as a dot', () => {
    const datasets = [
      { label: 'Optimal', borderDash: [], borderWidth: 2.5, borderColor: '#111' },
      { label: 'Naive', borderDash: [5, 3], borderWidth: 1.25, borderColor: '#222' },
      { label: 'This plan', showLine: false, borderColor: '#333' },
    ];
    // What chart.js's own generateLabels reads of a chart (the first point's style with
    // point styles on: a solid, thin circle, which is not what a line dataset looks like).
    const chart = {
      data: { datasets },
      legend: { options: { labels: { usePointStyle: true } } },
      _getSortedDatasetMetas: () =>
        datasets.map((_, index) => ({
          index,
          visible: true,
          controller: {
            getStyle: () => ({ borderWidth: 1, pointStyle: 'circle', borderColor: '#999' }),
          },
        })),
    } as unknown as Chart;
    const labels = legendOptions(colors).labels!;
    const items = (labels.generateLabels as unknown as (c: Chart) => Record<string, unknown>[])(
      chart,
    );
    expect(items.map((i) => i.text)).toEqual(['Optimal', 'Naive', 'This plan']);
    expect(items.map((i) => i.pointStyle)).toEqual(['line', 'line', 'circle']);
    expect(items[0]).toMatchObject({ lineDash: [], lineWidth: 2.5, strokeStyle: '#111' });
    expect(items[1]).toMatchObject({ lineDash: [5, 3], lineWidth: 1.25, strokeStyle: '#222' });
    expect(labels.usePointStyle).toBe(true);
  });
});
