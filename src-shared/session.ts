/**
 * Clock labels of the periods: the session [start, end) split into N equal periods. Labels are
 * "HH:MM" when every period is a whole number of minutes, "HH:MM:SS" otherwise (rounded to the
 * second). Local clock times of the session's time zone.
 *
 * The session's trading day: the default day of an export (the next trading day in the
 * session's time zone) and the check that a day can hold the session (not a weekend or an
 * exchange holiday, and not past an early close).
 */
import { localToUtcMs, zonedParts } from './book';
import {
  EARLY_CLOSE,
  EXCHANGE_TIME_ZONE,
  closeTime,
  closedReason,
  earlyClose,
  isTradingDay,
  nextTradingDay,
} from './calendar';
import { clockMinutes, type Session } from './plan';

export interface PeriodLabel {
  start: string;
  end: string;
}

/** One label per period, or null when the plan has no session. */
export function periodLabels(session: Session | undefined, n: number): PeriodLabel[] | null {
  if (!session) return null;
  const startSec = clockMinutes(session.start) * 60;
  const totalSec = (clockMinutes(session.end) - clockMinutes(session.start)) * 60;
  const wholeMinutes = totalSec % n === 0 && (totalSec / n) % 60 === 0;
  const at = (i: number) => startSec + Math.round((i * totalSec) / n);
  const fmt = wholeMinutes ? hhmm : hhmmss;
  const labels: PeriodLabel[] = new Array(n);
  let prev = fmt(at(0));
  for (let i = 0; i < n; i++) {
    const next = fmt(at(i + 1));
    labels[i] = { start: prev, end: next };
    prev = next;
  }
  return labels;
}

/** Length of one period in seconds (may be fractional), or null without a session. */
export function periodSeconds(session: Session | undefined, n: number): number | null {
  if (!session) return null;
  return ((clockMinutes(session.end) - clockMinutes(session.start)) * 60) / n;
}

/** The session's time zone, or the machine's without a session. */
export function sessionTimeZone(session: Pick<Session, 'timeZone'> | undefined): string {
  return session?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Today "YYYY-MM-DD" in a time zone. */
export function todayIn(timeZone: string, now: number = Date.now()): string {
  const p = zonedParts(now, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/**
 * The default trading day of a schedule: today (in the session's time zone) when it is a
 * trading day and the session has not ended yet (its end, or the exchange's close when that is
 * earlier), otherwise the next trading day. Without a session the exchange's close decides.
 */
export function defaultTradingDay(session: Session | undefined, now: number = Date.now()): string {
  const today = todayIn(sessionTimeZone(session), now);
  if (!isTradingDay(today)) return nextTradingDay(today);
  const close = localToUtcMs(today, clockMinutes(closeTime(today)!), EXCHANGE_TIME_ZONE);
  const end = session
    ? Math.min(close, localToUtcMs(today, clockMinutes(session.end), session.timeZone))
    : close;
  return now < end ? today : nextTradingDay(today);
}

/**
 * Why a session cannot run on `date` ("2026-12-25 is a market holiday (Christmas Day)",
 * "2026-12-05 is a Saturday", or an early close the session runs past), null when it can. The
 * day is a New York calendar day; the session's clock is read in its own time zone.
 */
export function sessionDayProblem(date: string, session: Session | undefined): string | null {
  const closed = closedReason(date);
  if (closed) return closed;
  if (!session || !earlyClose(date)) return null;
  const close = localToUtcMs(date, clockMinutes(EARLY_CLOSE), EXCHANGE_TIME_ZONE);
  const end = localToUtcMs(date, clockMinutes(session.end), session.timeZone);
  if (end <= close) return null;
  const zone = session.timeZone === EXCHANGE_TIME_ZONE ? '' : ` ${session.timeZone}`;
  return (
    `${date} is an early close: the exchange closes at ${EARLY_CLOSE} New York time and the ` +
    `session runs to ${session.end}${zone}; end the session by ${EARLY_CLOSE} or pick another day`
  );
}

// ---------------------------------------------------------------------------------------
// Helpers

function hhmm(sec: number): string {
  return `${pad(Math.floor(sec / 3600))}:${pad(Math.floor(sec / 60) % 60)}`;
}

function hhmmss(sec: number): string {
  return `${hhmm(sec)}:${pad(sec % 60)}`;
}

function pad(v: number): string {
  return String(v).padStart(2, '0');
}
