/**
 * A chart.js plugin that shades the periods of a day chart that have no book at all, so a
 * gap (a halt, data that ends mid-session) is seen on every chart of the day. Reads its
 * flags from `options.plugins.uncovered.periods` (true: no book), so the one plugin object
 * follows the data when another dataset is opened.
 */
import type { Chart, Plugin } from 'chart.js';

export interface UncoveredOptions {
  /** One flag per x label: true where the period has no book. */
  periods?: boolean[];
  color?: string;
}

export const uncoveredPlugin: Plugin = {
  id: 'uncovered',
  beforeDatasetsDraw(chart: Chart, _args: unknown, options: UncoveredOptions) {
    const flags = options.periods;
    const x = chart.scales.x;
    if (!flags?.some(Boolean) || !x) return;
    const area = chart.chartArea;
    const step =
      flags.length > 1
        ? Math.abs(x.getPixelForValue(1) - x.getPixelForValue(0))
        : area.right - area.left;
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = options.color ?? 'rgba(128,128,128,0.18)';
    for (let i = 0; i < flags.length;) {
      if (!flags[i]) {
        i++;
        continue;
      }
      let j = i;
      while (j < flags.length && flags[j]) j++;
      const left = Math.max(area.left, x.getPixelForValue(i) - step / 2);
      const right = Math.min(area.right, x.getPixelForValue(j - 1) + step / 2);
      if (right > left) ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
      i = j;
    }
    ctx.restore();
  },
};
