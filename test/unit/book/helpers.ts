/** Helpers for the order-book tests: parse text in chunks and an independent sampling oracle. */
import { Mbp10Parser, type ParsedBook, type SampleOptions } from '../../../src-main/book/mbp10';
import type { Ladder } from '@shared/book';
import type { Mbp10Snapshot } from '../../fixtures/mbp10';

export const NY = 'America/New_York';

export function sessionOf(start: string, end: string, periodMinutes = 1): SampleOptions {
  return { periodMinutes, session: { start, end, timeZone: NY } };
}

/** Parse CSV text fed in chunks of `chunk` bytes (exercises lines split across chunks). */
export function parseText(text: string, opts: SampleOptions, chunk = 1 << 16): ParsedBook {
  const bytes = new TextEncoder().encode(text);
  const p = new Mbp10Parser(opts);
  for (let i = 0; i < bytes.length; i += chunk) p.push(bytes.subarray(i, i + chunk));
  return p.finish();
}

/** A snapshot with `levels` levels one cent apart from the given best bid/ask. */
export function snap(
  iso: string,
  bestBid: number,
  bestAsk: number,
  levels = 10,
  size = (k: number) => 100 + 10 * k,
): Mbp10Snapshot {
  const ms = Date.parse(iso);
  const extra = /\.(\d+)Z$/.exec(iso)?.[1]?.padEnd(9, '0').slice(3) ?? '0';
  const bids: [number, number][] = [];
  const asks: [number, number][] = [];
  for (let k = 0; k < levels; k++) {
    bids.push([Math.round((bestBid - k * 0.01) * 100) / 100, size(k)]);
    asks.push([Math.round((bestAsk + k * 0.01) * 100) / 100, size(k) + 1]);
  }
  return { tsEvent: BigInt(ms) * 1_000_000n + BigInt(extra), bids, asks };
}

function usable(s: Mbp10Snapshot): boolean {
  return s.bids.length > 0 && s.asks.length > 0 && s.bids[0][0] < s.asks[0][0];
}

function ladders(s: Mbp10Snapshot): { buy: Ladder; sell: Ladder } {
  const mid = (s.bids[0][0] + s.asks[0][0]) / 2;
  const r = (v: number) => Math.round(v * 1e9) / 1e9;
  return {
    buy: s.asks.map(([p, q]) => [r(p - mid), q] as [number, number]),
    sell: s.bids.map(([p, q]) => [r(mid - p), q] as [number, number]),
  };
}

/**
 * The sampling rule written the slow, obvious way with BigInt nanoseconds: the last
 * usable row with ts ≤ start, else (before the first usable row) the first usable row inside
 * the period, else nothing.
 */
export function expectedLadders(
  snaps: Mbp10Snapshot[],
  sessionStartUtcMs: number,
  periodMinutes: number,
  periods: number,
  sessionEndUtcMs: number,
): { buy: Ladder[]; sell: Ladder[] } {
  const u = snaps.filter(usable);
  const buy: Ladder[] = [];
  const sell: Ladder[] = [];
  const len = BigInt(periodMinutes * 60) * 1_000_000_000n;
  const s0 = BigInt(sessionStartUtcMs) * 1_000_000n;
  const endAll = BigInt(sessionEndUtcMs) * 1_000_000n;
  for (let i = 0; i < periods; i++) {
    const start = s0 + BigInt(i) * len;
    const end = start + len < endAll ? start + len : endAll;
    let pick: Mbp10Snapshot | undefined;
    for (const s of u) if (s.tsEvent <= start && (!pick || s.tsEvent >= pick.tsEvent)) pick = s;
    if (!pick) {
      for (const s of u) {
        if (s.tsEvent >= start && s.tsEvent < end && (!pick || s.tsEvent < pick.tsEvent)) pick = s;
      }
    }
    const l = pick ? ladders(pick) : { buy: [], sell: [] };
    buy.push(l.buy);
    sell.push(l.sell);
  }
  return { buy, sell };
}

/** Sum of the S cheapest (offset, share) units over all periods' ladders. */
export function cheapestUnits(ladders: Ladder[], shares: number): number {
  const levels = ladders.flat().sort((a, b) => a[0] - b[0]);
  let left = shares;
  let cost = 0;
  for (const [offset, size] of levels) {
    const take = Math.min(left, size);
    cost += take * offset;
    left -= take;
    if (left === 0) break;
  }
  if (left > 0) throw new Error('not enough depth');
  return cost;
}
