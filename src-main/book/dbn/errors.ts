/**
 * Why a DBN file could not be read, in words a trader can act on: the file, then the problem
 * ("trades.dbn.zst: a DBN file of schema trades; only mbp-10 can be imported"). Callers show
 * `message` (the same as `userMessage`) and never the stack.
 */

export type DbnProblem =
  'empty' | 'not_dbn' | 'version' | 'schema' | 'metadata' | 'truncated' | 'record' | 'zstd' | 'io';

export class DbnError extends Error {
  /** The file and the problem in one line, for the user. */
  readonly userMessage: string;
  constructor(
    readonly problem: DbnProblem,
    readonly file: string,
    detail: string,
  ) {
    const message = `${file}: ${detail}`;
    super(message);
    this.name = 'DbnError';
    this.userMessage = message;
  }
}
