/**
 * The CLI's small command table and the helpers every command shares: `CliError`/`fail()` for
 * errors that name the field (plan files: planArgument.ts), and `runCli()`, which dispatches
 * `argv` to a command and turns every failure into exactly one `error: …` line on stderr and
 * exit status 2 (1 for a bug) — never a stack trace.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { PlannerError } from '@shared/contract';
import type { CommandHelp } from './commandHelp';
import { parseShares, SHARES_EXAMPLES } from '@shared/numbers';
import { escapeControlChars, escapeControlCharsKeepingLines } from '@shared/planFile';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface Command extends CommandHelp {
  /** Runs the command; returns the exit status (0 ok). Throw CliError/PlannerError to fail. */
  run: (argv: string[], io: CliIo) => number | Promise<number>;
}

/** An error the user caused; `message` names the field or flag and the problem. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * A share-count flag as a trader types it ("200000", "200,000", "200k", "1.5m"; see
 * parseShares), undefined when the flag is not given.
 */
export function sharesFlag(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const r = parseShares(raw);
  if (r.ok) return r.value;
  throw new CliError(
    r.specific || r.ambiguous
      ? `--${flag}: ${r.error}`
      : `--${flag}: must be a number of shares such as ${SHARES_EXAMPLES} (got "${raw}")`,
  );
}

export function fail(message: string): never {
  throw new CliError(message);
}

export const PROGRAM = 'npm run --silent cli --';

/** parseArgs for one command; unknown flags and wrong positional counts become CliErrors. */
export function parseCommandArgs<T extends ParseArgsOptionsConfig>(
  command: Pick<Command, 'usage'>,
  argv: string[],
  options: T,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    return fail(`${oneLine((e as Error).message)} (usage: ${command.usage})`);
  }
}

export function usageText(commands: readonly Command[]): string {
  const lines = commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]);
  return [
    `Order Planner command line. Usage: ${PROGRAM} <command> …`,
    '',
    ...lines,
    '',
    `${PROGRAM} <command> --help shows one command. Errors: exit status 2 and one line on`,
    'stderr starting "error:".',
    '',
  ].join('\n');
}

/**
 * Dispatch argv (without node and script) to a command; returns the exit status. Everything
 * a command prints passes through escapeControlCharsKeepingLines: a plan name, a symbol or a
 * file name with ESC, BEL, backspace, DEL or C1 controls cannot rewrite the terminal (nor
 * reach a CSV or JSON redirected to a file) however the command built its text.
 */
export async function runCli(
  argv: string[],
  commands: readonly Command[],
  rawIo: CliIo,
): Promise<number> {
  const io: CliIo = {
    stdout: (text) => rawIo.stdout(escapeControlCharsKeepingLines(text)),
    stderr: (text) => rawIo.stderr(escapeControlCharsKeepingLines(text)),
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usageText(commands));
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) {
      return fail(
        `unknown command "${name}" (commands: ${commands.map((c) => c.name).join(', ')}; --help for usage)`,
      );
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`Usage: ${PROGRAM} ${command.usage}\n${command.summary}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (e) {
    return reportError(e, io);
  }
}

/**
 * Print what went wrong as one `error: …` line on stderr and return the exit status: a
 * CliError's own, 2 for bad input or files (a PlannerError), 1 for a bug. Control characters
 * (from a file, a file name or an argument) are shown escaped, never sent to the terminal.
 */
export function reportError(e: unknown, io: CliIo): number {
  const [message, status] =
    e instanceof CliError
      ? [e.message, e.exitCode]
      : isPlannerError(e)
        ? [e.message, e.code === 'internal' ? 1 : 2]
        : [`unexpected: ${e instanceof Error ? e.message : String(e)}`, 1];
  io.stderr(`error: ${escapeControlChars(oneLine(message))}\n`);
  return status;
}

// ---------------------------------------------------------------------------------------
// Helpers

/**
 * A PlannerError, told by its name: importing the class would load the contract's schemas
 * (zod) into every command, `--help` included.
 */
function isPlannerError(e: unknown): e is PlannerError {
  return e instanceof Error && e.name === 'PlannerError' && 'code' in e;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
