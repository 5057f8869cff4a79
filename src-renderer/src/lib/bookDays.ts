/**
 * Which imported datasets can be averaged (pure helpers of the book state): single days of
 * one symbol, on one period grid and session, with one sampling, no date twice.
 */
import type { BookSummary } from '@shared/contract';

/** An average of several days (not a day that can be replayed or averaged again). */
export const isAverage = (b: BookSummary): boolean => b.stats.days !== undefined;

/** What must match for days to be averaged (symbol, period grid, session, sampling). */
export const gridKey = (b: BookSummary): string =>
  `${b.symbol}|${b.periods}|${b.periodMinutes}|${b.sessionStart}|${b.sessionEnd}|${b.timeZone}|${b.stats.sampling}`;

/** Why these datasets cannot be averaged, or null when they can. */
export function averageProblem(days: BookSummary[]): string | null {
  if (days.length < 2) return 'Tick two or more single days of one symbol to average them.';
  const symbols = [...new Set(days.map((d) => d.symbol))];
  if (symbols.length > 1)
    return `The ticked days are of different symbols (${symbols.join(', ')}): average one symbol.`;
  const grids = new Set(
    days.map(
      (d) => `${d.periods}|${d.periodMinutes}|${d.sessionStart}|${d.sessionEnd}|${d.timeZone}`,
    ),
  );
  if (grids.size > 1)
    return 'The ticked days have different periods or sessions: import them with the same settings.';
  if (new Set(days.map((d) => d.stats.sampling)).size > 1)
    return 'The ticked days were imported with different sampling: import them alike.';
  const dates = days.map((d) => d.date);
  const twice = dates.find((d, i) => dates.indexOf(d) !== i);
  if (twice) return `Two of the ticked datasets are of the same day ${twice}: tick one of them.`;
  return null;
}

/** The single days among `imported` in groups that share a grid, two days or more each. */
export function daysToAverage(imported: BookSummary[]): BookSummary[][] {
  const groups: Record<string, BookSummary[]> = {};
  for (const s of imported) {
    if (isAverage(s)) continue;
    const group = (groups[gridKey(s)] ??= []);
    if (!group.some((g) => g.id === s.id)) group.push(s);
  }
  return Object.values(groups).filter((g) => g.length >= 2);
}
