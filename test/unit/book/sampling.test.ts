/**
 * How the MBP-10 import turns snapshots into period books (src-main/book/mbp10/, the top
 * comments of bookState.ts and sampler.ts): `average` and `start` sampling, coverage, gaps, trades, σ and the arrival price,
 * on generated files whose answers are known (by hand, or from the slow oracles in helpers).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ladder } from '@shared/book';
import { mbp10Csv, rng, type Mbp10Format, type Mbp10Snapshot } from '../../fixtures/mbp10';
import {
  arrivalOf,
  continuousStart,
  every,
  expectLaddersClose,
  expectedAverage,
  expectedLadders,
  midOf,
  nsOf,
  parseText,
  sessionOf,
  snap,
  startBooks,
} from './helpers';

/** A snapshot from explicit levels. */
function book(
  iso: string,
  bids: [number, number][],
  asks: [number, number][],
  extra: Partial<Mbp10Snapshot> = {},
): Mbp10Snapshot {
  return { tsEvent: nsOf(iso), bids, asks, ...extra };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const halve = (l: Ladder): Ladder => l.map(([o, q]) => [o, q / 2]);

describe('a time-averaged period, by hand', () => {
  // Session 09:30–09:32 New York (13:30–13:32Z on 2025-04-03), 1-minute periods.
  //   A 09:30:00  bids 10.00×100, 9.99×200   asks 10.02×300, 10.03×400  mid 10.01  spread 0.02
  //   B 09:30:15  bids 10.01×50              asks 10.05×60, 10.06×80    mid 10.03  spread 0.04
  //   C 09:30:45  bids 10.02×40, 10.00×20    asks 10.03×10              mid 10.025 spread 0.01
  //   D 09:31:00  = A (period 2), E 09:32:00 = A (the data's end, at the session's end)
  // In period 1, A is in effect 15 s, B 30 s, C 15 s: weights 0.25, 0.5, 0.25.
  // Ask offsets from each snapshot's own mid:
  //   A: 0.01 (300), 0.02 (400)   B: 0.02 (60), 0.03 (80)   C: 0.005 (10)
  //   → 0.005: 10×0.25 = 2.5
  //     0.01: 300×0.25 = 75
  //     0.02: 400×0.25 + 60×0.5 = 100 + 30 = 130
  //     0.03: 80×0.5 = 40                                   ask depth 247.5
  // Bid offsets:
  //   A: 0.01 (100), 0.02 (200)   B: 0.02 (50)              C: 0.005 (40), 0.025 (20)
  //   → 0.005: 40×0.25 = 10
  //     0.01: 100×0.25 = 25
  //     0.02: 200×0.25 + 50×0.5 = 50 + 25 = 75
  //     0.025: 20×0.25 = 5                                  bid depth 115
  // Spread: 0.25×0.02 + 0.5×0.04 + 0.25×0.01 = 0.005 + 0.02 + 0.0025 = 0.0275.
  // The start book of period 1 is A; its mid (10.01) is the period's mid in both samplings.
  const A = (iso: string) =>
    book(
      iso,
      [
        [10.0, 100],
        [9.99, 200],
      ],
      [
        [10.02, 300],
        [10.03, 400],
      ],
    );
  const rows = [
    A('2025-04-03T13:30:00Z'),
    book(
      '2025-04-03T13:30:15Z',
      [[10.01, 50]],
      [
        [10.05, 60],
        [10.06, 80],
      ],
    ),
    book(
      '2025-04-03T13:30:45Z',
      [
        [10.02, 40],
        [10.0, 20],
      ],
      [[10.03, 10]],
    ),
    A('2025-04-03T13:31:00Z'),
    A('2025-04-03T13:32:00Z'),
  ];
  const opts = sessionOf('09:30', '09:32');
  const aBuy: Ladder = [
    [0.01, 300],
    [0.02, 400],
  ];
  const aSell: Ladder = [
    [0.01, 100],
    [0.02, 200],
  ];

  it('weights each snapshot by the time it is in effect, at offsets from its own mid', () => {
    const b = parseText(mbp10Csv(rows), opts);
    expect(b.stats.sampling).toBe('average');
    expect(b.ladders.buy[0]).toEqual([
      [0.005, 2.5],
      [0.01, 75],
      [0.02, 130],
      [0.03, 40],
    ]);
    expect(b.ladders.sell[0]).toEqual([
      [0.005, 10],
      [0.01, 25],
      [0.02, 75],
      [0.025, 5],
    ]);
    expect(b.series[0]).toMatchObject({
      start: '09:30',
      mid: 10.01,
      spread: 0.0275,
      bidDepth: 115,
      askDepth: 247.5,
      coverage: 1,
      volume: 0,
      trades: 0,
    });
    // Period 2: D alone, the whole minute.
    expect(b.ladders.buy[1]).toEqual(aBuy);
    expect(b.ladders.sell[1]).toEqual(aSell);
    expect(b.series[1].spread).toBe(0.02);
    expect(b.stats.maxLevels).toBe(4);
    // The replay books are the start books whatever the sampling.
    expect(b.replayLadders).toEqual({ buy: [aBuy, aBuy], sell: [aSell, aSell] });
    // The oracle agrees.
    const o = expectedAverage(
      rows,
      Date.parse('2025-04-03T13:30:00Z'),
      1,
      2,
      Date.parse('2025-04-03T13:32:00Z'),
    );
    expectLaddersClose(b.ladders.buy, o.buy);
    expectLaddersClose(b.ladders.sell, o.sell);
    expect(o.spread[0]).toBeCloseTo(0.0275, 12);
  });

  it('start sampling takes the book in effect at the period start', () => {
    const b = parseText(mbp10Csv(rows), { ...opts, sampling: 'start' });
    expect(b.stats.sampling).toBe('start');
    expect(b.ladders).toEqual({ buy: [aBuy, aBuy], sell: [aSell, aSell] });
    expect(b.replayLadders).toEqual(b.ladders);
    expect(b.series[0]).toMatchObject({ mid: 10.01, spread: 0.02, bidDepth: 300, askDepth: 700 });
    expect(b.stats.maxLevels).toBe(2);
  });

  it('a row out of ts_event order takes effect at the latest time seen', () => {
    // 10.00/10.02 at 09:30:00; 11.00/11.06 at 09:30:30; then 12.00/12.04 stamped 09:30:15
    // but written after: it replaces the 11 book at 09:30:30, so the 11 book has no weight.
    // Period 1 = ½ × the 10 book (offsets 0.01, 0.02) + ½ × the 12 book (0.02, 0.03).
    const two = (iso: string, bid: number, ask: number) => snap(iso, bid, ask, 2);
    const ooo = [
      two('2025-04-03T13:30:00Z', 10, 10.02),
      two('2025-04-03T13:30:30Z', 11, 11.06),
      two('2025-04-03T13:30:15Z', 12, 12.04),
      two('2025-04-03T13:31:00Z', 13, 13.02),
      two('2025-04-03T13:32:00Z', 13, 13.02),
    ];
    const b = parseText(mbp10Csv(ooo), opts);
    // Ask sizes of snap(): 101 at level 1, 111 at level 2.
    expect(b.ladders.buy[0]).toEqual([
      [0.01, 50.5],
      [0.02, 55.5 + 50.5],
      [0.03, 55.5],
    ]);
    expect(b.series[0].spread).toBe(0.03); // ½ × 0.02 + ½ × 0.04
    // Start sampling uses the timestamps as they are: 09:30 → the 10 book.
    expect(parseText(mbp10Csv(ooo), { ...opts, sampling: 'start' }).series[0].mid).toBe(10.01);
  });
});

describe('a book is in effect until the next row, and never priced from a later row', () => {
  it('a row 1 ns after a period start is not the start book of that period', () => {
    const rows = [
      snap('2025-04-03T13:30:00Z', 10, 10.02),
      snap('2025-04-03T13:31:00.000000001Z', 11, 11.02), // 1 ns after 09:31
      snap('2025-04-03T13:31:59.999999999Z', 12, 12.02), // 1 ns before 09:32
      snap('2025-04-03T13:33:00Z', 13, 13.02), // 09:33 exactly
      snap('2025-04-03T13:34:00Z', 14, 14.02), // 09:34 exactly, the data's end
    ];
    const b = parseText(mbp10Csv(rows), { ...sessionOf('09:30', '09:40'), sampling: 'start' });
    // 09:31: the 09:30:00 book, a full period old, is still in effect (the 09:31:00.000000001
    // row is later). 09:32: the 09:31:59.999999999 book. 09:33: the 09:33 row. 09:34: the
    // data ends at that instant, so no book is in effect any more; nor later.
    expect(b.series.map((p) => p.mid)).toEqual([
      10.01,
      10.01,
      12.01,
      13.01,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(b.emptyPeriods).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('a row 8 s after the period start is not used for its start price', () => {
    // The 12:36 case: the book at 12:30:00 is in effect at 12:36; a row at 12:36:08 is not.
    const rows = [
      { ...snap('2025-04-03T16:25:00Z', 20, 20.1), action: 'T', size: 10 },
      snap('2025-04-03T16:30:00Z', 30, 30.02),
      snap('2025-04-03T16:36:08Z', 31, 31.02),
      snap('2025-04-03T16:40:00Z', 32, 32.02),
    ];
    for (const sampling of ['start', 'average'] as const) {
      const b = parseText(mbp10Csv(rows), { ...sessionOf('12:25', '12:40'), sampling });
      expect(b.series[11].start).toBe('12:36');
      expect(b.series[11].mid).toBe(30.01);
      expect(b.replayLadders.buy[11][0]).toEqual([0.01, 101]);
      expect(b.series[12].mid).toBe(31.01);
    }
  });
});

/** A random file: gaps from milliseconds to minutes (halts), unusable rows and clears (R),
 *  1–10 levels a side, penny and sub-penny prices, repeated timestamps, trades and fills;
 *  optionally ts_event out of file order. */
function randomCase(seed: number, outOfOrder: boolean) {
  const rand = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const int = (n: number) => Math.floor(rand() * n);
  const periodMinutes = pick([0.5, 1, 3, 5]);
  const snaps: Mbp10Snapshot[] = [];
  let t = nsOf('2025-04-03T13:26:00Z') + BigInt(int(1e9));
  // The data ends between 09:42 and 09:48: sometimes before the session's end (09:45).
  const stop = nsOf('2025-04-03T13:42:00Z') + BigInt(int(360)) * 1_000_000_000n;
  let mid = 1_000_000; // price units of 1e-4: 100.0000
  while (t < stop) {
    const r = rand();
    const gapMs =
      r < 0.05
        ? 0
        : r < 0.85
          ? rand() * 10_000
          : r < 0.97
            ? 20_000 + rand() * 70_000
            : 120_000 + rand() * 240_000;
    t += BigInt(Math.floor(gapMs * 1e6));
    const ts = outOfOrder && rand() < 0.15 ? t - BigInt(int(120e9)) : t;
    mid += pick([-100, 0, 100, -1, 1, 50, -50]);
    const spread = pick([100, 200, 300, 1, 50, 100]);
    let bestBid = mid - Math.floor(spread / 2);
    let bestAsk = bestBid + spread;
    const kind = rand();
    if (kind < 0.04) {
      [bestBid, bestAsk] = [bestAsk, bestBid]; // crossed
    } else if (kind < 0.06) {
      bestAsk = bestBid; // locked
    }
    const side = (best: number, dir: number): [number, number][] =>
      Array.from({ length: 1 + int(10) }, (_, k) => [(best + dir * 100 * k) / 1e4, 1 + int(1000)]);
    let bids = side(bestBid, -1);
    let asks = side(bestAsk, 1);
    if (kind > 0.97) bids = [];
    else if (kind > 0.94) asks = [];
    const a = rand();
    const action = a < 0.1 ? 'T' : a < 0.13 ? 'F' : a < 0.15 ? 'R' : 'A';
    snaps.push({ tsEvent: ts, bids, asks, action, size: 1 + int(500) });
  }
  if (seed % 2 === 0) {
    // An opening cross within 10 s of the open: one or two prints at one instant, the
    // first continuous book right after them.
    const cross = nsOf('2025-04-03T13:30:00Z') + BigInt(int(8e9));
    let k = snaps.findIndex((x) => x.tsEvent >= cross);
    if (k < 0) k = snaps.length;
    const before = snaps[Math.max(0, k - 1)];
    const prints: Mbp10Snapshot[] = [
      { ...before, tsEvent: cross, action: 'T', size: 1000 + int(5000) },
      ...(seed % 4 === 0 ? [{ ...before, tsEvent: cross, action: 'T', size: 1 + int(100) }] : []),
      { ...before, tsEvent: cross, action: 'A', bids: before.bids, asks: before.asks },
    ];
    snaps.splice(k, 0, ...prints);
  }
  const formats: Mbp10Format[] = [
    {},
    { timestamps: 'ns', prices: 'fixed' },
    { isoOffsetMinutes: -240, emptyLevel: 'sentinel', levelOrder: 'per-side' },
  ];
  return { snaps, periodMinutes, format: formats[seed % 3] };
}

describe('random files against the slow oracles', () => {
  const s0 = Date.parse('2025-04-03T13:30:00Z');
  const end = Date.parse('2025-04-03T13:45:00Z');
  // Instants are labelled by the second they fall in.
  const label = (ns: bigint) => {
    const sec = Math.floor(9.5 * 3600 + Number(ns - BigInt(s0) * 1_000_000n) / 1e9);
    const pad = (n: number) => String(n).padStart(2, '0');
    const hm = `${pad(Math.floor(sec / 3600))}:${pad(Math.floor(sec / 60) % 60)}`;
    return sec % 60 ? `${hm}:${pad(sec % 60)}` : hm;
  };
  const cases = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => [
    [seed, false] as const,
    [seed + 100, true] as const,
  ]);

  it.each(cases)('seed %i (out of order: %s)', (seed, outOfOrder) => {
    const { snaps, periodMinutes, format } = randomCase(seed, outOfOrder);
    const n = 15 / periodMinutes;
    const opts = sessionOf('09:30', '09:45', periodMinutes);
    const text = mbp10Csv(snaps, format);
    const avg = parseText(text, opts, 997);
    const start = parseText(text, { ...opts, sampling: 'start' }, 997);
    expect(avg.rows).toBe(snaps.length);

    // average
    const o = expectedAverage(snaps, s0, periodMinutes, n, end);
    expectLaddersClose(avg.ladders.buy, o.buy, 'buy');
    expectLaddersClose(avg.ladders.sell, o.sell, 'sell');
    avg.series.forEach((p, i) => {
      expect(p.coverage, `coverage of period ${i + 1}`).toBeCloseTo(o.coverage[i], 8);
      if (o.spread[i] === null) expect(p.spread).toBeNull();
      else expect(p.spread, `spread of period ${i + 1}`).toBeCloseTo(o.spread[i]!, 8);
    });
    expect(avg.emptyPeriods).toEqual(o.emptyPeriods);
    expect(avg.stats.coveredPeriods).toBe(n - o.emptyPeriods.length);
    expect(avg.stats.partialPeriods).toBe(o.coverage.filter((c) => c > 0 && c < 1 - 1e-9).length);
    const gap = o.largestGap;
    const gapMinutes = gap ? Number(gap.to - gap.from) / 60e9 : 0;
    if (!gap || gapMinutes < 1 / 60) expect(avg.stats.largestGap).toBeNull();
    else {
      expect(avg.stats.largestGap).toMatchObject({ from: label(gap.from), to: label(gap.to) });
      expect(avg.stats.largestGap!.minutes).toBeCloseTo(gapMinutes, 5);
    }
    const stale = o.longestStale;
    const staleMinutes = stale ? Number(stale.to - stale.from) / 60e9 : 0;
    if (!stale || staleMinutes < 1 / 60) expect(avg.stats.longestStale).toBeNull();
    else {
      expect(avg.stats.longestStale).toMatchObject({
        from: label(stale.from),
        to: label(stale.to),
      });
      expect(avg.stats.longestStale!.minutes).toBeCloseTo(staleMinutes, 5);
    }

    // start
    const e = expectedLadders(snaps, s0, periodMinutes, n, end);
    expect(start.ladders).toEqual(e);
    expect(avg.replayLadders).toEqual(e);
    // Mids (both samplings) are those of the start books.
    const mids = startBooks(snaps, s0, periodMinutes, n, end).map((s) => (s ? midOf(s) : null));
    expect(start.series.map((p) => p.mid)).toEqual(mids);
    expect(avg.series.map((p) => p.mid)).toEqual(mids);
    expect(start.emptyPeriods).toEqual(e.buy.flatMap((l, i) => (l.length === 0 ? [i + 1] : [])));

    expect(avg.stats.startMids).toEqual(mids);

    // Trades: T rows (any book) by ts_event in [s_i, s_{i+1}), but the opening print's.
    const cont = continuousStart(snaps, s0, end);
    const auction = (s: Mbp10Snapshot) => cont.print && s.tsEvent === cont.at;
    const printed = snaps.filter((s) => s.action === 'T' && auction(s));
    expect(avg.stats.continuous).toMatchObject({
      start: label(cont.at),
      rule: cont.print ? 'opening print' : 'session start',
    });
    expect(avg.stats.openingAuction).toEqual(
      cont.print
        ? {
            at: label(cont.at),
            volume: sum(printed.map((s) => s.size!)),
            trades: printed.length,
            price: expect.any(Number) as number,
          }
        : null,
    );
    const volume = Array.from({ length: n }, (_, i) => {
      const ps = BigInt(s0) * 1_000_000n + BigInt(i * periodMinutes * 60) * 1_000_000_000n;
      const pe = ps + BigInt(periodMinutes * 60) * 1_000_000_000n;
      return sum(
        snaps
          .filter((s) => s.action === 'T' && !auction(s) && s.tsEvent >= ps && s.tsEvent < pe)
          .map((s) => s.size!),
      );
    });
    expect(avg.series.map((p) => p.volume)).toEqual(volume);
    expect(start.stats.volume).toBe(sum(volume));

    // Arrival: the book in effect when continuous trading starts, else the next usable one.
    const first = arrivalOf(snaps, s0, end);
    expect(avg.stats.arrival).toEqual(
      first ? { mid: midOf(first.book), at: label(first.at) } : null,
    );
  });

  it('start books (a slot’s row copied only when the book in effect changes) match the oracle on any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 1_000_000 }), fc.boolean(), (seed, outOfOrder) => {
        const { snaps, periodMinutes, format } = randomCase(seed, outOfOrder);
        const n = 15 / periodMinutes;
        const opts = sessionOf('09:30', '09:45', periodMinutes);
        const start = parseText(mbp10Csv(snaps, format), { ...opts, sampling: 'start' }, 4093);
        expect(start.ladders).toEqual(expectedLadders(snaps, s0, periodMinutes, n, end));
      }),
      { numRuns: 40 },
    );
  });

  it('the random files exercise what they should', () => {
    // Guards the generator: partial and empty periods, gaps and out-of-order rows do occur.
    let partial = 0;
    let empty = 0;
    let unordered = 0;
    let prints = 0;
    let clears = 0;
    for (const [seed, outOfOrder] of cases) {
      const { snaps, periodMinutes } = randomCase(seed, outOfOrder);
      if (continuousStart(snaps, s0, end).print) prints++;
      clears += snaps.filter((s) => s.action === 'R').length;
      const o = expectedAverage(snaps, s0, periodMinutes, 15 / periodMinutes, end);
      partial += o.coverage.filter((c) => c > 0 && c < 1).length;
      empty += o.emptyPeriods.length;
      unordered += snaps.filter((s, i) => i > 0 && s.tsEvent < snaps[i - 1].tsEvent).length;
    }
    expect(partial).toBeGreaterThan(10);
    expect(empty).toBeGreaterThan(5);
    expect(unordered).toBeGreaterThan(10);
    // Both rules for the continuous start occur.
    expect(prints).toBeGreaterThan(1);
    expect(cases.length - prints).toBeGreaterThan(1);
    expect(clears).toBeGreaterThan(10);
  });
});

describe('a wide, jumpy spread', () => {
  it('keeps every distinct offset (thousands in one period) and merges equal ones', () => {
    // 300 snapshots in one minute, the k-th with a spread of k+1 units of 1e-4: its ask
    // offsets are (k+1)/2 units + j cents, so snapshots 200 apart share offsets.
    const rows: Mbp10Snapshot[] = [];
    const t0 = nsOf('2025-04-03T13:30:00Z');
    for (let k = 0; k < 300; k++) {
      const ask = 1_000_000 + k + 1;
      rows.push({
        tsEvent: t0 + BigInt(k) * 200_000_000n,
        bids: Array.from({ length: 10 }, (_, j) => [(1_000_000 - 100 * j) / 1e4, 1 + j + k]),
        asks: Array.from({ length: 10 }, (_, j) => [(ask + 100 * j) / 1e4, 2 + j + k]),
      });
    }
    rows.push({ ...rows[0], tsEvent: nsOf('2025-04-03T13:31:00Z') });
    const window = [
      Date.parse('2025-04-03T13:30:00Z'),
      1,
      1,
      Date.parse('2025-04-03T13:31:00Z'),
    ] as const;
    const b = parseText(mbp10Csv(rows), sessionOf('09:30', '09:31'));
    const o = expectedAverage(rows, ...window);
    expect(o.buy[0].length).toBeGreaterThan(2000);
    expect(o.buy[0].length).toBeLessThan(3000); // some merged
    expectLaddersClose(b.ladders.buy, o.buy, 'buy');
    expectLaddersClose(b.ladders.sell, o.sell, 'sell');
    expect(b.stats.maxLevels).toBe(o.buy[0].length);
  });
});

describe('trades', () => {
  // Session 09:30–10:00 New York, 5-minute periods. The clock times are the same on both
  // dates; New York is UTC−5 on 2025-03-07 (EST) and UTC−4 on 2025-03-10 (EDT), written
  // here by hand rather than through the code under test.
  const opts = sessionOf('09:30', '10:00', 5);
  const day = (date: string, utcMinusLocalHours: number) => {
    const at = (clock: string) =>
      nsOf(`${date}T${clock}Z`) + BigInt(utcMinusLocalHours) * 3_600_000_000_000n;
    // One 3-level book (its timestamp replaced below), refreshed every 30 s 09:29–10:01.
    const levels = snap('2025-01-01T00:00:00Z', 10, 10.02, 3);
    const rows: Mbp10Snapshot[] = [];
    for (let s = 0; s <= 32 * 60; s += 30) {
      rows.push({ ...levels, tsEvent: at('09:29:00') + BigInt(s) * 1_000_000_000n });
    }
    const ev = (clock: string, action: string, size: number, oneSided = false): Mbp10Snapshot => ({
      ...levels,
      ...(oneSided ? { asks: [] } : {}),
      tsEvent: at(clock),
      action,
      size,
    });
    rows.push(
      ev('09:29:59.999', 'T', 1000), // before the session
      ev('09:30:00', 'T', 100), // period 1
      ev('09:30:00', 'F', 100), // the resting side of that trade: not volume
      ev('09:31:00', 'A', 999), // book events: not volume
      ev('09:31:30', 'C', 998),
      ev('09:32:00', 'M', 997),
      ev('09:34:59.999999999', 'T', 7), // period 1, 1 ns before its end
      ev('09:35:00', 'T', 30), // period 2
      ev('09:47:12', 'T', 250, true), // period 4; a trade whether or not the book is usable
      ev('09:59:59', 'T', 5), // period 6
      ev('10:00:00', 'T', 2000), // the session's end: outside
    );
    return rows.sort((a, b) => (a.tsEvent < b.tsEvent ? -1 : a.tsEvent > b.tsEvent ? 1 : 0));
  };

  it.each([
    ['2025-03-07', 5],
    ['2025-03-10', 4],
  ])('sums T rows per period on %s (UTC−%i)', (date, hours) => {
    const b = parseText(mbp10Csv(day(date, hours)), opts);
    expect(b.date).toBe(date);
    // The 09:30:00 trade is the opening print and the 10:00:00 one the closing print: auction
    // volume, apart from the continuous volume of the periods.
    expect(b.series.map((p) => p.volume)).toEqual([7, 30, 0, 250, 0, 5]);
    expect(b.series.map((p) => p.trades)).toEqual([1, 1, 0, 1, 0, 1]);
    expect(b.stats.volume).toBe(292);
    expect(b.stats.trades).toBe(4);
    expect(b.stats.openingAuction).toMatchObject({ at: '09:30', volume: 100, trades: 1 });
    expect(b.stats.closingAuction).toMatchObject({ at: '10:00', volume: 2000, trades: 1 });
    expect(b.oneSidedRows).toBe(1);
  });

  it('a file without an action column has no volume (null), not zero', () => {
    const rows = day('2025-03-10', 4);
    const b = parseText(mbp10Csv(rows, { actionColumn: false }), opts);
    expect(b.series.every((p) => p.volume === null && p.trades === null)).toBe(true);
    expect(b.stats.volume).toBeNull();
    expect(b.stats.trades).toBeNull();
    // The books are read the same either way.
    expect(b.ladders).toEqual(parseText(mbp10Csv(rows), opts).ladders);
  });
});

describe('effective spread', () => {
  it('is the volume-weighted 2·|trade price − mid before the trade| per period', () => {
    // The book 10.00 / 10.02 (mid 10.01) all period. T 100 at 10.03 pays 2 × 0.02 = 0.04;
    // T 300 at 10.01 pays 0. Period 1: (0.04 × 100 + 0 × 300) / 400 = 0.01. Period 2 has
    // no trade: null.
    const book = (iso: string) => snap(iso, 10, 10.02, 3);
    const rows: Mbp10Snapshot[] = [
      book('2025-04-03T13:29:50Z'),
      { ...book('2025-04-03T13:30:00Z'), action: 'T', size: 50, price: 10.5 }, // opening print
      { ...book('2025-04-03T13:30:10Z'), action: 'T', size: 100, price: 10.03 },
      { ...book('2025-04-03T13:30:20Z'), action: 'T', size: 300, price: 10.01 },
      book('2025-04-03T13:30:40Z'),
      book('2025-04-03T13:31:20Z'),
      book('2025-04-03T13:31:50Z'),
    ];
    const b = parseText(mbp10Csv(rows), sessionOf('09:30', '09:32'));
    expect(b.series[0].effectiveSpread).toBeCloseTo(0.01, 12);
    expect(b.series[0].volume).toBe(400);
    expect(b.series[1].effectiveSpread).toBeNull();
  });
});

describe('a file that ends mid-session', () => {
  // A row every 10 s from 09:30:00 to 09:35:30 (the same book), session 09:30–09:40.
  const rows = every('2025-04-03T13:30:00Z', '2025-04-03T13:35:30Z', 10, 10, 10.02);
  const opts = sessionOf('09:30', '09:40');

  it.each(['average', 'start'] as const)('has no book after the data ends (%s)', (sampling) => {
    const b = parseText(mbp10Csv(rows), { ...opts, sampling });
    expect(b.series.map((p) => p.coverage)).toEqual([1, 1, 1, 1, 1, 0.5, 0, 0, 0, 0]);
    expect(b.emptyPeriods).toEqual([7, 8, 9, 10]);
    expect(b.stats.coveredPeriods).toBe(6);
    expect(b.stats.partialPeriods).toBe(1);
    expect(b.stats.largestGap).toEqual({ from: '09:35:30', to: '09:40', minutes: 4.5 });
    expect(b.stats.dataStart).toBe('2025-04-03T13:30:00Z');
    expect(b.stats.dataEnd).toBe('2025-04-03T13:35:30Z');
    for (const side of ['buy', 'sell'] as const) {
      expect(b.ladders[side].slice(6)).toEqual([[], [], [], []]);
      expect(b.replayLadders[side].slice(6)).toEqual([[], [], [], []]);
    }
    expect(b.series.map((p) => p.mid)).toEqual([...Array(6).fill(10.01), ...Array(4).fill(null)]);
    if (sampling === 'average') {
      // Half a period of the book: half its depth at every level.
      expect(b.ladders.buy[5]).toEqual(halve(b.ladders.buy[0]));
      expect(b.ladders.sell[5]).toEqual(halve(b.ladders.sell[0]));
      expect(b.series[5].askDepth).toBe(b.series[0].askDepth / 2);
    } else {
      expect(b.ladders.buy[5]).toEqual(b.ladders.buy[0]);
    }
  });
});

describe('a quiet stretch and a clear', () => {
  // Session 09:30–10:30. A row every 10 s from 09:30:00 to 09:40:20, none for almost 20
  // minutes, then every 10 s from 10:00:00 to 10:30:00.
  const rows = [
    ...every('2025-04-03T13:30:00Z', '2025-04-03T13:40:20Z', 10, 10, 10.02),
    ...every('2025-04-03T14:00:00Z', '2025-04-03T14:30:00Z', 10, 11, 11.02),
  ];
  const opts = sessionOf('09:30', '10:30');
  const halted = Array.from({ length: 18 }, (_, k) => 13 + k); // 09:42 … 09:59

  it.each(['average', 'start'] as const)(
    'the 09:40:20 book stays in effect until 10:00: every period covered (%s)',
    (sampling) => {
      const b = parseText(mbp10Csv(rows), { ...opts, sampling });
      expect(b.series.every((p) => p.coverage === 1)).toBe(true);
      expect(b.emptyPeriods).toEqual([]);
      expect(b.stats.largestGap).toBeNull();
      expect(b.stats.longestStale).toEqual({ from: '09:40:20', to: '10:00', minutes: 19.666667 });
      expect(b.series[12].mid).toBe(10.01);
      expect(b.series[29].mid).toBe(10.01);
      expect(b.series[30].mid).toBe(11.01);
      expect(b.ladders.buy[20]).toEqual(b.ladders.buy[0]);
    },
  );

  // A clear (action R) at 09:41:20: no book from then until the 10:00:00 row.
  const cleared = [...rows];
  cleared.splice(63, 0, { ...snap('2025-04-03T13:41:20Z', 10, 10.02), action: 'R' });

  it('after a clear there is no book until the next row', () => {
    const b = parseText(mbp10Csv(cleared), opts);
    expect(b.clearRows).toBe(1);
    // The 09:40:20 book is in effect until 09:41:20: all of period 11, 20 s of period 12.
    expect(b.series[10].coverage).toBe(1);
    expect(b.series[11].coverage).toBe(0.333333333);
    expect(halted.map((p) => b.series[p - 1].coverage)).toEqual(Array(18).fill(0));
    expect(b.series[30].coverage).toBe(1);
    expect(b.emptyPeriods).toEqual(halted);
    expect(b.stats.coveredPeriods).toBe(60 - 18);
    expect(b.stats.partialPeriods).toBe(1);
    expect(b.stats.largestGap).toEqual({ from: '09:41:20', to: '10:00', minutes: 18.666667 });
    expect(b.ladders.buy[11]).toEqual(
      b.ladders.buy[0].map(([o, q]) => [o, Number((q / 3).toPrecision(12))]),
    );
    expect(b.ladders.buy[12]).toEqual([]);
  });

  it('start sampling agrees', () => {
    const b = parseText(mbp10Csv(cleared), { ...opts, sampling: 'start' });
    expect(b.series[11].mid).toBe(10.01); // 09:41 is before the clear
    expect(b.series[12].mid).toBeNull();
    expect(b.series[30].mid).toBe(11.01);
    expect(b.emptyPeriods).toEqual(halted);
    expect(b.stats.largestGap).toEqual({ from: '09:41:20', to: '10:00', minutes: 18.666667 });
  });
});

describe('σ from the mids at the period starts', () => {
  // 09:30–16:00, 390 one-minute periods; a row exactly at each period start with the walk's
  // mid (spread one cent each side), and one at 16:00.
  const walk = (seed: number, stepTicks: (i: number) => number) => {
    const rand = rng(seed);
    const ticks = [10_000];
    for (let i = 1; i < 390; i++) ticks.push(ticks[i - 1] + (rand() < 0.5 ? -1 : 1) * stepTicks(i));
    const s0 = Date.parse('2025-04-03T13:30:00Z');
    const rows = ticks.map((m, i) =>
      snap(new Date(s0 + i * 60_000).toISOString(), (m - 1) / 100, (m + 1) / 100, 2),
    );
    const last = ticks[389];
    rows.push(snap('2025-04-03T20:00:00Z', (last - 1) / 100, (last + 1) / 100, 2));
    return { ticks, book: parseText(mbp10Csv(rows), sessionOf('09:30', '16:00')) };
  };
  /** The sample standard deviation of the one-period changes, in price units. */
  const sampleSigma = (ticks: number[]) => {
    const d = ticks.slice(1).map((m, i) => m - ticks[i]);
    const mean = sum(d) / d.length;
    return Math.sqrt(sum(d.map((x) => (x - mean) ** 2)) / (d.length - 1)) / 100;
  };

  it.each([1, 2, 3, 4, 5])('a ±1-cent walk has σ ≈ 0.01 per period (seed %i)', (seed) => {
    const { ticks, book } = walk(seed, () => 1);
    const sigma = book.stats.sigma!;
    expect(sigma.changes).toBe(389);
    expect(sigma.value / sampleSigma(ticks)).toBeCloseTo(1, 9);
    expect(Math.abs(sigma.value / 0.01 - 1)).toBeLessThan(0.03);
    expect(sigma.profile).toHaveLength(390);
    expect(sum(sigma.profile.map((p) => p * p)) / 390).toBeCloseTo(1, 6);
  });

  it.each([1, 2, 3])('a walk whose step doubles in the afternoon (seed %i)', (seed) => {
    // Changes 1–194 are ±1 cent, 195–389 ±2 cents; the profile window is ±15 periods.
    const { ticks, book } = walk(seed, (i) => (i < 195 ? 1 : 2));
    const sigma = book.stats.sigma!;
    expect(sigma.window).toBe(15);
    expect(sigma.value / sampleSigma(ticks)).toBeCloseTo(1, 9);
    expect(sum(sigma.profile.map((p) => p * p)) / 390).toBeCloseTo(1, 6);
    const mean = (from: number, to: number) => sum(sigma.profile.slice(from, to)) / (to - from);
    const morning = mean(20, 175);
    const afternoon = mean(215, 370);
    expect(afternoon / morning).toBeGreaterThan(1.85);
    expect(afternoon / morning).toBeLessThan(2.15);
  });
});

describe('the arrival price', () => {
  it('is the first usable book from the opening print on, not the pre-open book nor the median', () => {
    const rows = [
      ...every('2025-04-03T13:00:00Z', '2025-04-03T13:29:30Z', 30, 9, 9.02), // pre-open
      { ...snap('2025-04-03T13:30:01Z', 30, 30.02), asks: [] }, // one-sided
      snap('2025-04-03T13:30:02Z', 30.05, 30.02), // crossed
      { ...snap('2025-04-03T13:30:03Z', 30.05, 30.02), action: 'T', size: 500 }, // the cross
      snap('2025-04-03T13:30:05Z', 10.5, 10.52), // the first usable row after it
      ...every('2025-04-03T13:30:10Z', '2025-04-03T13:40:00Z', 10, 20, 20.02),
    ];
    for (const sampling of ['average', 'start'] as const) {
      const b = parseText(mbp10Csv(rows), { ...sessionOf('09:30', '09:40'), sampling });
      expect(b.stats.arrival).toEqual({ mid: 10.51, at: '09:30:05' });
      // No book is in effect at 09:30:03 (the crossed row), and the 09:30:05 row is later.
      expect(b.series[0].mid).toBeNull();
      expect(b.series[5].mid).toBe(20.01); // the median of the day's mids
    }
  });

  it('is the book in effect at the open when there is no opening print', () => {
    const rows = [
      ...every('2025-04-03T13:00:00Z', '2025-04-03T13:29:30Z', 30, 9, 9.02),
      snap('2025-04-03T13:30:05Z', 10.5, 10.52),
      ...every('2025-04-03T13:30:10Z', '2025-04-03T13:40:00Z', 10, 20, 20.02),
    ];
    const b = parseText(mbp10Csv(rows), sessionOf('09:30', '09:40'));
    expect(b.stats.continuous).toEqual({ start: '09:30', rule: 'session start', spread: 0.02 });
    expect(b.stats.arrival).toEqual({ mid: 9.01, at: '09:30' });
    expect(b.series[0].mid).toBe(9.01);
  });
});
