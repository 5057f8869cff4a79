/**
 * The record both readers hand the book, whichever format they decoded (CSV rows, DBN
 * records): the snapshot layout of its levels, the mark of an empty level, and the facts about
 * the file the readers gather on the way (row counts, symbol, venues, the time origin).
 */
import { PlannerError } from '@shared/contract';

export const LEVELS = 10;
/** Snapshot layout: bid px ×10, bid sz ×10, ask px ×10, ask sz ×10. */
export const SNAP = 4 * LEVELS;
export const BID_PX = 0;
export const BID_SZ = LEVELS;
export const ASK_PX = 2 * LEVELS;
export const ASK_SZ = 3 * LEVELS;

/** Marks an empty level's price in the row scratch (fails every `> 0` test). */
export const EMPTY_MARK = -Infinity;

/** What the readers learn about the file besides its records. */
export class InputFacts {
  /** Data rows (CSV, malformed ones included) or records (DBN) read. */
  rows = 0;
  /** Malformed rows and the line numbers of the first MAX_BAD_LINES of them. */
  bad = 0;
  readonly badLines: number[] = [];
  symbol = '';
  /** publisher_id values seen (one venue's book when there is only one). */
  readonly publishers = new Set<number>();
  /** Whether the input has an action per row (T: trade, R: clear); without it, no volume. */
  hasActions = false;
  /** The first record's whole second (UTC, s since the epoch): record times are ns after it,
   *  so a double holds them exactly (±104 days). */
  baseSec = NaN;
}

export function notMbp10(why: string): PlannerError {
  return new PlannerError('invalid_input', `not a Databento MBP-10 CSV file: ${why}`);
}
