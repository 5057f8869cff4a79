/**
 * How a solve result is stored in a plan row's `result_json` (docs/storage.md, "Stored
 * results"), and read back.
 *
 *   4 (written now)  a BLOB in the binary layout of the window's answer, with its SHA-256
 *                    (resultBlob.ts): opening sends its columns as they were read;
 *   3                {"format":3,"sha256":"<64 hex>","result":<header>,"columns":"<b64>,<b64>,…"}
 *                    the columnar result with each number column replaced by its index in
 *                    `columns`, a comma-separated list of the base64 of each column's
 *                    little-endian doubles (src-shared/columnCodec.ts);
 *   2                {"format":2,"sha256":"<64 hex>","result":<column-wise JSON>} (plain arrays);
 *   1                the row-wise SolveResult, before columns.
 *
 * The hash covers everything after `"result":` up to the envelope's last brace. A result was
 * checked field by field when it was saved (the contract's schema); on reopen only the hash is
 * checked. Format 3 is read from the row's bytes (`CAST(result_json AS BLOB)`): no 13 MB
 * string is made, the hash runs over the bytes, only the small header goes through
 * JSON.parse, and each column is decoded by Node's base64 decoder straight into its own
 * Float64Array. A result that does not read back is null (dropped: the plan stays usable).
 */
import { createHash } from 'node:crypto';
import {
  base64Length,
  float64FromBase64,
  littleEndianBytes,
  writeBase64,
  type Base64Decoder,
} from '@shared/columnCodec';
import { SolveResultSchema } from '@shared/result';
import { encodeResultBlob, isResultBlob, readResultBlob, type VerifiedBlobs } from './resultBlob';
import {
  mapNumberColumns,
  toColumns,
  trustedColumnsFromJson,
  type SolveResultColumns,
} from '@shared/resultColumns';

const envelopeHead = (format: number) => `{"format":${format},"sha256":"`;
const HEAD_3 = envelopeHead(3);
const HEAD_2 = envelopeHead(2);
const MID = '","result":';
const COLUMNS = ',"columns":"';
const COMMA = 44;
const QUOTE = 34;

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Trusted base64 (the hash matched): Node's decoder, straight into the column's bytes. */
const bufferDecode: Base64Decoder = (text, into) =>
  Buffer.from(into.buffer, into.byteOffset, into.byteLength).write(text, 'base64') === into.length;

/** The bytes stored for a result (format 4). */
export function encodeResult(result: SolveResultColumns): Buffer {
  return encodeResultBlob(result);
}

/** The text format 3 stored for a result (the previous version; tests of the upgrade path). */
export function encodeResultFormat3(result: SolveResultColumns): string {
  const columns: Float64Array[] = [];
  const header = mapNumberColumns(result, (c) => columns.push(c) - 1);
  const head = Buffer.from(`${JSON.stringify(header)}${COLUMNS}`, 'utf8');
  let size = head.length + 1;
  for (const c of columns) size += base64Length(c.byteLength) + 1;
  const body = Buffer.alloc(columns.length ? size - 1 : size);
  head.copy(body);
  let at = head.length;
  columns.forEach((c, k) => {
    if (k > 0) body[at++] = COMMA;
    at = writeBase64(littleEndianBytes(c), body, at);
  });
  body[at] = QUOTE;
  return `${HEAD_3}${sha256(body)}${MID}${body.toString('utf8')}}`;
}

/**
 * A stored result (the row's bytes, or its text), or null when it no longer reads back: an
 * envelope whose hash does not match its text (damaged), or a row-wise result of an earlier
 * version that fails `SolveResultSchema` (checked field by field as before). With
 * `verified`, a format-4 row whose bytes are exactly those last verified under `key` is not
 * hashed again (resultBlob.ts VerifiedBlobs).
 */
export function readResult(
  stored: Uint8Array | string,
  verified?: { cache: VerifiedBlobs; key: string },
): SolveResultColumns | null {
  const bytes = typeof stored === 'string' ? Buffer.from(stored, 'utf8') : toBuffer(stored);
  try {
    if (isResultBlob(bytes)) {
      if (!verified) return readResultBlob(bytes);
      if (verified.cache.has(verified.key, bytes)) return readResultBlob(bytes, true);
      const result = readResultBlob(bytes);
      // Copied now, before the columns that view `bytes` are handed to another thread.
      if (result) verified.cache.add(verified.key, bytes);
      return result;
    }
    if (startsWith(bytes, HEAD_3)) return readFormat3(bytes);
    const text = bytes.toString('utf8');
    if (text.startsWith(HEAD_2)) return readFormat2(text);
    const r = SolveResultSchema.safeParse(JSON.parse(text) as unknown);
    return r.success ? toColumns(r.data) : null;
  } catch {
    return null; // not JSON, or not a result
  }
}

function readFormat3(bytes: Buffer): SolveResultColumns | null {
  const body = envelopeBody(bytes, HEAD_3.length);
  if (body === null) return null;
  const columnsAt = body.lastIndexOf(COLUMNS);
  if (columnsAt < 0 || body[body.length - 1] !== QUOTE) return null;
  const header = JSON.parse(body.toString('utf8', 0, columnsAt)) as unknown;
  const columns: Float64Array[] = [];
  const end = body.length - 1;
  for (let from = columnsAt + COLUMNS.length; from < end;) {
    const comma = body.indexOf(COMMA, from);
    const to = comma < 0 || comma > end ? end : comma;
    const column = float64FromBase64(body.toString('latin1', from, to), bufferDecode);
    if (column === null) return null;
    columns.push(column);
    from = to + 1;
  }
  // The header holds each column's index where the column was.
  const columnAt = (k: unknown): Float64Array => {
    if (typeof k !== 'number' || columns[k] === undefined) throw new Error('no such column');
    return columns[k];
  };
  return trustedColumnsFromJson(mapNumberColumns(header as SolveResultColumns, columnAt));
}

function readFormat2(text: string): SolveResultColumns | null {
  const body = envelopeBody(Buffer.from(text, 'utf8'), HEAD_2.length);
  return body === null ? null : trustedColumnsFromJson(JSON.parse(body.toString('utf8')));
}

/** The hashed part of an envelope (after `"result":`, before the last brace), or null when
 *  the envelope is broken or the hash does not match. */
function envelopeBody(bytes: Buffer, headLength: number): Buffer | null {
  const hashEnd = headLength + 64;
  const bodyStart = hashEnd + MID.length;
  if (bytes.length <= bodyStart || bytes[bytes.length - 1] !== 0x7d) return null;
  if (bytes.toString('latin1', hashEnd, bodyStart) !== MID) return null;
  const body = bytes.subarray(bodyStart, bytes.length - 1);
  return sha256(body) === bytes.toString('latin1', headLength, hashEnd) ? body : null;
}

function startsWith(bytes: Buffer, prefix: string): boolean {
  return bytes.length >= prefix.length && bytes.toString('latin1', 0, prefix.length) === prefix;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
