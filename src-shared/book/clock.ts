/**
 * Session clock ↔ UTC (time-zone rules from Intl, never hand-coded offsets): wall-clock
 * fields, zone offsets, local dates and minutes, clock labels, periods in a session and a
 * gap's length in words.
 */
import { clockMinutes, type Session } from '../plan';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of a UTC instant (ms) in a zone. */
export function zonedParts(
  utcMs: number,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (p.type in out) out[p.type as keyof typeof out] = Number(p.value);
  }
  return out;
}

/** Offset of the zone from UTC at that instant, in ms (New York in April: −4 h). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const whole = Math.floor(utcMs / 1000) * 1000;
  const p = zonedParts(whole, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

/** UTC instant (ms) of a local date "YYYY-MM-DD" at minutes after local midnight. */
export function localToUtcMs(date: string, minutes: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d) + minutes * 60_000;
  const first = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(first, timeZone);
  return second;
}

/** Local date "YYYY-MM-DD" and minutes after local midnight of a UTC instant. */
export function utcToLocal(utcMs: number, timeZone: string): { date: string; minutes: number } {
  const p = zonedParts(utcMs, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
    minutes: p.hour * 60 + p.minute + p.second / 60,
  };
}

/** "YYYY-MM-DD" + one day. */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Clock label of a number of seconds after local midnight: "09:30" or "09:30:30". */
export function clockLabel(secondsOfDay: number): string {
  const s = Math.round(secondsOfDay);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}`;
  return s % 60 ? `${hm}:${pad(s % 60)}` : hm;
}

/** Number of periods of `periodMinutes` in the session (the import refuses a length that does not divide it). */
export function sessionPeriods(session: Session, periodMinutes: number): number {
  const minutes = clockMinutes(session.end) - clockMinutes(session.start);
  return Math.ceil(minutes / periodMinutes - 1e-9);
}

/** A gap's length in words: "42 s", "12.5 min", "4 h 12 min". */
export function fmtGapLength(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 60) return `${Number(minutes.toFixed(1))} min`;
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  return m === 60 ? `${h + 1} h` : m ? `${h} h ${m} min` : `${h} h`;
}
