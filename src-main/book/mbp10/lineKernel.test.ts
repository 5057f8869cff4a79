/**
 * The line kernel's own number and timestamp parsing against the reference parsers
 * (`numbers.ts`, `timestamps.ts`) over valid and invalid fields: a field the kernel takes
 * means exactly what the reference reads, and a field the reference refuses (a bad row, whose
 * line number the import reports) is never taken by the kernel: it leaves the line to the
 * reference path, which counts it as today.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mbp10Header } from '../../../test/fixtures/mbp10';
import { csvLayout } from './layout';
import {
  DEFER,
  LINE_INTS,
  NS,
  NUMS,
  ROW,
  SEC,
  TRADE_PX,
  kernelScratch,
  lineProgram,
  tokenizeLines,
} from './lineKernel';
import { PriceParser, parseSize } from './numbers';
import { TimestampParser } from './timestamps';

const encode = (text: string) => new TextEncoder().encode(text);
const header = mbp10Header({});
const layout = csvLayout(encode(header), 0, header.length);
const NS_TS = '1743687382796352132';

/** Lines with `fields` set (others '1', ts_event in ns) through one run of the kernel. */
function kernelLines(rows: Record<number, string>[], fixed: boolean) {
  const text = rows.map((fields) => {
    const parts = Array.from({ length: layout.columns }, (_, c) => fields[c] ?? '1');
    if (fields[layout.tsCol] === undefined) parts[layout.tsCol] = NS_TS;
    return parts.join(',') + '\n';
  });
  const bytes = encode(text.join(''));
  // The minute cache used from the second row on (the kernel reads the first rows' minutes in
  // full otherwise): the tests below check its hits too.
  const sc = kernelScratch(layout.columns, 1);
  const lines = new Int32Array(rows.length * LINE_INTS);
  const nums = new Float64Array(rows.length * NUMS);
  const prog = lineProgram(layout, fixed);
  tokenizeLines(
    bytes,
    0,
    bytes.length,
    prog,
    sc.starts,
    sc.minute,
    sc.meta,
    lines,
    nums,
    rows.length,
  );
  expect(sc.meta[0]).toBe(rows.length);
  return rows.map((_, k) => ({
    kind: lines[k * LINE_INTS],
    nums: nums.subarray(k * NUMS, (k + 1) * NUMS),
  }));
}

const kernel = (fields: Record<number, string>, fixed: boolean) => kernelLines([fields], fixed)[0];

/** A field's bytes through a reference parser. */
const field = (text: string) => encode(text);

/** Text of digits, dots, signs, exponents, quotes, spaces and letters (never a comma or LF). */
const junk = (chars: string, max: number) =>
  fc.array(fc.constantFrom(...chars.split('')), { maxLength: max }).map((a) => a.join(''));

const priceText = fc.oneof(
  junk('0123456789', 17),
  junk('0123456789.', 18),
  junk('0123456789.-e+" x', 12),
  fc.constantFrom('9223372036854775807', '9223372036854775806', '', '.', '"1.5"'),
  fc
    .tuple(fc.integer({ min: 0, max: 99999999 }), fc.integer({ min: 0, max: 9999999 }))
    .map(([a, b]) => `${a}.${b}`),
);

describe('the kernel reads numbers as the reference does', () => {
  for (const fixed of [false, true]) {
    it(`level prices and trade prices (${fixed ? 'fixed-point' : 'decimal'} file)`, () => {
      const reference = new PriceParser();
      reference.mode = fixed ? 2 : 1;
      fc.assert(
        fc.property(priceText, (text) => {
          const bytes = field(text);
          const want = reference.parse(bytes, 0, bytes.length);
          const level = kernel({ [layout.levelCols[0]]: text }, fixed);
          if (want !== want) expect(level.kind).toBe(DEFER);
          else if (level.kind === ROW) expect(level.nums[0]).toBe(want);
          const trade = kernel({ [layout.actionCol]: 'T', [layout.priceCol]: text }, fixed);
          if (trade.kind === ROW) expect(trade.nums[TRADE_PX]).toBe(want);
          // Plain digits (at most 15, with or without a point) are never left to the reference.
          if (
            /^\d{1,15}$/.test(text) ||
            (!fixed && /^(?=.{1,16}$)\d*\.\d*$/.test(text) && /\d/.test(text))
          )
            expect(level.kind).toBe(ROW);
        }),
        { numRuns: 2000, seed: 31 },
      );
    });
  }

  it('level sizes', () => {
    fc.assert(
      fc.property(fc.oneof(junk('0123456789', 12), junk('0123456789.-e" ', 6)), (text) => {
        const bytes = field(text);
        const want = parseSize(bytes, 0, bytes.length);
        const got = kernel({ [layout.levelCols[10]]: text }, false);
        if (want !== want) expect(got.kind).toBe(DEFER);
        else if (got.kind === ROW) expect(got.nums[10]).toBe(want);
        if (/^\d{0,12}$/.test(text)) expect(got.kind).toBe(ROW);
      }),
      { numRuns: 1000, seed: 32 },
    );
  });
});

describe('the kernel reads ts_event as the reference does', () => {
  const two = (lo: number, hi: number) =>
    fc.integer({ min: lo, max: hi }).map((v) => String(v).padStart(2, '0'));
  const iso = fc
    .record({
      y: fc.integer({ min: 1970, max: 2100 }).map(String),
      mo: two(0, 13),
      d: two(0, 32),
      sep: fc.constantFrom('T', ' ', 'x'),
      h: two(0, 24),
      mi: two(0, 60),
      s: two(0, 61),
      frac: fc.oneof(
        fc.constant(''),
        junk('0123456789', 12).map((f) => `.${f}`),
      ),
      zone: fc.constantFrom(
        '',
        'Z',
        '+00:00',
        '-04:00',
        '+0530',
        '-05',
        '+24:00',
        '+01:60',
        'Zx',
        '+1',
      ),
    })
    .map((p) => `${p.y}-${p.mo}-${p.d}${p.sep}${p.h}:${p.mi}:${p.s}${p.frac}${p.zone}`);
  const text = fc.oneof(
    iso,
    iso.map((t) => `"${t}"`),
    iso.chain((t) => fc.nat(t.length).map((k) => t.slice(0, k))),
    junk('0123456789', 22),
    junk('0123456789-:. TZ+', 30),
  );

  it('ISO-8601 and integer nanoseconds, valid and invalid', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (drawn) => {
        // Each followed by the same minute at another second (the cache's hit), and by it
        // with its seconds broken.
        const texts = drawn.flatMap((t) => [
          t,
          `${t.slice(0, 17)}07${t.slice(19)}`,
          `${t.slice(0, 17)}6x${t.slice(19)}`,
        ]);
        // Several rows in one run: the minute cache of one row must not leak into the next.
        const reference = new TimestampParser();
        const got = kernelLines(
          texts.map((t) => ({ [layout.tsCol]: t })),
          false,
        );
        texts.forEach((t, k) => {
          const bytes = field(t);
          const ok = reference.parse(bytes, 0, bytes.length);
          if (!ok) expect(got[k].kind).toBe(DEFER);
          else if (got[k].kind === ROW) {
            expect(got[k].nums[SEC]).toBe(reference.sec);
            expect(got[k].nums[NS]).toBe(reference.ns);
          }
        });
      }),
      { numRuns: 2000, seed: 33 },
    );
  });

  it('at the epoch and before it, and across minutes with a bad one between', () => {
    // The minute's seconds are read apart from the row's (isoMinute): a minute before 1970 is
    // negative, a bad one is not cached, and the next row of the last good minute still
    // reads right.
    const texts = [
      '1969-12-31T23:59:60Z',
      '1969-12-31T23:59:59.5Z',
      '1969-12-31 23:58:07',
      '1970-01-01T00:00:00Z',
      '1970-01-01T00:00:60+00:01',
      '2025-04-03 13:00:59.000000001+00:00',
      '2025-04-03 13:01:00.5+00:00',
      '2025-13-03 13:01:00+00:00',
      '2025-04-03 13:01:07+00:00',
      '2025-04-03T13:0x:07Z',
      '2025-04-03 13:01:08+00:00',
    ];
    const reference = new TimestampParser();
    const got = kernelLines(
      texts.map((t) => ({ [layout.tsCol]: t })),
      false,
    );
    const taken = texts.map((t, k) => {
      const bytes = field(t);
      const ok = reference.parse(bytes, 0, bytes.length);
      if (!ok) expect(got[k].kind, t).toBe(DEFER);
      else if (got[k].kind === ROW) {
        expect(got[k].nums[SEC], t).toBe(reference.sec);
        expect(got[k].nums[NS], t).toBe(reference.ns);
      }
      return got[k].kind === ROW;
    });
    // From 1970 on, the kernel reads the valid ones itself.
    expect(taken.slice(3)).toEqual([true, true, true, true, false, true, false, true]);
  });

  it('takes every valid unquoted timestamp itself (no needless fallback)', () => {
    fc.assert(
      fc.property(iso, (t) => {
        const bytes = field(t);
        const ok = new TimestampParser().parse(bytes, 0, bytes.length);
        // Before 1970 the kernel leaves the row to the reference; these are all after.
        if (ok) expect(kernel({ [layout.tsCol]: t }, false).kind).toBe(ROW);
      }),
      { numRuns: 1000, seed: 34 },
    );
  });
});
