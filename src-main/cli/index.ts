/**
 * CLI entry (out/main/cli.js): `npm run --silent cli -- <command> …`. Commands live in their
 * own files and are listed here by their help (commandHelp.ts); a command's module, and with
 * it the solver, the book import and the zod schemas it needs, is imported only when that
 * command runs, so `--help` and a command's start load no more than they use. See
 * commands.ts for the shared helpers.
 */
import { runCli, type CliIo, type Command } from './commands';
import {
  BOOK_PLAN_HELP,
  FRONTIER_HELP,
  REPLAY_HELP,
  SOLVE_HELP,
  VALIDATE_HELP,
  type CommandHelp,
} from './commandHelp';
import { escapeControlChars } from '@shared/planFile';

/** A command whose code is imported when it runs. */
function lazy(
  help: CommandHelp,
  load: () => Promise<(argv: string[], io: CliIo) => number | Promise<number>>,
): Command {
  return { ...help, run: async (argv, io) => (await load())(argv, io) };
}

export const COMMANDS: readonly Command[] = [
  lazy(SOLVE_HELP, async () => (await import('./solve')).solveCommand.run),
  lazy(FRONTIER_HELP, async () => (await import('./frontier')).frontierCommand.run),
  lazy(BOOK_PLAN_HELP, async () => (await import('./bookPlan')).runBookPlan),
  lazy(REPLAY_HELP, async () => (await import('./replay')).replayCommand.run),
  lazy(VALIDATE_HELP, async () => (await import('./validate')).validateCommand.run),
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
