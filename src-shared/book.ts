/**
 * Order-book pure helpers (issue 5): ladder walks, book-walk curves, log-log power-law fits,
 * session clock ↔ UTC conversion and building a plan from an imported book. Used by the
 * import (src-main/book), the CLI and the window alike; no node:*, no DOM.
 */
import { PlannerError, type PowerFit } from './contract';
import { PlanSchema, clockMinutes, type Plan, type PlanInput, type Session } from './plan';
import { fmtInt } from './impact';

/** One price level: [offset from mid in price units, size in shares]. */
export type Level = [number, number];
/** A period's ladder, cheapest level first. An empty ladder means no liquidity. */
export type Ladder = Level[];
export type BookSide = 'buy' | 'sell';

export function ladderDepth(ladder: Ladder): number {
  let total = 0;
  for (const [, size] of ladder) total += size;
  return total;
}

/** c(x): the sum of the offsets of the cheapest x shares; Infinity beyond the ladder's depth. */
export function walkCost(ladder: Ladder, shares: number): number {
  let left = shares;
  let cost = 0;
  for (const [offset, size] of ladder) {
    if (left <= 0) break;
    const take = Math.min(left, size);
    cost += take * offset;
    left -= take;
  }
  return left > 0 ? Infinity : cost;
}

/**
 * The book-walk curve: points (x, g(x) = c(x)/x) at the end of each non-empty level, i.e.
 * the average impact per share of sweeping the book up to and including that level.
 */
export function walkCurve(ladder: Ladder): [number, number][] {
  const points: [number, number][] = [];
  let x = 0;
  let cost = 0;
  for (const [offset, size] of ladder) {
    if (!(size > 0)) continue;
    x += size;
    cost += size * offset;
    points.push([x, cost / x]);
  }
  return points;
}

/** Points usable on a log-log scale (x > 0, g > 0), as [ln x, ln g]. */
function logPoints(points: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [x, g] of points) if (x > 0 && g > 0) out.push([Math.log(x), Math.log(g)]);
  return out;
}

/**
 * Least squares of ln g = ln β + α ln x through the points, with R² on the log scale.
 * Null when there are fewer than two points with distinct x (no slope to fit).
 */
export function fitPowerLaw(points: [number, number][]): PowerFit | null {
  const lp = logPoints(points);
  const n = lp.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (const [u, v] of lp) {
    mx += u;
    my += v;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [u, v] of lp) {
    sxx += (u - mx) * (u - mx);
    sxy += (u - mx) * (v - my);
    syy += (v - my) * (v - my);
  }
  if (!(sxx > 1e-12)) return null;
  const exponent = sxy / sxx;
  const intercept = my - exponent * mx;
  const sse = Math.max(0, syy - exponent * sxy);
  const r2 = syy > 1e-24 ? 1 - sse / syy : 1;
  return { beta: Math.exp(intercept), exponent, r2, points: n };
}

export interface PooledFit {
  /** Common exponent α; beta is the geometric mean of the per-period β_t. */
  pooled: PowerFit;
  /** β_t per period under the common α (null where the period has no curve). */
  betas: (number | null)[];
}

/**
 * Pooled fit over the day: ln g_{t,k} = ln β_t + α ln x_{t,k}, one α for all periods and
 * one intercept per period (fixed effects; α from the within-period deviations). R² is
 * 1 − SSE/SST with SST about the overall mean of ln g, so it credits both the common slope
 * and the per-period levels. Null when no period has two distinct x to give a slope.
 */
export function fitPooledPowerLaw(curves: [number, number][][]): PooledFit | null {
  const logs = curves.map(logPoints);
  let sxx = 0;
  let sxy = 0;
  let count = 0;
  let sumY = 0;
  const means = logs.map((lp) => {
    if (lp.length === 0) return null;
    let mx = 0;
    let my = 0;
    for (const [u, v] of lp) {
      mx += u;
      my += v;
    }
    mx /= lp.length;
    my /= lp.length;
    for (const [u, v] of lp) {
      sxx += (u - mx) * (u - mx);
      sxy += (u - mx) * (v - my);
      count++;
      sumY += v;
    }
    return [mx, my] as const;
  });
  if (!(sxx > 1e-12)) return null;
  const exponent = sxy / sxx;
  const meanY = sumY / count;
  let sse = 0;
  let sst = 0;
  let logBetaSum = 0;
  let fitted = 0;
  const betas = means.map((m, t) => {
    if (!m) return null;
    const a = m[1] - exponent * m[0];
    for (const [u, v] of logs[t]) {
      sse += (v - a - exponent * u) ** 2;
      sst += (v - meanY) ** 2;
    }
    logBetaSum += a;
    fitted++;
    return Math.exp(a);
  });
  const r2 = sst > 1e-24 ? 1 - sse / sst : 1;
  return { pooled: { beta: Math.exp(logBetaSum / fitted), exponent, r2, points: count }, betas };
}

export interface SideFit {
  pooled: PowerFit | null;
  perPeriod: (PowerFit | null)[];
  /** β_t under the pooled exponent (null where the period has no book). */
  betas: (number | null)[];
}

export function fitLadders(ladders: Ladder[]): SideFit {
  const curves = ladders.map(walkCurve);
  const pooled = fitPooledPowerLaw(curves);
  return {
    pooled: pooled?.pooled ?? null,
    perPeriod: curves.map(fitPowerLaw),
    betas: pooled?.betas ?? ladders.map(() => null),
  };
}

export function median(values: number[]): number | null {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

// ---------------------------------------------------------------------------------------
// Session clock ↔ UTC (time-zone rules from Intl, never hand-coded offsets)

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

// ---------------------------------------------------------------------------------------
// Plans from a book

/** What a plan needs from an imported dataset. */
export interface BookPlanSource {
  symbol: string;
  date: string;
  fileName: string;
  periods: number;
  periodMinutes: number;
  session: Session;
  /** Mid per period (null where no book): the median is the plan's reference price. */
  mids: (number | null)[];
  ladders: { buy: Ladder[]; sell: Ladder[] };
}

export interface BookPlanOptions {
  shares: number;
  side: BookSide;
  lotSize: number;
  /** False: the exact `book` model; true: the fitted power law β·p_t·x^α. */
  fit: boolean;
  name?: string;
}

/** Symbol usable in a plan (letters, digits, . - _ /; at most 16 characters). */
export function planSymbol(raw: string): string {
  const s = raw
    .trim()
    .replace(/[^A-Za-z0-9.\-_/]/g, '')
    .slice(0, 16);
  return s || 'BOOK';
}

/**
 * Build a plan from an imported book. The exact model uses the side's ladders as they are
 * (an empty ladder is a period with no liquidity: cap 0). The fitted model uses the pooled
 * exponent α and the per-period β_t as β·profile_t (β the geometric mean); periods without
 * a book get cap 0; elsewhere it has no cap (the power law extrapolates beyond level 10).
 * Throws PlannerError('infeasible') when the visible book cannot fill the order or no
 * power law can be fitted.
 */
export function buildBookPlan(src: BookPlanSource, opts: BookPlanOptions): Plan {
  const ladders = src.ladders[opts.side];
  const ladderSide = opts.side === 'buy' ? 'ask' : 'bid';
  const mid = median(src.mids.filter((m): m is number => m !== null));
  const sigma = midVolatility(src.mids);
  const base: Omit<PlanInput, 'impact'> = {
    name:
      opts.name?.trim() ||
      `${src.symbol} ${src.date} ${opts.side} ${opts.fit ? '(fitted book)' : '(book)'}`.slice(
        0,
        200,
      ),
    symbol: planSymbol(src.symbol),
    side: opts.side,
    shares: opts.shares,
    lotSize: opts.lotSize,
    periods: src.periods,
    session: src.session,
    notes: `From ${src.fileName}, ${src.date}, ${ladderSide} side, ${src.periodMinutes}-minute periods.${emptyNote(ladders)}${sigma ? ` Volatility σ = ${sigma.value.toPrecision(3)} per period: the standard deviation of ${sigma.changes} one-period mid-price changes.` : ''}`,
    ...(mid !== null && mid > 0 ? { referencePrice: mid } : {}),
    // Timing risk from the book's own mids; risk-neutral (λ = 0) until the trader sets an urgency.
    ...(sigma ? { risk: { volatility: sigma.value, aversion: 0 } } : {}),
  };
  let input: PlanInput;
  if (!opts.fit) {
    const depth = ladders.reduce((sum, l) => sum + lotsIn(l, opts.lotSize), 0) * opts.lotSize;
    if (depth < opts.shares) {
      throw new PlannerError(
        'infeasible',
        `the visible ${ladderSide} side holds only ${fmtInt(depth)} shares (in lots of ${fmtInt(opts.lotSize)}) over all ${src.periods} periods, less than the ${fmtInt(opts.shares)} asked for; plan with the fitted power law to extrapolate beyond the book`,
      );
    }
    input = { ...base, impact: { model: 'book', ladders } };
  } else {
    const fit = fitLadders(ladders);
    if (!fit.pooled) {
      throw new PlannerError(
        'infeasible',
        `cannot fit a power law to the ${ladderSide} side: no period has two or more price levels`,
      );
    }
    const { beta, exponent } = fit.pooled;
    if (!(exponent > 0) || exponent > 10 || !(beta > 0)) {
      throw new PlannerError(
        'infeasible',
        `the fitted power law of the ${ladderSide} side is unusable (exponent ${exponent.toPrecision(3)}, must be between 0 and 10)`,
      );
    }
    const profile = fit.betas.map((b) => (b !== null && b > 0 ? b / beta : 1));
    const caps = fit.betas.map((b) => (b !== null && b > 0 ? null : 0));
    input = {
      ...base,
      impact: { model: 'power', beta, exponent, profile },
      ...(caps.some((c) => c === 0)
        ? { maxPerPeriod: caps.map((c) => (c === 0 ? 0 : roundUp(opts.shares, opts.lotSize))) }
        : {}),
    };
  }
  const parsed = PlanSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlannerError(
      'internal',
      `the plan built from the book is invalid: ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/**
 * σ per period from the book: the sample standard deviation of the changes of the mid from
 * one period to the next (both periods with a book). Null with fewer than 10 changes or
 * none non-zero.
 */
export function midVolatility(mids: (number | null)[]): { value: number; changes: number } | null {
  const d: number[] = [];
  for (let i = 1; i < mids.length; i++) {
    const a = mids[i - 1];
    const b = mids[i];
    if (a !== null && b !== null) d.push(b - a);
  }
  if (d.length < 10) return null;
  const mean = d.reduce((x, y) => x + y, 0) / d.length;
  const v = d.reduce((x, y) => x + (y - mean) ** 2, 0) / (d.length - 1);
  return v > 0 && Number.isFinite(v) ? { value: Math.sqrt(v), changes: d.length } : null;
}

function emptyNote(ladders: Ladder[]): string {
  const empty = ladders.flatMap((l, i) => (l.length === 0 ? [i + 1] : []));
  if (empty.length === 0) return '';
  const shown = empty.slice(0, 20).join(', ') + (empty.length > 20 ? ', …' : '');
  return ` No book (no trading) in ${empty.length} period(s): ${shown}.`;
}

function lotsIn(ladder: Ladder, lot: number): number {
  return Math.floor(ladderDepth(ladder) / lot);
}

function roundUp(v: number, lot: number): number {
  return Math.ceil(v / lot) * lot;
}
