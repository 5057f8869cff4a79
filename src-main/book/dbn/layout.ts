/**
 * The byte layout of Databento Binary Encoding (DBN) as this decoder reads it: the metadata
 * header of versions 1, 2 and 3 and the MBP-10 record (docs/orderbook.md "DBN input
 * (decoder)"). Everything is little-endian; records are fixed-size C structs without padding.
 */

/** The newest DBN version this decoder reads. */
export const DBN_MAX_VERSION = 3;
/** "DBN" followed by the version byte, then the metadata length (u32) after these 4 bytes. */
export const DBN_MAGIC = [0x44, 0x42, 0x4e] as const;
export const PRELUDE_LEN = 8;
/** Fixed part of the metadata (after the 8-byte prelude), the same length in every version. */
export const METADATA_FIXED_LEN = 100;
export const DATASET_CSTR_LEN = 16;
/** Symbol strings: 22 bytes in version 1; versions 2+ store the length in the metadata (71). */
export const SYMBOL_CSTR_LEN_V1 = 22;
export const SYMBOL_CSTR_LEN_V2 = 71;
/** Reserved bytes after ts_out: 47 in version 1 (which has record_count), 53 in 2+ (which
 *  has the u16 symbol_cstr_len instead). Both make the fixed part 100 bytes. */
export const METADATA_RESERVED_LEN_V1 = 47;
export const METADATA_RESERVED_LEN = 53;
/** A metadata length above this is taken for garbage rather than allocated. */
export const METADATA_MAX_LEN = 256 * 1024 * 1024;

export const NULL_SCHEMA = 0xffff;
export const NULL_STYPE = 0xff;
/** u64::MAX: no end timestamp / no limit / (v1) no record count. */
export const UNDEF_TIMESTAMP = 0xffff_ffff_ffff_ffffn;
/** i64::MAX: an undefined price (an empty book level). */
export const UNDEF_PRICE = 0x7fff_ffff_ffff_ffffn;
/** Fixed-point prices: an integer number of 1e-9 units. */
export const FIXED_PRICE_SCALE = 1e9;

/** Schema ids (the u16 in the metadata) → Databento's names. */
export const SCHEMA_NAMES: Readonly<Record<number, string>> = {
  0: 'mbo',
  1: 'mbp-1',
  2: 'mbp-10',
  3: 'tbbo',
  4: 'trades',
  5: 'ohlcv-1s',
  6: 'ohlcv-1m',
  7: 'ohlcv-1h',
  8: 'ohlcv-1d',
  9: 'definition',
  10: 'statistics',
  11: 'status',
  12: 'imbalance',
  13: 'ohlcv-eod',
  14: 'cmbp-1',
  15: 'cbbo-1s',
  16: 'cbbo-1m',
  17: 'tcbbo',
  18: 'bbo-1s',
  19: 'bbo-1m',
};
export const SCHEMA_MBP10 = 2;

/** Symbology type ids (stype_in / stype_out) → Databento's names. */
export const STYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'instrument_id',
  1: 'raw_symbol',
  2: 'smart',
  3: 'continuous',
  4: 'parent',
  5: 'nasdaq_symbol',
  6: 'cms_symbol',
  7: 'isin',
  8: 'us_code',
  9: 'bbg_comp_id',
  10: 'bbg_comp_ticker',
  11: 'figi',
  12: 'figi_ticker',
};

export function schemaName(id: number | null): string {
  if (id === null) return 'mixed (no schema)';
  return SCHEMA_NAMES[id] ?? `unknown schema ${id}`;
}

/** rtype of an MBP-10 record. */
export const RTYPE_MBP10 = 0x0a;
/** The record header: length (u8, in 4-byte words), rtype (u8), publisher_id (u16),
 *  instrument_id (u32), ts_event (u64). */
export const RECORD_HEADER_LEN = 16;
/** An MBP-10 record: header, then price i64, size u32, action char, side char, flags u8,
 *  depth u8, ts_recv u64, ts_in_delta i32, sequence u32, then 10 × BidAskPair
 *  (bid_px i64, ask_px i64, bid_sz u32, ask_sz u32, bid_ct u32, ask_ct u32). */
export const MBP10 = {
  length: 0,
  rtype: 1,
  publisherId: 2,
  instrumentId: 4,
  tsEvent: 8,
  price: 16,
  size: 24,
  action: 28,
  side: 29,
  flags: 30,
  depth: 31,
  tsRecv: 32,
  tsInDelta: 40,
  sequence: 44,
  levels: 48,
  levelLen: 32,
  levelCount: 10,
  bidPx: 0,
  askPx: 8,
  bidSz: 16,
  askSz: 20,
  bidCt: 24,
  askCt: 28,
  recordLen: 368,
} as const;
