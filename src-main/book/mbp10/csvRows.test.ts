/**
 * The CSV tokeniser's fast path (lineKernel.ts) against its reference path: the same bytes
 * give the same import result, to the last bit, in every header and number variant, on lines
 * the fast path gives up on (mutated at random), whatever the chunking.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mbp10Csv,
  mbp10Header,
  syntheticDay,
  type Mbp10Format,
} from '../../../test/fixtures/mbp10';
import { Mbp10Parser } from './parser';
import { csvLayout } from './layout';
import { EMPTY_MARK } from './record';
import {
  DEFER,
  LINE_INTS,
  NUMS,
  ROW,
  kernelScratch,
  kernelSource,
  lineProgram,
  tokenizeLines,
} from './lineKernel';
import type { ParsedBook, SampleOptions } from './types';

const OPTS: SampleOptions = {
  periodMinutes: 1,
  session: { start: '09:30', end: '09:40', timeZone: 'America/New_York' },
};

/** 13:25–13:45 UTC (09:25–09:45 New York), a book every 3 s, one update in five a trade. */
function day(rows = 400, seed = 7) {
  return [
    ...syntheticDay({
      fromMs: Date.parse('2025-04-03T13:25:00Z'),
      toMs: Date.parse('2025-04-03T13:45:00Z'),
      rows,
      seed,
      tradeProbability: 0.2,
    }),
  ].map((s, i) => (i % 7 === 0 ? { ...s, bids: s.bids.slice(0, 4), asks: s.asks.slice(0, 9) } : s));
}

/** The parse of `bytes` fed in `chunks` (start offsets), or the error it throws. */
function parse(
  bytes: Uint8Array,
  path: 'fast' | 'reference',
  cuts: number[] = [],
  opts: SampleOptions = OPTS,
): ParsedBook | string {
  const p = new Mbp10Parser(opts, path);
  try {
    const edges = [0, ...cuts, bytes.length];
    for (let k = 0; k + 1 < edges.length; k++) p.push(bytes.subarray(edges[k], edges[k + 1]));
    return p.finish();
  } catch (e) {
    return (e as Error).message;
  }
}

const encode = (text: string) => new TextEncoder().encode(text);

function expectSame(text: string, cuts: number[] = [], opts: SampleOptions = OPTS): void {
  const bytes = encode(text);
  const reference = parse(bytes, 'reference', [], opts);
  expect(parse(bytes, 'fast', cuts, opts)).toStrictEqual(reference);
}

describe('the fast path gives the reference result', () => {
  const snaps = day();
  const variants: [string, Mbp10Format][] = [
    ['Databento default', {}],
    ['CRLF', { crlf: true }],
    ['fixed-point prices, sentinel empty levels', { prices: 'fixed', emptyLevel: 'sentinel' }],
    ['fixed-point prices, blank empty levels, CRLF', { prices: 'fixed', crlf: true }],
    ['decimal prices, sentinel empty levels', { emptyLevel: 'sentinel' }],
    [
      'ns timestamps, index column, per-side order',
      { timestamps: 'ns', indexColumn: true, levelOrder: 'per-side' },
    ],
    [
      'no ts_recv, ts_event twice, an offset',
      { tsRecv: false, duplicateTsEvent: true, isoOffsetMinutes: -240 },
    ],
    ['no action column', { actionColumn: false }],
  ];
  it.each(variants)('%s', (_name, format) => {
    const text = mbp10Csv(snaps, format);
    const book = parse(encode(text), 'fast');
    expect(typeof book).toBe('object');
    expect((book as ParsedBook).badRows).toBe(0);
    expectSame(text);
    expectSame(text, [], { ...OPTS, sampling: 'start' });
  });

  it('whatever line is cut at whatever byte by the chunk boundary', () => {
    // Three updates and a trade inside one 10-minute period: a cut at every byte of every line.
    const few = [
      ...syntheticDay({
        fromMs: Date.parse('2025-04-03T13:30:00Z'),
        toMs: Date.parse('2025-04-03T13:31:00Z'),
        rows: 3,
        seed: 3,
        tradeProbability: 0.5,
      }),
    ];
    const one: SampleOptions = { ...OPTS, periodMinutes: 10 };
    for (const format of [
      { crlf: true },
      { prices: 'fixed', emptyLevel: 'sentinel' },
    ] as Mbp10Format[]) {
      const bytes = encode(mbp10Csv(few, format));
      const reference = parse(bytes, 'reference', [], one);
      expect((reference as ParsedBook).usableRows).toBeGreaterThan(0);
      for (let cut = 1; cut < bytes.length; cut++) {
        expect(parse(bytes, 'fast', [cut], one)).toStrictEqual(reference);
      }
      for (let cut = 1; cut + 7 < bytes.length; cut += 5) {
        expect(parse(bytes, 'fast', [cut, cut + 1, cut + 7], one)).toStrictEqual(reference);
      }
    }
  });

  it('when the reader reuses the chunk memory (a carried line is copied, not viewed)', () => {
    const bytes = encode(mbp10Csv(day(60)));
    const reference = parse(bytes, 'reference');
    const p = new Mbp10Parser(OPTS, 'fast');
    const reused = Buffer.alloc(1000);
    for (let i = 0; i < bytes.length; i += reused.length) {
      const n = Math.min(reused.length, bytes.length - i);
      reused.set(bytes.subarray(i, i + n));
      p.push(reused.subarray(0, n));
      reused.fill(0x39);
    }
    expect(p.finish()).toStrictEqual(reference);
  });

  it('whatever kind of byte array the chunks come in', () => {
    // Buffers (views into a larger pool, at an offset), plain Uint8Arrays and views of a
    // SharedArrayBuffer (the reader thread's slots), mixed: the kernel is handed each as a
    // plain Uint8Array of exactly the chunk's bytes.
    const bytes = encode(mbp10Csv(day(80)));
    const reference = parse(bytes, 'reference');
    const p = new Mbp10Parser(OPTS, 'fast');
    const size = 700;
    for (let i = 0, k = 0; i < bytes.length; i += size, k++) {
      const piece = bytes.subarray(i, Math.min(bytes.length, i + size));
      let chunk: Uint8Array;
      if (k % 3 === 0) {
        const pool = Buffer.alloc(piece.length + 64, 0x2c);
        pool.set(piece, 37);
        chunk = pool.subarray(37, 37 + piece.length);
      } else if (k % 3 === 1) {
        chunk = new Uint8Array(new SharedArrayBuffer(piece.length + 8), 8);
        chunk.set(piece);
      } else chunk = piece.slice();
      p.push(chunk);
    }
    expect(p.finish()).toStrictEqual(reference);
  });

  /** Changes to a line that the fast path must either read as the reference does or leave
   *  to it: signs, quotes, exponents, junk, long and sentinel numbers, missing and extra
   *  fields, stray CRs, blank lines. */
  const edits: ((line: string, field: number, r: number) => string)[] = [
    (l, f) => mapField(l, f, (v) => `-${v}`),
    (l, f) => mapField(l, f, (v) => `"${v}"`),
    (l, f) => mapField(l, f, (v) => `${v}e2`),
    (l, f) => mapField(l, f, (v) => `${v}x`),
    (l, f) => mapField(l, f, () => ''),
    (l, f) => mapField(l, f, (v) => `${v}.`),
    (l, f) => mapField(l, f, (v) => `.${v.replace('.', '')}`),
    (l, f) => mapField(l, f, (v) => `${v}.5.5`),
    (l, f, r) => mapField(l, f, () => '1234567890123456789'.slice(0, 14 + (r % 6))),
    (l, f, r) =>
      mapField(
        l,
        f,
        () => `${'9876543210'.slice(0, 1 + (r % 9))}.${'123456789'.slice(0, 1 + (r % 8))}`,
      ),
    (l, f) => mapField(l, f, () => '9223372036854775807'),
    (l, f) => mapField(l, f, () => '9223372036854775806'),
    (l, f) => mapField(l, f, (v) => `${v}\r`),
    (l, f) => mapField(l, f, (v) => ` ${v}`),
    (l, f) => mapField(l, f, (v) => `${v},${v}`),
    (l, f) =>
      l
        .split(',')
        .filter((_, k) => k !== f)
        .join(','),
    (l) => `${l},`,
    (l) => `${l}\r`,
    (l) => `\n${l}`,
    (l) => `\r\n${l}`,
    (l) => l.slice(0, Math.floor(l.length / 2)),
  ];

  it('on lines it leaves to the reference path (random edits, random chunking)', () => {
    const formats: [Mbp10Format, boolean][] = [
      [{}, false],
      [{ prices: 'fixed', crlf: true }, false],
      [{ emptyLevel: 'sentinel' }, false],
      // No symbol column: the line ends in a run of fields the walker passes over.
      [{ crlf: true }, true],
    ];
    for (const [format, noSymbol] of formats) {
      const eol = format.crlf ? '\r\n' : '\n';
      const lines = mbp10Csv(day(80, 11), format)
        .split(eol)
        .map((l) => (noSymbol ? l.replace(/,[^,]*$/, '') : l));
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              line: fc.integer({ min: 1, max: lines.length - 2 }),
              field: fc.integer({ min: 0, max: 82 }),
              edit: fc.integer({ min: 0, max: edits.length - 1 }),
              r: fc.nat(),
            }),
            { minLength: 1, maxLength: 6 },
          ),
          fc.array(fc.integer({ min: 1, max: 30000 }), { maxLength: 4 }),
          (changes, cutsAt) => {
            const edited = [...lines];
            for (const c of changes) edited[c.line] = edits[c.edit](edited[c.line], c.field, c.r);
            const text = edited.join(eol);
            const length = encode(text).length;
            const cuts = [...new Set(cutsAt.map((c) => c % length).filter((c) => c > 0))];
            expectSame(
              text,
              cuts.sort((a, b) => a - b),
            );
          },
        ),
        { numRuns: 60, seed: 22 },
      );
    }
  });
});

function mapField(line: string, field: number, f: (v: string) => string): string {
  const parts = line.split(',');
  const k = field % parts.length;
  parts[k] = f(parts[k]);
  return parts.join(',');
}

describe('the line kernel', () => {
  const header = mbp10Header({});
  const layout = csvLayout(encode(header), 0, header.length);
  const levelCol = (j: number) => layout.levelCols[j];
  /** A line of the header's width with the given fields set (ts_event in ns, others '1'). */
  function line(fields: Record<number, string>, eol = '\n'): Uint8Array {
    const parts = Array.from({ length: layout.columns }, (_, c) => fields[c] ?? '1');
    if (fields[layout.tsCol] === undefined) parts[layout.tsCol] = '1743687382796352132';
    return encode(parts.join(',') + eol);
  }
  /** The kernel over one line: its kind, its numbers and its symbol field's bounds. */
  function walk(bytes: Uint8Array, fixed: boolean) {
    const sc = kernelScratch(layout.columns);
    const lines = new Int32Array(LINE_INTS);
    const nums = new Float64Array(NUMS);
    const prog = lineProgram(layout, fixed);
    tokenizeLines(bytes, 0, bytes.length, prog, sc.starts, sc.minute, sc.meta, lines, nums, 1);
    expect(sc.meta[0]).toBe(1);
    expect(sc.meta[1]).toBe(bytes.length);
    return { kind: lines[0], row: nums, from: lines[2], to: lines[3] };
  }

  it('parses prices of up to 15 digits as the nearest double, as Number does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 0, max: 14 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 15, maxLength: 15 }),
        (nd, scaleWish, digits) => {
          const scale = Math.min(scaleWish, nd);
          const all = digits.slice(0, nd).join('');
          const text = scale ? `${all.slice(0, nd - scale)}.${all.slice(nd - scale)}` : all;
          const { kind, row } = walk(line({ [levelCol(0)]: text, [levelCol(10)]: all }), false);
          expect(kind).toBe(ROW);
          const expected = Number(text);
          expect(row[0]).toBe(expected >= 9.2e9 ? EMPTY_MARK : expected);
          expect(row[10]).toBe(Number(all));
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it('reads fixed-point prices in 1e-9 units and the int64-max sentinel as an empty level', () => {
    const { kind, row } = walk(
      line({
        [levelCol(0)]: '100050000000',
        [levelCol(1)]: '9223372036854775807',
        [levelCol(2)]: '',
        [levelCol(10)]: '',
      }),
      true,
    );
    expect(kind).toBe(ROW);
    expect(row[0]).toBe(100.05);
    expect(row[1]).toBe(EMPTY_MARK);
    expect(row[2]).toBe(EMPTY_MARK);
    expect(row[10]).toBe(0);
  });

  it('leaves to the reference path what it does not read exactly', () => {
    const refused: Record<number, string>[] = [
      { [levelCol(0)]: '-100.5' },
      { [levelCol(0)]: '"100.5"' },
      { [levelCol(0)]: '1.5e2' },
      { [levelCol(0)]: '1234567890.1234567' },
      { [levelCol(0)]: '.' },
      { [levelCol(10)]: '12.5' },
      { [levelCol(10)]: '-3' },
      { [layout.tsCol]: '"1743687382796352132"' },
      { [layout.tsCol]: '2025-04-03 13:30:00.5+0' },
      { [layout.publisherCol]: '2.0' },
      { [layout.actionCol]: 'T', [layout.sizeCol]: '1e2' },
      { [layout.actionCol]: 'T', [layout.priceCol]: '-5' },
    ];
    for (const fields of refused) expect(walk(line(fields), false).kind).toBe(DEFER);
    // A decimal price in a fixed-point file.
    expect(walk(line({ [levelCol(0)]: '100.5' }), true).kind).toBe(DEFER);
    // One field short, one too many.
    const row = (n: number) => {
      const parts = Array<string>(n).fill('1');
      parts[layout.tsCol] = '1743687382796352132';
      return encode(parts.join(',') + '\n');
    };
    expect(walk(row(layout.columns - 1), false).kind).toBe(DEFER);
    expect(walk(row(layout.columns + 1), false).kind).toBe(DEFER);
  });

  it('ends a line at LF or CR LF, keeping the CR out of the last field', () => {
    const crlf = line({ [layout.symbolCol]: 'FROG' }, '\r\n');
    expect(walk(crlf, false)).toMatchObject({ kind: ROW, from: crlf.length - 6 });
    expect(walk(crlf, false).to).toBe(crlf.length - 2);
    const lf = line({ [layout.symbolCol]: 'FROG' });
    expect(walk(lf, false).to).toBe(lf.length - 1);
  });

  it('its text runs on its own (the reader thread evaluates it)', () => {
    const run = new Function(`${kernelSource()}; return tokenizeLines;`)() as typeof tokenizeLines;
    const bytes = line({ [levelCol(0)]: '100.25', [layout.symbolCol]: 'FROG' });
    const sc = kernelScratch(layout.columns);
    const lines = new Int32Array(LINE_INTS);
    const nums = new Float64Array(NUMS);
    const prog = lineProgram(layout, false);
    run(bytes, 0, bytes.length, prog, sc.starts, sc.minute, sc.meta, lines, nums, 1);
    expect(lines[0]).toBe(ROW);
    expect(nums[0]).toBe(100.25);
  });
});
