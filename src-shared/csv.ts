/**
 * Schedule → CSV (the CLI's `--csv` and the window's "export CSV"). Columns: period, start, end,
 * shares, cumulative shares, % complete, impact per share, cost, cost bps. Times are blank
 * without a session, bps blank without a reference price; money and impact columns carry 12
 * significant digits. Written with papaparse's unparse.
 */
import Papa from 'papaparse';
import type { SolveResult } from './result';

export const SCHEDULE_CSV_COLUMNS = [
  'period',
  'start',
  'end',
  'shares',
  'cumulative shares',
  '% complete',
  'impact per share',
  'cost',
  'cost bps',
] as const;

export function scheduleToCsv(result: Pick<SolveResult, 'schedule'>, newline = '\n'): string {
  const total = result.schedule.reduce((s, r) => s + r.shares, 0);
  let cumulative = 0;
  const data = result.schedule.map((r) => {
    cumulative += r.shares;
    return [
      r.period,
      r.start ?? '',
      r.end ?? '',
      r.shares,
      cumulative,
      total > 0 ? round((cumulative / total) * 100, 6) : 0,
      sig(r.impactPerShare),
      sig(r.cost),
      r.costBps === null ? '' : sig(r.costBps),
    ];
  });
  return Papa.unparse({ fields: [...SCHEDULE_CSV_COLUMNS], data }, { newline }) + newline;
}

/** A file name for the exported schedule, e.g. "FROG-buy-schedule.csv". */
export function scheduleCsvFileName(symbol: string, side: 'buy' | 'sell'): string {
  return `${symbol.replace(/[^A-Za-z0-9._-]/g, '_')}-${side}-schedule.csv`;
}

// ---------------------------------------------------------------------------------------
// Helpers

/** 12 significant digits: drops binary noise such as 0.00047999999999999996. */
function sig(v: number): number {
  return Number(v.toPrecision(12));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
