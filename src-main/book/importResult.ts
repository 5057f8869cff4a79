/**
 * The schema of an order-book import's result (ImportFileResult, mbp10.ts): what the import
 * worker sends back, parsed by the host at the process boundary like every worker's result
 * (platform/workerChannel.ts). The compile-time annotation keeps it in step with the type: a
 * field missing here, or of another type, is an error.
 */
import { z } from 'zod';
import { BookPeriodSchema, BookStatsSchema } from '@shared/book';
import type { ImportFileResult } from './mbp10';

const count = z.number().int().nonnegative();
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/** [offset from mid, size]. */
const LevelSchema = z.tuple([finite, finite]);
const LaddersSchema = z.object({
  buy: z.array(z.array(LevelSchema)),
  sell: z.array(z.array(LevelSchema)),
});

export const ImportFileResultSchema: z.ZodType<ImportFileResult> = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'),
  bytes: count,
  symbol: z.string(),
  date: z.string(),
  rows: count,
  usableRows: count,
  badRows: count,
  badRowLines: z.array(count),
  oneSidedRows: count,
  crossedRows: count,
  periods: count,
  periodMinutes: z.number().positive(),
  session: z.object({ start: z.string(), end: z.string(), timeZone: z.string() }),
  emptyPeriods: z.array(count),
  series: z.array(BookPeriodSchema),
  clearRows: count,
  ladders: LaddersSchema,
  replayLadders: LaddersSchema,
  stats: BookStatsSchema,
  medianSpread: finite.nullable(),
  medianBidDepth: finite.nullable(),
  medianAskDepth: finite.nullable(),
  priceFormat: z.enum(['decimal', 'fixed', 'unknown']),
  timestampFormat: z.enum(['iso', 'nanoseconds', 'unknown']),
});
