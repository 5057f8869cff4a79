/**
 * The shapes of an imported order book (docs/orderbook.md): price levels and ladders, a
 * period's figures, the volatility estimate, auction prints and the dataset statistics, as
 * zod schemas where they are stored.
 */
import { z } from 'zod';
import { lazySchema, memo } from '../lazySchema';

/** One price level: [offset from mid in price units, size in shares]. */
export type Level = [number, number];
/** A period's ladder, cheapest level first. An empty ladder means no liquidity. */
export type Ladder = Level[];
export type BookSide = 'buy' | 'sell';

/** How a period's book is sampled from the snapshots (stored with the dataset). */
export const SAMPLINGS = ['average', 'start'] as const;
export type Sampling = (typeof SAMPLINGS)[number];

const finite = memo(() => z.number().refine(Number.isFinite, 'must be a finite number'));

/** One period of an imported day. */
const bookPeriod = memo(() =>
  z.object({
    /** Clock label of the period's start ("09:30"). */
    start: z.string(),
    /** Mid of the book in effect when the period's child order is sent: at its start, or when
     *  continuous trading starts inside it (never a later row); null: none. */
    mid: finite().nullable(),
    /** Spread of the period's sampled book (time-averaged with `average` sampling). */
    spread: finite().nullable(),
    bidDepth: finite(),
    askDepth: finite(),
    /** Fraction of the period with a book in effect (0..1); absent in datasets imported before. */
    coverage: finite().optional(),
    /** Shares traded in the period (rows with action T); null when the file has no action column. */
    volume: finite().nullable().optional(),
    trades: z.number().int().nullable().optional(),
    /** Volume-weighted 2·|trade price − mid before the trade| (null: no trade priced). */
    effectiveSpread: finite().nullable().optional(),
    /** Time-weighted quoted spread (ask − bid, price units) over the covered part of the period,
     *  whatever the sampling; null: never covered. Absent in datasets imported before. */
    quotedSpread: finite().nullable().optional(),
  }),
);
export const BookPeriodSchema = lazySchema(bookPeriod);
export type BookPeriod = z.infer<typeof BookPeriodSchema>;

const volatility = memo(() =>
  z.object({
    /** σ per period in price units: the standard deviation of one-period mid changes. */
    value: finite(),
    /** Number of one-period changes it was estimated from. */
    changes: z.number().int(),
    /** Half-width (in periods) of the rolling window of the intraday profile. */
    window: z.number().int(),
    /** σ_t / σ per period; the mean of its squares is 1, so Σ σ_t² = N σ². */
    profile: z.array(finite()),
  }),
);
export const VolatilitySchema = lazySchema(volatility);
export type Volatility = z.infer<typeof VolatilitySchema>;

/** An auction print: the trades at the cross's ts_event. */
const auction = memo(() =>
  z.object({
    /** Clock label of the print (to the second). */
    at: z.string(),
    /** Shares and trades printed at that instant. */
    volume: finite(),
    trades: z.number().int(),
    /** The first trade's price (null: unpriced). */
    price: finite().nullable(),
  }),
);
export const AuctionSchema = lazySchema(auction);
export type Auction = z.infer<typeof AuctionSchema>;

/** Dataset-level figures of an import (or of several days averaged). */
const bookStats = memo(() =>
  z.object({
    sampling: z.enum(SAMPLINGS),
    /** Periods with a book / of those, periods with a book for only part of the period. */
    coveredPeriods: z.number().int(),
    partialPeriods: z.number().int(),
    /** The longest stretch of the session without a book in effect. */
    largestGap: z.object({ from: z.string(), to: z.string(), minutes: finite() }).nullable(),
    /** ISO instants of the first and last row of the file. */
    dataStart: z.string().nullable(),
    dataEnd: z.string().nullable(),
    /** Shares traded and trades inside the session; null without an action column. */
    volume: finite().nullable(),
    trades: z.number().int().nullable(),
    sigma: volatility().nullable(),
    /** The first mid inside the session: the arrival (reference) price. */
    arrival: z.object({ mid: finite(), at: z.string() }).nullable(),
    /** The most price levels in one period's ladder (either side). */
    maxLevels: z.number().int(),
    /** When continuous trading starts (clock label, to the second), by which rule ('opening
     *  print': at the opening cross; 'session start': no print in the first 10 s), and the
     *  quoted spread of the book in effect then (null: none). */
    continuous: z
      .object({
        start: z.string(),
        rule: z.enum(['opening print', 'session start']),
        spread: finite().nullable(),
      })
      .optional(),
    /** The opening and closing auction prints (shares, trades, price; not in any period's
     *  volume); null: none found (or no action column). */
    openingAuction: auction().nullable().optional(),
    closingAuction: auction().nullable().optional(),
    /** The longest time one book stayed in effect during continuous trading (its age when it was
     *  replaced): information, not a gap. */
    longestStale: z
      .object({ from: z.string(), to: z.string(), minutes: finite() })
      .nullable()
      .optional(),
    /** publisher_id values in the file (one value: one venue's book, a fraction of the market's depth). */
    publishers: z.array(z.number()).optional(),
    /** Mid of the book in effect when each period's child order is sent (price units; null: no
     *  book), the series σ is estimated from. */
    startMids: z.array(finite().nullable()).optional(),
    /** Several days averaged: the days, oldest first. */
    days: z.array(z.object({ id: z.string(), date: z.string(), fileName: z.string() })).optional(),
  }),
);
export const BookStatsSchema = lazySchema(bookStats);
export type BookStats = z.infer<typeof BookStatsSchema>;
