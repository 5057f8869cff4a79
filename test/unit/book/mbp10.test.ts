import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { thrownPlannerError } from '@shared/testing/plans';
import { Mbp10Parser, importMbp10File } from '../../../src-main/book/mbp10';
import {
  mbp10Csv,
  mbp10Header,
  mbp10Row,
  syntheticDay,
  type Mbp10Format,
  type Mbp10Snapshot,
} from '../../fixtures/mbp10';
import {
  NY,
  every,
  expectLaddersClose,
  expectedAverage,
  expectedLadders,
  parseText,
  sessionOf,
  snap,
} from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'mbp10-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('header and number variants', () => {
  // 13:25–13:45 UTC on 2025-04-03 = 09:25–09:45 New York, a row every 5 s (so the whole
  // 09:30–09:40 session has a book); some rows have empty deep levels.
  const snaps = [
    ...syntheticDay({
      fromMs: Date.parse('2025-04-03T13:25:00Z'),
      toMs: Date.parse('2025-04-03T13:45:00Z'),
      rows: 240,
      seed: 7,
    }),
  ].map((s, i) => (i % 5 === 0 ? { ...s, bids: s.bids.slice(0, 6), asks: s.asks.slice(0, 8) } : s));
  const opts = sessionOf('09:30', '09:40');
  const window = [
    Date.parse('2025-04-03T13:30:00Z'),
    1,
    10,
    Date.parse('2025-04-03T13:40:00Z'),
  ] as const;
  const expected = expectedLadders(snaps, ...window);
  const average = expectedAverage(snaps, ...window);
  const variants: [string, Mbp10Format][] = [
    ['Databento default (ts_recv, ISO +00:00, decimal, blank empty levels)', {}],
    [
      'no ts_recv, duplicated ts_event, index column, per-side order, ns, fixed-point, sentinel, CRLF',
      {
        tsRecv: false,
        duplicateTsEvent: true,
        indexColumn: true,
        levelOrder: 'per-side',
        timestamps: 'ns',
        prices: 'fixed',
        emptyLevel: 'sentinel',
        crlf: true,
      },
    ],
    [
      'ISO with a -04:00 offset, per-side order, fixed-point, blank',
      { isoOffsetMinutes: -240, levelOrder: 'per-side', prices: 'fixed' },
    ],
    [
      'index column, ns timestamps, decimal, sentinel',
      { indexColumn: true, timestamps: 'ns', emptyLevel: 'sentinel' },
    ],
    ['duplicated ts_event with a +05:30 offset', { duplicateTsEvent: true, isoOffsetMinutes: 330 }],
  ];
  it.each(variants)('%s', (_name, format) => {
    const text = mbp10Csv(snaps, format);
    const book = parseText(text, opts, 4093);
    expect(book.rows).toBe(240);
    expect(book.usableRows).toBe(240);
    expect(book.badRows).toBe(0);
    expect(book.date).toBe('2025-04-03');
    expect(book.symbol).toBe('TEST');
    expect(book.stats.sampling).toBe('average');
    expect(book.emptyPeriods).toEqual([]);
    expect(book.series.map((p) => p.coverage)).toEqual(Array(10).fill(1));
    expect(book.stats.largestGap).toBeNull();
    expectLaddersClose(book.ladders.buy, average.buy, 'buy');
    expectLaddersClose(book.ladders.sell, average.sell, 'sell');
    expect(book.replayLadders).toEqual(expected);
    expect(parseText(text, { ...opts, sampling: 'start' }, 4093).ladders).toEqual(expected);
    expect(book.priceFormat).toBe(format.prices === 'fixed' ? 'fixed' : 'decimal');
    expect(book.timestampFormat).toBe(format.timestamps === 'ns' ? 'nanoseconds' : 'iso');
  });

  // Rows 50–129: 09:29:10–09:35:45, so the session has a book for part of its length.
  const inSession = (from: number, to: number) => snaps.slice(50 + from, 50 + to);

  it('gives the same result whatever the chunk size', () => {
    const text = mbp10Csv(inSession(0, 80), { crlf: true });
    const whole = parseText(text, opts, text.length);
    expect(parseText(text, opts, 1)).toEqual(whole);
    expect(parseText(text, opts, 37)).toEqual(whole);
  });

  it('uses the first ts_event when the header has two', () => {
    const lines = mbp10Csv(inSession(0, 50), { duplicateTsEvent: true }).trimEnd().split('\n');
    // Garble the second ts_event column: the parser must not look at it.
    const text = [lines[0], ...lines.slice(1).map((l) => l.replace(/,[^,]*$/, ',garbage'))].join(
      '\n',
    );
    const book = parseText(text, opts);
    expect(book.badRows).toBe(0);
    expect(book.usableRows).toBe(50);
  });

  it('ignores unknown columns wherever they are', () => {
    const lines = mbp10Csv(inSession(0, 30)).trimEnd().split('\n');
    const text = lines.map((l, i) => `${i === 0 ? 'extra' : 'x'},${l},${i === 0 ? 'more' : 'y'}`);
    expect(parseText(text.join('\n'), opts).usableRows).toBe(30);
  });
});

describe('sampling onto periods', () => {
  // These tests are about the book at each period start.
  const opts = { ...sessionOf('09:30', '09:40'), sampling: 'start' as const };
  const bid = (book: ReturnType<typeof parseText>, period: number) =>
    book.series[period - 1].mid === null
      ? null
      : book.series[period - 1].mid! - book.series[period - 1].spread! / 2;

  it('takes the last row at or before each period start (exact start included)', () => {
    // The 12 and 13 books are refreshed (same book, new row) more often than once a period,
    // as a live feed does, so each stays in effect; the last row is after the session.
    const rows = [
      snap('2025-04-03T13:29:00Z', 10.0, 10.02),
      snap('2025-04-03T13:30:00Z', 11.0, 11.02),
      snap('2025-04-03T13:30:30Z', 12.0, 12.02),
      snap('2025-04-03T13:31:15Z', 12.0, 12.02),
      snap('2025-04-03T13:32:15Z', 12.0, 12.02),
      snap('2025-04-03T13:33:00.000000001Z', 13.0, 13.02),
      ...every('2025-04-03T13:33:30Z', '2025-04-03T13:40:30Z', 30, 13.0, 13.02),
    ];
    const book = parseText(mbp10Csv(rows), opts);
    const bids = Array.from({ length: 10 }, (_, i) => bid(book, i + 1));
    expect(bids.map((b) => b && Math.round(b * 100) / 100)).toEqual([
      11, 12, 12, 12, 13, 13, 13, 13, 13, 13,
    ]);
    expect(book.emptyPeriods).toEqual([]);
    expect(book.series[0]).toMatchObject({
      start: '09:30',
      mid: 11.01,
      spread: 0.02,
      bidDepth: 1450,
      askDepth: 1460,
      coverage: 1,
      volume: 0,
      trades: 0,
    });
    expect(book.ladders.buy[0][0]).toEqual([0.01, 101]);
    expect(book.ladders.sell[0][9]).toEqual([0.1, 190]);
  });

  it('has no book before the first usable row, never the first row inside the period', () => {
    const oneSided: Mbp10Snapshot = { ...snap('2025-04-03T13:29:00Z', 9, 9.02), asks: [] };
    const rows = [
      oneSided,
      snap('2025-04-03T13:32:10Z', 20.0, 20.02),
      snap('2025-04-03T13:32:40Z', 21.0, 21.02),
      ...every('2025-04-03T13:33:10Z', '2025-04-03T13:40:10Z', 30, 21.0, 21.02),
    ];
    const book = parseText(mbp10Csv(rows), opts);
    // Period 3 has a book from 09:32:10 on: 50 of its 60 seconds (coverage is rounded to 1e-9),
    // but at 09:32 itself none: the 09:32:10 row is 10 s later, so it is not period 3's book.
    expect(book.emptyPeriods).toEqual([1, 2, 3]);
    expect(book.series.map((p) => p.coverage)).toEqual([0, 0, 0.833333333, 1, 1, 1, 1, 1, 1, 1]);
    expect(book.ladders.buy[0]).toEqual([]);
    expect(book.ladders.buy[2]).toEqual([]);
    expect(book.series[2].mid).toBeNull();
    expect(book.series[2].quotedSpread).toBe(0.02);
    expect(bid(book, 4)).toBeCloseTo(21, 9);
    expect(book.oneSidedRows).toBe(1);
  });

  it('handles ts_event out of file order', () => {
    // At 09:30 the book in effect is the 09:29:30 row (written last, less than a period old).
    const rows = [
      snap('2025-04-03T13:31:00Z', 31, 31.02),
      snap('2025-04-03T13:30:50Z', 30, 30.02),
      snap('2025-04-03T13:29:30Z', 29, 29.02),
      // The data goes on (a one-sided row): the 09:31 row is in effect at 09:31.
      { ...snap('2025-04-03T13:31:20Z', 40, 40.02), asks: [] },
    ];
    const book = parseText(mbp10Csv(rows), opts);
    expect(bid(book, 1)).toBeCloseTo(29, 9);
    expect(bid(book, 2)).toBeCloseTo(31, 9);
  });

  it('counts one-sided, crossed and locked rows: each ends the book in effect', () => {
    const rows = [
      snap('2025-04-03T13:30:00Z', 10, 10.02),
      snap('2025-04-03T13:30:10Z', 10.05, 10.03), // crossed
      snap('2025-04-03T13:30:20Z', 10.03, 10.03), // locked
      { ...snap('2025-04-03T13:30:30Z', 10.1, 10.12), bids: [] },
      { ...snap('2025-04-03T13:30:40Z', 10.1, 10.12), asks: [] },
    ];
    const book = parseText(mbp10Csv(rows), opts);
    expect(book.usableRows).toBe(1);
    expect(book.crossedRows).toBe(2);
    expect(book.oneSidedRows).toBe(2);
    expect(bid(book, 1)).toBeCloseTo(10, 9);
    // Averaged too: only the 10.00/10.02 book, in effect until the crossed row (09:30:10).
    const avg = parseText(mbp10Csv(rows), { ...opts, sampling: 'average' });
    expect(avg.series[0].coverage).toBeCloseTo(10 / 60, 9);
    expect(avg.series[0].spread).toBe(0.02);
    expect(avg.ladders.buy[0].map(([off]) => off)).toEqual(book.ladders.buy[0].map(([off]) => off));
    expect(avg.stats.dataEnd).toBe('2025-04-03T13:30:40Z');
  });

  it('periods after the data ends have no book (the last row does not persist)', () => {
    // Rows every 30 s from 09:30 to 09:33: the data ends half-way through the 09:32 period.
    const rows = every('2025-04-03T13:30:00Z', '2025-04-03T13:33:00Z', 30, 10, 10.02);
    for (const sampling of ['start', 'average'] as const) {
      const book = parseText(mbp10Csv(rows), { ...sessionOf('09:30', '09:40', 2), sampling });
      expect(book.periods).toBe(5);
      expect(book.series.map((p) => p.start)).toEqual([
        '09:30',
        '09:32',
        '09:34',
        '09:36',
        '09:38',
      ]);
      expect(book.series.map((p) => p.mid)).toEqual([10.01, 10.01, null, null, null]);
      expect(book.series.map((p) => p.coverage)).toEqual([1, 0.5, 0, 0, 0]);
      expect(book.emptyPeriods).toEqual([3, 4, 5]);
      expect(book.ladders.buy.slice(2)).toEqual([[], [], []]);
      expect(book.ladders.sell.slice(2)).toEqual([[], [], []]);
      expect(book.stats.largestGap).toEqual({ from: '09:33', to: '09:40', minutes: 7 });
    }
  });

  it('period-minutes-not-dividing-the-session is refused (plan labels split the session evenly)', () => {
    // 3-minute periods over 10 minutes used to give a short 4th period, while the plan built
    // from it labels 4 equal periods of 2.5 minutes: every label drifted from its book.
    const e = thrownPlannerError(() =>
      parseText(mbp10Csv([snap('2025-04-03T13:29:00Z', 10, 10.02)]), {
        ...sessionOf('09:30', '09:40'),
        periodMinutes: 3,
      }),
    );
    expect(e.message).toBe(
      'periodMinutes: 3 minutes does not divide the 10-minute session 09:30–09:40 into equal periods',
    );
  });

  it('refuses a session the data does not reach', () => {
    const e = thrownPlannerError(() =>
      parseText(mbp10Csv([snap('2025-04-03T20:30:00Z', 10, 10.02)]), {
        ...opts,
        date: '2025-04-03',
      }),
    );
    expect(e.message).toBe(
      'no usable book in any period of the session 2025-04-03 09:30–09:40 America/New_York: ' +
        "the file's usable rows run from 2025-04-03T20:30:00Z to 2025-04-03T20:30:00Z",
    );
  });
});

describe('stale-book-from-another-day', () => {
  // With --date one day after the data, every period used to take the previous day's last
  // book as "still in effect" and a full plan came out of a day without data.
  const rows = [snap('2025-04-03T13:30:00Z', 10, 10.02), snap('2025-04-03T19:59:00Z', 11, 11.02)];
  const opts = sessionOf('09:30', '09:40');

  it('a session date without any row of its own is refused, not filled from the day before', () => {
    const e = thrownPlannerError(() => parseText(mbp10Csv(rows), { ...opts, date: '2025-04-04' }));
    expect(e.message).toMatch(
      /^no usable book in any period of the session 2025-04-04 09:30–09:40/,
    );
  });

  it('a pre-market-only file is refused: its book does not persist into the session', () => {
    const early = [snap('2025-04-03T12:00:00Z', 10, 10.02)]; // 08:00 New York
    for (const sampling of ['start', 'average'] as const) {
      for (const date of [undefined, '2025-04-03']) {
        const e = thrownPlannerError(() =>
          parseText(mbp10Csv(early), { ...opts, sampling, ...(date ? { date } : {}) }),
        );
        expect(e.code).toBe('invalid_input');
        expect(e.message).toBe(
          'no usable book in any period of the session 2025-04-03 09:30–09:40 America/New_York: ' +
            "the file's usable rows run from 2025-04-03T12:00:00Z to 2025-04-03T12:00:00Z",
        );
      }
    }
  });

  it('without an opening print, the pre-market book in effect at the open is the book at the open', () => {
    const rows = [
      snap('2025-04-03T12:00:00Z', 9, 9.02), // 08:00
      snap('2025-04-03T13:29:30Z', 10, 10.02), // 09:29:30: in effect until 09:30:20
      ...every('2025-04-03T13:30:20Z', '2025-04-03T13:40:00Z', 20, 11, 11.02),
    ];
    const book = parseText(mbp10Csv(rows), { ...opts, sampling: 'start' });
    expect(book.series[0].mid).toBe(10.01);
    expect(book.series[1].mid).toBe(11.01);
    expect(book.emptyPeriods).toEqual([]);
    expect(book.stats.continuous).toEqual({ start: '09:30', rule: 'session start', spread: 0.02 });
    expect(book.stats.arrival).toEqual({ mid: 10.01, at: '09:30' });
  });
});

describe('session date and daylight saving', () => {
  // US clocks sprang forward on 2025-03-09: 09:30 New York is 14:30Z before, 13:30Z after.
  // The 10 book is refreshed every 30 s from 13:30Z to 14:29:30Z, the 20 book from 14:30Z
  // to 21:00Z (the later session end), so every period of either session has a book.
  const rows = (date: string) => [
    ...every(`${date}T13:30:00Z`, `${date}T14:29:30Z`, 30, 10, 10.02),
    ...every(`${date}T14:30:00Z`, `${date}T21:00:00Z`, 30, 20, 20.02),
  ];
  const opts = sessionOf('09:30', '16:00');
  it('uses EST (UTC−5) on a date before the switch', () => {
    const book = parseText(mbp10Csv(rows('2025-03-07')), opts);
    expect(book.date).toBe('2025-03-07');
    expect(book.series[0].mid).toBe(20.01); // 09:30 New York = 14:30Z
    expect(book.emptyPeriods).toEqual([]);
    expect(book.stats.partialPeriods).toBe(0);
  });
  it('uses EDT (UTC−4) on a date after the switch', () => {
    const book = parseText(mbp10Csv(rows('2025-03-10')), opts);
    expect(book.date).toBe('2025-03-10');
    expect(book.series[0].mid).toBe(10.01);
    expect(book.series[59].mid).toBe(10.01); // 10:29 New York = 14:29Z
    expect(book.series[60].mid).toBe(20.01); // 10:30 New York = 14:30Z
    expect(book.emptyPeriods).toEqual([]);
  });
  it('moves a file that starts the evening before to the next trading date', () => {
    const book = parseText(
      mbp10Csv([
        snap('2025-04-03T00:00:00Z', 9, 9.02), // 20:00 New York on 2025-04-02
        ...every('2025-04-03T13:30:00Z', '2025-04-03T13:34:30Z', 30, 10, 10.02),
        ...every('2025-04-03T13:35:00Z', '2025-04-03T13:40:00Z', 30, 11, 11.02),
      ]),
      opts,
    );
    expect(book.date).toBe('2025-04-03');
    expect(book.stats.dataStart).toBe('2025-04-03T00:00:00Z');
    expect(book.series[0].mid).toBe(10.01); // not the evening book
    expect(book.series[5].mid).toBe(11.01);
    // 09:40: the last row is exactly at its start, and the data ends there: no book.
    expect(book.series[9].mid).toBe(11.01);
    expect(book.series[10].mid).toBeNull();
  });

  it('takes the session date from the first row with a valid timestamp, even one-sided', () => {
    // A one-sided row at 10:00 New York on 2025-04-02 fixes the date; the usable rows of
    // 2025-04-03 are then outside that session.
    const rows = [
      { ...snap('2025-04-02T14:00:00Z', 9, 9.02), asks: [] },
      ...every('2025-04-03T13:30:00Z', '2025-04-03T13:40:00Z', 30, 10, 10.02),
    ];
    const e = thrownPlannerError(() => parseText(mbp10Csv(rows), opts));
    expect(e.message).toBe(
      'no usable book in any period of the session 2025-04-02 09:30–16:00 America/New_York: ' +
        "the file's usable rows run from 2025-04-03T13:30:00Z to 2025-04-03T13:40:00Z",
    );
    expect(parseText(mbp10Csv(rows), { ...opts, date: '2025-04-03' }).date).toBe('2025-04-03');
  });
  it('honours an explicit date and time zone', () => {
    const book = parseText(mbp10Csv(rows('2025-03-10')), {
      periodMinutes: 60,
      session: { start: '13:30', end: '15:30', timeZone: 'UTC' },
      date: '2025-03-10',
    });
    expect(book.series.map((p) => p.mid)).toEqual([10.01, 20.01]);
  });
});

describe('bad rows and bad files', () => {
  const opts = sessionOf('09:30', '09:40');
  // Rows at 09:30:00, 09:30:01, … (inside the session, so the file is accepted).
  const good = (i: number) => snap(`2025-04-03T13:30:${String(i).padStart(2, '0')}Z`, 10, 10.02);

  it('counts bad rows with their line numbers and skips them', () => {
    const lines = mbp10Csv(Array.from({ length: 10 }, (_, i) => good(i)))
      .trimEnd()
      .split('\n');
    lines[2] = lines[2].replace(/,[^,]*$/, ''); // line 3: a field short
    lines[4] = lines[4].replace(',10.02,', ',10.0x2,'); // line 5: bad price
    lines[6] = lines[6].replaceAll('2025-04-03 13:30:05', '2025-04-03 25:30:05'); // line 7: bad time
    lines[8] = lines[8].replace(/,(\d+),(\d+),(\d+),TEST$/, ',-$1,$2,$3,TEST'); // line 9: bad size
    const book = parseText([...lines, '', ''].join('\n'), opts);
    expect(book.rows).toBe(10);
    expect(book.badRows).toBe(4);
    expect(book.badRowLines).toEqual([3, 5, 7, 9]);
    expect(book.usableRows).toBe(6);
  });

  it('treats a decimal price in a fixed-point file as a bad row', () => {
    const f: Mbp10Format = { prices: 'fixed' };
    const text = [
      mbp10Header(f),
      mbp10Row(good(0), f),
      mbp10Row(good(1), {}),
      mbp10Row(good(2), f),
      '',
    ].join('\n');
    const book = parseText(text, opts);
    expect(book.priceFormat).toBe('fixed');
    expect(book.badRowLines).toEqual([3]);
  });

  it('skips an over-long line with bounded memory', () => {
    const text = [mbp10Header(), mbp10Row(good(0)), 'x'.repeat(1_200_000), mbp10Row(good(1)), ''];
    const book = parseText(text.join('\n'), opts, 65_536);
    expect(book.badRowLines).toEqual([3]);
    expect(book.usableRows).toBe(2);
  });

  it('keeps at most 20 bad line numbers but counts them all', () => {
    const text = [
      mbp10Header(),
      ...Array.from({ length: 30 }, () => '1,2,3'),
      mbp10Row(good(0)),
      mbp10Row(good(1)),
    ];
    const book = parseText(text.join('\n'), opts);
    expect(book.badRows).toBe(30);
    expect(book.badRowLines).toHaveLength(20);
    expect(book.badRowLines[0]).toBe(2);
  });

  it.each([
    [
      'a trades file',
      'ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags,ts_in_delta,sequence,symbol\n1,2\n',
      /not a Databento MBP-10 CSV file: the header has no bid_px_00\/ask_px_00/,
    ],
    [
      'an MBP-1 file',
      'ts_event,bid_px_00,ask_px_00,bid_sz_00,ask_sz_00,symbol\n',
      /has 1 price level\(s\) per side, MBP-10 needs 10/,
    ],
    ['a file without ts_event', mbp10Header().replace('ts_event', 'time') + '\n', /lacks ts_event/],
    ['a binary DBN file', 'DBN\u0001\u0000\u0000garbage\n', /binary DBN file/],
    ['binary data', 'abc\u0000def\nmore', /binary, not CSV text/],
    ['an empty file', '', /the file is empty/],
    ['a header without rows', mbp10Header() + '\n', /no data rows/],
    [
      'rows that are all bad',
      mbp10Header() + '\n1,2,3\n',
      /no usable book in the file: of 1 rows, 1 are malformed \(first at lines 2\)/,
    ],
  ])('refuses %s with a clear message', (_name, text, message) => {
    const e = thrownPlannerError(() => parseText(text, opts));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(message);
  });

  it.each([
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd, 1, 2, 10], /zstd-compressed/],
    ['gzip', [0x1f, 0x8b, 8, 0, 10], /gzip-compressed/],
  ])('refuses a %s-compressed file', (_name, bytes, message) => {
    const p = new Mbp10Parser(opts);
    expect(() => p.push(new Uint8Array(bytes))).toThrow(message);
  });

  it('refuses a period length that is not whole seconds', () => {
    expect(() => parseText('', { ...opts, periodMinutes: 0.001 })).toThrow(
      /whole number of seconds/,
    );
  });
});

describe('reading files', () => {
  const text = mbp10Csv([
    ...syntheticDay({
      fromMs: Date.parse('2025-04-03T13:29:00Z'),
      toMs: Date.parse('2025-04-03T13:41:00Z'),
      rows: 3000,
    }),
  ]);
  const path = join(dir, 'XYZ-mbp10.csv');
  writeFileSync(path, text);

  it('hashes the file, reports progress and names the symbol', async () => {
    const progress: number[] = [];
    const book = await importMbp10File(path, {
      ...sessionOf('09:30', '09:40'),
      onProgress: (p) => progress.push(p.bytes / p.totalBytes),
    });
    expect(book.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(book.bytes).toBe(Buffer.byteLength(text));
    expect(progress.at(-1)).toBe(1);
    expect(book.symbol).toBe('TEST');
    expect(book.usableRows).toBe(3000);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const run = importMbp10File(path, {
      ...sessionOf('09:30', '09:40'),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('names a missing file in words, without errno text', async () => {
    await expect(
      importMbp10File(join(dir, 'nope.csv'), sessionOf('09:30', '09:40')),
    ).rejects.toThrow(/nope\.csv: no such file$/);
  });

  it('says a directory is not an MBP-10 file', async () => {
    await expect(importMbp10File(dir, sessionOf('09:30', '09:40'))).rejects.toThrow(
      /: not a file$/,
    );
  });

  it('takes the symbol from the file name when there is no symbol column', async () => {
    const p2 = join(dir, 'MSFT.2025-04-03.csv');
    const lines = text.split('\n').map((l) => l.replace(/,[^,]*$/, ''));
    writeFileSync(p2, lines.join('\n'));
    const book = await importMbp10File(p2, sessionOf('09:30', '09:40'));
    expect(book.symbol).toBe('MSFT');
    expect(NY).toBe('America/New_York');
  });
});
