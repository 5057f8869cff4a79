/**
 * `cli -- book-plan FILE... --shares S --side buy|sell [--lot Q] [--period-minutes 1]
 *  [--session 09:30-16:00] [--time-zone America/New_York] [--date YYYY-MM-DD]
 *  [--sampling average|start] [--arrival HH:MM] [--model calibrated|book|power] [--fit]
 *  [--max-participation 25%|0.25|none] [--strict] [--name NAME]`
 *
 * Imports Databento MBP-10 CSV files (without the database) and prints a plan JSON that
 * `cli -- solve` accepts. The cost model (--model): `calibrated` (the default) — half-spread
 * plus η·σ·p_t·(x/V_t)^β with V_t, s_t, σ and p_t robust over the files' days and η, β fitted
 * to walking their books, capped at the visible depth; `book` — the exact time-averaged
 * ladders; `power` (or --fit) — the fitted power law ½s + β·profile·x^α. Several files (days
 * of one symbol) are averaged for the ladders and calibrated day by day. The import report of
 * each file (rows, skipped rows with their first line numbers, coverage, volume, σ) goes to
 * stderr, then the calibration's (σ estimator, variance ratio, fit R², parameter sources);
 * --strict fails on any skipped row. Without traded volume the default falls back to the book
 * model (said on stderr). Each child order is capped at 25% of its period's expected volume
 * by default (--max-participation to change it, `none` for no cap; the default is left out,
 * and said in the plan's notes, when it cannot fill the order). Then one `warning: …` line per
 * warning of the plan (as its solve would give them, with the books' coverage and stale
 * stretches). Errors: exit code 2 and one
 * `error: …` line on stderr.
 */
import { basename } from 'node:path';
import { contractInputs } from '@shared/contract';
import {
  BOOK_MODELS,
  buildBookPlan,
  calibrateSource,
  fmtGapLength,
  type Auction,
  type BookModel,
  type BookPlanSource,
  type BookStats,
} from '@shared/book';
import type { Calibration } from '@shared/calibration';
import { PlannerError } from '@shared/contract';
import { fmtInt } from '@shared/impact';
import { SessionSchema, formatPath, type Plan, type Session } from '@shared/plan';
import { DEFAULT_TIME_LIMIT_MS, solvePlan } from '@shared/solver';
import { bookDataWarnings, mergeWarnings, planWarnings, type Warning } from '@shared/warnings';
import { planFileJson } from '@shared/planFile';
import { importMbp10File, type ImportFileResult } from '../book/mbp10';
import { DEFAULT_SESSION } from '../book/service';
import { planSourceOfDays } from '../book/planSource';
import { CliError, parseCommandArgs, reportError, sharesFlag, type CliIo } from './commands';
import { BOOK_PLAN_HELP } from './commandHelp';

export const BOOK_PLAN_USAGE = BOOK_PLAN_HELP.usage;

/** Run the command; returns the exit status (0 ok, 2 bad input or file, 1 a bug). */
export async function runBookPlan(argv: string[], io: CliIo): Promise<number> {
  try {
    const { plan, source } = await bookPlan(argv, io);
    for (const w of bookPlanWarnings(plan, source)) io.stderr(`warning: ${w.message}\n`);
    io.stdout(planFileJson(plan) + '\n');
    return 0;
  } catch (e) {
    return reportError(e, io);
  }
}

/**
 * What the plan's solve would warn about (src-shared/warnings.ts: the solved child orders'
 * participation, the order against the volume, γ, calibration) and what the books' statistics
 * show (coverage, a book that stood still). A plan the solver refuses is warned from the plan
 * alone; its error is the solve's to give.
 */
export function bookPlanWarnings(plan: Plan, source: BookPlanSource): Warning[] {
  let warnings: Warning[];
  try {
    warnings = solvePlan(plan, { timeLimitMs: DEFAULT_TIME_LIMIT_MS }).warnings;
  } catch {
    warnings = planWarnings(plan);
  }
  return source.stats
    ? mergeWarnings(warnings, bookDataWarnings(source.stats, plan.periods))
    : warnings;
}

/** The import options shared by book-plan and replay. */
export const IMPORT_FLAGS = {
  'period-minutes': { type: 'string' },
  session: { type: 'string' },
  'time-zone': { type: 'string' },
  date: { type: 'string' },
  sampling: { type: 'string' },
  strict: { type: 'boolean' },
} as const;

/**
 * --max-participation: "25%" or "0.25" (a fraction of each period's expected volume), "none"
 * for no cap; absent: the default of plans made from data.
 */
export function participationFlag(raw: string | undefined): number | null | undefined {
  if (raw === undefined) return undefined;
  const t = raw.trim();
  if (t.toLowerCase() === 'none') return null;
  const pct = t.endsWith('%');
  const v = Number(pct ? t.slice(0, -1) : t);
  const f = pct ? v / 100 : v;
  if (t === '' || t === '%' || !Number.isFinite(v) || !(f > 0) || f > 1)
    throw new CliError(
      `--max-participation: must be a percentage such as 25% or a fraction such as 0.25 (above 0, at most 100%), or none (got "${raw}")`,
    );
  return f;
}

export function numberFlag(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v))
    throw new CliError(`--${flag}: must be a number (got "${raw}")`);
  return v;
}

/** --session / --time-zone into a Session (default 09:30–16:00 New York). */
export function sessionFlags(clockFlag?: string, zoneFlag?: string): Session {
  if (clockFlag === undefined && zoneFlag === undefined) return DEFAULT_SESSION;
  const clock = clockFlag ?? `${DEFAULT_SESSION.start}-${DEFAULT_SESSION.end}`;
  const m = /^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/.exec(clock);
  if (!m) throw new CliError(`--session: must be HH:MM-HH:MM such as 09:30-16:00 (got "${clock}")`);
  const r = SessionSchema.safeParse({
    start: m[1].padStart(5, '0'),
    end: m[2].padStart(5, '0'),
    timeZone: zoneFlag ?? DEFAULT_SESSION.timeZone,
  });
  if (!r.success) throw new CliError(flagIssue(r.error.issues, 'session'));
  return r.data;
}

/**
 * Import one file with the parsed flags, print its report on stderr and, with --strict,
 * fail on any skipped (malformed) row.
 */
export async function importReported(
  file: string,
  flags: {
    periodMinutes?: number;
    session: Session;
    date?: string;
    sampling?: string;
    strict?: boolean;
  },
  io: CliIo,
): Promise<ImportFileResult> {
  const opts = contractInputs.importBook.safeParse({
    periodMinutes: flags.periodMinutes,
    date: flags.date,
    sampling: flags.sampling,
  });
  if (!opts.success) throw new CliError(flagIssue(opts.error.issues));
  const book = await importMbp10File(file, {
    periodMinutes: opts.data.periodMinutes,
    session: flags.session,
    date: opts.data.date,
    sampling: opts.data.sampling,
    fileName: basename(file),
  });
  for (const line of importReport(book, basename(file))) io.stderr(`${line}\n`);
  if (flags.strict && book.badRows > 0) {
    throw new CliError(
      `--strict: ${basename(file)} has ${fmtInt(book.badRows)} malformed row(s)${book.badRowLines.length ? ` (first at lines ${book.badRowLines.slice(0, 10).join(', ')})` : ''}`,
    );
  }
  return book;
}

/** The import report, a few lines a trader can read. */
export function importReport(book: ImportFileResult, name: string): string[] {
  const st = book.stats;
  const lines: string[] = [];
  const skipped =
    book.badRows > 0
      ? `${fmtInt(book.badRows)} malformed row(s) skipped (first at lines ${book.badRowLines.slice(0, 10).join(', ')})`
      : 'no malformed rows';
  lines.push(
    `${name}: ${book.symbol} ${book.date}, ${fmtInt(book.rows)} rows, ${fmtInt(book.usableRows)} usable; ${skipped}; ${fmtInt(book.oneSidedRows)} one-sided, ${fmtInt(book.crossedRows)} crossed or locked`,
  );
  const gap = st.largestGap
    ? `; largest gap ${st.largestGap.from}–${st.largestGap.to} (${fmtGapLength(st.largestGap.minutes)})`
    : '';
  lines.push(
    `${name}: ${book.session.start}–${book.session.end} ${book.session.timeZone}, ${book.periods} periods of ${book.periodMinutes} min, ${st.sampling === 'average' ? 'time-averaged books' : 'book at each period start'}: ${st.coveredPeriods} covered (${st.partialPeriods} partly), ${book.periods - st.coveredPeriods} not covered${gap}; data ${st.dataStart ?? '?'} to ${st.dataEnd ?? '?'}`,
  );
  const volume =
    st.volume === null
      ? 'no volume (no action column)'
      : `continuous volume ${fmtInt(st.volume)} shares in ${fmtInt(st.trades ?? 0)} trades`;
  const sigma = st.sigma
    ? `σ ${st.sigma.value.toPrecision(3)} per period (${st.sigma.changes} changes)`
    : 'σ unknown (too few mid changes)';
  const arrival = st.arrival
    ? `arrival mid ${st.arrival.mid} at ${st.arrival.at}`
    : 'no arrival mid';
  lines.push(`${name}: ${volume}; ${sigma}; ${arrival}`);
  lines.push(`${name}: ${bookValidityText(st)}`);
  return lines;
}

/** Continuous start, opening spread, auctions, the book's age and the venues, in words. */
export function bookValidityText(st: BookStats): string {
  const parts: string[] = [];
  if (st.continuous) {
    const spread =
      st.continuous.spread === null ? 'no book then' : `spread ${st.continuous.spread}`;
    parts.push(
      `continuous trading from ${st.continuous.start} (${st.continuous.rule === 'opening print' ? 'the opening print' : 'no opening print: the session start'}; ${spread})`,
    );
  }
  const auction = (what: string, a: Auction | null | undefined) =>
    a
      ? `${what} auction ${fmtInt(a.volume)} shares at ${a.at}${a.price === null ? '' : ` (${a.price})`}`
      : `no ${what} auction print`;
  if (st.volume !== null && st.continuous) {
    parts.push(
      `${auction('opening', st.openingAuction)}, ${auction('closing', st.closingAuction)} (not in the continuous volume)`,
    );
  }
  if (st.longestStale !== undefined) {
    parts.push(
      st.longestStale
        ? `longest stale stretch ${st.longestStale.from}–${st.longestStale.to} (${fmtGapLength(st.longestStale.minutes)} one book in effect)`
        : 'no book older than a second',
    );
  }
  if (st.publishers && st.publishers.length === 1) {
    parts.push(
      `one venue's book only (publisher_id ${st.publishers[0]}): the visible depth is a fraction of the market's`,
    );
  }
  return parts.join('; ');
}

async function bookPlan(
  argv: string[],
  io: CliIo,
): Promise<{ plan: Plan; source: BookPlanSource }> {
  const { values, positionals } = parseCommandArgs({ usage: BOOK_PLAN_USAGE }, argv, {
    shares: { type: 'string' },
    side: { type: 'string' },
    lot: { type: 'string' },
    fit: { type: 'boolean' },
    model: { type: 'string' },
    name: { type: 'string' },
    arrival: { type: 'string' },
    'max-participation': { type: 'string' },
    ...IMPORT_FLAGS,
  });
  if (positionals.length === 0) {
    throw new CliError(`FILE: the MBP-10 CSV file is required (usage: ${BOOK_PLAN_USAGE})`);
  }
  if (values.shares === undefined) throw new CliError('--shares: is required');
  if (values.side === undefined) throw new CliError('--side: is required (buy or sell)');

  if (values.model !== undefined && !(BOOK_MODELS as readonly string[]).includes(values.model)) {
    throw new CliError(`--model: must be one of ${BOOK_MODELS.join(', ')} (got "${values.model}")`);
  }
  if (values.fit && values.model !== undefined && values.model !== 'power') {
    throw new CliError(`--fit: is the power model; it cannot be used with --model ${values.model}`);
  }
  const chosen = values.model as BookModel | undefined;
  const model: BookModel = values.fit ? 'power' : (chosen ?? 'calibrated');
  const planInput = contractInputs.bookPlan.safeParse({
    id: 'cli',
    shares: sharesFlag('shares', values.shares),
    side: values.side,
    lotSize: numberFlag('lot', values.lot),
    fit: model === 'power',
    model,
    name: values.name,
    arrival: values.arrival,
    maxParticipation: participationFlag(values['max-participation']),
  });
  if (!planInput.success) throw new CliError(flagIssue(planInput.error.issues));
  const session = sessionFlags(values.session, values['time-zone']);
  const flags = {
    periodMinutes: numberFlag('period-minutes', values['period-minutes']),
    session,
    date: values.date,
    sampling: values.sampling,
    strict: values.strict,
  };
  if (positionals.length > 1 && values.date !== undefined) {
    throw new CliError('--date: cannot be used with several files (each file is its own day)');
  }
  const books: ImportFileResult[] = [];
  for (const file of positionals) books.push(await importReported(file, flags, io));
  const source = bookPlanSource(
    books,
    positionals.map((f) => basename(f)),
    io,
  );
  if (model === 'calibrated') {
    let cal: Calibration;
    try {
      cal = calibrateSource(source, planInput.data);
    } catch (e) {
      // Asked for by name: the error stands. By default: the exact book, said plainly.
      if (chosen === 'calibrated' || !(e instanceof PlannerError)) throw e;
      io.stderr(`calibrated model not possible (${e.message}); the exact book model is used\n`);
      return { plan: buildBookPlan(source, { ...planInput.data, model: 'book' }), source };
    }
    for (const line of calibrationReport(cal)) io.stderr(`${line}\n`);
  }
  return { plan: buildBookPlan(source, planInput.data), source };
}

/**
 * The plan source of imported files: one day as it is, several days of one symbol averaged
 * (planSourceOfDays; the average is reported on stderr). Used by book-plan and validate.
 */
export function bookPlanSource(
  books: ImportFileResult[],
  names: string[],
  io?: CliIo,
): BookPlanSource {
  const source = planSourceOfDays(
    books.map((b, i) => ({ ...b, id: names[i], fileName: names[i] })),
  );
  if (books.length > 1) {
    const stats = source.stats!;
    const dates = stats.days!.map((d) => d.date);
    io?.stderr(
      `average of ${books.length} days (${dates.join(', ')}): volume ${stats.volume === null ? 'unknown' : fmtInt(Math.round(stats.volume))} shares a day; σ ${stats.sigma ? stats.sigma.value.toPrecision(3) : 'unknown'} per period\n`,
    );
  }
  return source;
}

/** The calibration in a few lines for stderr: σ and its estimator, variance ratio, the fit. */
export function calibrationReport(cal: Calibration): string[] {
  const im = cal.impact;
  const c = im.calibration!;
  const src = im.sources ?? {};
  const spreads = Array.isArray(im.spread) ? im.spread : [im.spread];
  const sorted = [...spreads].sort((a, b) => a - b);
  return [
    `calibrated model from ${c.days} day(s): σ ${im.sigma.toPrecision(3)} a day (${cal.sigmaPerPeriod.toPrecision(3)} per period; one-period changes alone give ${cal.naiveSigmaPerPeriod.toPrecision(3)}); estimator ${c.sigmaEstimator}; variance ratio ${c.varianceRatio}`,
    `calibrated model: spread s_t median ${sorted[sorted.length >> 1].toPrecision(3)} (${sorted[0].toPrecision(3)}–${sorted[sorted.length - 1].toPrecision(3)}); V_day ${fmtInt(Math.round(im.dailyVolume ?? 0))} shares; η ${im.eta!.toPrecision(3)}, β ${im.beta}, γ ${im.gamma} (fit R² ${c.r2} over ${fmtInt(cal.fit.points)} points)`,
    `calibrated model sources: ${Object.entries(src)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}${c.notes?.length ? `; ${c.notes.join(' ')}` : ''}`,
  ];
}

const FLAGS: Record<string, string> = {
  shares: '--shares',
  side: '--side',
  lotSize: '--lot',
  periodMinutes: '--period-minutes',
  date: '--date',
  name: '--name',
  arrival: '--arrival',
  sampling: '--sampling',
  start: '--session',
  end: '--session',
  timeZone: '--time-zone',
};

export function flagIssue(
  issues: { path: PropertyKey[]; message: string }[],
  fallback = 'input',
): string {
  const i = issues[0];
  const key = String(i.path[i.path.length - 1] ?? '');
  const flag = FLAGS[key] ?? (i.path.length ? formatPath(i.path) : `--${fallback}`);
  return `${flag}: ${i.message}`;
}
