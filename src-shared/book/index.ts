/**
 * Order-book pure helpers (docs/orderbook.md), one job a file: the book's shapes (types.ts),
 * ladder walks (walk.ts), power-law fits (fit.ts), session clock ↔ UTC (clock.ts), σ from the
 * mids (volatility.ts), plans from a book (source.ts, plan.ts, calibrate.ts) and several days
 * averaged (days.ts). Used by the import (src-main/book), the CLI and the window alike; no
 * node:*, no DOM. This file only re-exports their public names.
 */
export {
  AuctionSchema,
  BookPeriodSchema,
  BookStatsSchema,
  SAMPLINGS,
  VolatilitySchema,
  type Auction,
  type BookPeriod,
  type BookSide,
  type BookStats,
  type Ladder,
  type Level,
  type Sampling,
  type Volatility,
} from './types';
export { ladderDepth, walkCost, walkCurve, walkLadder } from './walk';
export { fitLadders, fitPooledPowerLaw, fitPowerLaw, type PooledFit, type SideFit } from './fit';
export { medianOf as median } from '../calibration/robust';
export {
  clockLabel,
  fmtGapLength,
  localToUtcMs,
  nextDate,
  sessionPeriods,
  utcToLocal,
  zoneOffsetMs,
  zonedParts,
} from './clock';
export { midVolatility } from './volatility';
export {
  BOOK_MODELS,
  DEFAULT_MAX_PARTICIPATION,
  POOR_FIT_R2,
  type BookModel,
  type BookPlanOptions,
  type BookPlanSource,
} from './source';
export { bookReferencePrice, buildBookPlan, planSymbol } from './plan';
export { CalibrationError, calibrateSource, calibrationNote } from './calibrate';
export { averageDays, checkDaysMatch, mergeLadders, type BookDay, type DayKey } from './days';
