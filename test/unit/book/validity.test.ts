/**
 * When a book is in effect (docs/orderbook.md): a quiet book persists until the next row, the
 * pre-open book is never priced as continuous trading, auction prints are volume apart, and a
 * file of one venue says so. Known answers on generated files.
 */
import { describe, expect, it } from 'vitest';
import { buildBookPlan } from '@shared/book';
import { solvePlan } from '@shared/solver';
import { mbp10Csv, type Mbp10Snapshot } from '../../fixtures/mbp10';
import { planSourceOf } from '../../../src-main/book/service';
import { nsOf, parseText, sessionOf, snap } from './helpers';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const at = (hhmmss: string) => `2025-04-03T${hhmmss}Z`;
/** A New York clock time on 2025-04-03 (UTC−4) as an ISO instant. */
const ny = (clock: string) => {
  const [h, m, s] = clock.split(':');
  return at(`${String(Number(h) + 4).padStart(2, '0')}:${m}:${s ?? '00'}`);
};

describe('a quiet stock: the book changes every half hour', () => {
  // Pre-open book 9.00 / 11.00 at 09:25. The opening print at 09:30:00.5 (5,000 shares at 10),
  // with the first continuous book (10.00 / 10.04) at the same instant. The book then changes
  // only at 10:00, 10:30, …, 15:30 (mid up one cent, then down, …), each time right after a
  // trade of 100 shares (12 trades), and the closing print at 16:00:00.2 (8,000 shares), after
  // which the file ends.
  const bidOf = (k: number) => (k % 2 ? 10.01 : 10);
  const rows: Mbp10Snapshot[] = [
    snap(ny('09:25:00'), 9, 11),
    { ...snap(ny('09:30:00.5'), 9, 11), action: 'T', size: 5000, price: 10 },
    snap(ny('09:30:00.5'), 10, 10.04),
  ];
  for (let k = 1; k <= 12; k++) {
    const min = 9 * 60 + 30 + 30 * k;
    const clock = `${Math.floor(min / 60)}:${String(min % 60).padStart(2, '0')}`;
    const before = bidOf(k - 1);
    rows.push({ ...snap(ny(clock), before, before + 0.04), action: 'T', size: 100, price: 10.04 });
    rows.push(snap(ny(clock), bidOf(k), bidOf(k) + 0.04));
  }
  rows.push({ ...snap(ny('16:00:00.2'), 10, 10.04), action: 'T', size: 8000, price: 10.02 });
  const mids = Array.from({ length: 390 }, (_, i) => (Math.floor(i / 30) % 2 ? 10.03 : 10.02));
  const text = mbp10Csv(rows);
  const opts = sessionOf('09:30', '16:00');

  it.each(['average', 'start'] as const)(
    'covers every minute from the opening print to the close (%s)',
    (sampling) => {
      const b = parseText(text, { ...opts, sampling });
      expect(b.emptyPeriods).toEqual([]);
      expect(b.stats.coveredPeriods).toBe(390);
      // Period 1 is covered from 09:30:00.5: 59.5 of its 60 s; every other one in full.
      expect(b.series[0].coverage).toBe(0.991666667);
      expect(b.series.slice(1).every((p) => p.coverage === 1)).toBe(true);
      expect(b.stats.partialPeriods).toBe(1);
      // Half a second of pre-open is under the 1-second threshold of a gap.
      expect(b.stats.largestGap).toBeNull();
      // The book's age is information: 30 minutes between rows (the first such stretch).
      expect(b.stats.longestStale).toEqual({ from: '10:00', to: '10:30', minutes: 30 });
      expect(b.stats.continuous).toEqual({ start: '09:30', rule: 'opening print', spread: 0.04 });
      // Every period's start book is the half-hour book in effect: mid 10.02 or 10.03.
      expect(b.series.map((p) => p.mid)).toEqual(mids);
      expect(b.stats.startMids).toEqual(mids);
      expect(b.series.every((p) => p.quotedSpread === 0.04)).toBe(true);
    },
  );

  it('σ, volume and the TWAP baseline are over the whole session', () => {
    const b = parseText(text, opts);
    // σ from all 389 one-period changes: 12 of ±0.01, the rest 0.
    const d = mids.slice(1).map((m, i) => m - mids[i]);
    const mean = sum(d) / d.length;
    const sd = Math.sqrt(sum(d.map((x) => (x - mean) ** 2)) / (d.length - 1));
    expect(b.stats.sigma!.changes).toBe(389);
    expect(b.stats.sigma!.value).toBeCloseTo(sd, 12);
    // Continuous volume: the 12 trades; the prints apart.
    expect(b.stats.volume).toBe(1200);
    expect(b.stats.trades).toBe(12);
    expect(sum(b.series.map((p) => p.volume!))).toBe(1200);
    expect(b.stats.openingAuction).toEqual({ at: '09:30', volume: 5000, trades: 1, price: 10 });
    expect(b.stats.closingAuction).toEqual({ at: '16:00', volume: 8000, trades: 1, price: 10.02 });
    // A plan from the book has depth in every period, so the TWAP baseline spreads the order
    // over all 390 minutes.
    const plan = buildBookPlan(planSourceOf(b, 'quiet.csv'), {
      side: 'buy',
      shares: 3900,
      lotSize: 1,
      fit: false,
    });
    const result = solvePlan(plan);
    expect(result.baselines.naive.problem ?? null).toBeNull();
    expect(result.baselines.naive.shares).toEqual(Array(390).fill(10));
  });

  it('the arrival is the book in effect when continuous trading starts', () => {
    const b = parseText(text, opts);
    expect(b.stats.arrival).toEqual({ mid: 10.02, at: '09:30' });
  });
});

describe('the opening auction', () => {
  // FROG on 2025-04-03 in miniature: a pre-open book 30.10 / 32.00 ($1.90 wide) at
  // 09:30:00.125, the opening cross printed at 09:30:00.976 (42,747 shares at 31.25; the T row
  // still shows the pre-open book), the first continuous book 31.00 / 32.00 at the same
  // instant, 31.01 / 31.50 from 09:30:03.18, and a continuous trade of 200 at 09:30:11.
  const rows: Mbp10Snapshot[] = [
    snap(ny('09:30:00.125'), 30.1, 32, 3),
    { ...snap(ny('09:30:00.976'), 30.1, 32, 3), action: 'T', size: 42747, price: 31.25 },
    snap(ny('09:30:00.976'), 31, 32, 3),
    snap(ny('09:30:03.18'), 31.01, 31.5, 3),
    { ...snap(ny('09:30:11'), 31.01, 31.5, 3), action: 'T', size: 200, price: 31.36 },
    snap(ny('09:31:00'), 31.01, 31.5, 3),
    snap(ny('09:32:00'), 31.01, 31.5, 3),
  ];
  const opts = sessionOf('09:30', '09:32');

  it('the opening minute is priced on the first continuous book, not the $1.90 pre-open one', () => {
    const b = parseText(mbp10Csv(rows), { ...opts, sampling: 'start' });
    expect(b.series[0].spread).toBe(1);
    expect(b.series[0].mid).toBe(31.5);
    expect(b.replayLadders.buy[0][0]).toEqual([0.5, 101]);
    expect(b.stats.continuous).toEqual({ start: '09:30', rule: 'opening print', spread: 1 });
    expect(b.stats.arrival).toEqual({ mid: 31.5, at: '09:30' });
  });

  it('the time-averaged opening minute leaves the pre-open book out', () => {
    const b = parseText(mbp10Csv(rows), opts);
    // Continuous from 0.976 s: 31.00/32.00 for 2.204 s, then 31.01/31.50 for 56.82 s.
    const covered = 60 - 0.976;
    expect(b.series[0].coverage).toBeCloseTo(covered / 60, 9);
    expect(b.series[0].quotedSpread).toBeCloseTo((2.204 * 1 + 56.82 * 0.49) / covered, 9);
    expect(b.series[0].spread).toBe(b.series[0].quotedSpread);
  });

  it('reports the cross as auction volume, apart from the continuous volume', () => {
    const b = parseText(mbp10Csv(rows), opts);
    expect(b.stats.openingAuction).toEqual({
      at: '09:30',
      volume: 42747,
      trades: 1,
      price: 31.25,
    });
    expect(b.series[0].volume).toBe(200);
    expect(b.stats.volume).toBe(200);
    expect(b.stats.closingAuction).toBeNull();
  });

  it('a first trade more than 10 s after the open is continuous, not an auction', () => {
    const late = [
      snap(ny('09:29:00'), 10, 10.02),
      snap(ny('09:30:30'), 10.01, 10.03),
      { ...snap(ny('09:31:10'), 10.01, 10.03), action: 'T', size: 300 },
      snap(ny('09:32:00'), 10.01, 10.03),
    ];
    const b = parseText(mbp10Csv(late), opts);
    expect(b.stats.continuous).toEqual({ start: '09:30', rule: 'session start', spread: 0.02 });
    expect(b.stats.openingAuction).toBeNull();
    expect(b.series.map((p) => p.volume)).toEqual([0, 300]);
    expect(b.series[0].coverage).toBe(1);
  });
});

describe('venues', () => {
  it('lists the publisher_id values: one value is one venue’s book', () => {
    const one = [snap(at('13:30:00'), 10, 10.02), snap(at('13:31:00'), 10, 10.02)];
    expect(parseText(mbp10Csv(one), sessionOf('09:30', '09:31')).stats.publishers).toEqual([2]);
    const two = [one[0], { ...one[1], publisher: 39 }];
    expect(parseText(mbp10Csv(two), sessionOf('09:30', '09:31')).stats.publishers).toEqual([2, 39]);
    expect(nsOf(at('13:30:00'))).toBeGreaterThan(0n);
  });
});
