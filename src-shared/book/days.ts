/** Several imported days of one symbol: whether they match, and their average as one dataset. */
import { PlannerError } from '../contract';
import { clockMinutes, type Session } from '../plan';
import { clockLabel } from './clock';
import type { BookPeriod, BookStats, Ladder, Level, Sampling, Volatility } from './types';
import { ladderDepth } from './walk';

/** One imported day, as averageDays needs it. */
export interface BookDay {
  id: string;
  date: string;
  fileName: string;
  series: BookPeriod[];
  ladders: { buy: Ladder[]; sell: Ladder[] };
  stats: BookStats | null;
}

/** What must match for days to be averaged. */
export interface DayKey {
  fileName: string;
  symbol: string;
  date: string;
  periods: number;
  periodMinutes: number;
  session: Session;
  sampling: Sampling;
  /** Already an average of days. */
  averaged?: boolean;
}

/** Days can be averaged when they are single days of one symbol, on one period grid and
 *  session, with one sampling, and no date twice; else a PlannerError naming the file. */
export function checkDaysMatch(days: DayKey[]): void {
  const first = days[0];
  const grid = (d: DayKey) =>
    `${d.symbol}, ${d.periods} × ${d.periodMinutes} min, ${d.session.start}–${d.session.end} ${d.session.timeZone}`;
  const dates = new Set<string>();
  for (const d of days) {
    if (d.averaged) {
      throw new PlannerError(
        'invalid_input',
        `${d.fileName}: is already an average of days; pick single days`,
      );
    }
    if (grid(d) !== grid(first)) {
      throw new PlannerError(
        'invalid_input',
        `${d.fileName} (${grid(d)}) does not match ${first.fileName} (${grid(first)}): average days of one symbol imported with the same periods and session`,
      );
    }
    if (d.sampling !== first.sampling) {
      throw new PlannerError(
        'invalid_input',
        `${d.fileName} was sampled '${d.sampling}', ${first.fileName} '${first.sampling}': average days imported with the same sampling`,
      );
    }
    if (dates.has(d.date)) {
      throw new PlannerError(
        'invalid_input',
        `${d.fileName}: a second dataset of the day ${d.date}`,
      );
    }
    dates.add(d.date);
  }
}

/** Merge ladders level by level with weights (equal offsets add; cheapest first). */
export function mergeLadders(ladders: Ladder[], weight: number): Ladder {
  const sizes = new Map<number, number>();
  for (const l of ladders)
    for (const [offset, size] of l) sizes.set(offset, (sizes.get(offset) ?? 0) + size * weight);
  return [...sizes.entries()]
    .map(([o, v]) => [o, Number(v.toPrecision(12))] as Level)
    .sort((a, b) => a[0] - b[0]);
}

function mean(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/**
 * Average D days of one symbol on the same period grid: each period's ladder is the days'
 * ladders merged with size / D (so a day without a book in a period counts as no depth, as
 * time-averaging does within a day); volume, spread and coverage are means over the days;
 * σ² is the mean of the days' σ_t² (its profile likewise); the mids and the arrival price
 * are the latest day's (the most recent price); the largest gap is the longest run of
 * periods no day covered. Days are sorted oldest first.
 */
export function averageDays(days: BookDay[]): {
  series: BookPeriod[];
  ladders: { buy: Ladder[]; sell: Ladder[] };
  stats: BookStats;
} {
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  const last = sorted[sorted.length - 1];
  const n = last.series.length;
  const D = sorted.length;
  const buy: Ladder[] = [];
  const sell: Ladder[] = [];
  const series: BookPeriod[] = [];
  let maxLevels = 0;
  for (let i = 0; i < n; i++) {
    buy.push(
      mergeLadders(
        sorted.map((d) => d.ladders.buy[i] ?? []),
        1 / D,
      ),
    );
    sell.push(
      mergeLadders(
        sorted.map((d) => d.ladders.sell[i] ?? []),
        1 / D,
      ),
    );
    maxLevels = Math.max(maxLevels, buy[i].length, sell[i].length);
    const points = sorted.map((d) => d.series[i]);
    const vols = points.flatMap((p) =>
      p.volume === null || p.volume === undefined ? [] : [p.volume],
    );
    const trades = points.flatMap((p) =>
      p.trades === null || p.trades === undefined ? [] : [p.trades],
    );
    series.push({
      start: last.series[i].start,
      mid: last.series[i].mid,
      spread: mean(points.flatMap((p) => (p.spread === null ? [] : [p.spread]))),
      bidDepth: ladderDepth(sell[i]),
      askDepth: ladderDepth(buy[i]),
      coverage: mean(points.map((p) => p.coverage ?? (p.mid === null ? 0 : 1)))!,
      volume: mean(vols),
      trades: trades.length ? Math.round(mean(trades)!) : null,
      effectiveSpread: mean(
        points.flatMap((p) =>
          p.effectiveSpread === null || p.effectiveSpread === undefined ? [] : [p.effectiveSpread],
        ),
      ),
    });
  }
  const sigmas = sorted.flatMap((d) => (d.stats?.sigma ? [d.stats.sigma] : []));
  let sigma: Volatility | null = null;
  if (sigmas.length) {
    const v = mean(sigmas.map((s) => s.value ** 2))!;
    const local = Array.from({ length: n }, (_, t) =>
      mean(sigmas.map((s) => s.value ** 2 * (s.profile[t] ?? 1) ** 2))!,
    );
    sigma = {
      value: Math.sqrt(v),
      changes: sigmas.reduce((a, s) => a + s.changes, 0),
      window: sigmas[0].window,
      profile: local.map((x) => Number(Math.sqrt(x / v).toPrecision(12))),
    };
  }
  // Longest run of periods no day covered.
  let best: [number, number] | null = null;
  for (let i = 0; i < n;) {
    if ((series[i].coverage ?? 0) > 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && (series[j].coverage ?? 0) === 0) j++;
    if (!best || j - i > best[1] - best[0]) best = [i, j];
    i = j;
  }
  const periodMinutes =
    clockMinutes(last.series[1]?.start ?? last.series[0].start) -
      clockMinutes(last.series[0].start) || 0;
  const dayVolumes = sorted.flatMap((d) =>
    d.stats?.volume === null || !d.stats ? [] : [d.stats.volume],
  );
  const dayTrades = sorted.flatMap((d) =>
    d.stats?.trades === null || !d.stats ? [] : [d.stats.trades],
  );
  const starts = sorted.flatMap((d) => (d.stats?.dataStart ? [d.stats.dataStart] : [])).sort();
  const ends = sorted.flatMap((d) => (d.stats?.dataEnd ? [d.stats.dataEnd] : [])).sort();
  const samplings = new Set(sorted.map((d) => d.stats?.sampling ?? 'start'));
  const stats: BookStats = {
    sampling: samplings.size === 1 ? [...samplings][0] : 'average',
    coveredPeriods: series.filter((p) => (p.coverage ?? 0) > 0).length,
    partialPeriods: series.filter((p) => (p.coverage ?? 0) > 0 && (p.coverage ?? 0) < 1 - 1e-9)
      .length,
    largestGap: best
      ? {
          from: series[best[0]].start,
          to:
            best[1] < n
              ? series[best[1]].start
              : clockLabelAfter(series[n - 1].start, periodMinutes),
          minutes: (best[1] - best[0]) * periodMinutes,
        }
      : null,
    dataStart: starts[0] ?? null,
    dataEnd: ends[ends.length - 1] ?? null,
    volume: mean(dayVolumes),
    trades: dayTrades.length ? Math.round(mean(dayTrades)!) : null,
    sigma,
    arrival: last.stats?.arrival ?? null,
    maxLevels,
    days: sorted.map((d) => ({ id: d.id, date: d.date, fileName: d.fileName })),
  };
  return { series, ladders: { buy, sell }, stats };
}

function clockLabelAfter(label: string, minutes: number): string {
  return clockLabel((clockMinutes(label) + minutes) * 60);
}
