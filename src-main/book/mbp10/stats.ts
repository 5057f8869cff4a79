/**
 * Periods → the import result: each period's point of the series (mid, spreads, depth,
 * coverage, volume), the ladders plans and replays use, and the day's statistics (coverage,
 * largest gap, continuous start, auctions, arrival, σ — see midVolatility in @shared/book,
 * from the mids at period starts).
 */
import { PlannerError } from '@shared/contract';
import { clockMinutes } from '@shared/plan';
import {
  clockLabel,
  ladderDepth,
  median,
  midVolatility,
  type BookStats,
  type Ladder,
} from '@shared/book';
import type { AuctionPrint, BookState } from './bookState';
import type { InputFacts } from './record';
import { ASK_PX, ASK_SZ, BID_PX, BID_SZ, EMPTY_MARK, LEVELS } from './record';
import type { PeriodSampler } from './sampler';
import type { ParsedBook, PeriodPoint, SampleOptions } from './types';

/** The result of a finished input (BookState.finish has run). */
export function bookResult(
  opts: SampleOptions,
  facts: InputFacts,
  state: BookState,
  sampler: PeriodSampler,
  formats: Pick<ParsedBook, 'priceFormat' | 'timestampFormat'>,
): ParsedBook {
  const n = sampler.n;
  const P = sampler.periodNs;
  const s0 = sampler.s0;
  /** A relative time as an ISO-8601 UTC instant (to the second). */
  const isoOf = (rel: number) =>
    new Date(Math.floor(facts.baseSec * 1000 + rel / 1e6)).toISOString().slice(0, 19) + 'Z';
  const { moments, snaps: startSnaps } = sampler.startBooks(
    { start: state.contStart, bookOn: state.contBookOn, book: state.contBook },
    state.dataEndTs,
  );
  const replayBuy: Ladder[] = [];
  const replaySell: Ladder[] = [];
  for (const snap of startSnaps) {
    replayBuy.push(snap ? ladderOf(snap, ASK_PX, ASK_SZ, 1) : []);
    replaySell.push(snap ? ladderOf(snap, BID_PX, BID_SZ, -1) : []);
  }
  const average = sampler.sampling === 'average';
  const buy = average ? sampler.avgBuy : replayBuy;
  const sell = average ? sampler.avgSell : replaySell;
  const startSec = clockMinutes(opts.session.start) * 60;
  // Instants are labelled by the second they fall in (09:30:00.7 is 09:30:00).
  const label = (rel: number) => clockLabel(Math.floor(startSec + (rel - s0) / 1e9));
  const withTrades = facts.hasActions;
  const series: PeriodPoint[] = [];
  const emptyPeriods: number[] = [];
  let partial = 0;
  let maxLevels = 0;
  let volume = 0;
  let trades = 0;
  for (let i = 0; i < n; i++) {
    const snap = startSnaps[i];
    const cover = Math.min(1, round9(sampler.coverage[i]));
    const has = average ? cover > 0 : snap !== null;
    if (!has) emptyPeriods.push(i + 1);
    else if (cover < 1 - 1e-9) partial++;
    maxLevels = Math.max(maxLevels, buy[i].length, sell[i].length);
    volume += sampler.volume[i];
    trades += sampler.tradeCount[i];
    let spread: number | null = null;
    if (average) spread = cover > 0 ? round9(sampler.spreadW[i] / sampler.coverage[i]) : null;
    else if (snap) spread = round9(snap[ASK_PX] - snap[BID_PX]);
    series.push({
      start: clockLabel(startSec + (i * P) / 1e9),
      mid: snap ? round9((snap[BID_PX] + snap[ASK_PX]) / 2) : null,
      spread,
      bidDepth: round9(ladderDepth(sell[i])),
      askDepth: round9(ladderDepth(buy[i])),
      coverage: cover,
      volume: withTrades ? sampler.volume[i] : null,
      trades: withTrades ? sampler.tradeCount[i] : null,
      effectiveSpread: sampler.effVol[i] > 0 ? round9(sampler.effW[i] / sampler.effVol[i]) : null,
      quotedSpread: cover > 0 ? round9(sampler.spreadW[i] / sampler.coverage[i]) : null,
    });
  }
  const first = startSnaps.findIndex((snap) => snap !== null);
  const minutes = (from: number, to: number) => Math.round(((to - from) / 60e9) * 1e6) / 1e6;
  const auction = (a: AuctionPrint) =>
    a.ts === a.ts
      ? {
          at: label(a.ts),
          volume: a.volume,
          trades: a.trades,
          price: a.price > 0 ? round9(a.price) : null,
        }
      : null;
  if (emptyPeriods.length === n || state.sessionDayRows === 0) {
    throw new PlannerError(
      'invalid_input',
      `no usable book in any period of the session ${sampler.date} ${opts.session.start}–${opts.session.end} ${opts.session.timeZone}: the file's usable rows run from ${isoOf(state.earliestTs)} to ${isoOf(state.latestTs)}`,
    );
  }
  const gapMinutes = (sampler.gapTo - sampler.gapFrom) / 60e9;
  const stats: BookStats = {
    sampling: sampler.sampling,
    coveredPeriods: n - emptyPeriods.length,
    partialPeriods: partial,
    largestGap:
      gapMinutes >= 1 / 60
        ? {
            from: label(sampler.gapFrom),
            to: label(sampler.gapTo),
            minutes: Math.round(gapMinutes * 1e6) / 1e6,
          }
        : null,
    dataStart: isoOf(state.dataStartTs),
    dataEnd: isoOf(state.dataEndTs),
    volume: withTrades ? volume : null,
    trades: withTrades ? trades : null,
    sigma: midVolatility(
      series.map((p) => p.mid),
      opts.periodMinutes,
    ),
    arrival:
      state.contBookOn && state.contStart < state.dataEndTs
        ? {
            mid: round9((state.contBook[BID_PX] + state.contBook[ASK_PX]) / 2),
            at: label(state.contStart),
          }
        : Number.isFinite(state.arrivalTs)
          ? { mid: round9(state.arrivalMid), at: label(state.arrivalTs) }
          : null,
    maxLevels,
    continuous: {
      start: label(state.contStart),
      rule: state.contByPrint ? 'opening print' : 'session start',
      spread:
        first >= 0 && moments[first] === state.contStart
          ? round9(startSnaps[first]![ASK_PX] - startSnaps[first]![BID_PX])
          : null,
    },
    openingAuction: withTrades ? auction(state.openAuction) : null,
    closingAuction: withTrades ? auction(state.closeAuction) : null,
    longestStale:
      sampler.staleTo - sampler.staleFrom >= 1e9
        ? {
            from: label(sampler.staleFrom),
            to: label(sampler.staleTo),
            minutes: minutes(sampler.staleFrom, sampler.staleTo),
          }
        : null,
    publishers: [...facts.publishers].sort((a, b) => a - b),
    startMids: series.map((p) => p.mid),
  };
  const covered = series.filter((p) => p.mid !== null || (p.coverage ?? 0) > 0);
  return {
    symbol: facts.symbol,
    date: sampler.date,
    rows: facts.rows,
    usableRows: state.usable,
    badRows: facts.bad,
    badRowLines: facts.badLines,
    oneSidedRows: state.oneSided,
    crossedRows: state.crossed,
    periods: n,
    periodMinutes: opts.periodMinutes,
    session: opts.session,
    emptyPeriods,
    series,
    clearRows: state.clears,
    ladders: { buy, sell },
    replayLadders: { buy: replayBuy, sell: replaySell },
    stats,
    medianSpread: median(covered.flatMap((p) => (p.spread === null ? [] : [p.spread]))),
    medianBidDepth: median(covered.map((p) => p.bidDepth)),
    medianAskDepth: median(covered.map((p) => p.askDepth)),
    ...formats,
  };
}

function round9(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}

/** One side's ladder of a snapshot, cheapest first (sign +1: asks above the mid, −1: bids
 *  below it); empty levels and levels through the mid dropped. */
function ladderOf(snap: Float64Array, pxAt: number, szAt: number, sign: 1 | -1): Ladder {
  const mid = (snap[BID_PX] + snap[ASK_PX]) / 2;
  const out: Ladder = [];
  for (let k = 0; k < LEVELS; k++) {
    const px = snap[pxAt + k];
    const sz = snap[szAt + k];
    if (px === EMPTY_MARK || !(sz > 0)) continue;
    const off = round9(sign * (px - mid));
    if (off >= 0) out.push([off, sz]);
  }
  out.sort((a, b) => a[0] - b[0]);
  return out;
}
