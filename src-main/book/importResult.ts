/**
 * The schema of an order-book import's result (ImportFileResult, mbp10.ts): what the import
 * worker sends back, parsed by the host at the process boundary like every worker's result
 * (platform/workerChannel.ts). The compile-time annotation keeps it in step with the type: a
 * field missing here, or of another type, is an error.
 */
import { z } from 'zod';
import { BookPeriodSchema, BookStatsSchema, type Ladder } from '@shared/book';
import type { ImportFileResult } from './mbp10';

const count = z.number().int().nonnegative();
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/**
 * One ladder per period, each level [offset from mid, size], two finite numbers. Checked in
 * one loop: a day of 1-minute periods has tens of thousands of levels, and a tuple schema per
 * level cost the host ~40–55 ms per import, after the import and before its result shows.
 * A problem names the period and the level (`ladders.buy[12][3]: …`).
 */
const LadderListSchema = z.array(z.unknown()).superRefine((periods, ctx) => {
  for (let i = 0; i < periods.length; i++) {
    const ladder = periods[i];
    if (!Array.isArray(ladder)) {
      ctx.addIssue({ code: 'custom', message: 'must be an array of levels', path: [i] });
      return;
    }
    for (let j = 0; j < ladder.length; j++) {
      const level: unknown = ladder[j];
      if (
        !Array.isArray(level) ||
        level.length !== 2 ||
        !Number.isFinite(level[0]) ||
        !Number.isFinite(level[1])
      ) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a level [offset, size] of two finite numbers',
          path: [i, j],
        });
        return;
      }
    }
  }
}) as unknown as z.ZodType<Ladder[]>;
const LaddersSchema = z.object({ buy: LadderListSchema, sell: LadderListSchema });

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
