/**
 * A file's bytes in chunks, with their SHA-256, for the CSV import.
 *
 * Large files (`threaded`): a reader thread (worker_threads) reads the file into a ring of
 * eight shared 1 MB slots and hashes each slot after handing it over, so the parsing thread
 * neither reads nor hashes. Once the parser has shared the line kernel's program (`share`),
 * the reader thread, whenever its ring is full, also parses ahead: it takes the newest slot
 * the parser has not taken yet and runs the same kernel (`lineKernel.ts`) on its complete
 * lines into that slot's columns; the parser then takes those columns (`ahead`) instead of
 * parsing the lines itself, so both cores parse and the book still gets every row in file
 * order. A shared state word per slot (free, filled, being parsed ahead, parsed ahead, taken
 * by the parser; compare-and-exchange, Atomics.wait) says who has it. A slot is filled again
 * only once the parser has given it back, so the hash is of exactly the bytes that were parsed
 * and memory stays at the ring's ~21 MB (bytes and columns) whatever the file's size.
 * The thread (`readerThread.ts`) is the one a process started ahead, if it did, else a new
 * one; it gets the file and the shared memory by message. Until it runs (a new one takes
 * 50–150 ms to start on a 2-core machine), the parsing thread reads the first whole chunks
 * itself (`leadIn`); the thread locks their count when it starts, reads on after them and
 * hashes them before its own, so nothing waits for it.
 * Small files, or when no thread can be started: one reused 1 MB buffer, hashed inline (the
 * same bytes, the same digest; a thread costs more to start than it saves on a few MB).
 *
 * A chunk handed out is valid until the consumer asks for the next one.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { LINE_INTS, LINES_PER_BATCH, NUMS } from './lineKernel';
import { AHEAD, FILLED, FREE, LOCKED, MINE, takeReaderThread } from './readerThread';

/** Bytes per chunk (one read). */
export const CHUNK_BYTES = 1 << 20;
/** Slots of the reader thread's ring. */
const SLOTS = 8;

/** A file read in chunks; `sha256` is set once every chunk has been handed out. */
export interface HashedChunks {
  chunks: AsyncGenerator<Uint8Array, void, void>;
  /** The hex SHA-256 of the bytes read (after the last chunk). */
  sha256(): string;
  /** The fast path's program (`lineKernel.ts`): from now on the reader thread parses ahead. */
  share(prog: Int32Array): void;
  /** The lines of the chunk last handed out as the reader thread parsed them, or null when it
   *  did not (this thread then parses them; the reader thread will not touch them). */
  ahead(): ChunkTokens | null;
}

/** A chunk's lines as the reader thread parsed them: `n` lines from byte `from` (after the
 *  chunk's first LF) in `lines` / `nums`; it stopped at `stop`. */
export interface ChunkTokens {
  n: number;
  from: number;
  stop: number;
  lines: Int32Array;
  nums: Float64Array;
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

/** `lead` (threaded): chunks this thread reads itself before the reader thread takes over
 *  (at least; more while the thread is starting); false: none, the thread reads them all. */
export function hashedChunks(
  path: string,
  threaded: boolean,
  lead: number | false = 0,
): HashedChunks {
  let digest: string | null = null;
  const done = (sha: string) => {
    digest = sha;
  };
  const sha256 = () => {
    if (digest === null) throw new Error('sha256 asked before the file was read');
    return digest;
  };
  if (threaded) return { ...threadedChunks(path, done, lead), sha256 };
  return { chunks: inlineChunks(path, 0, done), sha256, share: () => {}, ahead: () => null };
}

/** One reused buffer, hashed inline, from byte `from` on (the bytes before it are hashed
 *  first, not handed out). */
async function* inlineChunks(
  path: string,
  from: number,
  done: (sha: string) => void,
): AsyncGenerator<Uint8Array, void, void> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let at = 0; at < from;) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, from - at), at);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      at += bytesRead;
    }
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

/**
 * The lead-in of the threaded read: whole chunks from the file's start, read here (not
 * hashed: the reader thread hashes them) for as long as the reader thread has not started
 * and locked their count in st[SLOTS]. Returns the bytes handed out; `at` gets the position
 * after them.
 */
function* leadIn(
  path: string,
  st: Int32Array,
  at: (position: number) => void,
): Generator<Uint8Array, number, void> {
  let fd = -1;
  let position = 0;
  try {
    let buffer: Buffer | null = null;
    for (let k = 0; ; k++) {
      // The count still k (unlocked, or a lead not yet reached): chunk k is this thread's.
      const c = Atomics.load(st, SLOTS);
      if (
        (c & (LOCKED - 1)) <= k &&
        (c !== k || Atomics.compareExchange(st, SLOTS, k, k + 1) !== k)
      )
        break;
      if (fd < 0) fd = openSync(path, 'r');
      buffer ??= Buffer.allocUnsafe(CHUNK_BYTES);
      let n = 0;
      while (n < CHUNK_BYTES) {
        const r = readSync(fd, buffer, n, CHUNK_BYTES - n, position + n);
        if (r === 0) break;
        n += r;
      }
      position += n;
      at(position);
      if (n > 0) yield buffer.subarray(0, n);
      if (n < CHUNK_BYTES) break;
    }
  } finally {
    if (fd >= 0) closeSync(fd);
  }
  return position;
}

type ReaderMessage =
  | { slot: number; length: number }
  | { sha256: string }
  | { error: { code?: string; message: string } };

/** Bytes of one slot's columns: the kernel's output for up to LINES_PER_BATCH lines, and
 *  three Int32 (lines, first line's start, the index after the last line read). */
const COLUMN_STRIDE = LINES_PER_BATCH * (NUMS * 8 + LINE_INTS * 4) + 16;
/** Int32 of the shared program (its length first). */
const CONFIG_INTS = 1 << 14;

/** The reader thread's chunks; falls back to inline reading when the thread cannot start.
 *  Until the thread runs, this thread reads the first chunks itself (`lead`: at least that
 *  many; false: none), so the start of the file does not wait for the thread to start. */
function threadedChunks(
  path: string,
  done: (sha: string) => void,
  lead: number | false,
): Omit<HashedChunks, 'sha256'> {
  const data = new SharedArrayBuffer(SLOTS * CHUNK_BYTES);
  // A state word per slot, then the count of chunks this thread read itself (LOCKED once
  // the reader thread has taken over).
  const state = new SharedArrayBuffer((SLOTS + 1) * 4);
  const config = new SharedArrayBuffer(CONFIG_INTS * 4);
  const cols = new SharedArrayBuffer(SLOTS * COLUMN_STRIDE);
  const bytes = new Uint8Array(data);
  const st = new Int32Array(state);
  const cfg = new Int32Array(config);
  st[SLOTS] = lead === false ? LOCKED : lead;
  let current = -1;
  async function* chunks(): AsyncGenerator<Uint8Array, void, void> {
    let worker: Worker;
    try {
      worker = takeReaderThread({
        path,
        data,
        state,
        config,
        cols,
        slots: SLOTS,
        size: CHUNK_BYTES,
        cap: LINES_PER_BATCH,
        stride: COLUMN_STRIDE,
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
    let finished = false;
    try {
      // The lead-in: chunk k is this thread's while the reader thread has not locked the count.
      let position = 0;
      const own = yield* leadIn(path, st, (p) => (position = p));
      let handedOut = own;
      for (;;) {
        if (queue.length === 0) await new Promise<void>((r) => (wake = r));
        const m = queue.shift()!;
        if ('slot' in m) {
          current = m.slot;
          yield bytes.subarray(m.slot * CHUNK_BYTES, m.slot * CHUNK_BYTES + m.length);
          current = -1;
          handedOut += m.length;
          // Not taken by either thread: this thread has it. Parsed ahead meanwhile: wait.
          if (Atomics.compareExchange(st, m.slot, FILLED, MINE) === AHEAD) waitParsed(st, m.slot);
          Atomics.store(st, m.slot, FREE);
          Atomics.notify(st, m.slot);
        } else if ('sha256' in m) {
          finished = true;
          done(m.sha256);
          return;
        } else if ('error' in m) {
          throw new ReadError(m.error.message, m.error.code);
        } else if (handedOut === own) {
          // The thread could not run at all (it handed nothing over): read here instead.
          yield* inlineChunks(path, position, done);
          return;
        } else throw m.failed;
      }
    } finally {
      if (!finished) void worker.terminate();
    }
  }
  return {
    chunks: chunks(),
    share: (prog) => {
      if (prog.length >= CONFIG_INTS) return;
      cfg.set(prog, 1);
      Atomics.store(cfg, 0, prog.length);
    },
    ahead: () => {
      const k = current;
      if (k < 0) return null;
      const was = Atomics.compareExchange(st, k, FILLED, MINE);
      if (was === FILLED || was === MINE) return null;
      waitParsed(st, k);
      const base = k * COLUMN_STRIDE;
      const nums = new Float64Array(cols, base, LINES_PER_BATCH * NUMS);
      const lines = new Int32Array(
        cols,
        base + LINES_PER_BATCH * NUMS * 8,
        LINES_PER_BATCH * LINE_INTS,
      );
      const out = new Int32Array(cols, base + LINES_PER_BATCH * (NUMS * 8 + LINE_INTS * 4), 4);
      return { n: out[0], from: out[1], stop: out[2], lines, nums };
    },
  };
}

/** Wait while the reader thread is parsing slot k (a chunk's lines take it a millisecond or two). */
function waitParsed(st: Int32Array, k: number): void {
  while (Atomics.load(st, k) === AHEAD) Atomics.wait(st, k, AHEAD, 1000);
}
