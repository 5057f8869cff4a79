import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeDbn, encodeMbp10Into, encodeMetadata } from '../../../test/fixtures/writeDbn';
import { DbnMbp10Decoder, decodeDbnFile, readDbnMbp10 } from './decoder';
import { DbnError } from './errors';
import { MBP10 } from './layout';
import { symbolsForInstrument, type DbnMetadata } from './metadata';
import { toMbp10Record, type Mbp10Record } from './mbp10Record';

const FIXTURES = resolve(import.meta.dirname, '../../../test/fixtures/dbn');
const fixture = (name: string) => join(FIXTURES, name);
const tmp = mkdtempSync(join(tmpdir(), 'dbn-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tmpFile(name: string, bytes: Buffer): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

/** Decodes an in-memory DBN stream, fed in chunks of `chunk` bytes. */
function decodeBuffer(bytes: Buffer, chunk = bytes.length || 1, file = 'x.dbn') {
  const records: Mbp10Record[] = [];
  const d = new DbnMbp10Decoder(file, (v) => records.push(toMbp10Record(v)));
  for (let p = 0; p < bytes.length; p += chunk) d.push(bytes.subarray(p, p + chunk));
  d.end();
  return { metadata: d.metadata!, records, counts: d.counts };
}

async function readFile(path: string) {
  let metadata: DbnMetadata | null = null;
  const records: Mbp10Record[] = [];
  for await (const item of readDbnMbp10(path)) {
    if ('metadata' in item) metadata = item.metadata;
    else records.push(item);
  }
  return { metadata: metadata!, records };
}

/** The error a promise or function fails with (the test fails if it does not). */
async function failure(run: () => unknown): Promise<DbnError> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(DbnError);
    return e as DbnError;
  }
  throw new Error('expected a DbnError');
}

// The decoded reference: integers of 16+ digits kept exact as bigint.
const decoded = JSON.parse(
  readFileSync(fixture('test_data.mbp-10.v3.decoded.json'), 'utf8').replace(
    /(?<=[:[,\s])(-?\d{16,})(?=[,\]\s}])/g,
    '"$1"',
  ),
) as {
  metadata: Record<string, unknown> & {
    mappings: [string, [number, number, string][]][];
  };
  records: (Record<string, string | number> & { levels: Record<string, string | number>[] })[];
};
const big = (v: string | number) => BigInt(v);
const px = (v: string | number) => (BigInt(v) === 0x7fff_ffff_ffff_ffffn ? null : BigInt(v));

function expectReferenceRecords(records: Mbp10Record[]) {
  expect(records).toHaveLength(decoded.records.length);
  records.forEach((r, i) => {
    const want = decoded.records[i]!;
    expect(r).toEqual({
      rtype: want.rtype,
      publisherId: want.publisher_id,
      instrumentId: want.instrument_id,
      tsEvent: big(want.ts_event!),
      price: px(want.price!),
      size: want.size,
      action: want.action,
      side: want.side,
      flags: want.flags,
      depth: want.depth,
      tsRecv: big(want.ts_recv!),
      tsInDelta: want.ts_in_delta,
      sequence: want.sequence,
      levels: want.levels.map((l) => ({
        bidPx: px(l.bid_px!),
        askPx: px(l.ask_px!),
        bidSz: l.bid_sz,
        askSz: l.ask_sz,
        bidCt: l.bid_ct,
        askCt: l.ask_ct,
      })),
    });
  });
}

function expectReferenceMetadata(m: DbnMetadata, version: number) {
  const want = decoded.metadata;
  expect(m.version).toBe(version);
  expect(m.dataset).toBe(want.dataset);
  expect(m.schema).toBe(want.schema);
  expect(m.schemaName).toBe('mbp-10');
  expect(m.start).toBe(big(want.start as string));
  expect(m.end).toBe(big(want.end as string));
  expect(m.limit).toBe(BigInt(want.limit as number));
  expect(m.stypeIn).toBe(want.stype_in);
  expect(m.stypeOut).toBe(want.stype_out);
  expect(m.tsOut).toBe(want.ts_out !== 0);
  expect(m.symbolCstrLen).toBe(version === 1 ? 22 : want.symbol_cstr_len);
  expect(m.symbols).toEqual(want.symbols);
  expect(m.partial).toEqual(want.partial);
  expect(m.notFound).toEqual(want.not_found);
  expect(m.mappings).toEqual(
    want.mappings.map(([rawSymbol, intervals]) => ({
      rawSymbol,
      intervals: intervals.map(([startDate, endDate, symbol]) => ({ startDate, endDate, symbol })),
    })),
  );
}

describe("Databento's official MBP-10 test files", () => {
  for (const [name, version] of [
    ['test_data.mbp-10.v1.dbn.zst', 1],
    ['test_data.mbp-10.v2.dbn.zst', 2],
    ['test_data.mbp-10.v3.dbn.zst', 3],
    ['test_data.mbp-10.dbn', 2],
  ] as const) {
    it(`decodes ${name} (DBN ${version}) to the reference fields`, async () => {
      const { metadata, records } = await readFile(fixture(name));
      expectReferenceMetadata(metadata, version);
      expectReferenceRecords(records);
    });

    it(`re-encodes ${name} to the same bytes`, async () => {
      const raw = readFileSync(fixture(name));
      const bytes = name.endsWith('.zst') ? zstdDecompressSync(raw) : raw;
      const { metadata, records } = await readFile(fixture(name));
      expect(encodeDbn(metadata, records).equals(bytes)).toBe(true);
    });
  }

  it('decodes the same records whatever the chunk boundaries (1 byte to 400)', () => {
    const bytes = readFileSync(fixture('test_data.mbp-10.dbn'));
    for (const chunk of [1, 3, 7, 8, 100, 367, 368, 369, 400]) {
      expectReferenceRecords(decodeBuffer(bytes, chunk).records);
    }
  });

  it('decodeDbnFile visits the records through the reused view, with counts', async () => {
    const seen: { ts: bigint; bid0: number; ask9: number; size0: number }[] = [];
    const { metadata, counts } = await decodeDbnFile(fixture('test_data.mbp-10.v3.dbn.zst'), (v) =>
      seen.push({ ts: v.tsEvent(), bid0: v.bidPxNano(0), ask9: v.askPxNano(9), size0: v.bidSz(0) }),
    );
    expect(metadata.version).toBe(3);
    expect(counts).toEqual({ mbp10Records: 2, skippedRecords: 0, bytes: 1096, recordBytes: 736 });
    expect(seen[0]).toEqual({
      ts: 1609160400000429831n,
      bid0: 3720250000000,
      ask9: 3722750000000,
      size0: 24,
    });
    expect(seen[1]!.ts).toBe(1609160400000435673n);
  });

  it('refuses the trades and MBO files, naming the schema found', async () => {
    const trades = await failure(() => readFile(fixture('test_data.trades.v3.dbn.zst')));
    expect(trades.problem).toBe('schema');
    expect(trades.message).toBe(
      'test_data.trades.v3.dbn.zst: a DBN file of schema trades; only mbp-10 (market by price, 10 levels) can be imported',
    );
    const mbo = await failure(() => decodeDbnFile(fixture('test_data.mbo.v3.dbn'), () => {}));
    expect(mbo.userMessage).toMatch(/^test_data\.mbo\.v3\.dbn: a DBN file of schema mbo;/);
  });
});

// ---- Hand-built streams: every byte written at its documented offset, not by the writer. ----

const SYMBOL_LEN = { 1: 22, 2: 71, 3: 71 } as const;

/** Metadata of `version` with several symbols and mappings, laid out by hand. */
function handMetadata(version: 1 | 2 | 3): Buffer {
  const s = SYMBOL_LEN[version];
  const symbols = ['AAPL', 'MSFT'];
  const partial = ['XYZ'];
  const notFound = ['NOPE'];
  const mappings: [string, [number, number, string][]][] = [
    [
      'AAPL',
      [
        [20250402, 20250403, '38'],
        [20250403, 20250404, '39'],
      ],
    ],
    ['MSFT', [[20250402, 20250404, '7152']]],
  ];
  const b = Buffer.alloc(2048);
  b.write('DBN', 0, 'latin1');
  b[3] = version;
  b.write('XNAS.ITCH', 8, 'latin1'); // dataset, 16 bytes
  b.writeUInt16LE(2, 24); // schema mbp-10
  b.writeBigUInt64LE(1743600600000000000n, 26); // start
  b.writeBigUInt64LE(1743624000000000000n, 34); // end
  b.writeBigUInt64LE(0n, 42); // no limit
  let p: number;
  if (version === 1) {
    b.writeBigUInt64LE(0xffff_ffff_ffff_ffffn, 50); // record_count
    b[58] = 1; // stype_in raw_symbol
    b[59] = 0; // stype_out instrument_id
    b[60] = 0; // ts_out
    p = 61 + 47; // reserved
  } else {
    b[50] = 1;
    b[51] = 0;
    b[52] = 0;
    b.writeUInt16LE(s, 53);
    p = 55 + 53;
  }
  expect(p).toBe(108);
  b.writeUInt32LE(0, p); // schema definition length
  p += 4;
  for (const list of [symbols, partial, notFound]) {
    b.writeUInt32LE(list.length, p);
    p += 4;
    for (const sym of list) {
      b.write(sym, p, 'latin1');
      p += s;
    }
  }
  b.writeUInt32LE(mappings.length, p);
  p += 4;
  for (const [raw, intervals] of mappings) {
    b.write(raw, p, 'latin1');
    p += s;
    b.writeUInt32LE(intervals.length, p);
    p += 4;
    for (const [start, end, sym] of intervals) {
      b.writeUInt32LE(start, p);
      b.writeUInt32LE(end, p + 4);
      b.write(sym, p + 8, 'latin1');
      p += 8 + s;
    }
  }
  if (version === 3) p = Math.ceil(p / 8) * 8;
  b.writeUInt32LE(p - 8, 4);
  return b.subarray(0, p);
}

const UNDEF = 0x7fff_ffff_ffff_ffffn;

/** One MBP-10 record laid out by hand: levels 0–1 filled, 2–9 empty. */
function handRecord(seq: number): Buffer {
  const r = Buffer.alloc(368);
  r[0] = 92; // length in 4-byte words
  r[1] = 0x0a; // rtype mbp-10
  r.writeUInt16LE(2, 2); // publisher_id
  r.writeUInt32LE(38, 4); // instrument_id
  r.writeBigUInt64LE(1743600600123456789n + BigInt(seq), 8); // ts_event
  r.writeBigInt64LE(UNDEF, 16); // price: none (a book update without a price)
  r.writeUInt32LE(0, 24); // size
  r.write('A', 28, 'latin1'); // action
  r.write('N', 29, 'latin1'); // side
  r[30] = 0x80; // flags: last
  r[31] = 0; // depth
  r.writeBigUInt64LE(1743600600123999999n + BigInt(seq), 32); // ts_recv
  r.writeInt32LE(-1500, 40); // ts_in_delta
  r.writeUInt32LE(1000 + seq, 44); // sequence
  for (let i = 0; i < 10; i++) {
    const o = 48 + i * 32;
    const filled = i < 2;
    r.writeBigInt64LE(filled ? 223_190_000_000n - BigInt(i) * 10_000_000n : UNDEF, o);
    r.writeBigInt64LE(filled ? 223_200_000_000n + BigInt(i) * 10_000_000n : UNDEF, o + 8);
    r.writeUInt32LE(filled ? 100 * (i + 1) : 0, o + 16);
    r.writeUInt32LE(filled ? 200 * (i + 1) : 0, o + 20);
    r.writeUInt32LE(filled ? i + 1 : 0, o + 24);
    r.writeUInt32LE(filled ? i + 2 : 0, o + 28);
  }
  return r;
}

function expectHandRecord(r: Mbp10Record, seq: number) {
  expect(r).toMatchObject({
    rtype: 10,
    publisherId: 2,
    instrumentId: 38,
    tsEvent: 1743600600123456789n + BigInt(seq),
    price: null,
    size: 0,
    action: 'A',
    side: 'N',
    flags: 128,
    depth: 0,
    tsRecv: 1743600600123999999n + BigInt(seq),
    tsInDelta: -1500,
    sequence: 1000 + seq,
  });
  expect(r.levels[0]).toEqual({
    bidPx: 223_190_000_000n,
    askPx: 223_200_000_000n,
    bidSz: 100,
    askSz: 200,
    bidCt: 1,
    askCt: 2,
  });
  expect(r.levels[1]).toEqual({
    bidPx: 223_180_000_000n,
    askPx: 223_210_000_000n,
    bidSz: 200,
    askSz: 400,
    bidCt: 2,
    askCt: 3,
  });
  for (const l of r.levels.slice(2)) {
    expect(l).toEqual({ bidPx: null, askPx: null, bidSz: 0, askSz: 0, bidCt: 0, askCt: 0 });
  }
}

describe('hand-built DBN streams', () => {
  for (const version of [1, 2, 3] as const) {
    it(`DBN ${version}: known bytes decode to known fields, several symbols and mappings`, () => {
      const bytes = Buffer.concat([handMetadata(version), handRecord(0), handRecord(1)]);
      const { metadata, records, counts } = decodeBuffer(bytes, 50);
      expect(metadata).toEqual({
        version,
        dataset: 'XNAS.ITCH',
        schema: 2,
        schemaName: 'mbp-10',
        start: 1743600600000000000n,
        end: 1743624000000000000n,
        limit: null,
        recordCount: version === 1 ? 0xffff_ffff_ffff_ffffn : null,
        stypeIn: 1,
        stypeOut: 0,
        tsOut: false,
        symbolCstrLen: SYMBOL_LEN[version],
        symbols: ['AAPL', 'MSFT'],
        partial: ['XYZ'],
        notFound: ['NOPE'],
        mappings: [
          {
            rawSymbol: 'AAPL',
            intervals: [
              { startDate: 20250402, endDate: 20250403, symbol: '38' },
              { startDate: 20250403, endDate: 20250404, symbol: '39' },
            ],
          },
          {
            rawSymbol: 'MSFT',
            intervals: [{ startDate: 20250402, endDate: 20250404, symbol: '7152' }],
          },
        ],
        length: handMetadata(version).length - 8,
      });
      expect(records).toHaveLength(2);
      expectHandRecord(records[0]!, 0);
      expectHandRecord(records[1]!, 1);
      expect(counts.recordBytes).toBe(736);
      // The test writer lays out the same bytes.
      expect(encodeDbn(metadata, records).equals(bytes)).toBe(true);
    });
  }

  it('maps instrument ids to raw symbols by date through the symbol mappings', () => {
    const { metadata } = decodeBuffer(handMetadata(2));
    expect(symbolsForInstrument(metadata, 38)).toEqual(['AAPL']);
    expect(symbolsForInstrument(metadata, 38, 20250402)).toEqual(['AAPL']);
    expect(symbolsForInstrument(metadata, 38, 20250403)).toEqual([]);
    expect(symbolsForInstrument(metadata, 39, 20250403)).toEqual(['AAPL']);
    expect(symbolsForInstrument(metadata, 7152, 20250403)).toEqual(['MSFT']);
    expect(symbolsForInstrument(metadata, 1)).toEqual([]);
  });

  it('UNDEF_PRICE marks an empty level: null in the record, NaN from the view', () => {
    const bytes = Buffer.concat([handMetadata(3), handRecord(0)]);
    const seen: number[] = [];
    const d = new DbnMbp10Decoder('x.dbn', (v) =>
      seen.push(v.priceNano(), v.bidPxNano(1), v.bidPxNano(2), v.askPxNano(9)),
    );
    d.push(bytes);
    d.end();
    expect(seen).toEqual([NaN, 223_180_000_000, NaN, NaN]);
    expect(decodeBuffer(bytes).records[0]!.levels[2]!.bidPx).toBeNull();
  });

  it('a negative price (a spread instrument) decodes exactly', () => {
    const rec = handRecord(0);
    rec.writeBigInt64LE(-2_500_000_000n, 16);
    const bytes = Buffer.concat([handMetadata(2), rec]);
    expect(decodeBuffer(bytes).records[0]!.price).toBe(-2_500_000_000n);
    const seen: number[] = [];
    const d = new DbnMbp10Decoder('x.dbn', (v) => seen.push(v.priceNano()));
    d.push(bytes);
    d.end();
    expect(seen).toEqual([-2_500_000_000]);
  });

  it('tsEventSince gives exact ns offsets from a base without bigints', () => {
    const bytes = Buffer.concat([handMetadata(2), handRecord(0)]);
    const base = 1743600600000000000n;
    const hi = Number(base >> 32n);
    const lo = Number(base & 0xffff_ffffn);
    const seen: number[] = [];
    const d = new DbnMbp10Decoder('x.dbn', (v) =>
      seen.push(v.tsEventSince(hi, lo), v.tsRecvSince(hi, lo)),
    );
    d.push(bytes);
    d.end();
    expect(seen).toEqual([123456789, 123999999]);
  });

  it('steps over records of other types by their length and counts them', () => {
    const other = Buffer.alloc(40);
    other[0] = 10; // 40 bytes
    other[1] = 0x17; // a system message
    const withTsOut = Buffer.concat([handRecord(1), Buffer.alloc(8)]);
    withTsOut[0] = 94; // 376 bytes: the record plus ts_out
    const bytes = Buffer.concat([handMetadata(3), handRecord(0), other, withTsOut]);
    for (const chunk of [1, 41, bytes.length]) {
      const { records, counts } = decodeBuffer(bytes, chunk);
      expect(records).toHaveLength(2);
      expectHandRecord(records[1]!, 1);
      expect(counts.skippedRecords).toBe(1);
    }
  });

  it('refuses a record whose length is shorter than a header or than an MBP-10 record', async () => {
    const zero = Buffer.concat([handMetadata(2), Buffer.alloc(16)]);
    const e1 = await failure(() => decodeBuffer(zero, zero.length, 'z.dbn'));
    expect(e1.problem).toBe('record');
    expect(e1.message).toMatch(/^z\.dbn: the record at byte 799 .* has length 0/);
    const short = handRecord(0).subarray(0, 64);
    short[0] = 16;
    const e2 = await failure(() => decodeBuffer(Buffer.concat([handMetadata(2), short])));
    expect(e2.message).toMatch(/64 bytes long, shorter than an MBP-10 record \(368\)/);
  });
});

describe('bad files', () => {
  const good = readFileSync(fixture('test_data.mbp-10.dbn'));

  it('a stream cut inside the metadata or inside a record is refused as cut off', async () => {
    for (const [cut, what] of [
      [5, /ends inside the DBN header \(5 bytes\)/],
      [200, /ends inside the DBN metadata \(192 of 345 bytes\)/],
      [good.length - 10, /ends inside a record \(358 of its 368 bytes/],
    ] as const) {
      const path = tmpFile('cut.dbn', good.subarray(0, cut));
      const e = await failure(() => readFile(path));
      expect(e.problem).toBe('truncated');
      expect(e.message).toMatch(/^cut\.dbn: /);
      expect(e.message).toMatch(what);
      expect(e.message).toMatch(/cut off/);
    }
  });

  it('a truncated .dbn.zst is refused as cut off (zlib error wrapped)', async () => {
    const zst = readFileSync(fixture('test_data.mbp-10.v3.dbn.zst'));
    const path = tmpFile('cut.dbn.zst', zst.subarray(0, 200));
    const e = await failure(() => decodeDbnFile(path, () => {}));
    expect(e.problem).toBe('zstd');
    expect(e.message).toBe('cut.dbn.zst: the zstd-compressed data ends early: the file is cut off');
  });

  it('damaged zstd data is refused as damaged', async () => {
    const zst = Buffer.from(readFileSync(fixture('test_data.mbp-10.v3.dbn.zst')));
    for (let i = 12; i < zst.length; i += 3) zst[i] = (zst[i]! * 31 + 7) & 0xff;
    const e = await failure(() => readFile(tmpFile('damaged.dbn.zst', zst)));
    expect(e.problem).toBe('zstd');
    expect(e.message).toMatch(/^damaged\.dbn\.zst: the zstd-compressed data is damaged \(/);
  });

  it('a whole zstd stream of a cut DBN is refused by the decoder', async () => {
    const path = tmpFile('cut2.dbn.zst', zstdCompressSync(good.subarray(0, good.length - 1)));
    const e = await failure(() => decodeDbnFile(path, () => {}));
    expect(e.problem).toBe('truncated');
  });

  it('random bytes named .dbn, and an empty file, are refused', async () => {
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251));
    const e = await failure(() => readFile(tmpFile('random.dbn', random)));
    expect(e.problem).toBe('not_dbn');
    expect(e.message).toBe('random.dbn: not a DBN file (it does not start with "DBN")');
    const csv = await failure(() =>
      readFile(tmpFile('book.dbn', Buffer.from('ts_recv,ts_event\n'))),
    );
    expect(csv.problem).toBe('not_dbn');
    const empty = await failure(() => readFile(tmpFile('empty.dbn', Buffer.alloc(0))));
    expect(empty.message).toBe('empty.dbn: the file is empty');
    const missing = await failure(() => readFile(join(tmp, 'missing.dbn')));
    expect(missing.message).toBe('missing.dbn: no such file');
  });

  it('a future DBN version is refused, naming the version', async () => {
    const v4 = Buffer.from(good);
    v4[3] = 4;
    const e = await failure(() => readFile(tmpFile('future.dbn', v4)));
    expect(e.problem).toBe('version');
    expect(e.message).toMatch(
      /^future\.dbn: DBN version 4 is newer than this app reads \(versions 1 to 3\)/,
    );
  });

  it('a metadata length that cannot be right is refused', async () => {
    const bad = Buffer.from(good);
    bad.writeUInt32LE(12, 4);
    const e = await failure(() => decodeBuffer(bad, bad.length, 'bad.dbn'));
    expect(e.problem).toBe('metadata');
    expect(e.message).toMatch(/metadata length 12 is not plausible/);
    // Counts that run past the stated length.
    const over = Buffer.from(good);
    over.writeUInt32LE(1000, 8 + 104); // symbols count
    const e2 = await failure(() => decodeBuffer(over));
    expect(e2.message).toMatch(/the DBN metadata ends inside the symbols list \(1000 symbols\)/);
  });

  it('the writer and the view agree on the record layout', () => {
    const rec = decodeBuffer(good).records[0]!;
    const b = Buffer.alloc(MBP10.recordLen);
    encodeMbp10Into(b, 0, rec);
    expect(b.equals(good.subarray(good.length - 2 * 368, good.length - 368))).toBe(true);
    expect(encodeMetadata(decodeBuffer(good).metadata).length).toBe(good.length - 736);
  });
});
