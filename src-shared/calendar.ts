/**
 * The NYSE trading calendar, computed by rule for any year (no list that runs out): weekends,
 * the exchange's ten holidays with their observed days, and the 13:00 early closes. Dates are
 * "YYYY-MM-DD" days of the New York calendar. docs/calendar.md states the rules and the
 * exchange's exceptions.
 *
 * Holidays (NYSE Rule 7.2): New Year's Day, Martin Luther King Jr. Day (third Monday of
 * January, from 1998), Washington's Birthday (third Monday of February), Good Friday (two days
 * before Western Easter), Memorial Day (last Monday of May), Juneteenth (June 19, from 2022),
 * Independence Day, Labor Day (first Monday of September), Thanksgiving (fourth Thursday of
 * November) and Christmas Day. A holiday on a Sunday is observed the Monday after, on a
 * Saturday the Friday before, except New Year's Day: the Friday before is December 31, the last
 * day of the year's accounting period, and the exchange stays open.
 *
 * Early closes at 13:00: the day after Thanksgiving; Christmas Eve when it is a trading day
 * (Monday to Thursday); July 3 when it is a trading day and Independence Day itself is a weekday
 * (July 3 Monday to Thursday). When July 4 falls on a weekend the day before the observed
 * holiday is a full day (2020, 2021, 2026, 2027 had or have no early close in July).
 */

/** The time of an early close, New York time. */
export const EARLY_CLOSE = '13:00';
/** The regular close, New York time. */
export const REGULAR_CLOSE = '16:00';
/** The exchange's time zone: the calendar's days are New York days. */
export const EXCHANGE_TIME_ZONE = 'America/New_York';

const WEEKDAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

/** The shape of a date: "YYYY-MM-DD" (isCalendarDate checks that the day exists). */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** "YYYY-MM-DD" that is a real day of the Gregorian calendar ("2025-02-30" is not). */
export function isCalendarDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const [y, m, d] = parts(text);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** "Saturday", "Monday", … of a date. */
export function weekdayName(date: string): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[weekday(date)];
}

/**
 * The holiday the exchange is closed for on this day ("Christmas Day", "Independence Day
 * (observed)"), or null when it is not a holiday (weekends are not holidays).
 */
export function holidayName(date: string): string | null {
  return holidaysOf(year(date)).get(date) ?? null;
}

/** A weekday that is not an exchange holiday. */
export function isTradingDay(date: string): boolean {
  const w = weekday(date);
  return w !== 0 && w !== 6 && holidayName(date) === null;
}

/** "13:00" when the exchange closes early that day, else null (also null on closed days). */
export function earlyClose(date: string): typeof EARLY_CLOSE | null {
  return isTradingDay(date) && earlyClosesOf(year(date)).has(date) ? EARLY_CLOSE : null;
}

/** The exchange's close on a trading day ("16:00" or "13:00"), null on a closed day. */
export function closeTime(date: string): string | null {
  if (!isTradingDay(date)) return null;
  return earlyClose(date) ?? REGULAR_CLOSE;
}

/** The first trading day strictly after `date`. */
export function nextTradingDay(date: string): string {
  let d = addDays(date, 1);
  while (!isTradingDay(d)) d = addDays(d, 1);
  return d;
}

/** `date` itself when it is a trading day, else the next one. */
export function tradingDayOnOrAfter(date: string): string {
  return isTradingDay(date) ? date : nextTradingDay(date);
}

/**
 * Why the exchange does not trade on `date`: "2026-12-25 is a market holiday (Christmas Day)",
 * "2026-12-05 is a Saturday"; null on a trading day.
 */
export function closedReason(date: string): string | null {
  const w = weekday(date);
  if (w === 0 || w === 6) return `${date} is a ${WEEKDAYS[w]}`;
  const h = holidayName(date);
  return h === null ? null : `${date} is a market holiday (${h})`;
}

/** Every holiday of a year with its name, in date order (observed days, as the exchange closes). */
export function holidays(y: number): { date: string; name: string }[] {
  return [...holidaysOf(y)]
    .map(([date, name]) => ({ date, name }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** Every early close of a year, in date order. */
export function earlyCloses(y: number): string[] {
  return [...earlyClosesOf(y)].filter((d) => isTradingDay(d)).sort();
}

/** "YYYY-MM-DD" plus n days (n may be negative). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = parts(date);
  return iso(new Date(Date.UTC(y, m - 1, d + n)));
}

// ---------------------------------------------------------------------------------------
// Rules

const holidayCache = new Map<number, Map<string, string>>();

/**
 * The closed days of the calendar year `y`, keyed by date. A holiday of year y+1 observed in
 * year y would land here too, but the only candidate (New Year's Day on a Saturday) is the
 * exception that is not observed.
 */
function holidaysOf(y: number): Map<string, string> {
  let map = holidayCache.get(y);
  if (map) return map;
  map = new Map();
  const add = (date: string, name: string) => map!.set(date, name);
  const fixed = (month: number, day: number, name: string, saturdayToFriday = true) => {
    const date = ymd(y, month, day);
    const w = weekday(date);
    if (w === 6) {
      if (saturdayToFriday) add(addDays(date, -1), `${name} (observed)`);
    } else if (w === 0) add(addDays(date, 1), `${name} (observed)`);
    else add(date, name);
  };
  // New Year's Day on a Saturday is not observed on December 31 of the year before.
  fixed(1, 1, "New Year's Day", false);
  if (y >= 1998) add(nthWeekday(y, 1, 1, 3), 'Martin Luther King Jr. Day');
  add(nthWeekday(y, 2, 1, 3), "Washington's Birthday");
  add(addDays(easterSunday(y), -2), 'Good Friday');
  add(lastWeekday(y, 5, 1), 'Memorial Day');
  if (y >= 2022) fixed(6, 19, 'Juneteenth National Independence Day');
  fixed(7, 4, 'Independence Day');
  add(nthWeekday(y, 9, 1, 1), 'Labor Day');
  add(thanksgiving(y), 'Thanksgiving Day');
  fixed(12, 25, 'Christmas Day');
  holidayCache.set(y, map);
  return map;
}

/** Candidate early closes; the ones that are not trading days are dropped by the callers. */
function earlyClosesOf(y: number): Set<string> {
  const out = new Set<string>();
  out.add(addDays(thanksgiving(y), 1));
  const christmasEve = ymd(y, 12, 24);
  if (isWeekday(christmasEve)) out.add(christmasEve);
  const july3 = ymd(y, 7, 3);
  if (isWeekday(july3) && isWeekday(ymd(y, 7, 4))) out.add(july3);
  return out;
}

function thanksgiving(y: number): string {
  return nthWeekday(y, 11, 4, 4);
}

/** The n-th given weekday (0 = Sunday) of a month. */
function nthWeekday(y: number, month: number, wd: number, n: number): string {
  const first = weekday(ymd(y, month, 1));
  return ymd(y, month, 1 + ((wd - first + 7) % 7) + (n - 1) * 7);
}

/** The last given weekday of a month. */
function lastWeekday(y: number, month: number, wd: number): string {
  const lastDay = new Date(Date.UTC(y, month, 0)).getUTCDate();
  const last = weekday(ymd(y, month, lastDay));
  return ymd(y, month, lastDay - ((last - wd + 7) % 7));
}

/** Western (Gregorian) Easter Sunday: the anonymous Gregorian computus (Meeus/Jones/Butcher). */
export function easterSunday(y: number): string {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(y, month, day);
}

// ---------------------------------------------------------------------------------------
// Helpers

function isWeekday(date: string): boolean {
  const w = weekday(date);
  return w !== 0 && w !== 6;
}

function weekday(date: string): number {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

function year(date: string): number {
  return Number(date.slice(0, 4));
}

function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y, m, d];
}

function ymd(y: number, month: number, day: number): string {
  return iso(new Date(Date.UTC(y, month - 1, day)));
}

function iso(t: Date): string {
  return t.toISOString().slice(0, 10);
}
