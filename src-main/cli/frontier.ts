/**
 * `frontier PLAN.json [--points K] [--csv]`: the efficient frontier of a plan with a `risk`
 * object — K exact solves of E + λ·Var over the risk aversion λ, from 0 (risk-neutral) to
 * trading at once. Prints a JSON array of `{ aversion, expectedCost, timingRiskSd, schedule }`
 * (schedule: shares per period), or with --csv one row per point: aversion, expected_cost,
 * timing_risk_sd.
 */
import { DEFAULT_TIME_LIMIT_MS } from '@shared/solver';
import { computeFrontier } from '@shared/solver/frontier';
import type { Frontier } from '@shared/result';
import { fail, parseCommandArgs, type Command } from './commands';
import { planArgument } from './planArgument';
import {
  FRONTIER_DEFAULT_POINTS,
  FRONTIER_HELP,
  FRONTIER_MAX_POINTS,
  FRONTIER_MIN_POINTS,
} from './commandHelp';

const USAGE = FRONTIER_HELP.usage;

export { FRONTIER_DEFAULT_POINTS, FRONTIER_MAX_POINTS, FRONTIER_MIN_POINTS } from './commandHelp';

/** Header of `--csv`. */
export const FRONTIER_CSV_COLUMNS = ['aversion', 'expected_cost', 'timing_risk_sd'] as const;

/** One point as printed in the JSON array. */
export interface FrontierPointOut {
  aversion: number;
  expectedCost: number;
  timingRiskSd: number;
  /** Shares per period. */
  schedule: number[];
}

export const frontierCommand: Command = {
  ...FRONTIER_HELP,
  run(argv, io) {
    const { values, positionals } = parseCommandArgs(frontierCommand, argv, {
      points: { type: 'string' },
      csv: { type: 'boolean' },
    });
    const points =
      values.points === undefined ? FRONTIER_DEFAULT_POINTS : parsePoints(values.points);
    const plan = planArgument(positionals, USAGE);
    if (!plan.risk)
      fail(
        'risk: the efficient frontier needs a risk object in the plan (risk.volatility or ' +
          'risk.annualVolatility)',
      );
    const frontier = computeFrontier(plan, { points, timeLimitMs: DEFAULT_TIME_LIMIT_MS });
    io.stdout(
      values.csv
        ? frontierToCsv(frontier)
        : JSON.stringify(frontierPoints(frontier), null, 2) + '\n',
    );
    return 0;
  },
};

/** `--points` text → a whole number in range, or a CliError naming the option. */
function parsePoints(text: string): number {
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < FRONTIER_MIN_POINTS || n > FRONTIER_MAX_POINTS)
    fail(
      `--points: must be a whole number from ${FRONTIER_MIN_POINTS} to ${FRONTIER_MAX_POINTS} (got ${JSON.stringify(text)})`,
    );
  return n;
}

export function frontierPoints(frontier: Frontier): FrontierPointOut[] {
  return frontier.points.map((p) => ({
    aversion: p.aversion,
    expectedCost: p.expectedCost,
    timingRiskSd: p.timingRiskSd,
    schedule: p.shares,
  }));
}

/** The frontier as CSV: header, then one row per point; numbers carry 12 significant digits. */
export function frontierToCsv(frontier: Frontier): string {
  const rows = frontier.points.map((p) =>
    [p.aversion, p.expectedCost, p.timingRiskSd].map(sig).join(','),
  );
  return [FRONTIER_CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/** 12 significant digits: drops binary noise such as 0.00047999999999999996. */
function sig(v: number): number {
  return Number(v.toPrecision(12));
}
