/**
 * Each command's name, usage and summary: what `--help` prints. Kept apart from the commands'
 * code, so that the help and the command table load none of it (index.ts imports a command's
 * module only when that command runs).
 */

/** What `--help` says about one command. */
export interface CommandHelp {
  name: string;
  /** One-line usage without the program name, e.g. "solve PLAN.json [--csv]". */
  usage: string;
  summary: string;
}

/** Point count bounds and default of `frontier`: the contract's (frontier operation). */
export const FRONTIER_MIN_POINTS = 3;
export const FRONTIER_MAX_POINTS = 60;
export const FRONTIER_DEFAULT_POINTS = 25;

export const SOLVE_HELP: CommandHelp = {
  name: 'solve',
  usage: 'solve PLAN.json [--csv [--raw] [--date YYYY-MM-DD] | --curve]',
  summary:
    'solve a plan file exactly; prints the result as JSON, the schedule as CSV (--csv: a ' +
    '"# name: value" header block, ISO 8601 times on --date, a NYSE trading day, default the ' +
    "next trading day in the session's time zone, shares whole, prices to 4 decimals and bps to 2 unless --raw), or " +
    'the cost by order size as CSV (--curve: shares,cost,cost_bps for every lot count from 0 ' +
    'to the whole order, each size solved optimally by the DP engine; sizes that cannot be ' +
    'traded, e.g. below minOrderSize, are left out; cost_bps empty without referencePrice)',
};

export const FRONTIER_HELP: CommandHelp = {
  name: 'frontier',
  usage: 'frontier PLAN.json [--points K] [--csv]',
  summary:
    'the efficient frontier of a plan with a risk object: K exact solves (--points, ' +
    `${FRONTIER_MIN_POINTS} to ${FRONTIER_MAX_POINTS}, default ${FRONTIER_DEFAULT_POINTS}) over the risk ` +
    'aversion from 0 to trading at once; prints a JSON array of { aversion, expectedCost, ' +
    'timingRiskSd, schedule } (schedule: shares per period), or with --csv the table ' +
    'aversion,expected_cost,timing_risk_sd, one row per point',
};

export const BOOK_PLAN_HELP: CommandHelp = {
  name: 'book-plan',
  usage:
    'book-plan FILE... --shares S --side buy|sell [--lot Q] [--period-minutes 1] ' +
    '[--session 09:30-16:00] [--time-zone America/New_York] [--date YYYY-MM-DD] ' +
    '[--sampling average|start] [--arrival HH:MM] [--model calibrated|book|power] [--fit] ' +
    '[--max-participation 25%|0.25|none] [--strict] [--name NAME]',
  summary:
    'turn Databento MBP-10 files (CSV, .dbn or .dbn.zst; one day, or several days) into a plan file: the calibrated cost model by default (--model book: the exact ladders; --model power or --fit: the fitted power law); each child order capped at 25% of the period’s expected volume by default (--max-participation to change it); the import and calibration reports go to stderr',
};

export const REPLAY_HELP: CommandHelp = {
  name: 'replay',
  usage:
    'replay PLAN.json BOOK.csv [--json] [--date YYYY-MM-DD] [--strict] [--recovery-half-life SECONDS] [--allow-other-symbol]',
  summary:
    'solve a plan and replay the optimum and the baselines against a day of real MBP-10 ' +
    'books, CSV or DBN (each child order walks the book in effect when it is sent); prints planned and ' +
    'replayed cost side by side, then the TCA: implementation shortfall against the arrival ' +
    'mid in $ and bps per schedule, with a POV baseline (--json: the numbers as JSON); ' +
    'labelled in-sample on a day the plan was made from; refuses a day of another symbol than ' +
    "the plan's unless --allow-other-symbol (then labelled another symbol's day). " +
    '--recovery-half-life S: liquidity taken comes back with that half-life (default 0: the ' +
    'recorded book as it is). The import report goes to stderr',
};

export const VALIDATE_HELP: CommandHelp = {
  name: 'validate',
  usage:
    'validate DAY.csv DAY.csv... --shares S --side buy|sell [--lot Q] [--model calibrated|book|power] ' +
    '[--mode leave-one-out|walk-forward] [--recovery-half-life SECONDS] [--json] ' +
    '[--period-minutes 1] [--session 09:30-16:00] [--time-zone America/New_York] ' +
    '[--sampling average|start] [--strict]',
  summary:
    'out-of-sample check of book plans on several days of one symbol: for each day, plan ' +
    'from the other days (--mode walk-forward: from the earlier days) and replay the optimum ' +
    'and the baselines on the day left out; prints planned and realised cost (bps, ¢/share, ' +
    '$), the saving against TWAP and VWAP with a 95% interval, the bias (realised / planned) ' +
    'and the in-sample figures beside them (--json: the report). Import reports go to stderr',
};
