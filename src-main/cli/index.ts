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
import { writeSync } from 'node:fs';

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
  lazy(BOOK_PLAN_HELP, async () => {
    // The CSV reader thread starts before the import's code loads, so its start overlaps
    // the loading instead of the parsing (a DBN file leaves it unused; it does not keep the
    // process alive).
    (await import('../book/mbp10/readerThread')).startReaderThread();
    return (await import('./bookPlan')).runBookPlan;
  }),
  lazy(REPLAY_HELP, async () => (await import('./replay')).replayCommand.run),
  lazy(VALIDATE_HELP, async () => (await import('./validate')).validateCommand.run),
];

/**
 * Standard output written with fs.writeSync: synchronously, as process.stdout writes files
 * (and pipes and terminals on Linux), without building the stream (5–10 ms of a start). A descriptor that would block (EAGAIN: a non-blocking pipe that is full) hands
 * what is left, and all later text, to process.stdout. On Windows the stream writes from the
 * start (a console needs its UTF-16 conversion). A closed pipe (e.g. `| head`) ends the
 * process quietly, exit status 0.
 */
function stdoutWriter(): (text: string) => void {
  let stream: NodeJS.WriteStream | undefined;
  const toStream = (text: string | Buffer) => {
    if (!stream) {
      stream = process.stdout;
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(0);
      });
    }
    stream.write(text);
  };
  if (process.platform === 'win32') return toStream;
  return (text) => {
    if (stream) return toStream(text);
    try {
      const written = writeSync(1, text);
      if (written < Buffer.byteLength(text)) writeRest(Buffer.from(text).subarray(written));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw e;
      toStream(text);
    }
  };
  /** The rest of a partial write, with writeSync until it would block, then the stream. */
  function writeRest(rest: Buffer): void {
    while (rest.length > 0) {
      try {
        rest = rest.subarray(writeSync(1, rest));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') process.exit(0);
        if (code !== 'EAGAIN') throw e;
        return toStream(rest);
      }
    }
  }
}

runCli(process.argv.slice(2), COMMANDS, {
  stdout: stdoutWriter(),
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
