/**
 * The DBN metadata header (versions 1–3): the 8-byte prelude ("DBN", version, length) and the
 * metadata that follows it. Layout per version: docs/orderbook.md "DBN input (decoder)".
 */
import { DbnError } from './errors';
import {
  DATASET_CSTR_LEN,
  DBN_MAGIC,
  DBN_MAX_VERSION,
  METADATA_FIXED_LEN,
  METADATA_MAX_LEN,
  METADATA_RESERVED_LEN,
  METADATA_RESERVED_LEN_V1,
  NULL_SCHEMA,
  NULL_STYPE,
  PRELUDE_LEN,
  SYMBOL_CSTR_LEN_V1,
  UNDEF_TIMESTAMP,
  schemaName,
} from './layout';

/** One raw symbol's mapping to instrument ids over date ranges. */
export interface DbnSymbolMapping {
  rawSymbol: string;
  /** Dates as YYYYMMDD integers (UTC); `endDate` is exclusive. `symbol` is the mapped value
   *  (for stype_out instrument_id, the instrument id as text). */
  intervals: { startDate: number; endDate: number; symbol: string }[];
}

export interface DbnMetadata {
  version: number;
  dataset: string;
  /** Schema id (2 = mbp-10), null for a file of mixed schemas. */
  schema: number | null;
  schemaName: string;
  /** Nanoseconds since the epoch (UTC). `end` null when undefined. */
  start: bigint;
  end: bigint | null;
  /** The request's record limit, null when none. */
  limit: bigint | null;
  /** Version 1 only: the deprecated record count as stored (u64::MAX when unknown). */
  recordCount: bigint | null;
  stypeIn: number | null;
  stypeOut: number;
  /** Each record carries an extra ts_out (u64) after its fields (counted in its length). */
  tsOut: boolean;
  symbolCstrLen: number;
  symbols: string[];
  partial: string[];
  notFound: string[];
  mappings: DbnSymbolMapping[];
  /** Bytes of metadata after the prelude, as the prelude states (includes v3's padding). */
  length: number;
}

/** The version and metadata length from the first 8 bytes; refuses what is not DBN 1–3. */
export function decodePrelude(prelude: Buffer, file: string): { version: number; length: number } {
  if (
    prelude.length < 3 ||
    prelude[0] !== DBN_MAGIC[0] ||
    prelude[1] !== DBN_MAGIC[1] ||
    prelude[2] !== DBN_MAGIC[2]
  ) {
    throw new DbnError('not_dbn', file, 'not a DBN file (it does not start with "DBN")');
  }
  const version = prelude[3]!;
  if (version > DBN_MAX_VERSION) {
    throw new DbnError(
      'version',
      file,
      `DBN version ${version} is newer than this app reads (versions 1 to ${DBN_MAX_VERSION}); convert it with Databento's dbn tool (dbn --upgrade … or an older version) or update the app`,
    );
  }
  if (version < 1) {
    throw new DbnError(
      'version',
      file,
      `DBN version ${version} is not supported (versions 1 to ${DBN_MAX_VERSION})`,
    );
  }
  const length = prelude.readUInt32LE(4);
  if (length < METADATA_FIXED_LEN || length > METADATA_MAX_LEN) {
    throw new DbnError(
      'metadata',
      file,
      `the DBN metadata length ${length} is not plausible (at least ${METADATA_FIXED_LEN}, at most ${METADATA_MAX_LEN} bytes): the file is damaged`,
    );
  }
  return { version, length };
}

/** Decodes the metadata bytes that follow the prelude (`body.length` = the stated length). */
export function decodeMetadata(version: number, body: Buffer, file: string): DbnMetadata {
  let pos = 0;
  const need = (n: number, what: string) => {
    if (pos + n > body.length) {
      throw new DbnError(
        'metadata',
        file,
        `the DBN metadata ends inside ${what} (byte ${PRELUDE_LEN + pos} of a ${body.length}-byte header): the file is damaged`,
      );
    }
  };
  const cstr = (len: number) => {
    const end = body.indexOf(0, pos);
    const s = body.toString('latin1', pos, end < 0 || end > pos + len ? pos + len : end);
    pos += len;
    return s;
  };
  const u64 = () => {
    const v = body.readBigUInt64LE(pos);
    pos += 8;
    return v;
  };
  const u32 = () => {
    const v = body.readUInt32LE(pos);
    pos += 4;
    return v;
  };

  const dataset = cstr(DATASET_CSTR_LEN);
  const rawSchema = body.readUInt16LE(pos);
  pos += 2;
  const schema = rawSchema === NULL_SCHEMA ? null : rawSchema;
  const start = u64();
  const end = u64();
  const limit = u64();
  const recordCount = version === 1 ? u64() : null;
  const stypeIn = body[pos] === NULL_STYPE ? null : body[pos]!;
  const stypeOut = body[pos + 1]!;
  const tsOut = body[pos + 2] !== 0;
  pos += 3;
  let symbolCstrLen = SYMBOL_CSTR_LEN_V1;
  if (version > 1) {
    symbolCstrLen = body.readUInt16LE(pos);
    pos += 2;
    if (symbolCstrLen < 1) {
      throw new DbnError(
        'metadata',
        file,
        `the DBN metadata gives a symbol length of 0: the file is damaged`,
      );
    }
  }
  pos += version === 1 ? METADATA_RESERVED_LEN_V1 : METADATA_RESERVED_LEN;
  need(4, 'the schema definition length');
  const schemaDefinitionLength = u32();
  if (schemaDefinitionLength !== 0) {
    throw new DbnError(
      'metadata',
      file,
      'the DBN metadata holds a schema definition, which no DBN version 1–3 writer produces: the file is damaged',
    );
  }
  const repeated = (what: string) => {
    need(4, `the ${what} count`);
    const count = u32();
    need(count * symbolCstrLen, `the ${what} list (${count} symbols)`);
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(cstr(symbolCstrLen));
    return out;
  };
  const symbols = repeated('symbols');
  const partial = repeated('partial');
  const notFound = repeated('not_found');
  need(4, 'the symbol mapping count');
  const mappingCount = u32();
  const mappings: DbnSymbolMapping[] = [];
  for (let m = 0; m < mappingCount; m++) {
    need(symbolCstrLen + 4, `symbol mapping ${m + 1} of ${mappingCount}`);
    const rawSymbol = cstr(symbolCstrLen);
    const intervalCount = u32();
    need(
      intervalCount * (8 + symbolCstrLen),
      `the ${intervalCount} date intervals of symbol mapping ${m + 1} (${rawSymbol})`,
    );
    const intervals: DbnSymbolMapping['intervals'] = [];
    for (let i = 0; i < intervalCount; i++) {
      const startDate = u32();
      const endDate = u32();
      intervals.push({ startDate, endDate, symbol: cstr(symbolCstrLen) });
    }
    mappings.push({ rawSymbol, intervals });
  }
  return {
    version,
    dataset,
    schema,
    schemaName: schemaName(schema),
    start,
    end: end === UNDEF_TIMESTAMP ? null : end,
    limit: limit === 0n ? null : limit,
    recordCount,
    stypeIn,
    stypeOut,
    tsOut,
    symbolCstrLen,
    symbols,
    partial,
    notFound,
    mappings,
    length: body.length,
  };
}

/**
 * The raw symbols the metadata maps to `instrumentId` (on `date`, YYYYMMDD, when given; the
 * interval's end date is exclusive). Meaningful when stype_out is instrument_id, where each
 * interval's symbol is the instrument id as text. Empty when the mappings do not name it.
 */
export function symbolsForInstrument(
  m: DbnMetadata,
  instrumentId: number,
  date?: number,
): string[] {
  const id = String(instrumentId);
  const out: string[] = [];
  for (const mapping of m.mappings) {
    const hit = mapping.intervals.some(
      (iv) =>
        iv.symbol === id && (date === undefined || (iv.startDate <= date && date < iv.endDate)),
    );
    if (hit && !out.includes(mapping.rawSymbol)) out.push(mapping.rawSymbol);
  }
  return out;
}
