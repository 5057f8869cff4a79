/**
 * What a plan from a book is built from (an imported dataset, or several days averaged) and
 * with (the order, the model, the reference time, the participation cap), and the defaults.
 */
import type { Session } from '../plan';
import type { BookPeriod, BookSide, BookStats, Ladder } from './types';

/** What a plan needs from an imported dataset. */
export interface BookPlanSource {
  symbol: string;
  date: string;
  fileName: string;
  periods: number;
  periodMinutes: number;
  session: Session;
  series: BookPeriod[];
  ladders: { buy: Ladder[]; sell: Ladder[] };
  /** Null for datasets imported before the statistics existed (start sampling, no volume). */
  stats: BookStats | null;
  /**
   * The days behind the source, one by one, for the calibrated model's robust estimates
   * (their ladders: the books in effect at the period starts where the import has them).
   * Absent: the source itself is the one day (its own ladders).
   */
  days?: {
    date: string;
    series: BookPeriod[];
    ladders: { buy: Ladder[]; sell: Ladder[] };
    /** The day's import statistics (start mids, auction prints), where known. */
    stats?: BookStats | null;
  }[];
}

/** Cost models a plan from a book can use. */
export const BOOK_MODELS = ['calibrated', 'book', 'power'] as const;
export type BookModel = (typeof BOOK_MODELS)[number];

export interface BookPlanOptions {
  shares: number;
  side: BookSide;
  lotSize: number;
  /** True: the fitted power law ½s + β·p_t·x^α (when `model` is absent). */
  fit: boolean;
  /** The model; absent: the power law with `fit`, else the calibrated model (the exact book
   *  when the days cannot be calibrated). */
  model?: BookModel;
  name?: string;
  /** Clock time HH:MM whose period's mid is the reference price (default: the arrival mid). */
  arrival?: string;
  /**
   * Cap on each child order as a fraction of its period's expected volume. Absent: the
   * default DEFAULT_MAX_PARTICIPATION, left out (and said in the notes) when it cannot fill
   * the order; null: no cap. Needs the volume of the trades (no volume, no cap).
   */
  maxParticipation?: number | null;
}

/**
 * The participation cap of plans made from data: no child order above a quarter of its
 * period's expected volume, a common desk limit (docs/orderbook.md, "Participation cap").
 */
export const DEFAULT_MAX_PARTICIPATION = 0.25;

/** A pooled R² below this is reported as a poor fit. */
export const POOR_FIT_R2 = 0.8;
