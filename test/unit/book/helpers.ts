/** Helpers for the order-book tests: parse text in chunks and an independent sampling oracle. */
import { expect } from 'vitest';
import { Mbp10Parser, type ParsedBook, type SampleOptions } from '../../../src-main/book/mbp10';
import { hashedChunks } from '../../../src-main/book/mbp10/fileChunks';
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

/** `path` through the fast parser fed by the reader thread, waiting 20 ms per chunk so that
 *  the thread parses ahead; the result, the file's chunks (for the SHA-256) and how many
 *  chunks the thread parsed. */
export async function parseSlowly(path: string, opts: SampleOptions) {
  const file = hashedChunks(path, true, false);
  const parser = new Mbp10Parser(opts, 'fast');
  parser.onProgram((prog) => file.share(prog));
  let ahead = 0;
  const take = () => {
    const tokens = file.ahead();
    if (tokens) ahead++;
    return tokens;
  };
  for await (const chunk of file.chunks) {
    await new Promise((r) => setTimeout(r, 20));
    parser.push(chunk, take);
  }
  return { file, parsed: parser.finish(), ahead };
}

/** A snapshot with `levels` levels one cent apart from the given best bid/ask. */
export function snap(
  iso: string,
  bestBid: number,
  bestAsk: number,
  levels = 10,
  size = (k: number) => 100 + 10 * k,
): Mbp10Snapshot {
  const bids: [number, number][] = [];
  const asks: [number, number][] = [];
  for (let k = 0; k < levels; k++) {
    bids.push([Math.round((bestBid - k * 0.01) * 100) / 100, size(k)]);
    asks.push([Math.round((bestAsk + k * 0.01) * 100) / 100, size(k) + 1]);
  }
  return { tsEvent: nsOf(iso), bids, asks };
}

/** ns since the epoch of an ISO instant with up to 9 fraction digits ("…T13:30:00.000000001Z"). */
export function nsOf(iso: string): bigint {
  const ms = Date.parse(iso);
  const extra = /\.(\d+)Z$/.exec(iso)?.[1]?.padEnd(9, '0').slice(3) ?? '0';
  return BigInt(Math.floor(ms)) * 1_000_000n + BigInt(extra);
}

/** The same book every `stepSeconds` from `fromIso` to `toIso` inclusive (a book that does
 *  not change but is refreshed, as a real feed does, more often than once a period). */
export function every(
  fromIso: string,
  toIso: string,
  stepSeconds: number,
  bestBid: number,
  bestAsk: number,
  levels = 10,
): Mbp10Snapshot[] {
  const out: Mbp10Snapshot[] = [];
  const step = BigInt(stepSeconds) * 1_000_000_000n;
  const base = snap(fromIso, bestBid, bestAsk, levels);
  for (let t = nsOf(fromIso); t <= nsOf(toIso); t += step) out.push({ ...base, tsEvent: t });
  return out;
}

/** A price as the fixture writes it: integer units of 1e-4. */
const units = (px: number) => BigInt(Math.round(px * 1e4));
/** As the parser reads it back (the nearest double to the written decimal). */
const written = (px: number) => Math.round(px * 1e4) / 1e4;

function usable(s: Mbp10Snapshot): boolean {
  return (
    s.bids.length > 0 &&
    s.asks.length > 0 &&
    s.bids[0][1] > 0 &&
    s.asks[0][1] > 0 &&
    units(s.bids[0][0]) < units(s.asks[0][0])
  );
}

/** One snapshot's ladders the way the parser builds them (same float arithmetic). */
function ladders(s: Mbp10Snapshot): { buy: Ladder; sell: Ladder } {
  const mid = (written(s.bids[0][0]) + written(s.asks[0][0])) / 2;
  const r = (v: number) => Math.round(v * 1e9) / 1e9;
  const side = (levels: [number, number][], sign: 1 | -1): Ladder =>
    levels
      .filter(([, q]) => q > 0)
      .map(([p, q]) => [r(sign * (written(p) - mid)), q] as [number, number])
      .filter(([off]) => off >= 0)
      .sort((a, b) => a[0] - b[0]);
  return { buy: side(s.asks, 1), sell: side(s.bids, -1) };
}

const NS = 1_000_000_000n;
const maxTs = (snaps: Mbp10Snapshot[]) =>
  snaps.reduce((m, s) => (s.tsEvent > m ? s.tsEvent : m), -(1n << 80n));

/** A row that ends the book in effect: a clear (R), or a book that is not usable. */
const ends = (s: Mbp10Snapshot) => s.action === 'R' || !usable(s);

/**
 * When continuous trading starts (ns since the epoch), the slow way: walking the rows in file
 * order, the first trade (action T) with s0 ≤ ts < the session's end decides it (an opening
 * print, `print` true) unless a row at or after s0 + 10 s comes first (then the open, s0).
 * Without an action column: the open.
 */
export function continuousStart(
  snaps: Mbp10Snapshot[],
  sessionStartUtcMs: number,
  sessionEndUtcMs: number,
  actionColumn = true,
): { at: bigint; print: boolean } {
  const s0 = BigInt(sessionStartUtcMs) * 1_000_000n;
  const end = BigInt(sessionEndUtcMs) * 1_000_000n;
  if (actionColumn) {
    for (const s of snaps) {
      if (s.tsEvent >= s0 + 10n * NS) break;
      if (s.action === 'T' && (s.size ?? 0) > 0 && s.tsEvent >= s0 && s.tsEvent < end)
        return { at: s.tsEvent, print: true };
    }
  }
  return { at: s0, print: false };
}

/** The book in effect at instant m: the row with the greatest ts ≤ m (last in file order on
 *  ties), if it is a usable row (not a clear nor an unusable book) and m < the data's end. */
function inEffectAt(
  snaps: Mbp10Snapshot[],
  m: bigint,
  dataEndNs: bigint,
): Mbp10Snapshot | undefined {
  let pick: Mbp10Snapshot | undefined;
  for (const s of snaps) if (s.tsEvent <= m && (!pick || s.tsEvent >= pick.tsEvent)) pick = s;
  return pick && !ends(pick) && m < dataEndNs ? pick : undefined;
}

/**
 * The `start` sampling rule written the slow, obvious way with BigInt nanoseconds. Period i's
 * child order is sent at m_i = max(s_i, the continuous start c) (nothing for a period ending at
 * or before c), and gets the book in effect then (`inEffectAt`): never a later row.
 */
export function startBooks(
  snaps: Mbp10Snapshot[],
  sessionStartUtcMs: number,
  periodMinutes: number,
  periods: number,
  sessionEndUtcMs: number,
  dataEndNs: bigint = maxTs(snaps),
  actionColumn = true,
): (Mbp10Snapshot | undefined)[] {
  return startMoments(
    snaps,
    sessionStartUtcMs,
    periodMinutes,
    periods,
    sessionEndUtcMs,
    actionColumn,
  ).map((m) => (m === null ? undefined : inEffectAt(snaps, m, dataEndNs)));
}

/** m_i of each period (null: before continuous trading). */
export function startMoments(
  snaps: Mbp10Snapshot[],
  sessionStartUtcMs: number,
  periodMinutes: number,
  periods: number,
  sessionEndUtcMs: number,
  actionColumn = true,
): (bigint | null)[] {
  const len = BigInt(Math.round(periodMinutes * 60)) * NS;
  const s0 = BigInt(sessionStartUtcMs) * 1_000_000n;
  const c = continuousStart(snaps, sessionStartUtcMs, sessionEndUtcMs, actionColumn).at;
  return Array.from({ length: periods }, (_, i) => {
    const start = s0 + BigInt(i) * len;
    return start + len <= c ? null : start < c ? c : start;
  });
}

/** The ladders of the start books (see startBooks). */
export function expectedLadders(...args: Parameters<typeof startBooks>): {
  buy: Ladder[];
  sell: Ladder[];
} {
  const books = startBooks(...args).map((s) => (s ? ladders(s) : { buy: [], sell: [] }));
  return { buy: books.map((l) => l.buy), sell: books.map((l) => l.sell) };
}

/** A snapshot's mid as the parser reports it (rounded to 1e-9). */
export function midOf(s: Mbp10Snapshot): number {
  return Math.round(((written(s.bids[0][0]) + written(s.asks[0][0])) / 2) * 1e9) / 1e9;
}

/** The arrival: the book in effect when continuous trading starts (c), else the first usable
 *  row with c < ts < the session's end (smallest ts, first in file order). */
export function arrivalOf(
  snaps: Mbp10Snapshot[],
  sessionStartUtcMs: number,
  sessionEndUtcMs: number,
  dataEndNs: bigint = maxTs(snaps),
  actionColumn = true,
): { book: Mbp10Snapshot; at: bigint } | undefined {
  const c = continuousStart(snaps, sessionStartUtcMs, sessionEndUtcMs, actionColumn).at;
  const now = inEffectAt(snaps, c, dataEndNs);
  if (now) return { book: now, at: c };
  const end = BigInt(sessionEndUtcMs) * 1_000_000n;
  let pick: Mbp10Snapshot | undefined;
  for (const s of snaps) {
    if (!ends(s) && s.tsEvent > c && s.tsEvent < end && (!pick || s.tsEvent < pick.tsEvent))
      pick = s;
  }
  return pick && { book: pick, at: pick.tsEvent };
}

export interface AverageOracle {
  buy: Ladder[];
  sell: Ladder[];
  /** Fraction of each period with a book in effect. */
  coverage: number[];
  /** Time-weighted spread over the covered part; null when never covered. */
  spread: (number | null)[];
  /** Periods (1-based) never covered. */
  emptyPeriods: number[];
  /** The longest stretch of the session without a book (ns since the epoch), if any. */
  largestGap: { from: bigint; to: bigint } | null;
  /** The longest time one book was in effect inside continuous trading. */
  longestStale: { from: bigint; to: bigint } | null;
}

/**
 * The `average` sampling rule, slowly and independently: BigInt nanoseconds, prices in
 * integer units of 1e-4 and offsets in exact half units, weights as exact fractions
 * (shares × ns over the period's ns), converted to numbers only at the end.
 *
 * Row k (in file order) happens at c_k = the greatest ts of the rows up to and including it
 * (a row out of order happens at the latest time seen). A usable row that is not a clear stays
 * in effect until c_{k+1}, however long; the last until the data's end (the greatest ts of any
 * row). Only the part inside [max(s0, continuous start), session end) counts. Over [a, b) ∩
 * period i it adds each level's size × |∩| / period at its offset from its own mid.
 */
export function expectedAverage(
  snaps: Mbp10Snapshot[],
  sessionStartUtcMs: number,
  periodMinutes: number,
  periods: number,
  sessionEndUtcMs: number,
  dataEndNs: bigint = maxTs(snaps),
  actionColumn = true,
): AverageOracle {
  const len = BigInt(Math.round(periodMinutes * 60)) * NS;
  const s0 = BigInt(sessionStartUtcMs) * 1_000_000n;
  const endAll = BigInt(sessionEndUtcMs) * 1_000_000n;
  const cont = continuousStart(snaps, sessionStartUtcMs, sessionEndUtcMs, actionColumn).at;
  const lo0 = cont > s0 ? cont : s0;
  // Intervals of effect, clipped to continuous trading.
  const eff: { s: Mbp10Snapshot; a: bigint; b: bigint }[] = [];
  let clock = -(1n << 80n);
  const at = snaps.map((s) => (clock = s.tsEvent > clock ? s.tsEvent : clock));
  snaps.forEach((s, k) => {
    if (ends(s)) return;
    const a0 = at[k];
    const next = k + 1 < snaps.length ? at[k + 1] : dataEndNs > a0 ? dataEndNs : a0;
    const a = a0 > lo0 ? a0 : lo0;
    const b = next < endAll ? next : endAll;
    if (b > a) eff.push({ s, a, b });
  });
  const out: AverageOracle = {
    buy: [],
    sell: [],
    coverage: [],
    spread: [],
    emptyPeriods: [],
    largestGap: null,
    longestStale: null,
  };
  // Uncovered stretches of [s0, endAll): before each interval and after the last.
  let coveredUntil = s0;
  const gap = (to: bigint) => {
    const from = coveredUntil > s0 ? coveredUntil : s0;
    const end = to < endAll ? to : endAll;
    const best = out.largestGap ? out.largestGap.to - out.largestGap.from : 0n;
    if (end - from > best) out.largestGap = { from, to: end };
  };
  for (const { a, b } of eff) {
    gap(a);
    if (b > coveredUntil) coveredUntil = b;
    const best = out.longestStale ? out.longestStale.to - out.longestStale.from : 0n;
    if (b - a > best) out.longestStale = { from: a, to: b };
  }
  gap(endAll);
  for (let i = 0; i < periods; i++) {
    const ps = s0 + BigInt(i) * len;
    const pe = ps + len < endAll ? ps + len : endAll;
    // Offsets in half units of 1e-4 → Σ size × ns.
    const askW = new Map<bigint, bigint>();
    const bidW = new Map<bigint, bigint>();
    let covered = 0n;
    let spreadNs = 0n; // Σ spread (1e-4 units) × ns
    for (const { s, a, b } of eff) {
      const lo = a > ps ? a : ps;
      const hi = b < pe ? b : pe;
      if (hi <= lo) continue;
      const seg = hi - lo;
      covered += seg;
      const bb = units(s.bids[0][0]);
      const ba = units(s.asks[0][0]);
      spreadNs += (ba - bb) * seg;
      const mid2 = bb + ba;
      for (const [p, q] of s.asks) {
        const off = 2n * units(p) - mid2;
        if (q > 0 && off >= 0n) askW.set(off, (askW.get(off) ?? 0n) + BigInt(q) * seg);
      }
      for (const [p, q] of s.bids) {
        const off = mid2 - 2n * units(p);
        if (q > 0 && off >= 0n) bidW.set(off, (bidW.get(off) ?? 0n) + BigInt(q) * seg);
      }
    }
    const ladder = (m: Map<bigint, bigint>): Ladder =>
      [...m.entries()]
        .sort((x, y) => (x[0] < y[0] ? -1 : 1))
        .map(([off, w]) => [Number(off) / 20_000, ratio(w, len)]);
    out.buy.push(ladder(askW));
    out.sell.push(ladder(bidW));
    out.coverage.push(ratio(covered, len));
    out.spread.push(covered > 0n ? ratio(spreadNs, covered) / 1e4 : null);
    if (covered === 0n) out.emptyPeriods.push(i + 1);
  }
  return out;
}

/** num / den as a double, exact to ~1e-15 even when num exceeds 2^53. */
function ratio(num: bigint, den: bigint): number {
  const q = num / den;
  const r = num % den;
  return Number(q) + Number((r * 1_000_000_000_000n) / den) / 1e12;
}

/** Ladders equal level by level: the same offsets, sizes to ~1e-6 (the parser rounds sizes to
 *  12 significant digits and sums weights in doubles). */
export function expectLaddersClose(actual: Ladder[], expected: Ladder[], what = 'ladders'): void {
  expect(actual.length, `${what}: periods`).toBe(expected.length);
  expected.forEach((ladder, i) => {
    const got = actual[i];
    expect(
      got.map(([off]) => off),
      `${what}: offsets of period ${i + 1}`,
    ).toEqual(ladder.map(([off]) => off));
    ladder.forEach(([, size], k) =>
      expect(got[k][1], `${what}: size at level ${k + 1} of period ${i + 1}`).toBeCloseTo(size, 6),
    );
  });
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
