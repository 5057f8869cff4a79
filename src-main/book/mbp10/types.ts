/** The parser's options and its result: what an import asks for and what it reports. */
import type { Session } from '@shared/plan';
import type { BookPeriod, BookStats, Ladder, Sampling } from '@shared/book';

export interface SampleOptions {
  periodMinutes: number;
  session: Session;
  /** Session date YYYY-MM-DD; default from the data. */
  date?: string;
  /** 'average' (default): the time-averaged book of each period; 'start': the book in
   *  effect at the period's start. */
  sampling?: Sampling;
  /**
   * Whether the session's open and close are the real ones, with their auction prints
   * (default true). False for a clock window cut from inside a longer session: there is no
   * opening or closing cross to tell apart, every trade in the session is continuous volume
   * and continuous trading starts at the session start.
   */
  auctions?: boolean;
}

export type PeriodPoint = BookPeriod;

export interface ParsedBook {
  symbol: string;
  date: string;
  rows: number;
  usableRows: number;
  /** Malformed rows (wrong field count, unparsable numbers or timestamps). */
  badRows: number;
  badRowLines: number[];
  oneSidedRows: number;
  crossedRows: number;
  periods: number;
  periodMinutes: number;
  session: Session;
  emptyPeriods: number[];
  series: PeriodPoint[];
  /** Rows with action R (the book cleared). */
  clearRows: number;
  /** The ladders plans use (per the sampling). */
  ladders: { buy: Ladder[]; sell: Ladder[] };
  /** The book in effect when each period starts (what a child order sent then walks). */
  replayLadders: { buy: Ladder[]; sell: Ladder[] };
  stats: BookStats;
  medianSpread: number | null;
  medianBidDepth: number | null;
  medianAskDepth: number | null;
  priceFormat: 'decimal' | 'fixed' | 'unknown';
  timestampFormat: 'iso' | 'nanoseconds' | 'unknown';
}
