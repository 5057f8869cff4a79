/**
 * Order-book pure helpers (docs/orderbook.md): ladder walks, book-walk curves, log-log power-law fits,
 * session clock ↔ UTC conversion and building a plan from an imported book. Used by the
 * import (src-main/book), the CLI and the window alike; no node:*, no DOM.
 */
import { z } from 'zod';
import { PlannerError, type PowerFit } from './contract';
import { PlanSchema, clockMinutes, type Plan, type PlanInput, type Session } from './plan';
import { fmtInt } from './impact';
import {
  calibrate,
  calibratedScheduleCost,
  type Calibration,
  type CalibrationDay,
} from './calibration';

/** One price level: [offset from mid in price units, size in shares]. */
export type Level = [number, number];
/** A period's ladder, cheapest level first. An empty ladder means no liquidity. */
export type Ladder = Level[];
export type BookSide = 'buy' | 'sell';

/** How a period's book is sampled from the snapshots (stored with the dataset). */
export const SAMPLINGS = ['average', 'start'] as const;
export type Sampling = (typeof SAMPLINGS)[number];

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** One period of an imported day. */
export const BookPeriodSchema = z.object({
  /** Clock label of the period's start ("09:30"). */
  start: z.string(),
  /** Mid of the book in effect when the period's child order is sent: at its start, or when
   *  continuous trading starts inside it (never a later row); null: none. */
  mid: finite.nullable(),
  /** Spread of the period's sampled book (time-averaged with `average` sampling). */
  spread: finite.nullable(),
  bidDepth: finite,
  askDepth: finite,
  /** Fraction of the period with a book in effect (0..1); absent in datasets imported before. */
  coverage: finite.optional(),
  /** Shares traded in the period (rows with action T); null when the file has no action column. */
  volume: finite.nullable().optional(),
  trades: z.number().int().nullable().optional(),
  /** Volume-weighted 2·|trade price − mid before the trade| (null: no trade priced). */
  effectiveSpread: finite.nullable().optional(),
  /** Time-weighted quoted spread (ask − bid, price units) over the covered part of the period,
   *  whatever the sampling; null: never covered. Absent in datasets imported before. */
  quotedSpread: finite.nullable().optional(),
});
export type BookPeriod = z.infer<typeof BookPeriodSchema>;

export const VolatilitySchema = z.object({
  /** σ per period in price units: the standard deviation of one-period mid changes. */
  value: finite,
  /** Number of one-period changes it was estimated from. */
  changes: z.number().int(),
  /** Half-width (in periods) of the rolling window of the intraday profile. */
  window: z.number().int(),
  /** σ_t / σ per period; the mean of its squares is 1, so Σ σ_t² = N σ². */
  profile: z.array(finite),
});
export type Volatility = z.infer<typeof VolatilitySchema>;

/** A gap's length in words: "42 s", "12.5 min", "4 h 12 min". */
export function fmtGapLength(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 60) return `${Number(minutes.toFixed(1))} min`;
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  return m === 60 ? `${h + 1} h` : m ? `${h} h ${m} min` : `${h} h`;
}

/** An auction print: the trades at the cross's ts_event. */
export const AuctionSchema = z.object({
  /** Clock label of the print (to the second). */
  at: z.string(),
  /** Shares and trades printed at that instant. */
  volume: finite,
  trades: z.number().int(),
  /** The first trade's price (null: unpriced). */
  price: finite.nullable(),
});
export type Auction = z.infer<typeof AuctionSchema>;

/** Dataset-level figures of an import (or of several days averaged). */
export const BookStatsSchema = z.object({
  sampling: z.enum(SAMPLINGS),
  /** Periods with a book / of those, periods with a book for only part of the period. */
  coveredPeriods: z.number().int(),
  partialPeriods: z.number().int(),
  /** The longest stretch of the session without a book in effect. */
  largestGap: z.object({ from: z.string(), to: z.string(), minutes: finite }).nullable(),
  /** ISO instants of the first and last row of the file. */
  dataStart: z.string().nullable(),
  dataEnd: z.string().nullable(),
  /** Shares traded and trades inside the session; null without an action column. */
  volume: finite.nullable(),
  trades: z.number().int().nullable(),
  sigma: VolatilitySchema.nullable(),
  /** The first mid inside the session: the arrival (reference) price. */
  arrival: z.object({ mid: finite, at: z.string() }).nullable(),
  /** The most price levels in one period's ladder (either side). */
  maxLevels: z.number().int(),
  /** When continuous trading starts (clock label, to the second), by which rule ('opening
   *  print': at the opening cross; 'session start': no print in the first 10 s), and the
   *  quoted spread of the book in effect then (null: none). */
  continuous: z
    .object({
      start: z.string(),
      rule: z.enum(['opening print', 'session start']),
      spread: finite.nullable(),
    })
    .optional(),
  /** The opening and closing auction prints (shares, trades, price; not in any period's
   *  volume); null: none found (or no action column). */
  openingAuction: AuctionSchema.nullable().optional(),
  closingAuction: AuctionSchema.nullable().optional(),
  /** The longest time one book stayed in effect during continuous trading (its age when it was
   *  replaced): information, not a gap. */
  longestStale: z
    .object({ from: z.string(), to: z.string(), minutes: finite })
    .nullable()
    .optional(),
  /** publisher_id values in the file (one value: one venue's book, a fraction of the market's depth). */
  publishers: z.array(z.number()).optional(),
  /** Mid of the book in effect when each period's child order is sent (price units; null: no
   *  book), the series σ is estimated from. */
  startMids: z.array(finite.nullable()).optional(),
  /** Several days averaged: the days, oldest first. */
  days: z.array(z.object({ id: z.string(), date: z.string(), fileName: z.string() })).optional(),
});
export type BookStats = z.infer<typeof BookStatsSchema>;

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

/** Per-period and pooled fits of the walk curves; with an intercept c, of g − c (points at
 *  or below c are left out, as a log cannot take them). */
export function fitLadders(ladders: Ladder[], intercept = 0): SideFit {
  const curves = ladders.map((l) =>
    intercept > 0
      ? walkCurve(l).map(([x, g]) => [x, g - intercept] as [number, number])
      : walkCurve(l),
  );
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
  series: BookPeriod[];
  ladders: { buy: Ladder[]; sell: Ladder[] };
  /** Null for datasets imported before the statistics existed (start sampling, no volume). */
  stats: BookStats | null;
  /**
   * The days behind the source, one by one, for the calibrated model's robust estimates
   * (their ladders: the books in effect at the period starts where the import has them).
   * Absent: the source itself is the one day (its own ladders).
   */
  days?: {
    date: string;
    series: BookPeriod[];
    ladders: { buy: Ladder[]; sell: Ladder[] };
    /** The day's import statistics (start mids, auction prints), where known. */
    stats?: BookStats | null;
  }[];
}

/** Cost models a plan from a book can use. */
export const BOOK_MODELS = ['calibrated', 'book', 'power'] as const;
export type BookModel = (typeof BOOK_MODELS)[number];

export interface BookPlanOptions {
  shares: number;
  side: BookSide;
  lotSize: number;
  /** True: the fitted power law ½s + β·p_t·x^α (when `model` is absent). */
  fit: boolean;
  /** The model; absent: the power law with `fit`, else the calibrated model (the exact book
   *  when the days cannot be calibrated). */
  model?: BookModel;
  name?: string;
  /** Clock time HH:MM whose period's mid is the reference price (default: the arrival mid). */
  arrival?: string;
  /**
   * Cap on each child order as a fraction of its period's expected volume. Absent: the
   * default DEFAULT_MAX_PARTICIPATION, left out (and said in the notes) when it cannot fill
   * the order; null: no cap. Needs the volume of the trades (no volume, no cap).
   */
  maxParticipation?: number | null;
}

/**
 * The participation cap of plans made from data: no child order above a quarter of its
 * period's expected volume, a common desk limit (docs/orderbook.md, "Participation cap").
 */
export const DEFAULT_MAX_PARTICIPATION = 0.25;

/** A pooled R² below this is reported as a poor fit. */
export const POOR_FIT_R2 = 0.8;

/** Symbol usable in a plan (letters, digits, . - _ /; at most 16 characters). */
export function planSymbol(raw: string): string {
  const s = raw
    .trim()
    .replace(/[^A-Za-z0-9.\-_/]/g, '')
    .slice(0, 16);
  return s || 'BOOK';
}

/** The reference price of a plan from a book, and how it was chosen (for the notes). */
export function bookReferencePrice(
  src: Pick<BookPlanSource, 'series' | 'stats' | 'session' | 'periodMinutes'>,
  arrival?: string,
): { price: number; why: string } | null {
  if (arrival !== undefined) {
    const from = clockMinutes(src.session.start);
    const to = clockMinutes(src.session.end);
    const at = clockMinutes(arrival);
    if (at < from || at >= to) {
      throw new PlannerError(
        'invalid_input',
        `arrival: ${arrival} is outside the session ${src.session.start}–${src.session.end}`,
      );
    }
    const i = Math.floor((at - from) / src.periodMinutes + 1e-9);
    const mid = src.series[i]?.mid ?? null;
    if (mid === null || !(mid > 0)) {
      throw new PlannerError(
        'invalid_input',
        `arrival: there is no book at ${arrival} (period ${i + 1}) to take a mid price from`,
      );
    }
    return { price: mid, why: `the mid at ${src.series[i].start}` };
  }
  const a = src.stats?.arrival;
  if (a && a.mid > 0) return { price: a.mid, why: `the first mid of the session (${a.at})` };
  // Datasets imported before the statistics: the first period's mid is the nearest thing.
  const first = src.series.find((p) => p.mid !== null && p.mid > 0);
  return first ? { price: first.mid!, why: `the mid at ${first.start}` } : null;
}

/**
 * Build a plan from an imported book.
 * - Exact model: the side's ladders as they are (an empty ladder is a period with no book:
 *   cap 0).
 * - Fitted model: the pooled exponent α and the per-period β_t as β·profile_t (β the geometric
 *   mean); each period's cap is its visible (time-averaged) depth in whole lots, so the power
 *   law never plans more than the book showed; a pooled R² below POOR_FIT_R2 is said in the notes.
 * - Both: the reference price is the arrival mid (or the mid at `arrival`), the volume profile
 *   comes from the trades, σ and its intraday profile from the mids (risk-neutral λ = 0
 *   until the trader sets an urgency).
 * Throws PlannerError('infeasible') when the visible book cannot fill the order or no power
 * law can be fitted.
 */
/** ", continuous trading: the opening and closing prints of N shares apart" when known. */
function auctionNote(stats: BookStats | null | undefined): string {
  const a = stats?.openingAuction?.volume ?? 0;
  const b = stats?.closingAuction?.volume ?? 0;
  return a + b > 0
    ? `, continuous trading: the auction prints of ${fmtInt(a + b)} shares apart`
    : '';
}

export function buildBookPlan(src: BookPlanSource, opts: BookPlanOptions): Plan {
  if (opts.model === undefined && !opts.fit) {
    // The default: the calibrated model, or the exact book (said in the notes) when the
    // days cannot be calibrated (no traded volume, too few mids).
    try {
      return buildBookPlan(src, { ...opts, model: 'calibrated' });
    } catch (e) {
      if (!(e instanceof CalibrationError)) throw e;
      const plan = buildBookPlan(src, { ...opts, model: 'book' });
      const why = `The calibrated model is not possible (${e.message}); the exact book model is used.`;
      // After the notes' opening "From <file>, <date>" (what the replay reads the source from).
      return { ...plan, notes: `${plan.notes ?? ''} ${why}`.trim().slice(0, 10_000) };
    }
  }
  const model: BookModel = opts.model ?? (opts.fit ? 'power' : 'calibrated');
  const ladders = src.ladders[opts.side];
  const ladderSide = opts.side === 'buy' ? 'ask' : 'bid';
  const ref = bookReferencePrice(src, opts.arrival);
  const sigma = src.stats ? src.stats.sigma : midVolatility(src.series.map((p) => p.mid));
  const volumes = src.series.map((p) => p.volume ?? null);
  const dayVolume = volumes.every((v) => v !== null)
    ? volumes.reduce((a: number, v) => a + v!, 0)
    : null;
  const lotsPer = ladders.map((l) => lotsIn(l, opts.lotSize));
  const depth = lotsPer.reduce((a, b) => a + b, 0) * opts.lotSize;
  const notes: string[] = [
    `From ${src.fileName}, ${src.date}, ${ladderSide} side, ${src.periodMinutes}-minute periods, ${src.stats?.sampling === 'average' ? 'time-averaged books' : 'the book at each period start'}.`,
    emptyNote(ladders, src.stats),
    ref ? `Reference price ${ref.price}: ${ref.why}.` : '',
    dayVolume !== null && dayVolume > 0
      ? `Volume ${fmtInt(dayVolume)} shares in the session (${fmtInt(Math.round(src.stats?.trades ?? 0))} trades${auctionNote(src.stats)}); the order is ${((opts.shares / dayVolume) * 100).toPrecision(3)}% of it.`
      : '',
    sigma
      ? `Volatility σ = ${sigma.value.toPrecision(3)} per period: the standard deviation of ${sigma.changes} one-period mid changes, with an intraday profile from ±${sigma.window}-period windows.`
      : '',
  ];
  const base: Omit<PlanInput, 'impact'> = {
    name:
      opts.name?.trim() ||
      `${src.symbol} ${src.date} ${opts.side} ${model === 'power' ? '(fitted book)' : model === 'book' ? '(book)' : '(calibrated)'}`.slice(
        0,
        200,
      ),
    symbol: planSymbol(src.symbol),
    source: {
      symbol: src.symbol.slice(0, 50) || 'BOOK',
      dates: src.stats?.days?.map((d) => d.date) ?? [src.date],
    },
    side: opts.side,
    shares: opts.shares,
    lotSize: opts.lotSize,
    periods: src.periods,
    session: src.session,
    ...(ref ? { referencePrice: ref.price } : {}),
    ...(dayVolume !== null && dayVolume > 0 ? { volumeProfile: volumes as number[] } : {}),
    ...(sigma
      ? {
          risk: {
            volatility: sigma.value,
            ...('profile' in sigma && sigma.profile.length === src.periods
              ? { volatilityProfile: sigma.profile }
              : {}),
            aversion: 0,
          },
        }
      : {}),
  };
  if (depth < opts.shares) {
    throw new PlannerError(
      'infeasible',
      `the visible ${ladderSide} side holds only ${fmtInt(depth)} shares (in lots of ${fmtInt(opts.lotSize)}) over all ${src.periods} periods, less than the ${fmtInt(opts.shares)} asked for: plan fewer shares or a longer session`,
    );
  }
  let input: PlanInput;
  if (model === 'book') {
    input = { ...base, impact: { model: 'book', ladders } };
  } else if (model === 'calibrated') {
    const cal = calibrateSource(src, opts);
    const caps = lotsPer.map((lots, i) => (cal.volumeProfile[i] > 0 ? lots * opts.lotSize : 0));
    notes[notes.length - 1] = '';
    notes.push(calibrationNote(cal, opts.shares));
    input = {
      ...base,
      volumeProfile: cal.volumeProfile,
      risk: {
        volatility: Number(cal.sigmaPerPeriod.toPrecision(6)),
        volatilityProfile: cal.impact.volatilityProfile,
        aversion: 0,
      },
      // The permanent part ½·γ·σ·(S/V_day)·S is the model's own (impact.ts): not a
      // plan.permanentImpact, which the calibrated model refuses.
      impact: cal.impact,
      maxPerPeriod: caps,
    };
  } else {
    // The spread is an intercept: g = ½s + β_t·x^α, fitted on the excess over ½s.
    const half =
      (median(src.series.flatMap((p) => (p.spread === null ? [] : [p.spread]))) ?? 0) / 2;
    const intercept = half > 0 ? Number(half.toPrecision(6)) : 0;
    const fit = fitLadders(ladders, intercept);
    if (!fit.pooled) {
      throw new PlannerError(
        'infeasible',
        `cannot fit a power law to the ${ladderSide} side: no period has two or more price levels`,
      );
    }
    const { beta, exponent, r2 } = fit.pooled;
    if (!(exponent > 0) || exponent > 10 || !(beta > 0)) {
      throw new PlannerError(
        'infeasible',
        `the fitted power law of the ${ladderSide} side is unusable (exponent ${exponent.toPrecision(3)}, must be between 0 and 10)`,
      );
    }
    const profile = fit.betas.map((b) => (b !== null && b > 0 ? b / beta : 1));
    // The power law is trusted only as far as the book was seen: cap = visible depth.
    const caps = lotsPer.map((lots, i) =>
      fit.betas[i] !== null && fit.betas[i]! > 0 ? lots * opts.lotSize : 0,
    );
    const r2g = interceptR2(ladders, intercept, fit.betas, exponent);
    notes.push(
      intercept > 0
        ? `Fitted g = ½s + β·x^α with ½s = ${intercept} (the median half-spread), α = ${exponent.toPrecision(3)}, pooled R² = ${r2.toFixed(3)} (log scale), R² of g = ${r2g.toFixed(3)}${r2 < POOR_FIT_R2 ? ' — a poor fit: prefer the exact book model' : ''}; each period is capped at its visible depth.`
        : `Fitted g = β·x^α with α = ${exponent.toPrecision(3)}, pooled R² = ${r2.toFixed(3)}${r2 < POOR_FIT_R2 ? ' — a poor fit: prefer the exact book model' : ''}; each period is capped at its visible depth.`,
    );
    input = {
      ...base,
      impact: {
        model: 'power',
        beta,
        exponent,
        profile,
        intercept,
      },
      maxPerPeriod: caps,
    };
  }
  const cap = participationCap(input, opts);
  if (cap.value !== null) input.maxParticipation = cap.value;
  if (cap.note) notes.push(cap.note);
  input.notes = notes.filter(Boolean).join(' ').slice(0, 10_000);
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
 * σ per period from the mids at the period starts: the sample standard deviation of the
 * one-period changes m_t − m_{t−1} (both periods with a book), with an intraday profile from
 * a centred rolling window of ±h changes (h ≈ 15 minutes of periods, at least 5): σ_t² is the
 * mean squared deviation in the window (the day's variance where the window holds fewer than
 * 5 changes), then scaled so that the mean of σ_t²/σ² over the day is 1. Null with fewer than
 * 10 changes or none non-zero.
 */
export function midVolatility(mids: (number | null)[], periodMinutes = 1): Volatility | null {
  const n = mids.length;
  const change: (number | null)[] = new Array(n).fill(null);
  const d: number[] = [];
  for (let i = 1; i < n; i++) {
    const a = mids[i - 1];
    const b = mids[i];
    if (a !== null && b !== null) {
      change[i] = b - a;
      d.push(b - a);
    }
  }
  if (d.length < 10) return null;
  const mean = d.reduce((x, y) => x + y, 0) / d.length;
  const v = d.reduce((x, y) => x + (y - mean) ** 2, 0) / (d.length - 1);
  if (!(v > 0 && Number.isFinite(v))) return null;
  const h = Math.max(5, Math.round(15 / periodMinutes));
  // Prefix sums of squared deviations and counts, for O(N) windows.
  const sq = new Float64Array(n + 1);
  const cnt = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const c = change[i];
    sq[i + 1] = sq[i] + (c === null ? 0 : (c - mean) ** 2);
    cnt[i + 1] = cnt[i] + (c === null ? 0 : 1);
  }
  const local = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const lo = Math.max(0, t - h);
    const hi = Math.min(n, t + h + 1);
    const k = cnt[hi] - cnt[lo];
    local[t] = k >= 5 ? (sq[hi] - sq[lo]) / k : v;
  }
  const meanLocal = local.reduce((x, y) => x + y, 0) / n;
  const profile = Array.from(local, (x) =>
    meanLocal > 0 ? Number(Math.sqrt(x / meanLocal).toPrecision(12)) : 1,
  );
  return { value: Math.sqrt(v), changes: d.length, window: h, profile };
}

function emptyNote(ladders: Ladder[], stats: BookStats | null): string {
  const empty = ladders.flatMap((l, i) => (l.length === 0 ? [i + 1] : []));
  if (empty.length === 0) return '';
  const shown = empty.slice(0, 20).join(', ') + (empty.length > 20 ? ', …' : '');
  const gap = stats?.largestGap
    ? ` (largest gap ${stats.largestGap.from}–${stats.largestGap.to})`
    : '';
  return `No book in ${empty.length} period(s), capped at 0${gap}: ${shown}.`;
}

function lotsIn(ladder: Ladder, lot: number): number {
  return Math.floor(ladderDepth(ladder) / lot);
}

// ---------------------------------------------------------------------------------------
// Several days averaged

/**
 * The participation cap of a plan from data and what the notes say about it: the one asked
 * for, or the default when the caps it makes (with the plan's other caps, in whole lots) can
 * still fill the order.
 */
function participationCap(
  input: PlanInput,
  opts: Pick<BookPlanOptions, 'maxParticipation' | 'lotSize' | 'shares'>,
): { value: number | null; note: string } {
  const volume = input.volumeProfile;
  if (opts.maxParticipation === null || !volume) return { value: null, note: '' };
  const asked = opts.maxParticipation;
  const f = asked ?? DEFAULT_MAX_PARTICIPATION;
  const pct = `${Number((f * 100).toPrecision(6))}%`;
  if (asked !== undefined)
    return {
      value: f,
      note: `Each child order is capped at ${pct} of its period's expected volume.`,
    };
  const q = opts.lotSize;
  const other = input.maxPerPeriod;
  let room = 0;
  for (let i = 0; i < volume.length; i++) {
    let lots = Math.floor((f * volume[i]) / q + 1e-9);
    const cap = typeof other === 'number' ? other : other?.[i];
    if (cap !== undefined) lots = Math.min(lots, Math.floor(cap / q + 1e-9));
    room += lots * q;
  }
  if (room < opts.shares)
    return {
      value: null,
      note: `No participation cap: the default of ${pct} of each period's expected volume allows only ${fmtInt(room)} of the ${fmtInt(opts.shares)} shares.`,
    };
  return {
    value: f,
    note: `Each child order is capped at ${pct} of its period's expected volume (the default for plans made from data; change it in the plan's limits).`,
  };
}

/** One imported day, as averageDays needs it. */
export interface BookDay {
  id: string;
  date: string;
  fileName: string;
  series: BookPeriod[];
  ladders: { buy: Ladder[]; sell: Ladder[] };
  stats: BookStats | null;
}

/** What must match for days to be averaged. */
export interface DayKey {
  fileName: string;
  symbol: string;
  date: string;
  periods: number;
  periodMinutes: number;
  session: Session;
  sampling: Sampling;
  /** Already an average of days. */
  averaged?: boolean;
}

/** Days can be averaged when they are single days of one symbol, on one period grid and
 *  session, with one sampling, and no date twice; else a PlannerError naming the file. */
export function checkDaysMatch(days: DayKey[]): void {
  const first = days[0];
  const grid = (d: DayKey) =>
    `${d.symbol}, ${d.periods} × ${d.periodMinutes} min, ${d.session.start}–${d.session.end} ${d.session.timeZone}`;
  const dates = new Set<string>();
  for (const d of days) {
    if (d.averaged) {
      throw new PlannerError(
        'invalid_input',
        `${d.fileName}: is already an average of days; pick single days`,
      );
    }
    if (grid(d) !== grid(first)) {
      throw new PlannerError(
        'invalid_input',
        `${d.fileName} (${grid(d)}) does not match ${first.fileName} (${grid(first)}): average days of one symbol imported with the same periods and session`,
      );
    }
    if (d.sampling !== first.sampling) {
      throw new PlannerError(
        'invalid_input',
        `${d.fileName} was sampled '${d.sampling}', ${first.fileName} '${first.sampling}': average days imported with the same sampling`,
      );
    }
    if (dates.has(d.date)) {
      throw new PlannerError(
        'invalid_input',
        `${d.fileName}: a second dataset of the day ${d.date}`,
      );
    }
    dates.add(d.date);
  }
}

/** Merge ladders level by level with weights (equal offsets add; cheapest first). */
export function mergeLadders(ladders: Ladder[], weight: number): Ladder {
  const sizes = new Map<number, number>();
  for (const l of ladders)
    for (const [offset, size] of l) sizes.set(offset, (sizes.get(offset) ?? 0) + size * weight);
  return [...sizes.entries()]
    .map(([o, v]) => [o, Number(v.toPrecision(12))] as Level)
    .sort((a, b) => a[0] - b[0]);
}

function mean(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/**
 * Average D days of one symbol on the same period grid: each period's ladder is the days'
 * ladders merged with size / D (so a day without a book in a period counts as no depth, as
 * time-averaging does within a day); volume, spread and coverage are means over the days;
 * σ² is the mean of the days' σ_t² (its profile likewise); the mids and the arrival price
 * are the latest day's (the most recent price); the largest gap is the longest run of
 * periods no day covered. Days are sorted oldest first.
 */
export function averageDays(days: BookDay[]): {
  series: BookPeriod[];
  ladders: { buy: Ladder[]; sell: Ladder[] };
  stats: BookStats;
} {
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  const last = sorted[sorted.length - 1];
  const n = last.series.length;
  const D = sorted.length;
  const buy: Ladder[] = [];
  const sell: Ladder[] = [];
  const series: BookPeriod[] = [];
  let maxLevels = 0;
  for (let i = 0; i < n; i++) {
    buy.push(
      mergeLadders(
        sorted.map((d) => d.ladders.buy[i] ?? []),
        1 / D,
      ),
    );
    sell.push(
      mergeLadders(
        sorted.map((d) => d.ladders.sell[i] ?? []),
        1 / D,
      ),
    );
    maxLevels = Math.max(maxLevels, buy[i].length, sell[i].length);
    const points = sorted.map((d) => d.series[i]);
    const vols = points.flatMap((p) =>
      p.volume === null || p.volume === undefined ? [] : [p.volume],
    );
    const trades = points.flatMap((p) =>
      p.trades === null || p.trades === undefined ? [] : [p.trades],
    );
    series.push({
      start: last.series[i].start,
      mid: last.series[i].mid,
      spread: mean(points.flatMap((p) => (p.spread === null ? [] : [p.spread]))),
      bidDepth: ladderDepth(sell[i]),
      askDepth: ladderDepth(buy[i]),
      coverage: mean(points.map((p) => p.coverage ?? (p.mid === null ? 0 : 1)))!,
      volume: mean(vols),
      trades: trades.length ? Math.round(mean(trades)!) : null,
      effectiveSpread: mean(
        points.flatMap((p) =>
          p.effectiveSpread === null || p.effectiveSpread === undefined ? [] : [p.effectiveSpread],
        ),
      ),
    });
  }
  const sigmas = sorted.flatMap((d) => (d.stats?.sigma ? [d.stats.sigma] : []));
  let sigma: Volatility | null = null;
  if (sigmas.length) {
    const v = mean(sigmas.map((s) => s.value ** 2))!;
    const local = Array.from({ length: n }, (_, t) =>
      mean(sigmas.map((s) => s.value ** 2 * (s.profile[t] ?? 1) ** 2))!,
    );
    sigma = {
      value: Math.sqrt(v),
      changes: sigmas.reduce((a, s) => a + s.changes, 0),
      window: sigmas[0].window,
      profile: local.map((x) => Number(Math.sqrt(x / v).toPrecision(12))),
    };
  }
  // Longest run of periods no day covered.
  let best: [number, number] | null = null;
  for (let i = 0; i < n;) {
    if ((series[i].coverage ?? 0) > 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && (series[j].coverage ?? 0) === 0) j++;
    if (!best || j - i > best[1] - best[0]) best = [i, j];
    i = j;
  }
  const periodMinutes =
    clockMinutes(last.series[1]?.start ?? last.series[0].start) -
      clockMinutes(last.series[0].start) || 0;
  const dayVolumes = sorted.flatMap((d) =>
    d.stats?.volume === null || !d.stats ? [] : [d.stats.volume],
  );
  const dayTrades = sorted.flatMap((d) =>
    d.stats?.trades === null || !d.stats ? [] : [d.stats.trades],
  );
  const starts = sorted.flatMap((d) => (d.stats?.dataStart ? [d.stats.dataStart] : [])).sort();
  const ends = sorted.flatMap((d) => (d.stats?.dataEnd ? [d.stats.dataEnd] : [])).sort();
  const samplings = new Set(sorted.map((d) => d.stats?.sampling ?? 'start'));
  const stats: BookStats = {
    sampling: samplings.size === 1 ? [...samplings][0] : 'average',
    coveredPeriods: series.filter((p) => (p.coverage ?? 0) > 0).length,
    partialPeriods: series.filter((p) => (p.coverage ?? 0) > 0 && (p.coverage ?? 0) < 1 - 1e-9)
      .length,
    largestGap: best
      ? {
          from: series[best[0]].start,
          to:
            best[1] < n
              ? series[best[1]].start
              : clockLabelAfter(series[n - 1].start, periodMinutes),
          minutes: (best[1] - best[0]) * periodMinutes,
        }
      : null,
    dataStart: starts[0] ?? null,
    dataEnd: ends[ends.length - 1] ?? null,
    volume: mean(dayVolumes),
    trades: dayTrades.length ? Math.round(mean(dayTrades)!) : null,
    sigma,
    arrival: last.stats?.arrival ?? null,
    maxLevels,
    days: sorted.map((d) => ({ id: d.id, date: d.date, fileName: d.fileName })),
  };
  return { series, ladders: { buy, sell }, stats };
}

function clockLabelAfter(label: string, minutes: number): string {
  return clockLabel((clockMinutes(label) + minutes) * 60);
}

// ---------------------------------------------------------------------------------------
// The calibrated model from a source

/** R² on g itself of g = c + β_t·x^α over the walk-curve points. */
function interceptR2(
  ladders: Ladder[],
  c: number,
  betas: (number | null)[],
  alpha: number,
): number {
  const pts: [number, number][] = [];
  ladders.forEach((l, t) => {
    const b = betas[t];
    if (b === null) return;
    for (const [x, g] of walkCurve(l)) pts.push([g, c + b * x ** alpha]);
  });
  if (pts.length === 0) return 0;
  const mean = pts.reduce((a, [g]) => a + g, 0) / pts.length;
  let sse = 0;
  let sst = 0;
  for (const [g, f] of pts) {
    sse += (g - f) ** 2;
    sst += (g - mean) ** 2;
  }
  return sst > 1e-24 ? 1 - sse / sst : 1;
}

/**
 * Calibrate the cost model from the source's days (or the source as one day), for a side
 * and an order size. PlannerError('infeasible') naming what is missing when it cannot.
 */
export function calibrateSource(
  src: BookPlanSource,
  opts: Pick<BookPlanOptions, 'side' | 'shares' | 'lotSize'>,
): Calibration {
  const one = { date: src.date, series: src.series, ladders: src.ladders, stats: src.stats };
  const days = (src.days ?? [one]).map((d): CalibrationDay => {
    // Datasets imported before the start mids and the quoted spread: the period mid and the
    // sampled book's spread stand in.
    const startMids = d.stats?.startMids;
    const mids =
      startMids && startMids.length === d.series.length ? startMids : d.series.map((p) => p.mid);
    const known = d.stats?.openingAuction !== undefined || d.stats?.closingAuction !== undefined;
    return {
      date: d.date,
      mids,
      spreads: d.series.map((p) => (p.quotedSpread !== undefined ? p.quotedSpread : p.spread)),
      volumes: d.series.map((p) => p.volume ?? null),
      auctionVolume: known
        ? (d.stats?.openingAuction?.volume ?? 0) + (d.stats?.closingAuction?.volume ?? 0)
        : null,
      ladders: d.ladders[opts.side],
    };
  });
  try {
    return calibrate(days, {
      periodMinutes: src.periodMinutes,
      periods: src.periods,
      shares: opts.shares,
      lotSize: opts.lotSize,
    });
  } catch (e) {
    if (e instanceof PlannerError) throw e;
    throw new CalibrationError(
      `cannot calibrate the cost model from ${src.fileName}: ${(e as Error).message}; use the book or power model`,
    );
  }
}

/** The days cannot be calibrated (a PlannerError 'infeasible' naming what is missing). */
export class CalibrationError extends PlannerError {
  constructor(message: string) {
    super('infeasible', message);
  }
}

/** S shares over N periods as evenly as whole shares allow. */
function evenShares(shares: number, n: number): number[] {
  const base = Math.floor(shares / n);
  const extra = shares - base * n;
  return Array.from({ length: n }, (_, t) => base + (t < extra ? 1 : 0));
}

/** The calibrated model in a few words for the plan's notes. */
export function calibrationNote(cal: Calibration, shares: number): string {
  const im = cal.impact;
  const c = im.calibration!;
  const spreads = Array.isArray(im.spread) ? im.spread : [im.spread];
  const half = (median(spreads) ?? 0) / 2;
  return (
    `Calibrated cost g_t(x) = ½·s_t + η·σ·p_t·(x/V_t)^β from ${c.days} day(s): ` +
    `σ = ${im.sigma.toPrecision(3)} a day (${c.sigmaEstimator}; variance ratio ${c.varianceRatio}), ` +
    `median half-spread ${half.toPrecision(3)}, η = ${im.eta!.toPrecision(3)} (${im.sources?.eta}), ` +
    `β = ${im.beta} (${im.sources?.beta}), fit R² = ${c.r2}; ` +
    `V_t, s_t and p_t are robust over the days, smoothed and shrunk toward the day-wide value. ` +
    `${fmtInt(shares)} shares at an even pace would cost about ${((calibratedScheduleCost(im, cal.volumeProfile, evenShares(shares, cal.volumeProfile.length)) / shares) * 100).toPrecision(3)}¢ a share.` +
    (c.notes?.length ? ' ' + c.notes.join(' ') : '')
  );
}
