/**
 * Clock labels of the periods: the session [start, end) split into N equal periods. Labels are
 * "HH:MM" when every period is a whole number of minutes, "HH:MM:SS" otherwise (rounded to the
 * second). Local clock times of the session's time zone; no date arithmetic is needed.
 */
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
