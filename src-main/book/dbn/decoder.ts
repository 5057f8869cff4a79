/**
 * Streaming DBN MBP-10 decoder (docs/orderbook.md "DBN input (decoder)"). `DbnMbp10Decoder`
 * takes the decompressed bytes in chunks of any size and calls a visitor once per MBP-10
 * record with a reused `Mbp10View` over the record's bytes (no copy, no per-record objects);
 * memory is the chunk plus one record. `decodeDbnFile` / `readDbnMbp10` run it over a `.dbn`
 * or `.dbn.zst` file (zstd through Node's zlib, detected by the zstd frame magic).
 */
import { createReadStream } from 'node:fs';
import { Transform, pipeline } from 'node:stream';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { createZstdDecompress } from 'node:zlib';
import { fileErrorReason } from '../../platform/fileErrors';
import { DbnError } from './errors';
import {
  DBN_MAGIC,
  MBP10,
  PRELUDE_LEN,
  RECORD_HEADER_LEN,
  RTYPE_MBP10,
  SCHEMA_MBP10,
} from './layout';
import { decodeMetadata, decodePrelude, type DbnMetadata } from './metadata';
import { Mbp10View, toMbp10Record, type Mbp10Record } from './mbp10Record';

/** The longest record a header can describe: 255 words of 4 bytes. */
const MAX_RECORD_LEN = 255 * 4;
const ZSTD_MAGIC = 0xfd2fb528;

export interface DbnDecodeCounts {
  /** MBP-10 records visited. */
  mbp10Records: number;
  /** Records of other rtypes (e.g. system or symbol-mapping messages), stepped over. */
  skippedRecords: number;
  /** Decompressed bytes of the stream: metadata and records. */
  bytes: number;
  /** Decompressed bytes of records only. */
  recordBytes: number;
}

export class DbnMbp10Decoder {
  metadata: DbnMetadata | null = null;
  readonly counts: DbnDecodeCounts = {
    mbp10Records: 0,
    skippedRecords: 0,
    bytes: 0,
    recordBytes: 0,
  };
  private readonly view = new Mbp10View();
  private readonly prelude = Buffer.alloc(PRELUDE_LEN);
  private preludeFilled = 0;
  private version = 0;
  private meta: Buffer | null = null;
  private metaFilled = 0;
  private readonly carry = Buffer.alloc(MAX_RECORD_LEN);
  private readonly carryDv = new DataView(
    this.carry.buffer,
    this.carry.byteOffset,
    this.carry.byteLength,
  );
  private carryLen = 0;

  /**
   * @param file the name used in error messages (the file's base name)
   * @param visit called once per MBP-10 record; the view is only valid during the call
   * @param onMetadata called once the metadata is decoded and accepted, before any record
   */
  constructor(
    readonly file: string,
    private readonly visit: (record: Mbp10View) => void,
    private readonly onMetadata?: (metadata: DbnMetadata) => void,
  ) {}

  push(chunk: Buffer): void {
    const n = chunk.length;
    let p = 0;
    if (this.metadata === null) {
      p = this.pushHeader(chunk);
      this.counts.bytes += p;
      if (this.metadata === null) return;
    }
    const streamBase = this.counts.bytes - p;
    this.counts.bytes += n - p;
    this.counts.recordBytes += n - p;
    const view = this.view;
    if (this.carryLen > 0) {
      const len = this.checkedLength(this.carry[0]! * 4, streamBase + p - this.carryLen);
      const take = Math.min(len - this.carryLen, n - p);
      chunk.copy(this.carry, this.carryLen, p, p + take);
      this.carryLen += take;
      p += take;
      if (this.carryLen < len) return;
      view.dv = this.carryDv;
      view.off = 0;
      this.dispatch(this.carry[1]!, len, streamBase + p - len);
      this.carryLen = 0;
    }
    view.dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (p < n) {
      const len = chunk[p]! * 4;
      if (len < RECORD_HEADER_LEN) this.checkedLength(len, streamBase + p);
      if (p + len > n) break;
      if (chunk[p + 1] === RTYPE_MBP10 && len >= MBP10.recordLen) {
        view.off = p;
        this.counts.mbp10Records++;
        this.visit(view);
      } else {
        view.off = p;
        this.dispatch(chunk[p + 1]!, len, streamBase + p);
      }
      p += len;
    }
    if (p < n) {
      chunk.copy(this.carry, 0, p, n);
      this.carryLen = n - p;
    }
  }

  /** The stream is over: refuses a file cut inside its metadata or inside a record. */
  end(): void {
    if (this.metadata === null) {
      if (this.preludeFilled === 0) throw new DbnError('empty', this.file, 'the file is empty');
      if (this.preludeFilled < PRELUDE_LEN) {
        throw new DbnError(
          'truncated',
          this.file,
          `the file ends inside the DBN header (${this.preludeFilled} bytes): it is cut off`,
        );
      }
      throw new DbnError(
        'truncated',
        this.file,
        `the file ends inside the DBN metadata (${this.metaFilled} of ${this.meta?.length ?? 0} bytes): it is cut off`,
      );
    }
    if (this.carryLen > 0) {
      const len = this.carry[0]! * 4;
      throw new DbnError(
        'truncated',
        this.file,
        `the file ends inside a record (${this.carryLen} of its ${len} bytes, at byte ${this.counts.bytes - this.carryLen} of the decompressed data): it is cut off`,
      );
    }
  }

  /** Metadata bytes from `chunk`; returns how many were used. */
  private pushHeader(chunk: Buffer): number {
    let p = 0;
    if (this.preludeFilled < PRELUDE_LEN) {
      const take = Math.min(PRELUDE_LEN - this.preludeFilled, chunk.length);
      chunk.copy(this.prelude, this.preludeFilled, 0, take);
      this.preludeFilled += take;
      p = take;
      // Refuse a file that is not DBN as soon as its first bytes are in.
      for (let i = 0; i < Math.min(this.preludeFilled, DBN_MAGIC.length); i++) {
        if (this.prelude[i] !== DBN_MAGIC[i]) decodePrelude(this.prelude, this.file);
      }
      if (this.preludeFilled < PRELUDE_LEN) return p;
      const { version, length } = decodePrelude(this.prelude, this.file);
      this.version = version;
      this.meta = Buffer.alloc(length);
    }
    const meta = this.meta!;
    const take = Math.min(meta.length - this.metaFilled, chunk.length - p);
    chunk.copy(meta, this.metaFilled, p, p + take);
    this.metaFilled += take;
    p += take;
    if (this.metaFilled < meta.length) return p;
    const metadata = decodeMetadata(this.version, meta, this.file);
    if (metadata.schema !== SCHEMA_MBP10) {
      throw new DbnError(
        'schema',
        this.file,
        `a DBN file of schema ${metadata.schemaName}; only mbp-10 (market by price, 10 levels) can be imported`,
      );
    }
    this.meta = null;
    this.metadata = metadata;
    this.onMetadata?.(metadata);
    return p;
  }

  private checkedLength(len: number, at: number): number {
    if (len < RECORD_HEADER_LEN) {
      throw new DbnError(
        'record',
        this.file,
        `the record at byte ${at} of the decompressed data has length ${len}, shorter than a record header (${RECORD_HEADER_LEN}): the file is damaged`,
      );
    }
    return len;
  }

  /** A record that is not a full-size MBP-10 one (or one completed across chunks). */
  private dispatch(rtype: number, len: number, at: number): void {
    if (rtype === RTYPE_MBP10) {
      if (len < MBP10.recordLen) {
        throw new DbnError(
          'record',
          this.file,
          `the MBP-10 record at byte ${at} of the decompressed data is ${len} bytes long, shorter than an MBP-10 record (${MBP10.recordLen}): the file is damaged`,
        );
      }
      this.counts.mbp10Records++;
      this.visit(this.view);
    } else {
      this.counts.skippedRecords++;
    }
  }
}

export interface DbnChunkOptions {
  /** Bytes per read from the file and per zstd output chunk (default 1 MiB). */
  chunkBytes?: number;
  /** Sees every byte of the file as stored (compressed for `.dbn.zst`), chunk by chunk, before
   *  what it decodes to: hashing, progress, cancelling. What it throws (a cancel) ends the
   *  read as it is, not as a DbnError; the chunk is only valid during the call. */
  onFileBytes?: (chunk: Buffer) => void;
}

export interface DecodeDbnOptions extends DbnChunkOptions {
  onMetadata?: (metadata: DbnMetadata) => void;
  /** The name in error messages (default: the path's base name). */
  file?: string;
}

/**
 * Decodes a `.dbn` or zstd-compressed `.dbn.zst` file, calling `visit` per MBP-10 record.
 * Every failure is a DbnError naming the file and the problem.
 */
export async function decodeDbnFile(
  path: string,
  visit: (record: Mbp10View) => void,
  options: DecodeDbnOptions = {},
): Promise<{ metadata: DbnMetadata; counts: DbnDecodeCounts }> {
  const file = options.file ?? basename(path);
  const decoder = new DbnMbp10Decoder(file, visit, options.onMetadata);
  for await (const chunk of dbnChunks(path, file, options)) decoder.push(chunk);
  decoder.end();
  return { metadata: decoder.metadata!, counts: decoder.counts };
}

/**
 * The MBP-10 records of a file as plain objects, with the metadata first. Convenient, but
 * allocates per record: the import path uses decodeDbnFile's visitor. Records are handed
 * over a chunk's worth at a time, so memory stays bounded by the chunk size.
 */
export async function* readDbnMbp10(
  path: string,
  options: { chunkBytes?: number } = {},
): AsyncGenerator<{ metadata: DbnMetadata } | Mbp10Record> {
  const file = basename(path);
  let batch: Mbp10Record[] = [];
  let metadata: DbnMetadata | null = null;
  const decoder = new DbnMbp10Decoder(
    file,
    (v) => batch.push(toMbp10Record(v)),
    (m) => (metadata = m),
  );
  let sentMetadata = false;
  for await (const chunk of dbnChunks(path, file, { chunkBytes: options.chunkBytes ?? 1 << 16 })) {
    decoder.push(chunk);
    if (metadata && !sentMetadata) {
      sentMetadata = true;
      yield { metadata };
    }
    const out = batch;
    batch = [];
    yield* out;
  }
  decoder.end();
}

/**
 * The decompressed bytes of a DBN file in chunks: the one way DBN files are read. A plain file
 * is read into one reused buffer (the decoder copies nothing but a record cut at a chunk's end,
 * so reuse is safe); a zstd file (told by its first bytes) goes through zlib's streaming
 * decompressor. Errors become DbnErrors, but for those of `onFileBytes`, thrown as they are.
 */
async function* dbnChunks(
  path: string,
  file: string,
  { chunkBytes = 1 << 20, onFileBytes }: DbnChunkOptions = {},
): AsyncGenerator<Buffer> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead === 4 && head.readUInt32LE(0) === ZSTD_MAGIC) {
      await handle.close();
      handle = undefined;
      yield* zstdChunks(path, chunkBytes, onFileBytes);
      return;
    }
    const buffer = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const { bytesRead: n } = await handle.read(buffer, 0, buffer.length, null);
      if (n === 0) return;
      const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
      if (onFileBytes) observe(onFileBytes, chunk);
      yield chunk;
    }
  } catch (e) {
    throw e instanceof ObserverError ? e.error : wrapStreamError(e, file);
  } finally {
    await handle?.close();
  }
}

/** The zstd part of dbnChunks (which turns its errors into DbnErrors). */
async function* zstdChunks(
  path: string,
  chunkBytes: number,
  onFileBytes?: (chunk: Buffer) => void,
): AsyncGenerator<Buffer> {
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const zstd = createZstdDecompress({ chunkSize: chunkBytes });
  // The stored bytes pass onFileBytes on their way in; a failure anywhere ends them all.
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        if (onFileBytes) observe(onFileBytes, chunk);
        done(null, chunk);
      } catch (e) {
        done(e as Error);
      }
    },
  });
  pipeline(source, tap, zstd, () => {});
  try {
    for await (const chunk of zstd) yield chunk as Buffer;
  } finally {
    source.destroy();
    tap.destroy();
    zstd.destroy();
  }
}

/** What a caller's onFileBytes threw, carried through the streams to be thrown as it was. */
class ObserverError extends Error {
  constructor(readonly error: unknown) {
    super('onFileBytes failed');
  }
}

function observe(onFileBytes: (chunk: Buffer) => void, chunk: Buffer): void {
  try {
    onFileBytes(chunk);
  } catch (e) {
    throw new ObserverError(e);
  }
}

/** Whether a file's first bytes are a zstd frame (a `.dbn.zst`, or some other zstd file). */
export function isZstdStart(head: Uint8Array): boolean {
  return (
    head.length >= 4 && Buffer.from(head.buffer, head.byteOffset, 4).readUInt32LE(0) === ZSTD_MAGIC
  );
}

/** Whether a (decompressed) stream starts with the DBN magic. */
export function isDbnStart(head: Uint8Array): boolean {
  return head.length >= 3 && DBN_MAGIC.every((b, i) => head[i] === b);
}

/** A read or zstd failure of a DBN file as a DbnError naming the file. */
export function dbnStreamError(e: unknown, file: string): DbnError {
  return wrapStreamError(e, file);
}

function wrapStreamError(e: unknown, file: string): DbnError {
  if (e instanceof DbnError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = String(err.code ?? '');
  if (code.startsWith('Z_') || code.startsWith('ZSTD_') || err.errno === -5) {
    const detail =
      code === 'Z_BUF_ERROR'
        ? 'the zstd-compressed data ends early: the file is cut off'
        : `the zstd-compressed data is damaged (${err.message})`;
    return new DbnError('zstd', file, detail);
  }
  return new DbnError('io', file, fileErrorReason(e, 'DBN file'));
}
