/**
 * CLI entry (out/main/cli.js): `npm run --silent cli -- <command> …`. Commands live in their
 * own files and are listed here; see commands.ts for the shared helpers.
 */
import { runCli, type Command } from './commands';
import { solveCommand } from './solve';
import { frontierCommand } from './frontier';
import { BOOK_PLAN_USAGE, runBookPlan } from './bookPlan';
import { replayCommand } from './replay';
import { escapeControlChars } from '@shared/planFile';
import { validateCommand } from './validate';

export const COMMANDS: readonly Command[] = [
  solveCommand,
  frontierCommand,
  {
    name: 'book-plan',
    usage: BOOK_PLAN_USAGE,
    summary:
      'turn Databento MBP-10 files (CSV, .dbn or .dbn.zst; one day, or several days) into a plan file: the calibrated cost model by default (--model book: the exact ladders; --model power or --fit: the fitted power law); each child order capped at 25% of the period’s expected volume by default (--max-participation to change it); the import and calibration reports go to stderr',
    run: (argv, io) => runBookPlan(argv, io),
  },
  replayCommand,
  validateCommand,
];

// A closed pipe (e.g. `| head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

runCli(process.argv.slice(2), COMMANDS, {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`error: unexpected: ${escapeControlChars(message)}\n`);
    process.exitCode = 1;
  },
);
