/**
 * The printed report's pure parts: its paper size from the locale, and the schedule cut down
 * to what fits its page (consecutive periods summed into rows of a round number of periods).
 */
import type { ReportPageSize } from '@shared/contract';
import type { ScheduleRow } from '@shared/result';

/** Regions that print on US Letter; everyone else on A4. */
const LETTER_REGIONS = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'PR', 'GT', 'CR']);

/** A4, or Letter where the locale's region uses it ("en-US", "es-MX", "fr-CA"). */
export function pageSizeForLocale(locale: string | undefined): ReportPageSize {
  if (!locale) return 'A4';
  let region: string | undefined;
  try {
    region = new Intl.Locale(locale).maximize().region;
  } catch {
    return 'A4';
  }
  return region && LETTER_REGIONS.has(region) ? 'Letter' : 'A4';
}

/** Rows of the printed schedule: at most this many fit its page. */
export const REPORT_SCHEDULE_ROWS = 48;

/** Periods per row, round numbers (10 one-minute periods: 10 minutes; 600 seconds: 10 min). */
const STEPS = [1, 2, 3, 5, 6, 10, 12, 15, 20, 30, 60, 90, 120, 180, 300, 600, 900, 1200, 1800];

export interface ReportRow {
  /** "7", or "11–20" for a row of several periods. */
  periods: string;
  /** "09:30" or "09:30–09:40"; "" without a session. */
  time: string;
  shares: number;
  /** Shares done by the row's end, and as % of the order. */
  cumulative: number;
  pct: number;
  cost: number;
  /** Expected market volume of the row's periods and the order's share of it (null: no volume
   *  profile, or no volume in the row). */
  volume: number | null;
  participation: number | null;
}

export interface ReportSchedule {
  rows: ReportRow[];
  /** Periods per row (1: the schedule as it is). */
  step: number;
  periods: number;
}

/** The schedule in at most `maxRows` rows, `step` consecutive periods summed per row. */
export function reportSchedule(
  schedule: ScheduleRow[],
  maxRows = REPORT_SCHEDULE_ROWS,
): ReportSchedule {
  const n = schedule.length;
  const needed = Math.ceil(n / maxRows);
  const step =
    needed <= 1 ? 1 : (STEPS.find((s) => s >= needed) ?? Math.ceil(needed / 3600) * 3600);
  const total = schedule.reduce((a, r) => a + r.shares, 0);
  const rows: ReportRow[] = [];
  let cumulative = 0;
  for (let i = 0; i < n; i += step) {
    const part = schedule.slice(i, i + step);
    const first = part[0];
    const last = part[part.length - 1];
    const shares = part.reduce((a, r) => a + r.shares, 0);
    cumulative += shares;
    const withVolume = part.some((r) => r.expectedVolume != null);
    const volume = withVolume ? part.reduce((a, r) => a + (r.expectedVolume ?? 0), 0) : null;
    rows.push({
      periods: part.length === 1 ? String(first.period) : `${first.period}–${last.period}`,
      time:
        first.start === null
          ? ''
          : part.length === 1 && step === 1
            ? first.start
            : `${first.start}–${last.end ?? ''}`,
      shares,
      cumulative,
      pct: total > 0 ? (cumulative / total) * 100 : 0,
      cost: part.reduce((a, r) => a + r.cost, 0),
      volume,
      participation: volume !== null && volume > 0 ? shares / volume : null,
    });
  }
  return { rows, step, periods: n };
}
