/**
 * The clock-window cutter the out-of-sample checks use (test/validation/frogDays.ts), on a
 * generated day: windows pose as days on consecutive dates at the first window's clock, each
 * starting with the book in effect at its start; the import reads them as such.
 */
import { describe, expect, it } from 'vitest';
import { mbp10Csv, syntheticDay } from '../../fixtures/mbp10';
import { cutDays, parseDay } from '../../validation/frogDays';
import { Mbp10Parser } from '../../../src-main/book/mbp10';

const csv = mbp10Csv(
  syntheticDay({
    fromMs: Date.parse('2025-04-03T13:20:00Z'),
    toMs: Date.parse('2025-04-03T14:30:00Z'),
    rows: 3000,
    seed: 3,
    tradeProbability: 0.3,
  }),
  { symbol: 'ACME' },
);

describe('cutDays', () => {
  const days = cutDays(csv, { windowMinutes: 30, utcStart: '13:30', utcEnd: '14:30' });

  it('makes one day per window on consecutive dates, all at the first window’s clock', () => {
    expect(days.map((d) => [d.date, d.window, d.session.start, d.session.end])).toEqual([
      ['2025-04-03', '13:30–14:00 UTC', '09:30', '10:00'],
      ['2025-04-04', '14:00–14:30 UTC', '09:30', '10:00'],
    ]);
  });

  it('carries the book in effect at the window start in as its first row, stamped at the start', () => {
    const lines = csv.trimEnd().split('\n');
    const header = lines[0].split(',');
    const ev = header.indexOf('ts_event');
    const before = lines
      .slice(1)
      .filter(
        (l) => Date.parse(l.split(',')[ev].replace(' ', 'T')) < Date.parse('2025-04-03T14:00:00Z'),
      )
      .at(-1)!
      .split(',');
    const carried = days[1].csv.split('\n')[1].split(',');
    expect(carried[ev]).toBe('2025-04-04 13:30:00.000000000+00:00');
    expect(carried[header.indexOf('action')]).toBe('N');
    const book = (row: string[]) =>
      header.flatMap((c, i) => (/^(bid|ask)_(px|sz)_/.test(c) ? [row[i]] : []));
    expect(book(carried)).toEqual(book(before));
  });

  it('the import reads each window as its day: same volume as the window, on the new date', () => {
    const whole = new Mbp10Parser({
      periodMinutes: 1,
      session: { start: '09:30', end: '10:30', timeZone: 'America/New_York' },
      date: '2025-04-03',
    });
    whole.push(new TextEncoder().encode(csv));
    const full = whole.finish();
    const parsed = days.map((d) => parseDay(d, 1));
    expect(parsed.map((p) => [p.date, p.periods])).toEqual([
      ['2025-04-03', 30],
      ['2025-04-04', 30],
    ]);
    const vol = (v: (number | null | undefined)[]) => v.reduce((a: number, x) => a + (x ?? 0), 0);
    expect(vol(parsed[0].series.map((p) => p.volume))).toBe(
      vol(full.series.slice(0, 30).map((p) => p.volume)),
    );
    expect(vol(parsed[1].series.map((p) => p.volume))).toBe(
      vol(full.series.slice(30).map((p) => p.volume)),
    );
    // Only the window at the real open has an opening print; the second starts inside
    // continuous trading, so its first trade is continuous volume, not an auction.
    expect(days.map((d) => d.auctions)).toEqual([true, false]);
    expect(parsed[0].stats.openingAuction).toEqual(full.stats.openingAuction);
    expect(parsed[1].stats.openingAuction).toBeNull();
    expect(parsed[1].stats.continuous).toMatchObject({ rule: 'session start' });
    // The second window's books are the whole day's second half-hour, period by period.
    expect(parsed[1].replayLadders.buy).toEqual(full.replayLadders.buy.slice(30));
    expect(parsed[1].series.map((p) => p.mid)).toEqual(full.series.slice(30).map((p) => p.mid));
  });

  it('refuses a window that does not divide the session', () => {
    expect(() => cutDays(csv, { windowMinutes: 7 })).toThrow(/^windowMinutes: 7 does not divide/);
  });
});
