/**
 * Stored result format 4 (docs/storage.md, "Stored results"): a BLOB in the binary layout of
 * the window's answer (src-shared/resultBinary.ts), so that opening a plan sends the stored
 * columns as they are read.
 *
 *   "OPR4"  uint32 LE header length H (a multiple of 8)  32 bytes: SHA-256 of all that follows
 *   header  UTF-8 JSON, padded with spaces to H bytes:
 *           {"result":<the result with {"column":i} for each number column>,
 *            "columns":[<length of column i>,…],"int32":[<indices of the Int32 columns>]}
 *   columns each as Int32 when every entry is a whole number Int32 holds exactly, else as
 *           little-endian doubles, each padded with zeros to a multiple of 8 bytes.
 */
import { createHash } from 'node:crypto';
import {
  packResult,
  rememberPacked,
  reviveColumns,
  unpackColumns,
  type PackedResult,
} from '@shared/resultBinary';
import { trustedColumnsFromJson, type SolveResultColumns } from '@shared/resultColumns';

const MAGIC = Buffer.from('OPR4', 'latin1');
const HASH_AT = 8;
const HEADER_AT = HASH_AT + 32;

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** The bytes stored for a result (format 4). */
export function encodeResultBlob(result: SolveResultColumns): Buffer {
  const { shaped, packed } = packResult(result);
  const text = JSON.stringify({ result: shaped, columns: packed.lengths, int32: packed.int32 });
  const head = Buffer.from(text, 'utf8');
  const headLength = Math.ceil(head.length / 8) * 8;
  const out = Buffer.alloc(HEADER_AT + headLength + packed.bytes.length);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(headLength, 4);
  head.copy(out, HEADER_AT);
  out.fill(0x20, HEADER_AT + head.length, HEADER_AT + headLength);
  out.set(packed.bytes, HEADER_AT + headLength);
  sha256(out.subarray(HEADER_AT)).copy(out, HASH_AT);
  return out;
}

export function isResultBlob(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_AT && MAGIC.every((b, i) => bytes[i] === b);
}

/** The SHA-256 a blob says it has (hex), the key of "this row was verified" caches. */
export function blobHash(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + HASH_AT, 32).toString('hex');
}

/**
 * A format-4 result, or null when its hash does not match its bytes (unless `verified`: the
 * same bytes already matched in this process) or it is not whole. Double columns view the
 * blob's bytes (copied once if the blob does not have a buffer of its own), Int32 ones are
 * widened; the result is registered with its packed form (the blob's columns part), which
 * its binary answer then sends as is.
 */
export function readResultBlob(stored: Uint8Array, verified = false): SolveResultColumns | null {
  // A buffer of its own (handed to the services' thread, not copied), starting on a multiple
  // of 8 (the double columns are viewed where they lie).
  const own = stored.byteOffset === 0 && stored.buffer.byteLength === stored.length;
  const bytes = own ? stored : new Uint8Array(stored);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (!verified && !sha256(buf.subarray(HEADER_AT)).equals(buf.subarray(HASH_AT, HEADER_AT)))
    return null;
  try {
    const headLength = buf.readUInt32LE(4);
    if (headLength % 8 !== 0 || HEADER_AT + headLength > buf.length) return null;
    const header = JSON.parse(buf.toString('utf8', HEADER_AT, HEADER_AT + headLength)) as {
      result: SolveResultColumns;
      columns: number[];
      int32: number[];
    };
    const part = buf.subarray(HEADER_AT + headLength);
    const columns = unpackColumns(header.columns, header.int32, part, 'the stored result');
    const result = trustedColumnsFromJson(reviveColumns(header.result, columns, 'the result'));
    const packed: PackedResult = {
      shaped: header.result,
      packed: { lengths: header.columns, int32: header.int32, bytes: part },
    };
    rememberPacked(result, packed);
    return result;
  } catch {
    return null;
  }
}

/**
 * The last few stored results whose hash matched, by row, as copies of their bytes: a row
 * whose bytes are still exactly these was verified already (equal bytes hash equally), so
 * comparing them (memcmp, a fraction of a millisecond for 7 MB) replaces computing the
 * SHA-256 again. Any changed byte fails the comparison and the hash is checked as on the
 * first open: a damaged row is still dropped.
 */
export class VerifiedBlobs {
  private readonly rows = new Map<string, Buffer>();
  constructor(private readonly capacity = 2) {}

  /** Whether `bytes` are exactly the bytes last verified for `key`. */
  has(key: string, bytes: Uint8Array): boolean {
    const known = this.rows.get(key);
    return known !== undefined && known.equals(bytes);
  }

  /** `bytes` (copied: the caller's may be handed to another thread) matched their hash. */
  add(key: string, bytes: Uint8Array): void {
    this.rows.delete(key);
    this.rows.set(key, Buffer.from(bytes));
    for (const k of this.rows.keys()) {
      if (this.rows.size <= this.capacity) break;
      this.rows.delete(k);
    }
  }
}
