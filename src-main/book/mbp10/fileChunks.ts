/**
 * A file's bytes in chunks, with their SHA-256, for the CSV import.
 *
 * Large files (`threaded`): a reader thread (worker_threads) reads the file into a ring of
 * shared 1 MB slots and hashes each slot after handing it over, so the parsing thread neither
 * reads nor hashes: it parses slot k while the reader fills and hashes the next ones. A slot
 * is filled again only once the parser has given it back (a shared state word per slot:
 * 0 free, 1 filled; the reader waits on it with Atomics.wait), so the hash is of exactly the
 * bytes that were parsed and memory stays at the ring's 4 MB whatever the file's size.
 * Small files, or when no thread can be started: one reused 1 MB buffer, hashed inline (the
 * same bytes, the same digest; a thread costs more to start than it saves on a few MB).
 *
 * A chunk handed out is valid until the consumer asks for the next one.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

/** Bytes per chunk (one read). */
export const CHUNK_BYTES = 1 << 20;
/** Slots of the reader thread's ring. */
const SLOTS = 4;

/** A file read in chunks; `sha256` is set once every chunk has been handed out. */
export interface HashedChunks {
  chunks: AsyncGenerator<Uint8Array, void, void>;
  /** The hex SHA-256 of the bytes read (after the last chunk). */
  sha256(): string;
}

/** An error of the file system, as the reader thread reports it (code and message). */
export class ReadError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ReadError';
  }
}

export function hashedChunks(path: string, threaded: boolean): HashedChunks {
  let digest: string | null = null;
  const done = (sha: string) => {
    digest = sha;
  };
  return {
    chunks: threaded ? threadedChunks(path, done) : inlineChunks(path, 0, done),
    sha256: () => {
      if (digest === null) throw new Error('sha256 asked before the file was read');
      return digest;
    },
  };
}

/** One reused buffer, hashed inline, from byte `from` on. */
async function* inlineChunks(
  path: string,
  from: number,
  done: (sha: string) => void,
): AsyncGenerator<Uint8Array, void, void> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let position = from;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      yield chunk;
    }
    done(hash.digest('hex'));
  } finally {
    await handle.close();
  }
}

/** The reader thread: plain CommonJS, run with `eval` (no file of its own to bundle). */
const READER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { path, data, state, slots, size } = workerData;
const bytes = new Uint8Array(data);
const st = new Int32Array(state);
const hash = createHash('sha256');
let fd;
try {
  fd = openSync(path, 'r');
  for (let k = 0; ; k = (k + 1) % slots) {
    while (Atomics.load(st, k) !== 0) Atomics.wait(st, k, 1);
    const view = bytes.subarray(k * size, (k + 1) * size);
    let n = 0;
    while (n < size) {
      const r = readSync(fd, view, n, size - n, null);
      if (r === 0) break;
      n += r;
    }
    if (n === 0) break;
    Atomics.store(st, k, 1);
    parentPort.postMessage({ slot: k, length: n });
    hash.update(view.subarray(0, n));
  }
  parentPort.postMessage({ sha256: hash.digest('hex') });
} catch (e) {
  parentPort.postMessage({ error: { code: e && e.code, message: String(e && e.message) } });
} finally {
  if (fd !== undefined) closeSync(fd);
}
`;

type ReaderMessage =
  | { slot: number; length: number }
  | { sha256: string }
  | { error: { code?: string; message: string } };

/** The reader thread's chunks; falls back to inline reading when the thread cannot start. */
async function* threadedChunks(
  path: string,
  done: (sha: string) => void,
): AsyncGenerator<Uint8Array, void, void> {
  const data = new SharedArrayBuffer(SLOTS * CHUNK_BYTES);
  const state = new SharedArrayBuffer(SLOTS * 4);
  const bytes = new Uint8Array(data);
  const st = new Int32Array(state);
  let worker: Worker;
  try {
    worker = new Worker(READER_SOURCE, {
      eval: true,
      workerData: { path, data, state, slots: SLOTS, size: CHUNK_BYTES },
    });
  } catch {
    yield* inlineChunks(path, 0, done);
    return;
  }
  const queue: (ReaderMessage | { failed: Error })[] = [];
  let wake: (() => void) | null = null;
  const put = (m: ReaderMessage | { failed: Error }) => {
    queue.push(m);
    wake?.();
    wake = null;
  };
  worker.on('message', (m: ReaderMessage) => put(m));
  worker.on('error', (e: Error) => put({ failed: e }));
  worker.on('exit', () => put({ failed: new Error('the reader thread stopped') }));
  let handedOut = 0;
  let finished = false;
  try {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((r) => (wake = r));
      const m = queue.shift()!;
      if ('slot' in m) {
        yield bytes.subarray(m.slot * CHUNK_BYTES, m.slot * CHUNK_BYTES + m.length);
        handedOut += m.length;
        Atomics.store(st, m.slot, 0);
        Atomics.notify(st, m.slot);
      } else if ('sha256' in m) {
        finished = true;
        done(m.sha256);
        return;
      } else if ('error' in m) {
        throw new ReadError(m.error.message, m.error.code);
      } else if (handedOut === 0) {
        // The thread could not run at all (nothing was handed out yet): read here instead.
        yield* inlineChunks(path, 0, done);
        return;
      } else throw m.failed;
    }
  } finally {
    if (!finished) void worker.terminate();
  }
}
