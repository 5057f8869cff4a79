/**
 * `solve PLAN.json [--csv [--raw] [--date YYYY-MM-DD] | --curve]`: solve a plan file exactly
 * and print the result as JSON (the SolveResult contract), the schedule as CSV (the window's
 * export: rounded unless --raw, times on --date, default the next trading day in the session's
 * time zone), or the cost-by-size curve as CSV. A --date the exchange does not trade on (a
 * weekend, an NYSE holiday, an early close the session runs past) is refused.
 */
import { DEFAULT_TIME_LIMIT_MS, solvePlan } from '@shared/solver';
import { isCalendarDate } from '@shared/calendar';
import { sessionDayProblem } from '@shared/session';
import { PlannerError } from '@shared/contract';
import type { Plan } from '@shared/plan';
import type { CostCurve } from '@shared/result';
import { CliError, fail, parseCommandArgs, type Command } from './commands';
import { planArgument } from './planArgument';
import { SOLVE_HELP } from './commandHelp';

const USAGE = SOLVE_HELP.usage;

/**
 * Periods up to which the JSON result is written as one string (about 300 bytes a period, so
 * at most about 3 MB); the same text either way.
 */
export const ONE_STRING_MAX_PERIODS = 10_000;

/** Header of `--curve`: lot count in shares, optimal cost of that size in $ and in bps. */
export const CURVE_CSV_COLUMNS = ['shares', 'cost', 'cost_bps'] as const;

export const solveCommand: Command = {
  ...SOLVE_HELP,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(solveCommand, argv, {
      csv: { type: 'boolean' },
      curve: { type: 'boolean' },
      raw: { type: 'boolean' },
      date: { type: 'string' },
    });
    if (values.curve && values.csv) {
      fail(
        `--curve: cannot be combined with --csv (--curve prints the cost curve as CSV, --csv the schedule; usage: ${USAGE})`,
      );
    }
    for (const flag of ['raw', 'date'] as const) {
      if (values[flag] !== undefined && !values.csv)
        fail(`--${flag}: applies to the schedule CSV only (add --csv; usage: ${USAGE})`);
    }
    if (values.date !== undefined && !isCalendarDate(values.date))
      fail(`--date: must be a day YYYY-MM-DD, such as 2025-03-07 (got "${values.date}")`);
    const plan = planArgument(positionals, USAGE);
    // The CSV writer (and papaparse with it) is loaded only for --csv.
    const csv = values.csv ? await import('@shared/csv') : undefined;
    // The default day can only be an early close the session runs past: name it and the flag.
    const date = csv ? (values.date ?? csv.tradeDate(plan)) : undefined;
    const dayProblem = date === undefined ? null : sessionDayProblem(date, plan.session);
    if (dayProblem)
      fail(
        values.date === undefined
          ? `the default trading day: ${dayProblem} (set --date)`
          : `--date: ${dayProblem}`,
      );
    if (values.curve) {
      writeCurveCsv(solveCurve(plan), io.stdout);
      return 0;
    }
    const result = solvePlan(plan, { timeLimitMs: DEFAULT_TIME_LIMIT_MS });
    if (csv && date !== undefined)
      io.stdout(
        csv.scheduleToCsv(result, { plan, date, solvedAt: Date.now(), raw: values.raw === true }),
      );
    // JSON.stringify(result, null, 2) + '\n': built in one piece by V8's own serializer for a
    // result of up to a few MB (far cheaper on a cold start than the chunked writer, which has
    // not been compiled yet), written in chunks (jsonWriter.ts) for a larger one.
    else if (result.schedule.length <= ONE_STRING_MAX_PERIODS)
      io.stdout(JSON.stringify(result, null, 2) + '\n');
    else (await import('./jsonWriter')).writeJson(result, io.stdout, { space: 2, suffix: '\n' });
    return 0;
  },
};

/**
 * C(N, s) for every lot count. The DP engine computes the whole curve in one run (its last
 * row); the convex method would solve sampled sizes one by one, so the engine is asked for
 * even when the plan is convex. A grid too large for its table is refused with the reason.
 */
function solveCurve(plan: Plan): CostCurve {
  let result;
  try {
    result = solvePlan(plan, {
      curve: Infinity,
      method: 'engine',
      timeLimitMs: DEFAULT_TIME_LIMIT_MS,
    });
  } catch (e) {
    if (e instanceof PlannerError && e.code === 'too_large')
      throw new PlannerError(
        'too_large',
        `${e.message} (--curve prints every lot count, which needs the DP engine's table)`,
      );
    throw e;
  }
  if (!result.costCurve)
    throw new CliError('--curve: the solver returned no cost curve for this plan', 1);
  return result.costCurve;
}

/** Rows per write: a curve can have millions of lot counts; never build one huge string. */
const ROWS_PER_CHUNK = 10_000;

/** The curve as CSV (header, then one row per size); numbers carry 12 significant digits. */
export function writeCurveCsv(curve: CostCurve, write: (text: string) => void): void {
  let chunk = `${CURVE_CSV_COLUMNS.join(',')}\n`;
  for (let i = 0; i < curve.shares.length; i++) {
    const bps = curve.costBps === null ? '' : String(sig(curve.costBps[i]));
    chunk += `${curve.shares[i]},${sig(curve.cost[i])},${bps}\n`;
    if ((i + 1) % ROWS_PER_CHUNK === 0) {
      write(chunk);
      chunk = '';
    }
  }
  if (chunk) write(chunk);
}

/** 12 significant digits: drops binary noise such as 0.00047999999999999996. */
function sig(v: number): number {
  return Number(v.toPrecision(12));
}
