/**
 * Schedule → CSV (the CLI's `--csv` and the window's "Export CSV"), written to be pasted into an
 * order-management system.
 *
 * A block of `# name: value` lines comes first (papaparse skips them with `comments: '#'`; no
 * data row starts with '#'): a warning when the schedule is not the current form's, one
 * `# warning:` line for each of the result's warnings (src-shared/warnings.ts), the plan
 * (name, symbol, side, shares, trade date, time zone, session, impact model, reference price),
 * the totals (cost, and the pre-trade figures of a risk-aware result), when it was solved and
 * the precision. Then one row per period and a `total` row.
 *
 * Columns: period, start, end, shares, cumulative shares, remaining shares, % complete, impact
 * per share, cost, cost bps, and, when known, expected volume, participation % (of the
 * period's expected volume) and risk variance (the period's σ²·h² share of the timing-risk
 * variance). Times are ISO 8601 with the date and the session time zone's offset
 * (2025-03-07T09:30:00-05:00), blank without a session; bps blank without a reference price.
 *
 * Rounded (the default): shares and volumes whole, prices and money to 4 decimals, bps and
 * percentages to 2, λ and the variance to 6 significant digits. `raw`: 12 significant digits
 * everywhere (drops only binary noise such as 0.00047999999999999996). Written with
 * papaparse's unparse.
 */
import Papa from 'papaparse';
import { localToUtcMs, zoneOffsetMs } from './book';
import { clockMinutes, periodMinutes, type Plan } from './plan';
import type { ScheduleRow, SolveResult } from './result';
import { calibratedDailyVolume } from './impact';
import { escapeControlChars } from './planFile';
import { defaultTradingDay } from './session';

/** The columns every schedule has, in order. */
export const SCHEDULE_CSV_COLUMNS = [
  'period',
  'start',
  'end',
  'shares',
  'cumulative shares',
  'remaining shares',
  '% complete',
  'impact per share',
  'cost',
  'cost bps',
] as const;

/** The names of the `#` header lines, in order (a line is left out when its value is unknown). */
export const SCHEDULE_CSV_HEADER = [
  'warning',
  'plan',
  'symbol',
  'side',
  'shares',
  'date',
  'time zone',
  'session',
  'model',
  'reference price',
  'total cost',
  'total cost bps',
  'expected cost',
  'expected cost bps',
  'permanent impact',
  'timing risk sd',
  'timing risk sd bps',
  '95% upper bound',
  '95% upper bound bps',
  'aversion',
  'solved at',
  'precision',
] as const;
type HeaderName = (typeof SCHEDULE_CSV_HEADER)[number];

export interface ScheduleCsvOptions {
  /** The plan the result was solved for (header block, dates, expected volumes). */
  plan: Plan;
  /** The trading day "YYYY-MM-DD" the times fall on (default: see tradeDate). */
  date?: string;
  /** When the result was computed (ISO 8601 or ms); shown in the session's time zone. */
  solvedAt?: string | number;
  /** The result is the plan as last solved, not the current form: say so at the top. */
  stale?: boolean;
  /** Full precision (12 significant digits) instead of rounded figures. */
  raw?: boolean;
  newline?: string;
  /** "Now" for the default date (tests). */
  now?: number;
}

type CsvResult = Pick<SolveResult, 'schedule'> &
  Partial<Pick<SolveResult, 'metrics' | 'aversion' | 'totalCost' | 'totalCostBps' | 'warnings'>>;

export function scheduleToCsv(result: CsvResult, options: ScheduleCsvOptions): string {
  const { plan, raw = false, newline = '\n' } = options;
  const f = raw ? RAW : ROUNDED;
  const zone = timeZoneOf(plan);
  const date = options.date ?? tradeDate(plan, options.now);
  const rows = result.schedule;
  const total = rows.reduce((s, r) => s + r.shares, 0);
  const volume = (r: ScheduleRow, i: number): number | null =>
    r.expectedVolume ?? plan.volumeProfile?.[i] ?? null;
  const hasVolume = rows.some((r, i) => volume(r, i) !== null);
  const hasRisk = plan.risk !== undefined && rows.some((r) => r.riskVariance !== undefined);
  const time = plan.session ? zonedClock(date, plan.session.start, plan.session.end, zone) : null;
  const at = (clock: string | null) => (time && clock ? time(clock) : '');

  let cumulative = 0;
  const data = rows.map((r, i) => {
    cumulative += r.shares;
    const v = volume(r, i);
    return [
      r.period,
      at(r.start),
      at(r.end),
      r.shares,
      cumulative,
      total - cumulative,
      f.pct(total > 0 ? (cumulative / total) * 100 : 0),
      f.price(r.impactPerShare),
      f.price(r.cost),
      r.costBps === null ? '' : f.bps(r.costBps),
      ...(hasVolume ? [v === null ? '' : f.volume(v), v ? f.pct((r.shares / v) * 100) : ''] : []),
      ...(hasRisk ? [r.riskVariance === undefined ? '' : f.sig(r.riskVariance)] : []),
    ];
  });

  // The total row: sums, the share-weighted impact per share, the whole order's bps.
  const cost = rows.reduce((s, r) => s + r.cost, 0);
  const impact = rows.reduce((s, r) => s + r.impactPerShare * r.shares, 0);
  const volumeSum = rows.reduce((s, r, i) => s + (volume(r, i) ?? 0), 0);
  const bps = totalBps(result, plan, cost, total);
  const risk = rows.reduce((s, r) => s + (r.riskVariance ?? 0), 0);
  data.push([
    'total',
    at(rows[0]?.start ?? null),
    at(rows[rows.length - 1]?.end ?? null),
    total,
    total,
    0,
    f.pct(total > 0 ? 100 : 0),
    f.price(total > 0 ? impact / total : 0),
    f.price(cost),
    bps === null ? '' : f.bps(bps),
    ...(hasVolume
      ? [f.volume(volumeSum), volumeSum > 0 ? f.pct((total / volumeSum) * 100) : '']
      : []),
    ...(hasRisk ? [f.sig(risk)] : []),
  ]);

  const fields = [
    ...SCHEDULE_CSV_COLUMNS,
    ...(hasVolume ? (['expected volume', 'participation %'] as const) : []),
    ...(hasRisk ? (['risk variance'] as const) : []),
  ];
  const header = headerBlock(result, options, { date, zone, cost, bps, f });
  return header + Papa.unparse({ fields, data }, { newline }) + newline;
}

/** A file name for the exported schedule: "FROG-buy-2025-03-07.csv". */
export function scheduleCsvFileName(symbol: string, side: 'buy' | 'sell', date: string): string {
  return `${symbol.replace(/[^A-Za-z0-9._-]/g, '_')}-${side}-${date}.csv`;
}

/**
 * The default trading day, "YYYY-MM-DD": today in the session's time zone while today's session
 * is still to come or running, otherwise the next NYSE trading day (see defaultTradingDay).
 */
export function tradeDate(plan: Pick<Plan, 'session'>, now: number = Date.now()): string {
  return defaultTradingDay(plan.session, now);
}

/** An instant as ISO 8601 local time with the zone's offset: 2025-03-07T09:12:03-05:00. */
export function isoInZone(utcMs: number, timeZone: string): string {
  const offset = zoneOffsetMs(utcMs, timeZone);
  return localIso(Math.floor(utcMs / 1000) * 1000 + offset, offset);
}

// ---------------------------------------------------------------------------------------
// Header block

interface HeaderContext {
  date: string;
  zone: string;
  cost: number;
  bps: number | null;
  f: Formats;
}

function headerBlock(result: CsvResult, options: ScheduleCsvOptions, c: HeaderContext): string {
  const { plan, raw = false, newline = '\n' } = options;
  const { f } = c;
  const m = result.metrics;
  // Timing risk, its bound and λ mean something only for a plan with a volatility.
  const risky = m !== undefined && plan.risk !== undefined;
  const solvedAt =
    options.solvedAt === undefined ? null : isoInZone(new Date(options.solvedAt).getTime(), c.zone);
  const s = plan.session;
  const minutes = periodMinutes(plan);
  const values: Record<HeaderName, string | number | null | undefined> = {
    warning: options.stale
      ? `schedule for the plan as last solved${solvedAt ? ` at ${solvedAt}` : ''}, not the current form`
      : null,
    plan: plan.name,
    symbol: plan.symbol,
    side: plan.side,
    shares: plan.shares,
    date: c.date,
    'time zone': s ? c.zone : null,
    session: s
      ? `${s.start}-${s.end}, ${plan.periods} periods of ${Number(minutes.toPrecision(6))} min`
      : `no session clock, ${plan.periods} periods`,
    model: modelText(plan),
    'reference price': plan.referencePrice === undefined ? null : f.price(plan.referencePrice),
    'total cost': f.price(c.cost),
    'total cost bps': c.bps === null ? null : f.bps(c.bps),
    'expected cost': m && f.price(m.expectedCost),
    'expected cost bps': !m || m.expectedCostBps === null ? null : f.bps(m.expectedCostBps),
    // In the expected cost, not in the rows: it does not depend on the schedule.
    'permanent impact': m && m.permanentCost > 0 ? f.price(m.permanentCost) : null,
    'timing risk sd': risky ? f.price(m.timingRiskSd) : null,
    'timing risk sd bps': !risky || m.timingRiskSdBps === null ? null : f.bps(m.timingRiskSdBps),
    '95% upper bound': risky ? f.price(m.upper95) : null,
    '95% upper bound bps': !risky || m.upper95Bps === null ? null : f.bps(m.upper95Bps),
    aversion: risky && result.aversion !== undefined ? f.sig(result.aversion) : null,
    'solved at': solvedAt,
    precision: raw
      ? 'full (12 significant digits)'
      : 'rounded (shares whole, prices 4 decimals, bps 2 decimals)',
  };
  const lines = SCHEDULE_CSV_HEADER.filter(
    (name) => values[name] !== null && values[name] !== undefined,
  ).map((name) => `# ${name}: ${oneLine(String(values[name]))}${newline}`);
  // The plan's warnings (participation, size, γ, data) right after the stale-form one, one
  // `# warning:` line each, so that an order system's operator sees them before the figures.
  const warnings = (result.warnings ?? []).map((w) => `# warning: ${oneLine(w.message)}${newline}`);
  lines.splice(options.stale ? 1 : 0, 0, ...warnings);
  return lines.join('');
}

function modelText(plan: Plan): string {
  const im = plan.impact;
  const profile = 'profile' in im && im.profile ? ', intraday profile' : '';
  switch (im.model) {
    case 'linear':
      return `linear, beta ${im.beta}${profile}`;
    case 'power':
      return `power, beta ${im.beta}, exponent ${im.exponent}${im.intercept ? `, intercept ${im.intercept}` : ''}${profile}`;
    case 'calibrated': {
      const spread = typeof im.spread === 'number' ? `spread ${im.spread}` : 'a spread per period';
      const fee = im.feePerShare ? `, fee per share ${im.feePerShare}` : '';
      const sigmaProfile = im.volatilityProfile ? ', intraday volatility profile' : '';
      return `calibrated (Almgren et al. 2005), sigma ${im.sigma} per day, ${spread}, eta ${im.eta}, beta ${im.beta}, gamma ${im.gamma}, daily volume ${calibratedDailyVolume(plan)}${fee}${sigmaProfile}`;
    }
    case 'table':
      return `table, ${im.curves.length === 1 ? 'one impact curve' : 'an impact curve per period'}`;
    case 'book':
      return 'book, a price ladder per period';
  }
}

/** The order's cost in bps of shares × reference price (the result's own when it has it). */
function totalBps(result: CsvResult, plan: Plan, cost: number, shares: number): number | null {
  if (typeof result.totalCostBps === 'number' && result.totalCost === cost)
    return result.totalCostBps;
  const p = plan.referencePrice;
  return p && shares > 0 ? (cost / (shares * p)) * 1e4 : null;
}

// ---------------------------------------------------------------------------------------
// Times

function timeZoneOf(plan: Pick<Plan, 'session'>): string {
  return plan.session?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Clock label ("09:30", "09:30:30") on `date` in the zone → ISO 8601 with offset. The offset
 * is looked up once when it is the same at the session's start and end (every day but the
 * two a year the clocks change), else per label.
 */
function zonedClock(
  date: string,
  start: string,
  end: string,
  zone: string,
): (clock: string) => string {
  const offsetAt = (minutes: number) => zoneOffsetMs(localToUtcMs(date, minutes, zone), zone);
  const first = offsetAt(clockMinutes(start));
  const fixed = first === offsetAt(clockMinutes(end)) ? first : null;
  const midnight = Date.UTC(...ymd(date));
  return (clock) => {
    const seconds = clockSeconds(clock);
    const offset = fixed ?? offsetAt(seconds / 60);
    return localIso(midnight + seconds * 1000, offset);
  };
}

function ymd(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y, m - 1, d];
}

function clockSeconds(clock: string): number {
  const [h, m, s = 0] = clock.split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

/** Wall-clock ms (as if UTC) and the zone's offset → "2025-03-07T09:30:00-05:00". */
function localIso(wallMs: number, offsetMs: number): string {
  const wall = new Date(wallMs).toISOString().slice(0, 19);
  if (offsetMs === 0) return `${wall}Z`;
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const sign = offsetMs < 0 ? '-' : '+';
  return `${wall}${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

// ---------------------------------------------------------------------------------------
// Numbers

interface Formats {
  price: (v: number) => number;
  bps: (v: number) => number;
  pct: (v: number) => number;
  volume: (v: number) => number;
  sig: (v: number) => number;
}

const RAW: Formats = { price: sig12, bps: sig12, pct: sig12, volume: sig12, sig: sig12 };
const ROUNDED: Formats = {
  price: (v) => round(v, 4),
  bps: (v) => round(v, 2),
  pct: (v) => round(v, 2),
  volume: (v) => round(v, 0),
  sig: (v) => Number(v.toPrecision(6)),
};

/** 12 significant digits: drops binary noise such as 0.00047999999999999996. */
function sig12(v: number): number {
  return Number(v.toPrecision(12));
}

/** Rounded half away from zero to `digits` decimals; never "-0". */
function round(v: number, digits: number): number {
  const f = 10 ** digits;
  const r = (Math.sign(v) * Math.round(Math.abs(v) * f)) / f;
  return r === 0 ? 0 : r;
}

function pad(v: number): string {
  return String(v).padStart(2, '0');
}

/** A header value on one line (a plan name could hold a line break), control characters
 *  escaped (a name could hold an escape sequence for the terminal that shows the file). */
function oneLine(s: string): string {
  return escapeControlChars(s.replace(/[\r\n\t]+/g, ' '));
}
