/**
 * A file → the import result: streams a CSV or DBN file through the parser in bounded memory,
 * hashing it on the way, with progress and cancel between chunks.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { PlannerError } from '@shared/contract';
import { planSymbol } from '@shared/book';
import { fileErrorReason } from '../../platform/fileErrors';
import { dbnStreamError, decodeDbnFile, isDbnStart, isZstdStart } from '../dbn/decoder';
import { DbnError } from '../dbn/errors';
import { CHUNK_BYTES, hashedChunks } from './fileChunks';
import { Mbp10Parser } from './parser';
import { notMbp10 } from './record';
import type { ParsedBook, SampleOptions } from './types';

export interface ReadProgress {
  bytes: number;
  totalBytes: number;
}

export interface ImportFileResult extends ParsedBook {
  sha256: string;
  bytes: number;
  symbol: string;
}

/**
 * Stream a file through the parser (bounded memory: one chunk + one carried line, or one
 * chunk + one record for DBN), hashing it on the way. The format is told by content: a file
 * that starts with "DBN", or a zstd frame (`.dbn.zst`), or is named `.dbn` / `.dbn.zst`, is
 * read by the DBN decoder; anything else as CSV. Both feed the same parser, so the report,
 * statistics and books are one code path. Progress is reported per chunk of the file; the
 * signal is checked between chunks. A DBN problem is an invalid_input naming the file.
 */
export async function importMbp10File(
  path: string,
  options: SampleOptions & {
    fileName?: string;
    signal?: AbortSignal;
    onProgress?: (p: ReadProgress) => void;
    /** 'reference': the CSV read by a read stream, hashed inline and tokenised on the
     *  reference path only (the bench's "before"; the result is the same). */
    method?: 'fast' | 'reference';
    /** Read and hash a CSV on a reader thread (default: for files of 32 MB and more). */
    readThread?: boolean;
  },
): Promise<ImportFileResult> {
  let totalBytes: number;
  const head = Buffer.alloc(4);
  try {
    // Synchronous: a few microseconds, where four round trips through the thread pool cost
    // milliseconds (more on a loaded machine) before the first byte is parsed.
    const st = statSync(path);
    if (!st.isFile()) throw new PlannerError('invalid_input', `${path}: not a file`);
    totalBytes = st.size;
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, 4, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if (e instanceof PlannerError) throw e;
    throw new PlannerError('invalid_input', `${path}: ${fileErrorReason(e, 'MBP-10 file')}`);
  }
  const reference = options.method === 'reference';
  const parser = new Mbp10Parser(options, reference ? 'reference' : 'fast');
  const hash = createHash('sha256');
  let sha256 = '';
  const name = (options.fileName ?? path).replace(/^.*[\\/]/, '');
  const dbn = isDbnStart(head) || isZstdStart(head) || /\.dbn(\.zst)?$/i.test(name);
  let bytes = 0;
  const take = (chunk: Uint8Array, hashHere = true) => {
    if (options.signal?.aborted) throw new PlannerError('cancelled', 'the import was cancelled');
    if (hashHere) hash.update(chunk);
    bytes += chunk.length;
    options.onProgress?.({ bytes, totalBytes });
  };
  if (dbn) {
    await readDbn(path, name, isZstdStart(head), parser, take);
  } else if (reference) {
    const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        take(chunk);
        parser.push(chunk);
      }
    } catch (e) {
      throw fileError(e, path);
    } finally {
      stream.destroy();
    }
  } else {
    // Read (and hashed) on a reader thread for a large file: this thread only parses.
    const threaded = options.readThread ?? totalBytes >= THREAD_MIN_BYTES;
    const file = hashedChunks(path, threaded);
    parser.onProgram((prog) => file.share(prog));
    // The reader thread takes a moment to start (longer on a loaded machine): say at once
    // that the reading has begun, as the first chunk of a read stream did.
    if (threaded) options.onProgress?.({ bytes: 0, totalBytes });
    try {
      for await (const chunk of file.chunks) {
        take(chunk, false);
        parser.push(chunk, file.ahead);
      }
    } catch (e) {
      throw fileError(e, path);
    }
    sha256 = file.sha256();
  }
  if (options.signal?.aborted) throw new PlannerError('cancelled', 'the import was cancelled');
  const book = parser.finish();
  const stem = name.split(/[._-]/)[0];
  return {
    ...book,
    symbol: planSymbol(book.symbol || stem),
    sha256: sha256 || hash.digest('hex'),
    bytes,
  };
}

/** Files from this size on are read and hashed on a reader thread. */
const THREAD_MIN_BYTES = 32 << 20;

function fileError(e: unknown, path: string): PlannerError {
  if (e instanceof PlannerError) return e;
  return new PlannerError('invalid_input', `${path}: ${fileErrorReason(e, 'MBP-10 file')}`);
}

/**
 * A DBN file through the decoder into `parser`; `take` sees every byte of the file as stored
 * (hash, progress, cancel). Problems become invalid_input errors with the DbnError's message;
 * a zstd file that is not DBN inside is refused as a compressed file.
 */
async function readDbn(
  path: string,
  file: string,
  zstd: boolean,
  parser: Mbp10Parser,
  take: (chunk: Buffer) => void,
): Promise<void> {
  try {
    await decodeDbnFile(path, (v) => parser.pushDbnRecord(v), {
      file,
      onMetadata: (m) => parser.beginDbn(m, file),
      onFileBytes: take,
    });
  } catch (e) {
    if (e instanceof PlannerError) throw e;
    const err = e instanceof DbnError ? e : dbnStreamError(e, file);
    if (zstd && err.problem === 'not_dbn')
      throw notMbp10(
        'the file is zstd-compressed and not DBN inside; decompress it first (zstd -d)',
      );
    throw new PlannerError('invalid_input', err.userMessage);
  }
}
