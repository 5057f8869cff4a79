/**
 * Several "days" from one day of Databento MBP-10 CSV: the session is cut into clock windows
 * of equal length and each window poses as a day — its timestamps are shifted so every
 * window covers the same clock time (the first window's) on a different date (window k on
 * the base date + k days), and the book in effect at the window's start (the last row
 * before it with a two-sided, uncrossed top of book) is carried in as its first row, stamped
 * at the window start with action N (a book row, never volume).
 *
 *   const text = readFrogCsv();                          // null when the data is absent
 *   const days = cutDays(text, { windowMinutes: 30 });   // [{ date, session, csv }, …]
 *   const books = days.map((d) => parseDay(d, 1));       // ParsedBook per window
 *
 * Only the window starting at the real open is read with auction prints (`auctions`): any
 * other window's first trade is a continuous trade of the real day, not an opening cross.
 *
 * Timestamps must be ISO-8601 (Databento's CSV layout), not integer nanoseconds.
 * Used by the calibration check (test/validation/calibrationCheck.ts) and meant for any
 * out-of-sample check on the real sample. The data stays in ../shared/data beside the
 * repository (never copied into it): `readFrogCsv` unzips it to memory and returns null when it is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { clockLabel, nextDate, utcToLocal } from '@shared/book';
import type { Session } from '@shared/plan';
import { Mbp10Parser, type ParsedBook } from '../../src-main/book/mbp10';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** The sample in the data folder beside the repository (../shared/data). */
export const FROG_ZIP = resolve(REPO_ROOT, '../shared/data/FROG_2025-04-03.zip');
/** A worktree sits one level deeper (<root>/wt/<name>): the same folder, one more level up. */
const FROG_ZIP_WORKTREE = resolve(REPO_ROOT, '../../shared/data/FROG_2025-04-03.zip');
export const FROG_CSV_NAME = 'FROG_2025-04-03 00_00_00+00_00.csv';
/** What a check says when the sample is not there. */
export const FROG_MISSING = 'data missing: ../shared/data/FROG_2025-04-03.zip not found';

/** Where the sample is, or null when the data folder is absent. */
export function frogZipPath(): string | null {
  for (const p of [FROG_ZIP, FROG_ZIP_WORKTREE]) if (existsSync(p)) return p;
  return null;
}

/** The FROG CSV as text (unzipped to memory with `unzip -p`), or null when absent. */
export function readFrogCsv(): string | null {
  const zip = frogZipPath();
  if (!zip) return null;
  return execFileSync('unzip', ['-p', zip, FROG_CSV_NAME], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
}

export interface CutOptions {
  /** Length of each window (minutes); the session must hold whole windows. */
  windowMinutes: number;
  /** The real session the file covers, in UTC clock (default 13:30–20:00, 09:30–16:00 New York in April). */
  utcStart?: string;
  utcEnd?: string;
  /** The file's date (default: from its first row). */
  date?: string;
  /** Zone of the windows' Session (default America/New_York); its clock is the first window's. */
  timeZone?: string;
  /** The real opening time (UTC clock, default 13:30): the window starting then holds the
   *  opening auction; every other window starts inside continuous trading. */
  openUtc?: string;
}

export interface CutDay {
  /** 0-based window index. */
  index: number;
  /** The date the window poses as (base date + index days). */
  date: string;
  /** The real clock window it came from (UTC), e.g. "14:00–14:30". */
  window: string;
  /** Session of every cut day (same clock for all). */
  session: Session;
  /** The window's CSV: the header, the carried book row, then its rows, shifted. */
  csv: string;
  rows: number;
  /**
   * Whether the window starts at the real open (its first print is the opening auction).
   * A window from inside the session has no auction: its first trade is continuous volume.
   */
  auctions: boolean;
}

const TS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

function clockMin(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Parse an ISO timestamp into [ms of the whole second (UTC), fraction text, zone text]. */
function parseTs(raw: string): { ms: number; frac: string; zone: string } | null {
  const m = TS.exec(raw.trim());
  if (!m) return null;
  const [y, mo, d] = m[1].split('-').map(Number);
  const zone = m[6] ?? '';
  let offset = 0;
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const ms = Date.UTC(y, mo - 1, d, Number(m[2]), Number(m[3]), Number(m[4])) - offset * 60_000;
  return { ms, frac: m[5] ?? '', zone };
}

/** Format as "YYYY-MM-DD HH:MM:SS<frac>+00:00" (UTC), the Databento layout. */
function formatTs(ms: number, frac: string): string {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac}+00:00`;
}

/**
 * Cut one day's MBP-10 CSV into windows posing as days. Rows outside the session are
 * dropped; timestamp columns (every ts_event, ts_recv) are shifted by
 * (k days − k·windowMinutes).
 */
export function cutDays(csv: string, opts: CutOptions): CutDay[] {
  const lines = csv.split(/\r?\n/);
  const header = lines[0];
  const cols = header.split(',');
  const tsCols = cols.flatMap((c, i) => (c === 'ts_event' || c === 'ts_recv' ? [i] : []));
  // Rows are assigned by their (first) ts_event, as the import reads them.
  const evCol = cols.indexOf('ts_event');
  const actionCol = cols.indexOf('action');
  const bid0 = cols.indexOf('bid_px_00');
  const ask0 = cols.indexOf('ask_px_00');
  if (evCol < 0 || bid0 < 0 || ask0 < 0) {
    throw new Error('csv: not a Databento MBP-10 CSV (ts_event, bid_px_00, ask_px_00 needed)');
  }
  const firstRow = lines.slice(1).find((l) => l.trim() !== '');
  const first = firstRow ? parseTs(firstRow.split(',')[evCol]) : null;
  if (!first) throw new Error('csv: no row with a readable ts_event');
  const baseDate = opts.date ?? new Date(first.ms).toISOString().slice(0, 10);
  const startMin = clockMin(opts.utcStart ?? '13:30');
  const endMin = clockMin(opts.utcEnd ?? '20:00');
  const L = opts.windowMinutes;
  if (!(L > 0) || (endMin - startMin) % L !== 0) {
    throw new Error(`windowMinutes: ${L} does not divide the ${endMin - startMin}-minute session`);
  }
  const count = (endMin - startMin) / L;
  const [by, bm, bd] = baseDate.split('-').map(Number);
  const dayStart = Date.UTC(by, bm - 1, bd);
  const windowStart = (k: number) => dayStart + (startMin + k * L) * 60_000;
  const timeZone = opts.timeZone ?? 'America/New_York';
  const localStart = clockLabel(utcToLocal(windowStart(0), timeZone).minutes * 60);
  const session: Session = {
    start: localStart,
    end: clockLabel((clockMin(localStart) + L) * 60),
    timeZone,
  };

  const out: string[][] = Array.from({ length: count }, () => []);
  const carried: (string[] | null)[] = new Array(count).fill(null);
  let lastGood: string[] | null = null;
  let k = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const f = line.split(',');
    const ts = parseTs(f[evCol] ?? '');
    if (!ts) continue;
    while (k < count && ts.ms >= windowStart(k + 1)) k++;
    if (ts.ms >= windowStart(0)) {
      for (let w = 0; w < count && ts.ms >= windowStart(w); w++)
        if (carried[w] === null && lastGood) carried[w] = lastGood;
    }
    if (k < count && ts.ms >= windowStart(k)) out[k].push(shiftRow(f, tsCols, k, L));
    const b = Number(f[bid0]);
    const a = Number(f[ask0]);
    if (f[bid0] !== '' && f[ask0] !== '' && b > 0 && a > b) lastGood = f;
  }
  const dates: string[] = [baseDate];
  for (let i = 1; i < count; i++) dates.push(nextDate(dates[i - 1]));
  return out.map((rows, index) => {
    const body: string[] = [header];
    const c = carried[index];
    if (c) {
      const row = [...c];
      const at = formatTs(windowStart(0) + index * 86_400_000, '.000000000');
      for (const col of tsCols) row[col] = at;
      if (actionCol >= 0) row[actionCol] = 'N';
      body.push(row.join(','));
    }
    body.push(...rows);
    const from = clockLabel((startMin + index * L) * 60);
    const to = clockLabel((startMin + (index + 1) * L) * 60);
    return {
      index,
      date: dates[index],
      window: `${from}–${to} UTC`,
      session,
      csv: body.join('\n') + '\n',
      rows: body.length - 1,
      auctions: startMin + index * L === clockMin(opts.openUtc ?? '13:30'),
    };
  });
}

function shiftRow(f: string[], tsCols: number[], k: number, L: number): string {
  const row = [...f];
  const shift = k * 86_400_000 - k * L * 60_000;
  for (const col of tsCols) {
    const ts = parseTs(row[col]);
    if (ts) row[col] = formatTs(ts.ms + shift, ts.frac);
  }
  return row.join(',');
}

/** Parse a cut day with the import's own parser (periods of `periodMinutes`). */
export function parseDay(
  day: CutDay,
  periodMinutes: number,
  sampling: 'average' | 'start' = 'average',
): ParsedBook {
  const parser = new Mbp10Parser({
    periodMinutes,
    session: day.session,
    date: day.date,
    sampling,
    auctions: day.auctions,
  });
  parser.push(new TextEncoder().encode(day.csv));
  return parser.finish();
}
