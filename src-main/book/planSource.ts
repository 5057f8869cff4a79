/**
 * The plan source of imported days: one day as it is, several days of one symbol checked to
 * match (checkDaysMatch) and averaged (averageDays), with each day as measured for the
 * calibration. Stored datasets (the app's validation) and freshly imported files (the CLI's
 * book-plan and validate) both build their sources here.
 */
import {
  averageDays,
  checkDaysMatch,
  type BookDay,
  type BookPlanSource,
  type BookStats,
  type DayKey,
  type Ladder,
} from '@shared/book';

/** One imported day, stored or fresh: what averaging needs of it (its id in an average's
 *  statistics is a dataset id, or the file name) and its own statistics. */
export interface PlanDay extends Omit<DayKey, 'sampling' | 'averaged'>, Omit<BookDay, 'stats'> {
  /** The books in effect at the period starts (absent in datasets stored before them). */
  replayLadders?: { buy: Ladder[]; sell: Ladder[] };
  stats: BookStats;
}

/** One day as the calibration reads it: its own series and stats, and the books in effect at
 *  the period starts (the ladders a child order walks). */
export function calibrationDayOf(d: PlanDay): NonNullable<BookPlanSource['days']>[number] {
  return {
    date: d.date,
    series: d.series,
    ladders: d.replayLadders ?? d.ladders,
    stats: d.stats,
  };
}

/** Several days, checked to match and averaged. */
export function averagePlanDays(days: PlanDay[]): ReturnType<typeof averageDays> {
  checkDaysMatch(
    days.map((d) => ({
      fileName: d.fileName,
      symbol: d.symbol,
      date: d.date,
      periods: d.periods,
      periodMinutes: d.periodMinutes,
      session: d.session,
      sampling: d.stats.sampling,
      averaged: d.stats.days !== undefined,
    })),
  );
  return averageDays(
    days.map((d) => ({
      id: d.id,
      date: d.date,
      fileName: d.fileName,
      series: d.series,
      ladders: d.ladders,
      stats: d.stats,
    })),
  );
}

/** The plan source of days: one as it is, several averaged (their dates as a range, their
 *  file names listed). */
export function planSourceOfDays(days: PlanDay[]): BookPlanSource {
  const first = days[0];
  // Each day as measured (the calibration's robust estimates over days).
  const perDay = days.map(calibrationDayOf);
  if (days.length === 1) {
    return {
      symbol: first.symbol,
      date: first.date,
      fileName: first.fileName,
      periods: first.periods,
      periodMinutes: first.periodMinutes,
      session: first.session,
      series: first.series,
      ladders: first.ladders,
      stats: first.stats,
      days: perDay,
    };
  }
  const avg = averagePlanDays(days);
  const dates = avg.stats.days!.map((d) => d.date);
  return {
    symbol: first.symbol,
    date: `${dates[0]}…${dates[dates.length - 1]}`,
    fileName: days.map((d) => d.fileName).join(', '),
    periods: first.periods,
    periodMinutes: first.periodMinutes,
    session: first.session,
    series: avg.series,
    ladders: avg.ladders,
    stats: avg.stats,
    days: perDay,
  };
}
