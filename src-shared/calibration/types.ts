/** The calibrated model's plan object, its inputs per day, options and result, and defaults. */
import type { Ladder } from '../book/types';
import type { CalibratedParameter } from '../plan';

/** The published parameters (Almgren, Thum, Hauptmann, Li 2005). */
export const PUBLISHED = { eta: 0.142, beta: 0.6, gamma: 0.314 } as const;

export type ParamSource = 'default' | 'fitted' | 'typed';

/**
 * The plan file's `calibrated` impact object (the agreed shape; the plan schema checks it).
 */
export interface CalibratedImpact {
  model: 'calibrated';
  /** σ: daily volatility of the price, $ per share per day. */
  sigma: number;
  /** s_t: typical quoted spread, $ — one number or N. */
  spread: number | number[];
  eta?: number;
  beta?: number;
  gamma?: number;
  /** p_t: N multipliers of σ, mean about 1. */
  volatilityProfile?: number[];
  /** V_day shares (default: the sum of the plan's volumeProfile). */
  dailyVolume?: number;
  feePerShare?: number;
  /** Provenance per parameter (the keys the plan schema allows). */
  sources?: Partial<Record<CalibratedParameter, ParamSource>>;
  calibration?: {
    days?: number;
    dates?: string[];
    sigmaEstimator?: string;
    varianceRatio?: number;
    r2?: number;
    notes?: string[];
  };
}

/** One day's per-period figures, as calibration needs them. */
export interface CalibrationDay {
  date: string;
  /** Mid of the book in effect when each period's child order is sent (null: no book). */
  mids: (number | null)[];
  /** Quoted spread of each period: time-weighted ask − bid over the part with a book. */
  spreads: (number | null)[];
  /** Shares traded in each period in continuous trading (null: unknown). */
  volumes: (number | null)[];
  /** Shares of the day's opening and closing auction prints (null or absent: unknown; 0:
   *  none, as in a clock window cut from inside a session). Never in `volumes`. */
  auctionVolume?: number | null;
  /**
   * The books an order would walk, one per period (cheapest level first, offsets from the
   * mid): the books in effect at the period starts where the import has them.
   */
  ladders: Ladder[];
}

export interface CalibrationOptions {
  periodMinutes: number;
  /** Periods per day N (every day must have N of each figure). */
  periods: number;
  /** The order size and lot, for the grid of sizes of the η fit. */
  shares: number;
  lotSize?: number;
  /** Steps of the two-scale σ estimator, in minutes (default 10). */
  sigmaStepMinutes?: number;
  /** Prior weight of the day-wide value, in days (default SHRINK_DAYS). */
  shrinkDays?: number;
  /** Half-width of the smoothing window, in minutes (default 7). */
  smoothMinutes?: number;
  feePerShare?: number;
}

export const SHRINK_DAYS = 2;
/** A fit of η explaining less of the walk costs than this keeps the published values. */
export const MIN_FIT_R2 = 0.2;

export interface Calibration {
  impact: CalibratedImpact;
  /** V_t: expected shares per period (the plan's volumeProfile). */
  volumeProfile: number[];
  /** σ per period (price units), for the plan's risk. */
  sigmaPerPeriod: number;
  /** Per-period σ from one-period mid changes (the bounce-inflated figure), for comparison. */
  naiveSigmaPerPeriod: number;
  varianceRatio: number;
  sigmaEstimator: string;
  fit: { eta: number; beta: number; r2: number; points: number; source: ParamSource };
  /** V_day in parts: Σ V_t (continuous trading) and the mean auction volume of a day
   *  (null: no day says). dailyVolume = continuous + (auctions ?? 0). */
  volume: { continuous: number; auctions: number | null };
  notes: string[];
}
