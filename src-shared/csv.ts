/**
 * Schedule → CSV (the CLI's `--csv` and the window's "export CSV"). Columns: period, start, end,
 * shares, cumulative shares, % complete, impact per share, cost, cost bps, and — when the
 * result's rows carry them (risk-aware results) — remaining shares, risk variance, expected
 * volume and participation. Times are blank without a session, bps, expected volume and
 * participation blank when unknown; money and impact columns carry 12 significant digits.
 *
 * A result with pre-trade metrics starts with a block of `#` lines giving the totals (expected
 * cost, timing risk SD, 95% upper bound, each also in bps when known, and the risk aversion),
 * one `# name: value` per line; papaparse skips them with `comments: '#'`, and no data row
 * starts with `#`. Written with papaparse's unparse.
 */
import Papa from 'papaparse';
import type { ScheduleRow, SolveResult } from './result';

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

/**
 * Columns added after SCHEDULE_CSV_COLUMNS, each only when some row of the result has the field:
 * shares still to trade after the period, its σ²·h² share of the timing-risk variance (price
 * units²), the period's expected market volume and the order's share of it (a fraction).
 */
export const SCHEDULE_CSV_RISK_COLUMNS = [
  ['remaining shares', 'remaining'],
  ['risk variance', 'riskVariance'],
  ['expected volume', 'expectedVolume'],
  ['participation', 'participation'],
] as const satisfies readonly (readonly [string, keyof ScheduleRow])[];

/** The names of the `#` header lines, in order (a line is left out when its value is unknown). */
export const SCHEDULE_CSV_TOTALS = [
  'expected cost',
  'expected cost bps',
  'timing risk sd',
  'timing risk sd bps',
  '95% upper bound',
  '95% upper bound bps',
  'aversion',
] as const;

export function scheduleToCsv(
  result: Pick<SolveResult, 'schedule'> & Partial<Pick<SolveResult, 'metrics' | 'aversion'>>,
  newline = '\n',
): string {
  const total = result.schedule.reduce((s, r) => s + r.shares, 0);
  const extras = SCHEDULE_CSV_RISK_COLUMNS.filter(([, key]) =>
    result.schedule.some((r) => r[key] !== undefined),
  );
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
      ...extras.map(([, key]) => {
        const v = r[key];
        return typeof v === 'number' ? sig(v) : '';
      }),
    ];
  });
  const fields = [...SCHEDULE_CSV_COLUMNS, ...extras.map(([name]) => name)];
  return totalsBlock(result, newline) + Papa.unparse({ fields, data }, { newline }) + newline;
}

/** `# name: value` lines for the result's totals; empty without metrics. */
function totalsBlock(
  result: Partial<Pick<SolveResult, 'metrics' | 'aversion'>>,
  newline: string,
): string {
  const m = result.metrics;
  if (!m) return '';
  const values: Record<(typeof SCHEDULE_CSV_TOTALS)[number], number | null | undefined> = {
    'expected cost': m.expectedCost,
    'expected cost bps': m.expectedCostBps,
    'timing risk sd': m.timingRiskSd,
    'timing risk sd bps': m.timingRiskSdBps,
    '95% upper bound': m.upper95,
    '95% upper bound bps': m.upper95Bps,
    aversion: result.aversion,
  };
  return SCHEDULE_CSV_TOTALS.filter((name) => typeof values[name] === 'number')
    .map((name) => `# ${name}: ${sig(values[name]!)}${newline}`)
    .join('');
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
