/**
 * `solve PLAN.json [--csv]`: solve a plan file exactly and print the result as JSON (the
 * SolveResult contract) or the schedule as CSV.
 */
import { solvePlan } from '@shared/solver';
import { scheduleToCsv } from '@shared/csv';
import { fail, parseCommandArgs, readPlanFile, type Command } from './commands';

const USAGE = 'solve PLAN.json [--csv]';

export const solveCommand: Command = {
  name: 'solve',
  usage: USAGE,
  summary: 'solve a plan file exactly; prints the result as JSON, or the schedule as CSV',
  run(argv, io) {
    const { values, positionals } = parseCommandArgs(solveCommand, argv, {
      csv: { type: 'boolean' },
    });
    if (positionals.length !== 1) {
      fail(
        positionals.length === 0
          ? `PLAN.json: the plan file is required (usage: ${USAGE})`
          : `PLAN.json: expected one plan file, got ${positionals.length}`,
      );
    }
    const plan = readPlanFile(positionals[0]);
    const result = solvePlan(plan);
    io.stdout(values.csv ? scheduleToCsv(result) : JSON.stringify(result, null, 2) + '\n');
    return 0;
  },
};
